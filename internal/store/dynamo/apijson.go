package dynamo

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/newsroom-tools/quotes/internal/store"
)

// servedFrom reports whether a page of quotes is read from the postings
// of partition pk, so that they carry the quote's API form: speaker,
// topic and kind pages are, and the id lookup is. Word postings, one per
// distinct word of every quote and most of the items written, are left
// without it: it would double their write units for the searches by
// words alone, which encode what they serve instead.
func servedFrom(pk string) bool { return !strings.HasPrefix(pk, "WORD#") }

// QuotesJSON implements store.Store: the search of Quotes, taking each
// posting's API form, encoded from its quote where the posting has none
// (a word posting, or one written before postings carried it). The
// quotes stay where the client decoded them, so buf is returned unused.
func (d *DB) QuotesJSON(ctx context.Context, q store.Query, buf []byte) (store.JSONPage, error) {
	u := &usage{}
	defer d.finish(ctx, "QuotesJSON", u, "speaker_id", q.SpeakerID, "topic", q.Topic, "kind", q.Kind)
	hits, next, err := d.search(ctx, u, q)
	if err != nil {
		return store.JSONPage{}, err
	}
	page := store.JSONPage{NextCursor: next, Buf: buf}
	for _, item := range hits {
		s, err := storedQuote(item)
		if err != nil {
			return store.JSONPage{}, fmt.Errorf("dynamo: posting %s %s: %w", keyString(item, attrPK), keyString(item, attrSK), err)
		}
		page.Quotes = append(page.Quotes, s)
	}
	return page, nil
}

func storedQuote(item map[string]types.AttributeValue) (store.StoredQuote, error) {
	if api, ok := item["api"].(*types.AttributeValueMemberB); ok {
		return store.DecodeStoredQuote(api.Value)
	}
	var p postingItem
	if err := unmarshalItem(item, &p); err != nil {
		return store.StoredQuote{}, fmt.Errorf("decode: %w", err)
	}
	raw, err := store.EncodeStoredQuote(p.Quote)
	if err != nil {
		return store.StoredQuote{}, err
	}
	return store.DecodeStoredQuote(raw)
}
