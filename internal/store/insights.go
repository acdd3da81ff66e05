package store

import (
	"context"
	"time"

	"github.com/newsroom-tools/quotes/internal/quote"
)

// Insights is what fact-checkers ask of the quotes beyond search: who a
// speaker is across articles, which topics are quoted on, and which words
// are attributed to more than one speaker.
type Insights interface {
	// Speaker returns one speaker's record by id.
	Speaker(ctx context.Context, id string) (SpeakerRecord, error)
	// Topics lists the topics any word of which starts with the folded
	// prefix, most quoted first; an empty prefix lists the most quoted.
	// Topics with no quotes left are not listed.
	Topics(ctx context.Context, prefix string, limit int) ([]TopicSummary, error)

	// AddConflicts records pairs of quotes whose near-identical words are
	// attributed to different speakers. Recording a pair again, in either
	// order, changes nothing. A conflict lives as long as both its quotes:
	// once either is replaced or deleted, it is no longer returned.
	AddConflicts(ctx context.Context, conflicts []Conflict) error
	// Conflicts returns one page of all conflicts, newest first.
	Conflicts(ctx context.Context, limit int, cursor string) (ConflictPage, error)
	// QuoteConflicts returns the conflicts a quote is part of.
	QuoteConflicts(ctx context.Context, quoteID string) ([]Conflict, error)
}

// SpeakerRecord is everything known of one speaker across articles.
type SpeakerRecord struct {
	SpeakerSummary
	// Aliases are the names the speaker's quotes give or mention them by,
	// as written ("John Kerry", "Kerry"), in the order first seen;
	// pronouns are not aliases.
	Aliases []string `json:"aliases"`
	// Roles are the descriptors written beside the name ("U.S. Secretary
	// of State"), in the order first seen.
	Roles []string `json:"roles"`
	// FirstSeen and LastSeen are the dates of the speaker's oldest and
	// newest quotes. Like the aliases and roles, they tell of the quotes
	// stored now: deleting an article takes away what only it said.
	FirstSeen time.Time `json:"first_seen"`
	LastSeen  time.Time `json:"last_seen"`
}

// TopicSummary is a topic as listed by Topics.
type TopicSummary struct {
	// Topic is the topic as tagged ("Islamic State").
	Topic      string `json:"topic"`
	QuoteCount int    `json:"quote_count"`
}

// Conflict is one pair of quotes with near-identical words and different
// speakers.
type Conflict struct {
	// QuoteIDs are the two quotes' ids, in either order.
	QuoteIDs [2]string `json:"quote_ids"`
	// Similarity of the two quotes' words, in [0, 1].
	Similarity float64 `json:"similarity"`
	// Detected is when the conflict was found; Conflicts sorts by it.
	Detected time.Time `json:"detected"`
}

// ConflictPage is one page of conflicts.
type ConflictPage struct {
	Conflicts  []Conflict
	NextCursor string
}

// SpeakerAliases are the names a quote's speaker goes by in it: the
// resolved name and the mention, when the mention is a name rather than a
// pronoun or a description ("the official").
func SpeakerAliases(s quote.Speaker) []string {
	aliases := []string{}
	if s.Name != "" {
		aliases = append(aliases, s.Name)
	}
	m := s.Mention
	if m == "" || m == s.Name || s.Kind == quote.Anonymous || s.Kind == quote.Unknown {
		return aliases
	}
	if first := m[0]; first < 'A' || first > 'Z' {
		return aliases // "he", "the spokesman": not a name
	}
	switch quote.Words(m)[0] {
	case "he", "she", "they", "it", "we", "i", "his", "her", "the", "a", "an", "this", "that", "one":
		return aliases // "He", "The minister": not a name
	}
	return append(aliases, m)
}
