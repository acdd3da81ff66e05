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
	// ShingleWords is the length of a shingle, in words: two, so that one
	// word changed, added or dropped spoils only the two shingles around
	// it, and a pair of words is already far rarer than either word.
	ShingleWords = 2
	// WinnowWindow: a stored quote keeps the smallest shingle hash of every
	// run of this many consecutive shingles (winnowing, Schleimer et al.
	// 2003), about 2/(WinnowWindow+1) of its shingles. So any stretch of
	// WinnowWindow+1 words a claim shares with it holds one fingerprint
	// the claim also has, whatever changed around that stretch.
	WinnowWindow = 3
	// MaxClaimFingerprints bounds the fingerprints one lookup reads, and
	// so its store reads: one per fingerprint.
	MaxClaimFingerprints = 16
	// MaxFingerprintEntries bounds the entries read per fingerprint.
	MaxFingerprintEntries = 200
)

// QuoteFingerprints are the fingerprints a quote with this text is stored
// under: its winnowed shingle hashes, sorted and distinct.
func QuoteFingerprints(text string) []uint64 {
	return winnow(shingles(quote.Words(text)))
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

// shingles hashes each run of ShingleWords consecutive words, in order,
// leaving out runs of stopwords alone ("of the", "going to"): they are in
// so many quotes that their entries would only be read to be ignored. A
// text with no other run keeps them all, so that it can still be found.
// A text shorter than a shingle is one shingle of its words.
func shingles(words []string) []uint64 {
	if len(words) == 0 {
		return nil
	}
	if len(words) < ShingleWords {
		return []uint64{shingleHash(words)}
	}
	var all, content []uint64
	for i := 0; i+ShingleWords <= len(words); i++ {
		run := words[i : i+ShingleWords]
		h := shingleHash(run)
		all = append(all, h)
		if !slices.ContainsFunc(run, func(w string) bool { return !IsStopword(w) }) {
			continue
		}
		content = append(content, h)
	}
	if len(content) == 0 {
		return all
	}
	return content
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
// consecutive hashes (all of them when there are fewer), sorted and
// distinct.
func winnow(hashes []uint64) []uint64 {
	if len(hashes) <= WinnowWindow {
		out := slices.Clone(hashes)
		slices.Sort(out)
		return slices.Compact(out)
	}
	var out []uint64
	for i := 0; i+WinnowWindow <= len(hashes); i++ {
		out = append(out, slices.Min(hashes[i:i+WinnowWindow]))
	}
	slices.Sort(out)
	return slices.Compact(out)
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

// IsStopword reports the common English words that say little about which
// quote is meant: they make no fingerprint on their own, and verify does
// not look quotes up by them.
func IsStopword(w string) bool {
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
