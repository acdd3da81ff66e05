// Command scale measures /verify's recall and latency on drifted claims as
// the embedded store grows: first with the PolNeAR training articles
// ingested as uploads are (about 7,800 quotes), then with generated
// variations of their quotes written straight through the store API up to
// -quotes. Run it from the repository root (infra/bench/scale.sh).
//
// A generated quote is a stretch of one real quote followed by a stretch
// of another, with some words swapped for words drawn from the real
// quotes (as often as they occur there) and some dropped: so the corpus
// repeats the real quotes' phrases far more than news does, which is the
// hard case for finding the one quote a claim drifted from.
//
// Claims are real quotes of at least 8 words, each drifted three ways: a
// word changed (one word replaced by a corpus word), a word dropped, and
// cut to its first 70% of words, and claimed for the quote's speaker as
// the extractor named them. A claim is found when a match of the
// verification has its source's words (the same quote stored in another
// article counts).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/newsroom-tools/quotes/internal/ingest"
	"github.com/newsroom-tools/quotes/internal/quote"
	"github.com/newsroom-tools/quotes/internal/store"
	"github.com/newsroom-tools/quotes/internal/store/bolt"
	"github.com/newsroom-tools/quotes/internal/verify"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "scale:", err)
		os.Exit(1)
	}
}

// quotesPerArticle is how many generated quotes one generated article holds.
const quotesPerArticle = 10

func run(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("scale", flag.ContinueOnError)
	data := fs.String("data", "", "folder of the store (kept, so that a later run can measure or grow it)")
	articles := fs.String("articles", "../shared/eval/polnear/train/articles", "folder of the real articles")
	total := fs.Int("quotes", 1_000_000, "quotes to grow the store to")
	claims := fs.Int("claims", 300, "real quotes drifted into claims (three claims each)")
	writers := fs.Int("writers", 1000, "concurrent generated-article writes, one transaction")
	seed := fs.Uint64("seed", 1, "seed of the generator and of the claims")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *data == "" {
		return errors.New("-data is required")
	}
	path := filepath.Join(*data, "quotes.db")
	fresh := false
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		fresh = true
	}
	db, err := bolt.Open(path, bolt.Options{})
	if err != nil {
		return err
	}
	if fresh {
		if err := ingestReal(ctx, db, *articles); err != nil {
			return errors.Join(err, db.Close())
		}
	}
	real, err := realQuotes(ctx, db, *articles)
	if err != nil {
		return errors.Join(err, db.Close())
	}
	stored, err := countQuotes(ctx, db, len(real))
	if err != nil {
		return errors.Join(err, db.Close())
	}
	rng := rand.New(rand.NewPCG(*seed, 2))
	vocab := vocabulary(real)
	set := claimSet(real, vocab, *claims, rand.New(rand.NewPCG(*seed, 3)))
	fmt.Printf("%d real quotes; %d claims from %d of them; store holds %d quotes\n", len(real), len(set), len(set)/3, stored)
	if err := measure(ctx, db, set, stored); err != nil {
		return errors.Join(err, db.Close())
	}
	if stored >= *total {
		return db.Close()
	}
	if err := db.Close(); err != nil {
		return err
	}

	bulk, err := bolt.Open(path, bolt.Options{BulkLoad: *writers})
	if err != nil {
		return err
	}
	start := time.Now()
	// Generated articles are numbered on from those already stored, so a
	// run that was stopped grows the same store further.
	first := (stored - len(real)) / quotesPerArticle
	n := (*total - stored + quotesPerArticle - 1) / quotesPerArticle
	if err := generate(ctx, bulk, real, vocab, first, n, *writers, rng); err != nil {
		return errors.Join(err, bulk.Close())
	}
	if err := bulk.Close(); err != nil {
		return err
	}
	fmt.Printf("wrote %d generated articles (%d quotes) in %s\n", n, n*quotesPerArticle, time.Since(start).Round(time.Second))
	if db, err = bolt.Open(path, bolt.Options{}); err != nil {
		return err
	}
	if stored, err = countQuotes(ctx, db, len(real)); err != nil {
		return errors.Join(err, db.Close())
	}
	if info, err := os.Stat(path); err == nil {
		fmt.Printf("store file: %.2f GB\n", float64(info.Size())/1e9)
	}
	return errors.Join(measure(ctx, db, set, stored), db.Close())
}

