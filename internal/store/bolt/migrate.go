package bolt

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"

	bbolt "go.etcd.io/bbolt"

	"github.com/newsroom-tools/quotes/internal/quote"
)

// upgradeFromLayout1 derives what layout 2 added from the quotes a layout 1
// file holds: topic forms, ranks and words, and speaker histories as far
// as the quotes still stored tell. Conflicts start empty: layout 1 had
// none.
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
