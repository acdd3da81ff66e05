package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestHelpExitsZeroWithUsage(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--help"}, "quotes serve"},
		{[]string{"help"}, "quotes extract"},
		{[]string{"serve", "--help"}, "-addr"},
		{[]string{"serve", "-h"}, "-data"},
		{[]string{"extract", "--help"}, "quotes extract"},
		{[]string{"extract", "-h"}, "FILE"},
		{[]string{"export", "--help"}, "--format ndjson|csv"},
		{[]string{"reindex", "--help"}, "-all"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if err := run(context.Background(), tt.args, &stdout, &stderr); err != nil {
				t.Fatalf("run = %v, want nil (stderr %q)", err, stderr.String())
			}
			if !strings.Contains(stdout.String(), tt.want) {
				t.Errorf("stdout = %q, want usage mentioning %q", stdout.String(), tt.want)
			}
		})
	}
}

func TestWrongFlagIsAUsageError(t *testing.T) {
	for _, args := range [][]string{{"serve", "--nope"}, {"extract", "--nope"}, {"export", "--nope"}, {"nope"}} {
		var stdout, stderr bytes.Buffer
		if err := run(context.Background(), args, &stdout, &stderr); err == nil {
			t.Errorf("run(%q) = nil, want an error", args)
		}
		if !strings.Contains(stderr.String(), "usage") {
			t.Errorf("run(%q): stderr = %q, want the usage", args, stderr.String())
		}
	}
}
