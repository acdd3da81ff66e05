package main

import (
	"bytes"
	"context"
	"encoding/json"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/newsroom-tools/quotes/internal/extract"
	"github.com/newsroom-tools/quotes/internal/quote"
	"github.com/newsroom-tools/quotes/internal/speaker"
)

func writeArticle(t *testing.T, dir, name, text string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestRunExtractPrintsOneLinePerQuote(t *testing.T) {
	dir := t.TempDir()
	text := "Secretary of State John Kerry arrived.\n\n“We will win,” Kerry said. “No doubt.”"
	path := writeArticle(t, dir, "a.txt", text)
	var stdout, stderr bytes.Buffer
	if err := runExtract(context.Background(), []string{path}, &stdout, &stderr); err != nil {
		t.Fatalf("runExtract: %v (stderr %q)", err, stderr.String())
	}
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("got %d lines, want 2:\n%s", len(lines), stdout.String())
	}
	allowed := map[string]bool{"article": true, "text": true, "start": true, "end": true, "speaker": true,
		"partial": true, "evidence": true, "context": true, "offsets": true}
	for i, want := range []string{"We will win,", "No doubt."} {
		var fields map[string]json.RawMessage
		if err := json.Unmarshal([]byte(lines[i]), &fields); err != nil {
			t.Fatalf("line %d is not JSON: %v", i, err)
		}
		for key := range fields {
			if !allowed[key] {
				t.Errorf("line %d has field %q outside the contract", i, key)
			}
		}
		var got struct {
			Article string `json:"article"`
			Text    string `json:"text"`
			Start   int    `json:"start"`
			End     int    `json:"end"`
			Speaker struct {
				Name, Kind, Descriptor, Mention string
			} `json:"speaker"`
		}
		if err := json.Unmarshal([]byte(lines[i]), &got); err != nil {
			t.Fatalf("line %d: %v", i, err)
		}
		if got.Article != "a.txt" {
			t.Errorf("line %d article = %q, want the base name \"a.txt\"", i, got.Article)
		}
		if got.Text != want || text[got.Start:got.End] != want {
			t.Errorf("line %d text = %q at [%d,%d), want %q at its byte offsets", i, got.Text, got.Start, got.End, want)
		}
		if got.Speaker.Name != "John Kerry" || got.Speaker.Kind != "person" || got.Speaker.Mention != "Kerry" {
			t.Errorf("line %d speaker = %+v, want John Kerry (person) mentioned as Kerry", i, got.Speaker)
		}
	}
}

func TestRunExtractReportsUnreadableFileAndGoesOn(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing.txt")
	path := writeArticle(t, dir, "b.txt", "“Fine,” she said.")
	var stdout, stderr bytes.Buffer
	err := runExtract(context.Background(), []string{missing, path}, &stdout, &stderr)
	if err == nil || !strings.Contains(err.Error(), "missing.txt") {
		t.Fatalf("err = %v, want an error naming missing.txt", err)
	}
	if !strings.Contains(stderr.String(), "missing.txt") {
		t.Errorf("stderr = %q, want it to name missing.txt", stderr.String())
	}
	if !strings.Contains(stdout.String(), `"article":"b.txt"`) {
		t.Errorf("stdout = %q, want b.txt's quote still printed", stdout.String())
	}
}

func TestRunExtractNeedsFiles(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if err := runExtract(context.Background(), nil, &stdout, &stderr); err == nil {
		t.Error("runExtract with no files returned nil, want a usage error")
	}
}

// page is an article as a news site serves it: the story in <article>,
// around it a menu, a script and a footer, whose quoted strings are no
// quotes.
const page = `<!doctype html>
<html><head><meta charset="utf-8"><title>Kerry in Moscow | The Daily Example</title>
<meta property="article:published_time" content="2016-03-24T09:00:00Z">
<script>var login = "Log in, or register to comment"; var page = "page";</script></head>
<body><nav><a href="/login">“Log in,”</a> <a href="/">Home</a></nav>
<article><h1>Kerry in Moscow</h1>
<p>MOSCOW — Secretary of State John Kerry arrived in Moscow on Wednesday for talks on Syria.</p>
<p>“We are here to find a way to end this war,” Kerry said after landing. “It will not be easy.”</p>
<p>Russian Foreign Minister Sergei Lavrov said the talks would be “frank &amp; useful,” adding: “We have much to discuss.”</p>
</article>
<footer>“All rights reserved,” says the footer. © The Daily Example</footer>
</body></html>
`

