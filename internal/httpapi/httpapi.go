// Package httpapi serves the quotes API over net/http: one http.Handler
// shared by the local server and, through LambdaAdapter, the API Lambda.
// Every response is JSON (except the OpenAPI document and the web page,
// when one is mounted), and every error has the shape
// {"error": {"code": "...", "message": "..."}}.
package httpapi

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/newsroom-tools/quotes/internal/quote"
	"github.com/newsroom-tools/quotes/internal/speaker"
	"github.com/newsroom-tools/quotes/internal/store"
	"github.com/newsroom-tools/quotes/internal/verify"
)

// Store is what the API reads: the quotes, and what fact-checkers ask of
// them beyond search.
type Store interface {
	store.Store
	store.Insights
}

// Options configures New. The zero value is usable.
type Options struct {
	// Logger receives the access log and internal errors; slog.Default()
	// when nil.
	Logger *slog.Logger
	// CanonicalTopic maps a topic as a user typed it to the form stored in
	// Quote.Topics (for instance (*topic.Tagger).Canonical); taken as a
	// func so this package does not depend on the tagger. Identity when nil.
	CanonicalTopic func(string) string
	// Web, when set, serves the web page: GET / and GET /assets/{path...}
	// are handed to it as they are. Taken as a handler so this package
	// does not depend on the page; without it those paths answer 404 like
	// any unknown route.
	Web http.Handler
}

// maxBodyBytes bounds every request body: the API's JSON requests are a
// handful of short fields.
const maxBodyBytes = 64 << 10

// Error codes the HTTP layer adds to quote's, for requests refused for
// their form (method, body) rather than their content.
const (
	codeMethodNotAllowed     = "method_not_allowed"
	codeTooLarge             = "too_large"
	codeUnsupportedMediaType = "unsupported_media_type"
)

type api struct {
	store          Store
	resolver       *speaker.Resolver
	verifier       *verify.Verifier
	log            *slog.Logger
	canonicalTopic func(string) string
	mux            *http.ServeMux
	// Buffers of searches, recycled: a page of quotes is tens of
	// kilobytes, which allocated afresh for every request made most of a
	// search's garbage. bodies hold answers (answerSearch gives them back
	// once written), copies the quotes a store copied out (JSONPage.Buf,
	// given back once the answer is built from them).
	bodies, copies sync.Pool
}

// New returns the API's handler, reading from s.
func New(s Store, opts Options) http.Handler {
	a := &api{
		store:          s,
		resolver:       speaker.New(s),
		verifier:       verify.New(s),
		log:            opts.Logger,
		canonicalTopic: opts.CanonicalTopic,
		mux:            http.NewServeMux(),
	}
	if a.log == nil {
		a.log = slog.Default()
	}
	if a.canonicalTopic == nil {
		a.canonicalTopic = func(t string) string { return t }
	}
	a.mux.HandleFunc("GET /healthz", a.healthz)
	a.mux.HandleFunc("GET /openapi.yaml", a.openAPI)
	a.mux.HandleFunc("GET /quotes", a.quotes)
	a.mux.HandleFunc("POST /quotes/search", a.searchQuotes)
	a.mux.HandleFunc("GET /quotes/{id}", a.quote)
	a.mux.HandleFunc("GET /speakers", a.speakers)
	a.mux.HandleFunc("GET /articles", a.articleByKey)
	a.mux.HandleFunc("GET /articles/{id}", a.article)
	a.mux.HandleFunc("GET /speakers/{id}", a.speaker)
	a.mux.HandleFunc("GET /topics", a.topics)
	a.mux.HandleFunc("POST /verify", a.verifyQuote)
	a.mux.HandleFunc("GET /conflicts", a.conflicts)
	if opts.Web != nil {
		a.mux.Handle("GET /{$}", opts.Web)
		a.mux.Handle("GET /assets/{path...}", opts.Web)
	}
	return a.middleware(http.HandlerFunc(a.route))
}

// route answers unknown paths and wrong methods in JSON, where ServeMux
// would answer in plain text; anything else ServeMux decides (a route, or
// a redirect to the cleaned path) it serves itself.
func (a *api) route(w http.ResponseWriter, r *http.Request) {
	h, pattern := a.mux.Handler(r)
	if pattern == "" {
		probe := &headerProbe{header: http.Header{}}
		h.ServeHTTP(probe, r)
		switch probe.status {
		case http.StatusNotFound:
			a.writeError(w, r, http.StatusNotFound, quote.ENotFound, "no route for "+r.URL.Path)
			return
		case http.StatusMethodNotAllowed:
			w.Header().Set("Allow", probe.header.Get("Allow"))
			a.writeError(w, r, http.StatusMethodNotAllowed, codeMethodNotAllowed,
				"method "+r.Method+" is not allowed on "+r.URL.Path)
			return
		}
	}
	a.mux.ServeHTTP(w, r)
}

// headerProbe captures what ServeMux's own not-found or not-allowed
// handler would answer, to learn the Allow header it computed.
type headerProbe struct {
	header http.Header
	status int
}

