package localserver_test

import (
	"errors"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsroom-tools/quotes/internal/localserver"
	"github.com/newsroom-tools/quotes/internal/quote"
)

// TestRestartReconciles leaves the data folder as a crash between file
// operations and their ingest would, and restarts: every object then has
// its record, and every record its object.
func TestRestartReconciles(t *testing.T) {
	data := t.TempDir()
	config := localserver.Config{Data: data, Bucket: "articles"}
	service, err := localserver.Open(t.Context(), config)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(service.Handler)
	for _, key := range []string{"a.txt", "b.txt"} {
		if got := try(t, srv.URL, attempt{method: http.MethodPut, path: "/bucket/" + key, body: "Before the crash\n\n" + goodArticle}); got.status != http.StatusOK {
			t.Fatalf("PUT %s: %+v", key, got)
		}
	}
	srv.Close()
	service.Close()

	bucket := filepath.Join(data, "bucket")
	write := func(name, body string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(filepath.Join(bucket, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(bucket, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("a.txt", "Rewritten before the crash\n\n"+goodArticle)      // newer than its record
	write("new/c.txt", "Never ingested\n\n"+goodArticle)              // no record at all
	write("new/.upload-123", "half an upl")                           // an upload cut by the crash
	if err := os.Remove(filepath.Join(bucket, "b.txt")); err != nil { // a record without its object
		t.Fatal(err)
	}

	service, err = localserver.Open(t.Context(), config)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer func() {
		// Once in line, a restart changes nothing.
		service.Close()
		logs := &lockedBuffer{}
		config.Log = slog.New(slog.NewJSONHandler(logs, nil))
		again, err := localserver.Open(t.Context(), config)
		if err != nil {
			t.Fatalf("reopen again: %v", err)
		}
		again.Close()
		if !strings.Contains(logs.String(), `"objects":2,"ingested":0,"deleted":0`) {
			t.Errorf("a clean restart reconciled something: %s", logs)
		}
	}()
	for key, want := range map[string]string{"a.txt": "Rewritten before the crash", "new/c.txt": "Never ingested", "b.txt": ""} {
		a, err := service.Store.Article(t.Context(), quote.ArticleID(key))
		switch {
		case want == "" && quote.ErrorCode(err) != quote.ENotFound:
			t.Errorf("%s: its object is gone, its record is %q (err %v)", key, a.Title, err)
		case want != "" && (err != nil || a.Title != want || a.Status != quote.StatusExtracted):
			t.Errorf("%s: record %q (%s), %v; want %q extracted", key, a.Title, a.Status, err, want)
		}
	}
	if _, err := os.Stat(filepath.Join(bucket, "new", ".upload-123")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the half-written upload is still there (stat: %v)", err)
	}
}
