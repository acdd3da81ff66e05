package ingest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/newsroom-tools/quotes/internal/decode"
	"github.com/newsroom-tools/quotes/internal/quote"
	"github.com/newsroom-tools/quotes/internal/store"
	"github.com/newsroom-tools/quotes/internal/store/bolt"
)

const articleV1 = `Kerry presses on in Geneva

U.S. Secretary of State John Kerry said on Monday that talks on Syria would go on.

“We will not stop until there is a ceasefire,” Kerry said.

Russian Foreign Minister Sergei Lavrov disagreed. “The United States is not serious,” Lavrov told reporters.

“We will not stop until there is a ceasefire,” Kerry repeated later.
`

// articleV2 is articleV1 edited: Lavrov's quote changed, Kerry's kept.
const articleV2 = `Kerry presses on in Geneva

U.S. Secretary of State John Kerry said on Monday that talks on Syria would go on.

“We will not stop until there is a ceasefire,” Kerry said.

Russian Foreign Minister Sergei Lavrov disagreed. “Washington must talk to Damascus,” Lavrov told reporters.
`

// putKey is the decoded key of the testdata/events/s3-put*.json and
// s3-delete.json events.
const putKey = "news/2015/kerry in geneva.txt"

// Sequencers of those events.
const (
	putSequencer    = "0055AED6DCD90281E5"
	newerSequencer  = "0055AED6DCD90281F0"
	deleteSequencer = "0055AED6DCD9028200"
)

func loadEvent(t *testing.T, name string) events.S3Event {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "events", name))
	if err != nil {
		t.Fatalf("read event fixture: %v", err)
	}
	var ev events.S3Event
	if err := json.Unmarshal(data, &ev); err != nil {
		t.Fatalf("decode event fixture %s: %v", name, err)
	}
	return ev
}

