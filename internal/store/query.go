package store

import (
	"slices"

	"github.com/newsroom-tools/quotes/internal/quote"
)

// Matcher returns the test a quote must pass to meet q's speaker, topic,
// words and kind, folded once for every quote it is asked about. Dates are
// left to the caller, whose index usually bounds them already.
func (q Query) Matcher() func(quote.Quote) bool {
	speaker := quote.Fold(q.SpeakerID)
	topic := quote.Fold(q.Topic)
	words := q.foldedWords()
	return func(qt quote.Quote) bool {
		if speaker != "" && quote.Fold(qt.Speaker.ID) != speaker {
			return false
		}
		if topic != "" && !slices.ContainsFunc(qt.Topics, func(t string) bool { return quote.Fold(t) == topic }) {
			return false
		}
		if q.Kind != "" && qt.Speaker.Kind != q.Kind {
			return false
		}
		if len(words) > 0 {
			have := quote.Words(qt.Text)
			for _, w := range words {
				if !slices.Contains(have, w) {
					return false
				}
			}
		}
		return true
	}
}

// foldedWords are q's words as the index holds them (quote.Words), each
// once, in the order given.
func (q Query) foldedWords() []string {
	var words []string
	for _, w := range q.Words {
		for _, word := range quote.Words(w) {
			if !slices.Contains(words, word) {
				words = append(words, word)
			}
		}
	}
	return words
}
