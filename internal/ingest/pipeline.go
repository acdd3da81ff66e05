// Package ingest turns uploaded articles into stored quotes: it decodes an
// object (.txt, .md, .html, .json) into an article with internal/decode,
// extracts its quotes, tags them with topics and writes the outcome to the
// store. Handler feeds it from S3 event notifications, for the ingest
// Lambda and for the local server alike.
package ingest

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/newsroom-tools/quotes/internal/decode"
	"github.com/newsroom-tools/quotes/internal/extract"
	"github.com/newsroom-tools/quotes/internal/quote"
	"github.com/newsroom-tools/quotes/internal/speaker"
	"github.com/newsroom-tools/quotes/internal/store"
	"github.com/newsroom-tools/quotes/internal/topic"
	"github.com/newsroom-tools/quotes/internal/verify"
)

// Pipeline ingests one upload at a time. Its fields are set once, before
// use; it is then safe for concurrent use.
type Pipeline struct {
	Store store.Store
	// Extract finds the quotes in an article's text; ExtractorVersion
	// names it in every article it makes.
	Extract          func(text string) []quote.Quote
	ExtractorVersion string
	Topics           *topic.Tagger
	Log              *slog.Logger
	// Now stands in for an upload time an event does not carry.
	Now func() time.Time
	// MaxBytes is the largest object ingested.
	MaxBytes int64
	// MaxQuotes is how many quotes of one article are stored; the rest
	// are counted in Article.Truncated.
	MaxQuotes int
}

// ExtractorVersion names the extractor NewPipeline uses (extract.Extract
// with its model; see extract.Version): `quotes reindex` re-extracts the
// articles made by any other.
func ExtractorVersion() string { return extract.Version() }

// DefaultMaxQuotes caps the quotes stored per article. News articles carry
// tens; thousands come from a transcript or a data dump, whose every
// quote would cost the store and every reader of the article.
const DefaultMaxQuotes = 1000

// NewPipeline returns a Pipeline writing to s with the default extractor,
// the default topic aliases and decode.DefaultMaxBytes.
func NewPipeline(s store.Store, log *slog.Logger) *Pipeline {
	return &Pipeline{
		Store:            s,
		Extract:          extract.Extract,
		ExtractorVersion: ExtractorVersion(),
		Topics:           topic.Default(),
		Log:              log,
		Now:              time.Now,
		MaxBytes:         decode.DefaultMaxBytes,
		MaxQuotes:        DefaultMaxQuotes,
	}
}

// Ingest records the upload of body under key at version: the article
// with status extracted and its quotes, or, when body cannot be read as an
// article, the article with status failed and the reason — a bad upload is
// the uploader's to fix, not an error to retry. A bad upload over a good
// extraction keeps the good one served, with the failure in its reason
// (see keepPrevious). It returns the article as recorded.
//
// An event older than what the store holds for key (redelivered, or
// delivered out of order) changes nothing: it is logged and skipped, and
// Ingest returns nil. Only a store failure is an error, worth retrying.
func (p *Pipeline) Ingest(ctx context.Context, key, version string, body []byte, uploadedAt time.Time) (quote.Article, error) {
	return p.IngestObject(ctx, key, version, Object{Body: body}, uploadedAt)
}

