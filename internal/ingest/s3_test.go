package ingest

import (
	"context"
	"crypto/rand"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/newsroom-tools/quotes/internal/awstest"
	"github.com/newsroom-tools/quotes/internal/quote"
)

// The local AWS servers start once for this test binary, when the first
// test needing them runs, and TestMain stops them: the decoder's and the
// handler's tests, and fuzzing's worker processes, have no use for them.
var (
	startServers sync.Once
	servers      *awstest.Servers
	serversErr   error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if servers != nil {
		servers.Stop()
	}
	os.Exit(code)
}

func awsServers(t *testing.T) *awstest.Servers {
	t.Helper()
	startServers.Do(func() { servers, serversErr = awstest.Start(context.Background()) })
	if serversErr != nil {
		t.Fatal(serversErr)
	}
	return servers
}

// newBucket creates a bucket only the calling test uses.
func newBucket(t *testing.T) string {
	t.Helper()
	name := "ingest-" + strings.ToLower(rand.Text()[:12])
	if err := awsServers(t).CreateBucket(t.Context(), name); err != nil {
		t.Fatal(err)
	}
	return name
}

func putObject(t *testing.T, bucket, key, body string) {
	t.Helper()
	_, err := awsServers(t).S3().PutObject(t.Context(), &s3.PutObjectInput{
		Bucket: aws.String(bucket), Key: aws.String(key), Body: strings.NewReader(body),
	})
	if err != nil {
		t.Fatalf("put s3://%s/%s: %v", bucket, key, err)
	}
}

func deleteObject(t *testing.T, bucket, key string) {
	t.Helper()
	if _, err := awsServers(t).S3().DeleteObject(t.Context(), &s3.DeleteObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)}); err != nil {
		t.Fatalf("delete s3://%s/%s: %v", bucket, key, err)
	}
}

// s3Event is the fixture's event retargeted at key in bucket, the key
// URL-encoded as S3 encodes it.
func s3Event(t *testing.T, fixture, bucket, key string) events.S3Event {
	t.Helper()
	ev := loadEvent(t, fixture)
	for i := range ev.Records {
		ev.Records[i].S3.Bucket.Name = bucket
		ev.Records[i].S3.Bucket.Arn = "arn:aws:s3:::" + bucket
		ev.Records[i].S3.Object.Key = strings.ReplaceAll(url.QueryEscape(key), "%2F", "/")
		ev.Records[i].S3.Object.Size = 0
	}
	return ev
}

func TestS3ObjectsGet(t *testing.T) {
	bucket := newBucket(t)
	putObject(t, bucket, "a/story.txt", "“Hello,” she said.")
	objects := &S3Objects{Client: awsServers(t).S3()}

	tests := []struct {
		name     string
		key      string
		limit    int64
		want     string
		wantCode string
		wantMsg  string
	}{
		{"whole object", "a/story.txt", 1024, "“Hello,” she said.", "", ""},
		{"object at the limit", "a/story.txt", int64(len("“Hello,” she said.")), "“Hello,” she said.", "", ""},
		{"object over the limit", "a/story.txt", 10, "", quote.EInvalid, "object is 22 bytes; the limit is 10 bytes"},
		{"missing object", "a/none.txt", 1024, "", quote.ENotFound, `no object "a/none.txt" in bucket ` + bucket},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := objects.Get(t.Context(), bucket, tt.key, tt.limit)
			if code := quote.ErrorCode(err); code != tt.wantCode {
				t.Fatalf("Get error = %v (code %q), want code %q", err, code, tt.wantCode)
			}
			if err != nil && quote.ErrorMessage(err) != tt.wantMsg {
				t.Errorf("Get error message = %q, want %q", quote.ErrorMessage(err), tt.wantMsg)
			}
			if string(got.Body) != tt.want {
				t.Errorf("Get = %q, want %q", got.Body, tt.want)
			}
		})
	}
}

func TestS3ObjectsGetMissingBucketIsTransient(t *testing.T) {
	objects := &S3Objects{Client: awsServers(t).S3()}
	_, err := objects.Get(t.Context(), "no-such-bucket-"+strings.ToLower(rand.Text()[:8]), "a.txt", 1024)
	if code := quote.ErrorCode(err); code != quote.EInternal {
		t.Errorf("Get from a missing bucket: error %v (code %q), want an internal error, retried", err, code)
	}
}

func s3Handler(t *testing.T) *Handler {
	t.Helper()
	log := slog.New(slog.NewJSONHandler(&syncBuffer{}, nil))
	return &Handler{Pipeline: NewPipeline(openStore(t), log), Objects: &S3Objects{Client: awsServers(t).S3()}, Log: log}
}

func TestHandlerWithS3(t *testing.T) {
	bucket := newBucket(t)
	key := "2015/11/Kerry in Genève + Lavrov.txt"
	putObject(t, bucket, key, articleV1)
	h := s3Handler(t)

	if err := h.Handle(t.Context(), s3Event(t, "s3-put.json", bucket, key)); err != nil {
		t.Fatalf("Handle put: %v", err)
	}
	a, err := h.Pipeline.Store.Article(t.Context(), quote.ArticleID(key))
	if err != nil {
		t.Fatalf("Article: %v", err)
	}
	if a.Key != key || a.Status != quote.StatusExtracted || a.QuoteCount != 3 || a.Title != "Kerry presses on in Geneva" {
		t.Errorf("article = key %q, status %s (%s), %d quotes, title %q; want %q extracted with 3 quotes",
			a.Key, a.Status, a.Reason, a.QuoteCount, a.Title, key)
	}

	deleteObject(t, bucket, key)
	if err := h.Handle(t.Context(), s3Event(t, "s3-delete.json", bucket, key)); err != nil {
		t.Fatalf("Handle delete: %v", err)
	}
	if _, err := h.Pipeline.Store.Article(t.Context(), quote.ArticleID(key)); quote.ErrorCode(err) != quote.ENotFound {
		t.Errorf("Article after delete: error %v, want not found", err)
	}
}

