// Command cost measures the DynamoDB capacity the service consumes, from
// dynamo.DB.ConsumedCapacity() on dynalite: per ingested article (the seed
// articles and, when present, the PolNeAR dev set), per replacement,
// redelivery and deletion, and per API read. It also counts the index
// postings each partition key receives, for the hot-partition estimates
// of infra/SCALING.md. Run it from the repository root.
package main

import (
	"cmp"
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/newsroom-tools/quotes/internal/awstest"
	"github.com/newsroom-tools/quotes/internal/ingest"
	"github.com/newsroom-tools/quotes/internal/quote"
	"github.com/newsroom-tools/quotes/internal/store"
	"github.com/newsroom-tools/quotes/internal/store/dynamo"
	"github.com/newsroom-tools/quotes/internal/verify"
)

const table = "cost"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "cost:", err)
		os.Exit(1)
	}
}

// ingested is one article's ingest and what it cost.
type ingested struct {
	key      string
	bytes    int
	quotes   []quote.Quote
	speakers int
	cost     dynamo.Capacity
}

func run(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("cost", flag.ContinueOnError)
	speaker := fs.String("speaker", "john-kerry", "speaker id of the speaker searches")
	if err := fs.Parse(args); err != nil {
		return err
	}
	dirs := append([]string{"testdata/seeds"}, fs.Args()...)
	var files []string
	for _, dir := range dirs {
		found, err := filepath.Glob(filepath.Join(dir, "*.txt"))
		if err != nil {
			return err
		}
		files = append(files, found...)
	}

	servers, err := awstest.Start(ctx)
	if err != nil {
		return err
	}
	defer servers.Stop()
	if err := servers.CreateTable(ctx, table); err != nil {
		return err
	}
	db := dynamo.New(servers.DynamoDB(), table, dynamo.Options{CursorKey: []byte("cost-cursor-key-0123456789abcdefgh")})
	pipeline := ingest.NewPipeline(db, slog.New(slog.DiscardHandler))
	measure := func(f func() error) (dynamo.Capacity, error) {
		before := db.ConsumedCapacity()
		err := f()
		after := db.ConsumedCapacity()
		return dynamo.Capacity{ReadUnits: after.ReadUnits - before.ReadUnits, WriteUnits: after.WriteUnits - before.WriteUnits}, err
	}
	version := 0
	nextVersion := func() string { version++; return fmt.Sprintf("%016X", version) }

	fmt.Printf("# DynamoDB capacity on dynalite, %s; %d articles from %s\n", time.Now().UTC().Format("2006-01-02T15:04Z"), len(files), strings.Join(dirs, ", "))
	var articles []ingested
	for _, path := range files {
		body, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		key := "cost/" + filepath.Base(path)
		var a quote.Article
		cost, err := measure(func() error {
			var err error
			a, err = pipeline.Ingest(ctx, key, nextVersion(), body, time.Now())
			return err
		})
		if err != nil {
			return err
		}
		quotes, err := db.ArticleQuotes(ctx, a.ID)
		if err != nil {
			return err
		}
		speakers := map[string]bool{}
		for _, q := range quotes {
			speakers[q.Speaker.ID] = true
		}
		articles = append(articles, ingested{key: key, bytes: len(body), quotes: quotes, speakers: len(speakers), cost: cost})
	}
	reportIngest(articles)

	// Replacing, redelivering and deleting the seed articles.
	var replace, redeliver, remove dynamo.Capacity
	seeds := articles[:min(5, len(articles))]
	for _, a := range seeds {
		body, err := os.ReadFile(filepath.Join("testdata/seeds", strings.TrimPrefix(a.key, "cost/")))
		if err != nil {
			return err
		}
		v := nextVersion()
		c, err := measure(func() error { _, err := pipeline.Ingest(ctx, a.key, v, body, time.Now()); return err })
		if err != nil {
			return err
		}
		replace = add(replace, c)
		c, err = measure(func() error { _, err := pipeline.Ingest(ctx, a.key, v, body, time.Now()); return err })
		if err != nil {
			return err
		}
		redeliver = add(redeliver, c)
	}
	n := float64(len(seeds))
	fmt.Printf("re-upload of an article (new version replaces old, incl. deleting the old generation), %d seeds: %.1f WCU, %.1f RCU each\n", len(seeds), replace.WriteUnits/n, replace.ReadUnits/n)
	fmt.Printf("redelivered event (stale, refused before writing): %.2f WCU, %.2f RCU each\n", redeliver.WriteUnits/n, redeliver.ReadUnits/n)

	// API reads, over everything ingested.
	topic, word := commonest(articles)
	var someQuote quote.Quote
	for _, a := range articles {
		for _, q := range a.quotes {
			if q.Speaker.ID == *speaker {
				someQuote = q
			}
		}
	}
	if someQuote.ID == "" {
		someQuote = articles[0].quotes[0]
	}
	verifier := verify.New(db)
	claim := strings.Join(strings.Fields(someQuote.Text)[:min(12, len(strings.Fields(someQuote.Text)))], " ")
	reads := []struct {
		name string
		call func() error
	}{
		{"GET /quotes?speaker=" + *speaker + " (20)", func() error { _, err := db.Quotes(ctx, store.Query{SpeakerID: *speaker, Limit: 20}); return err }},
		{"GET /quotes?topic=" + topic + " (20)", func() error { _, err := db.Quotes(ctx, store.Query{Topic: topic, Limit: 20}); return err }},
		{"GET /quotes?q=" + word + " (20)", func() error { _, err := db.Quotes(ctx, store.Query{Words: []string{word}, Limit: 20}); return err }},
		{"GET /quotes?kind=anonymous (20)", func() error { _, err := db.Quotes(ctx, store.Query{Kind: quote.Anonymous, Limit: 20}); return err }},
		{"GET /quotes?kind=person&q=ceasefire (20)", func() error {
			_, err := db.Quotes(ctx, store.Query{Kind: quote.Person, Words: []string{"ceasefire"}, Limit: 20})
			return err
		}},
		{"GET /quotes/{id}", func() error { _, err := db.Quote(ctx, someQuote.ID); return err }},
		{"GET /articles/{id} (article + its quotes)", func() error {
			if _, err := db.Article(ctx, someQuote.Article.ID); err != nil {
				return err
			}
			_, err := db.ArticleQuotes(ctx, someQuote.Article.ID)
			return err
		}},
		{"GET /speakers (20 most quoted)", func() error { _, err := db.Speakers(ctx, "", 20); return err }},
		{"GET /speakers?prefix=ker", func() error { _, err := db.Speakers(ctx, "ker", 20); return err }},
		{"POST /verify (" + fmt.Sprint(len(strings.Fields(claim))) + "-word claim)", func() error {
			_, err := verifier.Verify(ctx, verify.Request{Quote: claim, Speaker: someQuote.Speaker.Name})
			return err
		}},
	}
	fmt.Println("API reads (store calls each request makes; searches are eventually consistent):")
	for _, r := range reads {
		c, err := measure(r.call)
		if err != nil {
			return fmt.Errorf("%s: %w", r.name, err)
		}
		fmt.Printf("  %-52s %6.1f RCU\n", r.name, c.ReadUnits)
	}

	for _, a := range seeds {
		c, err := measure(func() error { return pipeline.Delete(ctx, a.key, nextVersion()) })
		if err != nil {
			return err
		}
		remove = add(remove, c)
	}
	fmt.Printf("deletion of an article, %d seeds: %.1f WCU, %.1f RCU each\n", len(seeds), remove.WriteUnits/n, remove.ReadUnits/n)
	return nil
}