func (p *headerProbe) Header() http.Header         { return p.header }
func (p *headerProbe) Write(b []byte) (int, error) { return len(b), nil }
func (p *headerProbe) WriteHeader(status int)      { p.status = status }

func (a *api) healthz(w http.ResponseWriter, r *http.Request) {
	if _, err := queryParams(r); err != nil {
		a.fail(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	a.writeJSON(w, r, http.StatusOK, map[string]string{"status": "ok"})
}

// cacheFor is how long a client or a shared cache (API Gateway,
// CloudFront, a browser) may serve a read without asking again: long
// enough to absorb a burst of identical requests, short enough that a new
// upload shows within a minute. After it, the ETag makes asking again
// cheap: an unchanged answer is a bodyless 304.
const cacheFor = "max-age=60"

// writeJSON answers body as JSON. A successful read carries an ETag (a
// digest of the body) and Cache-Control, and a client holding that
// version (If-None-Match) gets 304 Not Modified without the body. Without
// "public", shared caches keep no answer to a request that carried
// credentials.
func (a *api) writeJSON(w http.ResponseWriter, r *http.Request, status int, body any) {
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(body); err != nil {
		a.log.ErrorContext(r.Context(), "httpapi: encode response",
			"request_id", requestID(r.Context()), "error", err)
		buf.Reset()
		status = http.StatusInternalServerError
		buf.WriteString(`{"error":{"code":"internal","message":"internal error"}}` + "\n")
	}
	a.writeBody(w, r, status, buf.Bytes(), "")
}

// writeBody answers body, JSON already encoded, as writeJSON does. A
// successful read's ETag is etag when given (a digest the caller has
// cheaper than hashing the body), else the body's digest.
func (a *api) writeBody(w http.ResponseWriter, r *http.Request, status int, body []byte, etag string) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("X-Content-Type-Options", "nosniff")
	if status == http.StatusOK && (r.Method == http.MethodGet || r.Method == http.MethodHead) && h.Get("Cache-Control") == "" {
		if etag == "" {
			sum := sha256.Sum256(body)
			etag = hex.EncodeToString(sum[:16])
		}
		etag = `"` + etag + `"`
		h.Set("ETag", etag)
		h.Set("Cache-Control", cacheFor)
		if etagMatches(r.Header.Get("If-None-Match"), etag) {
			h.Del("Content-Type")
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	// A known length spares net/http chunking a long answer.
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	if _, err := w.Write(body); err != nil {
		a.log.WarnContext(r.Context(), "httpapi: write response",
			"request_id", requestID(r.Context()), "error", err)
	}
}

// etagMatches reports whether an If-None-Match header names etag: "*",
// or one of its entities, weak or strong (a weak comparison, as RFC 9110
// asks of If-None-Match).
func etagMatches(ifNoneMatch, etag string) bool {
	for _, tag := range strings.Split(ifNoneMatch, ",") {
		tag = strings.TrimSpace(tag)
		if tag == "*" || strings.TrimPrefix(tag, "W/") == etag {
			return true
		}
	}
	return false
}

type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

func (a *api) writeError(w http.ResponseWriter, r *http.Request, status int, code, message string) {
	a.writeJSON(w, r, status, errorBody{Error: errorDetail{Code: code, Message: message}})
}

// fail answers err with the status its code maps to. Internal errors are
// logged with the request id and shown to the client only as "internal
// error", so nothing of the storage or its wrapping context leaks.
func (a *api) fail(w http.ResponseWriter, r *http.Request, err error) {
	code, message := quote.ErrorCode(err), quote.ErrorMessage(err)
	status := http.StatusInternalServerError
	if code == quote.EInternal && r.Context().Err() != nil {
		// The client went away (or the platform's deadline passed) and
		// took the request's work with it: nothing failed on our side.
		a.log.InfoContext(r.Context(), "httpapi: request abandoned by the client",
			"request_id", requestID(r.Context()), "method", r.Method, "path", r.URL.Path, "error", err)
		a.writeError(w, r, StatusClientClosedRequest, quote.EInternal, "the request was abandoned before it was answered")
		return
	}
	switch code {
	case quote.ENotFound:
		status = http.StatusNotFound
	case quote.EInvalid:
		status = http.StatusBadRequest
	case quote.EConflict:
		status = http.StatusConflict
	default:
		// Even an *quote.Error with code internal may carry details of
		// the storage in its message.
		code, message = quote.EInternal, "internal error"
		a.log.ErrorContext(r.Context(), "httpapi: internal error",
			"request_id", requestID(r.Context()), "method", r.Method, "path", r.URL.Path, "error", err)
	}
	a.writeError(w, r, status, code, message)
}

// StatusClientClosedRequest is the status logged for a request whose
// client left before its answer (nginx's 499); no client reads it.
const StatusClientClosedRequest = 499

// invalid is a client error about the request's parameters or body.
func invalid(format string, args ...any) error { return quote.Errorf(quote.EInvalid, format, args...) }

// fmtErr adds what the handler was doing to err, keeping its code.
func fmtErr(what string, err error) error { return fmt.Errorf("httpapi: %s: %w", what, err) }
