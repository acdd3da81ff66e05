package bolt

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	bbolt "go.etcd.io/bbolt"

	"github.com/newsroom-tools/quotes/internal/quote"
	"github.com/newsroom-tools/quotes/internal/store"
)

// ctxCheckEvery is how many index entries a scan reads between checks of
// its context.
const ctxCheckEvery = 64

// Article implements store.Store.
func (db *DB) Article(ctx context.Context, id string) (quote.Article, error) {
	if err := ctx.Err(); err != nil {
		return quote.Article{}, fmt.Errorf("bolt: get article %s: %w", id, err)
	}
	var a quote.Article
	err := db.bolt.View(func(tx *bbolt.Tx) error {
		raw := tx.Bucket(bucketArticles).Get([]byte(id))
		if raw == nil {
			return quote.Errorf(quote.ENotFound, "article %s not found", id)
		}
		return json.Unmarshal(raw, &a)
	})
	if err != nil {
		return quote.Article{}, fmt.Errorf("bolt: get article %s: %w", id, err)
	}
	return a, nil
}

// ArticleQuotes implements store.Store.
func (db *DB) ArticleQuotes(ctx context.Context, articleID string) ([]quote.Quote, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("bolt: get quotes of article %s: %w", articleID, err)
	}
	var qs []quote.Quote
	err := db.bolt.View(func(tx *bbolt.Tx) error {
		if tx.Bucket(bucketArticles).Get([]byte(articleID)) == nil {
			return quote.Errorf(quote.ENotFound, "article %s not found", articleID)
		}
		var err error
		qs, err = articleQuotes(tx, articleID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("bolt: get quotes of article %s: %w", articleID, err)
	}
	return qs, nil
}

// ArticleWithQuotes implements store.Store: one read transaction.
func (db *DB) ArticleWithQuotes(ctx context.Context, id string, withText bool) (quote.Article, []quote.Quote, error) {
	if err := ctx.Err(); err != nil {
		return quote.Article{}, nil, fmt.Errorf("bolt: get article %s: %w", id, err)
	}
	var a quote.Article
	var qs []quote.Quote
	err := db.bolt.View(func(tx *bbolt.Tx) error {
		raw := tx.Bucket(bucketArticles).Get([]byte(id))
		if raw == nil {
			return quote.Errorf(quote.ENotFound, "article %s not found", id)
		}
		if err := json.Unmarshal(raw, &a); err != nil {
			return fmt.Errorf("decode: %w", err)
		}
		var err error
		qs, err = articleQuotes(tx, id)
		return err
	})
	if err != nil {
		return quote.Article{}, nil, fmt.Errorf("bolt: get article %s: %w", id, err)
	}
	if !withText {
		a.Text = ""
	}
	return a, qs, nil
}

// articleQuotes reads the quotes of a stored article, in text order.
func articleQuotes(tx *bbolt.Tx, articleID string) ([]quote.Quote, error) {
	var ids []string
	if raw := tx.Bucket(bucketArticleQuotes).Get([]byte(articleID)); raw != nil {
		if err := json.Unmarshal(raw, &ids); err != nil {
			return nil, fmt.Errorf("decode quote ids: %w", err)
		}
	}
	quotes := tx.Bucket(bucketQuotes)
	qs := make([]quote.Quote, len(ids))
	for i, id := range ids {
		if err := getQuote(quotes, id, &qs[i]); err != nil {
			return nil, err
		}
	}
	return qs, nil
}

// Quote implements store.Store.
func (db *DB) Quote(ctx context.Context, id string) (quote.Quote, error) {
	if err := ctx.Err(); err != nil {
		return quote.Quote{}, fmt.Errorf("bolt: get quote %s: %w", id, err)
	}
	var q quote.Quote
	err := db.bolt.View(func(tx *bbolt.Tx) error {
		if tx.Bucket(bucketQuotes).Get([]byte(id)) == nil {
			return quote.Errorf(quote.ENotFound, "quote %s not found", id)
		}
		return getQuote(tx.Bucket(bucketQuotes), id, &q)
	})
	if err != nil {
		return quote.Quote{}, fmt.Errorf("bolt: get quote %s: %w", id, err)
	}
	return q, nil
}

func getQuote(quotes *bbolt.Bucket, id string, q *quote.Quote) error {
	raw := quotes.Get([]byte(id))
	if raw == nil {
		return fmt.Errorf("quote %s is indexed but not stored", id)
	}
	if err := json.Unmarshal(raw, q); err != nil {
		return fmt.Errorf("decode quote %s: %w", id, err)
	}
	return nil
}

// pageLimit applies the store's limits to a requested page size.
func pageLimit(limit int) (int, error) {
	switch {
	case limit == 0:
		return store.DefaultLimit, nil
	case limit < 1 || limit > store.MaxLimit:
		return 0, quote.Errorf(quote.EInvalid, "limit must be between 1 and %d, got %d", store.MaxLimit, limit)
	}
	return limit, nil
}

// matcher is a Query normalised: folded and validated, as the index
// prefixes every match appears under and the date range.
type matcher struct {
	// prefixes are in the order preferred when equally selective: speaker,
	// topic, words, kind.
	prefixes [][]byte
	// checked are the query's stopwords, which have no index: a quote's
	// text must hold each.
	checked  []string
	from, to time.Time
}

func newMatcher(q store.Query) (matcher, error) {
	m := matcher{from: q.From, to: q.To}
	if q.SpeakerID != "" {
		m.prefixes = append(m.prefixes, indexPrefix(tagSpeaker, q.SpeakerID))
	}
	if topic := quote.Fold(q.Topic); topic != "" {
		m.prefixes = append(m.prefixes, indexPrefix(tagTopic, topic))
	}
	indexed, checked := q.SearchWords()
	slices.Sort(indexed)
	slices.Sort(checked)
	for _, w := range indexed {
		m.prefixes = append(m.prefixes, indexPrefix(tagWord, w))
	}
	m.checked = checked
	if q.Kind != "" {
		if !q.Kind.Valid() {
			return matcher{}, quote.Errorf(quote.EInvalid, "unknown speaker kind %q", q.Kind)
		}
		m.prefixes = append(m.prefixes, indexPrefix(tagKind, string(q.Kind)))
	}
	if len(m.prefixes) == 0 && len(m.checked) > 0 {
		return matcher{}, store.StopwordsAlone(m.checked)
	}
	if len(m.prefixes) == 0 {
		return matcher{}, quote.Errorf(quote.EInvalid, "query needs a speaker, a topic, words or a kind")
	}
	if !m.from.IsZero() && !m.to.IsZero() && m.from.After(m.to) {
		return matcher{}, quote.Errorf(quote.EInvalid, "date range starts after it ends")
	}
	return m, nil
}

// pickIndex splits the prefixes into the one with the fewest entries, to
// walk, and the others, to check each entry against. It returns a nil scan
// prefix when some prefix has no entries, so nothing can match.
func (m matcher) pickIndex(postings *bbolt.Bucket) (scan []byte, others [][]byte) {
	best := -1
	var bestCount uint64
	for i, prefix := range m.prefixes {
		count := getUint64(postings.Get(prefix))
		if count == 0 {
			return nil, nil
		}
		if best < 0 || count < bestCount {
			best, bestCount = i, count
		}
	}
	others = slices.Concat(m.prefixes[:best], m.prefixes[best+1:])
	return m.prefixes[best], others
}

// Quotes implements store.Store.
func (db *DB) Quotes(ctx context.Context, q store.Query) (store.Page, error) {
	if err := ctx.Err(); err != nil {
		return store.Page{}, fmt.Errorf("bolt: query quotes: %w", err)
	}
	m, limit, after, err := db.queryBounds(q)
	if err != nil {
		return store.Page{}, err
	}
	page := store.Page{Quotes: make([]quote.Quote, 0, min(limit, 16))}
	err = db.bolt.View(func(tx *bbolt.Tx) error {
		quotes := tx.Bucket(bucketQuotes)
		last, more, err := m.scan(ctx, tx, after, limit, func(id []byte) error {
			var q quote.Quote
			if err := getQuote(quotes, string(id), &q); err != nil {
				return err
			}
			page.Quotes = append(page.Quotes, q)
			return nil
		})
		if more {
			page.NextCursor = db.cursors.Encode(q, last)
		}
		return err
	})
	if err != nil {
		return store.Page{}, fmt.Errorf("bolt: query quotes: %w", err)
	}
	return page, nil
}

// queryBounds checks q and returns its matcher, page size and the position
// its cursor names.
func (db *DB) queryBounds(q store.Query) (matcher, int, []byte, error) {
	m, err := newMatcher(q)
	if err != nil {
		return matcher{}, 0, nil, err
	}
	limit, err := pageLimit(q.Limit)
	if err != nil {
		return matcher{}, 0, nil, err
	}
	var after []byte
	if q.Cursor != "" {
		if after, err = db.cursors.Decode(q, q.Cursor); err != nil {
			return matcher{}, 0, nil, err
		}
		if len(after) <= dateLen {
			return matcher{}, 0, nil, quote.Errorf(quote.EInvalid, "cursor is not valid for this query")
		}
	}
	return m, limit, after, nil
}

// scan walks the most selective index newest first from just before after
// (or from the query's end date), keeping the entries whose position is also
// under every other prefix, up to limit, and gives keep the quote id of
// each. It returns the position of the last one kept and whether another
// match follows it. Only kept quotes are read.
func (m matcher) scan(ctx context.Context, tx *bbolt.Tx, after []byte, limit int, keep func(id []byte) error) ([]byte, bool, error) {
	index := tx.Bucket(bucketIndex)
	prefix, others := m.pickIndex(tx.Bucket(bucketPostings))
	if prefix == nil {
		return nil, false, nil
	}
	var upper []byte
	switch {
	case after != nil:
		upper = append(slices.Clone(prefix), after...)
	case !m.to.IsZero():
		upper = appendDate(slices.Clone(prefix), m.to.Add(time.Nanosecond))
	default:
		upper = prefixEnd(prefix)
	}
	var lower []byte
	if !m.from.IsZero() {
		lower = appendDate(slices.Clone(prefix), m.from)
	}
	probes := make([]*bbolt.Cursor, len(others))
	for i := range probes {
		probes[i] = index.Cursor()
	}
	c := index.Cursor()
	var last, probe []byte
	n, kept := 0, 0
	for k := seekBefore(c, upper); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Prev() {
		if lower != nil && bytes.Compare(k, lower) < 0 {
			break
		}
		if n++; n%ctxCheckEvery == 0 {
			if err := ctx.Err(); err != nil {
				return nil, false, err
			}
		}
		pos := k[len(prefix):]
		if len(pos) <= dateLen {
			return nil, false, fmt.Errorf("malformed index key %q", k)
		}
		matches := true
		for i, other := range others {
			probe = append(append(probe[:0], other...), pos...)
			if found, _ := probes[i].Seek(probe); !bytes.Equal(found, probe) {
				matches = false
				break
			}
		}
		if !matches {
			continue
		}
		if len(m.checked) > 0 {
			has, err := m.hasCheckedWords(tx.Bucket(bucketQuotes), pos[dateLen:])
			if err != nil {
				return nil, false, err
			}
			if !has {
				continue
			}
		}
		if kept == limit {
			return slices.Clone(last), true, nil
		}
		if err := keep(pos[dateLen:]); err != nil {
			return nil, false, err
		}
		kept++
		// bbolt's bytes stay valid until the transaction ends.
		last = pos
	}
	return slices.Clone(last), false, nil
}

// hasCheckedWords reports whether the quote with id has every word of the
// query the index holds no postings for (stopwords), read in its text.
func (m matcher) hasCheckedWords(quotes *bbolt.Bucket, id []byte) (bool, error) {
	var q quote.Quote
	if err := getQuote(quotes, string(id), &q); err != nil {
		return false, err
	}
	have := quote.Words(q.Text)
	return !slices.ContainsFunc(m.checked, func(w string) bool { return !slices.Contains(have, w) }), nil
}

// Speakers implements store.Store.
func (db *DB) Speakers(ctx context.Context, prefix string, limit int) ([]store.SpeakerSummary, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("bolt: list speakers %q: %w", prefix, err)
	}
	limit, err := pageLimit(limit)
	if err != nil {
		return nil, err
	}
	out := []store.SpeakerSummary{}
	err = db.bolt.View(func(tx *bbolt.Tx) error {
		if strings.TrimSpace(prefix) == "" {
			out, err = mostQuoted(tx, limit)
		} else {
			out, err = speakersByPrefix(ctx, tx, quote.Words(prefix), limit)
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("bolt: list speakers %q: %w", prefix, err)
	}
	return out, nil
}

func mostQuoted(tx *bbolt.Tx, limit int) ([]store.SpeakerSummary, error) {
	speakers := tx.Bucket(bucketSpeakers)
	out := []store.SpeakerSummary{}
	c := tx.Bucket(bucketSpeakerRank).Cursor()
	for k, _ := c.First(); k != nil && len(out) < limit; k, _ = c.Next() {
		if len(k) <= 8 {
			return nil, fmt.Errorf("malformed rank key %q", k)
		}
		s, err := getSpeaker(speakers, k[8:])
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// speakersByPrefix finds speakers each of whose prefix words starts some
// word of their name: one word is the contract, several ("john ke") narrow
// the way a person typing a full name expects.
func speakersByPrefix(ctx context.Context, tx *bbolt.Tx, words []string, limit int) ([]store.SpeakerSummary, error) {
	out := []store.SpeakerSummary{}
	speakers := tx.Bucket(bucketSpeakers)
	err := walkWords(ctx, tx.Bucket(bucketSpeakerWords), words, func(id []byte) error {
		s, err := getSpeaker(speakers, id)
		if err != nil {
			return err
		}
		// The walk itself matched a single prefix word.
		if len(words) == 1 || nameMatches(s.Name, words) {
			out = append(out, s)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b store.SpeakerSummary) int {
		return cmp.Or(cmp.Compare(b.QuoteCount, a.QuoteCount), cmp.Compare(a.ID, b.ID))
	})
	return out[:min(limit, len(out))], nil
}

// walkWords visits, once each, the ids that some word in a word index
// (wordKey) starting with one of words is filed under; visit checks the
// other words.
func walkWords(ctx context.Context, wordIndex *bbolt.Bucket, words []string, visit func(id []byte) error) error {
	if len(words) == 0 {
		return nil
	}
	// The longest prefix word has the fewest index entries to walk.
	seek := []byte(slices.MaxFunc(words, func(a, b string) int { return cmp.Compare(len(a), len(b)) }))
	seen := map[string]bool{}
	c := wordIndex.Cursor()
	n := 0
	for k, _ := c.Seek(seek); k != nil && bytes.HasPrefix(k, seek); k, _ = c.Next() {
		if n++; n%ctxCheckEvery == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		_, id, ok := bytes.Cut(k, []byte{0})
		if !ok {
			return fmt.Errorf("malformed word key %q", k)
		}
		if seen[string(id)] {
			continue
		}
		seen[string(id)] = true
		if err := visit(id); err != nil {
			return err
		}
	}
	return nil
}

func nameMatches(name string, prefixes []string) bool {
	words := quote.Words(name)
	for _, p := range prefixes {
		if !slices.ContainsFunc(words, func(w string) bool { return strings.HasPrefix(w, p) }) {
			return false
		}
	}
	return true
}

func getSpeaker(speakers *bbolt.Bucket, id []byte) (store.SpeakerSummary, error) {
	var s store.SpeakerSummary
	raw := speakers.Get(id)
	if raw == nil {
		return s, fmt.Errorf("speaker %s is indexed but not stored", id)
	}
	if err := json.Unmarshal(raw, &s); err != nil {
		return s, fmt.Errorf("decode speaker %s: %w", id, err)
	}
	return s, nil
}

// Record is what the store holds for one object key: the version of the
// last event applied, and whether an article (extracted or failed) is
// stored, or the key was deleted.
type Record struct {
	Key, Version string
	Stored       bool
}

// Records lists every key the store has seen an event for, in key order,
// for comparing the store with its bucket (a walk of the versions bucket:
// the embedded store can afford it; DynamoDB would need a Scan).
func (db *DB) Records(ctx context.Context) ([]Record, error) {
	var records []Record
	err := db.bolt.View(func(tx *bbolt.Tx) error {
		return tx.Bucket(bucketVersions).ForEach(func(k, raw []byte) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			var v versionRecord
			if err := json.Unmarshal(raw, &v); err != nil {
				return fmt.Errorf("decode version of %s: %w", k, err)
			}
			records = append(records, Record{Key: string(k), Version: v.Version, Stored: v.ArticleID != ""})
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("bolt: list records: %w", err)
	}
	return records, nil
}