func openStore(t *testing.T) *bolt.DB {
	t.Helper()
	db, err := bolt.Open(filepath.Join(t.TempDir(), "quotes.db"), bolt.Options{})
	if err != nil {
		t.Fatalf("open bolt store: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// bucketObjects is an in-memory bucket for the Handler's tests; the S3
// implementation of Objects is tested against s3rver in s3_test.go.
type bucketObjects struct {
	mu      sync.Mutex
	objects map[string][]byte // by bucket/key
	errs    map[string]error  // by key: what Get fails with
	gets    []string
	// published is the x-amz-meta-published of objects, by bucket/key.
	published map[string]string
	heads     []string
}

var _ Objects = (*bucketObjects)(nil)

func newBucketObjects() *bucketObjects {
	return &bucketObjects{objects: map[string][]byte{}, errs: map[string]error{}, published: map[string]string{}}
}

func (b *bucketObjects) put(bucket, key, body string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.objects[bucket+"/"+key] = []byte(body)
}

func (b *bucketObjects) Get(ctx context.Context, bucket, key string, limit int64) (Object, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.gets = append(b.gets, key)
	if err := b.errs[key]; err != nil {
		return Object{}, err
	}
	body, ok := b.objects[bucket+"/"+key]
	if !ok {
		return Object{}, quote.Errorf(quote.ENotFound, "no object %q", key)
	}
	data, err := ReadObject(bytes.NewReader(body), int64(len(body)), limit)
	return Object{Body: data, Published: b.published[bucket+"/"+key]}, err
}

func (b *bucketObjects) Head(ctx context.Context, bucket, key string) (time.Time, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.heads = append(b.heads, key)
	if _, ok := b.objects[bucket+"/"+key]; !ok {
		return time.Time{}, quote.Errorf(quote.ENotFound, "no object %q", key)
	}
	return headTime, nil
}

// headTime is when every object of a bucketObjects was uploaded.
var headTime = time.Date(2015, 11, 4, 8, 0, 0, 0, time.UTC)

// syncBuffer collects log output.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.String()
}

type fixture struct {
	handler *Handler
	store   *bolt.DB
	objects *bucketObjects
	logs    *syncBuffer
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	logs := &syncBuffer{}
	log := slog.New(slog.NewJSONHandler(logs, nil))
	db := openStore(t)
	objects := newBucketObjects()
	return &fixture{
		handler: &Handler{Pipeline: NewPipeline(db, log), Objects: objects, Log: log},
		store:   db,
		objects: objects,
		logs:    logs,
	}
}

func (f *fixture) handle(t *testing.T, ev events.S3Event) {
	t.Helper()
	if err := f.handler.Handle(t.Context(), ev); err != nil {
		t.Fatalf("Handle: %v", err)
	}
}

func (f *fixture) article(t *testing.T, key string) quote.Article {
	t.Helper()
	a, err := f.store.Article(t.Context(), quote.ArticleID(key))
	if err != nil {
		t.Fatalf("Article(%q): %v", key, err)
	}
	return a
}

func (f *fixture) quoteTexts(t *testing.T, key string) []string {
	t.Helper()
	quotes, err := f.store.ArticleQuotes(t.Context(), quote.ArticleID(key))
	if quote.ErrorCode(err) == quote.ENotFound {
		return nil
	}
	if err != nil {
		t.Fatalf("ArticleQuotes(%q): %v", key, err)
	}
	var texts []string
	for _, q := range quotes {
		texts = append(texts, q.Text)
	}
	return texts
}

func TestHandlePut(t *testing.T) {
	f := newFixture(t)
	f.objects.put("quotes-articles", putKey, articleV1)
	f.handle(t, loadEvent(t, "s3-put.json"))

	a := f.article(t, putKey)
	uploaded := time.Date(2015, 11, 5, 14, 30, 0, 123e6, time.UTC)
	want := quote.Article{
		ID: quote.ArticleID(putKey), Key: putKey, Version: putSequencer, Title: "Kerry presses on in Geneva",
		UploadedAt: uploaded, Status: quote.StatusExtracted, QuoteCount: 3,
	}
	if a.ID != want.ID || a.Key != want.Key || a.Version != want.Version || a.Title != want.Title ||
		!a.UploadedAt.Equal(want.UploadedAt) || a.Status != want.Status || a.QuoteCount != want.QuoteCount || a.Reason != "" {
		t.Errorf("article = %+v\nwant %+v", a, want)
	}
	if !strings.HasPrefix(a.Text, "U.S. Secretary of State John Kerry said") {
		t.Errorf("article text = %q, want the body without its headline", a.Text)
	}

	quotes, err := f.store.ArticleQuotes(t.Context(), a.ID)
	if err != nil {
		t.Fatalf("ArticleQuotes: %v", err)
	}
	if len(quotes) != 3 {
		t.Fatalf("stored %d quotes, want 3", len(quotes))
	}
	kerry := "We will not stop until there is a ceasefire,"
	wantIDs := []string{quote.QuoteID(a.ID, kerry, 0), quote.QuoteID(a.ID, "The United States is not serious,", 0), quote.QuoteID(a.ID, kerry, 1)}
	for i, q := range quotes {
		if q.ID != wantIDs[i] {
			t.Errorf("quote %d id = %q, want %q (occurrences of the same words counted)", i, q.ID, wantIDs[i])
		}
		if q.Article != a.Ref() {
			t.Errorf("quote %d article = %+v, want %+v", i, q.Article, a.Ref())
		}
		if !q.Date.Equal(uploaded) {
			t.Errorf("quote %d date = %v, want the upload time %v", i, q.Date, uploaded)
		}
		if got := a.Text[q.Start:q.End]; got != q.Text {
			t.Errorf("quote %d offsets point at %q, want %q", i, got, q.Text)
		}
		if q.Speaker.ID != quote.SpeakerID(q.Speaker) || q.Speaker.ID == "" {
			t.Errorf("quote %d speaker id = %q, want %q", i, q.Speaker.ID, quote.SpeakerID(q.Speaker))
		}
	}
	if got, want := quotes[1].Topics, []string{"United States", "Lavrov", "Geneva"}; !slices.Equal(got, want) {
		t.Errorf("Lavrov's quote topics = %q, want %q (from the quote, its context, the title)", got, want)
	}
	page, err := f.store.Quotes(t.Context(), store.Query{Topic: "united states", Limit: 10})
	if err != nil {
		t.Fatalf("Quotes by topic: %v", err)
	}
	if len(page.Quotes) == 0 {
		t.Errorf("no quote found under topic United States")
	}
	if !strings.Contains(f.logs.String(), `"msg":"article extracted"`) {
		t.Errorf("logs lack the extraction:\n%s", f.logs)
	}
}

func TestHandleKeys(t *testing.T) {
	f := newFixture(t)
	keys := []string{
		"inbox/Kerry in Geneva (2015).txt", // "+" is a space
		"inbox/a+b=c.txt",                  // "%2B" is a plus
		"inbox/nested/café Zelénskyy.md",   // "%2F" is a slash, UTF-8 escaped
		"inbox/中国.json",
	}
	bodies := []string{"“Talks go on,” Kerry said.", "“Plus,” she said.", "# Café\n\n“Hello,” Zelénskyy said.", `{"text":"“Nǐ hǎo,” Wang said."}`}
	for i, key := range keys {
		f.objects.put("quotes-articles", key, bodies[i])
	}
	f.handle(t, loadEvent(t, "s3-put-keys.json"))
	for _, key := range keys {
		a := f.article(t, key)
		if a.Key != key || a.Status != quote.StatusExtracted || a.QuoteCount != 1 {
			t.Errorf("article for %q = key %q, status %s (%s), %d quotes; want it extracted with 1 quote", key, a.Key, a.Status, a.Reason, a.QuoteCount)
		}
	}
}

func TestHandleSameEventTwice(t *testing.T) {
	f := newFixture(t)
	f.objects.put("quotes-articles", putKey, articleV1)
	ev := loadEvent(t, "s3-put.json")
	f.handle(t, ev)
	f.handle(t, ev)
	if got := f.quoteTexts(t, putKey); len(got) != 3 {
		t.Errorf("after a redelivered event the article has %d quotes, want 3", len(got))
	}
	if !strings.Contains(f.logs.String(), `"msg":"skipped stale event"`) {
		t.Errorf("logs do not say the redelivery was skipped:\n%s", f.logs)
	}
}

func TestHandleOutOfOrder(t *testing.T) {
	f := newFixture(t)
	f.objects.put("quotes-articles", putKey, articleV2)
	f.handle(t, loadEvent(t, "s3-put-newer.json"))
	f.handle(t, loadEvent(t, "s3-put.json")) // older, delivered late

	a := f.article(t, putKey)
	if a.Version != newerSequencer {
		t.Errorf("version = %s, want the newer %s", a.Version, newerSequencer)
	}
	want := []string{"We will not stop until there is a ceasefire,", "Washington must talk to Damascus,"}
	if got := f.quoteTexts(t, putKey); !slices.Equal(got, want) {
		t.Errorf("quotes = %q, want the newer upload's %q", got, want)
	}
}

func TestHandleReuploadReplacesQuotes(t *testing.T) {
	f := newFixture(t)
	f.objects.put("quotes-articles", putKey, articleV1)
	f.handle(t, loadEvent(t, "s3-put.json"))
	before, err := f.store.ArticleQuotes(t.Context(), quote.ArticleID(putKey))
	if err != nil {
		t.Fatalf("ArticleQuotes: %v", err)
	}

	f.objects.put("quotes-articles", putKey, articleV2)
	f.handle(t, loadEvent(t, "s3-put-newer.json"))
	after, err := f.store.ArticleQuotes(t.Context(), quote.ArticleID(putKey))
	if err != nil {
		t.Fatalf("ArticleQuotes: %v", err)
	}
	if len(after) != 2 || after[1].Text != "Washington must talk to Damascus," {
		t.Fatalf("after re-upload quotes = %+v, want the 2 of the new text", after)
	}
	if after[0].ID != before[0].ID {
		t.Errorf("unchanged quote's id went from %s to %s; ids must survive unrelated edits", before[0].ID, after[0].ID)
	}
	if _, err := f.store.Quote(t.Context(), before[1].ID); quote.ErrorCode(err) != quote.ENotFound {
		t.Errorf("Quote(removed quote) error = %v, want not found", err)
	}
	if got := f.article(t, putKey).QuoteCount; got != 2 {
		t.Errorf("QuoteCount = %d, want 2", got)
	}
}

func TestHandleDelete(t *testing.T) {
	f := newFixture(t)
	f.objects.put("quotes-articles", putKey, articleV1)
	f.handle(t, loadEvent(t, "s3-put.json"))
	f.handle(t, loadEvent(t, "s3-delete.json"))

	if _, err := f.store.Article(t.Context(), quote.ArticleID(putKey)); quote.ErrorCode(err) != quote.ENotFound {
		t.Fatalf("Article after delete: error %v, want not found", err)
	}
	if got := f.quoteTexts(t, putKey); len(got) != 0 {
		t.Errorf("quotes after delete = %q, want none", got)
	}
	// The upload event redelivered after the deletion must not resurrect
	// the article.
	f.handle(t, loadEvent(t, "s3-put-newer.json"))
	if _, err := f.store.Article(t.Context(), quote.ArticleID(putKey)); quote.ErrorCode(err) != quote.ENotFound {
		t.Errorf("Article after a late upload event: error %v, want not found", err)
	}
}

// A bad upload over a good one loses nothing: the good extraction stays
// served (its object is still in the versioned bucket), the failure is
// recorded in the article's reason, and older events stay refused.
func TestHandleBadLaterUpload(t *testing.T) {
	f := newFixture(t)
	f.objects.put("quotes-articles", putKey, articleV1)
	f.handle(t, loadEvent(t, "s3-put.json"))
	good := f.quoteTexts(t, putKey)
	f.objects.put("quotes-articles", putKey, "%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\n")
	f.handle(t, loadEvent(t, "s3-put-newer.json"))

	a := f.article(t, putKey)
	if a.Status != quote.StatusExtracted || a.QuoteCount != len(good) || a.Version != newerSequencer ||
		!strings.Contains(a.Reason, "not text: looks like application/pdf") || !strings.Contains(a.Reason, "still served") {
		t.Errorf("article = status %s, reason %q, %d quotes, version %s; want the good extraction kept under version %s, the failure in its reason",
			a.Status, a.Reason, a.QuoteCount, a.Version, newerSequencer)
	}
	if got := f.quoteTexts(t, putKey); !slices.Equal(got, good) {
		t.Errorf("quotes after a failed re-upload = %q, want the good ones %q", got, good)
	}
	if !strings.Contains(f.logs.String(), `"msg":"upload failed; previous extraction kept"`) {
		t.Errorf("logs lack the failure:\n%s", f.logs)
	}
	// The first upload's event, redelivered, is still older than what is stored.
	f.handle(t, loadEvent(t, "s3-put.json"))
	if again := f.article(t, putKey); again.Version != newerSequencer {
		t.Errorf("a redelivered older event changed the version to %s", again.Version)
	}
}

func TestHandleObjectGone(t *testing.T) {
	f := newFixture(t)
	f.handle(t, loadEvent(t, "s3-put.json")) // no such object

	a := f.article(t, putKey)
	if a.Status != quote.StatusFailed || a.Reason != ReasonGone {
		t.Errorf("article = status %s, reason %q; want failed, %q", a.Status, a.Reason, ReasonGone)
	}
	f.handle(t, loadEvent(t, "s3-delete.json"))
	if _, err := f.store.Article(t.Context(), quote.ArticleID(putKey)); quote.ErrorCode(err) != quote.ENotFound {
		t.Errorf("Article after the delete event: error %v, want not found", err)
	}
}

func TestHandleTooLargeNotFetched(t *testing.T) {
	f := newFixture(t)
	ev := loadEvent(t, "s3-put.json")
	ev.Records[0].S3.Object.Size = 50<<20 + 1<<20/10
	f.objects.put("quotes-articles", putKey, articleV1)
	f.handle(t, ev)

	a := f.article(t, putKey)
	if want := "object is 50.1 MB; the limit is 2 MB"; a.Status != quote.StatusFailed || a.Reason != want {
		t.Errorf("article = status %s, reason %q; want failed, %q", a.Status, a.Reason, want)
	}
	if len(f.objects.gets) != 0 {
		t.Errorf("fetched %q; an object the event says is too large must not be fetched", f.objects.gets)
	}
}

func TestHandleTooLargeFetched(t *testing.T) {
	f := newFixture(t)
	f.handler.Pipeline.MaxBytes = 100
	f.objects.put("quotes-articles", putKey, articleV1) // the event's size is stale
	f.handle(t, loadEvent(t, "s3-put.json"))

	a := f.article(t, putKey)
	if want := "object is 412 bytes; the limit is 100 bytes"; a.Status != quote.StatusFailed || a.Reason != want {
		t.Errorf("article = status %s, reason %q; want failed, %q", a.Status, a.Reason, want)
	}
}

func TestHandleRetriesOnlyTransientFailures(t *testing.T) {
	f := newFixture(t)
	ev := loadEvent(t, "s3-put-keys.json")
	f.objects.put("quotes-articles", "inbox/Kerry in Geneva (2015).txt", "“Fine,” he said.")
	f.objects.errs["inbox/a+b=c.txt"] = errors.New("connection reset by peer")
	f.objects.put("quotes-articles", "inbox/nested/café Zelénskyy.md", "\x89PNG\r\n\x1a\n")
	// inbox/中国.json is missing.

	err := f.handler.Handle(t.Context(), ev)
	if err == nil || !strings.Contains(err.Error(), "connection reset by peer") || !strings.Contains(err.Error(), "inbox/a+b=c.txt") {
		t.Fatalf("Handle error = %v, want the transient failure of inbox/a+b=c.txt only", err)
	}
	if strings.Count(err.Error(), "\n") != 0 {
		t.Errorf("Handle error = %v, want one failure", err)
	}
	statuses := map[string]quote.Status{
		"inbox/Kerry in Geneva (2015).txt": quote.StatusExtracted,
		"inbox/nested/café Zelénskyy.md":   quote.StatusFailed,
		"inbox/中国.json":                    quote.StatusFailed,
	}
	for key, want := range statuses {
		if got := f.article(t, key).Status; got != want {
			t.Errorf("status of %q = %s, want %s", key, got, want)
		}
	}
	if _, err := f.store.Article(t.Context(), quote.ArticleID("inbox/a+b=c.txt")); quote.ErrorCode(err) != quote.ENotFound {
		t.Errorf("the transiently failed record was stored (error %v); it must be left for the retry", err)
	}
}

func TestHandleStoreFailureIsRetried(t *testing.T) {
	f := newFixture(t)
	f.objects.put("quotes-articles", putKey, articleV1)
	if err := f.store.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	for _, name := range []string{"s3-put.json", "s3-delete.json"} {
		err := f.handler.Handle(t.Context(), loadEvent(t, name))
		if err == nil || quote.ErrorCode(err) != quote.EInternal {
			t.Errorf("Handle(%s) on a closed store = %v, want an internal error to retry", name, err)
		}
	}
}

func TestHandleIgnoresOtherEvents(t *testing.T) {
	f := newFixture(t)
	f.objects.put("quotes-articles", putKey, articleV1)
	f.handle(t, loadEvent(t, "s3-restore.json"))
	if _, err := f.store.Article(t.Context(), quote.ArticleID(putKey)); quote.ErrorCode(err) != quote.ENotFound {
		t.Errorf("a restore event stored an article (error %v)", err)
	}
}

func TestHandleIgnoresFolderMarkers(t *testing.T) {
	f := newFixture(t)
	for _, name := range []string{"s3-put.json", "s3-delete.json"} {
		ev := loadEvent(t, name)
		ev.Records[0].S3.Object.Key = "news/2015/"
		f.objects.put("quotes-articles", "news/2015/", "")
		f.handle(t, ev)
	}
	if _, err := f.store.Article(t.Context(), quote.ArticleID("news/2015/")); quote.ErrorCode(err) != quote.ENotFound {
		t.Errorf("a folder marker was recorded as an article (error %v)", err)
	}
	if len(f.objects.gets) != 0 {
		t.Errorf("fetched %q for a folder marker", f.objects.gets)
	}
}

func TestHandleMalformedKeySkipped(t *testing.T) {
	f := newFixture(t)
	ev := loadEvent(t, "s3-put.json")
	ev.Records[0].S3.Object.Key = "bad%zzkey.txt"
	f.handle(t, ev)
	if !strings.Contains(f.logs.String(), "malformed key") {
		t.Errorf("logs do not report the malformed key:\n%s", f.logs)
	}
}

// requestIDHandler adds the Lambda request id found in a record's context,
// as the Lambda runtime's handler (lambdacontext.NewLogHandler) does.
type requestIDHandler struct{ slog.Handler }

func (h requestIDHandler) Handle(ctx context.Context, r slog.Record) error {
	if lc, ok := lambdacontext.FromContext(ctx); ok {
		r.AddAttrs(slog.String("requestId", lc.AwsRequestID))
	}
	return h.Handler.Handle(ctx, r)
}

func (h requestIDHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return requestIDHandler{h.Handler.WithAttrs(attrs)}
}

func (h requestIDHandler) WithGroup(name string) slog.Handler {
	return requestIDHandler{h.Handler.WithGroup(name)}
}

func TestHandleLogsWithEventContext(t *testing.T) {
	f := newFixture(t)
	log := slog.New(requestIDHandler{slog.NewJSONHandler(f.logs, nil)})
	f.handler.Log, f.handler.Pipeline.Log = log, log
	f.objects.put("quotes-articles", putKey, articleV1)
	ctx := lambdacontext.NewContext(t.Context(), &lambdacontext.LambdaContext{AwsRequestID: "c6af9ac6-7b61-11e6-9a41-93e812345678"})
	if err := f.handler.Handle(ctx, loadEvent(t, "s3-put.json")); err != nil {
		t.Fatalf("Handle: %v", err)
	}
	if err := f.handler.Handle(ctx, loadEvent(t, "s3-put.json")); err != nil {
		t.Fatalf("Handle: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(f.logs.String()), "\n")
	wantMsgs := []string{"article extracted", "skipped stale event"}
	if len(lines) != len(wantMsgs) {
		t.Fatalf("logged %d lines, want %d:\n%s", len(lines), len(wantMsgs), f.logs)
	}
	for i, line := range lines {
		var entry struct {
			Msg       string `json:"msg"`
			RequestID string `json:"requestId"`
			ArticleID string `json:"articleId"`
			Key       string `json:"key"`
			Version   string `json:"version"`
		}
		if err := json.Unmarshal([]byte(line), &entry); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		want := entry
		want.Msg, want.RequestID, want.ArticleID, want.Key, want.Version = wantMsgs[i], "c6af9ac6-7b61-11e6-9a41-93e812345678", quote.ArticleID(putKey), putKey, putSequencer
		if entry != want {
			t.Errorf("log line %d = %+v, want %+v", i, entry, want)
		}
	}
}

func TestEventVersionWithoutSequencer(t *testing.T) {
	now := func() time.Time { return time.Unix(0, 0x1000) }
	earlier := events.S3EventRecord{EventTime: time.Date(2015, 11, 5, 14, 30, 0, 0, time.UTC)}
	later := events.S3EventRecord{EventTime: earlier.EventTime.Add(time.Millisecond)}
	if v1, v2 := eventVersion(earlier, now), eventVersion(later, now); quote.CompareVersions(v1, v2) >= 0 {
		t.Errorf("versions from event times %s and %s do not order: %s, %s", earlier.EventTime, later.EventTime, v1, v2)
	}
	if got, want := eventVersion(events.S3EventRecord{}, now), "0000000000001000"; got != want {
		t.Errorf("version without sequencer or time = %s, want the clock's %s", got, want)
	}
	withSequencer := events.S3EventRecord{S3: events.S3Entity{Object: events.S3Object{Sequencer: "0055AED6DCD90281E5"}}}
	if got := eventVersion(withSequencer, now); got != "0055AED6DCD90281E5" {
		t.Errorf("version = %s, want the sequencer", got)
	}
}

// TestHandleArticleWithTwentyThousandQuotes: a transcript or a data dump
// rather than an article, but an upload like any other — its first
// DefaultMaxQuotes quotes are stored and served, the rest counted as
// truncated with the reason, and deleting it takes them all.
func TestHandleArticleWithTwentyThousandQuotes(t *testing.T) {
	const n = 20_000
	var body strings.Builder
	body.WriteString("Transcript\n\n")
	for i := range n {
		fmt.Fprintf(&body, "“We will press point number %d on the table today,” Kerry said.\n\n", i)
	}
	if body.Len() > decode.DefaultMaxBytes {
		t.Fatalf("test article is %d bytes, over the %d limit", body.Len(), decode.DefaultMaxBytes)
	}
	f := newFixture(t)
	f.objects.put("quotes-articles", putKey, body.String())
	f.handle(t, loadEvent(t, "s3-put.json"))

	if a := f.article(t, putKey); a.Status != quote.StatusExtracted || a.QuoteCount != DefaultMaxQuotes ||
		a.Truncated != n-DefaultMaxQuotes || !strings.Contains(a.Reason, "only the first 1000 are stored") {
		t.Fatalf("article status %q with %d quotes, %d truncated (%s), want extracted with %d, %d truncated",
			a.Status, a.QuoteCount, a.Truncated, a.Reason, DefaultMaxQuotes, n-DefaultMaxQuotes)
	}
	page, err := f.store.Quotes(t.Context(), store.Query{SpeakerID: "kerry", Limit: store.MaxLimit})
	if err != nil || len(page.Quotes) != store.MaxLimit || page.NextCursor == "" {
		t.Errorf("Kerry's first page: %d quotes, next %q, err %v; want a full page and more", len(page.Quotes), page.NextCursor, err)
	}
	if !strings.Contains(f.logs.String(), "conflicting attributions checked for the first quotes only") {
		t.Errorf("logs do not say the conflict check was bounded:\n%.2000s", f.logs)
	}

	f.handle(t, loadEvent(t, "s3-delete.json"))
	if got := f.quoteTexts(t, putKey); len(got) != 0 {
		t.Errorf("after the delete event %d quotes remain", len(got))
	}
}

// TestHandleVersionedRemovals: in the versioned bucket, a DELETE naming a
// versionId removes that version for good. Only the current version
// matters, and the key's current object decides: an old version removed
// leaves the article; the current one removed brings the older one back;
// removing a delete marker undeletes.
func TestHandleVersionedRemovals(t *testing.T) {
	f := newFixture(t)
	sequencer := 0x0055AED6DCD9028300
	event := func(name, versionID string) events.S3Event {
		ev := loadEvent(t, "s3-delete.json")
		ev.Records[0].EventName = name
		ev.Records[0].S3.Object.VersionID = versionID
		sequencer++
		ev.Records[0].S3.Object.Sequencer = fmt.Sprintf("%X", sequencer)
		return ev
	}
	f.objects.put("quotes-articles", putKey, articleV1)
	f.handle(t, loadEvent(t, "s3-put.json"))
	v1 := f.quoteTexts(t, putKey)

	steps := []struct {
		name string
		// object is what the key holds after the step ("" for nothing,
		// or a delete marker).
		object    string
		event     events.S3Event
		wantTexts []string // nil: no article
	}{
		{"an old version removed", articleV1, event("ObjectRemoved:Delete", "old-version"), v1},
		{"a delete marker created", "", event("ObjectRemoved:DeleteMarkerCreated", "marker"), nil},
		{"the delete marker removed: undeleted", articleV1, event("ObjectRemoved:Delete", "marker"), v1},
		{"the current version removed, an older one current again", articleV2, event("ObjectRemoved:Delete", "v1"), []string{
			"We will not stop until there is a ceasefire,", "Washington must talk to Damascus,"}},
		{"the last version removed", "", event("ObjectRemoved:Delete", "v0"), nil},
	}
	for _, step := range steps {
		f.objects.mu.Lock()
		if step.object == "" {
			delete(f.objects.objects, "quotes-articles/"+putKey)
		} else {
			f.objects.objects["quotes-articles/"+putKey] = []byte(step.object)
		}
		f.objects.mu.Unlock()
		f.handle(t, step.event)
		if got := f.quoteTexts(t, putKey); !slices.Equal(got, step.wantTexts) {
			t.Fatalf("after %s: quotes %q, want %q", step.name, got, step.wantTexts)
		}
		if step.wantTexts != nil {
			if a := f.article(t, putKey); !a.UploadedAt.Equal(headTime) {
				t.Errorf("after %s: uploaded_at %v, want the current object's %v", step.name, a.UploadedAt, headTime)
			}
		}
	}
	if want := 4; len(f.objects.heads) != want {
		t.Errorf("HeadObject calls = %d (%q), want one per version removed (%d)", len(f.objects.heads), f.objects.heads, want)
	}
}