// IngestObject is Ingest for an object with its metadata: a published
// date in it wins over the one the document declares or its text says.
func (p *Pipeline) IngestObject(ctx context.Context, key, version string, obj Object, uploadedAt time.Time) (quote.Article, error) {
	a := p.newArticle(key, version, uploadedAt)
	decoded, err := decode.Object(key, obj.Body, p.MaxBytes)
	if err != nil {
		return p.fail(ctx, a, quote.ErrorMessage(err))
	}
	a.Title, a.URL, a.Outlet, a.Published, a.Text = decoded.Title, decoded.URL, decoded.Outlet, decoded.Published, decoded.Text
	if raw := strings.TrimSpace(obj.Published); raw != "" {
		published, err := decode.ParseDate(raw)
		if err != nil {
			return p.fail(ctx, a, fmt.Sprintf("object metadata x-amz-meta-published %q is not a date (expected RFC 3339, like 2015-11-05T14:30:00Z, or YYYY-MM-DD)", raw))
		}
		a.Published = published
	}
	a.DateSource = a.DateSourceOf()

	quotes, err := p.extract(a.Text)
	if err != nil {
		p.logger().ErrorContext(ctx, "extractor failed", "articleId", a.ID, "key", key, "error", err)
		return p.fail(ctx, a, "quote extraction failed on this article; the failure is logged for the maintainers")
	}
	if limit := cmp.Or(p.MaxQuotes, DefaultMaxQuotes); len(quotes) > limit {
		a.Truncated = len(quotes) - limit
		a.Reason = fmt.Sprintf("the article holds %d quotes; only the first %d are stored", len(quotes), limit)
		quotes = quotes[:limit]
		p.articleLog(a).WarnContext(ctx, "quotes truncated", "found", limit+a.Truncated, "stored", limit)
	}
	if err := speaker.New(p.Store).Canonical(ctx, quotes); err != nil {
		return a, fmt.Errorf("ingest: resolve speakers of %s: %w", key, err)
	}
	seen := map[string]int{}
	for i := range quotes {
		q := &quotes[i]
		q.ID = quote.QuoteID(a.ID, q.Text, seen[q.Text])
		seen[q.Text]++
		q.Article = a.Ref()
		q.Date = a.Date()
		q.DateSource = a.DateSource
		q.Topics = p.Topics.Tags(q.Text, q.Context, a.Title)
		q.Speaker.ID = quote.SpeakerID(q.Speaker)
	}
	a.Status = quote.StatusExtracted
	a.QuoteCount = len(quotes)
	stored, err := p.put(ctx, a, quotes)
	if quote.ErrorCode(err) == quote.EInvalid {
		// The store would refuse this extraction however often it were
		// retried: the upload is recorded as failed instead.
		p.articleLog(a).ErrorContext(ctx, "store refused the extraction", "error", err)
		return p.fail(ctx, a, "the quotes extracted from this upload could not be stored: "+quote.ErrorMessage(err))
	}
	if stored {
		p.recordConflicts(ctx, a, quotes)
	}
	return a, err
}

// Fail records that the upload of key at version could not be ingested,
// for reason (said to the uploader), as Ingest does for an undecodable
// object.
func (p *Pipeline) Fail(ctx context.Context, key, version string, uploadedAt time.Time, reason string) (quote.Article, error) {
	return p.fail(ctx, p.newArticle(key, version, uploadedAt), reason)
}

// Delete removes the article stored under key, as of version. A deletion
// older than what the store holds is logged and skipped.
func (p *Pipeline) Delete(ctx context.Context, key, version string) error {
	log := p.logger().With("articleId", quote.ArticleID(key), "key", key, "version", version)
	err := p.Store.DeleteArticle(ctx, key, version)
	switch quote.ErrorCode(err) {
	case "":
		log.InfoContext(ctx, "article deleted")
		return nil
	case quote.EConflict:
		log.InfoContext(ctx, "skipped stale event", "event", "delete")
		return nil
	}
	return fmt.Errorf("ingest: delete article %s (key %q): %w", quote.ArticleID(key), key, err)
}

func (p *Pipeline) newArticle(key, version string, uploadedAt time.Time) quote.Article {
	if uploadedAt.IsZero() {
		uploadedAt = p.Now()
	}
	return quote.Article{ID: quote.ArticleID(key), Key: key, Version: version, UploadedAt: uploadedAt.UTC(), DateSource: quote.DateUploaded, Extractor: p.ExtractorVersion}
}

func (p *Pipeline) fail(ctx context.Context, a quote.Article, reason string) (quote.Article, error) {
	if kept, ok, err := p.keepPrevious(ctx, a, reason); ok || err != nil {
		return kept, err
	}
	a.Title, a.URL, a.Outlet, a.Published, a.Text, a.QuoteCount, a.Truncated = "", "", "", time.Time{}, "", 0, 0
	a.DateSource = quote.DateUploaded
	a.Status = quote.StatusFailed
	a.Reason = reason
	_, err := p.put(ctx, a, nil)
	if quote.ErrorCode(err) == quote.EInvalid {
		// Not even the failure can be stored (a key or version no store
		// accepts): retrying cannot change that, so it is logged for the
		// maintainers and the event is done with.
		p.articleLog(a).ErrorContext(ctx, "upload could not be recorded", "reason", reason, "error", err)
		return a, nil
	}
	return a, err
}

