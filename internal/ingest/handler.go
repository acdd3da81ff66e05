package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/newsroom-tools/quotes/internal/decode"
	"github.com/newsroom-tools/quotes/internal/quote"
)

// Object is an uploaded object: its bytes and what its metadata says of
// the article.
type Object struct {
	Body []byte
	// Published is the object's user metadata "published" (set on upload
	// as the header x-amz-meta-published): when the article was
	// published, RFC 3339 or YYYY-MM-DD; "" when not set.
	Published string
}

// MetadataPublished is the user metadata key (x-amz-meta-published) an
// uploader dates an article with.
const MetadataPublished = "published"

// Objects reads uploaded objects.
type Objects interface {
	// Get returns the object under key in bucket. It never
	// reads more than limit+1 bytes: an object larger than limit is an
	// error with code quote.EInvalid saying its size (see TooLarge and
	// ReadObject). A missing object is an error with code quote.ENotFound.
	// Any other error is taken for a transient failure, worth retrying.
	Get(ctx context.Context, bucket, key string, limit int64) (Object, error)
	// Head returns when the object now under key in bucket was uploaded,
	// without reading it: S3's HeadObject. A key holding nothing, or a
	// delete marker, is an error with code quote.ENotFound.
	Head(ctx context.Context, bucket, key string) (time.Time, error)
}

