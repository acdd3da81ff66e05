package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime"

	"github.com/newsroom-tools/quotes/internal/ingest"
	"github.com/newsroom-tools/quotes/internal/localserver"
)

// runReindex re-extracts the objects of the bucket whose article an older
// extractor made (all of them with --all): the local bucket and embedded
// store (run it with the server stopped: the store is one process's at a
// time), or with --s3-endpoint, --bucket, --dynamodb-endpoint and --table
// an S3 bucket and DynamoDB table, on AWS too.
func runReindex(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("reindex", flag.ContinueOnError)
	var c localserver.Config
	fs.StringVar(&c.Data, "data", envOr("QUOTES_DATA", ".quotes-data"), "folder of the embedded store and the local bucket")
	fs.StringVar(&c.Bucket, "bucket", envOr("QUOTES_BUCKET", "articles"), "bucket name")
	fs.StringVar(&c.DynamoEndpoint, "dynamodb-endpoint", os.Getenv("QUOTES_DYNAMODB_ENDPOINT"), `the DynamoDB endpoint ("aws" for AWS) of the store, instead of the embedded one`)
	fs.StringVar(&c.Table, "table", envOr("QUOTES_TABLE", "quotes"), "DynamoDB table, with --dynamodb-endpoint")
	fs.StringVar(&c.S3Endpoint, "s3-endpoint", os.Getenv("QUOTES_S3_ENDPOINT"), `the S3 endpoint ("aws" for AWS) of the bucket, instead of --data`)
	all := fs.Bool("all", false, "re-extract every article, not only those an older extractor made")
	workers := fs.Int("workers", runtime.NumCPU(), "articles re-extracted at once")
	if err := parseFlags(fs, "quotes reindex [--data DIR | --s3-endpoint URL --bucket B --dynamodb-endpoint URL --table T] [--all] [--workers N]", args, stdout, stderr); err != nil {
		return err
	}
	if fs.NArg() > 0 || *workers < 1 {
		fmt.Fprintf(stderr, "quotes reindex: unexpected arguments %q or --workers below 1\n", fs.Args())
		return errUsage
	}
	c.Log = slog.New(slog.NewJSONHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	service, err := localserver.Open(ctx, c)
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
	fmt.Fprintf(stdout, "re-extracted %d articles with extractor %s\n", n, ingest.ExtractorVersion())
	if err != nil {
		return fmt.Errorf("reindex: %w (run it again to resume)", err)
	}
	return nil
}