// keepPrevious handles an unreadable upload over a good extraction of the
// same key (an empty file, a PDF saved over the article): the good
// extraction stays served, since its object is still in the versioned
// bucket, and the failure is recorded in its reason. It is stored under
// the new upload's version, so that older events stay refused. It reports
// false when there is no earlier extraction to keep.
func (p *Pipeline) keepPrevious(ctx context.Context, a quote.Article, reason string) (quote.Article, bool, error) {
	previous, quotes, err := p.Store.ArticleWithQuotes(ctx, a.ID, true)
	if quote.ErrorCode(err) == quote.ENotFound {
		return a, false, nil
	}
	if err != nil {
		return a, false, fmt.Errorf("ingest: read article %s (key %q): %w", a.ID, a.Key, err)
	}
	if previous.Status != quote.StatusExtracted || quote.CompareVersions(previous.Version, a.Version) >= 0 {
		return a, false, nil
	}
	previous.Version = a.Version
	previous.Reason = fmt.Sprintf("the upload of %s could not be ingested (%s); the quotes of the upload before it are still served",
		a.UploadedAt.Format(time.RFC3339), reason)
	p.logger().WarnContext(ctx, "upload failed; previous extraction kept", "articleId", a.ID, "key", a.Key, "version", a.Version, "reason", reason)
	// The kept quotes were checked for conflicts when they were ingested.
	_, err = p.put(ctx, previous, quotes)
	if quote.ErrorCode(err) == quote.EInvalid {
		// Stored before today's validation and refused by it now: the
		// failure is recorded in their place.
		p.articleLog(a).WarnContext(ctx, "previous extraction no longer valid; not kept", "error", err)
		return a, false, nil
	}
	return previous, true, err
}

// extract runs the extractor, turning a panic on some unforeseen text into
// an error: retrying would panic again, and the article must still be
// recorded as failed.
func (p *Pipeline) extract(text string) (quotes []quote.Quote, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("extractor panicked: %v", r)
		}
	}()
	return p.Extract(text), nil
}

// put stores the article and reports whether it did: a stale event is
// skipped, not an error. An invalid write is returned as the store's
// error, unwrapped, for the caller to record as failed.
func (p *Pipeline) put(ctx context.Context, a quote.Article, quotes []quote.Quote) (bool, error) {
	log := p.articleLog(a)
	err := p.Store.PutArticle(ctx, a, quotes)
	switch quote.ErrorCode(err) {
	case "":
		if a.Status == quote.StatusFailed {
			log.WarnContext(ctx, "article failed", "reason", a.Reason)
		} else {
			log.InfoContext(ctx, "article extracted", "quotes", a.QuoteCount)
		}
		return true, nil
	case quote.EConflict:
		log.InfoContext(ctx, "skipped stale event", "event", "upload")
		return false, nil
	case quote.EInvalid:
		return false, err
	}
	return false, fmt.Errorf("ingest: store article %s (key %q): %w", a.ID, a.Key, err)
}

func (p *Pipeline) articleLog(a quote.Article) *slog.Logger {
	return p.logger().With("articleId", a.ID, "key", a.Key, "version", a.Version)
}

// maxConflictChecks bounds the lookups one upload makes for conflicting
// attributions (a few store queries per quote). News articles carry tens
// of quotes; an upload with thousands is a transcript or a data dump, and
// checking them all would hold its ingest for minutes.
const maxConflictChecks = 300

// recordConflicts flags the article's quotes whose words other articles
// attribute to someone else. The article is already stored and served, so
// a failure here is logged rather than retried: a retried event would be
// skipped as stale anyway, and the next upload that repeats the words
// flags the pair from its side.
func (p *Pipeline) recordConflicts(ctx context.Context, a quote.Article, quotes []quote.Quote) {
	log := p.articleLog(a)
	if len(quotes) > maxConflictChecks {
		log.WarnContext(ctx, "conflicting attributions checked for the first quotes only", "checked", maxConflictChecks, "quotes", len(quotes))
		quotes = quotes[:maxConflictChecks]
	}
	conflicts, err := verify.New(p.Store).Conflicts(ctx, quotes, p.Now())
	if err == nil && len(conflicts) > 0 {
		err = p.Store.AddConflicts(ctx, conflicts)
	}
	if err != nil {
		log.ErrorContext(ctx, "recording conflicting attributions failed", "error", err)
		return
	}
	if len(conflicts) > 0 {
		log.InfoContext(ctx, "conflicting attributions", "conflicts", len(conflicts))
	}
}

// maxBytes is the largest object ingested.
func (p *Pipeline) maxBytes() int64 {
	if p.MaxBytes <= 0 {
		return decode.DefaultMaxBytes
	}
	return p.MaxBytes
}

// logger is the pipeline's logger. Every line is logged with the event's
// ctx, from which the Lambda's log handler (lambdacontext.NewLogHandler)
// adds the request id.
func (p *Pipeline) logger() *slog.Logger { return p.Log }
