package bolt

import (
	"context"
	"path/filepath"
	"slices"
	"testing"

	bbolt "go.etcd.io/bbolt"

	"github.com/newsroom-tools/quotes/internal/quote"
	"github.com/newsroom-tools/quotes/internal/store"
)

// TestUpgradeFromLayout3 opens a file the previous build left, with no
// fingerprints and with stopwords posted: Open fingerprints every stored
// quote and drops those postings.
func TestUpgradeFromLayout3(t *testing.T) {
	path := filepath.Join(t.TempDir(), "quotes.db")
	db := openAt(t, path)
	const words = "We are going to press upon the Russians the need to help bring about a political settlement in Syria"
	a, aq := upload("f1.txt", "01", day, said{kerry, words, nil}, said{lavrov, "The Russians will not be pressed on Syria", nil})
	mustPut(t, db, a, aq)
	err := db.bolt.Update(func(tx *bbolt.Tx) error {
		if err := tx.DeleteBucket(bucketFingerprints); err != nil {
			return err
		}
		// Layout 3 posted stopwords too.
		the := indexPrefix(tagWord, "the")
		for _, q := range aq {
			if err := tx.Bucket(bucketIndex).Put(append(slices.Clone(the), position(q)...), nil); err != nil {
				return err
			}
		}
		if err := tx.Bucket(bucketPostings).Put(the, putUint64(uint64(len(aq)))); err != nil {
			return err
		}
		return tx.Bucket(bucketMeta).Put(metaLayout, []byte("3"))
	})
	if err != nil {
		t.Fatalf("rewrite as layout 3: %v", err)
	}
	if err := db.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}

	db = openAt(t, path)
	checkConsistent(t, db)
	got, err := db.SimilarQuotes(context.Background(), store.ClaimFingerprints(quote.Words(words)), 1)
	if err != nil || len(got) != 1 || got[0].Text != words {
		t.Errorf("SimilarQuotes after the upgrade = %+v, %v; want the quote", got, err)
	}
	// Deleting the article leaves no fingerprint behind.
	if err := db.DeleteArticle(context.Background(), "f1.txt", "02"); err != nil {
		t.Fatalf("DeleteArticle: %v", err)
	}
	checkConsistent(t, db)
	db.bolt.View(func(tx *bbolt.Tx) error {
		if n := tx.Bucket(bucketFingerprints).Stats().KeyN; n != 0 {
			t.Errorf("%d fingerprint entries left after the only article was deleted", n)
		}
		return nil
	})
}