// ingestReal uploads every article as `quotes serve` would, through the
// ingest pipeline (extraction, topics, conflict check), four at a time.
func ingestReal(ctx context.Context, db *bolt.DB, dir string) error {
	files, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil || len(files) == 0 {
		return fmt.Errorf("no articles in %s (%v)", dir, err)
	}
	p := ingest.NewPipeline(db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	start := time.Now()
	var wg sync.WaitGroup
	errs := make(chan error, len(files))
	work := make(chan string)
	for range 4 {
		wg.Go(func() {
			for f := range work {
				body, err := os.ReadFile(f)
				if err == nil {
					_, err = p.Ingest(ctx, "polnear/"+filepath.Base(f), "01", body, time.Date(2016, 12, 1, 0, 0, 0, 0, time.UTC))
				}
				if err != nil {
					errs <- fmt.Errorf("ingest %s: %w", f, err)
				}
			}
		})
	}
	for _, f := range files {
		work <- f
	}
	close(work)
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return err
	}
	fmt.Printf("ingested %d real articles in %s\n", len(files), time.Since(start).Round(time.Millisecond))
	return nil
}

// realQuotes reads back the quotes of the real articles.
func realQuotes(ctx context.Context, db *bolt.DB, dir string) ([]quote.Quote, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil {
		return nil, err
	}
	var out []quote.Quote
	for _, f := range files {
		qs, err := db.ArticleQuotes(ctx, quote.ArticleID("polnear/"+filepath.Base(f)))
		if err != nil {
			return nil, fmt.Errorf("quotes of %s: %w", f, err)
		}
		out = append(out, qs...)
	}
	return out, nil
}

// countQuotes counts the stored quotes: the real ones and those of the
// generated articles, numbered from 0 with none missing, whose number a
// binary search over their keys finds.
func countQuotes(ctx context.Context, db *bolt.DB, real int) (int, error) {
	var err error
	n := sort.Search(1<<31-1, func(i int) bool {
		if err != nil {
			return true
		}
		_, e := db.Article(ctx, quote.ArticleID(generatedKey(i)))
		if quote.ErrorCode(e) == quote.ENotFound {
			return true
		}
		err = e
		return e != nil
	})
	if err != nil {
		return 0, fmt.Errorf("count generated articles: %w", err)
	}
	return real + n*quotesPerArticle, nil
}

func generatedKey(i int) string { return fmt.Sprintf("generated/%07d.txt", i) }

// vocabulary is every word of the real quotes as written, once per
// occurrence, so that drawing from it follows their frequencies.
func vocabulary(real []quote.Quote) []string {
	var words []string
	for _, q := range real {
		words = append(words, strings.Fields(q.Text)...)
	}
	return words
}

// claim is one drifted claim and the real quote it drifted from.
type claim struct {
	kind    string
	text    string
	speaker string   // the source's speaker, claimed with the words
	source  []string // the source's folded words
}

var driftKinds = []string{"word changed", "word dropped", "cut to 70%"}

func claimSet(real []quote.Quote, vocab []string, n int, rng *rand.Rand) []claim {
	var pool []quote.Quote
	for _, q := range real {
		if len(quote.Words(q.Text)) >= 8 {
			pool = append(pool, q)
		}
	}
	rng.Shuffle(len(pool), func(i, j int) { pool[i], pool[j] = pool[j], pool[i] })
	var out []claim
	for _, q := range pool[:min(n, len(pool))] {
		words := strings.Fields(q.Text)
		source := quote.Words(q.Text)
		changed := slices.Clone(words)
		i := rng.IntN(len(changed))
		for {
			w := vocab[rng.IntN(len(vocab))]
			if !slices.Equal(quote.Words(w), quote.Words(changed[i])) {
				changed[i] = w
				break
			}
		}
		j := rng.IntN(len(words))
		dropped := slices.Delete(slices.Clone(words), j, j+1)
		cut := words[:(len(words)*7+9)/10]
		out = append(out,
			claim{driftKinds[0], strings.Join(changed, " "), q.Speaker.Name, source},
			claim{driftKinds[1], strings.Join(dropped, " "), q.Speaker.Name, source},
			claim{driftKinds[2], strings.Join(cut, " "), q.Speaker.Name, source},
		)
	}
	return out
}

