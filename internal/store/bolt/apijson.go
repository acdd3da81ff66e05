package bolt

import (
	"bytes"
	"context"
	"fmt"
	"slices"

	bbolt "go.etcd.io/bbolt"

	"github.com/newsroom-tools/quotes/internal/quote"
	"github.com/newsroom-tools/quotes/internal/store"
)

// bucketQuoteJSON holds each stored quote as the API serves it
// (store.EncodeStoredQuote), beside its JSON in bucketQuotes: a page of
// quotes is then copied out rather than decoded and encoded again.
var bucketQuoteJSON = []byte("quote_json")

// ensureQuoteJSON creates bucketQuoteJSON in a file written before it
// existed (layouts 1 to 3) and fills it from the stored quotes. A file
// that has it has it complete: only builds that maintain it open a layout
// 4 file.
func ensureQuoteJSON(tx *bbolt.Tx) error {
	if tx.Bucket(bucketQuoteJSON) != nil {
		return nil
	}
	if _, err := tx.CreateBucket(bucketQuoteJSON); err != nil {
		return fmt.Errorf("create bucket %s: %w", bucketQuoteJSON, err)
	}
	qs, err := storedQuotes(tx)
	if err != nil {
		return err
	}
	return putQuoteJSON(tx, qs)
}

// putQuoteJSON stores the API form of quotes, in key order (see
// putArticle).
func putQuoteJSON(tx *bbolt.Tx, qs []quote.Quote) error {
	encoded := make([]keyValue, 0, len(qs))
	for _, q := range qs {
		raw, err := store.EncodeStoredQuote(q)
		if err != nil {
			return err
		}
		encoded = append(encoded, keyValue{key: []byte(q.ID), value: raw})
	}
	slices.SortFunc(encoded, func(a, b keyValue) int { return bytes.Compare(a.key, b.key) })
	b := tx.Bucket(bucketQuoteJSON)
	for _, kv := range encoded {
		if err := b.Put(kv.key, kv.value); err != nil {
			return fmt.Errorf("put API form of quote %s: %w", kv.key, err)
		}
	}
	return nil
}

func deleteQuoteJSON(tx *bbolt.Tx, id string) error {
	if err := tx.Bucket(bucketQuoteJSON).Delete([]byte(id)); err != nil {
		return fmt.Errorf("delete API form of quote %s: %w", id, err)
	}
	return nil
}

// QuotesJSON implements store.Store: the walk of Quotes, reading each
// kept quote's API form instead of decoding it.
func (db *DB) QuotesJSON(ctx context.Context, q store.Query, buf []byte) (store.JSONPage, error) {
	if err := ctx.Err(); err != nil {
		return store.JSONPage{}, fmt.Errorf("bolt: query quotes: %w", err)
	}
	m, limit, after, err := db.queryBounds(q)
	if err != nil {
		return store.JSONPage{}, err
	}
	// The kept values are copied out of bbolt, whose bytes live only as
	// long as the transaction, into one buffer rather than one each.
	arena := buf[:0]
	ends := make([]int, 0, min(limit, 32))
	var page store.JSONPage
	err = db.bolt.View(func(tx *bbolt.Tx) error {
		// One cursor for every quote: a Get would make one each.
		stored := tx.Bucket(bucketQuoteJSON).Cursor()
		kept := make([][]byte, 0, min(limit, 32))
		size := 0
		last, more, err := m.scan(ctx, tx, after, limit, func(id []byte) error {
			k, raw := stored.Seek(id)
			if !bytes.Equal(k, id) {
				return fmt.Errorf("quote %s is indexed but has no API form", id)
			}
			kept = append(kept, raw)
			size += len(raw)
			return nil
		})
		if err != nil {
			return err
		}
		if more {
			page.NextCursor = db.cursors.Encode(q, last)
		}
		if cap(arena) < size {
			arena = make([]byte, 0, size)
		}
		for _, raw := range kept {
			arena = append(arena, raw...)
			ends = append(ends, len(arena))
		}
		return nil
	})
	if err != nil {
		return store.JSONPage{}, fmt.Errorf("bolt: query quotes: %w", err)
	}
	page.Buf = arena
	page.Quotes = make([]store.StoredQuote, len(ends))
	start := 0
	for i, end := range ends {
		if page.Quotes[i], err = store.DecodeStoredQuote(arena[start:end:end]); err != nil {
			return store.JSONPage{}, fmt.Errorf("bolt: query quotes: %w", err)
		}
		start = end
	}
	return page, nil
}
