// Package localserver composes the whole service in one process for local
// runs and end-to-end tests: the embedded store (or a DynamoDB table), the
// ingest pipeline behind a bucket (a folder, or S3) that announces uploads
// with real S3 events, and the API handler the API Lambda serves.
package localserver

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"

	"github.com/newsroom-tools/quotes/internal/httpapi"
	"github.com/newsroom-tools/quotes/internal/ingest"
	"github.com/newsroom-tools/quotes/internal/localbucket"
	"github.com/newsroom-tools/quotes/internal/quote"
	"github.com/newsroom-tools/quotes/internal/store"
	"github.com/newsroom-tools/quotes/internal/store/bolt"
	"github.com/newsroom-tools/quotes/internal/topic"
	"github.com/newsroom-tools/quotes/internal/web"
)

// Config says where the service keeps its data.
type Config struct {
	// Data is the folder for the embedded store and the local bucket.
	Data string
	// Bucket names the bucket in events, and the S3 bucket with S3Endpoint.
	Bucket string
	// With DynamoEndpoint ("aws" for AWS itself) the store is that
	// DynamoDB Table instead of the embedded one.
	DynamoEndpoint, Table string
	// With S3Endpoint ("aws" for AWS itself) uploads go to the S3 bucket.
	S3Endpoint string
	// CursorKey signs page cursors; the embedded store keeps its own when
	// empty.
	CursorKey string
	// Topics is a topic alias file (see internal/topic/aliases.txt) to use
	// instead of the built-in one.
	Topics string
	// Access says who may read and write.
	Access Access
	Log    *slog.Logger
}

// Server is the composed service.
type Server struct {
	// Handler serves the API and, under /bucket/, the bucket: PUT (or
	// `curl -T FILE URL/bucket/KEY`) uploads and answers what ingest made
	// of the object; DELETE removes it. Config.Access guards it all.
	Handler http.Handler
	// Bucket takes uploads, for a folder watcher.
	Bucket localbucket.Target
	Store  store.Store
	close  func()
	// events is the ingest the bucket announces to; bucketName and
	// objectKeys name the bucket and list its objects, for Reindex.
	events     *ingest.Handler
	bucketName string
	objectKeys func(context.Context) ([]string, error)
}

// Open composes the service.
func Open(ctx context.Context, c Config) (*Server, error) {
	log := c.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	st, closeStore, err := OpenStore(ctx, c, log)
	if err != nil {
		return nil, err
	}
	pipeline := ingest.NewPipeline(st, log)
	if c.Topics != "" {
		if pipeline.Topics, err = loadTopics(c.Topics); err != nil {
			closeStore()
			return nil, err
		}
	}
	events := &ingest.Handler{Pipeline: pipeline, Log: log}
	bucket, err := openBucket(ctx, c, events)
	if err != nil {
		closeStore()
		return nil, err
	}
	if db, ok := st.(*bolt.DB); ok {
		if folder, ok := bucket.(folderBucket); ok {
			if err := reconcile(ctx, db, folder.Bucket, log); err != nil {
				closeStore()
				return nil, err
			}
		}
	}
	mux := http.NewServeMux()
	mux.Handle("/bucket/", &bucketHandler{bucket: bucket, store: st, log: log})
	api := newAPI(st, pipeline, log)
	mux.Handle("/", api)
	mux.Handle("POST /verify", limitPerClient(api, maxVerifyPerClient))
	return &Server{Handler: c.Access.guard(mux), Bucket: bucket, Store: st, close: closeStore,
		events: events, bucketName: c.Bucket, objectKeys: bucket.keys}, nil
}

// Close releases the store.
func (s *Server) Close() { s.close() }

// OpenStore opens the embedded store under the data folder, or the
// DynamoDB table when an endpoint is given, and returns it with the
// function that closes it.
func OpenStore(ctx context.Context, c Config, log *slog.Logger) (store.Store, func(), error) {
	if c.DynamoEndpoint != "" {
		st, err := openDynamo(ctx, c, log)
		return st, func() {}, err
	}
	db, err := bolt.Open(filepath.Join(c.Data, "quotes.db"), bolt.Options{CursorKey: []byte(c.CursorKey)})
	if err != nil {
		return nil, nil, err
	}
	return db, func() {
		if err := db.Close(); err != nil {
			log.Error("close store", "error", err)
		}
	}, nil
}

// bucket is where uploads go: a folder, or an S3 bucket.
type bucket interface {
	localbucket.Target
	// keys lists the bucket's objects.
	keys(ctx context.Context) ([]string, error)
}

// folderBucket is the local bucket under the data folder.
type folderBucket struct{ *localbucket.Bucket }

