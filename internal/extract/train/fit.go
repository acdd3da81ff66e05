package train

import (
	"fmt"
	"math"

	"github.com/newsroom-tools/quotes/internal/extract"
)

// Options set the fit: full-batch AdaGrad on the conditional log-likelihood
// with an L2 penalty. Every step is deterministic: the same articles give
// the same weights, bit for bit.
type Options struct {
	Iterations int
	Rate       float64
	L2         float64
	// Rounds is how many fits are made in turn: the first on features
	// that look back on the rules' speakers for earlier quotes, each next
	// on features that look back on the previous fit's choices, as
	// extraction does.
	Rounds int
}

// DefaultOptions are the settings the committed model is fitted with.
var DefaultOptions = Options{Iterations: 400, Rate: 0.3, L2: 0.5, Rounds: 2}

// example is one quote matched to a gold quote: each candidate's feature
// ids and whether the scorer would credit it.
type example struct {
	features [][]int
	right    []bool
}

// Examples turns articles into training examples: the quotes the extractor
// finds that match a gold quote. When no candidate is right, nobody is.
func examples(x *extract.Extractor, articles []Article) []example {
	ids := map[string]int{}
	for i, n := range extract.FeatureNames() {
		ids[n] = i
	}
	var out []example
	for _, a := range articles {
		decisions := x.Decisions(a.Text)
		texts := make([]string, len(decisions))
		for i, d := range decisions {
			texts[i] = d.Quote.Text
		}
		for gi, pi := range Match(a.Gold, texts) {
			if pi < 0 {
				continue
			}
			cands := decisions[pi].Candidates
			ex := example{features: make([][]int, len(cands)), right: make([]bool, len(cands))}
			anyRight := false
			for c, cand := range cands {
				for _, f := range cand.Features {
					ex.features[c] = append(ex.features[c], ids[f])
				}
				if c > 0 && SpeakerRight(cand.Speaker, a.Gold[gi]) {
					ex.right[c], anyRight = true, true
				}
			}
			ex.right[0] = !anyRight
			out = append(out, ex)
		}
	}
	return out
}

// Fit returns the weights, by feature name, that best rank the right
// candidates of articles first.
func Fit(articles []Article, opt Options) (map[string]float64, error) {
	names := extract.FeatureNames()
	x := extract.New(nil)
	var out map[string]float64
	for round := 0; round < max(opt.Rounds, 1); round++ {
		if round > 0 {
			m, err := extract.NewModel(out)
			if err != nil {
				return nil, fmt.Errorf("train: round %d: %w", round+1, err)
			}
			x = extract.New(m)
		}
		w := fitWeights(examples(x, articles), len(names), opt)
		out = map[string]float64{}
		for i, v := range w {
			if v != 0 {
				out[names[i]] = math.Round(v*1e4) / 1e4
			}
		}
	}
	return out, nil
}

func fitWeights(exs []example, n int, opt Options) []float64 {
	w := make([]float64, n)
	grad := make([]float64, n)
	hist := make([]float64, n)
	var p []float64
	for it := 0; it < opt.Iterations; it++ {
		for i := range grad {
			grad[i] = opt.L2 * w[i]
		}
		for _, ex := range exs {
			p = probabilities(w, ex.features, p[:0])
			rightMass := 0.0
			for c, r := range ex.right {
				if r {
					rightMass += p[c]
				}
			}
			if rightMass == 0 {
				continue
			}
			for c, fs := range ex.features {
				// d(-log Σ_right p)/d score_c = p_c − p_c·right_c / Σ_right p
				g := p[c]
				if ex.right[c] {
					g -= p[c] / rightMass
				}
				for _, f := range fs {
					grad[f] += g
				}
			}
		}
		for i, g := range grad {
			if g == 0 {
				continue
			}
			hist[i] += g * g
			w[i] -= opt.Rate * g / math.Sqrt(hist[i]+1e-8)
		}
	}
	return w
}

func probabilities(w []float64, features [][]int, p []float64) []float64 {
	for _, fs := range features {
		s := 0.0
		for _, f := range fs {
			s += w[f]
		}
		p = append(p, s)
	}
	extract.Softmax(p)
	return p
}

// CandidateRecall is the share of matched quotes whose right speaker is
// among the candidates at all: the ceiling of any ranker over them.
func CandidateRecall(articles []Article) float64 {
	exs := examples(extract.New(nil), articles)
	if len(exs) == 0 {
		return 0
	}
	n := 0
	for _, ex := range exs {
		if !ex.right[0] {
			n++
		}
	}
	return float64(n) / float64(len(exs))
}
