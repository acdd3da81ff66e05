package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newsroom-tools/quotes/internal/quote"
)

// server is one run of `quotes serve` inside the test.
type server struct {
	url  string
	stop func()
}

func startServe(t *testing.T, args ...string) *server {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out, w := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- runServe(ctx, append([]string{"--addr", "127.0.0.1:0"}, args...), w, io.Discard)
		w.Close()
	}()
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		cancel()
		t.Fatalf("serve printed no address: %v (serve returned %v)", err, <-done)
	}
	go io.Copy(io.Discard, out)
	_, addr, _ := strings.Cut(line, "http://")
	addr, _, _ = strings.Cut(addr, " ")
	stopped := false
	stop := func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve stopped with %v", err)
		}
	}
	t.Cleanup(stop)
	return &server{url: "http://" + addr, stop: stop}
}

func (s *server) do(t *testing.T, method, path string, body io.Reader, into any) int {
	t.Helper()
	req, err := http.NewRequest(method, s.url+path, body)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(into); err != nil {
		t.Fatalf("%s %s: status %d, body not JSON: %v", method, path, resp.StatusCode, err)
	}
	return resp.StatusCode
}

type quotesPage struct {
	Quotes []quote.Quote `json:"quotes"`
}

func uploadSeeds(t *testing.T, s *server) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "..", "testdata", "seeds", "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no seed articles in testdata/seeds (%v)", err)
	}
	var keys []string
	for _, file := range files {
		f, err := os.Open(file)
		if err != nil {
			t.Fatal(err)
		}
		key := "seeds/" + filepath.Base(file)
		var a quote.Article
		status := s.do(t, http.MethodPut, "/bucket/"+key, f, &a)
		f.Close()
		if status != http.StatusOK || a.Status != quote.StatusExtracted || a.QuoteCount == 0 || a.Key != key {
			t.Fatalf("PUT %s: status %d, article %+v; want extracted with quotes", key, status, a)
		}
		keys = append(keys, key)
	}
	return keys
}

func kerryQuotes(t *testing.T, s *server) map[string]bool {
	t.Helper()
	var page quotesPage
	if status := s.do(t, http.MethodGet, "/quotes?speaker=Kerry&limit=100", nil, &page); status != http.StatusOK {
		t.Fatalf("GET /quotes?speaker=Kerry: status %d", status)
	}
	ids := map[string]bool{}
	for _, q := range page.Quotes {
		if q.Speaker.Name != "John Kerry" || q.Article.ID == "" || q.Article.Key == "" {
			t.Errorf("speaker=Kerry returned %q by %q in article %+v", q.Text, q.Speaker.Name, q.Article)
		}
		ids[q.ID] = true
	}
	if len(ids) == 0 {
		t.Fatal("speaker=Kerry returned no quotes")
	}
	return ids
}

func TestServeUploadQueryRestartDelete(t *testing.T) {
	data := t.TempDir()
	first := startServe(t, "--data", data)
	keys := uploadSeeds(t, first)
	before := kerryQuotes(t, first)
	first.stop()

	second := startServe(t, "--data", data)
	after := kerryQuotes(t, second)
	if len(after) != len(before) {
		t.Errorf("after a restart speaker=Kerry gives %d quotes, before %d", len(after), len(before))
	}

	// Deleting an article takes its quotes with it.
	var a struct {
		Quotes []quote.Quote `json:"quotes"`
	}
	if status := second.do(t, http.MethodGet, "/articles?key="+keys[0], nil, &a); status != http.StatusOK || len(a.Quotes) == 0 {
		t.Fatalf("GET /articles?key=%s: status %d, %d quotes", keys[0], status, len(a.Quotes))
	}
	var deleted map[string]any
	if status := second.do(t, http.MethodDelete, "/bucket/"+keys[0], nil, &deleted); status != http.StatusOK {
		t.Fatalf("DELETE %s: status %d", keys[0], status)
	}
	var missing map[string]map[string]string
	if status := second.do(t, http.MethodGet, "/articles?key="+keys[0], nil, &missing); status != http.StatusNotFound || missing["error"]["code"] != quote.ENotFound {
		t.Errorf("article after DELETE: status %d, body %v; want a JSON 404", status, missing)
	}
	for _, q := range a.Quotes {
		var got map[string]any
		if status := second.do(t, http.MethodGet, "/quotes/"+q.ID, nil, &got); status != http.StatusNotFound {
			t.Errorf("quote %s of the deleted article: status %d, want 404", q.ID, status)
		}
	}
}

