package bolt

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	bbolt "go.etcd.io/bbolt"

	"github.com/newsroom-tools/quotes/internal/quote"
	"github.com/newsroom-tools/quotes/internal/store"
)

// versionRecord is what the store remembers of the last event for an
// object key. ArticleID is empty once the key has been deleted.
type versionRecord struct {
	Version   string `json:"version"`
	ArticleID string `json:"article_id,omitempty"`
}

// PutArticle implements store.Store.
func (db *DB) PutArticle(ctx context.Context, a quote.Article, quotes []quote.Quote) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("bolt: put article %s: %w", a.Key, err)
	}
	stored, err := prepareQuotes(a, quotes)
	if err != nil {
		return err
	}
	a.QuoteCount = len(stored)
	err = db.bolt.Update(func(tx *bbolt.Tx) error {
		w := newWriter(tx)
		if err := w.claimVersion(a.Key, versionRecord{Version: a.Version, ArticleID: a.ID}); err != nil {
			return err
		}
		if err := w.putArticle(a, stored); err != nil {
			return err
		}
		if err := w.flush(); err != nil {
			return err
		}
		// A caller that gave up while we wrote gets nothing committed.
		return ctx.Err()
	})
	if err != nil {
		return fmt.Errorf("bolt: put article %s: %w", a.Key, err)
	}
	return nil
}

// DeleteArticle implements store.Store.
func (db *DB) DeleteArticle(ctx context.Context, key, version string) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("bolt: delete article %s: %w", key, err)
	}
	if key == "" {
		return quote.Errorf(quote.EInvalid, "article key is empty")
	}
	err := db.bolt.Update(func(tx *bbolt.Tx) error {
		w := newWriter(tx)
		if err := w.claimVersion(key, versionRecord{Version: version}); err != nil {
			return err
		}
		if err := w.flush(); err != nil {
			return err
		}
		return ctx.Err()
	})
	if err != nil {
		return fmt.Errorf("bolt: delete article %s: %w", key, err)
	}
	return nil
}

// prepareQuotes validates an upload and returns its quotes as they will be
// stored: speaker ids derived, in text order.
func prepareQuotes(a quote.Article, quotes []quote.Quote) ([]quote.Quote, error) {
	if a.Key == "" || a.ID == "" {
		return nil, quote.Errorf(quote.EInvalid, "article needs a key and an id (key %q, id %q)", a.Key, a.ID)
	}
	stored := slices.Clone(quotes)
	seen := make(map[string]bool, len(stored))
	for i := range stored {
		q := &stored[i]
		if q.ID == "" {
			return nil, quote.Errorf(quote.EInvalid, "quote %d of article %s has no id", i, a.Key)
		}
		if seen[q.ID] {
			return nil, quote.Errorf(quote.EInvalid, "quote id %s occurs twice in article %s", q.ID, a.Key)
		}
		seen[q.ID] = true
		if q.Speaker.ID == "" {
			q.Speaker.ID = quote.SpeakerID(q.Speaker)
		}
	}
	slices.SortStableFunc(stored, func(x, y quote.Quote) int { return x.Start - y.Start })
	return stored, nil
}

// speakerChange accumulates what one transaction does to a speaker, so its
// record and rank are rewritten once however many quotes it touches.
type speakerChange struct {
	delta int
	// latest is the speaker as the new upload names them; nil when the
	// transaction only removes their quotes.
	latest *quote.Speaker
}

// writer applies one transaction's changes, batching count updates.
type writer struct {
	versions, articles, articleQuotes, quotes, index, postings *bbolt.Bucket
	speakers, speakerRank, speakerWords                        *bbolt.Bucket

	postingDeltas map[string]int
	speakerDeltas map[string]*speakerChange
}