func (b folderBucket) keys(ctx context.Context) ([]string, error) {
	objects, err := b.Objects(ctx)
	if err != nil {
		return nil, err
	}
	keys := make([]string, len(objects))
	for i, o := range objects {
		keys[i] = o.Key
	}
	return keys, nil
}

// openBucket returns the local bucket under the data folder, or the S3
// bucket when an endpoint is given, wired to announce changes to events.
func openBucket(ctx context.Context, c Config, events *ingest.Handler) (bucket, error) {
	if c.S3Endpoint != "" {
		return openS3Bucket(ctx, c, events)
	}
	b, err := localbucket.New(c.Bucket, filepath.Join(c.Data, "bucket"), events.Handle)
	if err != nil {
		return nil, err
	}
	events.Objects = ingest.FileObjects{Open: b.Open, Metadata: b.Metadata}
	return folderBucket{b}, nil
}

// bucketHandler is the bucket over HTTP.
type bucketHandler struct {
	bucket localbucket.Target
	store  store.Store
	log    *slog.Logger
	// keys holds a key from a request's operation to its answer, so that
	// a PUT answers with the article its own upload made, not what a
	// DELETE racing it left.
	keys localbucket.KeyLocks
}

func (h *bucketHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	key := r.URL.Path[len("/bucket/"):]
	switch r.Method {
	// Uploads are PUT only: a cross-site POST of text/plain needs no CORS
	// preflight, a PUT does.
	case http.MethodPut:
		if r.ContentLength > localbucket.MaxObjectSize {
			// Refused on its declared length, without waiting for a body.
			writeError(w, http.StatusRequestEntityTooLarge, "too_large",
				fmt.Sprintf("the object is larger than %d MB, the bucket's limit", localbucket.MaxObjectSize>>20))
			return
		}
		defer h.keys.Lock(key)()
		// x-amz-meta-published dates the article, as on S3.
		if err := h.bucket.Put(r.Context(), key, r.Body, localbucket.MetadataFromHeader(r.Header)); err != nil {
			h.fail(w, r, key, err)
			return
		}
		a, err := h.store.Article(r.Context(), quote.ArticleID(key))
		if err != nil {
			h.fail(w, r, key, err)
			return
		}
		a.Text = ""
		writeJSON(w, http.StatusOK, a)
	case http.MethodDelete:
		defer h.keys.Lock(key)()
		if err := h.bucket.Delete(r.Context(), key); err != nil {
			h.fail(w, r, key, err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"key": key, "deleted": true})
	default:
		w.Header().Set("Allow", "PUT, DELETE")
		writeError(w, http.StatusMethodNotAllowed, "method_not_allowed", "the bucket takes PUT and DELETE")
	}
}

func (h *bucketHandler) fail(w http.ResponseWriter, r *http.Request, key string, err error) {
	code := quote.ErrorCode(err)
	if code == quote.EInternal && r.Context().Err() != nil {
		// The client went away: its upload or deletion may or may not have
		// been done, as with S3, and nothing failed on our side.
		h.log.InfoContext(r.Context(), "bucket: request abandoned by the client", "method", r.Method, "key", key, "error", err)
		writeError(w, httpapi.StatusClientClosedRequest, quote.EInternal, "the request was abandoned before it was answered")
		return
	}
	switch code {
	case quote.EInvalid:
		writeError(w, http.StatusBadRequest, quote.EInvalid, quote.ErrorMessage(err))
	case quote.ENotFound:
		writeError(w, http.StatusNotFound, quote.ENotFound, quote.ErrorMessage(err))
	default:
		h.log.ErrorContext(r.Context(), "bucket", "method", r.Method, "key", key, "error", err)
		writeError(w, http.StatusInternalServerError, quote.EInternal,
			"storing or ingesting the object failed; it is safe to send it again")
	}
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	// The status is sent; a failed write means the client has gone.
	_ = json.NewEncoder(w).Encode(body)
}

func writeError(w http.ResponseWriter, status int, code, message string) {
	writeJSON(w, status, map[string]any{"error": map[string]string{"code": code, "message": message}})
}

// newAPI is the same handler the API Lambda serves.
func newAPI(st store.Store, pipeline *ingest.Pipeline, log *slog.Logger) http.Handler {
	return httpapi.New(st, httpapi.Options{Logger: log, CanonicalTopic: pipeline.Topics.Canonical, Web: web.Handler()})
}

func loadTopics(path string) (*topic.Tagger, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("topic aliases: %w", err)
	}
	defer f.Close()
	t, err := topic.Load(f)
	if err != nil {
		return nil, fmt.Errorf("topic aliases %s: %w", path, err)
	}
	return t, nil
}
