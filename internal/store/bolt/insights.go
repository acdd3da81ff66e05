package bolt

import (
	"bytes"
	"cmp"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	bbolt "go.etcd.io/bbolt"

	"github.com/newsroom-tools/quotes/internal/quote"
	"github.com/newsroom-tools/quotes/internal/store"
)

var _ store.Insights = (*DB)(nil)

// conflictsScope names the conflicts listing to store.Cursors.
const conflictsScope = "conflicts"

// speakerHistory is what the store knows of a speaker beyond their
// count: the names and roles their current quotes give them, in the order
// first seen, each with how many current quotes give it, so that removing
// quotes removes what only they said. First and last seen are not kept:
// they are the ends of the speaker's index prefix.
type speakerHistory struct {
	Aliases     []string       `json:"aliases"`
	Roles       []string       `json:"roles"`
	AliasCounts map[string]int `json:"alias_counts"`
	RoleCounts  map[string]int `json:"role_counts"`
}

// namesOf returns the aliases and the role one quote gives its speaker.
func namesOf(s quote.Speaker) (aliases, roles []string) {
	if role := strings.TrimSpace(s.Descriptor); role != "" {
		roles = []string{role}
	}
	return store.SpeakerAliases(s), roles
}

// count adds delta to each of names, appending the new ones and
// dropping those no quote gives any more.
func count(names []string, counts map[string]int, add []string, delta int) []string {
	for _, n := range add {
		if counts[n] == 0 && delta > 0 {
			names = append(names, n)
		}
		counts[n] += delta
		if counts[n] <= 0 {
			delete(counts, n)
			names = slices.DeleteFunc(names, func(x string) bool { return x == n })
		}
	}
	return names
}

// apply counts one quote's speaker in (delta 1) or out (delta -1).
func (h *speakerHistory) apply(s quote.Speaker, delta int) {
	if h.AliasCounts == nil {
		h.AliasCounts = map[string]int{}
	}
	if h.RoleCounts == nil {
		h.RoleCounts = map[string]int{}
	}
	aliases, roles := namesOf(s)
	h.Aliases = count(h.Aliases, h.AliasCounts, aliases, delta)
	h.Roles = count(h.Roles, h.RoleCounts, roles, delta)
}

// Speaker implements store.Insights. A speaker whose quotes are all gone
// is not found; their record tells only of their current quotes.
func (db *DB) Speaker(ctx context.Context, id string) (store.SpeakerRecord, error) {
	if err := ctx.Err(); err != nil {
		return store.SpeakerRecord{}, fmt.Errorf("bolt: get speaker %s: %w", id, err)
	}
	var rec store.SpeakerRecord
	err := db.bolt.View(func(tx *bbolt.Tx) error {
		speakers := tx.Bucket(bucketSpeakers)
		if speakers.Get([]byte(id)) == nil {
			return quote.Errorf(quote.ENotFound, "speaker %s not found", id)
		}
		summary, err := getSpeaker(speakers, []byte(id))
		if err != nil {
			return err
		}
		raw := tx.Bucket(bucketSpeakerHistory).Get([]byte(id))
		if raw == nil {
			return fmt.Errorf("speaker %s has quotes but no history", id)
		}
		var h speakerHistory
		if err := json.Unmarshal(raw, &h); err != nil {
			return fmt.Errorf("decode history: %w", err)
		}
		rec = store.SpeakerRecord{SpeakerSummary: summary, Aliases: h.Aliases, Roles: h.Roles}
		rec.FirstSeen, rec.LastSeen, err = seenBetween(tx.Bucket(bucketIndex), id)
		return err
	})
	if err != nil {
		return store.SpeakerRecord{}, fmt.Errorf("bolt: get speaker %s: %w", id, err)
	}
	// Lists are never null in JSON.
	if rec.Aliases == nil {
		rec.Aliases = []string{}
	}
	if rec.Roles == nil {
		rec.Roles = []string{}
	}
	return rec, nil
}

// listLimit checks the size of an Insights listing, which has no default.
func listLimit(limit int) error {
	if limit < 1 || limit > store.MaxLimit {
		return quote.Errorf(quote.EInvalid, "limit must be between 1 and %d, got %d", store.MaxLimit, limit)
	}
	return nil
}

