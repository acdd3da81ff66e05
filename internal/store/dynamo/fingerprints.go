package dynamo

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/newsroom-tools/quotes/internal/quote"
	"github.com/newsroom-tools/quotes/internal/store"
)

// fingerprintPK is the partition of one fingerprint: every quote that has
// it, one small item each, in quote id order.
func fingerprintPK(fp uint64) string { return "FP#" + fmt.Sprintf("%016x", fp) }

func fingerprintSK(quoteID, gen string) string { return quoteID + "#" + gen }

// fingerprintItem says that quote QuoteID of one generation has the
// partition's fingerprint. It carries no quote, unlike the postings: a
// lookup reads hundreds of these and only a few quotes.
type fingerprintItem struct {
	PK         string `json:"PK"`
	SK         string `json:"SK"`
	QuoteID    string `json:"qid"`
	ArticleID  string `json:"aid"`
	Generation string `json:"gen"`
}

// fingerprintItems are the fingerprint items of one quote of generation
// gen; their keys follow from the quote alone, so that retiring a
// generation deletes them without reading them.
func fingerprintItems(q quote.Quote, articleID, gen string) []fingerprintItem {
	fps := store.QuoteFingerprints(q.Text)
	items := make([]fingerprintItem, len(fps))
	for i, fp := range fps {
		items[i] = fingerprintItem{PK: fingerprintPK(fp), SK: fingerprintSK(q.ID, gen), QuoteID: q.ID, ArticleID: articleID, Generation: gen}
	}
	return items
}

// SimilarQuotes implements store.Similar: one eventually consistent Query
// per fingerprint (store.MaxFingerprintEntries items at most, four at a
// time), then one BatchGetItem of the article items of the best
// candidates, to drop replaced generations, then one of their QUOTE#
// items. So a lookup costs len(fps) + 2 calls whatever the table holds.
func (d *DB) SimilarQuotes(ctx context.Context, fps []uint64, limit int) ([]quote.Quote, error) {
	u := &usage{}
	defer d.finish(ctx, "SimilarQuotes", u, "fingerprints", len(fps))
	if err := store.ValidateSimilar(fps, limit); err != nil {
		return nil, err
	}
	runs := make([][]fingerprintItem, len(fps))
	errs := make([]error, len(fps))
	inParallel(len(fps), func(i int) { runs[i], errs[i] = d.fingerprintRun(ctx, u, fps[i]) })
	for i, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("dynamo: similar quotes: fingerprint %016x: %w", fps[i], err)
		}
	}

	type candidate struct {
		item   fingerprintItem
		shared int
	}
	byKey := map[string]*candidate{}
	for _, run := range runs {
		for _, it := range run {
			c := byKey[it.SK]
			if c == nil {
				c = &candidate{item: it}
				byKey[it.SK] = c
			}
			c.shared++
		}
	}
	ranked := make([]*candidate, 0, len(byKey))
	for _, c := range byKey {
		ranked = append(ranked, c)
	}
	slices.SortFunc(ranked, func(a, b *candidate) int {
		return cmp.Or(cmp.Compare(b.shared, a.shared), strings.Compare(a.item.QuoteID, b.item.QuoteID), strings.Compare(a.item.SK, b.item.SK))
	})
	// Items of replaced generations linger until their retirement deletes
	// them; a few spare candidates make up for those dropped.
	ranked = ranked[:min(len(ranked), 2*limit)]
	articles := make([]string, len(ranked))
	for i, c := range ranked {
		articles[i] = c.item.ArticleID
	}
	gens, err := d.articleGenerations(ctx, u, articles, nil, false)
	if err != nil {
		return nil, fmt.Errorf("dynamo: similar quotes: %w", err)
	}
	var keys []map[string]types.AttributeValue
	var order []string
	for _, c := range ranked {
		if len(keys) < limit && gens[c.item.ArticleID] == c.item.Generation && !slices.Contains(order, c.item.QuoteID) {
			keys = append(keys, itemKey(quoteIDPK(c.item.QuoteID), c.item.Generation))
			order = append(order, c.item.QuoteID)
		}
	}
	if len(keys) == 0 {
		return []quote.Quote{}, nil
	}
	items, err := d.batchGet(ctx, u, keys, false)
	if err != nil {
		return nil, fmt.Errorf("dynamo: similar quotes: read quotes: %w", err)
	}
	postings, err := decodePostings(items)
	if err != nil {
		return nil, fmt.Errorf("dynamo: similar quotes: %w", err)
	}
	byID := make(map[string]quote.Quote, len(postings))
	for _, p := range postings {
		byID[p.Quote.ID] = p.Quote
	}
	out := make([]quote.Quote, 0, len(order))
	for _, id := range order {
		// A quote item missing here was retired between the reads: its
		// article moved on, and so does the lookup.
		if q, ok := byID[id]; ok {
			out = append(out, q)
		}
	}
	return out, nil
}

// fingerprintRun reads up to store.MaxFingerprintEntries items of one
// fingerprint's partition, in quote id order.
func (d *DB) fingerprintRun(ctx context.Context, u *usage, fp uint64) ([]fingerprintItem, error) {
	expr, err := expression.NewBuilder().WithKeyCondition(expression.Key(attrPK).Equal(expression.Value(fingerprintPK(fp)))).Build()
	if err != nil {
		return nil, fmt.Errorf("build key condition: %w", err)
	}
	out, err := d.queryPage(ctx, u, dynamodb.QueryInput{
		KeyConditionExpression:    expr.KeyCondition(),
		ExpressionAttributeNames:  expr.Names(),
		ExpressionAttributeValues: expr.Values(),
		Limit:                     aws.Int32(store.MaxFingerprintEntries),
	})
	if err != nil {
		return nil, err
	}
	items := make([]fingerprintItem, len(out.Items))
	for i, item := range out.Items {
		if err := unmarshalItem(item, &items[i]); err != nil {
			return nil, fmt.Errorf("decode fingerprint item %s: %w", keyString(item, attrSK), err)
		}
	}
	return items, nil
}