// measure verifies every claim once, one after another, and prints the
// recall and latency.
func measure(ctx context.Context, db *bolt.DB, claims []claim, stored int) error {
	calls := &countingStore{Store: db}
	v := verify.New(calls)
	found, top := map[string]int{}, map[string]int{}
	count := map[string]int{}
	var took []time.Duration
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for _, c := range claims {
		start := time.Now()
		before := calls.total()
		r, err := v.Verify(ctx, verify.Request{Quote: c.text, Speaker: c.speaker})
		took = append(took, time.Since(start))
		calls.most = max(calls.most, calls.total()-before)
		if err != nil {
			return fmt.Errorf("verify %q: %w", c.text, err)
		}
		count[c.kind]++
		for i, m := range r.Matches {
			if slices.Equal(quote.Words(m.Quote.Text), c.source) {
				found[c.kind]++
				if i == 0 {
					top[c.kind]++
				}
				break
			}
		}
	}
	runtime.ReadMemStats(&after)
	slices.Sort(took)
	fmt.Printf("  store calls per verify: %.2f fingerprint lookups, %.2f word queries, %.2f speaker lookups, %.2f article reads (max %d calls in one)\n",
		ratio(calls.similar, len(claims)), ratio(calls.quotes, len(claims)), ratio(calls.speakers, len(claims)), ratio(calls.articles, len(claims)), calls.most)
	all, allTop := 0, 0
	for _, k := range driftKinds {
		all += found[k]
		allTop += top[k]
		fmt.Printf("  %-13s recall %.3f (%d of %d), first match %.3f\n", k, ratio(found[k], count[k]), found[k], count[k], ratio(top[k], count[k]))
	}
	fmt.Printf("%d quotes: recall %.3f (%d of %d claims), first match %.3f; verify p50 %s p99 %s; %.0f KB allocated per verify\n",
		stored, ratio(all, len(claims)), all, len(claims), ratio(allTop, len(claims)),
		took[len(took)/2].Round(time.Microsecond), took[len(took)*99/100].Round(time.Microsecond),
		float64(after.TotalAlloc-before.TotalAlloc)/float64(len(claims))/1024)
	return measureWordIndex(ctx, db, claims)
}

// countingStore counts the store calls verifications make (one at a time).
type countingStore struct {
	store.Store
	similar, quotes, speakers, articles int
	most                                int
}

func (c *countingStore) total() int { return c.similar + c.quotes + c.speakers + c.articles }

func (c *countingStore) SimilarQuotes(ctx context.Context, fps []uint64, limit int) ([]quote.Quote, error) {
	c.similar++
	return c.Store.SimilarQuotes(ctx, fps, limit)
}

func (c *countingStore) Quotes(ctx context.Context, q store.Query) (store.Page, error) {
	c.quotes++
	return c.Store.Quotes(ctx, q)
}

func (c *countingStore) Speakers(ctx context.Context, prefix string, limit int) ([]store.SpeakerSummary, error) {
	c.speakers++
	return c.Store.Speakers(ctx, prefix, limit)
}

func (c *countingStore) Speaker(ctx context.Context, id string) (store.SpeakerRecord, error) {
	c.speakers++
	return c.Store.Speaker(ctx, id)
}

