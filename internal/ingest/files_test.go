package ingest

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
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
