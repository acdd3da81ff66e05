package bolt

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	bbolt "go.etcd.io/bbolt"
)

// TestGroupCommit runs writes from many goroutines at once, some failing
// and one panicking: each gets its own outcome, the failed ones write
// nothing, and every other one is committed.
func TestGroupCommit(t *testing.T) {
	db := openTemp(t)
	errBad := errors.New("bad write")
	const writers = 64
	results := make([]error, writers)
	var wg sync.WaitGroup
	for i := range writers {
		wg.Go(func() {
			results[i] = db.update(func(tx *bbolt.Tx) error {
				if err := tx.Bucket(bucketMeta).Put(fmt.Appendf(nil, "test-%02d", i), []byte("x")); err != nil {
					return err
				}
				switch {
				case i == 13:
					panic("boom")
				case i%10 == 3:
					return errBad
				}
				return nil
			})
		})
	}
	wg.Wait()
	err := db.bolt.View(func(tx *bbolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		for i, err := range results {
			stored := meta.Get(fmt.Appendf(nil, "test-%02d", i)) != nil
			switch {
			case i == 13:
				if err == nil || !strings.Contains(err.Error(), "boom") || stored {
					t.Errorf("write %d panicked: got %v, stored %v; want the panic as an error, nothing stored", i, err, stored)
				}
			case i%10 == 3:
				if !errors.Is(err, errBad) || stored {
					t.Errorf("write %d failed: got %v, stored %v; want its error, nothing stored", i, err, stored)
				}
			default:
				if err != nil || !stored {
					t.Errorf("write %d: got %v, stored %v; want it committed", i, err, stored)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
