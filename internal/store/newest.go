package store

import (
	"cmp"
	"context"
	"encoding/base64"
	"fmt"
	"strings"
	"time"

	"github.com/newsroom-tools/quotes/internal/quote"
)

// kinds are the speaker kinds, whose index partitions together hold every
// quote once.
var kinds = []quote.SpeakerKind{quote.Person, quote.Organization, quote.Anonymous, quote.Unknown}

// exhausted marks, in a Newest cursor, a kind with no quotes left.
const exhausted = "-"

// Newest returns one page of every quote dated within [from, to] (zero:
// unbounded), newest first, as Quotes orders them. It needs nothing of a
// store beyond Quotes: it merges the store's pages of each speaker kind,
// whose indexes together hold every quote once. Its cursor holds one
// store cursor per kind, each signed for its own query; a cursor that is
// not one Newest issued is an error with code quote.EInvalid.
func Newest(ctx context.Context, s Store, from, to time.Time, limit int, cursor string) (Page, error) {
	if limit == 0 {
		limit = DefaultLimit
	}
	if limit < 1 || limit > MaxLimit {
		return Page{}, quote.Errorf(quote.EInvalid, "limit must be between 1 and %d", MaxLimit)
	}
	positions, err := decodeNewest(cursor)
	if err != nil {
		return Page{}, err
	}
	query := func(k int, n int) Query {
		return Query{Kind: kinds[k], From: from, To: to, Limit: n, Cursor: positions[k]}
	}
	pages := make([]Page, len(kinds))
	for k := range kinds {
		if positions[k] == exhausted {
			continue
		}
		if pages[k], err = s.Quotes(ctx, query(k, limit)); err != nil {
			return Page{}, fmt.Errorf("newest quotes of kind %s: %w", kinds[k], err)
		}
	}

	// Merge the heads of the pages, newest first and, within a date, by
	// id descending, the order of every store's postings.
	taken := make([]int, len(kinds))
	var page Page
	for len(page.Quotes) < limit {
		best := -1
		for k := range kinds {
			if taken[k] == len(pages[k].Quotes) {
				continue
			}
			if best < 0 || newer(pages[k].Quotes[taken[k]], pages[best].Quotes[taken[best]]) {
				best = k
			}
		}
		if best < 0 {
			break
		}
		page.Quotes = append(page.Quotes, pages[best].Quotes[taken[best]])
		taken[best]++
	}

	next := make([]string, len(kinds))
	more := false
	for k := range kinds {
		switch {
		case positions[k] == exhausted:
			next[k] = exhausted
		case taken[k] == 0 && len(pages[k].Quotes) > 0:
			// Still where it was ("" being the start).
			next[k] = positions[k]
		case taken[k] == len(pages[k].Quotes):
			next[k] = cmp.Or(pages[k].NextCursor, exhausted)
		default:
			// Part of this kind's page was used: the store says where
			// the used part ends by answering for that many alone.
			used, err := s.Quotes(ctx, query(k, taken[k]))
			if err != nil {
				return Page{}, fmt.Errorf("newest quotes of kind %s: %w", kinds[k], err)
			}
			next[k] = cmp.Or(used.NextCursor, exhausted)
		}
		more = more || next[k] != exhausted
	}
	if more {
		page.NextCursor = encodeNewest(next)
	}
	return page, nil
}

// newer reports whether a comes before b, newest first.
func newer(a, b quote.Quote) bool {
	if c := a.Date.Compare(b.Date); c != 0 {
		return c > 0
	}
	return a.ID > b.ID
}

func encodeNewest(positions []string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strings.Join(positions, "\n")))
}

func decodeNewest(cursor string) ([]string, error) {
	positions := make([]string, len(kinds))
	if cursor == "" {
		return positions, nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	parts := strings.Split(string(raw), "\n")
	if err != nil || len(parts) != len(kinds) {
		return nil, quote.Errorf(quote.EInvalid, "cursor is not valid for this query")
	}
	return parts, nil
}

// Each calls fn with every quote dated from from on (zero: all), newest
// first, reading the store a page at a time.
func Each(ctx context.Context, s Store, from time.Time, fn func(quote.Quote) error) error {
	cursor := ""
	for {
		page, err := Newest(ctx, s, from, time.Time{}, MaxLimit, cursor)
		if err != nil {
			return err
		}
		for _, q := range page.Quotes {
			if err := fn(q); err != nil {
				return err
			}
		}
		if page.NextCursor == "" {
			return nil
		}
		cursor = page.NextCursor
	}
}
