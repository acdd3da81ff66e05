package bolt

import (
	"bytes"
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
	if err := store.ValidateArticle(a, quotes); err != nil {
		return err
	}
	// Everything that does not read the file is worked out before the
	// transaction, which writes one upload at a time.
	p, err := prepareArticle(a, prepareQuotes(quotes))
	if err != nil {
		return fmt.Errorf("bolt: put article %s: %w", a.Key, err)
	}
	// Concurrent uploads share one commit (one fsync) instead of
	// queueing for a transaction each. The function depends on the
	// transaction and its arguments only, so it may run again.
	err = db.update(func(tx *bbolt.Tx) error {
		w := newWriter(tx)
		if err := w.claimVersion(a.Key, versionRecord{Version: a.Version, ArticleID: a.ID}); err != nil {
			return err
		}
		if err := w.putArticle(p); err != nil {
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
	if err := store.ValidateDeletion(key, version); err != nil {
		return err
	}
	err := db.update(func(tx *bbolt.Tx) error {
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

// prepareQuotes returns an upload's quotes as they will be stored: speaker
// ids derived, in text order.
func prepareQuotes(quotes []quote.Quote) []quote.Quote {
	stored := slices.Clone(quotes)
	for i := range stored {
		q := &stored[i]
		if q.Speaker.ID == "" {
			q.Speaker.ID = quote.SpeakerID(q.Speaker)
		}
	}
	slices.SortStableFunc(stored, func(x, y quote.Quote) int { return x.Start - y.Start })
	return stored
}

// speakerChange accumulates what one transaction does to a speaker, so its
// record and rank are rewritten once however many quotes it touches.
type speakerChange struct {
	delta int
	// latest is the speaker as the new upload names them; nil when the
	// transaction only removes their quotes.
	latest *quote.Speaker
	// counted are the quotes whose names are counted in (+1) or out
	// (-1) of the speaker's history.
	counted []countedSpeaker
}

type countedSpeaker struct {
	speaker quote.Speaker
	delta   int
}

// topicChange accumulates what one transaction does to a topic.
type topicChange struct {
	delta int
	// form is the topic as the new upload tags it; "" when the transaction
	// only removes its quotes.
	form string
}

// writer applies one transaction's changes, batching count updates.
type writer struct {
	versions, articles, articleQuotes, quotes, index, postings *bbolt.Bucket
	speakers, speakerRank, speakerWords, speakerHistory        *bbolt.Bucket
	topics, topicRank, topicWords                              *bbolt.Bucket
	conflicts, conflictDates, quoteConflicts                   *bbolt.Bucket
	fingerprints, quoteJSON                                    *bbolt.Bucket

	postingDeltas map[string]int
	speakerDeltas map[string]*speakerChange
	topicDeltas   map[string]*topicChange

	// rebuild rewrites every derived key flush touches, for an upgrade
	// that fills buckets a file lacked, rather than only what changed.
	rebuild bool
}

func newWriter(tx *bbolt.Tx) *writer {
	return &writer{
		versions:       tx.Bucket(bucketVersions),
		articles:       tx.Bucket(bucketArticles),
		articleQuotes:  tx.Bucket(bucketArticleQuotes),
		quotes:         tx.Bucket(bucketQuotes),
		index:          tx.Bucket(bucketIndex),
		postings:       tx.Bucket(bucketPostings),
		speakers:       tx.Bucket(bucketSpeakers),
		speakerRank:    tx.Bucket(bucketSpeakerRank),
		speakerWords:   tx.Bucket(bucketSpeakerWords),
		speakerHistory: tx.Bucket(bucketSpeakerHistory),
		topics:         tx.Bucket(bucketTopics),
		topicRank:      tx.Bucket(bucketTopicRank),
		topicWords:     tx.Bucket(bucketTopicWords),
		conflicts:      tx.Bucket(bucketConflicts),
		conflictDates:  tx.Bucket(bucketConflictDates),
		quoteConflicts: tx.Bucket(bucketQuoteConflicts),
		fingerprints:   tx.Bucket(bucketFingerprints),
		quoteJSON:      tx.Bucket(bucketQuoteJSON),
		postingDeltas:  map[string]int{},
		speakerDeltas:  map[string]*speakerChange{},
		topicDeltas:    map[string]*topicChange{},
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
	var postings [][]byte
	removed := make([]quote.Quote, 0, len(ids))
	for _, qid := range ids {
		raw := w.quotes.Get([]byte(qid))
		if raw == nil {
			return fmt.Errorf("article %s lists quote %s, which is not stored", id, qid)
		}
		var q quote.Quote
		if err := json.Unmarshal(raw, &q); err != nil {
			return fmt.Errorf("decode quote %s: %w", qid, err)
		}
		removed = append(removed, q)
		pos := position(q)
		for _, p := range postingsOf(q) {
			prefix := indexPrefix(p.tag, p.value)
			postings = append(postings, append(prefix, pos...))
			w.postingDeltas[string(prefix)]--
			if p.tag == tagTopic {
				w.topicChange(p.value).delta--
			}
		}
		change := w.speakerChange(q.Speaker.ID)
		change.delta--
		change.counted = append(change.counted, countedSpeaker{q.Speaker, -1})
		if err := w.removeConflicts(qid); err != nil {
			return err
		}
		if err := w.quotes.Delete([]byte(qid)); err != nil {
			return fmt.Errorf("delete quote %s: %w", qid, err)
		}
		if err := deleteQuoteJSON(w.quotes.Tx(), qid); err != nil {
			return err
		}
	}
	// Deleting from the last key down shifts fewer entries (see putArticle).
	slices.SortFunc(postings, func(a, b []byte) int { return bytes.Compare(b, a) })
	for _, key := range postings {
		if err := w.index.Delete(key); err != nil {
			return fmt.Errorf("unindex quotes of article %s: %w", id, err)
		}
	}
	if err := deleteFingerprints(w.fingerprints, removed); err != nil {
		return err
	}
	if err := w.articleQuotes.Delete([]byte(id)); err != nil {
		return fmt.Errorf("delete quote ids of article %s: %w", id, err)
	}
	if err := w.articles.Delete([]byte(id)); err != nil {
		return fmt.Errorf("delete article %s: %w", id, err)
	}
	return nil
}

// preparedArticle is an upload as PutArticle writes it, encoded and its
// keys sorted before the transaction: puts in key order append to a node
// instead of shifting its entries (bbolt shifts them on every insert
// before the last, until the transaction commits), which keeps an article
// with thousands of quotes linear rather than quadratic. It is only read
// in the transaction, which may run more than once.
type preparedArticle struct {
	id, key      []byte
	article, ids []byte
	quotes       []quote.Quote
	// encoded are the quotes' JSON and apiForms their API form
	// (store.EncodeStoredQuote), both in key order.
	encoded, apiForms []keyValue
	// index and fingerprints are the quotes' keys in those buckets, sorted.
	index, fingerprints [][]byte
	// postings counts the index keys added under each prefix; topics the
	// quotes added under each folded topic.
	postings map[string]int
	topics   map[string]int
}

func prepareArticle(a quote.Article, qs []quote.Quote) (*preparedArticle, error) {
	p := &preparedArticle{
		id:       []byte(a.ID),
		key:      []byte(a.Key),
		quotes:   qs,
		encoded:  make([]keyValue, 0, len(qs)),
		apiForms: make([]keyValue, 0, len(qs)),
		postings: map[string]int{},
		topics:   map[string]int{},
	}
	ids := make([]string, len(qs))
	for i, q := range qs {
		ids[i] = q.ID
		raw, err := json.Marshal(q)
		if err != nil {
			return nil, fmt.Errorf("encode quote %s: %w", q.ID, err)
		}
		p.encoded = append(p.encoded, keyValue{key: []byte(q.ID), value: raw})
		if raw, err = store.EncodeStoredQuote(q); err != nil {
			return nil, err
		}
		p.apiForms = append(p.apiForms, keyValue{key: []byte(q.ID), value: raw})
		pos := position(q)
		for _, ps := range postingsOf(q) {
			prefix := indexPrefix(ps.tag, ps.value)
			p.index = append(p.index, append(prefix, pos...))
			p.postings[string(prefix)]++
			if ps.tag == tagTopic {
				p.topics[ps.value]++
			}
		}
		p.fingerprints = append(p.fingerprints, fingerprintKeys(q)...)
	}
	byKey := func(a, b keyValue) int { return bytes.Compare(a.key, b.key) }
	slices.SortFunc(p.encoded, byKey)
	slices.SortFunc(p.apiForms, byKey)
	slices.SortFunc(p.index, bytes.Compare)
	slices.SortFunc(p.fingerprints, bytes.Compare)
	var err error
	if p.ids, err = json.Marshal(ids); err != nil {
		return nil, fmt.Errorf("encode quote ids of article %s: %w", a.ID, err)
	}
	if p.article, err = json.Marshal(a); err != nil {
		return nil, fmt.Errorf("encode article %s: %w", a.ID, err)
	}
	return p, nil
}

func (w *writer) putArticle(p *preparedArticle) error {
	// Another key's article under this id would lose track of its quotes.
	if w.articles.Get(p.id) != nil {
		return quote.Errorf(quote.EConflict, "article id %s is already stored for another key", p.id)
	}
	for _, kv := range p.encoded {
		if w.quotes.Get(kv.key) != nil {
			return quote.Errorf(quote.EConflict, "quote id %s is already stored for another article", kv.key)
		}
	}
	for prefix, n := range p.postings {
		w.postingDeltas[prefix] += n
	}
	for folded, n := range p.topics {
		w.topicChange(folded).delta += n
	}
	for i, q := range p.quotes {
		change := w.speakerChange(q.Speaker.ID)
		change.delta++
		change.latest = &p.quotes[i].Speaker
		w.noteSeen(q)
	}
	puts := []struct {
		bucket *bbolt.Bucket
		kvs    []keyValue
		what   string
	}{
		{w.quotes, p.encoded, "quote"},
		{w.quoteJSON, p.apiForms, "API form of quote"},
	}
	for _, b := range puts {
		for _, kv := range b.kvs {
			if err := b.bucket.Put(kv.key, kv.value); err != nil {
				return fmt.Errorf("put %s %s: %w", b.what, kv.key, err)
			}
		}
	}
	for _, key := range p.index {
		if err := w.index.Put(key, nil); err != nil {
			return fmt.Errorf("index quotes of article %s: %w", p.id, err)
		}
	}
	for _, key := range p.fingerprints {
		if err := w.fingerprints.Put(key, nil); err != nil {
			return fmt.Errorf("fingerprint quote %s: %w", key[fingerprintLen:], err)
		}
	}
	if err := w.articleQuotes.Put(p.id, p.ids); err != nil {
		return fmt.Errorf("put quote ids of article %s: %w", p.id, err)
	}
	if err := w.articles.Put(p.id, p.article); err != nil {
		return fmt.Errorf("put article %s: %w", p.id, err)
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

func (w *writer) topicChange(folded string) *topicChange {
	c := w.topicDeltas[folded]
	if c == nil {
		c = &topicChange{}
		w.topicDeltas[folded] = c
	}
	return c
}

// noteSeen records what a stored quote tells of its speaker and the forms
// of its topics; counts are kept by the index loops.
func (w *writer) noteSeen(q quote.Quote) {
	change := w.speakerChange(q.Speaker.ID)
	change.counted = append(change.counted, countedSpeaker{q.Speaker, 1})
	for _, t := range q.Topics {
		if folded := quote.Fold(t); folded != "" {
			w.topicChange(folded).form = t
		}
	}
}

// flush writes the accumulated counts.
func (w *writer) flush() error {
	// Topics go first: their old rank is read from the postings counts
	// before those change.
	for folded, change := range w.topicDeltas {
		if err := w.updateTopic(folded, change); err != nil {
			return fmt.Errorf("update topic %q: %w", folded, err)
		}
	}
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
		if len(change.counted) == 0 {
			continue
		}
		if err := w.updateHistory(id, change.counted); err != nil {
			return fmt.Errorf("update history of speaker %s: %w", id, err)
		}
	}
	return nil
}

// updateHistory counts the names of the quotes added and removed in and
// out of the speaker's history, removing it with their last quote.
// Additions go first, so a re-upload keeping a name keeps its place.
func (w *writer) updateHistory(id string, counted []countedSpeaker) error {
	var h speakerHistory
	if raw := w.speakerHistory.Get([]byte(id)); raw != nil {
		if err := json.Unmarshal(raw, &h); err != nil {
			return fmt.Errorf("decode: %w", err)
		}
	}
	for _, c := range counted {
		if c.delta > 0 {
			h.apply(c.speaker, c.delta)
		}
	}
	for _, c := range counted {
		if c.delta < 0 {
			h.apply(c.speaker, c.delta)
		}
	}
	if w.speakers.Get([]byte(id)) == nil {
		return w.speakerHistory.Delete([]byte(id))
	}
	raw, err := json.Marshal(h)
	if err != nil {
		return fmt.Errorf("encode: %w", err)
	}
	return w.speakerHistory.Put([]byte(id), raw)
}

// updateTopic rewrites a topic's form, rank and words from its postings
// count; a topic left with no quotes is removed from all three.
func (w *writer) updateTopic(folded string, change *topicChange) error {
	if change.delta == 0 && change.form == "" {
		return nil
	}
	old := int(getUint64(w.postings.Get(indexPrefix(tagTopic, folded))))
	if old > 0 {
		if err := w.topicRank.Delete(rankKey(folded, old)); err != nil {
			return fmt.Errorf("unrank: %w", err)
		}
	}
	next := old + change.delta
	switch {
	case next < 0:
		return fmt.Errorf("quote count would drop below zero")
	case next == 0:
		if err := w.topics.Delete([]byte(folded)); err != nil {
			return fmt.Errorf("delete: %w", err)
		}
		return w.setTopicWords(folded, w.topicWords.Delete)
	}
	// A put dirties its page even when it changes nothing: what is
	// unchanged is left alone.
	stored := w.topics.Get([]byte(folded))
	if change.form != "" && string(stored) != change.form {
		if err := w.topics.Put([]byte(folded), []byte(change.form)); err != nil {
			return fmt.Errorf("put: %w", err)
		}
	} else if stored == nil {
		return fmt.Errorf("topic has quotes but no stored form")
	}
	if err := w.topicRank.Put(rankKey(folded, next), nil); err != nil {
		return fmt.Errorf("rank: %w", err)
	}
	if old > 0 && !w.rebuild {
		// Its words were indexed with its first quote.
		return nil
	}
	return w.setTopicWords(folded, func(key []byte) error { return w.topicWords.Put(key, nil) })
}

func (w *writer) setTopicWords(folded string, apply func(key []byte) error) error {
	for _, word := range quote.Words(folded) {
		if err := apply(wordKey(word, folded)); err != nil {
			return fmt.Errorf("word %q: %w", word, err)
		}
	}
	return nil
}

// addConflict stores c once under its sorted pair, unless it is stored
// already or one of its quotes is not (replaced since it was detected).
func (w *writer) addConflict(c store.Conflict) error {
	a, b := c.QuoteIDs[0], c.QuoteIDs[1]
	if b < a {
		a, b = b, a
	}
	pair := pairKey(a, b)
	if w.conflicts.Get(pair) != nil || w.quotes.Get([]byte(a)) == nil || w.quotes.Get([]byte(b)) == nil {
		return nil
	}
	c.QuoteIDs = [2]string{a, b}
	raw, err := json.Marshal(c)
	if err != nil {
		return fmt.Errorf("encode conflict %s~%s: %w", a, b, err)
	}
	puts := []struct {
		bucket   *bbolt.Bucket
		key, val []byte
	}{
		{w.conflicts, pair, raw},
		{w.conflictDates, conflictDateKey(c.Detected, pair), nil},
		{w.quoteConflicts, append(quoteConflictPrefix(a), pair...), nil},
		{w.quoteConflicts, append(quoteConflictPrefix(b), pair...), nil},
	}
	for _, p := range puts {
		if err := p.bucket.Put(p.key, p.val); err != nil {
			return fmt.Errorf("put conflict %s~%s: %w", a, b, err)
		}
	}
	return nil
}

// removeConflicts deletes every conflict quote id is part of: a conflict
// lives only as long as both its quotes.
func (w *writer) removeConflicts(id string) error {
	prefix := quoteConflictPrefix(id)
	var pairs [][]byte
	c := w.quoteConflicts.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		pairs = append(pairs, slices.Clone(k[len(prefix):]))
	}
	for _, pair := range pairs {
		var stored store.Conflict
		raw := w.conflicts.Get(pair)
		if raw == nil {
			return fmt.Errorf("quote %s lists conflict %q, which is not stored", id, pair)
		}
		if err := json.Unmarshal(raw, &stored); err != nil {
			return fmt.Errorf("decode conflict %q: %w", pair, err)
		}
		deletes := []struct {
			bucket *bbolt.Bucket
			key    []byte
		}{
			{w.conflicts, pair},
			{w.conflictDates, conflictDateKey(stored.Detected, pair)},
			{w.quoteConflicts, append(quoteConflictPrefix(stored.QuoteIDs[0]), pair...)},
			{w.quoteConflicts, append(quoteConflictPrefix(stored.QuoteIDs[1]), pair...)},
		}
		for _, d := range deletes {
			if err := d.bucket.Delete(d.key); err != nil {
				return fmt.Errorf("delete conflict %q: %w", pair, err)
			}
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
	raw := w.speakers.Get([]byte(id))
	if raw != nil {
		if err := json.Unmarshal(raw, &old); err != nil {
			return fmt.Errorf("decode: %w", err)
		}
	}
	next := store.SpeakerSummary{ID: id, Name: old.Name, Kind: old.Kind, QuoteCount: old.QuoteCount + change.delta}
	if change.latest != nil {
		next.Name, next.Kind = change.latest.Name, change.latest.Kind
	}
	if next.QuoteCount < 0 {
		return fmt.Errorf("quote count would drop below zero")
	}
	// A put dirties its page even when it changes nothing: the rank and
	// the name words are rewritten only when they change.
	renamed := raw == nil || next.Name != old.Name || next.QuoteCount == 0 || w.rebuild
	if raw != nil {
		if next.QuoteCount != old.QuoteCount {
			if err := w.speakerRank.Delete(rankKey(id, old.QuoteCount)); err != nil {
				return fmt.Errorf("unrank: %w", err)
			}
		}
		if renamed {
			if err := w.setNameWords(id, old.Name, w.speakerWords.Delete); err != nil {
				return err
			}
		}
	}
	if next.QuoteCount == 0 {
		if err := w.speakers.Delete([]byte(id)); err != nil {
			return fmt.Errorf("delete: %w", err)
		}
		return nil
	}
	encoded, err := json.Marshal(next)
	if err != nil {
		return fmt.Errorf("encode: %w", err)
	}
	if !bytes.Equal(encoded, raw) {
		if err := w.speakers.Put([]byte(id), encoded); err != nil {
			return fmt.Errorf("put: %w", err)
		}
	}
	if raw == nil || next.QuoteCount != old.QuoteCount {
		if err := w.speakerRank.Put(rankKey(id, next.QuoteCount), nil); err != nil {
			return fmt.Errorf("rank: %w", err)
		}
	}
	if !renamed {
		return nil
	}
	return w.setNameWords(id, next.Name, func(key []byte) error { return w.speakerWords.Put(key, nil) })
}

func (w *writer) setNameWords(id, name string, apply func(key []byte) error) error {
	for _, word := range quote.Words(name) {
		if err := apply(wordKey(word, id)); err != nil {
			return fmt.Errorf("name word %q: %w", word, err)
		}
	}
	return nil
}

type keyValue struct{ key, value []byte }