// Topics implements store.Insights.
func (db *DB) Topics(ctx context.Context, prefix string, limit int) ([]store.TopicSummary, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("bolt: list topics %q: %w", prefix, err)
	}
	if err := listLimit(limit); err != nil {
		return nil, err
	}
	out := []store.TopicSummary{}
	err := db.bolt.View(func(tx *bbolt.Tx) error {
		var err error
		if strings.TrimSpace(prefix) == "" {
			out, err = mostQuotedTopics(tx, limit)
		} else {
			out, err = topicsByPrefix(ctx, tx, quote.Words(prefix), limit)
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("bolt: list topics %q: %w", prefix, err)
	}
	return out, nil
}

func mostQuotedTopics(tx *bbolt.Tx, limit int) ([]store.TopicSummary, error) {
	topics := tx.Bucket(bucketTopics)
	out := []store.TopicSummary{}
	c := tx.Bucket(bucketTopicRank).Cursor()
	for k, _ := c.First(); k != nil && len(out) < limit; k, _ = c.Next() {
		if len(k) <= 8 {
			return nil, fmt.Errorf("malformed topic rank key %q", k)
		}
		form := topics.Get(k[8:])
		if form == nil {
			return nil, fmt.Errorf("topic %q is ranked but not stored", k[8:])
		}
		count := math.MaxUint64 - binary.BigEndian.Uint64(k[:8])
		out = append(out, store.TopicSummary{Topic: string(form), QuoteCount: int(count)})
	}
	return out, nil
}

// topicsByPrefix finds topics each of whose prefix words starts some word
// of the topic, as speakersByPrefix does for names.
func topicsByPrefix(ctx context.Context, tx *bbolt.Tx, words []string, limit int) ([]store.TopicSummary, error) {
	out := []store.TopicSummary{}
	topics, postings := tx.Bucket(bucketTopics), tx.Bucket(bucketPostings)
	err := walkWords(ctx, tx.Bucket(bucketTopicWords), words, func(folded []byte) error {
		if len(words) > 1 && !nameMatches(string(folded), words) {
			return nil
		}
		form := topics.Get(folded)
		count := getUint64(postings.Get(indexPrefix(tagTopic, string(folded))))
		if form == nil || count == 0 {
			return fmt.Errorf("topic %q is indexed by word but not stored", folded)
		}
		out = append(out, store.TopicSummary{Topic: string(form), QuoteCount: int(count)})
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b store.TopicSummary) int {
		return cmp.Or(cmp.Compare(b.QuoteCount, a.QuoteCount), cmp.Compare(quote.Fold(a.Topic), quote.Fold(b.Topic)))
	})
	return out[:min(limit, len(out))], nil
}

// AddConflicts implements store.Insights. Pairs naming a quote that is no
// longer stored are skipped: it was replaced or deleted after detection,
// and the conflict would have ended with it.
func (db *DB) AddConflicts(ctx context.Context, conflicts []store.Conflict) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("bolt: add conflicts: %w", err)
	}
	for _, c := range conflicts {
		a, b := c.QuoteIDs[0], c.QuoteIDs[1]
		if a == "" || b == "" || a == b {
			return quote.Errorf(quote.EInvalid, "a conflict needs two different quote ids, got %q and %q", a, b)
		}
		// Written as a negation so that NaN is refused too.
		if !(c.Similarity >= 0 && c.Similarity <= 1) {
			return quote.Errorf(quote.EInvalid, "similarity of %s~%s must be in [0, 1], got %v", a, b, c.Similarity)
		}
	}
	if len(conflicts) == 0 {
		return nil
	}
	err := db.update(func(tx *bbolt.Tx) error {
		w := newWriter(tx)
		for _, c := range conflicts {
			if err := w.addConflict(c); err != nil {
				return err
			}
		}
		return ctx.Err()
	})
	if err != nil {
		return fmt.Errorf("bolt: add conflicts: %w", err)
	}
	return nil
}

// Conflicts implements store.Insights. The cursor's position is the
// conflict_dates key of the last conflict returned.
func (db *DB) Conflicts(ctx context.Context, limit int, cursor string) (store.ConflictPage, error) {
	if err := ctx.Err(); err != nil {
		return store.ConflictPage{}, fmt.Errorf("bolt: list conflicts: %w", err)
	}
	if err := listLimit(limit); err != nil {
		return store.ConflictPage{}, err
	}
	var after []byte
	if cursor != "" {
		var err error
		if after, err = db.cursors.DecodeScope(conflictsScope, cursor); err != nil {
			return store.ConflictPage{}, err
		}
		if !validConflictPosition(after) {
			return store.ConflictPage{}, quote.Errorf(quote.EInvalid, "cursor is not valid for this query")
		}
	}
	page := store.ConflictPage{Conflicts: []store.Conflict{}}
	err := db.bolt.View(func(tx *bbolt.Tx) error {
		conflicts := tx.Bucket(bucketConflicts)
		c := tx.Bucket(bucketConflictDates).Cursor()
		var last []byte
		n := 0
		for k := seekBefore(c, after); k != nil; k, _ = c.Prev() {
			if n++; n%ctxCheckEvery == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			// One conflict past the page decides whether there is a next.
			if len(page.Conflicts) == limit {
				page.NextCursor = db.cursors.EncodeScope(conflictsScope, last)
				return nil
			}
			if len(k) <= dateLen {
				return fmt.Errorf("malformed conflict date key %q", k)
			}
			conflict, err := getConflict(conflicts, k[dateLen:])
			if err != nil {
				return err
			}
			page.Conflicts = append(page.Conflicts, conflict)
			last = slices.Clone(k)
		}
		return nil
	})
	if err != nil {
		return store.ConflictPage{}, fmt.Errorf("bolt: list conflicts: %w", err)
	}
	return page, nil
}

