package ingest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"

	"github.com/aws/aws-lambda-go/events"

	"github.com/newsroom-tools/quotes/internal/quote"
)

// Invoke is the ingest function's Lambda handler: it takes S3 event
// notifications (Handle) and S3 Batch Operations jobs (HandleBatch),
// told apart by the batch job's invocationSchemaVersion.
func (h *Handler) Invoke(ctx context.Context, payload json.RawMessage) (any, error) {
	var probe struct {
		InvocationSchemaVersion string `json:"invocationSchemaVersion"`
	}
	if err := json.Unmarshal(payload, &probe); err != nil {
		return nil, fmt.Errorf("ingest: decode invocation: %w", err)
	}
	switch probe.InvocationSchemaVersion {
	case "":
		var ev events.S3Event
		if err := json.Unmarshal(payload, &ev); err != nil {
			return nil, fmt.Errorf("ingest: decode S3 event: %w", err)
		}
		return nil, h.Handle(ctx, ev)
	case "1.0":
		var ev events.S3BatchJobEvent
		if err := json.Unmarshal(payload, &ev); err != nil {
			return nil, fmt.Errorf("ingest: decode S3 batch job: %w", err)
		}
		return h.HandleBatch(ctx, ev)
	}
	return nil, fmt.Errorf("ingest: S3 batch job schema %q is not supported (create the job with schema 1.0)", probe.InvocationSchemaVersion)
}

// Result codes of an S3 Batch Operations task.
const (
	batchSucceeded        = "Succeeded"
	batchTemporaryFailure = "TemporaryFailure"
	batchPermanentFailure = "PermanentFailure"
)

// HandleBatch re-extracts the objects an S3 Batch Operations job lists
// (schema 1.0, the job invoking the ingest function on every object of a
// manifest or of the bucket's inventory): each is ingested again under a
// revision of the version its article holds (quote.NextRevision), so that
// it replaces that article and an upload after it still wins. A failure
// worth retrying is a TemporaryFailure, which the job retries; the others
// are PermanentFailures, with the reason.
func (h *Handler) HandleBatch(ctx context.Context, ev events.S3BatchJobEvent) (events.S3BatchJobResponse, error) {
	resp := events.S3BatchJobResponse{
		InvocationSchemaVersion: ev.InvocationSchemaVersion,
		TreatMissingKeysAs:      batchPermanentFailure,
		InvocationID:            ev.InvocationID,
	}
	for _, task := range ev.Tasks {
		code, message := h.reextract(ctx, ev.Job.ID, task)
		resp.Results = append(resp.Results, events.S3BatchJobResult{TaskID: task.TaskID, ResultCode: code, ResultString: message})
	}
	return resp, nil
}

func (h *Handler) reextract(ctx context.Context, job string, task events.S3BatchJobTask) (code, message string) {
	// Keys arrive URL-encoded, as in S3 events.
	key, err := url.QueryUnescape(task.S3Key)
	if err != nil {
		return batchPermanentFailure, "malformed key"
	}
	bucket, ok := strings.CutPrefix(task.S3BucketARN, "arn:aws:s3:::")
	if !ok || bucket == "" {
		return batchPermanentFailure, "malformed bucket ARN " + task.S3BucketARN
	}
	a, err := h.Reextract(ctx, bucket, key)
	switch quote.ErrorCode(err) {
	case "":
		return batchSucceeded, fmt.Sprintf("%s: %d quotes (version %s)", a.Status, a.QuoteCount, a.Version)
	case quote.ENotFound:
		return batchPermanentFailure, quote.ErrorMessage(err)
	}
	h.Log.ErrorContext(ctx, "re-extraction failed", "job", job, "task", task.TaskID, "articleId", quote.ArticleID(key), "key", key, "error", err)
	return batchTemporaryFailure, "the store or the object could not be read or written; the job retries it"
}

// Reextract ingests the object under key in bucket again, under a
// revision of the version its article holds (quote.NextRevision), so that
// it replaces that article and any later event of the object still wins;
// an object never ingested is ingested. An object that is gone is an
// error with code quote.ENotFound; any other error is worth retrying.
func (h *Handler) Reextract(ctx context.Context, bucket, key string) (quote.Article, error) {
	previous := ""
	switch a, err := h.Pipeline.Store.Article(ctx, quote.ArticleID(key)); quote.ErrorCode(err) {
	case "":
		previous = a.Version
	case quote.ENotFound:
		// Never ingested: any later event of the object is newer than a
		// revision of sequencer 0.
	default:
		return quote.Article{}, fmt.Errorf("ingest: re-extract %s: read article: %w", key, err)
	}
	version := quote.NextRevision(previous)
	uploadedAt, err := h.Objects.Head(ctx, bucket, key)
	if err != nil {
		return quote.Article{}, fmt.Errorf("ingest: re-extract %s: %w", key, err)
	}
	body, err := h.Objects.Get(ctx, bucket, key, h.Pipeline.maxBytes())
	switch quote.ErrorCode(err) {
	case "":
		return h.Pipeline.IngestObject(ctx, key, version, body, uploadedAt)
	case quote.EInvalid:
		return h.Pipeline.Fail(ctx, key, version, uploadedAt, quote.ErrorMessage(err))
	}
	return quote.Article{}, fmt.Errorf("ingest: re-extract %s: %w", key, err)
}
