package bolt

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"slices"

	bbolt "go.etcd.io/bbolt"

	"github.com/newsroom-tools/quotes/internal/quote"
	"github.com/newsroom-tools/quotes/internal/store"
)

// bucketFingerprints holds the near-duplicate index: fingerprint (uint64
// big-endian) · quote id → "", one key per store.QuoteFingerprints of each
// stored quote. Within a fingerprint the keys are in quote id order, so a
// lookup merges its fingerprints' runs side by side instead of collecting
// them.
var bucketFingerprints = []byte("fingerprints")

const fingerprintLen = 8

func fingerprintKey(fp uint64, quoteID string) []byte {
	b := make([]byte, 0, fingerprintLen+len(quoteID))
	b = binary.BigEndian.AppendUint64(b, fp)
	return append(b, quoteID...)
}

// fingerprintKeys are the fingerprint keys of one stored quote.
func fingerprintKeys(q quote.Quote) [][]byte {
	fps := store.QuoteFingerprints(q.Text)
	keys := make([][]byte, len(fps))
	for i, fp := range fps {
		keys[i] = fingerprintKey(fp, q.ID)
	}
	return keys
}

// putFingerprints indexes quotes under their fingerprints, in key order
// (bbolt appends rather than shifts keys put in order).
func putFingerprints(b *bbolt.Bucket, quotes []quote.Quote) error {
	var keys [][]byte
	for _, q := range quotes {
		keys = append(keys, fingerprintKeys(q)...)
	}
	slices.SortFunc(keys, bytes.Compare)
	for _, k := range keys {
		if err := b.Put(k, nil); err != nil {
			return fmt.Errorf("fingerprint quote %s: %w", k[fingerprintLen:], err)
		}
	}
	return nil
}

// deleteFingerprints removes what putFingerprints wrote for quotes, from
// the last key down (fewer entries shift).
func deleteFingerprints(b *bbolt.Bucket, quotes []quote.Quote) error {
	var keys [][]byte
	for _, q := range quotes {
		keys = append(keys, fingerprintKeys(q)...)
	}
	slices.SortFunc(keys, func(x, y []byte) int { return bytes.Compare(y, x) })
	for _, k := range keys {
		if err := b.Delete(k); err != nil {
			return fmt.Errorf("unfingerprint quote %s: %w", k[fingerprintLen:], err)
		}
	}
	return nil
}

// fingerprintRun is one fingerprint's entries as a lookup walks them.
type fingerprintRun struct {
	cursor *bbolt.Cursor
	prefix [fingerprintLen]byte
	// id is the quote id of the current entry (bbolt's memory, valid in
	// the transaction); nil once the run is over or MaxFingerprintEntries
	// were read.
	id   []byte
	read int
}

func (r *fingerprintRun) set(k []byte) {
	if k == nil || !bytes.HasPrefix(k, r.prefix[:]) || r.read >= store.MaxFingerprintEntries {
		r.id = nil
		return
	}
	r.read++
	r.id = k[fingerprintLen:]
}

// sharing is a candidate of a lookup: its quote id (bbolt's memory) and how
// many of the asked fingerprints it has.
type sharing struct {
	id     []byte
	shared int
}

// SimilarQuotes implements store.Similar: one read transaction, one cursor
// per fingerprint, merged in quote id order so that counting needs no map;
// only the quotes returned are decoded.
func (db *DB) SimilarQuotes(ctx context.Context, fps []uint64, limit int) ([]quote.Quote, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("bolt: similar quotes: %w", err)
	}
	if err := store.ValidateSimilar(fps, limit); err != nil {
		return nil, err
	}
	out := []quote.Quote{}
	err := db.bolt.View(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bucketFingerprints)
		runs := make([]fingerprintRun, len(fps))
		for i, fp := range fps {
			r := &runs[i]
			r.cursor = b.Cursor()
			binary.BigEndian.PutUint64(r.prefix[:], fp)
			k, _ := r.cursor.Seek(r.prefix[:])
			r.set(k)
		}
		best := make([]sharing, 0, limit+1)
		for {
			var next []byte
			for i := range runs {
				if id := runs[i].id; id != nil && (next == nil || bytes.Compare(id, next) < 0) {
					next = id
				}
			}
			if next == nil {
				break
			}
			c := sharing{id: next}
			for i := range runs {
				r := &runs[i]
				// Duplicate fingerprints in fps are distinct runs over the
				// same keys: each counts, as the caller asked for each.
				if r.id != nil && bytes.Equal(r.id, c.id) {
					c.shared++
					k, _ := r.cursor.Next()
					r.set(k)
				}
			}
			best = keepBest(best, c, limit)
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		quotes := tx.Bucket(bucketQuotes)
		out = make([]quote.Quote, 0, len(best))
		for _, c := range best {
			raw := quotes.Get(c.id)
			if raw == nil {
				return fmt.Errorf("fingerprint entry for quote %s, which is not stored", c.id)
			}
			var q quote.Quote
			if err := json.Unmarshal(raw, &q); err != nil {
				return fmt.Errorf("decode quote %s: %w", c.id, err)
			}
			out = append(out, q)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("bolt: similar quotes: %w", err)
	}
	return out, nil
}

// keepBest inserts c into best (most shared first; candidates come in id
// order, so among equals the earlier stays first) and keeps limit of them.
func keepBest(best []sharing, c sharing, limit int) []sharing {
	at := len(best)
	for at > 0 && best[at-1].shared < c.shared {
		at--
	}
	if at >= limit {
		return best
	}
	best = slices.Insert(best, at, c)
	return best[:min(len(best), limit)]
}
