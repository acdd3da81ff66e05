package store

import (
	"slices"

	"github.com/newsroom-tools/quotes/internal/quote"
)

// stopwords are the English function words no word search is made of: one
// or more is in nearly every quote, so a posting of each would be written
// with every quote ("the" alone with more than half) and never be the
// posting a search reads. Stores do not index them; a query's stopwords
// are checked against the text of the quotes its other criteria find.
var stopwords = []string{
	"a", "am", "an", "and", "are", "as", "at", "be", "been", "being", "but", "by",
	"can", "could", "did", "do", "does", "for", "from", "had", "has", "have",
	"he", "her", "him", "his", "i", "if", "in", "into", "is", "it", "its",
	"me", "my", "of", "on", "or", "our", "she", "so", "than", "that", "the",
	"their", "them", "then", "there", "these", "they", "this", "those", "to",
	"us", "was", "we", "were", "what", "which", "who", "will", "with", "would",
	"you", "your",
}

// IsStopword reports whether folded word w (quote.Words) is left out of
// the word index.
func IsStopword(w string) bool {
	_, found := slices.BinarySearch(stopwords, w)
	return found
}

// Stopwords lists the words IsStopword reports, sorted.
func Stopwords() []string { return slices.Clone(stopwords) }

// SearchWords are q's words folded as the index holds them (quote.Words),
// each once, split into those a store looks up in its word index and the
// stopwords, which it checks in the text instead.
func (q Query) SearchWords() (indexed, checked []string) {
	for _, w := range q.foldedWords() {
		if IsStopword(w) {
			checked = append(checked, w)
		} else {
			indexed = append(indexed, w)
		}
	}
	return indexed, checked
}

// StopwordsAlone is the error for a query whose only criterion is
// stopwords: it would have to read every quote.
func StopwordsAlone(checked []string) error {
	return quote.Errorf(quote.EInvalid, "words %q are too common to search by alone: add a rarer word, a speaker, a topic or a kind", checked)
}