func TestServeRecordsBadUploads(t *testing.T) {
	s := startServe(t, "--data", t.TempDir())
	tests := []struct {
		key, body, wantReason string
	}{
		{"empty.txt", "", "empty"},
		{"scan.pdf", "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "not text"},
	}
	for _, tt := range tests {
		var a quote.Article
		status := s.do(t, http.MethodPut, "/bucket/"+tt.key, strings.NewReader(tt.body), &a)
		if status != http.StatusOK || a.Status != quote.StatusFailed || !strings.Contains(a.Reason, tt.wantReason) {
			t.Errorf("PUT %s: status %d, article %+v; want failed with a reason mentioning %q", tt.key, status, a, tt.wantReason)
		}
	}
	var e map[string]map[string]string
	if status := s.do(t, http.MethodPut, "/bucket/../escape.txt", strings.NewReader("x"), &e); status != http.StatusBadRequest && status != http.StatusNotFound {
		t.Errorf("PUT of an escaping key: status %d, want a JSON 4xx", status)
	}
	if status := s.do(t, http.MethodGet, "/bucket/empty.txt", nil, &e); status != http.StatusMethodNotAllowed || e["error"]["code"] == "" {
		t.Errorf("GET on the bucket: status %d, body %v; want a JSON 405", status, e)
	}
}

func TestServeWithUserTopicAliases(t *testing.T) {
	aliases := filepath.Join(t.TempDir(), "aliases.txt")
	if err := os.WriteFile(aliases, []byte("Truce talks: ceasefire, truce\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s := startServe(t, "--data", t.TempDir(), "--topics", aliases)
	article := "Geneva\n\n“The ceasefire must hold,” Secretary of State John Kerry said on Monday.\n"
	var a quote.Article
	if status := s.do(t, http.MethodPut, "/bucket/geneva.txt", strings.NewReader(article), &a); status != http.StatusOK || a.QuoteCount != 1 {
		t.Fatalf("PUT: status %d, article %+v", status, a)
	}
	var page quotesPage
	if status := s.do(t, http.MethodGet, "/quotes?topic=truce", nil, &page); status != http.StatusOK || len(page.Quotes) != 1 {
		t.Fatalf("GET /quotes?topic=truce: status %d, %d quotes; want the ceasefire quote under the user's topic", status, len(page.Quotes))
	}
	if topics := page.Quotes[0].Topics; !slices.Contains(topics, "Truce talks") {
		t.Errorf("topics = %q, want the user's canonical name", topics)
	}
}

// TestServeFirstLogLineSaysWhereToGo reads the first line serve logs:
// the page's address and how to upload, before anything else.
func TestServeFirstLogLineSaysWhereToGo(t *testing.T) {
	data := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	logs, w := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- runServe(ctx, []string{"--addr", "127.0.0.1:0", "--data", data}, io.Discard, w)
		w.Close()
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve stopped with %v", err)
		}
	})
	first, err := bufio.NewReader(logs).ReadString('\n')
	go io.Copy(io.Discard, logs)
	if err != nil {
		t.Fatalf("serve logged nothing: %v", err)
	}
	var line map[string]any
	if err := json.Unmarshal([]byte(first), &line); err != nil {
		t.Fatalf("first log line is not JSON: %v: %s", err, first)
	}
	page, _ := line["page"].(string)
	upload, _ := line["upload"].(string)
	if !strings.HasPrefix(page, "http://127.0.0.1:") || !strings.HasSuffix(page, "/") {
		t.Errorf("first log line's page = %q, want the page's address", page)
	}
	if !strings.HasPrefix(upload, "curl -T ") || !strings.Contains(upload, strings.TrimSuffix(page, "/")+"/bucket/") {
		t.Errorf("first log line's upload = %q, want a curl upload to %sbucket/", upload, page)
	}
}

