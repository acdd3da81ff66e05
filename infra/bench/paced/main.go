// Command paced sends requests to one URL at a constant rate, as wrk2
// does (GET, or POST of a JSON body with -body): request i is due at start + i/rate whether or not earlier ones
// have been answered, and its latency is counted from when it was due, so
// a stalled server shows in the percentiles instead of slowing the load
// (no coordinated omission). It prints the latency percentiles and the
// rate achieved. Used by api.sh.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"slices"
	"sync"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "paced:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("paced", flag.ContinueOnError)
	rate := fs.Int("rate", 1000, "requests per second")
	duration := fs.Duration("duration", 10*time.Second, "how long to send, after the warm-up")
	warmup := fs.Duration("warmup", 2*time.Second, "sending at the rate before measuring")
	conns := fs.Int("connections", 64, "most connections, and so requests in flight, at once")
	bodyFile := fs.String("body", "", "a file of JSON to POST instead of a GET")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 || *rate < 1 || *conns < 1 {
		return errors.New("usage: paced [-rate N] [-duration D] [-warmup D] [-connections N] [-body FILE] URL")
	}
	url := fs.Arg(0)
	var body []byte
	if *bodyFile != "" {
		var err error
		if body, err = os.ReadFile(*bodyFile); err != nil {
			return err
		}
	}
	client := &http.Client{
		Timeout: 30 * time.Second,
		Transport: &http.Transport{
			MaxConnsPerHost:     *conns,
			MaxIdleConnsPerHost: *conns,
			DisableCompression:  true,
		},
	}
	interval := time.Second / time.Duration(*rate)
	total := int((*warmup + *duration) / interval)
	measureFrom := int(*warmup / interval)

	latencies := make([]time.Duration, total)
	failures := make([]error, total)
	// At most conns requests wait for an answer; one due while all are
	// out waits for a slot, and that wait counts in its latency.
	slots := make(chan struct{}, *conns)
	var wg sync.WaitGroup
	start := time.Now()
	for i := range total {
		due := start.Add(time.Duration(i) * interval)
		if wait := time.Until(due); wait > 0 {
			select {
			case <-time.After(wait):
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		slots <- struct{}{}
		wg.Go(func() {
			defer func() { <-slots }()
			failures[i] = send(ctx, client, url, body)
			latencies[i] = time.Since(due)
		})
	}
	wg.Wait()
	elapsed := time.Since(start.Add(*warmup))

	measured := latencies[measureFrom:]
	errs := 0
	var firstErr error
	for _, err := range failures[measureFrom:] {
		if err != nil {
			errs++
			if firstErr == nil {
				firstErr = err
			}
		}
	}
	slices.Sort(measured)
	pct := func(p float64) time.Duration {
		return measured[min(len(measured)-1, int(p*float64(len(measured))))].Round(time.Microsecond)
	}
	p50, p99 := pct(0.50), pct(0.99)
	fmt.Printf("paced %d req/s for %s: %d requests, %.0f req/s achieved, %d errors; p50 %s p90 %s p99 %s max %s; p99/p50 %.1f\n",
		*rate, *duration, len(measured), float64(len(measured))/elapsed.Seconds(), errs,
		p50, pct(0.90), p99, measured[len(measured)-1].Round(time.Microsecond), float64(p99)/float64(p50))
	if firstErr != nil {
		return fmt.Errorf("%d of %d requests failed, the first: %w", errs, len(measured), firstErr)
	}
	return nil
}

// send GETs url, or POSTs body to it when there is one, and reads the
// whole answer, which must be 200.
func send(ctx context.Context, client *http.Client, url string, body []byte) error {
	method, content := http.MethodGet, io.Reader(nil)
	if body != nil {
		method, content = http.MethodPost, bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, content)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return fmt.Errorf("read answer: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	return nil
}
