package httpapi

import (
	"context"
	"crypto/rand"
	"errors"
	"net/http"
	"runtime/debug"
	"time"
	"unicode"

	"github.com/newsroom-tools/quotes/internal/quote"
)

type requestIDKey struct{}

// withRequestID records the id the platform gave a request (API Gateway's
// request id), which the middleware prefers to any the client sent.
func withRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey{}, id)
}

func requestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

type callerKey struct{}

// withCaller records who the platform established made a request (see
// callerOf), for the access log.
func withCaller(ctx context.Context, who string) context.Context {
	return context.WithValue(ctx, callerKey{}, who)
}

func caller(ctx context.Context) string {
	who, _ := ctx.Value(callerKey{}).(string)
	return who
}

// maxRequestIDLen bounds a client-chosen X-Request-Id, which ends up in
// every log line of its request.
const maxRequestIDLen = 128

// clientRequestID returns the client's X-Request-Id when it is short and
// printable ASCII, so a client can correlate its calls with our logs but
// cannot forge log content.
func clientRequestID(r *http.Request) string {
	id := r.Header.Get("X-Request-Id")
	if id == "" || len(id) > maxRequestIDLen {
		return ""
	}
	for _, c := range id {
		if c > unicode.MaxASCII || !unicode.IsPrint(c) {
			return ""
		}
	}
	return id
}

// middleware gives every request an id, limits its body, logs one access
// line for it and turns a panic into a JSON 500.
func (a *api) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := requestID(r.Context())
		if id == "" {
			id = clientRequestID(r)
		}
		if id == "" {
			id = rand.Text()
		}
		r = r.WithContext(withRequestID(r.Context(), id))
		w.Header().Set("X-Request-Id", id)
		if r.Body != nil {
			r.Body = http.MaxBytesReader(w, r.Body, maxBodyBytes)
		}
		sw := &statusWriter{ResponseWriter: w}

		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				a.log.ErrorContext(r.Context(), "httpapi: panic",
					"request_id", id, "method", r.Method, "path", r.URL.Path,
					"panic", p, "stack", string(debug.Stack()))
				if !sw.wroteHeader {
					a.writeError(sw, r, http.StatusInternalServerError, quote.EInternal, "internal error")
				}
			}
			attrs := []any{"method", r.Method, "path", r.URL.Path, "status", sw.status(),
				"duration_ms", milliseconds(time.Since(start)), "request_id", id}
			if who := caller(r.Context()); who != "" {
				attrs = append(attrs, "caller", who)
			}
			a.log.InfoContext(r.Context(), "request", attrs...)
		}()
		next.ServeHTTP(sw, r)
	})
}

// statusWriter remembers the status a handler wrote, for the access log.
type statusWriter struct {
	http.ResponseWriter
	code        int
	wroteHeader bool
}

func (w *statusWriter) WriteHeader(code int) {
	if !w.wroteHeader {
		w.code, w.wroteHeader = code, true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) status() int {
	if !w.wroteHeader {
		return http.StatusOK
	}
	return w.code
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// isTooLarge reports whether err comes from reading past maxBodyBytes.
func isTooLarge(err error) bool {
	_, ok := errors.AsType[*http.MaxBytesError](err)
	return ok
}

// milliseconds is d as a log value whose unit is in its key: slog would
// write a bare time.Duration as a count of nanoseconds, unlabelled.
func milliseconds(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
