package train

import (
	"fmt"
	"hash/fnv"
	"math"
	"strings"

	"github.com/newsroom-tools/quotes/internal/extract"
)

// Score is the shared scorer's resolved measure over a set of articles: a
// quote counts when its words match a gold quote and its speaker's name is
// the real speaker's.
type Score struct {
	Gold       int // gold quotes
	Predicted  int // predicted quotes, less those inside indirect speech that match nothing
	Matched    int // predicted quotes matching a gold quote
	Attributed int // of those, with the right speaker
	// Bins count matched quotes by confidence, tenths: [bin][0] right, [bin][1] all.
	Bins [10][2]int
}

func (s *Score) add(o Score) {
	s.Gold += o.Gold
	s.Predicted += o.Predicted
	s.Matched += o.Matched
	s.Attributed += o.Attributed
	for i := range s.Bins {
		s.Bins[i][0] += o.Bins[i][0]
		s.Bins[i][1] += o.Bins[i][1]
	}
}

// F1 is the attribution F1, the scorer's last line.
func (s Score) F1() float64 {
	if s.Predicted == 0 || s.Gold == 0 {
		return 0
	}
	p := float64(s.Attributed) / float64(s.Predicted)
	r := float64(s.Attributed) / float64(s.Gold)
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

// Evaluate extracts every article with m and scores the result.
func Evaluate(articles []Article, m *extract.Model) Score {
	x := extract.New(m)
	var s Score
	for _, a := range articles {
		quotes := x.Extract(a.Text)
		texts := make([]string, len(quotes))
		for i, q := range quotes {
			texts[i] = q.Text
		}
		match := Match(a.Gold, texts)
		matched := make([]bool, len(quotes))
		s.Gold += len(a.Gold)
		for gi, pi := range match {
			if pi < 0 {
				continue
			}
			matched[pi] = true
			s.Matched++
			q := quotes[pi]
			bin := min(int(q.Evidence.Confidence*10), 9)
			s.Bins[bin][1]++
			if SpeakerRight(q.Speaker, a.Gold[gi]) {
				s.Attributed++
				s.Bins[bin][0]++
			}
		}
		for i, q := range quotes {
			if matched[i] || !a.ignoredSpan(q.Start, q.End) {
				s.Predicted++
			}
		}
	}
	return s
}

// CrossValidate fits on all folds but one and scores the one left out, for
// each of k folds of whole articles, and adds the scores up.
func CrossValidate(articles []Article, k int, opt Options) (Score, error) {
	var total Score
	for fold := 0; fold < k; fold++ {
		var fit, held []Article
		for _, a := range articles {
			if foldOf(a.Name, k) == fold {
				held = append(held, a)
			} else {
				fit = append(fit, a)
			}
		}
		weights, err := Fit(fit, opt)
		if err != nil {
			return Score{}, err
		}
		m, err := extract.NewModel(weights)
		if err != nil {
			return Score{}, err
		}
		total.add(Evaluate(held, m))
	}
	return total, nil
}

// foldOf puts an article in a fold by a hash of its name, so that folds do
// not follow the outlets' file-name order.
func foldOf(name string, k int) int {
	h := fnv.New32a()
	h.Write([]byte(name))
	return int(h.Sum32() % uint32(k))
}

// Calibration is a Markdown table: per confidence bin, how many matched
// quotes fall in it and how many of them name the right speaker.
func (s Score) Calibration() string {
	var b strings.Builder
	b.WriteString("| confidence | quotes | right | accuracy |\n|---|---|---|---|\n")
	for i := len(s.Bins) - 1; i >= 0; i-- {
		right, all := s.Bins[i][0], s.Bins[i][1]
		if all == 0 {
			continue
		}
		fmt.Fprintf(&b, "| %.1f–%.1f | %d | %d | %.3f |\n", float64(i)/10, float64(i+1)/10, all, right, float64(right)/float64(all))
	}
	return b.String()
}

// AtLeast is the share of matched quotes with confidence at least c that
// name the right speaker, and how many there are; c is a multiple of 0.1.
func (s Score) AtLeast(c float64) (float64, int) {
	right, all := 0, 0
	for i := int(math.Round(c * 10)); i < len(s.Bins); i++ {
		right += s.Bins[i][0]
		all += s.Bins[i][1]
	}
	if all == 0 {
		return 0, 0
	}
	return float64(right) / float64(all), all
}

// String is the summary line.
func (s Score) String() string {
	acc := 0.0
	if s.Matched > 0 {
		acc = float64(s.Attributed) / float64(s.Matched)
	}
	hi, n := s.AtLeast(0.9)
	return fmt.Sprintf("gold=%d predicted=%d matched=%d right=%d speaker-accuracy=%.3f attribution_f1=%.3f confidence≥0.9: %d quotes, %.3f right",
		s.Gold, s.Predicted, s.Matched, s.Attributed, acc, s.F1(), n, hi)
}
