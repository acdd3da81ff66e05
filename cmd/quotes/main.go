// Command quotes is the service on a laptop: `quotes serve` runs ingest, the
// store and the API in one process on an embedded store; `quotes extract`
// prints the quotes of article files as JSON lines; `quotes export` writes
// every stored quote, from the embedded store or DynamoDB.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

const usage = `usage:
  quotes serve [--addr 127.0.0.1:8080] [--data DIR] [--watch DIR]   run the whole service locally
  quotes extract FILE...                                            print each file's quotes as JSON lines
  quotes export [--format ndjson|csv] [--since DATE]                write every stored quote to stdout
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

// errUsage is a command line that was wrong; the usage is already printed.
var errUsage = errors.New("usage")

// errHelp is a command line asking for help; the usage is already printed
// on stdout, and the command succeeded.
var errHelp = errors.New("help")

// parseFlags parses a subcommand's flags. -h or --help prints its usage
// (synopsis, then the flags) on stdout and gives errHelp; a wrong flag
// prints the problem and the usage on stderr and gives errUsage.
func parseFlags(fs *flag.FlagSet, synopsis string, args []string, stdout, stderr io.Writer) error {
	printUsage := func(w io.Writer) {
		fmt.Fprintf(w, "usage: %s\n", synopsis)
		fs.SetOutput(w)
		fs.PrintDefaults()
	}
	fs.SetOutput(stderr)
	fs.Usage = func() {}
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		printUsage(stdout)
		return errHelp
	case err != nil:
		printUsage(stderr)
		return errUsage
	}
	return nil
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errUsage
	}
	var err error
	switch args[0] {
	case "serve":
		err = runServe(ctx, args[1:], stdout, stderr)
	case "extract":
		err = runExtract(ctx, args[1:], stdout, stderr)
	case "export":
		err = runExport(ctx, args[1:], stdout, stderr)
	case "reindex":
		err = runReindex(ctx, args[1:], stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	default:
		fmt.Fprintf(stderr, "quotes: unknown command %q\n%s", args[0], usage)
		return errUsage
	}
	if errors.Is(err, errHelp) {
		return nil
	}
	return err
}
