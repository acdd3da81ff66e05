package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/newsroom-tools/quotes/internal/localbucket"
	"github.com/newsroom-tools/quotes/internal/localserver"
)

// serveConfig is what `quotes serve` is told; flags win over environment.
type serveConfig struct {
	addr    string
	watch   string
	service localserver.Config
}

func parseServe(args []string, stdout, stderr io.Writer) (serveConfig, error) {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	var c serveConfig
	fs.StringVar(&c.addr, "addr", envOr("QUOTES_ADDR", "127.0.0.1:8080"), "address to listen on")
	fs.StringVar(&c.service.Data, "data", envOr("QUOTES_DATA", ".quotes-data"), "folder for the embedded store and the local bucket")
	fs.StringVar(&c.watch, "watch", "", "mirror this folder into the bucket: files dropped in are ingested, removed ones deleted")
	fs.StringVar(&c.service.Bucket, "bucket", envOr("QUOTES_BUCKET", "articles"), "bucket name")
	fs.StringVar(&c.service.DynamoEndpoint, "dynamodb-endpoint", os.Getenv("QUOTES_DYNAMODB_ENDPOINT"), `store quotes in DynamoDB at this endpoint ("aws" for AWS) instead of the embedded store`)
	fs.StringVar(&c.service.Table, "table", envOr("QUOTES_TABLE", "quotes"), "DynamoDB table, with --dynamodb-endpoint")
	fs.StringVar(&c.service.S3Endpoint, "s3-endpoint", os.Getenv("QUOTES_S3_ENDPOINT"), `keep uploads in the S3 bucket at this endpoint ("aws" for AWS) instead of --data`)
	fs.StringVar(&c.service.Topics, "topics", os.Getenv("QUOTES_TOPICS"), "topic alias file to use instead of the built-in one (format: internal/topic/aliases.txt)")
	c.service.CursorKey = os.Getenv("QUOTES_CURSOR_KEY")
	if err := parseFlags(fs, "quotes serve [flags]   run the whole service locally", args, stdout, stderr); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "quotes serve: unexpected arguments %q\n", fs.Args())
		return c, errUsage
	}
	return c, nil
}

func envOr(name, fallback string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return fallback
}

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	c, err := parseServe(args, stdout, stderr)
	if err != nil {
		return err
	}
	// Listening first makes a taken address the first thing said, before
	// the store is opened.
	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	defer ln.Close()
	log := slog.New(slog.NewJSONHandler(stderr, nil))
	base := "http://" + ln.Addr().String()
	// The first log line says where to go, for whoever just started it.
	log.InfoContext(ctx, "quotes serving",
		"page", base+"/",
		"upload", fmt.Sprintf("curl -T article.txt %s/bucket/article.txt", base),
		"api", base+"/openapi.yaml",
		"data", c.service.Data)
	c.service.Log = log
	service, err := localserver.Open(ctx, c.service)
	if err != nil {
		return err
	}
	defer service.Close()

	srv := &http.Server{Handler: service.Handler, ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(stdout, "quotes: serving on %s (data in %s)\n", base, c.service.Data)

	if c.watch != "" {
		go localbucket.Watch(ctx, c.watch, time.Second, service.Bucket, log)
	}
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()
	select {
	case err := <-serveErr:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return srv.Shutdown(shutdown)
}
