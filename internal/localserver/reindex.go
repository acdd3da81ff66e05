package localserver

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/newsroom-tools/quotes/internal/quote"
)

// Reindex re-extracts, with the server's extractor, the bucket's objects
// whose article another extractor version made, or that have none (every
// object with all), workers at a time, calling progress after each with
// how many are done of how many to do. Each article records the version
// that made it, so an interrupted run is resumed by running it again. It
// returns how many it re-extracted.
//
// Each object is ingested again under a revision of its article's version
// (ingest.Handler.Reextract), so an upload made meanwhile still wins; on
// AWS (S3 and DynamoDB endpoints) the functions may keep running.
func (s *Server) Reindex(ctx context.Context, all bool, workers int, progress func(done, total int)) (int, error) {
	keys, err := s.objectKeys(ctx)
	if err != nil {
		return 0, fmt.Errorf("reindex: list objects: %w", err)
	}
	var todo []string
	for _, key := range keys {
		a, err := s.Store.Article(ctx, quote.ArticleID(key))
		switch quote.ErrorCode(err) {
		case "":
			if all || a.Extractor != s.events.Pipeline.ExtractorVersion {
				todo = append(todo, key)
			}
		case quote.ENotFound:
			todo = append(todo, key)
		default:
			return 0, fmt.Errorf("reindex: read %s: %w", key, err)
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
				_, err := s.events.Reextract(ctx, s.bucketName, key)
				mu.Lock()
				if err != nil {
					errs = append(errs, fmt.Errorf("reindex %s: %w", key, err))
				} else {
					done++
				}
				progress(done, len(todo))
				mu.Unlock()
			}
		})
	}
feed:
	for _, key := range todo {
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
