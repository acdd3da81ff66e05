// Command quotes is the service on a laptop: `quotes serve` runs ingest, the
// store and the API in one process on an embedded store; `quotes extract`
// prints the quotes of article files as JSON lines.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

const usage = `usage:
  quotes serve [--addr 127.0.0.1:8080] [--data DIR] [--watch DIR]   run the whole service locally
  quotes extract FILE...                                            print each file's quotes as JSON lines
  quotes reindex [--data DIR | --s3-endpoint URL --bucket B --dynamodb-endpoint URL --table T] [--all] [--workers N]
                                                                    re-extract articles an older extractor made
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, errUsage) {
			fmt.Fprintln(os.Stderr, "quotes:", err)
		}
		os.Exit(1)
	}
}

var errUsage = errors.New("usage")

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errUsage
	}
	switch args[0] {
	case "serve":
		return runServe(ctx, args[1:], stdout, stderr)
	case "extract":
		return runExtract(ctx, args[1:], stdout, stderr)
	case "reindex":
		return runReindex(ctx, args[1:], stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprintf(stderr, "quotes: unknown command %q\n%s", args[0], usage)
	return errUsage
}
