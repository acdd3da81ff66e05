package bolt

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"slices"

	bbolt "go.etcd.io/bbolt"

	"github.com/newsroom-tools/quotes/internal/quote"
	"github.com/newsroom-tools/quotes/internal/store"
)

// upgradeFromLayout2 rebuilds the speaker histories, which layout 2 kept
// as ever-growing unions with dates, as layouts 3 and 4 keep them: the names of
// the current quotes, counted.
func upgradeFromLayout2(tx *bbolt.Tx) error {
	if err := tx.DeleteBucket(bucketSpeakerHistory); err != nil {
		return fmt.Errorf("drop speaker histories: %w", err)
	}
	if _, err := tx.CreateBucket(bucketSpeakerHistory); err != nil {
		return fmt.Errorf("create speaker histories: %w", err)
	}
	return upgradeFromLayout1(tx)
}

// upgradeFromLayout1 derives what layout 2 added from the quotes a layout 1
// file holds: topic forms, ranks and words, and speaker histories as the
// quotes stored tell. Conflicts start empty: layout 1 had none.
func upgradeFromLayout1(tx *bbolt.Tx) error {
	qs, err := storedQuotes(tx)
	if err != nil {
		return err
	}
	// Oldest first, so that aliases and roles come in the order first seen.
	slices.SortFunc(qs, func(a, b quote.Quote) int {
		return cmp.Or(a.Date.Compare(b.Date), cmp.Compare(a.Article.ID, b.Article.ID), cmp.Compare(a.Start, b.Start))
	})
	w := newWriter(tx)
	w.rebuild = true
	for _, q := range qs {
		w.noteSeen(q)
	}
	if err := w.flush(); err != nil {
		return err
	}
	return upgradeFromLayout3(tx)
}

// upgradeFromLayout3 fingerprints the stored quotes and drops the postings
// of stopwords, which layout 3 kept.
func upgradeFromLayout3(tx *bbolt.Tx) error {
	index, postings := tx.Bucket(bucketIndex), tx.Bucket(bucketPostings)
	for _, w := range store.Stopwords() {
		prefix := indexPrefix(tagWord, w)
		var keys [][]byte
		c := index.Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			keys = append(keys, slices.Clone(k))
		}
		for _, k := range keys {
			if err := index.Delete(k); err != nil {
				return fmt.Errorf("drop postings of %q: %w", w, err)
			}
		}
		if err := postings.Delete(prefix); err != nil {
			return fmt.Errorf("drop postings count of %q: %w", w, err)
		}
	}
	qs, err := storedQuotes(tx)
	if err != nil {
		return err
	}
	return putFingerprints(tx.Bucket(bucketFingerprints), qs)
}

// storedQuotes decodes every quote the file holds, in id order, for an
// upgrade that derives something new from them all.
func storedQuotes(tx *bbolt.Tx) ([]quote.Quote, error) {
	var qs []quote.Quote
	err := tx.Bucket(bucketQuotes).ForEach(func(id, raw []byte) error {
		var q quote.Quote
		if err := json.Unmarshal(raw, &q); err != nil {
			return fmt.Errorf("decode quote %s: %w", id, err)
		}
		qs = append(qs, q)
		return nil
	})
	return qs, err
}
