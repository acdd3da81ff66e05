// Command scaling simulates the DynamoDB side of the service at internet
// scale from the capacity measured by infra/bench/cost.sh: a day of
// article uploads arriving with a daily swing and a breaking-news burst,
// their postings landing on the hottest index partitions (KIND#person,
// WORD#the, a topic every article carries, a speaker quoted ten million
// times), and what write-sharding such keys over N suffixes does to the
// busiest partition's writes and to the reads of one page of results. It
// prints the numbers infra/SCALING.md quotes. Deterministic: a fixed seed.
package main

import (
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"slices"
)

// Limits of one DynamoDB partition, per second.
const (
	partitionWCU = 1000
	partitionRCU = 3000
	pageLimit    = 20 // store.DefaultLimit
)

type params struct {
	articlesPerDay    float64
	quotesPerArt      float64
	speakersPerArt    float64
	wcuPerItem        float64
	itemKB            float64
	swing             float64 // daily swing: peak = mean × (1+swing)
	burstFactor       float64 // breaking news: arrival rate × burstFactor
	burstMinutes      int
	personPerQuote    float64 // share of quotes posted to KIND#person
	anonymousPerQuote float64 // share of quotes posted to KIND#anonymous
	thePerQuote       float64 // share of quotes posted to WORD#the
	hotSpeakerShare   float64 // share of quotes by the most quoted speaker
	qps               float64
	hotReadShare      float64 // share of API requests reading one partition
	seed              uint64
}

func main() {
	var p params
	flag.Float64Var(&p.articlesPerDay, "articles-per-day", 1e6, "uploads a day")
	flag.Float64Var(&p.quotesPerArt, "quotes-per-article", 9.8, "mean quotes per article (measured)")
	flag.Float64Var(&p.speakersPerArt, "speakers-per-article", 4.0, "mean distinct speakers per article (measured)")
	flag.Float64Var(&p.wcuPerItem, "wcu-per-item", 1.6, "WCU per item written (measured)")
	flag.Float64Var(&p.itemKB, "item-kb", 1.5, "size of a posting item, KB (from the WCU per item)")
	flag.Float64Var(&p.swing, "swing", 0.6, "daily swing of the upload rate: peak = mean × (1+swing)")
	flag.Float64Var(&p.burstFactor, "burst", 5, "breaking news: upload rate multiplied by this")
	flag.IntVar(&p.burstMinutes, "burst-minutes", 15, "length of the breaking-news burst")
	flag.Float64Var(&p.personPerQuote, "person-share", 8.17/9.8, "share of quotes from a named person (measured)")
	flag.Float64Var(&p.anonymousPerQuote, "anonymous-share", 0.16/9.8, "share of quotes from an anonymous source (measured)")
	flag.Float64Var(&p.thePerQuote, "the-share", 4.65/9.8, "share of quotes containing \"the\" (measured)")
	flag.Float64Var(&p.hotSpeakerShare, "hot-speaker-share", 0.1, "share of all quotes said by the most quoted speaker")
	flag.Float64Var(&p.qps, "qps", 1000, "API requests a second")
	flag.Float64Var(&p.hotReadShare, "hot-read-share", 0.3, "share of API requests that page one speaker's quotes")
	flag.Uint64Var(&p.seed, "seed", 1, "random seed")
	flag.Parse()
	if err := run(p); err != nil {
		fmt.Fprintln(os.Stderr, "scaling:", err)
		os.Exit(1)
	}
}

