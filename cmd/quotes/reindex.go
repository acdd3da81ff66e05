package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"runtime"

	"github.com/newsroom-tools/quotes/internal/ingest"
	"github.com/newsroom-tools/quotes/internal/localserver"
)

// runReindex re-extracts the stored articles an older extractor made (all
// of them with --all), from the objects in the local bucket. Run it with
// the server stopped: the embedded store is one process's at a time.
func runReindex(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("reindex", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", envOr("QUOTES_DATA", ".quotes-data"), "folder of the embedded store and the local bucket")
	bucket := fs.String("bucket", envOr("QUOTES_BUCKET", "articles"), "bucket name")
	all := fs.Bool("all", false, "re-extract every article, not only those an older extractor made")
	workers := fs.Int("workers", runtime.NumCPU(), "articles re-extracted at once")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	if fs.NArg() > 0 || *workers < 1 {
		fmt.Fprintf(stderr, "quotes reindex: unexpected arguments %q or --workers below 1\n", fs.Args())
		return errUsage
	}
	service, err := localserver.Open(ctx, localserver.Config{Data: *data, Bucket: *bucket, Log: slog.New(slog.NewJSONHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))})
	if err != nil {
		return err
	}
	defer service.Close()
	progressed := false
	n, err := service.Reindex(ctx, *all, *workers, func(done, total int) {
		fmt.Fprintf(stderr, "\rreindex: %d/%d", done, total)
		progressed = true
	})
	if progressed {
		fmt.Fprintln(stderr)
	}
	fmt.Fprintf(stdout, "re-extracted %d articles with extractor %s\n", n, ingest.ExtractorVersion)
	if err != nil {
		return fmt.Errorf("reindex: %w (run it again to resume)", err)
	}
	return nil
}
