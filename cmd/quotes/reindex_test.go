package main

import (
	"strings"
	"testing"
)

func TestRunReindex(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		wantErr    bool
		wantStdout string
	}{
		{"an empty store", []string{"--data", t.TempDir()}, false, "re-extracted 0 articles"},
		{"no workers", []string{"--data", t.TempDir(), "--workers", "0"}, true, ""},
		{"stray argument", []string{"--data", t.TempDir(), "extra"}, true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr strings.Builder
			err := run(t.Context(), append([]string{"reindex"}, tt.args...), &stdout, &stderr)
			if (err != nil) != tt.wantErr || !strings.Contains(stdout.String(), tt.wantStdout) {
				t.Errorf("quotes reindex %q = %v, stdout %q, stderr %q; want error %v and %q", tt.args, err, stdout.String(), stderr.String(), tt.wantErr, tt.wantStdout)
			}
		})
	}
}
