// Package store defines the storage the service needs — what ingest writes
// and what the API reads — and, in storetest, the conformance suite every
// implementation passes. Implementations live beside it: dynamo (DynamoDB,
// in production) and bolt (embedded, for local runs).
package store

import (
	"context"
	"time"

	"github.com/newsroom-tools/quotes/internal/quote"
)

// Store is the whole storage contract. Every method honours ctx. Lookups of
// missing things return an error with code quote.ENotFound, never a zero
// value and a nil error.
type Store interface {
	// PutArticle records the outcome of ingesting one upload of a.Key: the
	// article (status extracted or failed) and its quotes, replacing
	// everything an earlier upload of that key left, atomically as readers
	// see it: a reader sees the old article and quotes or the new ones,
	// never a mix, never a half-written set.
	//
	// a.Version orders uploads and deletions of a key. When the store
	// already reflects an event at or after a.Version (a redelivered or
	// out-of-order event), PutArticle changes nothing and returns an error
	// with code quote.EConflict.
	//
	// The caller fills in a.ID, each quote's ID, Article and Date; the
	// store derives Speaker.ID when it is empty. A write ValidateArticle
	// refuses changes nothing and returns its error (code quote.EInvalid).
	PutArticle(ctx context.Context, a quote.Article, quotes []quote.Quote) error

	// DeleteArticle removes the article stored under key and its quotes,
	// remembering version so that an older upload delivered later cannot
	// bring them back. If the store reflects an event at or after version
	// it changes nothing and returns an error with code quote.EConflict.
	// Deleting a key never seen records the deletion and returns nil.
	DeleteArticle(ctx context.Context, key, version string) error

	// Article returns the article with the given id, its Text included.
	Article(ctx context.Context, id string) (quote.Article, error)
	// ArticleQuotes returns an article's quotes in the order they appear.
	ArticleQuotes(ctx context.Context, articleID string) ([]quote.Quote, error)
	// ArticleWithQuotes returns the article with the given id and its
	// quotes, in the order they appear, as of one moment: never one
	// upload's article with another's quotes. The article's Text is read
	// only when withText is set, since it can be large.
	ArticleWithQuotes(ctx context.Context, id string, withText bool) (quote.Article, []quote.Quote, error)
	// Quote returns one quote by id.
	Quote(ctx context.Context, id string) (quote.Quote, error)
	// Quotes returns one page of the quotes matching q, newest first (by
	// Quote.Date, then by id for a stable order).
	Quotes(ctx context.Context, q Query) (Page, error)
	// QuotesJSON returns the page Quotes returns for q, each quote as the
	// API serves it (StoredQuote), with the same cursors (a cursor of
	// either serves both). The embedded store keeps that form from the
	// quote's write (EncodeStoredQuote); DynamoDB makes it on reading. A store that copies the
	// quotes out copies them into buf's memory when it has room (see
	// JSONPage.Buf).
	QuotesJSON(ctx context.Context, q Query, buf []byte) (JSONPage, error)
	// Speakers returns speakers any word of whose name starts with the
	// folded prefix (quote.Fold), most quoted first; an empty prefix lists
	// the most quoted.
	Speakers(ctx context.Context, prefix string, limit int) ([]SpeakerSummary, error)

	Insights
	Similar
}

// Query selects quotes. At least one of SpeakerID, Topic, Words and Kind is
// set; every one that is set must match.
type Query struct {
	SpeakerID string
	// Topic is a topic as stored in Quote.Topics.
	Topic string
	// Words are folded words (quote.Words) that must all occur in the
	// quote's text, in any order.
	Words []string
	Kind  quote.SpeakerKind
	// From and To bound Quote.Date, inclusive; zero means unbounded.
	From, To time.Time
	// Limit is how many quotes a page holds at most: 1 to MaxLimit.
	Limit int
	// Cursor is the NextCursor of the previous page, or "" for the first.
	// It is opaque to callers; a store rejects a cursor it did not issue
	// for this same query with code quote.EInvalid.
	Cursor string
}

// Limits on a page of quotes.
const (
	DefaultLimit = 20
	MaxLimit     = 100
)

// Page is one page of a query's results.
type Page struct {
	Quotes []quote.Quote
	// NextCursor fetches the next page; "" when there is none.
	NextCursor string
}

// SpeakerSummary is a speaker as listed by Speakers.
type SpeakerSummary struct {
	ID         string            `json:"id"`
	Name       string            `json:"name"`
	Kind       quote.SpeakerKind `json:"kind"`
	QuoteCount int               `json:"quote_count"`
}
