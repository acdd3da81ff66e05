package localserver

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/newsroom-tools/quotes/internal/localbucket"
	"github.com/newsroom-tools/quotes/internal/quote"
	"github.com/newsroom-tools/quotes/internal/store/bolt"
)

// reconcile brings the embedded store in line with the folder bucket after
// a crash between a file operation and its ingest: an object with no
// record, or one written after its record's event, is ingested again; a
// record whose object is gone is deleted. (Half-written uploads are
// removed when the bucket opens.)
func reconcile(ctx context.Context, db *bolt.DB, bucket *localbucket.Bucket, log *slog.Logger) error {
	objects, err := bucket.Objects(ctx)
	if err != nil {
		return err
	}
	records, err := db.Records(ctx)
	if err != nil {
		return err
	}
	byKey := make(map[string]bolt.Record, len(records))
	for _, r := range records {
		byKey[r.Key] = r
	}
	var ingested, deleted int
	present := make(map[string]bool, len(objects))
	for _, o := range objects {
		present[o.Key] = true
		r, ok := byKey[o.Key]
		// Local sequencers are the wall clock in nanoseconds, taken after
		// the file operation: an event older than the file's modification
		// is older than the file.
		written := fmt.Sprintf("%016X", o.Modified.UnixNano())
		if ok && r.Stored && quote.CompareVersions(r.Version, written) >= 0 {
			continue
		}
		if err := bucket.Reannounce(ctx, o.Key); err != nil {
			return fmt.Errorf("reconcile: ingest %s: %w", o.Key, err)
		}
		ingested++
	}
	for _, r := range records {
		if !r.Stored || present[r.Key] {
			continue
		}
		if err := bucket.Delete(ctx, r.Key); err != nil {
			return fmt.Errorf("reconcile: delete the record of %s: %w", r.Key, err)
		}
		deleted++
	}
	log.InfoContext(ctx, "store reconciled with the bucket", "objects", len(objects), "ingested", ingested, "deleted", deleted)
	return nil
}
