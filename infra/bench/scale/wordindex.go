package main

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"
	"unicode/utf8"

	"github.com/newsroom-tools/quotes/internal/quote"
	"github.com/newsroom-tools/quotes/internal/store"
	"github.com/newsroom-tools/quotes/internal/verify"
)

// measureWordIndex finds each claim's candidates as verify did before it
// had fingerprints (up to 2026-11-27, 4774122): one word-index query of
// store.MaxLimit quotes, newest first, for the longest word of each
// quarter of the claim that is not a common word (verify's own list then,
// wider than the store's stopwords), and ranks them as verify does
// (similarity, scaled down for a quote shorter than the claim). It prints
// the recall that selection gives on the same store, for comparison.
func measureWordIndex(ctx context.Context, s store.Store, claims []claim) error {
	found := 0
	var took []time.Duration
	for _, c := range claims {
		start := time.Now()
		words := quote.Words(c.text)
		seen := map[string]bool{}
		type scored struct {
			words []string
			rank  float64
		}
		var ranked []scored
		for _, w := range wordQueries(words) {
			page, err := s.Quotes(ctx, store.Query{Words: []string{w}, Limit: store.MaxLimit})
			if err != nil {
				return fmt.Errorf("query %q: %w", w, err)
			}
			for _, q := range page.Quotes {
				if seen[q.ID] {
					continue
				}
				seen[q.ID] = true
				if sim := verify.Similarity(c.text, q.Text); sim >= verify.MatchThreshold {
					qw := quote.Words(q.Text)
					ranked = append(ranked, scored{qw, sim * min(1, float64(len(qw))/float64(len(words)))})
				}
			}
		}
		took = append(took, time.Since(start))
		slices.SortStableFunc(ranked, func(a, b scored) int { return cmp.Compare(b.rank, a.rank) })
		for _, r := range ranked[:min(len(ranked), verify.MaxMatches)] {
			if slices.Equal(r.words, c.source) {
				found++
				break
			}
		}
	}
	slices.Sort(took)
	fmt.Printf("  word-index candidates (verify before fingerprints), same claims: recall %.3f (%d of %d); p50 %s p99 %s\n",
		ratio(found, len(claims)), found, len(claims), took[len(took)/2].Round(time.Microsecond), took[len(took)*99/100].Round(time.Microsecond))
	return nil
}

// wordQueries is the longest word of each quarter of the claim's words
// that are not common, as verify chose them before fingerprints (a claim
// of common words alone, which verify then looked up by all its words at
// once, makes no query here).
func wordQueries(claim []string) []string {
	var content []string
	for _, w := range claim {
		if !slices.Contains(content, w) && !commonWord(w) {
			content = append(content, w)
		}
	}
	n := min(4, len(content))
	var out []string
	for i := range n {
		stretch := content[i*len(content)/n : (i+1)*len(content)/n]
		longest := stretch[0]
		for _, w := range stretch[1:] {
			if utf8.RuneCountInString(w) > utf8.RuneCountInString(longest) {
				longest = w
			}
		}
		out = append(out, longest)
	}
	return out
}

// commonWord is verify's list of words it did not look quotes up by.
func commonWord(w string) bool {
	switch w {
	case "a", "about", "after", "again", "all", "also", "am", "an", "and", "any", "are", "as", "at",
		"be", "because", "been", "before", "being", "but", "by",
		"can", "could", "did", "do", "does", "doing", "dont", "for", "from",
		"had", "has", "have", "having", "he", "her", "here", "hers", "him", "his", "how",
		"i", "if", "im", "in", "into", "is", "it", "its", "just", "let", "lets", "like",
		"get", "going", "know", "lot", "make", "people", "really", "thing", "things", "think", "want", "way", "well", "yes",
		"may", "me", "might", "more", "most", "much", "must", "my", "no", "nor", "not", "now",
		"of", "off", "on", "once", "one", "only", "or", "other", "our", "ours", "out", "over",
		"said", "same", "say", "says", "shall", "she", "should", "so", "some", "such",
		"than", "that", "thats", "the", "their", "them", "then", "there", "these", "they", "this",
		"those", "to", "too", "up", "us", "very", "was", "we", "were", "what", "when", "where",
		"which", "while", "who", "whom", "why", "will", "with", "would", "you", "your", "yours":
		return true
	}
	return false
}
