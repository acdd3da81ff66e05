package ingest

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsroom-tools/quotes/internal/quote"
)

func TestFileObjects(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "story.txt"), []byte("“Hello,” she said."), 0o600); err != nil {
		t.Fatal(err)
	}
	objects := FileObjects{Open: func(key string) (*os.File, error) {
		f, err := os.Open(filepath.Join(dir, key))
		if errors.Is(err, fs.ErrNotExist) {
			return nil, quote.Errorf(quote.ENotFound, "no object %q", key)
		}
		return f, err
	}}
	tests := []struct {
		name     string
		key      string
		limit    int64
		want     string
		wantCode string
		wantMsg  string
	}{
		{"whole file", "story.txt", 1024, "“Hello,” she said.", "", ""},
		{"file over the limit", "story.txt", 10, "", quote.EInvalid, "object is 22 bytes; the limit is 10 bytes"},
		{"missing file", "none.txt", 1024, "", quote.ENotFound, `no object "none.txt"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := objects.Get(t.Context(), "local", tt.key, tt.limit)
			if code := quote.ErrorCode(err); code != tt.wantCode {
				t.Fatalf("Get error = %v (code %q), want code %q", err, code, tt.wantCode)
			}
			if err != nil && quote.ErrorMessage(err) != tt.wantMsg {
				t.Errorf("Get error message = %q, want %q", quote.ErrorMessage(err), tt.wantMsg)
			}
			if string(got.Body) != tt.want {
				t.Errorf("Get = %q, want %q", got.Body, tt.want)
			}
		})
	}
}

func TestReadObject(t *testing.T) {
	tests := []struct {
		name        string
		body        string
		size, limit int64
		want        string
		wantErr     string
	}{
		{"within", "hello", 5, 5, "hello", ""},
		{"size unknown, within", "hello", -1, 5, "hello", ""},
		{"declared size over", "hello world", 11, 5, "", "object is 11 bytes; the limit is 5 bytes"},
		{"size unknown, over", "hello world", -1, 5, "", "object is larger than 5 bytes, the limit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &countingReader{r: strings.NewReader(tt.body)}
			got, err := ReadObject(r, tt.size, tt.limit)
			if msg := quote.ErrorMessage(err); msg != tt.wantErr {
				t.Fatalf("error = %q, want %q", msg, tt.wantErr)
			}
			if string(got) != tt.want {
				t.Errorf("body = %q, want %q", got, tt.want)
			}
			if r.n > tt.limit+1 {
				t.Errorf("read %d bytes, want at most limit+1 = %d", r.n, tt.limit+1)
			}
		})
	}
}

type countingReader struct {
	r interface{ Read([]byte) (int, error) }
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