// ReadObject reads an object's body of the given size (-1 when unknown)
// for an Objects implementation, refusing one larger than limit without
// reading it whole.
func ReadObject(body io.Reader, size, limit int64) ([]byte, error) {
	if size > limit {
		return nil, decode.TooLarge(size, limit)
	}
	data, err := io.ReadAll(io.LimitReader(body, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, quote.Errorf(quote.EInvalid, "object is larger than %s, the limit", decode.FormatSize(limit))
	}
	return data, nil
}

// ReasonGone is the reason recorded for an upload whose object was deleted
// before its event was handled; the deletion's own event removes the
// record.
const ReasonGone = "object no longer exists"

// Handler handles the S3 event notifications of the articles bucket. It is
// the ingest Lambda's handler and the local server's bucket listener.
type Handler struct {
	Pipeline *Pipeline
	Objects  Objects
	Log      *slog.Logger
}

// Handle ingests each created object and deletes the article of each
// removed one. A record that fails for good — an unreadable upload, a
// vanished object — is recorded or logged and does not stop the others.
// Handle returns an error, joining one per record, only for failures worth
// retrying (the store's or S3's), which Lambda then retries and, failing
// that, sends to the dead-letter queue; the records that succeeded are
// retried harmlessly, as stale events.
func (h *Handler) Handle(ctx context.Context, ev events.S3Event) error {
	var retry []error
	for _, record := range ev.Records {
		if err := h.handleRecord(ctx, record); err != nil {
			retry = append(retry, err)
		}
	}
	return errors.Join(retry...)
}

func (h *Handler) handleRecord(ctx context.Context, record events.S3EventRecord) error {
	log := h.Log
	object := record.S3.Object
	// Keys arrive URL-encoded as in a query string: "+" is a space.
	key, err := url.QueryUnescape(object.Key)
	if err != nil {
		log.ErrorContext(ctx, "skipped event with malformed key", "key", object.Key, "event", record.EventName, "error", err)
		return nil
	}
	version := eventVersion(record, h.Pipeline.Now)
	log = log.With("articleId", quote.ArticleID(key), "key", key, "version", version, "event", record.EventName)

	switch {
	case strings.HasSuffix(key, "/"):
		// The S3 console's "Create folder" makes an empty object named
		// like this; it is no article.
		log.InfoContext(ctx, "ignored folder marker")
		return nil
	case strings.HasPrefix(record.EventName, "ObjectRemoved:") && !removedVersion(record):
		return h.Pipeline.Delete(ctx, key, version)
	case strings.HasPrefix(record.EventName, "ObjectRemoved:"):
		// One version deleted for good, in a versioned bucket: it matters
		// only if it was the current one. What the key holds now decides:
		// nothing (it was the last, or a delete marker is current) deletes
		// the article; an object (an older version, now current again,
		// or the one a removed delete marker hid) is ingested — which
		// makes removing a delete marker an undelete.
		return h.handleRemovedVersion(ctx, log, record, key, version)
	case strings.HasPrefix(record.EventName, "ObjectCreated:"):
	default:
		log.InfoContext(ctx, "ignored event")
		return nil
	}

	return h.ingest(ctx, log, record, key, version, record.EventTime)
}

// handleRemovedVersion answers the permanent deletion of one version of
// key: it matters only if that version was the current one, and the
// key's current object (HeadObject) decides. Nothing there — the version
// was the last, or a delete marker is current — deletes the article. An
// object there — an older version current again, or the one a removed
// delete marker hid (an undelete) — is ingested as of its upload, so
// that the article is the one the bucket serves.
func (h *Handler) handleRemovedVersion(ctx context.Context, log *slog.Logger, record events.S3EventRecord, key, version string) error {
	bucket := record.S3.Bucket.Name
	uploadedAt, err := h.Objects.Head(ctx, bucket, key)
	switch quote.ErrorCode(err) {
	case "":
		log.InfoContext(ctx, "version removed; ingesting the key's current object", "versionId", record.S3.Object.VersionID)
		return h.ingest(ctx, log, record, key, version, uploadedAt)
	case quote.ENotFound:
		return h.Pipeline.Delete(ctx, key, version)
	}
	log.ErrorContext(ctx, "head object failed", "bucket", bucket, "error", err)
	return fmt.Errorf("ingest: head s3://%s/%s: %w", bucket, key, err)
}

// ingest fetches the object under key and ingests it, or records why it
// could not be; a key found empty after all (deleted since) records the
// upload as gone, or, for a removal, deletes the article.
func (h *Handler) ingest(ctx context.Context, log *slog.Logger, record events.S3EventRecord, key, version string, uploadedAt time.Time) error {
	object := record.S3.Object
	bucket := record.S3.Bucket.Name
	limit := h.Pipeline.maxBytes()
	if strings.HasPrefix(record.EventName, "ObjectCreated:") && object.Size > limit {
		// The event already says: no need to fetch it.
		_, err := h.Pipeline.Fail(ctx, key, version, record.EventTime, quote.ErrorMessage(decode.TooLarge(object.Size, limit)))
		return err
	}
	obj, err := h.Objects.Get(ctx, bucket, key, limit)
	switch quote.ErrorCode(err) {
	case "":
		_, err := h.Pipeline.IngestObject(ctx, key, version, obj, uploadedAt)
		return err
	case quote.ENotFound:
		if strings.HasPrefix(record.EventName, "ObjectRemoved:") {
			return h.Pipeline.Delete(ctx, key, version)
		}
		_, err := h.Pipeline.Fail(ctx, key, version, uploadedAt, ReasonGone)
		return err
	case quote.EInvalid:
		_, err := h.Pipeline.Fail(ctx, key, version, uploadedAt, quote.ErrorMessage(err))
		return err
	}
	log.ErrorContext(ctx, "fetch object failed", "bucket", bucket, "error", err)
	return fmt.Errorf("ingest: get s3://%s/%s: %w", bucket, key, err)
}

// removedVersion reports whether record removed one version of an object
// for good (a DELETE naming a versionId, of an object or a delete
// marker), rather than the object itself: a plain DELETE in a versioned
// bucket creates a delete marker (ObjectRemoved:DeleteMarkerCreated), and
// in an unversioned one removes the object, with no versionId.
func removedVersion(record events.S3EventRecord) bool {
	return record.EventName == "ObjectRemoved:Delete" && record.S3.Object.VersionID != ""
}

// eventVersion orders an event among the others for its key: S3's
// sequencer. Without one (events built by hand), the event time stands in,
// as hex nanoseconds so that quote.CompareVersions orders it; the version
// id and ETag that events also carry say nothing about order.
func eventVersion(record events.S3EventRecord, now func() time.Time) string {
	if s := record.S3.Object.Sequencer; s != "" {
		return s
	}
	at := record.EventTime
	if at.IsZero() {
		at = now()
	}
	return fmt.Sprintf("%016X", at.UnixNano())
}
