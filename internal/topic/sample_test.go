package topic

import (
	"cmp"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/newsroom-tools/quotes/internal/decode"
	"github.com/newsroom-tools/quotes/internal/extract"
)

// The sample is how topics are judged by hand (issue 13): the articles are
// decoded and extracted as an upload is, each quote tagged as ingest tags
// it, and N of the distinct (article, topic) pairs drawn with a fixed seed.
// A topic counts once per article however many of its quotes carry it, so
// the sample weighs a name seen once as much as one seen often, which is
// where junk hides.
var (
	sampleN    = flag.Int("topics-sample", 0, "print this many random topics of the articles in -topics-dir (0: skip)")
	sampleSeed = flag.Uint64("topics-seed", 1, "seed of -topics-sample")
	sampleDir  = flag.String("topics-dir", "../../../shared/eval/polnear/dev/articles", "articles -topics-sample draws from")
)

// TestTopicsSample prints a reproducible sample of topics for judging:
//
//	go test ./internal/topic -run TestTopicsSample -topics-sample 50 -topics-seed 1 -v
//
// -topics-sample -1 prints every topic of every article, for reading the
// rules' effect on a whole set (train, say) rather than a sample.
func TestTopicsSample(t *testing.T) {
	if *sampleN == 0 {
		t.Skip("no -topics-sample")
	}
	paths, err := filepath.Glob(filepath.Join(*sampleDir, "*.txt"))
	if err != nil || len(paths) == 0 {
		t.Skipf("no articles in %s (%v)", *sampleDir, err)
	}
	slices.Sort(paths)
	type pair struct{ article, topic, quote string }
	var pairs []pair
	tagger := Default()
	for _, path := range paths {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		a, err := decode.Object(filepath.Base(path), data, decode.DefaultMaxBytes)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		seen := map[string]bool{}
		for _, q := range extract.Extract(a.Text) {
			for _, tag := range tagger.Tags(q.Text, q.Context, a.Title) {
				if !seen[tag] {
					seen[tag] = true
					pairs = append(pairs, pair{filepath.Base(path), tag, q.Text})
				}
			}
		}
	}
	fmt.Printf("%d topics in %d articles\n", len(pairs), len(paths))
	if *sampleN > 0 {
		r := rand.New(rand.NewPCG(*sampleSeed, 0))
		r.Shuffle(len(pairs), func(i, j int) { pairs[i], pairs[j] = pairs[j], pairs[i] })
		pairs = pairs[:min(*sampleN, len(pairs))]
		slices.SortStableFunc(pairs, func(a, b pair) int { return cmp.Compare(a.article, b.article) })
	}
	for k, p := range pairs {
		fmt.Printf("%3d\t%s\t%s\n", k+1, p.topic, p.article)
	}
}
