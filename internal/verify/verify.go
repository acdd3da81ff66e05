// Package verify answers a fact-checker's question about a quote as it
// circulates: was it said, where, by whom, and in what exact words. It finds
// the quote among those the service extracted, through the store's
// near-duplicate index (store.Similar: the quotes sharing the most
// word-trigram fingerprints with the claim), even when the circulating
// wording has drifted.
package verify

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/newsroom-tools/quotes/internal/quote"
	"github.com/newsroom-tools/quotes/internal/speaker"
	"github.com/newsroom-tools/quotes/internal/store"
)

const (
	// MatchThreshold is the least Similarity at which a stored quote counts
	// as the claimed one. Two words changed in a 10-word claim score 0.8
	// and a third of the words changed about 0.67, still recognisably the
	// same quote; unrelated quotes that share a phrase with the claim typically
	// score under 0.4 (a few common words in the same order). Below 0.6
	// the "match" would more often be a different statement than a drifted
	// wording of this one.
	MatchThreshold = 0.6
	// MaxMatches is how many matches a Result lists, best first.
	MaxMatches = 5
	// MaxQuoteChars bounds a claimed quote, in characters: longer than any
	// one quotation, and it keeps the alignment work per candidate small.
	MaxQuoteChars = 2000
	// MaxSpeakerChars bounds a claimed speaker, in characters.
	MaxSpeakerChars = 200
	// maxQueryWordBytes: longer "words" (runs of letters with no space,
	// pasted junk) are left out of the claim's fingerprints. Real words,
	// even long compounds, fit, and a claim of nothing else is no quote.
	maxQueryWordBytes = 100
)

// Verdict is the answer to "was this said, by this speaker, in these words".
type Verdict string

const (
	// Confirmed: a stored quote has the claim's exact words (or the claim
	// is an exact excerpt of it), by the claimed speaker when one was
	// named.
	Confirmed Verdict = "confirmed"
	// DifferentSpeaker: the words were found, but not attributed to the
	// claimed speaker; the best match names who they are attributed to.
	DifferentSpeaker Verdict = "different_speaker"
	// WordingDiffers: a quote close to the claim was found, but its words
	// are not the claim's; the best match's Diff shows which differ.
	WordingDiffers Verdict = "wording_differs"
	// NotFound: no stored quote is close enough to the claim.
	NotFound Verdict = "not_found"
)

// Request is a claimed quote to check.
type Request struct {
	// Quote is the quote as it circulates.
	Quote string `json:"quote"`
	// Speaker is who it is attributed to, as typed: a name ("Kerry",
	// "John Kerry") or a speaker id ("john-kerry"); optional.
	Speaker string `json:"speaker,omitempty"`
}

// Match is one stored quote close to the claim.
type Match struct {
	Quote quote.Quote `json:"quote"`
	// Similarity is Similarity(claim, Quote.Text), in [0, 1].
	Similarity float64          `json:"similarity"`
	Speaker    quote.Speaker    `json:"speaker"`
	Article    quote.ArticleRef `json:"article"`
	// Context is the sentences around the quote in its article.
	Context string `json:"context"`
	// Diff compares the claim's words with the quote's, in order.
	Diff []DiffOp `json:"diff"`
}

// Result is the verdict on a claim and the matches it rests on; the verdict
// is about the first match.
//
// Matches are ordered by how well they account for the whole claim: by
// Similarity, scaled down for a stored quote shorter than the claim by the
// share of the claim's words it can cover. A stored fragment that a drifted
// claim happens to contain word for word (Similarity 1) thus ranks below
// the full quote the claim drifted from. Ties go to an exact match, then
// to the claimed speaker's, then to the newest.
type Result struct {
	Verdict Verdict `json:"verdict"`
	Matches []Match `json:"matches"`
}

// Verifier checks claimed quotes against a store.
type Verifier struct {
	store store.Store
}

// New returns a Verifier reading from s.
func New(s store.Store) *Verifier { return &Verifier{store: s} }

// candidate is a stored quote scored against the claim.
type candidate struct {
	quote      quote.Quote
	similarity float64
	// rank orders candidates: similarity, scaled down for a quote shorter
	// than the claim by the share of the claim's words it has room for.
	rank float64
	// exact: the claim's words are the quote's, or a contiguous run of them.
	exact bool
	// byClaimed: a speaker was claimed and the quote is attributed to them.
	byClaimed bool
}