func run(p params) error {
	rng := rand.New(rand.NewPCG(p.seed, 2))
	mean := p.articlesPerDay / 86400
	fmt.Printf("# write load: %.0f articles/day = %.1f/s mean, daily peak %.1f/s, breaking-news burst %.1f/s for %d min\n",
		p.articlesPerDay, mean, mean*(1+p.swing), mean*(1+p.swing)*p.burstFactor, p.burstMinutes)

	// hot partitions and the share of quotes each receives a posting from.
	// A hot partition receives writes of wcu units each: one for each
	// quote of share (postings), or, with perArticle, that many for each
	// article (the speaker ranks under GSI1PK SPEAKERS, all in one index
	// partition: an ADD to the projected count and a move of the rank key,
	// 3 index write units per speaker of every article).
	type partition struct {
		key        string
		share      func(second int, burst bool) float64
		perArticle float64
		wcu        float64
	}
	hot := []partition{
		{key: "GSI1 SPEAKERS (speaker ranks)", perArticle: p.speakersPerArt, wcu: 3},
		{"KIND#person", func(int, bool) float64 { return p.personPerQuote }, 0, p.wcuPerItem},
		{"KIND#anonymous", func(int, bool) float64 { return p.anonymousPerQuote }, 0, p.wcuPerItem},
		{"WORD#the", func(int, bool) float64 { return p.thePerQuote }, 0, p.wcuPerItem},
		{"TOPIC# on every article", func(int, bool) float64 { return 1 }, 0, p.wcuPerItem},
		{"TOPIC#<breaking> (burst only)", func(_ int, burst bool) float64 {
			if burst {
				return 1
			}
			return 0
		}, 0, p.wcuPerItem},
		{"SPK#<most quoted>", func(int, bool) float64 { return p.hotSpeakerShare }, 0, p.wcuPerItem},
	}
	shardCounts := []int{1, 4, 10, 16}
	// wcu[h][n][shard] per second is reduced to its maximum and the
	// seconds over the limit as the day is simulated.
	type stat struct {
		peak float64
		over int
	}
	stats := make([][]stat, len(hot))
	for h := range stats {
		stats[h] = make([]stat, len(shardCounts))
	}
	burstStart := 14 * 3600 // mid-afternoon, on the daily peak's shoulder
	for second := range 86400 {
		burst := second >= burstStart && second < burstStart+p.burstMinutes*60
		rate := mean * (1 + p.swing*math.Sin(2*math.Pi*float64(second-6*3600)/86400))
		if burst {
			rate *= p.burstFactor
		}
		articles := poisson(rng, rate)
		quotes := 0
		for range articles {
			quotes += poisson(rng, p.quotesPerArt)
		}
		for h, partition := range hot {
			var writes int
			if partition.share != nil {
				writes = binomial(rng, quotes, partition.share(second, burst))
			} else {
				writes = poisson(rng, float64(articles)*partition.perArticle)
			}
			for n, shards := range shardCounts {
				load := make([]float64, shards)
				for range writes {
					load[rng.IntN(shards)] += partition.wcu
				}
				peak := slices.Max(load)
				s := &stats[h][n]
				s.peak = max(s.peak, peak)
				if peak > partitionWCU {
					s.over++
				}
			}
		}
	}
	fmt.Printf("%-32s", "busiest shard, WCU/s (s over 1000)")
	for _, n := range shardCounts {
		fmt.Printf(" %18s", fmt.Sprintf("N=%d", n))
	}
	fmt.Println()
	for h, partition := range hot {
		fmt.Printf("%-32s", partition.key)
		for n := range shardCounts {
			s := stats[h][n]
			fmt.Printf(" %18s", fmt.Sprintf("%.0f (%d s)", s.peak, s.over))
		}
		fmt.Println()
	}

	fmt.Printf("\n# reads: %.0f requests/s, %.0f%% of them paging one hot partition (%d quotes a page)\n", p.qps, 100*p.hotReadShare, pageLimit)
	fmt.Printf("%-8s %-26s %-22s %-16s %-20s %s\n", "shards", "per-shard Limit", "rounds/page mean, max", "items read/page", "RCU/page, postings", "busiest shard RCU/s")
	for _, n := range shardCounts {
		type strategy struct {
			name string
			per  int
		}
		strategies := []strategy{{"limit+1 (exact)", pageLimit + 1}}
		if n > 1 {
			share := (pageLimit + n) / n
			strategies = append(strategies,
				strategy{"2×ceil((limit+1)/N)", 2 * share},
				strategy{"ceil((limit+1)/N)+2", share + 2})
		}
		for _, st := range strategies {
			r := simulatePages(rng, n, st.per, p.itemKB, 20000)
			fmt.Printf("%-8d %-26s %-22s %-16.1f %-20.2f %.0f (limit %d)\n", n, fmt.Sprintf("%s = %d", st.name, st.per),
				fmt.Sprintf("%.3f, %d", r.meanRounds, r.maxRounds), r.items, r.rcu, p.qps*p.hotReadShare*r.rcuPerShard, partitionRCU)
		}
	}
	return nil
}