func (c *countingStore) Article(ctx context.Context, id string) (quote.Article, error) {
	c.articles++
	return c.Store.Article(ctx, id)
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// generate writes n generated articles, numbered from first, through
// PutArticle from writers goroutines at once, so that bbolt's Batch
// commits them a transaction of up to writers articles at a time.
func generate(ctx context.Context, db *bolt.DB, real []quote.Quote, vocab []string, first, n, writers int, rng *rand.Rand) error {
	type job struct {
		a  quote.Article
		qs []quote.Quote
	}
	jobs := make(chan job, writers)
	errs := make(chan error, writers)
	var wg sync.WaitGroup
	for range writers {
		wg.Go(func() {
			for j := range jobs {
				// EConflict: written by an earlier run that was stopped
				// with later articles written and this one not.
				if err := db.PutArticle(ctx, j.a, j.qs); err != nil && quote.ErrorCode(err) != quote.EConflict {
					select {
					case errs <- err:
					default:
					}
				}
			}
		})
	}
	base := time.Date(2017, 1, 1, 0, 0, 0, 0, time.UTC)
	start := time.Now()
	var err error
	for i := first; i < first+n && err == nil; i++ {
		a, qs := generated(i, base.Add(time.Duration(i)*time.Minute), real, vocab, rng)
		select {
		case jobs <- job{a, qs}:
		case err = <-errs:
		case <-ctx.Done():
			err = ctx.Err()
		}
		if done := i - first + 1; done%10_000 == 0 {
			fmt.Fprintf(os.Stderr, "  %d of %d generated articles in %s\n", done, n, time.Since(start).Round(time.Second))
		}
	}
	close(jobs)
	wg.Wait()
	if err != nil {
		return err
	}
	select {
	case err = <-errs:
		return err
	default:
		return nil
	}
}

// generated makes article i: quotesPerArticle variations of real quotes,
// each said by the speaker of the first quote it varies.
func generated(i int, date time.Time, real []quote.Quote, vocab []string, rng *rand.Rand) (quote.Article, []quote.Quote) {
	key := generatedKey(i)
	a := quote.Article{
		ID: quote.ArticleID(key), Key: key, Version: "01", Title: "Generated " + key,
		Outlet: "Generated", Published: date, UploadedAt: date, Status: quote.StatusExtracted,
		QuoteCount: quotesPerArticle, DateSource: quote.DatePublished,
	}
	var text strings.Builder
	qs := make([]quote.Quote, 0, quotesPerArticle)
	for k := range quotesPerArticle {
		src, other := real[rng.IntN(len(real))], real[rng.IntN(len(real))]
		words := append(stretch(strings.Fields(src.Text), 0.4, 0.8, rng), stretch(strings.Fields(other.Text), 0.2, 0.6, rng)...)
		var kept []string
		for _, w := range words {
			switch r := rng.Float64(); {
			case r < 0.05:
			case r < 0.20:
				kept = append(kept, vocab[rng.IntN(len(vocab))])
			default:
				kept = append(kept, w)
			}
		}
		if len(kept) == 0 {
			kept = words
		}
		said := strings.Join(kept, " ")
		sentence := fmt.Sprintf("“%s,” %s said.", said, src.Speaker.Name)
		text.WriteString("“")
		startAt := text.Len()
		text.WriteString(said)
		text.WriteString(sentence[len("“")+len(said):] + " ")
		qs = append(qs, quote.Quote{
			ID: quote.QuoteID(a.ID, said, k), Article: a.Ref(), Text: said,
			Start: startAt, End: startAt + len(said), Speaker: src.Speaker, Topics: src.Topics,
			Date: date, DateSource: quote.DatePublished, Context: sentence,
			Evidence: quote.Evidence{Rule: "generated", Confidence: 1},
		})
	}
	a.Text = text.String()
	return a, qs
}

// stretch is a random run of words, between lo and hi of their number
// (at least one word).
func stretch(words []string, lo, hi float64, rng *rand.Rand) []string {
	if len(words) == 0 {
		return nil
	}
	n := max(1, int(float64(len(words))*(lo+(hi-lo)*rng.Float64())))
	at := rng.IntN(len(words) - n + 1)
	return slices.Clone(words[at : at+n])
}
