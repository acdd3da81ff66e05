package verify

import (
	"context"
	"fmt"

	"github.com/newsroom-tools/quotes/internal/quote"
	"github.com/newsroom-tools/quotes/internal/store"
)

// maxCandidates is how many stored quotes one verification scores: those
// sharing the most fingerprints with the claim. A drifted claim shares
// nearly all of its source's, and quotes that merely share a phrase share
// a few, so the source is among the first; a fixed number keeps the
// decoding and alignment work per request the same at any corpus size.
const maxCandidates = 16

// candidates returns the stored quotes sharing the most word-shingle
// fingerprints with the claim's folded words: one store lookup, whose reads
// are bounded by store.MaxClaimFingerprints, however many quotes are
// stored. Words too long to be real are left out; a claim of nothing else
// looks nothing up and so is not found.
func (v *Verifier) candidates(ctx context.Context, words []string, limit int) ([]quote.Quote, error) {
	real := make([]string, 0, len(words))
	for _, w := range words {
		if len(w) <= maxQueryWordBytes {
			real = append(real, w)
		}
	}
	fps := store.ClaimFingerprints(real)
	if len(fps) == 0 {
		return nil, nil
	}
	quotes, err := v.store.SimilarQuotes(ctx, fps, limit)
	if err != nil {
		return nil, fmt.Errorf("verify: quotes similar to the claim: %w", err)
	}
	return quotes, nil
}
