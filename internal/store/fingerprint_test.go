package store

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/newsroom-tools/quotes/internal/quote"
)

// long is a quote of 60 words, winnowed when stored.
var long = func() string {
	var b strings.Builder
	for i := range 60 {
		fmt.Fprintf(&b, "word%d ", i)
	}
	return b.String()
}()

func shares(a, b []uint64) int {
	n := 0
	for _, x := range a {
		if slices.Contains(b, x) {
			n++
		}
	}
	return n
}

func TestFingerprints(t *testing.T) {
	const kerry = "press upon the Russians the need to help bring about a political settlement"
	tests := []struct {
		name        string
		stored      string
		claim       string
		wantShared  int // at least
		wantClaimed int // exactly, 0 for any up to MaxClaimFingerprints
	}{
		{"the same short quote shares every shingle", kerry, kerry, 11, 11},
		{"one word changed spoils three", kerry, strings.Replace(kerry, "need", "want", 1), 8, 11},
		{"an excerpt of a short quote", kerry, "press upon the Russians the need", 4, 4},
		{"fewer words than a shingle", "Disgraceful", "disgraceful!", 1, 1},
		{"nothing in common", kerry, "The economy grew faster than anyone predicted", 0, 0},
		// Winnowed: any 5 words shared hold a fingerprint.
		{"5 words of a long quote", long, "word40 word41 word42 word43 word44", 1, 3},
		{"a long claim of a long quote", long, long, 1, MaxClaimFingerprints},
	}
	for _, tt := range tests {
		stored := QuoteFingerprints(tt.stored)
		claimed := ClaimFingerprints(quote.Words(tt.claim))
		if got := shares(claimed, stored); got < tt.wantShared || tt.wantShared == 0 && got != 0 {
			t.Errorf("%s: the claim shares %d of its %d fingerprints with the quote's %d, want at least %d", tt.name, got, len(claimed), len(stored), tt.wantShared)
		}
		if tt.wantClaimed > 0 && len(claimed) != tt.wantClaimed || len(claimed) > MaxClaimFingerprints {
			t.Errorf("%s: %d claim fingerprints, want %d (at most %d)", tt.name, len(claimed), tt.wantClaimed, MaxClaimFingerprints)
		}
		if !slices.IsSorted(stored) || !slices.IsSorted(claimed) || len(slices.Compact(slices.Clone(stored))) != len(stored) {
			t.Errorf("%s: fingerprints not sorted and distinct", tt.name)
		}
	}
	if n := len(QuoteFingerprints(long)); n >= 58 || n < 58/3 {
		t.Errorf("a 60-word quote is stored under %d fingerprints, want about half of its 58 shingles", n)
	}
	for i := 0; i+5 <= 60; i++ {
		words := quote.Words(long)[i : i+5]
		if shares(ClaimFingerprints(words), QuoteFingerprints(long)) == 0 {
			t.Errorf("words %d to %d of the long quote share no fingerprint with it", i, i+5)
		}
	}
}
