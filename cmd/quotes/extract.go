package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"unicode/utf8"

	"github.com/newsroom-tools/quotes/internal/decode"
	"github.com/newsroom-tools/quotes/internal/extract"
	"github.com/newsroom-tools/quotes/internal/quote"
	"github.com/newsroom-tools/quotes/internal/speaker"
	"github.com/newsroom-tools/quotes/internal/store"
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
	// Offsets is "article" when Start and End point into the decoded
	// article's text rather than into the file, whose bytes do not hold
	// the quote's words as they are (HTML entities, a re-encoded file).
	Offsets string `json:"offsets,omitempty"`
}

const extractSynopsis = "quotes extract [--raw] FILE...\n" +
	"  print each file's quotes as JSON lines. A file is decoded as an upload is (by its extension: .txt,\n" +
	"  .md, .html, .json; UTF-8, UTF-16 or Windows-1252), so it gives the quotes its upload would.\n" +
	"  start and end are byte offsets of the quote in the file; where the file does not hold the words\n" +
	"  as they are, they point into the decoded article's text and the line says \"offsets\": \"article\".\n" +
	"  A person one file calls by surname alone is named as the service would name them once it held\n" +
	"  every file given: the one person of that surname the files name in full.\n" +
	"  --raw reads each file's bytes as the article's text, undecoded"

