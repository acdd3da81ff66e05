package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
		"partial": true, "evidence": true, "context": true}
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
