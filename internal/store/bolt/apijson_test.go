package bolt

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"
	"time"

	bbolt "go.etcd.io/bbolt"

	"github.com/newsroom-tools/quotes/internal/quote"
	"github.com/newsroom-tools/quotes/internal/store"
	"github.com/newsroom-tools/quotes/internal/store/storetest"
)

func TestConformanceJSON(t *testing.T) {
	storetest.RunJSON(t, func(t *testing.T) store.Store { return openTemp(t) })
}

// TestQuoteJSONFilledOnOpen opens a layout 3 file, written before quotes
// had their API form stored: Open fills it in from the stored quotes and
// records layout 4.
func TestQuoteJSONFilledOnOpen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "quotes.db")
	db := openAt(t, path)
	sp := quote.Speaker{Name: "John Kerry", Kind: quote.Person}
	sp.ID = quote.SpeakerID(sp)
	a := quote.Article{ID: quote.ArticleID("old.txt"), Key: "old.txt", Version: "01", Status: quote.StatusExtracted,
		Text: "“We are close” he said.", QuoteCount: 1, UploadedAt: time.Date(2015, 5, 12, 0, 0, 0, 0, time.UTC)}
	q := quote.Quote{ID: quote.QuoteID(a.ID, "We are close", 0), Article: a.Ref(), Text: "We are close",
		Start: 3, End: 15, Speaker: sp, Date: a.UploadedAt, Evidence: quote.Evidence{Rule: "test", Confidence: 0.9}}
	if err := db.PutArticle(ctx, a, []quote.Quote{q}); err != nil {
		t.Fatal(err)
	}
	query := store.Query{SpeakerID: sp.ID, Limit: 5}
	before, err := db.QuotesJSON(ctx, query, nil)
	if err != nil || len(before.Quotes) != 1 {
		t.Fatalf("QuotesJSON = %d quotes, %v; want 1", len(before.Quotes), err)
	}
	err = db.bolt.Update(func(tx *bbolt.Tx) error {
		if err := tx.Bucket(bucketMeta).Put(metaLayout, []byte("3")); err != nil {
			return err
		}
		return tx.DeleteBucket(bucketQuoteJSON)
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db = openAt(t, path)
	after, err := db.QuotesJSON(ctx, query, nil)
	if err != nil || len(after.Quotes) != 1 {
		t.Fatalf("after reopening: QuotesJSON = %d quotes, %v; want 1", len(after.Quotes), err)
	}
	if !bytes.Equal(after.Quotes[0].JSON, before.Quotes[0].JSON) {
		t.Errorf("after reopening:\n%s\nwant\n%s", after.Quotes[0].JSON, before.Quotes[0].JSON)
	}
	var layout string
	err = db.bolt.View(func(tx *bbolt.Tx) error {
		layout = string(tx.Bucket(bucketMeta).Get(metaLayout))
		return nil
	})
	if err != nil || layout != layoutVersion {
		t.Errorf("layout after reopening = %q (%v), want %q", layout, err, layoutVersion)
	}
}
