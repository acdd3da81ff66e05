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

// speakerHistory is what the store remembers of a speaker beyond their
// current quotes. It only grows: deleting quotes leaves it as it was.
type speakerHistory struct {
	Aliases   []string  `json:"aliases"`
	Roles     []string  `json:"roles"`
	FirstSeen time.Time `json:"first_seen"`
	LastSeen  time.Time `json:"last_seen"`
}

// note adds what one quote tells of its speaker.
func (h *speakerHistory) note(s quote.Speaker, date time.Time) {
	seen := speakerHistory{Aliases: store.SpeakerAliases(s), FirstSeen: date, LastSeen: date}
	if role := strings.TrimSpace(s.Descriptor); role != "" {
		seen.Roles = []string{role}
	}
	h.merge(seen)
}

// merge adds other's names not seen yet, in order, and widens the dates.
// A zero date is unknown, not the oldest.
func (h *speakerHistory) merge(other speakerHistory) {
	for _, a := range other.Aliases {
		if !slices.Contains(h.Aliases, a) {
			h.Aliases = append(h.Aliases, a)
		}
	}
	for _, r := range other.Roles {
		if !slices.Contains(h.Roles, r) {
			h.Roles = append(h.Roles, r)
		}
	}
	if d := other.FirstSeen; !d.IsZero() && (h.FirstSeen.IsZero() || d.Before(h.FirstSeen)) {
		h.FirstSeen = d
	}
	if d := other.LastSeen; !d.IsZero() && (h.LastSeen.IsZero() || d.After(h.LastSeen)) {
		h.LastSeen = d
	}
}

// Speaker implements store.Insights. A speaker whose quotes are all gone
// is not found, though their history is kept for when they return.
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
		rec = store.SpeakerRecord{SpeakerSummary: summary, Aliases: h.Aliases, Roles: h.Roles, FirstSeen: h.FirstSeen, LastSeen: h.LastSeen}
		return nil
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
	err := db.bolt.Update(func(tx *bbolt.Tx) error {
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
