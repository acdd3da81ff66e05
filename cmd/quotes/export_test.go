package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newsroom-tools/quotes/internal/awstest"
	"github.com/newsroom-tools/quotes/internal/localserver"
	"github.com/newsroom-tools/quotes/internal/quote"
)

// ingestSeeds runs the service on c, uploads the seed articles (one dated
// by its upload's metadata) and returns every quote stored, read back
// article by article, before closing it.
func ingestSeeds(t *testing.T, c localserver.Config) []quote.Quote {
	t.Helper()
	service, err := localserver.Open(t.Context(), c)
	if err != nil {
		t.Fatal(err)
	}
	defer service.Close()
	files, err := filepath.Glob(filepath.Join("..", "..", "testdata", "seeds", "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no seed articles (%v)", err)
	}
	var all []quote.Quote
	for i, file := range files {
		body, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		key := "seeds/" + filepath.Base(file)
		// Asked under a loopback host: the server answers no other.
		req := httptest.NewRequest(http.MethodPut, "http://127.0.0.1/bucket/"+key, bytes.NewReader(body))
		if i == 0 {
			req.Header.Set("X-Amz-Meta-Published", "2016-05-01")
		}
		rec := httptest.NewRecorder()
		service.Handler.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			t.Fatalf("PUT %s: %d %s", key, rec.Code, rec.Body)
		}
		qs, err := service.Store.ArticleQuotes(t.Context(), quote.ArticleID(key))
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, qs...)
	}
	return all
}

// checkExport runs `quotes export` with args in both formats and checks
// that every stored quote comes back, each once, as stored.
func checkExport(t *testing.T, stored []quote.Quote, args ...string) {
	t.Helper()
	byID := map[string]quote.Quote{}
	for _, q := range stored {
		byID[q.ID] = q
	}

	var stdout, stderr bytes.Buffer
	if err := runExport(context.Background(), append([]string{"--format", "ndjson"}, args...), &stdout, &stderr); err != nil {
		t.Fatalf("export ndjson: %v (stderr %s)", err, stderr.String())
	}
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	if len(lines) != len(stored) {
		t.Fatalf("export ndjson wrote %d lines, want the %d stored quotes", len(lines), len(stored))
	}
	seen := map[string]bool{}
	var previous quote.Quote
	for i, line := range lines {
		var got quote.Quote
		var article exportArticle
		if err := json.Unmarshal([]byte(line), &got); err != nil {
			t.Fatalf("line %d: %v", i, err)
		}
		if err := json.Unmarshal([]byte(line), &struct {
			Article *exportArticle `json:"article"`
		}{&article}); err != nil {
			t.Fatalf("line %d: %v", i, err)
		}
		want, ok := byID[got.ID]
		if !ok || seen[got.ID] {
			t.Fatalf("line %d: quote %s is not stored, or exported twice", i, got.ID)
		}
		seen[got.ID] = true
		if !reflect.DeepEqual(got, want) {
			t.Errorf("line %d: exported\n%+v\nstored\n%+v", i, got, want)
		}
		if article.ID != want.Article.ID || article.Key != want.Article.Key || article.URL != "" && !strings.HasPrefix(article.URL, "http") {
			t.Errorf("line %d: article %+v, want the quote's article %+v", i, article, want.Article)
		}
		if i > 0 && got.Date.After(previous.Date) {
			t.Errorf("line %d is newer than the line before it", i)
		}
		previous = got
	}
	if !strings.Contains(stderr.String(), "quotes export: done, ") {
		t.Errorf("stderr = %q, want the progress summary", stderr.String())
	}

	stdout.Reset()
	if err := runExport(context.Background(), append([]string{"--format", "csv"}, args...), &stdout, &stderr); err != nil {
		t.Fatalf("export csv: %v", err)
	}
	records, err := csv.NewReader(&stdout).ReadAll()
	if err != nil {
		t.Fatalf("export csv is not CSV: %v", err)
	}
	if len(records) != len(stored)+1 || !slices.Equal(records[0], csvHeader) {
		t.Fatalf("export csv: %d records, header %q; want a header and %d quotes", len(records), records[0], len(stored))
	}
	for _, r := range records[1:] {
		want, ok := byID[r[0]]
		if !ok || r[3] != want.Text || r[6] != want.Speaker.Name || r[15] != want.Article.ID {
			t.Errorf("csv record %q does not match the stored quote %+v", r, want)
		}
	}
}

func TestExportEmbeddedRoundTrip(t *testing.T) {
	data := t.TempDir()
	stored := ingestSeeds(t, localserver.Config{Data: data, Bucket: "articles"})
	checkExport(t, stored, "--data", data)

	// --since keeps the quotes of the article dated by its metadata, the
	// only one before the upload day.
	var stdout, stderr bytes.Buffer
	if err := runExport(context.Background(), []string{"--data", data, "--since", "2016-06-01"}, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	var recent int
	for _, q := range stored {
		if !q.Date.Before(mustDate(t, "2016-06-01")) {
			recent++
		}
	}
	if got := strings.Count(stdout.String(), "\n"); got != recent || recent == len(stored) {
		t.Errorf("--since 2016-06-01 exported %d quotes, want %d of %d", got, recent, len(stored))
	}
}

func TestExportDynamoDBRoundTrip(t *testing.T) {
	if testing.Short() {
		t.Skip("starts dynalite")
	}
	servers, err := awstest.Start(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(servers.Stop)
	servers.SetEnv(t)
	if err := servers.CreateTable(t.Context(), "export"); err != nil {
		t.Fatal(err)
	}
	c := localserver.Config{Data: t.TempDir(), Bucket: "articles", DynamoEndpoint: servers.DynamoDBEndpoint(), Table: "export"}
	stored := ingestSeeds(t, c)
	checkExport(t, stored, "--dynamodb-endpoint", servers.DynamoDBEndpoint(), "--table", "export")
}

func mustDate(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := parseSince(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
