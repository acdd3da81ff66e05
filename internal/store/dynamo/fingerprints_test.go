package dynamo_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/newsroom-tools/quotes/internal/store"
)

// fingerprintItems counts the items left in the FP# partitions of text's
// fingerprints, stale generations included, which readers would skip.
func fingerprintItems(t *testing.T, table, text string) int {
	t.Helper()
	n := 0
	for _, fp := range store.QuoteFingerprints(text) {
		out, err := servers.DynamoDB().Query(context.Background(), &dynamodb.QueryInput{
			TableName:                 aws.String(table),
			KeyConditionExpression:    aws.String("PK = :pk"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":pk": &types.AttributeValueMemberS{Value: fmt.Sprintf("FP#%016x", fp)}},
			ConsistentRead:            aws.Bool(true),
		})
		if err != nil {
			t.Fatalf("Query fingerprint: %v", err)
		}
		n += len(out.Items)
	}
	return n
}

// TestFingerprintItemsGoWithTheirGeneration checks the table itself, not
// what readers see: replacing and deleting an article delete its
// fingerprint items.
func TestFingerprintItemsGoWithTheirGeneration(t *testing.T) {
	ctx := context.Background()
	db, table := newDBOnTable(t, servers.DynamoDB())
	a, qs := article("fp.txt", "01", 2, "a political settlement in Syria is the only way")
	if err := db.PutArticle(ctx, a, qs); err != nil {
		t.Fatalf("PutArticle: %v", err)
	}
	want := 0
	for _, q := range qs {
		want += len(store.QuoteFingerprints(q.Text))
	}
	got := 0
	for _, q := range qs {
		got += fingerprintItems(t, table, q.Text)
	}
	// Both quotes share the fingerprints of their common words: each
	// partition holds both, and is counted once per quote here.
	if got < want {
		t.Fatalf("%d fingerprint items after the upload, want at least %d", got, want)
	}
	b, bq := article("fp.txt", "02", 1, "completely different words")
	if err := db.PutArticle(ctx, b, bq); err != nil {
		t.Fatalf("PutArticle (replace): %v", err)
	}
	for _, q := range qs {
		if n := fingerprintItems(t, table, q.Text); n != 0 {
			t.Errorf("%d fingerprint items of the replaced quote %q left", n, q.Text)
		}
	}
	if n := fingerprintItems(t, table, bq[0].Text); n != len(store.QuoteFingerprints(bq[0].Text)) {
		t.Errorf("%d fingerprint items of the new quote, want %d", n, len(store.QuoteFingerprints(bq[0].Text)))
	}
	if err := db.DeleteArticle(ctx, "fp.txt", "03"); err != nil {
		t.Fatalf("DeleteArticle: %v", err)
	}
	if n := fingerprintItems(t, table, bq[0].Text); n != 0 {
		t.Errorf("%d fingerprint items left after the delete", n)
	}
}
