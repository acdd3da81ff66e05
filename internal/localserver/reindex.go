package localserver

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/newsroom-tools/quotes/internal/localbucket"
	"github.com/newsroom-tools/quotes/internal/quote"
	"github.com/newsroom-tools/quotes/internal/store/bolt"
)

// Reindex re-extracts, with the server's extractor, every stored article
// another extractor version made (every one with all), workers at a time,
// calling progress after each with how many are done of how many to do.
// Each article records the version that made it, so an interrupted run
// is resumed by running it again. It returns how many it re-extracted.
//
// It needs the embedded store and the folder bucket: the objects are
// announced again, as if just uploaded, through the same ingest.
func (s *Server) Reindex(ctx context.Context, all bool, workers int, progress func(done, total int)) (int, error) {
	db, ok := s.Store.(*bolt.DB)
	folder, okBucket := s.Bucket.(*localbucket.Bucket)
	if !ok || !okBucket {
		return 0, errors.New("reindex: needs the embedded store and the folder bucket")
	}
	records, err := db.Records(ctx)
	if err != nil {
		return 0, err
	}
	var keys []string
	for _, r := range records {
		if !r.Stored {
			continue
		}
		a, err := db.Article(ctx, quote.ArticleID(r.Key))
		if err != nil {
			return 0, fmt.Errorf("reindex: read %s: %w", r.Key, err)
		}
		if all || a.Extractor != s.extractor {
			keys = append(keys, r.Key)
		}
	}
	work := make(chan string)
	var (
		mu   sync.Mutex
		done int
		errs []error
		wg   sync.WaitGroup
	)
	for range max(workers, 1) {
		wg.Go(func() {
			for key := range work {
				err := folder.Reannounce(ctx, key)
				mu.Lock()
				if err != nil {
					errs = append(errs, fmt.Errorf("reindex %s: %w", key, err))
				} else {
					done++
				}
				progress(done, len(keys))
				mu.Unlock()
			}
		})
	}
feed:
	for _, key := range keys {
		select {
		case work <- key:
		case <-ctx.Done():
			break feed
		}
	}
	close(work)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		errs = append(errs, err)
	}
	return done, errors.Join(errs...)
}
