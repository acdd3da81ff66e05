package bolt

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"

	"github.com/newsroom-tools/quotes/internal/quote"
)

// TestBulkLoad writes concurrently through a store opened for a bulk
// load, then reads everything back from the file opened as usual.
func TestBulkLoad(t *testing.T) {
	path := filepath.Join(t.TempDir(), "quotes.db")
	bulk, err := Open(path, Options{BulkLoad: 8})
	if err != nil {
		t.Fatalf("Open for a bulk load: %v", err)
	}
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() {
			a, qs := upload(fmt.Sprintf("bulk/%02d.txt", i), "01", day, said{kerry, fmt.Sprintf("bulk loaded words number %d", i), nil})
			if err := bulk.PutArticle(context.Background(), a, qs); err != nil {
				t.Errorf("PutArticle: %v", err)
			}
		})
	}
	wg.Wait()
	if err := bulk.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	db := openAt(t, path)
	checkConsistent(t, db)
	if got := len(mustSpeaker(t, db, "john-kerry").Aliases); got == 0 {
		t.Errorf("speaker record missing after the bulk load")
	}
	for i := range 20 {
		if _, err := db.Article(context.Background(), quote.ArticleID(fmt.Sprintf("bulk/%02d.txt", i))); err != nil {
			t.Errorf("article %d after the bulk load: %v", i, err)
		}
	}
}
