// Package bolt is the embedded store.Store and store.Insights on
// go.etcd.io/bbolt: one file, used by `quotes serve` for local runs and by
// other packages' tests.
//
// Every PutArticle, DeleteArticle and AddConflicts is one read-write
// transaction, so a reader (whose transaction is a consistent snapshot) sees
// an article and its quotes entirely before or entirely after a replace,
// never a conflict whose quote is gone, and every count below is exact.
//
// Layout 4 (top-level buckets; see LAYOUT.md for the reasoning; Open
// upgrades a layout 1 file, which lacks the history, topic and conflict
// buckets, and a layout 2 file, whose histories only grew, by deriving
// them from its quotes, and a layout 3 file, which lacks quote_json and
// the fingerprints and keeps stopword postings):
//
//	meta            "layout" → "4"; "cursor-key" → 32 random bytes (when
//	                Options.CursorKey is empty, so cursors survive restarts)
//	versions        object key → JSON {version, article_id}; kept after a
//	                delete (article_id empty) as the tombstone that refuses
//	                older uploads
//	articles        article id → JSON quote.Article, Text included
//	article_quotes  article id → JSON array of its quote ids, in text order
//	quotes          quote id → JSON quote.Quote
//	quote_json      quote id → the quote as the API serves it
//	                (store.EncodeStoredQuote)
//	index           tag · uvarint(len(value)) · value · date · quote id → ""
//	                tags: 's' speaker id, 't' folded topic, 'w' word of the
//	                text (quote.Words), 'k' speaker kind; date is 12 bytes
//	                (unix seconds with the sign bit flipped, then nanoseconds,
//	                big-endian) so iterating backwards gives newest first
//	postings        tag · uvarint(len(value)) · value → uint64 count of index
//	                entries under that prefix; picks the most selective index
//	speakers        speaker id → JSON store.SpeakerSummary, only while its
//	                quote count is above zero
//	speaker_rank    (MaxUint64 − quote count) · speaker id → ""; forward
//	                iteration lists the most quoted first
//	speaker_words   word of the speaker's name · 0x00 · speaker id → "";
//	                prefix search ("ker" finds John Kerry)
//	speaker_history speaker id → JSON {aliases, roles, alias_counts,
//	                role_counts}: the names the speaker's current quotes give
//	                them, in the order first seen, with how many give each;
//	                removed with their last quote. First and last seen are
//	                the ends of the speaker's 's' index prefix
//	topics          folded topic → the topic as last tagged, only while
//	                some quote has it; its count is the postings count of
//	                its 't' prefix
//	topic_rank      (MaxUint64 − quote count) · folded topic → ""
//	topic_words     word of the topic · 0x00 · folded topic → ""
//	conflicts       pair → JSON store.Conflict as first recorded; the pair
//	                is uvarint(len(a)) · a · b with the quote ids sorted, so
//	                either order finds it
//	conflict_dates  date detected · pair → ""; backwards is newest first
//	quote_conflicts uvarint(len(id)) · id · pair → "", for both quotes of a
//	                pair; removing a quote removes its conflicts through it
//	fingerprints    fingerprint (uint64 BE) · quote id → "", for each of
//	                store.QuoteFingerprints of every quote: the
//	                near-duplicate index SimilarQuotes reads
//
// A query walks the index prefix with the fewest postings backwards and
// probes the other prefixes at the same date · quote id, so only returned
// quotes are decoded. A cursor's position is that date · quote id suffix of
// the last key returned, so paging continues correctly whichever index the
// next page picks.
package bolt

import (
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	bbolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"

	"github.com/newsroom-tools/quotes/internal/store"
)

// DefaultLockTimeout is how long Open waits for another process to release
// the file when Options.Timeout is zero. bbolt itself would wait forever,
// which turns a second `quotes serve` on the same directory into a silent
// hang.
const DefaultLockTimeout = 2 * time.Second

// layoutVersion names the bucket and key layout described above; Open
// upgrades files written with layouts 1 to 3 and refuses any other, so
// that a build that does not maintain quote_json and the fingerprints
// never writes to a file whose quote_json or fingerprints it would leave
// stale.
const layoutVersion = "4"

var (
	bucketMeta           = []byte("meta")
	bucketVersions       = []byte("versions")
	bucketArticles       = []byte("articles")
	bucketArticleQuotes  = []byte("article_quotes")
	bucketQuotes         = []byte("quotes")
	bucketIndex          = []byte("index")
	bucketPostings       = []byte("postings")
	bucketSpeakers       = []byte("speakers")
	bucketSpeakerRank    = []byte("speaker_rank")
	bucketSpeakerWords   = []byte("speaker_words")
	bucketSpeakerHistory = []byte("speaker_history")
	bucketTopics         = []byte("topics")
	bucketTopicRank      = []byte("topic_rank")
	bucketTopicWords     = []byte("topic_words")
	bucketConflicts      = []byte("conflicts")
	bucketConflictDates  = []byte("conflict_dates")
	bucketQuoteConflicts = []byte("quote_conflicts")

	allBuckets = [][]byte{
		bucketMeta, bucketVersions, bucketArticles, bucketArticleQuotes, bucketQuotes,
		bucketIndex, bucketPostings, bucketSpeakers, bucketSpeakerRank, bucketSpeakerWords,
		bucketSpeakerHistory, bucketTopics, bucketTopicRank, bucketTopicWords,
		bucketConflicts, bucketConflictDates, bucketQuoteConflicts, bucketFingerprints,
	}

	metaLayout    = []byte("layout")
	metaCursorKey = []byte("cursor-key")
)