func TestHandlerWithS3ObjectGone(t *testing.T) {
	bucket := newBucket(t)
	key := "gone.txt"
	putObject(t, bucket, key, articleV1)
	deleteObject(t, bucket, key) // before its creation event is handled
	h := s3Handler(t)

	if err := h.Handle(t.Context(), s3Event(t, "s3-put.json", bucket, key)); err != nil {
		t.Fatalf("Handle: %v; a vanished object is no error to retry", err)
	}
	a, err := h.Pipeline.Store.Article(t.Context(), quote.ArticleID(key))
	if err != nil {
		t.Fatalf("Article: %v", err)
	}
	if a.Status != quote.StatusFailed || a.Reason != ReasonGone {
		t.Errorf("article = status %s, reason %q; want failed, %q", a.Status, a.Reason, ReasonGone)
	}
}

func TestHandlerWithS3TooLarge(t *testing.T) {
	bucket := newBucket(t)
	key := "big.txt"
	putObject(t, bucket, key, strings.Repeat("words ", 400))
	h := s3Handler(t)
	h.Pipeline.MaxBytes = 1 << 10

	if err := h.Handle(t.Context(), s3Event(t, "s3-put.json", bucket, key)); err != nil {
		t.Fatalf("Handle: %v", err)
	}
	a, err := h.Pipeline.Store.Article(t.Context(), quote.ArticleID(key))
	if err != nil {
		t.Fatalf("Article: %v", err)
	}
	if want := "object is 2.3 KB; the limit is 1 KB"; a.Status != quote.StatusFailed || a.Reason != want {
		t.Errorf("article = status %s, reason %q; want failed, %q", a.Status, a.Reason, want)
	}
}

// TestS3ObjectsGetPublished reads the date an uploader set as the header
// x-amz-meta-published.
func TestS3ObjectsGetPublished(t *testing.T) {
	bucket := newBucket(t)
	_, err := awsServers(t).S3().PutObject(t.Context(), &s3.PutObjectInput{
		Bucket: aws.String(bucket), Key: aws.String("dated.txt"), Body: strings.NewReader("“Hi,” she said."),
		Metadata: map[string]string{"published": "2016-07-15"},
	})
	if err != nil {
		t.Fatal(err)
	}
	putObject(t, bucket, "undated.txt", "“Hi,” she said.")
	objects := &S3Objects{Client: awsServers(t).S3()}
	for key, want := range map[string]string{"dated.txt": "2016-07-15", "undated.txt": ""} {
		got, err := objects.Get(t.Context(), bucket, key, 1024)
		if err != nil || got.Published != want {
			t.Errorf("Get(%s) published = %q, %v; want %q", key, got.Published, err, want)
		}
	}
}

// TestS3ObjectsGetPlain404IsNotFound: an S3-compatible endpoint (or a
// proxy) answering 404 with no error code means the object is gone, for
// good, not a failure to retry; a missing bucket stays retried.
func TestS3ObjectsGetPlain404IsNotFound(t *testing.T) {
	tests := []struct {
		name     string
		body     string
		wantCode string
	}{
		{"empty 404", "", quote.ENotFound},
		{"404 with another code", `<?xml version="1.0"?><Error><Code>NotFound</Code><Message>gone</Message></Error>`, quote.ENotFound},
		{"missing bucket", `<?xml version="1.0"?><Error><Code>NoSuchBucket</Code><Message>no bucket</Message></Error>`, quote.EInternal},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/xml")
				w.WriteHeader(http.StatusNotFound)
				io.WriteString(w, tt.body)
			}))
			t.Cleanup(srv.Close)
			client := s3.New(s3.Options{
				Region: "us-east-1", BaseEndpoint: aws.String(srv.URL), UsePathStyle: true,
				Credentials:      credentials.NewStaticCredentialsProvider("key", "secret", ""),
				RetryMaxAttempts: 1,
			})
			_, err := (&S3Objects{Client: client}).Get(t.Context(), "articles", "a.txt", 1024)
			if code := quote.ErrorCode(err); code != tt.wantCode {
				t.Errorf("Get = %v (code %q), want code %q", err, code, tt.wantCode)
			}
		})
	}
}

func TestS3ObjectsHead(t *testing.T) {
	bucket := newBucket(t)
	putObject(t, bucket, "a/story.txt", "“Hello,” she said.")
	objects := &S3Objects{Client: awsServers(t).S3()}
	at, err := objects.Head(t.Context(), bucket, "a/story.txt")
	if err != nil || at.IsZero() {
		t.Errorf("Head of a stored object = %v, %v; want its upload time", at, err)
	}
	if _, err := objects.Head(t.Context(), bucket, "a/none.txt"); quote.ErrorCode(err) != quote.ENotFound {
		t.Errorf("Head of a missing object = %v, want not found", err)
	}
}
