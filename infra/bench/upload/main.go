// Command upload sends every article file of a folder to a running
// `quotes serve` (PUT /bucket/KEY, which answers once the article is
// ingested) from a few concurrent workers, then checks a sample through
// GET /articles?key= and prints the throughput. It is the load generator
// of infra/bench/ingest.sh and the loader of infra/bench/api.sh.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"sort"
	"sync"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "upload:", err)
		os.Exit(1)
	}
}

// result is what the bucket answered for one upload.
type result struct {
	key     string
	bytes   int
	status  string
	quotes  int
	latency time.Duration
	err     error
}

func run(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("upload", flag.ContinueOnError)
	base := fs.String("url", "http://127.0.0.1:8080", "base URL of quotes serve")
	workers := fs.Int("workers", 4, "uploads in flight at once")
	prefix := fs.String("prefix", "", "key prefix, e.g. polnear/train/")
	sample := fs.Int("verify", 20, "uploads to check through GET /articles?key= afterwards")
	quiet := fs.Bool("quiet", false, "print only the one-line summary")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var files []string
	for _, dir := range fs.Args() {
		for _, pattern := range []string{"*.txt", "*.md", "*.html", "*.json"} {
			found, err := filepath.Glob(filepath.Join(dir, pattern))
			if err != nil {
				return err
			}
			files = append(files, found...)
		}
	}
	if len(files) == 0 {
		return fmt.Errorf("no article files in %q", fs.Args())
	}
	sort.Strings(files)

	client := &http.Client{Timeout: 2 * time.Minute}
	jobs := make(chan string)
	results := make(chan result, len(files))
	var wg sync.WaitGroup
	start := time.Now()
	for range *workers {
		wg.Go(func() {
			for path := range jobs {
				results <- put(ctx, client, *base, *prefix+filepath.Base(path), path)
			}
		})
	}
	for _, path := range files {
		jobs <- path
	}
	close(jobs)
	wg.Wait()
	elapsed := time.Since(start)
	close(results)

	var (
		all       []result
		totalSize int
		quotes    int
		statuses  = map[string]int{}
		latencies []time.Duration
		failures  []error
	)
	for r := range results {
		all = append(all, r)
		if r.err != nil {
			failures = append(failures, fmt.Errorf("%s: %w", r.key, r.err))
			continue
		}
		totalSize += r.bytes
		quotes += r.quotes
		statuses[r.status]++
		latencies = append(latencies, r.latency)
	}
	slices.Sort(latencies)
	if !*quiet {
		fmt.Printf("uploaded %d articles (%.2f MB) in %s with %d workers\n", len(latencies), float64(totalSize)/1e6, elapsed.Round(time.Millisecond), *workers)
		fmt.Printf("  statuses %v, %d quotes\n", statuses, quotes)
		if len(latencies) > 0 {
			fmt.Printf("  per upload (PUT to answer): p50 %s  p90 %s  p99 %s  max %s\n",
				percentile(latencies, 50), percentile(latencies, 90), percentile(latencies, 99), latencies[len(latencies)-1])
		}
	}
	fmt.Printf("ingest: %.1f articles/s  %.3f MB/s  (%d articles, %d workers)\n",
		float64(len(latencies))/elapsed.Seconds(), float64(totalSize)/1e6/elapsed.Seconds(), len(latencies), *workers)
	if len(failures) > 0 {
		return fmt.Errorf("%d uploads failed: %w", len(failures), errors.Join(failures[:min(5, len(failures))]...))
	}
	return verify(ctx, client, *base, all, *sample)
}

func put(ctx context.Context, client *http.Client, base, key, path string) result {
	body, err := os.ReadFile(path)
	if err != nil {
		return result{key: key, err: err}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, base+"/bucket/"+escapeKey(key), bytes.NewReader(body))
	if err != nil {
		return result{key: key, err: err}
	}
	start := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		return result{key: key, err: err}
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(resp.Body)
	latency := time.Since(start)
	if err != nil {
		return result{key: key, err: err}
	}
	if resp.StatusCode != http.StatusOK {
		return result{key: key, err: fmt.Errorf("PUT answered %s: %s", resp.Status, answer)}
	}
	var a struct {
		Status     string `json:"status"`
		QuoteCount int    `json:"quote_count"`
	}
	if err := json.Unmarshal(answer, &a); err != nil {
		return result{key: key, err: fmt.Errorf("decode PUT answer: %w", err)}
	}
	return result{key: key, bytes: len(body), status: a.Status, quotes: a.QuoteCount, latency: latency}
}

// verify reads back an evenly spread sample of the uploads: each must be
// queryable at once, with the quote count the upload answered.
func verify(ctx context.Context, client *http.Client, base string, all []result, n int) error {
	if n <= 0 {
		return nil
	}
	step := max(1, len(all)/n)
	checked := 0
	for i := 0; i < len(all); i += step {
		r := all[i]
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/articles?key="+url.QueryEscape(r.key), nil)
		if err != nil {
			return err
		}
		resp, err := client.Do(req)
		if err != nil {
			return fmt.Errorf("verify %s: %w", r.key, err)
		}
		answer, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return fmt.Errorf("verify %s: %w", r.key, err)
		}
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("verify %s: GET /articles?key= answered %s: %s", r.key, resp.Status, answer)
		}
		var a struct {
			QuoteCount int               `json:"quote_count"`
			Quotes     []json.RawMessage `json:"quotes"`
		}
		if err := json.Unmarshal(answer, &a); err != nil {
			return fmt.Errorf("verify %s: %w", r.key, err)
		}
		if a.QuoteCount != r.quotes || len(a.Quotes) != r.quotes {
			return fmt.Errorf("verify %s: read back quote_count %d and %d quotes, the upload answered %d", r.key, a.QuoteCount, len(a.Quotes), r.quotes)
		}
		checked++
	}
	fmt.Printf("verified: %d of %d uploads read back through GET /articles?key= with their quote counts\n", checked, len(all))
	return nil
}

// escapeKey escapes each segment of an object key for a URL path.
func escapeKey(key string) string {
	return (&url.URL{Path: key}).EscapedPath()
}

func percentile(sorted []time.Duration, p int) time.Duration {
	return sorted[min(len(sorted)-1, len(sorted)*p/100)].Round(time.Millisecond)
}
