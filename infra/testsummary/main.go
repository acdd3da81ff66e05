// Command testsummary reads `go test -json` on stdin and prints what a
// person wants of it: each package's result line, the whole output of
// every test that failed, and the build errors. It writes the counts of
// tests passed, failed and skipped to the file -counts names, for
// infra/test.sh's summary line, and exits 1 when anything failed.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

// event is one line of `go test -json` (see `go doc test2json`).
type event struct {
	Action  string
	Package string
	Test    string
	Output  string
}

// counts is how many tests, and packages that failed without a failing
// test (a build error, a panic in TestMain), ended in each state.
type counts struct {
	Passed, Failed, Skipped int
}

func main() {
	countsFile := flag.String("counts", "", "write \"PASSED FAILED SKIPPED\" to this file")
	flag.Parse()
	c, err := summarize(os.Stdin, os.Stdout)
	if err != nil {
		fmt.Fprintln(os.Stderr, "testsummary:", err)
		os.Exit(2)
	}
	if *countsFile != "" {
		if err := os.WriteFile(*countsFile, fmt.Appendf(nil, "%d %d %d\n", c.Passed, c.Failed, c.Skipped), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "testsummary:", err)
			os.Exit(2)
		}
	}
	if c.Failed > 0 {
		os.Exit(1)
	}
}

// summarize reads the events from in and writes the readable part to out.
// A line that is not JSON (the go command's own messages) is passed on.
func summarize(in io.Reader, out io.Writer) (counts, error) {
	var c counts
	testOutput := map[string]*strings.Builder{} // by package and test
	failedTests := map[string]int{}             // by package
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	for sc.Scan() {
		var e event
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil || e.Action == "" {
			fmt.Fprintln(out, sc.Text())
			continue
		}
		if e.Test == "" {
			switch e.Action {
			case "output", "build-output":
				// A passing package says "PASS" before its "ok" line.
				if e.Output != "PASS\n" {
					fmt.Fprint(out, e.Output)
				}
			case "fail":
				if failedTests[e.Package] == 0 {
					c.Failed++
				}
			}
			continue
		}
		id := e.Package + " " + e.Test
		switch e.Action {
		case "output":
			b := testOutput[id]
			if b == nil {
				b = &strings.Builder{}
				testOutput[id] = b
			}
			b.WriteString(e.Output)
		case "pass":
			c.Passed++
			delete(testOutput, id)
		case "skip":
			c.Skipped++
			delete(testOutput, id)
		case "fail":
			c.Failed++
			failedTests[e.Package]++
			if b := testOutput[id]; b != nil {
				fmt.Fprint(out, b.String())
			}
			delete(testOutput, id)
		}
	}
	return c, sc.Err()
}