func add(a, b dynamo.Capacity) dynamo.Capacity {
	return dynamo.Capacity{ReadUnits: a.ReadUnits + b.ReadUnits, WriteUnits: a.WriteUnits + b.WriteUnits}
}

// gsiWritesPerSpeaker is what DynamoDB charges on GSI1 per speaker whose
// count an upload changes and dynalite does not count: the count update
// rewrites the projected item (1) and the rank update moves its index
// key (a delete and a put, 2).
const gsiWritesPerSpeaker = 3

func reportIngest(articles []ingested) {
	var wcu, rcu, bytes, quotes, speakers []float64
	for _, a := range articles {
		wcu = append(wcu, a.cost.WriteUnits)
		rcu = append(rcu, a.cost.ReadUnits)
		bytes = append(bytes, float64(a.bytes))
		quotes = append(quotes, float64(len(a.quotes)))
		speakers = append(speakers, float64(a.speakers))
	}
	fmt.Printf("ingest of a new article: %d articles, %.0f bytes and %.1f quotes (%.1f speakers) on average\n",
		len(articles), mean(bytes), mean(quotes), mean(speakers))
	fmt.Printf("  WCU per article: mean %.1f  p50 %.0f  p90 %.0f  max %.0f;  per quote %.1f\n",
		mean(wcu), pct(wcu, 50), pct(wcu, 90), pct(wcu, 100), sum(wcu)/sum(quotes))
	fmt.Printf("  RCU per article: mean %.2f\n", mean(rcu))
	fmt.Printf("  with the GSI1 writes dynalite does not count (+%d per speaker counted): WCU per article %.1f\n",
		gsiWritesPerSpeaker, mean(wcu)+gsiWritesPerSpeaker*mean(speakers))

	postings := map[string]int{}
	fingerprints := map[uint64]int{}
	for _, a := range articles {
		for _, q := range a.quotes {
			postings["SPK#"+quote.Fold(q.Speaker.ID)]++
			for _, t := range q.Topics {
				postings["TOPIC#"+quote.Fold(t)]++
			}
			for _, w := range distinct(quote.Words(q.Text)) {
				if !store.IsStopword(w) {
					postings["WORD#"+w]++
				}
			}
			postings["KIND#"+string(q.Speaker.Kind)]++
			for _, fp := range store.QuoteFingerprints(q.Text) {
				fingerprints[fp]++
			}
		}
	}
	type partition struct {
		key string
		n   int
	}
	var parts []partition
	for k, n := range postings {
		parts = append(parts, partition{k, n})
	}
	sort.Slice(parts, func(i, j int) bool {
		return cmp.Or(parts[j].n-parts[i].n, strings.Compare(parts[i].key, parts[j].key)) < 0
	})
	// Items an upload writes: the text part, and per quote its entry in
	// the article's list, its id lookup and its postings (the speaker
	// name words, deduplicated per article, are left out).
	items := float64(len(articles)) + 2*sum(quotes)
	for _, n := range postings {
		items += float64(n)
	}
	fpItems, fpMax := 0, 0
	for _, n := range fingerprints {
		fpItems += n
		fpMax = max(fpMax, n)
	}
	fmt.Printf("  items written per article ≈ %.0f, of which %.1f fingerprint items (FP#, about 100 bytes, 1 WCU each; %.2f per quote), so ≈ %.2f WCU per item (postings of 1 to 2 KB carry the whole quote)\n",
		(items+float64(fpItems))/float64(len(articles)), float64(fpItems)/float64(len(articles)), float64(fpItems)/sum(quotes), sum(wcu)/(items+float64(fpItems)))
	fmt.Printf("  fingerprint partitions: %d for %.0f quotes, the largest holding %d\n", len(fingerprints), sum(quotes), fpMax)
	fmt.Printf("  hottest posting partitions (postings per article):")
	for _, p := range parts[:min(12, len(parts))] {
		fmt.Printf(" %s %.2f;", p.key, float64(p.n)/float64(len(articles)))
	}
	fmt.Println()
	for _, prefix := range []string{"SPK#", "TOPIC#"} {
		for _, p := range parts {
			if strings.HasPrefix(p.key, prefix) {
				fmt.Printf("  hottest %s partition: %s, %.2f postings per article\n", prefix, p.key, float64(p.n)/float64(len(articles)))
				break
			}
		}
	}
	fmt.Printf("  kind partitions (postings per article):")
	for _, p := range parts {
		if strings.HasPrefix(p.key, "KIND#") {
			fmt.Printf(" %s %.2f;", p.key, float64(p.n)/float64(len(articles)))
		}
	}
	fmt.Println()
}

// commonest returns the topic and the word most quotes carry.
func commonest(articles []ingested) (topic, word string) {
	topics, words := map[string]int{}, map[string]int{}
	for _, a := range articles {
		for _, q := range a.quotes {
			for _, t := range q.Topics {
				topics[t]++
			}
			for _, w := range distinct(quote.Words(q.Text)) {
				if len(w) > 4 {
					words[w]++
				}
			}
		}
	}
	return top(topics), top(words)
}

func top(counts map[string]int) string {
	best := ""
	for k, n := range counts {
		if n > counts[best] || (n == counts[best] && k < best) {
			best = k
		}
	}
	return best
}

func distinct(words []string) []string {
	s := slices.Clone(words)
	slices.Sort(s)
	return slices.Compact(s)
}

func sum(v []float64) float64 {
	t := 0.0
	for _, x := range v {
		t += x
	}
	return t
}

func mean(v []float64) float64 { return sum(v) / float64(len(v)) }

func pct(v []float64, p int) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	return s[min(len(s)-1, len(s)*p/100)]
}