// TestServeDatesUploads dates an upload by its x-amz-meta-published
// header, one by the date line in its text, and one by nothing: its
// upload, said as such.
func TestServeDatesUploads(t *testing.T) {
	s := startServe(t, "--data", t.TempDir())
	said := "“We will press on,” Secretary of State John Kerry said."
	tests := []struct {
		key, header, body, wantDate string
		wantSource                  quote.DateSource
	}{
		{"header.txt", "2016-03-24", said, "2016-03-24", quote.DatePublished},
		{"line.txt", "", "Talks\n\nMoscow, Russia Updated: Jul 15, 2016, 07:45 AM(IST)\n\n" + said, "2016-07-15", quote.DatePublished},
		{"none.txt", "", said, "", quote.DateUploaded},
	}
	for _, tt := range tests {
		req, err := http.NewRequest(http.MethodPut, s.url+"/bucket/"+tt.key, strings.NewReader(tt.body))
		if err != nil {
			t.Fatal(err)
		}
		if tt.header != "" {
			req.Header.Set("X-Amz-Meta-Published", tt.header)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var a quote.Article
		err = json.NewDecoder(resp.Body).Decode(&a)
		resp.Body.Close()
		if err != nil || a.Status != quote.StatusExtracted {
			t.Fatalf("PUT %s: %+v, %v", tt.key, a, err)
		}
		if got := a.Published.Format(time.DateOnly); a.DateSource != tt.wantSource || tt.wantDate != "" && got != tt.wantDate {
			t.Errorf("PUT %s: published %s (%s), want %s (%s)", tt.key, got, a.DateSource, tt.wantDate, tt.wantSource)
		}
	}
}

func TestServeRefusesToListenBeyondLoopbackWithoutToken(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		wantErr string // in stderr; "" when serve may start
	}{
		{name: "loopback", args: []string{"--addr", "127.0.0.1:0"}},
		{name: "localhost", args: []string{"--addr", "localhost:8080"}},
		{name: "ipv6 loopback", args: []string{"--addr", "[::1]:8080"}},
		{name: "all interfaces", args: []string{"--addr", ":8080"}, wantErr: "set --token"},
		{name: "0.0.0.0", args: []string{"--addr", "0.0.0.0:8080"}, wantErr: "set --token"},
		{name: "a LAN address", args: []string{"--addr", "192.168.1.20:8080"}, wantErr: "set --token"},
		{name: "all interfaces with token", args: []string{"--addr", ":8080", "--token", "t0ken"}},
		{name: "token from environment", args: []string{"--addr", "0.0.0.0:8080"}, env: map[string]string{"QUOTES_TOKEN": "t0ken"}},
		{name: "private without token", args: []string{"--private"}, wantErr: "--private needs --token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			var stderr strings.Builder
			_, err := parseServe(tt.args, io.Discard, &stderr)
			if tt.wantErr == "" {
				if err != nil {
					t.Errorf("parseServe(%q) = %v (%s), want it to start", tt.args, err, stderr.String())
				}
				return
			}
			if err == nil || !strings.Contains(stderr.String(), tt.wantErr) {
				t.Errorf("parseServe(%q) = %v with stderr %q, want a refusal saying %q", tt.args, err, stderr.String(), tt.wantErr)
			}
		})
	}
}

func TestServeHostsFlag(t *testing.T) {
	var stderr strings.Builder
	c, err := parseServe([]string{"--hosts", " quotes.lan, 10.0.0.5 ,"}, io.Discard, &stderr)
	if err != nil {
		t.Fatalf("parseServe: %v (%s)", err, stderr.String())
	}
	if want := []string{"quotes.lan", "10.0.0.5"}; !slices.Equal(c.service.Access.Hosts, want) {
		t.Errorf("hosts = %q, want %q", c.service.Access.Hosts, want)
	}
}
