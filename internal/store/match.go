package store

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"github.com/newsroom-tools/quotes/internal/quote"
)

// MatchPrefixes lists, from a store listing that matches one word prefix
// most-counted first (Speakers, Topics), the items whose names have a word
// starting with each of words. For several words the store is asked with
// the longest (the most selective) and the rest are checked here.
func MatchPrefixes[T any](ctx context.Context, words []string, limit int,
	list func(ctx context.Context, prefix string, limit int) ([]T, error), name func(T) string) ([]T, error) {
	if len(words) <= 1 {
		return list(ctx, strings.Join(words, ""), limit)
	}
	longest := slices.MaxFunc(words, func(x, y string) int { return cmp.Compare(len(x), len(y)) })
	candidates, err := list(ctx, longest, MaxLimit)
	if err != nil {
		return nil, err
	}
	var matched []T
	for _, c := range candidates {
		if len(matched) < limit && prefixesAll(words, quote.Words(name(c))) {
			matched = append(matched, c)
		}
	}
	return matched, nil
}

// prefixesAll reports whether every query word starts some name word.
func prefixesAll(query, name []string) bool {
	for _, q := range query {
		if !slices.ContainsFunc(name, func(n string) bool { return strings.HasPrefix(n, q) }) {
			return false
		}
	}
	return true
}