func newWriter(tx *bbolt.Tx) *writer {
	return &writer{
		versions:      tx.Bucket(bucketVersions),
		articles:      tx.Bucket(bucketArticles),
		articleQuotes: tx.Bucket(bucketArticleQuotes),
		quotes:        tx.Bucket(bucketQuotes),
		index:         tx.Bucket(bucketIndex),
		postings:      tx.Bucket(bucketPostings),
		speakers:      tx.Bucket(bucketSpeakers),
		speakerRank:   tx.Bucket(bucketSpeakerRank),
		speakerWords:  tx.Bucket(bucketSpeakerWords),
		postingDeltas: map[string]int{},
		speakerDeltas: map[string]*speakerChange{},
	}
}

// claimVersion refuses an event the key has already seen one at or after,
// removes whatever an earlier upload of the key left, and records next.
func (w *writer) claimVersion(key string, next versionRecord) error {
	var prev versionRecord
	if raw := w.versions.Get([]byte(key)); raw != nil {
		if err := json.Unmarshal(raw, &prev); err != nil {
			return fmt.Errorf("decode version of %s: %w", key, err)
		}
		if quote.CompareVersions(prev.Version, next.Version) >= 0 {
			return quote.Errorf(quote.EConflict, "version %q of %s is not newer than the stored version %q", next.Version, key, prev.Version)
		}
	}
	if prev.ArticleID != "" {
		if err := w.removeArticle(prev.ArticleID); err != nil {
			return err
		}
	}
	raw, err := json.Marshal(next)
	if err != nil {
		return fmt.Errorf("encode version of %s: %w", key, err)
	}
	if err := w.versions.Put([]byte(key), raw); err != nil {
		return fmt.Errorf("record version of %s: %w", key, err)
	}
	return nil
}

func (w *writer) removeArticle(id string) error {
	raw := w.articleQuotes.Get([]byte(id))
	var ids []string
	if raw != nil {
		if err := json.Unmarshal(raw, &ids); err != nil {
			return fmt.Errorf("decode quote ids of article %s: %w", id, err)
		}
	}
	for _, qid := range ids {
		raw := w.quotes.Get([]byte(qid))
		if raw == nil {
			return fmt.Errorf("article %s lists quote %s, which is not stored", id, qid)
		}
		var q quote.Quote
		if err := json.Unmarshal(raw, &q); err != nil {
			return fmt.Errorf("decode quote %s: %w", qid, err)
		}
		pos := position(q)
		for _, p := range postingsOf(q) {
			prefix := indexPrefix(p.tag, p.value)
			if err := w.index.Delete(append(prefix, pos...)); err != nil {
				return fmt.Errorf("unindex quote %s: %w", qid, err)
			}
			w.postingDeltas[string(prefix)]--
		}
		w.speakerChange(q.Speaker.ID).delta--
		if err := w.quotes.Delete([]byte(qid)); err != nil {
			return fmt.Errorf("delete quote %s: %w", qid, err)
		}
	}
	if err := w.articleQuotes.Delete([]byte(id)); err != nil {
		return fmt.Errorf("delete quote ids of article %s: %w", id, err)
	}
	if err := w.articles.Delete([]byte(id)); err != nil {
		return fmt.Errorf("delete article %s: %w", id, err)
	}
	return nil
}

func (w *writer) putArticle(a quote.Article, qs []quote.Quote) error {
	// Another key's article under this id would lose track of its quotes.
	if w.articles.Get([]byte(a.ID)) != nil {
		return quote.Errorf(quote.EConflict, "article id %s is already stored for another key", a.ID)
	}
	ids := make([]string, len(qs))
	for i, q := range qs {
		ids[i] = q.ID
		if w.quotes.Get([]byte(q.ID)) != nil {
			return quote.Errorf(quote.EConflict, "quote id %s is already stored for another article", q.ID)
		}
		raw, err := json.Marshal(q)
		if err != nil {
			return fmt.Errorf("encode quote %s: %w", q.ID, err)
		}
		if err := w.quotes.Put([]byte(q.ID), raw); err != nil {
			return fmt.Errorf("put quote %s: %w", q.ID, err)
		}
		pos := position(q)
		for _, p := range postingsOf(q) {
			prefix := indexPrefix(p.tag, p.value)
			if err := w.index.Put(append(prefix, pos...), nil); err != nil {
				return fmt.Errorf("index quote %s: %w", q.ID, err)
			}
			w.postingDeltas[string(prefix)]++
		}
		change := w.speakerChange(q.Speaker.ID)
		change.delta++
		change.latest = &qs[i].Speaker
	}
	raw, err := json.Marshal(ids)
	if err != nil {
		return fmt.Errorf("encode quote ids of article %s: %w", a.ID, err)
	}
	if err := w.articleQuotes.Put([]byte(a.ID), raw); err != nil {
		return fmt.Errorf("put quote ids of article %s: %w", a.ID, err)
	}
	if raw, err = json.Marshal(a); err != nil {
		return fmt.Errorf("encode article %s: %w", a.ID, err)
	}
	if err := w.articles.Put([]byte(a.ID), raw); err != nil {
		return fmt.Errorf("put article %s: %w", a.ID, err)
	}
	return nil
}

