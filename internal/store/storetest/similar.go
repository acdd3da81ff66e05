package storetest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/newsroom-tools/quotes/internal/quote"
	"github.com/newsroom-tools/quotes/internal/store"
)

// similar looks up the quotes similar to text, as verify does.
func similar(t *testing.T, s store.Store, text string, limit int) []string {
	t.Helper()
	got, err := s.SimilarQuotes(context.Background(), store.ClaimFingerprints(quote.Words(text)), limit)
	if err != nil {
		t.Fatalf("SimilarQuotes(%q): %v", text, err)
	}
	return texts(got)
}

func testSimilarQuotes(t *testing.T, s store.Store) {
	ctx := context.Background()
	const (
		press     = "We are going to press upon the Russians the need to help bring about a political settlement in Syria"
		drifted   = "We are going to press the Russians on the need to help bring about a political settlement in Syria"
		excerpt   = "press upon the Russians the need to help"
		unrelated = "Nobody expects a breakthrough on Ukraine this week, but the channel is open again"
		phrase    = "a political settlement in Syria is the only way out"
	)
	a, aq := article("sim-a.txt", "01", day, said{kerry, press, []string{"Syria"}}, said{official, unrelated, nil})
	b, bq := article("sim-b.txt", "01", day.AddDate(0, 0, 1), said{lavrov, phrase, nil})
	put(t, s, a, aq)
	put(t, s, b, bq)

	tests := []struct {
		name, claim string
		want        []string // in order
	}{
		{"the quote itself, then one sharing a phrase", press, []string{press, phrase}},
		{"a drifted wording", drifted, []string{press, phrase}},
		{"an excerpt", excerpt, []string{press}},
		{"nothing in common", "The economy grew faster than anyone predicted", nil},
	}
	for _, tt := range tests {
		if got := similar(t, s, tt.claim, 10); strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("%s: SimilarQuotes(%q) = %q, want %q", tt.name, tt.claim, got, tt.want)
		}
	}
	if got := similar(t, s, press, 1); len(got) != 1 || got[0] != press {
		t.Errorf("SimilarQuotes limit 1 = %q, want the best only", got)
	}
	// The same words in many quotes: each lookup's reads stay bounded, and
	// the best candidates still come first.
	var many []said
	for i := range store.MaxFingerprintEntries + 5 {
		many = append(many, said{kerry, fmt.Sprintf("a political settlement in Syria, number %d", i), nil})
	}
	c, cq := article("sim-c.txt", "01", day, many...)
	put(t, s, c, cq)
	if got := similar(t, s, drifted, 2); len(got) != 2 || got[0] != press {
		t.Errorf("SimilarQuotes(drifted) among %d sharing a phrase = %q, want %q first", len(many), got, press)
	}
	if err := s.DeleteArticle(ctx, c.Key, "02"); err != nil {
		t.Fatalf("DeleteArticle: %v", err)
	}

	// Replacing the article replaces its fingerprints: the old words no
	// longer find it, the new ones do.
	a2, aq2 := article("sim-a.txt", "02", day, said{kerry, "Completely different words about Moscow and Washington", nil})
	put(t, s, a2, aq2)
	if got := similar(t, s, press, 10); strings.Join(got, "|") != phrase {
		t.Errorf("after re-upload, SimilarQuotes(old words) = %q, want only %q", got, phrase)
	}
	if got := similar(t, s, "different words about Moscow", 10); len(got) != 1 {
		t.Errorf("after re-upload, SimilarQuotes(new words) = %q, want the new quote", got)
	}
	// Deleting removes them.
	if err := s.DeleteArticle(ctx, b.Key, "02"); err != nil {
		t.Fatalf("DeleteArticle: %v", err)
	}
	if got := similar(t, s, phrase, 10); len(got) != 0 {
		t.Errorf("after delete, SimilarQuotes = %q, want none", got)
	}

	_, err := s.SimilarQuotes(ctx, make([]uint64, store.MaxClaimFingerprints+1), 10)
	wantCode(t, "SimilarQuotes with too many fingerprints", err, quote.EInvalid)
	_, err = s.SimilarQuotes(ctx, []uint64{1}, 0)
	wantCode(t, "SimilarQuotes with limit 0", err, quote.EInvalid)
	if got, err := s.SimilarQuotes(ctx, nil, 10); err != nil || len(got) != 0 {
		t.Errorf("SimilarQuotes(no fingerprints) = %q, %v; want none", texts(got), err)
	}
}