// QuoteConflicts implements store.Insights, newest first like Conflicts.
func (db *DB) QuoteConflicts(ctx context.Context, quoteID string) ([]store.Conflict, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("bolt: get conflicts of quote %s: %w", quoteID, err)
	}
	out := []store.Conflict{}
	err := db.bolt.View(func(tx *bbolt.Tx) error {
		if tx.Bucket(bucketQuotes).Get([]byte(quoteID)) == nil {
			return quote.Errorf(quote.ENotFound, "quote %s not found", quoteID)
		}
		conflicts := tx.Bucket(bucketConflicts)
		prefix := quoteConflictPrefix(quoteID)
		c := tx.Bucket(bucketQuoteConflicts).Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			conflict, err := getConflict(conflicts, k[len(prefix):])
			if err != nil {
				return err
			}
			out = append(out, conflict)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("bolt: get conflicts of quote %s: %w", quoteID, err)
	}
	slices.SortFunc(out, func(a, b store.Conflict) int {
		return bytes.Compare(conflictDateKey(b.Detected, pairKey(b.QuoteIDs[0], b.QuoteIDs[1])),
			conflictDateKey(a.Detected, pairKey(a.QuoteIDs[0], a.QuoteIDs[1])))
	})
	return out, nil
}

// validConflictPosition tells whether position is a conflict_dates key, as
// a cursor signed by another build or key layout might not be.
func validConflictPosition(position []byte) bool {
	if len(position) <= dateLen {
		return false
	}
	_, _, ok := splitPair(position[dateLen:])
	return ok
}

func getConflict(conflicts *bbolt.Bucket, pair []byte) (store.Conflict, error) {
	var c store.Conflict
	raw := conflicts.Get(pair)
	if raw == nil {
		return c, fmt.Errorf("conflict %q is indexed but not stored", pair)
	}
	if err := json.Unmarshal(raw, &c); err != nil {
		return c, fmt.Errorf("decode conflict %q: %w", pair, err)
	}
	return c, nil
}

// seenBetween returns the dates of the speaker's oldest and newest dated
// quotes: the first and last keys of their index prefix, whose dates sort
// in time order. An undated quote (zero date) sorts first and tells
// nothing.
func seenBetween(index *bbolt.Bucket, id string) (first, last time.Time, err error) {
	prefix := indexPrefix(tagSpeaker, id)
	c := index.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		if first, err = keyDate(k[len(prefix):]); err != nil || !first.IsZero() {
			break
		}
	}
	if err != nil || first.IsZero() {
		return time.Time{}, time.Time{}, err
	}
	// Past every key of the prefix: a quote id never starts with 0xff.
	end := append(slices.Clone(prefix), bytes.Repeat([]byte{0xff}, dateLen+1)...)
	k, _ := c.Seek(end)
	if k == nil {
		k, _ = c.Last()
	} else {
		k, _ = c.Prev()
	}
	if k == nil || !bytes.HasPrefix(k, prefix) {
		return time.Time{}, time.Time{}, fmt.Errorf("speaker %s: index prefix ends unexpectedly", id)
	}
	last, err = keyDate(k[len(prefix):])
	return first, last, err
}

// keyDate decodes the date an index key's position starts with (see
// appendDate); the zero time.Time comes back as zero.
func keyDate(position []byte) (time.Time, error) {
	if len(position) < dateLen {
		return time.Time{}, fmt.Errorf("index key too short for a date")
	}
	t := time.Unix(int64(binary.BigEndian.Uint64(position)^(1<<63)), int64(binary.BigEndian.Uint32(position[8:]))).UTC()
	if t.Equal(time.Time{}) {
		return time.Time{}, nil
	}
	return t, nil
}
