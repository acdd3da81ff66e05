package main

import (
	"strings"
	"testing"
)

func TestSummarize(t *testing.T) {
	in := strings.Join([]string{
		`{"Action":"start","Package":"a"}`,
		`{"Action":"run","Package":"a","Test":"TestOK"}`,
		`{"Action":"output","Package":"a","Test":"TestOK","Output":"quiet pass\n"}`,
		`{"Action":"pass","Package":"a","Test":"TestOK"}`,
		`{"Action":"run","Package":"a","Test":"TestBad"}`,
		`{"Action":"output","Package":"a","Test":"TestBad","Output":"    a_test.go:9: got 1, want 2\n"}`,
		`{"Action":"fail","Package":"a","Test":"TestBad"}`,
		`{"Action":"skip","Package":"a","Test":"TestSlow"}`,
		`{"Action":"output","Package":"a","Output":"FAIL\ta\t0.01s\n"}`,
		`{"Action":"fail","Package":"a"}`,
		`{"Action":"build-output","Package":"b","Output":"b.go:3: undefined: x\n"}`,
		`{"Action":"fail","Package":"b"}`,
		`go: warning: something`,
	}, "\n")
	var out strings.Builder
	got, err := summarize(strings.NewReader(in), &out)
	if err != nil {
		t.Fatal(err)
	}
	if want := (counts{Passed: 1, Failed: 2, Skipped: 1}); got != want {
		t.Errorf("counts = %+v, want %+v (a failed test, and a package failing to build)", got, want)
	}
	for _, want := range []string{"got 1, want 2", "FAIL\ta", "undefined: x", "go: warning"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), "quiet pass") {
		t.Errorf("output shows a passing test's output:\n%s", out.String())
	}
}
