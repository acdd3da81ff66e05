package verify

import (
	"context"
	"time"

	"github.com/newsroom-tools/quotes/internal/quote"
	"github.com/newsroom-tools/quotes/internal/speaker"
	"github.com/newsroom-tools/quotes/internal/store"
)

const (
	// ConflictThreshold is how similar two quotes' words must be to be
	// the same quote: at most about one word in ten differs, or one is an
	// excerpt of the other. Below it, two speakers saying much the same
	// thing in their own words is not a conflicting attribution.
	ConflictThreshold = 0.9
	// minConflictWords leaves out short phrases ("we will win", "a total
	// disaster"), which different people do say.
	minConflictWords = 6
	// conflictCandidates bounds the stored quotes scored per new quote:
	// near-identical words share nearly every fingerprint, so the few
	// sharing the most are enough, and ingest runs this for every quote.
	conflictCandidates = 8
)

// Conflicts finds stored quotes, in other articles, whose words nearly
// repeat one of quotes but which are attributed to someone else. Quotes
// with no speaker named (kind unknown) and partial quotes conflict with
// nothing: there is no attribution to contradict.
func (v *Verifier) Conflicts(ctx context.Context, quotes []quote.Quote, detected time.Time) ([]store.Conflict, error) {
	var found []store.Conflict
	for _, q := range quotes {
		words := fold(q.Text)
		if !attributed(q) || len(words) < minConflictWords {
			continue
		}
		candidates, err := v.candidates(ctx, words, conflictCandidates)
		if err != nil {
			return nil, err
		}
		for _, c := range candidates {
			if c.Article.ID == q.Article.ID || !attributed(c) || sameSpeaker(q.Speaker, c.Speaker) {
				continue
			}
			if sim := similarity(words, fold(c.Text)); sim >= ConflictThreshold {
				found = append(found, store.Conflict{QuoteIDs: [2]string{q.ID, c.ID}, Similarity: sim, Detected: detected})
			}
		}
	}
	return found, nil
}

func attributed(q quote.Quote) bool {
	return !q.Partial && q.Speaker.Kind != quote.Unknown && q.Speaker.Name != ""
}

// sameSpeaker reports whether two attributions may name the same speaker:
// the same id, or one name within the other ("Kerry" and "John Kerry").
func sameSpeaker(a, b quote.Speaker) bool {
	return a.ID == b.ID || speaker.SaidBy(a, b.Name, "") || speaker.SaidBy(b, a.Name, "")
}
