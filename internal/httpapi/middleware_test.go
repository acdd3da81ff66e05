package httpapi

import (
	"bufio"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/newsroom-tools/quotes/internal/quote"
)

// logLines parses the JSON log lines written so far.
func logLines(t *testing.T, logs *syncBuffer) []map[string]any {
	t.Helper()
	var lines []map[string]any
	sc := bufio.NewScanner(strings.NewReader(logs.String()))
	for sc.Scan() {
		var line map[string]any
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Fatalf("log line is not JSON: %v: %s", err, sc.Text())
		}
		lines = append(lines, line)
	}
	return lines
}

func TestRequestIDAndAccessLog(t *testing.T) {
	tests := []struct {
		name     string
		header   string
		wantID   func(string) bool
		describe string
	}{
		{"client id kept", "client-42", func(id string) bool { return id == "client-42" }, "client-42"},
		{"generated when absent", "", func(id string) bool { return len(id) >= 16 }, "a generated id"},
		{"unprintable client id replaced", "bad\x01id", func(id string) bool { return id != "bad\x01id" && len(id) >= 16 }, "a generated id"},
		{"overlong client id replaced", strings.Repeat("x", 200), func(id string) bool { return len(id) < 100 }, "a generated id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			at := newAPITest(t, Options{})
			header := http.Header{}
			if tt.header != "" {
				header.Set("X-Request-Id", tt.header)
			}
			rec := at.do(http.MethodGet, "/quotes?speaker_kind=robot", nil, header)
			id := rec.Header().Get("X-Request-Id")
			if !tt.wantID(id) {
				t.Errorf("X-Request-Id = %q, want %s", id, tt.describe)
			}
			lines := logLines(t, at.logs)
			if len(lines) != 1 {
				t.Fatalf("%d log lines, want one access line: %s", len(lines), at.logs)
			}
			line := lines[0]
			want := map[string]any{"msg": "request", "method": "GET", "path": "/quotes", "status": 400.0, "request_id": id}
			for k, v := range want {
				if line[k] != v {
					t.Errorf("access log %s = %v, want %v", k, line[k], v)
				}
			}
			if _, ok := line["duration_ms"].(float64); !ok {
				t.Errorf("access log duration_ms = %v, want a number of milliseconds", line["duration_ms"])
			}
		})
	}
}

// TestInternalErrorsAreHidden makes the store fail for real (closed) and
// checks the client sees only "internal error" while the log has the cause
// and the request id.
func TestInternalErrorsAreHidden(t *testing.T) {
	at := newAPITest(t, Options{})
	at.seed()
	if err := at.store.Close(); err != nil {
		t.Fatalf("close store: %v", err)
	}
	for _, target := range []string{"/quotes/abc", "/quotes?speaker=kerry", "/speakers", "/articles/abc"} {
		t.Run(target, func(t *testing.T) {
			rec := at.do(http.MethodGet, target, nil, http.Header{"X-Request-Id": {"req-500"}})
			if rec.Code != http.StatusInternalServerError {
				t.Fatalf("GET %s on a closed store = %d %s, want 500", target, rec.Code, rec.Body)
			}
			if got := errorOf(t, rec); got != (errorDetail{Code: quote.EInternal, Message: "internal error"}) {
				t.Errorf("error = %+v, want internal / internal error and nothing more", got)
			}
		})
	}
	var logged bool
	for _, line := range logLines(t, at.logs) {
		if line["level"] == "ERROR" && line["request_id"] == "req-500" && line["error"] != "" && line["error"] != nil {
			logged = true
		}
	}
	if !logged {
		t.Errorf("no ERROR log line with the request id and the cause:\n%s", at.logs)
	}
}

func TestPanicBecomesJSON500(t *testing.T) {
	logs := &syncBuffer{}
	a := &api{log: slog.New(slog.NewJSONHandler(logs, nil))}
	h := a.middleware(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		panic("boom")
	}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/quotes", nil))
	if rec.Code != http.StatusInternalServerError {
		t.Fatalf("status = %d, want 500", rec.Code)
	}
	var body errorBody
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || body.Error.Message != "internal error" {
		t.Errorf("body = %s, want a JSON error saying only internal error", rec.Body)
	}
	if strings.Contains(rec.Body.String(), "boom") || strings.Contains(rec.Body.String(), "goroutine") {
		t.Errorf("body leaks the panic: %s", rec.Body)
	}
	var panicLogged, accessLogged bool
	for _, line := range logLines(t, logs) {
		panicLogged = panicLogged || (line["msg"] == "httpapi: panic" && line["panic"] == "boom")
		accessLogged = accessLogged || (line["msg"] == "request" && line["status"] == 500.0)
	}
	if !panicLogged || !accessLogged {
		t.Errorf("want the panic and a 500 access line logged, got:\n%s", logs)
	}
}

// TestFailMapsCodesToStatuses covers every code, including errors no real
// store in the tests produces on demand.
func TestFailMapsCodesToStatuses(t *testing.T) {
	tests := []struct {
		name        string
		err         error
		wantStatus  int
		wantCode    string
		wantMessage string
	}{
		{"not found", quote.Errorf(quote.ENotFound, "quote x not found"), 404, "not_found", "quote x not found"},
		{"invalid", fmtErr("search", quote.Errorf(quote.EInvalid, "bad limit")), 400, "invalid", "bad limit"},
		{"conflict", quote.Errorf(quote.EConflict, "newer version stored"), 409, "conflict", "newer version stored"},
		{"internal with details", quote.Errorf(quote.EInternal, "dynamo: table secret-table throttled"), 500, "internal", "internal error"},
		{"unknown code", quote.Errorf("weird", "details"), 500, "internal", "internal error"},
		{"plain error", fmtErr("get quote", errors.New("connection reset by 10.0.0.1")), 500, "internal", "internal error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			logs := &syncBuffer{}
			a := &api{log: slog.New(slog.NewJSONHandler(logs, nil))}
			rec := httptest.NewRecorder()
			a.fail(rec, httptest.NewRequest(http.MethodGet, "/quotes/x", nil), tt.err)
			var body errorBody
			if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
				t.Fatalf("body %s: %v", rec.Body, err)
			}
			if rec.Code != tt.wantStatus || body.Error != (errorDetail{Code: tt.wantCode, Message: tt.wantMessage}) {
				t.Errorf("fail(%v) = %d %+v, want %d %s %q", tt.err, rec.Code, body.Error, tt.wantStatus, tt.wantCode, tt.wantMessage)
			}
			if logged := strings.Contains(logs.String(), "internal error"); logged != (tt.wantStatus == 500) {
				t.Errorf("internal error logged = %t, want %t", logged, tt.wantStatus == 500)
			}
		})
	}
}
