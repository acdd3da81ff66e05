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
	"strings"
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
	fs.StringVar(&c.service.Access.Token, "token", os.Getenv("QUOTES_TOKEN"), "require \"Authorization: Bearer TOKEN\" on uploads and deletions (and on every read with --private); needed to listen beyond loopback")
	fs.BoolVar(&c.service.Access.Private, "private", os.Getenv("QUOTES_PRIVATE") != "", "require the token on reads too")
	hosts := fs.String("hosts", os.Getenv("QUOTES_HOSTS"), "comma-separated names the server is reached by besides its address and loopback names (Host headers naming anything else are refused)")
	c.service.CursorKey = os.Getenv("QUOTES_CURSOR_KEY")
	if err := parseFlags(fs, "quotes serve [flags]   run the whole service locally", args, stdout, stderr); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "quotes serve: unexpected arguments %q\n", fs.Args())
		return c, errUsage
	}
	for h := range strings.SplitSeq(*hosts, ",") {
		if h = strings.TrimSpace(h); h != "" {
			c.service.Access.Hosts = append(c.service.Access.Hosts, h)
		}
	}
	if c.service.Access.Private && c.service.Access.Token == "" {
		fmt.Fprintln(stderr, "quotes serve: --private needs --token (or QUOTES_TOKEN)")
		return c, errUsage
	}
	if !localserver.IsLoopback(c.addr) && c.service.Access.Token == "" {
		fmt.Fprintf(stderr, "quotes serve: %s is reachable from other machines; set --token (or QUOTES_TOKEN) to listen there\n", c.addr)
		return c, errUsage
	}
	return c, nil
}

// ownHosts adds to the names the server answers to the address it
// listens on: for an unspecified address (0.0.0.0, ::), every address of
// the machine and its host name.
func ownHosts(ln net.Listener) []string {
	addr, ok := ln.Addr().(*net.TCPAddr)
	if !ok {
		return nil
	}
	if !addr.IP.IsUnspecified() {
		return []string{addr.IP.String()}
	}
	var hosts []string
	if addrs, err := net.InterfaceAddrs(); err == nil {
		for _, a := range addrs {
			if ipnet, ok := a.(*net.IPNet); ok {
				hosts = append(hosts, ipnet.IP.String())
			}
		}
	}
	if name, err := os.Hostname(); err == nil {
		hosts = append(hosts, name)
	}
	return hosts
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
	c.service.Access.Hosts = append(c.service.Access.Hosts, ownHosts(ln)...)
	service, err := localserver.Open(ctx, c.service)
	if err != nil {
		if ctx.Err() != nil {
			// Stopped while opening (reconciling the bucket): a shutdown,
			// not a failure.
			return nil
		}
		return err
	}
	defer service.Close()

	srv := newHTTPServer(service.Handler, log)
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

// Connection bounds: a client sending a request slowly, or holding an idle
// connection, is cut off rather than holding a descriptor forever. Reads
// and writes allow a full-size upload, or a large answer, over a slow link.
const (
	readHeaderTimeout = 10 * time.Second
	readTimeout       = 2 * time.Minute
	writeTimeout      = 2 * time.Minute
	idleTimeout       = time.Minute
	maxHeaderBytes    = 64 << 10
)

func newHTTPServer(h http.Handler, log *slog.Logger) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
		// Connection errors (a client gone mid-request, a TLS probe) are
		// the client's; they are logged as warnings, not server errors.
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
}