// TestExtractDecodesAsUploadDoes extracts an HTML page and uploads it:
// both give the same quotes, by the same speakers, and the offsets point
// at the words, in the file or, where the file writes them otherwise
// (&amp;), in the article's text.
func TestExtractDecodesAsUploadDoes(t *testing.T) {
	dir := t.TempDir()
	path := writeArticle(t, dir, "moscow.html", page)
	var stdout, stderr bytes.Buffer
	if err := runExtract(context.Background(), []string{path}, &stdout, &stderr); err != nil {
		t.Fatalf("runExtract: %v (%s)", err, stderr.String())
	}
	var extracted []extractedQuote
	for line := range strings.Lines(stdout.String()) {
		var q extractedQuote
		if err := json.Unmarshal([]byte(line), &q); err != nil {
			t.Fatal(err)
		}
		extracted = append(extracted, q)
	}

	s := startServe(t, "--data", t.TempDir())
	var a quote.Article
	if status := s.do(t, http.MethodPut, "/bucket/moscow.html", strings.NewReader(page), &a); status != http.StatusOK || a.Status != quote.StatusExtracted {
		t.Fatalf("PUT: %d %+v", status, a)
	}
	var stored struct {
		Text   string        `json:"text"`
		Quotes []quote.Quote `json:"quotes"`
	}
	s.do(t, http.MethodGet, "/articles?key=moscow.html&include=text", nil, &stored)

	said := func(text, speaker string) string { return speaker + ": " + text }
	var got, want []string
	for _, q := range extracted {
		got = append(got, said(q.Text, q.Speaker.Name))
		at := page
		if q.Offsets == "article" {
			at = stored.Text
		}
		if q.Start < 0 || q.End > len(at) || at[q.Start:q.End] != q.Text {
			t.Errorf("quote %q at [%d,%d) (offsets %q) does not point at its words", q.Text, q.Start, q.End, q.Offsets)
		}
	}
	for _, q := range stored.Quotes {
		want = append(want, said(q.Text, q.Speaker.Name))
	}
	if len(want) < 4 || !slices.Equal(got, want) {
		t.Errorf("extract gave\n%q\nthe upload\n%q", got, want)
	}
	for _, junk := range []string{"Log in", "page", "All rights reserved"} {
		if strings.Contains(stdout.String(), `"text":"`+junk) {
			t.Errorf("extract took %q, from outside the article, for a quote", junk)
		}
	}
}