// Options configures Open.
type Options struct {
	// CursorKey signs query cursors. When empty, a random key is generated
	// on the first Open and kept in the file.
	CursorKey []byte
	// Timeout bounds the wait for the file lock; zero means
	// DefaultLockTimeout.
	Timeout time.Duration
	// BulkLoad tunes the file for loading many articles at once from many
	// goroutines (infra/bench/scale): writes are not synced to disk, and
	// up to BulkLoad concurrent writes share one transaction, gathered for
	// up to a second. A crash during such a load may leave the file
	// unusable; zero, the default, keeps every write durable.
	BulkLoad int
}

// DB is the embedded store. It is safe for concurrent use.
type DB struct {
	bolt    *bbolt.DB
	path    string
	cursors store.Cursors
	group   groupCommit
	// bulk is set with Options.BulkLoad: writes go through bbolt's Batch,
	// up to BulkLoad of them gathered for up to a second.
	bulk bool
}

var _ store.Store = (*DB)(nil)

// Open opens (creating if needed) the store in the file at path, creating
// its directory too.
func Open(path string, opts Options) (*DB, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, fmt.Errorf("bolt: open %s: %w", path, err)
	}
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = DefaultLockTimeout
	}
	bdb, err := bbolt.Open(path, 0o600, &bbolt.Options{Timeout: timeout, NoSync: opts.BulkLoad > 0, NoFreelistSync: opts.BulkLoad > 0})
	if errors.Is(err, bolterrors.ErrTimeout) {
		return nil, fmt.Errorf("bolt: open %s: the file is locked by another open store (another process, or this one); gave up after %s: %w", path, timeout, err)
	}
	if err != nil {
		return nil, fmt.Errorf("bolt: open %s: %w", path, err)
	}
	key := opts.CursorKey
	err = bdb.Update(func(tx *bbolt.Tx) error {
		for _, name := range allBuckets {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return fmt.Errorf("create bucket %s: %w", name, err)
			}
		}
		if err := ensureQuoteJSON(tx); err != nil {
			return err
		}
		meta := tx.Bucket(bucketMeta)
		switch layout := meta.Get(metaLayout); {
		case layout == nil:
			if err := meta.Put(metaLayout, []byte(layoutVersion)); err != nil {
				return fmt.Errorf("record layout: %w", err)
			}
		case string(layout) == "1" || string(layout) == "2" || string(layout) == "3":
			upgrade := upgradeFromLayout3
			switch string(layout) {
			case "1":
				upgrade = upgradeFromLayout1
			case "2":
				upgrade = upgradeFromLayout2
			}
			if err := upgrade(tx); err != nil {
				return fmt.Errorf("upgrade from layout %s: %w", layout, err)
			}
			if err := meta.Put(metaLayout, []byte(layoutVersion)); err != nil {
				return fmt.Errorf("record layout: %w", err)
			}
		case string(layout) == "3":
			// Layout 4 only adds quote_json, filled above.
			if err := meta.Put(metaLayout, []byte(layoutVersion)); err != nil {
				return fmt.Errorf("record layout: %w", err)
			}
		case string(layout) != layoutVersion:
			return fmt.Errorf("file has layout %q, this build reads %q", layout, layoutVersion)
		}
		if len(key) > 0 {
			return nil
		}
		if stored := meta.Get(metaCursorKey); stored != nil {
			key = append([]byte(nil), stored...)
			return nil
		}
		key = make([]byte, 32)
		if _, err := rand.Read(key); err != nil {
			return fmt.Errorf("generate cursor key: %w", err)
		}
		if err := meta.Put(metaCursorKey, key); err != nil {
			return fmt.Errorf("record cursor key: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, errors.Join(fmt.Errorf("bolt: open %s: %w", path, err), bdb.Close())
	}
	db := &DB{bolt: bdb, path: path, cursors: store.NewCursors(key)}
	if opts.BulkLoad > 0 {
		bdb.MaxBatchSize, bdb.MaxBatchDelay = opts.BulkLoad, time.Second
		db.bulk = true
	}
	return db, nil
}

// update runs a write in a read-write transaction shared with the
// concurrent ones (see groupCommit; bbolt's Batch with BulkLoad), and
// returns once it is committed. fn may run more than once.
func (db *DB) update(fn func(*bbolt.Tx) error) error {
	if db.bulk {
		return db.bolt.Batch(fn)
	}
	return db.group.update(db.bolt, fn)
}

// Close releases the file and its lock.
func (db *DB) Close() error {
	if err := db.bolt.Close(); err != nil {
		return fmt.Errorf("bolt: close %s: %w", db.path, err)
	}
	return nil
}
