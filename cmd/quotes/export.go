package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/newsroom-tools/quotes/internal/localserver"
	"github.com/newsroom-tools/quotes/internal/quote"
	"github.com/newsroom-tools/quotes/internal/store"
)

// exportArticle is what an exported quote says of its article.
type exportArticle struct {
	ID        string     `json:"id"`
	Key       string     `json:"key"`
	Title     string     `json:"title,omitempty"`
	URL       string     `json:"url,omitempty"`
	Outlet    string     `json:"outlet,omitempty"`
	Published *time.Time `json:"published,omitempty"`
}

// exportLine is one quote of `quotes export --format ndjson`: the quote as
// the API serves it, its article told in full.
type exportLine struct {
	quote.Quote
	Article exportArticle `json:"article"`
}

// csvHeader names the columns of `quotes export --format csv`.
var csvHeader = []string{
	"id", "date", "date_source", "text", "partial", "speaker_id", "speaker_name", "speaker_kind",
	"speaker_descriptor", "cue", "mention", "rule", "confidence", "topics", "context",
	"article_id", "article_key", "article_title", "article_url", "article_outlet",
}

// progressEvery is how many quotes pass between two progress lines.
const progressEvery = 1000

func runExport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	const synopsis = "quotes export [--format ndjson|csv] [--since DATE] [--data DIR | --dynamodb-endpoint URL --table NAME]\n" +
		"  write every quote, with its speaker, article and evidence, newest first, to stdout; progress on stderr.\n" +
		"  The embedded store is locked while `quotes serve` runs on it: stop the server first"
	var c localserver.Config
	format := fs.String("format", "ndjson", "ndjson (one JSON object a line) or csv")
	since := fs.String("since", "", "only quotes dated on or after this day (YYYY-MM-DD) or time (RFC 3339)")
	fs.StringVar(&c.Data, "data", envOr("QUOTES_DATA", ".quotes-data"), "folder of the embedded store, as given to quotes serve")
	fs.StringVar(&c.DynamoEndpoint, "dynamodb-endpoint", os.Getenv("QUOTES_DYNAMODB_ENDPOINT"), `read the DynamoDB table at this endpoint ("aws" for AWS) instead of the embedded store`)
	fs.StringVar(&c.Table, "table", envOr("QUOTES_TABLE", "quotes"), "DynamoDB table, with --dynamodb-endpoint")
	if err := parseFlags(fs, synopsis, args, stdout, stderr); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "quotes export: unexpected arguments %q\n", fs.Args())
		return errUsage
	}
	var from time.Time
	if *since != "" {
		var err error
		if from, err = parseSince(*since); err != nil {
			fmt.Fprintf(stderr, "quotes export: --since %q is not a date (YYYY-MM-DD or RFC 3339)\n", *since)
			return errUsage
		}
	}
	var write func(exportLine) error
	var flush func() error
	out := bufio.NewWriter(stdout)
	switch *format {
	case "ndjson":
		enc := json.NewEncoder(out)
		enc.SetEscapeHTML(false)
		write = func(l exportLine) error { return enc.Encode(l) }
		flush = out.Flush
	case "csv":
		w := csv.NewWriter(out)
		if err := w.Write(csvHeader); err != nil {
			return fmt.Errorf("export: write: %w", err)
		}
		write = func(l exportLine) error { return w.Write(csvRecord(l)) }
		flush = func() error {
			w.Flush()
			if err := w.Error(); err != nil {
				return err
			}
			return out.Flush()
		}
	default:
		fmt.Fprintf(stderr, "quotes export: --format must be ndjson or csv, not %q\n", *format)
		return errUsage
	}

	log := slog.New(slog.NewJSONHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	st, closeStore, err := localserver.OpenStore(ctx, c, log)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	defer closeStore()

	articles := map[string]exportArticle{}
	count := 0
	started := time.Now()
	err = store.Each(ctx, st, from, func(q quote.Quote) error {
		a, ok := articles[q.Article.ID]
		if !ok {
			full, err := st.Article(ctx, q.Article.ID)
			if err != nil {
				return fmt.Errorf("article %s of quote %s: %w", q.Article.ID, q.ID, err)
			}
			a = exportArticle{ID: full.ID, Key: full.Key, Title: full.Title, URL: full.URL, Outlet: full.Outlet}
			if !full.Published.IsZero() {
				a.Published = &full.Published
			}
			articles[q.Article.ID] = a
		}
		if err := write(exportLine{Quote: q, Article: a}); err != nil {
			return fmt.Errorf("write: %w", err)
		}
		if count++; count%progressEvery == 0 {
			fmt.Fprintf(stderr, "quotes export: %d quotes from %d articles\n", count, len(articles))
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if err := flush(); err != nil {
		return fmt.Errorf("export: write: %w", err)
	}
	fmt.Fprintf(stderr, "quotes export: done, %d quotes from %d articles in %.1f s\n", count, len(articles), time.Since(started).Seconds())
	return nil
}

func parseSince(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	return time.Parse(time.DateOnly, s)
}

func csvRecord(l exportLine) []string {
	q := l.Quote
	var cue, mention string
	if q.Evidence.Cue != nil {
		cue = q.Evidence.Cue.Text
	}
	if q.Evidence.Mention != nil {
		mention = q.Evidence.Mention.Text
	}
	return []string{
		q.ID, q.Date.UTC().Format(time.RFC3339), string(q.DateSource), q.Text, strconv.FormatBool(q.Partial),
		q.Speaker.ID, q.Speaker.Name, string(q.Speaker.Kind), q.Speaker.Descriptor,
		cue, mention, q.Evidence.Rule, strconv.FormatFloat(q.Evidence.Confidence, 'f', -1, 64),
		strings.Join(q.Topics, "; "), q.Context,
		l.Article.ID, l.Article.Key, l.Article.Title, l.Article.URL, l.Article.Outlet,
	}
}
