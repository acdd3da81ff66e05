package bolt

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"

	bbolt "go.etcd.io/bbolt"

	"github.com/newsroom-tools/quotes/internal/quote"
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
	var qs []quote.Quote
	err := tx.Bucket(bucketQuotes).ForEach(func(id, raw []byte) error {
		var q quote.Quote
		if err := json.Unmarshal(raw, &q); err != nil {
			return fmt.Errorf("decode quote %s: %w", id, err)
		}
		qs = append(qs, q)
		return nil
	})
	if err != nil {
		return err
	}
	// Oldest first, so that aliases and roles come in the order first seen.
	slices.SortFunc(qs, func(a, b quote.Quote) int {
		return cmp.Or(a.Date.Compare(b.Date), cmp.Compare(a.Article.ID, b.Article.ID), cmp.Compare(a.Start, b.Start))
	})
	w := newWriter(tx)
	for _, q := range qs {
		w.noteSeen(q)
	}
	return w.flush()
}
