package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/newsroom-tools/quotes/internal/ingest"
	"github.com/newsroom-tools/quotes/internal/localbucket"
	"github.com/newsroom-tools/quotes/internal/quote"
	"github.com/newsroom-tools/quotes/internal/store"
	"github.com/newsroom-tools/quotes/internal/store/bolt"
)

// serveConfig is what `quotes serve` is told; flags win over environment.
type serveConfig struct {
	addr  string
	data  string
	watch string
	// bucket names the bucket in events, and the S3 bucket with s3Endpoint.
	bucket string
	// With dynamoEndpoint ("aws" for AWS itself) the store is that DynamoDB
	// table instead of the embedded one.
	dynamoEndpoint, table string
	// With s3Endpoint ("aws" for AWS itself) localbucket.Target go to that S3 bucket.
	s3Endpoint string
	cursorKey  string
}

func parseServe(args []string, stderr io.Writer) (serveConfig, error) {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c serveConfig
	fs.StringVar(&c.addr, "addr", envOr("QUOTES_ADDR", "127.0.0.1:8080"), "address to listen on")
	fs.StringVar(&c.data, "data", envOr("QUOTES_DATA", ".quotes-data"), "folder for the embedded store and the local bucket")
	fs.StringVar(&c.watch, "watch", "", "mirror this folder into the bucket: files dropped in are ingested, removed ones deleted")
	fs.StringVar(&c.bucket, "bucket", envOr("QUOTES_BUCKET", "articles"), "bucket name")
	fs.StringVar(&c.dynamoEndpoint, "dynamodb-endpoint", os.Getenv("QUOTES_DYNAMODB_ENDPOINT"), `store quotes in DynamoDB at this endpoint ("aws" for AWS) instead of the embedded store`)
	fs.StringVar(&c.table, "table", envOr("QUOTES_TABLE", "quotes"), "DynamoDB table, with --dynamodb-endpoint")
	fs.StringVar(&c.s3Endpoint, "s3-endpoint", os.Getenv("QUOTES_S3_ENDPOINT"), `keep localbucket.Target in the S3 bucket at this endpoint ("aws" for AWS) instead of --data`)
	c.cursorKey = os.Getenv("QUOTES_CURSOR_KEY")
	if err := fs.Parse(args); err != nil {
		return c, errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "quotes serve: unexpected arguments %q\n", fs.Args())
		return c, errUsage
	}
	return c, nil
}

func envOr(name, fallback string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return fallback
}

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	c, err := parseServe(args, stderr)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewJSONHandler(stderr, nil))

	st, closeStore, err := openStore(ctx, c, log)
	if err != nil {
		return err
	}
	defer closeStore()

	pipeline := ingest.NewPipeline(st, log)
	events := &ingest.Handler{Pipeline: pipeline, Log: log}
	bucket, err := openBucket(ctx, c, events)
	if err != nil {
		return err
	}

	mux := http.NewServeMux()
	mux.Handle("/bucket/", &bucketHandler{bucket: bucket, store: st, log: log})
	mux.Handle("/", newAPI(st, pipeline, log))

	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(stdout, "quotes: serving on http://%s (data in %s)\n", ln.Addr(), c.data)

	if c.watch != "" {
		go localbucket.Watch(ctx, c.watch, time.Second, bucket, log)
	}
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()
	select {
	case err := <-serveErr:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return srv.Shutdown(shutdown)
}

// openStore opens the embedded store under the data folder, or the
// DynamoDB table when an endpoint is given.
func openStore(ctx context.Context, c serveConfig, log *slog.Logger) (store.Store, func(), error) {
	if c.dynamoEndpoint != "" {
		st, err := openDynamo(ctx, c, log)
		return st, func() {}, err
	}
	db, err := bolt.Open(filepath.Join(c.data, "quotes.db"), bolt.Options{CursorKey: []byte(c.cursorKey)})
	if err != nil {
		return nil, nil, err
	}
	return db, func() {
		if err := db.Close(); err != nil {
			log.Error("close store", "error", err)
		}
	}, nil
}

// openBucket returns the local bucket under the data folder, or the S3
// bucket when an endpoint is given, wired to announce changes to events.
func openBucket(ctx context.Context, c serveConfig, events *ingest.Handler) (localbucket.Target, error) {
	if c.s3Endpoint != "" {
		return openS3Bucket(ctx, c, events)
	}
	b, err := localbucket.New(c.bucket, filepath.Join(c.data, "bucket"), events.Handle)
	if err != nil {
		return nil, err
	}
	events.Objects = folderObjects{b}
	return b, nil
}

// folderObjects lets ingest read the local bucket as it reads S3.
type folderObjects struct{ bucket *localbucket.Bucket }

func (o folderObjects) Get(_ context.Context, _, key string, limit int64) ([]byte, error) {
	f, err := o.bucket.Open(key)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("local bucket: stat %s: %w", key, err)
	}
	return ingest.ReadObject(f, info.Size(), limit)
}

// bucketHandler is the local bucket over HTTP: `curl -T FILE URL/bucket/KEY`
// localbucket.Target and answers what ingest made of it; DELETE removes.
type bucketHandler struct {
	bucket localbucket.Target
	store  store.Store
	log    *slog.Logger
}

func (h *bucketHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	key := r.URL.Path[len("/bucket/"):]
	switch r.Method {
	case http.MethodPut, http.MethodPost:
		if err := h.bucket.Put(r.Context(), key, r.Body); err != nil {
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
		if err := h.bucket.Delete(r.Context(), key); err != nil {
			h.fail(w, r, key, err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"key": key, "deleted": true})
	default:
		w.Header().Set("Allow", "PUT, POST, DELETE")
		writeError(w, http.StatusMethodNotAllowed, "method_not_allowed", "the bucket takes PUT and DELETE")
	}
}

func (h *bucketHandler) fail(w http.ResponseWriter, r *http.Request, key string, err error) {
	switch quote.ErrorCode(err) {
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
