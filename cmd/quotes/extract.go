package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/newsroom-tools/quotes/internal/extract"
	"github.com/newsroom-tools/quotes/internal/quote"
)

// extractedQuote is one line of `quotes extract` output: the quote with
// its article named by the file's base name, as the scorer reads it.
type extractedQuote struct {
	Article string        `json:"article"`
	Text    string        `json:"text"`
	Start   int           `json:"start"`
	End     int           `json:"end"`
	Speaker quote.Speaker `json:"speaker"`
	Partial bool          `json:"partial,omitempty"`
	// Evidence and Context let a reader check the attribution.
	Evidence quote.Evidence `json:"evidence"`
	Context  string         `json:"context,omitempty"`
}

// runExtract prints, for each file in args, one JSON line per direct quote
// in it. A file that cannot be read is reported and skipped; the others
// are still processed, and the error returned names every failure.
func runExtract(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("extract", flag.ContinueOnError)
	const synopsis = "quotes extract FILE...   print each file's quotes as JSON lines"
	if err := parseFlags(fs, synopsis, args, stdout, stderr); err != nil {
		return err
	}
	args = fs.Args()
	if len(args) == 0 {
		fmt.Fprintf(stderr, "usage: %s\n", synopsis)
		return errors.New("extract: no files given")
	}
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	var failed []error
	for _, path := range args {
		if err := ctx.Err(); err != nil {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			fmt.Fprintf(stderr, "quotes extract: %v\n", err)
			failed = append(failed, fmt.Errorf("read %s: %w", path, err))
			continue
		}
		article := filepath.Base(path)
		for _, q := range extract.Extract(string(data)) {
			line := extractedQuote{
				Article:  article,
				Text:     q.Text,
				Start:    q.Start,
				End:      q.End,
				Speaker:  q.Speaker,
				Partial:  q.Partial,
				Evidence: q.Evidence,
				Context:  q.Context,
			}
			if err := enc.Encode(line); err != nil {
				return fmt.Errorf("extract: write: %w", err)
			}
		}
	}
	return errors.Join(failed...)
}