// pageResult is the cost of reading one page from N shards.
type pageResult struct {
	meanRounds  float64
	maxRounds   int
	items       float64 // postings read per page
	rcu         float64 // eventually consistent RCU per page, postings only
	rcuPerShard float64 // RCU one shard serves per page, on average
}

// simulatePages reads pages of the newest postings of a partition split
// over n shards, each posting on a uniformly random shard as the writer
// puts it. A page asks every shard in parallel — one round trip — for its
// next per postings after the cursor's sort key (one cursor serves all
// shards, since they share the sort key), merges them newest first and
// keeps limit+1. With per = limit+1 the merge is always exact. With less,
// it is exact unless a shard returned a full share whose oldest posting
// is still newer than the page's last: that shard alone is asked again,
// another round trip.
func simulatePages(rng *rand.Rand, n, per int, itemKB float64, pages int) pageResult {
	want := pageLimit + 1
	var res pageResult
	for range pages {
		// The partition's newest postings in order, each on a random
		// shard; positions[s] lists shard s's postings, newest first.
		positions := make([][]int, n)
		for i := range want * 8 {
			s := rng.IntN(n)
			positions[s] = append(positions[s], i)
		}
		taken := make([]int, n)
		fetch := make([]bool, n)
		for s := range fetch {
			fetch[s] = true
		}
		rounds := 0
		for {
			rounds++
			for s := range n {
				if !fetch[s] {
					continue
				}
				taken[s] += per
				res.items += float64(per)
				units := 0.5 * math.Ceil(float64(per)*itemKB/4)
				res.rcu += units
				res.rcuPerShard += units / float64(n)
			}
			var read []int
			for s := range n {
				read = append(read, positions[s][:min(taken[s], len(positions[s]))]...)
			}
			slices.Sort(read)
			boundary := read[want-1]
			more := false
			for s := range n {
				if taken[s] >= len(positions[s]) {
					fetch[s] = false
					continue
				}
				fetch[s] = positions[s][taken[s]-1] < boundary
				more = more || fetch[s]
			}
			if !more {
				break
			}
		}
		res.meanRounds += float64(rounds)
		res.maxRounds = max(res.maxRounds, rounds)
	}
	res.meanRounds /= float64(pages)
	res.items /= float64(pages)
	res.rcu /= float64(pages)
	res.rcuPerShard /= float64(pages)
	return res
}

// poisson draws from a Poisson distribution of mean lambda (normal
// approximation above 50).
func poisson(rng *rand.Rand, lambda float64) int {
	if lambda > 50 {
		return max(0, int(math.Round(lambda+math.Sqrt(lambda)*rng.NormFloat64())))
	}
	l, k, prod := math.Exp(-lambda), 0, rng.Float64()
	for prod > l {
		k++
		prod *= rng.Float64()
	}
	return k
}

// binomial draws the number of successes of n trials of probability p.
func binomial(rng *rand.Rand, n int, p float64) int {
	if p >= 1 {
		return n
	}
	if n > 100 {
		mean := float64(n) * p
		return min(n, max(0, int(math.Round(mean+math.Sqrt(mean*(1-p))*rng.NormFloat64()))))
	}
	k := 0
	for range n {
		if rng.Float64() < p {
			k++
		}
	}
	return k
}