// runExtract prints, for each file in args, one JSON line per direct quote
// in it. A file that cannot be read or decoded is reported and skipped;
// the others are still processed, and the error returned names every
// failure.
func runExtract(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("extract", flag.ContinueOnError)
	raw := fs.Bool("raw", false, "read each file's bytes as the article's text, without decoding (the offsets are the file's)")
	if err := parseFlags(fs, extractSynopsis, args, stdout, stderr); err != nil {
		return err
	}
	args = fs.Args()
	if len(args) == 0 {
		fmt.Fprintf(stderr, "usage: %s\n", extractSynopsis)
		return errors.New("extract: no files given")
	}
	out := bufio.NewWriter(stdout)
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	var failed []error
	// Files are extracted on every core, and written in the order given as
	// each one's turn comes, so the output is the same as one at a time.
	results := make([]chan extractResult, len(args))
	work := make(chan int)
	for i := range results {
		results[i] = make(chan extractResult, 1)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	for range min(runtime.GOMAXPROCS(0), len(args)) {
		go func() {
			for i := range work {
				lines, err := extractFile(args[i], *raw)
				results[i] <- extractResult{lines, err}
			}
		}()
	}
	go func() {
		defer close(work)
		for i := range args {
			select {
			case work <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	var lines []extractedQuote
	for _, result := range results {
		var r extractResult
		select {
		case r = <-result:
		case <-ctx.Done():
			return ctx.Err()
		}
		if r.err != nil {
			fmt.Fprintf(stderr, "quotes extract: %v\n", r.err)
			failed = append(failed, r.err)
			continue
		}
		lines = append(lines, r.lines...)
	}
	if err := nameAsStored(ctx, lines); err != nil {
		return err
	}
	for _, line := range lines {
		if err := enc.Encode(line); err != nil {
			return fmt.Errorf("extract: write: %w", err)
		}
	}
	if err := out.Flush(); err != nil {
		return fmt.Errorf("extract: write: %w", err)
	}
	return errors.Join(failed...)
}

// nameAsStored names the speakers of lines as the service would once it
// held all their articles: a person one file calls by surname alone
// ("Obama") is the one person of that surname the files name in full.
func nameAsStored(ctx context.Context, lines []extractedQuote) error {
	quotes := make([]quote.Quote, len(lines))
	for i, line := range lines {
		quotes[i].Speaker = line.Speaker
	}
	people, err := newIndexedPeople(ctx, speaker.NewCorpus(quotes))
	if err != nil {
		return fmt.Errorf("extract: name speakers: %w", err)
	}
	if err := speaker.Canonical(ctx, people, quotes); err != nil {
		return fmt.Errorf("extract: name speakers: %w", err)
	}
	for i := range lines {
		lines[i].Speaker.Name = quotes[i].Speaker.Name
	}
	return nil
}

// indexedPeople answers a corpus's searches as speaker.Corpus.Speakers
// does, from an index of every prefix of every word of every name:
// Canonical searches once per surname, and the corpus splits and scans
// every name each time, a third of this command's time on many files.
type indexedPeople struct {
	*speaker.Corpus
	all []store.SpeakerSummary // most quoted first, as the corpus orders them
	// byPrefix lists, in that order, the indexes into all of the speakers
	// with a word of their name that starts with the key.
	byPrefix map[string][]int
}

func newIndexedPeople(ctx context.Context, c *speaker.Corpus) (*indexedPeople, error) {
	all, err := c.Speakers(ctx, "", -1) // no words to match: every speaker
	if err != nil {
		return nil, err
	}
	p := &indexedPeople{Corpus: c, all: all, byPrefix: map[string][]int{}}
	for i, s := range all {
		for _, w := range quote.Words(s.Name) {
			for end := 1; end <= len(w); end++ {
				if list := p.byPrefix[w[:end]]; len(list) == 0 || list[len(list)-1] != i {
					p.byPrefix[w[:end]] = append(list, i)
				}
			}
		}
	}
	return p, nil
}

func (p *indexedPeople) Speakers(ctx context.Context, prefix string, limit int) ([]store.SpeakerSummary, error) {
	words := quote.Words(prefix)
	if len(words) != 1 {
		return p.Corpus.Speakers(ctx, prefix, limit)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out := []store.SpeakerSummary{}
	for _, i := range p.byPrefix[words[0]] {
		if len(out) == limit {
			break
		}
		out = append(out, p.all[i])
	}
	return out, nil
}

// extractResult is one file's quotes, or why it has none.
type extractResult struct {
	lines []extractedQuote
	err   error
}

// extractFile returns the quotes of the file at path: decoded as an
// upload of it would be, or, raw, its bytes taken for the text.
func extractFile(path string, raw bool) ([]extractedQuote, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	name := filepath.Base(path)
	text := string(data)
	if !raw {
		a, err := decode.Object(name, data, decode.DefaultMaxBytes)
		if err != nil {
			return nil, fmt.Errorf("%s: %s", path, quote.ErrorMessage(err))
		}
		text = a.Text
	}
	quotes := extract.Extract(text)
	lines := make([]extractedQuote, len(quotes))
	for i, q := range quotes {
		lines[i] = extractedQuote{
			Article:  name,
			Text:     q.Text,
			Start:    q.Start,
			End:      q.End,
			Speaker:  q.Speaker,
			Partial:  q.Partial,
			Evidence: q.Evidence,
			Context:  q.Context,
		}
	}
	if !raw && text != string(data) {
		inFile(lines, text, data)
	}
	return lines, nil
}

// inFile moves the quotes' offsets from the decoded text into the file,
// where the file holds their words as they are: decoding drops a title
// line and blank space, which shifts what follows. The n-th occurrence of
// a quote's words in the text is taken for the n-th in the file, after
// any the file has more (in the title, which leads it). A quote whose
// words the file does not hold keeps the text's offsets, marked so.
// Evidence spans keep the text's offsets, as in the API.
func inFile(lines []extractedQuote, text string, data []byte) {
	file := string(data)
	fileValid := utf8.Valid(data)
	for i := range lines {
		q := &lines[i]
		if !fileValid || q.Text == "" {
			q.Offsets = "article"
			continue
		}
		inText := occurrences(text, q.Text)
		inFileAt := occurrences(file, q.Text)
		k := -1
		for j, at := range inText {
			if at == q.Start {
				k = j + len(inFileAt) - len(inText)
			}
		}
		if k < 0 || k >= len(inFileAt) {
			q.Offsets = "article"
			continue
		}
		q.Start, q.End = inFileAt[k], inFileAt[k]+len(q.Text)
	}
}

// occurrences lists where s occurs in text, overlaps included.
func occurrences(text, s string) []int {
	var at []int
	for i := 0; ; {
		j := strings.Index(text[i:], s)
		if j < 0 {
			return at
		}
		at = append(at, i+j)
		i += j + 1
	}
}