// TestExtractRawKeepsTheBytes reads the page's bytes as text, as before
// decoding: the offsets are the file's, and its markup's strings count.
func TestExtractRawKeepsTheBytes(t *testing.T) {
	path := writeArticle(t, t.TempDir(), "moscow.html", page)
	var stdout, stderr bytes.Buffer
	if err := runExtract(context.Background(), []string{"--raw", path}, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	want := extract.Extract(page)
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	if len(lines) != len(want) {
		t.Fatalf("--raw gave %d quotes, want the %d of the bytes as text", len(lines), len(want))
	}
	for i, line := range lines {
		var q extractedQuote
		if err := json.Unmarshal([]byte(line), &q); err != nil {
			t.Fatal(err)
		}
		if q.Text != want[i].Text || q.Start != want[i].Start || q.Offsets != "" {
			t.Errorf("line %d = %q at %d, want %q at %d", i, q.Text, q.Start, want[i].Text, want[i].Start)
		}
	}
}

// TestExtractPlainTextOffsetsInFile decodes a text file whose title line
// and hard-wrapped lines decoding changes: the offsets still point into
// the file.
func TestExtractPlainTextOffsetsInFile(t *testing.T) {
	text := "Kerry in Moscow\n\nSecretary of State John Kerry arrived in Moscow\non Wednesday.\n\n“We will find a way,” Kerry said.\r\n“It will not be easy.”\n"
	path := writeArticle(t, t.TempDir(), "moscow.txt", text)
	var stdout, stderr bytes.Buffer
	if err := runExtract(context.Background(), []string{path}, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	n := 0
	for line := range strings.Lines(stdout.String()) {
		var q extractedQuote
		if err := json.Unmarshal([]byte(line), &q); err != nil {
			t.Fatal(err)
		}
		n++
		if q.Offsets != "" || text[q.Start:q.End] != q.Text {
			t.Errorf("quote %q at [%d,%d) (offsets %q), want its place in the file", q.Text, q.Start, q.End, q.Offsets)
		}
	}
	if n != 2 {
		t.Errorf("%d quotes, want 2:\n%s", n, stdout.String())
	}
}

// A surname one file writes alone is the person another file names in
// full, as the service shows it once both are stored; a surname two people
// share stays as written without a clue to tell them apart.
func TestExtractNamesSpeakersAcrossFiles(t *testing.T) {
	dir := t.TempDir()
	files := []string{
		writeArticle(t, dir, "a.txt", "Speech\n\n“We will win,” President Barack Obama said.\n"),
		writeArticle(t, dir, "b.txt", "Rally\n\n“We are not done,” Obama said.\n"),
		writeArticle(t, dir, "c.txt", "Deal\n\n“It was a good deal,” former President Bill Clinton said.\n"),
		writeArticle(t, dir, "d.txt", "Deal\n\n“It is a bad deal,” Hillary Clinton said.\n"),
		writeArticle(t, dir, "e.txt", "Talks\n\n“We will see,” Clinton said.\n"),
	}
	tests := []struct {
		files []string
		want  map[string]string // article → speaker name
	}{
		{files[:2], map[string]string{"a.txt": "Barack Obama", "b.txt": "Barack Obama"}},
		{files[1:2], map[string]string{"b.txt": "Obama"}},
		{files[2:], map[string]string{"c.txt": "Bill Clinton", "d.txt": "Hillary Clinton", "e.txt": "Clinton"}},
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		if err := runExtract(t.Context(), tt.files, &stdout, &stderr); err != nil {
			t.Fatalf("runExtract: %v (stderr %q)", err, stderr.String())
		}
		got := map[string]string{}
		for line := range strings.Lines(stdout.String()) {
			var q extractedQuote
			if err := json.Unmarshal([]byte(line), &q); err != nil {
				t.Fatalf("line %q: %v", line, err)
			}
			got[q.Article] = q.Speaker.Name
		}
		if !maps.Equal(got, tt.want) {
			t.Errorf("speakers of %d files: got %v, want %v", len(tt.files), got, tt.want)
		}
	}
}

func TestIndexedPeopleAnswersAsTheCorpus(t *testing.T) {
	people := []quote.Speaker{
		{Name: "Barack Obama", Kind: quote.Person},
		{Name: "Michelle Obama", Kind: quote.Person, Descriptor: "first lady"},
		{Name: "Obama", Kind: quote.Person},
		{Name: "John Kerry", Kind: quote.Person},
		{Name: "John Kerry", Kind: quote.Person, Descriptor: "Secretary of State"},
		{Name: "Bashar al-Assad", Kind: quote.Person},
		{Name: "José Ramos-Horta", Kind: quote.Person},
		{Name: "the Kremlin", Kind: quote.Organization},
		{Name: "a senior US official", Kind: quote.Anonymous},
	}
	var quotes []quote.Quote
	for i, sp := range people {
		for range i%3 + 1 {
			quotes = append(quotes, quote.Quote{Speaker: sp})
		}
	}
	ctx := context.Background()
	corpus := speaker.NewCorpus(quotes)
	indexed, err := newIndexedPeople(ctx, corpus)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		prefix string
		limit  int
	}{
		{"obama", 20}, {"Obama", 1}, {"ob", 20}, {"kerry", 0}, {"jo", 20}, {"john kerry", 20},
		{"assad", 20}, {"al-assad", 20}, {"alassad", 20}, {"jose", 20}, {"José", 20}, {"horta", 20},
		{"kremlin", 20}, {"official", 20}, {"", 20}, {"nobody", 20}, {"o", 2},
	} {
		want, err := corpus.Speakers(ctx, tt.prefix, tt.limit)
		if err != nil {
			t.Fatal(err)
		}
		got, err := indexed.Speakers(ctx, tt.prefix, tt.limit)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, want) {
			t.Errorf("Speakers(%q, %d) = %v, want %v as the corpus gives", tt.prefix, tt.limit, got, want)
		}
	}
}