// Verify finds where the claimed quote was said and judges the claim. An
// empty, wordless or oversized request is an error with code quote.EInvalid.
func (v *Verifier) Verify(ctx context.Context, r Request) (Result, error) {
	claim, err := claimWords(r)
	if err != nil {
		return Result{}, err
	}
	folded := foldedWords(claim)
	quotes, err := v.candidates(ctx, folded, maxCandidates)
	if err != nil {
		return Result{}, err
	}

	var found []candidate
	var words []string // one candidate's, the slice reused for the next
	for _, q := range quotes {
		words = appendFolded(words[:0], q.Text)
		c := candidate{quote: q}
		c.similarity = similarity(folded, words)
		if c.similarity < MatchThreshold {
			continue
		}
		c.rank = c.similarity * min(1, float64(len(words))/float64(len(folded)))
		c.exact = containsRun(words, folded)
		found = append(found, c)
	}
	if len(found) == 0 {
		return Result{Verdict: NotFound, Matches: []Match{}}, nil
	}
	// Only the matches are presented: resolving a speaker may read the
	// store, and the candidates below the threshold are never shown.
	matched := make([]quote.Quote, len(found))
	for i, c := range found {
		matched[i] = c.quote
	}
	resolver := speaker.New(v.store)
	if err := resolver.Present(ctx, matched); err != nil {
		return Result{}, fmt.Errorf("verify: %w", err)
	}
	claimsSpeaker := len(quote.Words(r.Speaker)) > 0
	claimedID := ""
	if claimsSpeaker {
		if claimedID, err = resolver.Lookup(ctx, r.Speaker, ""); err != nil {
			return Result{}, fmt.Errorf("verify: %w", err)
		}
	}
	for i := range found {
		found[i].quote = matched[i]
		found[i].byClaimed = claimsSpeaker && speaker.SaidBy(matched[i].Speaker, r.Speaker, claimedID)
	}
	slices.SortFunc(found, func(a, b candidate) int {
		return cmp.Or(
			cmp.Compare(b.rank, a.rank),
			cmp.Compare(b.similarity, a.similarity),
			compareTrueFirst(a.exact, b.exact),
			compareTrueFirst(a.byClaimed, b.byClaimed),
			b.quote.Date.Compare(a.quote.Date),
			strings.Compare(a.quote.ID, b.quote.ID),
		)
	})
	found = found[:min(len(found), MaxMatches)]

	result := Result{Matches: make([]Match, 0, len(found))}
	switch best := found[0]; {
	case claimsSpeaker && !best.byClaimed:
		result.Verdict = DifferentSpeaker
	case best.exact:
		result.Verdict = Confirmed
	default:
		result.Verdict = WordingDiffers
	}
	articles := map[string]quote.Article{}
	for _, c := range found {
		around, err := v.contextOf(ctx, c.quote, articles)
		if err != nil {
			return Result{}, err
		}
		result.Matches = append(result.Matches, Match{
			Quote: c.quote, Similarity: c.similarity,
			Speaker: c.quote.Speaker, Article: c.quote.Article,
			Context: around, Diff: diff(claim, splitWords(c.quote.Text)),
		})
	}
	return result, nil
}

// claimWords validates r and returns the claim's words.
func claimWords(r Request) ([]word, error) {
	if strings.TrimSpace(r.Quote) == "" {
		return nil, quote.Errorf(quote.EInvalid, "quote is empty")
	}
	if n := utf8.RuneCountInString(r.Quote); n > MaxQuoteChars {
		return nil, quote.Errorf(quote.EInvalid, "quote is %d characters long; at most %d are accepted", n, MaxQuoteChars)
	}
	if n := utf8.RuneCountInString(r.Speaker); n > MaxSpeakerChars {
		return nil, quote.Errorf(quote.EInvalid, "speaker is %d characters long; at most %d are accepted", n, MaxSpeakerChars)
	}
	words := splitWords(r.Quote)
	if len(words) == 0 {
		return nil, quote.Errorf(quote.EInvalid, "quote has no words to look for")
	}
	return words, nil
}

// containsRun reports whether run occurs in words as a contiguous stretch.
func containsRun(words, run []string) bool {
	for i := 0; i+len(run) <= len(words); i++ {
		if slices.Equal(words[i:i+len(run)], run) {
			return true
		}
	}
	return false
}

// compareTrueFirst orders true before false.
func compareTrueFirst(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return -1
	}
	return 1
}

// contextOf returns the sentences around q in its article: the stored
// Context when ingest kept one, else cut from the article's text (fetched
// once per article). An article deleted since the quote was read leaves
// the context empty rather than failing the whole verification.
func (v *Verifier) contextOf(ctx context.Context, q quote.Quote, articles map[string]quote.Article) (string, error) {
	if q.Context != "" {
		return q.Context, nil
	}
	a, ok := articles[q.Article.ID]
	if !ok {
		var err error
		a, err = v.store.Article(ctx, q.Article.ID)
		if quote.ErrorCode(err) == quote.ENotFound {
			return "", nil
		}
		if err != nil {
			return "", fmt.Errorf("verify: article %s of quote %s: %w", q.Article.ID, q.ID, err)
		}
		articles[q.Article.ID] = a
	}
	return contextAround(a.Text, q.Start, q.End, q.Text), nil
}
