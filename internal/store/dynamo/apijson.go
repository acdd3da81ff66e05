package dynamo

import (
	"context"
	"fmt"

	"github.com/newsroom-tools/quotes/internal/store"
)

// QuotesJSON implements store.Store: the search of Quotes, each kept
// posting's quote as the API serves it (store.NewStoredQuote). The items do
// not carry that encoding: measured on dynalite (infra/bench/cost.sh, 89
// articles), carrying it on every posting but the word ones cost 17% more
// write units per article, 25% more per re-upload, 20% more read units per
// speaker page and 60% more per article, for CPU the API saves only on
// encoding; see infra/bench/README.md, 2026-11-27. The quotes stay where
// the client decoded them, so buf is returned unused.
func (d *DB) QuotesJSON(ctx context.Context, q store.Query, buf []byte) (store.JSONPage, error) {
	u := &usage{}
	defer d.finish(ctx, "QuotesJSON", u, "speaker_id", q.SpeakerID, "topic", q.Topic, "kind", q.Kind)
	hits, next, err := d.search(ctx, u, q)
	if err != nil {
		return store.JSONPage{}, err
	}
	page := store.JSONPage{NextCursor: next, Buf: buf}
	for _, item := range hits {
		var p postingItem
		if err := unmarshalItem(item, &p); err != nil {
			return store.JSONPage{}, fmt.Errorf("dynamo: decode posting %s %s: %w", keyString(item, attrPK), keyString(item, attrSK), err)
		}
		s, err := store.NewStoredQuote(p.Quote)
		if err != nil {
			return store.JSONPage{}, fmt.Errorf("dynamo: posting %s %s: %w", keyString(item, attrPK), keyString(item, attrSK), err)
		}
		page.Quotes = append(page.Quotes, s)
	}
	return page, nil
}
