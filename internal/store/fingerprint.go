package store

import (
	"context"
	"slices"

	"github.com/newsroom-tools/quotes/internal/quote"
)

// Similar is the near-duplicate index: every stored quote is written with
// the fingerprints of its words (QuoteFingerprints), and a text's own
// fingerprints (ClaimFingerprints) find the quotes sharing the most of
// them, at a cost that depends on the number of fingerprints asked for and
// not on how many quotes are stored.
type Similar interface {
	// SimilarQuotes returns up to limit (1 to MaxLimit) current quotes
	// that have at least one of fps, those sharing the most first, ties by
	// quote id. Each fingerprint's entries are read up to
	// MaxFingerprintEntries: a fingerprint that common says little, and
	// the rarer ones carry the search. At most MaxClaimFingerprints
	// fingerprints are accepted, else EInvalid.
	SimilarQuotes(ctx context.Context, fps []uint64, limit int) ([]quote.Quote, error)
}

const (
	// ShingleWords is the length of a shingle, in words: three, so that a
	// shingle is rare enough that its entries are mostly quotes sharing a
	// phrase with the text (a pair like "we need" is in thousands of
	// quotes at a million), and one word changed, added or dropped still
	// spoils only the three shingles around it.
	ShingleWords = 3
	// AllShingles: a text with at most this many shingles (26 words) is
	// stored under every one, so that whichever few of its words a drifted
	// claim keeps find it. A longer one is winnowed (Schleimer et al.
	// 2003): the smallest hash of every WinnowWindow consecutive shingles
	// is kept, about half of them, so any stretch of WinnowWindow +
	// ShingleWords - 1 words a claim shares with it holds one fingerprint
	// the claim has too.
	AllShingles  = 24
	WinnowWindow = 3
	// MaxClaimFingerprints bounds the fingerprints one lookup reads, and
	// so its store reads: one per fingerprint.
	MaxClaimFingerprints = 16
	// MaxFingerprintEntries bounds the entries read per fingerprint: a
	// fingerprint that common ("i dont think") says little, and the rarer
	// ones carry the search.
	MaxFingerprintEntries = 200
)

// QuoteFingerprints are the fingerprints a quote with this text is stored
// under, sorted and distinct.
func QuoteFingerprints(text string) []uint64 {
	hashes := shingles(quote.Words(text))
	if len(hashes) > AllShingles {
		hashes = winnow(hashes)
	}
	slices.Sort(hashes)
	return slices.Compact(hashes)
}

// ClaimFingerprints are the fingerprints to look a claimed text up by (its
// folded words, as quote.Words gives them): every shingle of a short claim,
// so that whichever of them a stored quote kept is asked for; for a longer
// one its winnowed shingles, which are those any stored quote sharing a
// long enough stretch kept there too, spread evenly over the claim when
// they are more than MaxClaimFingerprints.
func ClaimFingerprints(words []string) []uint64 {
	hashes := shingles(words)
	if len(hashes) > MaxClaimFingerprints {
		hashes = winnow(hashes)
	}
	if n := len(hashes); n > MaxClaimFingerprints {
		spread := make([]uint64, MaxClaimFingerprints)
		for i := range spread {
			spread[i] = hashes[i*n/MaxClaimFingerprints]
		}
		hashes = spread
	}
	slices.Sort(hashes)
	return slices.Compact(hashes)
}

// shingles hashes each run of ShingleWords consecutive words, in order; a
// text shorter than that is one shingle of all its words.
func shingles(words []string) []uint64 {
	if len(words) == 0 {
		return nil
	}
	if len(words) < ShingleWords {
		return []uint64{shingleHash(words)}
	}
	hashes := make([]uint64, 0, len(words)-ShingleWords+1)
	for i := 0; i+ShingleWords <= len(words); i++ {
		hashes = append(hashes, shingleHash(words[i:i+ShingleWords]))
	}
	return hashes
}

// shingleHash is 64-bit FNV-1a of the words joined by spaces, computed in
// place since a verification hashes every shingle of its claim.
func shingleHash(words []string) uint64 {
	const offset, prime = 14695981039346656037, 1099511628211
	h := uint64(offset)
	for i, w := range words {
		if i > 0 {
			h = (h ^ ' ') * prime
		}
		for j := range len(w) {
			h = (h ^ uint64(w[j])) * prime
		}
	}
	return h
}

// winnow keeps the smallest hash of every window of WinnowWindow
// consecutive hashes, in order (a hash kept by consecutive windows once).
func winnow(hashes []uint64) []uint64 {
	if len(hashes) <= WinnowWindow {
		return hashes
	}
	var out []uint64
	for i := 0; i+WinnowWindow <= len(hashes); i++ {
		if m := slices.Min(hashes[i : i+WinnowWindow]); len(out) == 0 || out[len(out)-1] != m {
			out = append(out, m)
		}
	}
	return out
}

// ValidateSimilar checks the arguments of SimilarQuotes, the same for every
// store.
func ValidateSimilar(fps []uint64, limit int) error {
	if len(fps) > MaxClaimFingerprints {
		return quote.Errorf(quote.EInvalid, "%d fingerprints; at most %d are looked up at once", len(fps), MaxClaimFingerprints)
	}
	if limit < 1 || limit > MaxLimit {
		return quote.Errorf(quote.EInvalid, "limit %d out of range 1 to %d", limit, MaxLimit)
	}
	return nil
}