func (w *writer) speakerChange(id string) *speakerChange {
	c := w.speakerDeltas[id]
	if c == nil {
		c = &speakerChange{}
		w.speakerDeltas[id] = c
	}
	return c
}

// flush writes the accumulated counts.
func (w *writer) flush() error {
	for prefix, delta := range w.postingDeltas {
		if delta == 0 {
			continue
		}
		key := []byte(prefix)
		count := int(getUint64(w.postings.Get(key))) + delta
		var err error
		switch {
		case count < 0:
			return fmt.Errorf("index count of %q would drop below zero", prefix)
		case count == 0:
			err = w.postings.Delete(key)
		default:
			err = w.postings.Put(key, putUint64(uint64(count)))
		}
		if err != nil {
			return fmt.Errorf("update index count of %q: %w", prefix, err)
		}
	}
	for id, change := range w.speakerDeltas {
		if err := w.updateSpeaker(id, change); err != nil {
			return fmt.Errorf("update speaker %s: %w", id, err)
		}
	}
	return nil
}

// updateSpeaker rewrites a speaker's record, rank and name words; a speaker
// left with no quotes is removed from all three.
func (w *writer) updateSpeaker(id string, change *speakerChange) error {
	if change.delta == 0 && change.latest == nil {
		return nil
	}
	var old store.SpeakerSummary
	if raw := w.speakers.Get([]byte(id)); raw != nil {
		if err := json.Unmarshal(raw, &old); err != nil {
			return fmt.Errorf("decode: %w", err)
		}
		if err := w.speakerRank.Delete(rankKey(id, old.QuoteCount)); err != nil {
			return fmt.Errorf("unrank: %w", err)
		}
		if err := w.setNameWords(id, old.Name, w.speakerWords.Delete); err != nil {
			return err
		}
	}
	next := store.SpeakerSummary{ID: id, Name: old.Name, Kind: old.Kind, QuoteCount: old.QuoteCount + change.delta}
	if change.latest != nil {
		next.Name, next.Kind = change.latest.Name, change.latest.Kind
	}
	switch {
	case next.QuoteCount < 0:
		return fmt.Errorf("quote count would drop below zero")
	case next.QuoteCount == 0:
		if err := w.speakers.Delete([]byte(id)); err != nil {
			return fmt.Errorf("delete: %w", err)
		}
		return nil
	}
	raw, err := json.Marshal(next)
	if err != nil {
		return fmt.Errorf("encode: %w", err)
	}
	if err := w.speakers.Put([]byte(id), raw); err != nil {
		return fmt.Errorf("put: %w", err)
	}
	if err := w.speakerRank.Put(rankKey(id, next.QuoteCount), nil); err != nil {
		return fmt.Errorf("rank: %w", err)
	}
	return w.setNameWords(id, next.Name, func(key []byte) error { return w.speakerWords.Put(key, nil) })
}

func (w *writer) setNameWords(id, name string, apply func(key []byte) error) error {
	for _, word := range quote.Words(name) {
		if err := apply(speakerWordKey(word, id)); err != nil {
			return fmt.Errorf("name word %q: %w", word, err)
		}
	}
	return nil
}
