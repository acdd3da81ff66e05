package extract

import (
	"crypto/sha256"
	_ "embed"
	"encoding/json"
	"fmt"

	"github.com/newsroom-tools/quotes/internal/quote"
)

// Model is the speaker ranker's weights: a conditional log-linear model
// over each quote's candidates. cmd/train-resolver fits it on PolNeAR train.
type Model struct {
	weights []float64
}

// ModelFile is a model as stored: a weight per feature name. Features the
// file does not name weigh nothing; names the extractor does not know are
// an error, since they mean the file and the code have drifted apart.
type ModelFile struct {
	// Trained says how the file was made, for a reader.
	Trained string             `json:"trained"`
	Weights map[string]float64 `json:"weights"`
}

//go:embed resolver.json
var embeddedModel []byte

// defaultModel is the committed model, parsed once and never changed. A
// file that does not parse leaves it nil (the rules' answers stand) and
// fails TestEmbeddedModel, so it never ships.
var defaultModel, defaultModelErr = ParseModel(embeddedModel)

// ParseModel reads a model file.
func ParseModel(data []byte) (*Model, error) {
	var f ModelFile
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("extract: parse model: %w", err)
	}
	return NewModel(f.Weights)
}

// NewModel builds a model from a weight per feature name.
func NewModel(weights map[string]float64) (*Model, error) {
	names := FeatureNames()
	ids := make(map[string]int, len(names))
	for i, n := range names {
		ids[n] = i
	}
	m := &Model{weights: make([]float64, len(names))}
	for n, w := range weights {
		i, ok := ids[n]
		if !ok {
			return nil, fmt.Errorf("extract: model: unknown feature %q", n)
		}
		m.weights[i] = w
	}
	return m, nil
}

// rulesRevision counts changes to the extractor's rules that keep the
// model file as it is; a retrained model changes ModelVersion by itself.
const rulesRevision = 2

// Version names the extractor Extract runs: its rules' revision and the
// committed model's digest, so that articles made by an older one can be
// found and extracted again.
func Version() string {
	sum := sha256.Sum256(embeddedModel)
	return fmt.Sprintf("rules-%d/model-%x", rulesRevision, sum[:6])
}

// Extractor extracts quotes with a given speaker model.
type Extractor struct {
	model *Model
}

// New returns an extractor that resolves speakers with m; nil leaves each
// quote with the attribution rules' own answer.
func New(m *Model) *Extractor { return &Extractor{model: m} }

// Extract returns every direct quote in text, in order of appearance.
func (x *Extractor) Extract(text string) []quote.Quote {
	d := newDoc(text)
	if d == nil {
		return nil
	}
	defer d.release()
	out, kept, attrs := d.attributeAll()
	d.resolveAll(out, kept, attrs, x.model)
	return out
}

// Extract returns every direct quote in text, in order of appearance, with
// speakers resolved by the committed model.
func Extract(text string) []quote.Quote { return New(defaultModel).Extract(text) }

// Decision is one quote and the speakers the ranker chooses among, for
// training: Candidates[0] is always nobody.
type Decision struct {
	Quote      quote.Quote
	Candidates []Candidate
}

// Candidate is one answer for a quote's speaker and its features' names.
type Candidate struct {
	Speaker  quote.Speaker
	Features []string
}

// Decisions returns, for every quote in text, the candidates x's ranker
// weighs, with their features, as Extract sees them: the earlier quotes'
// speakers are x's own choices when it has a model, the rules' otherwise.
// A model fitted on these decisions learns to follow its own run of
// speakers through a dialogue.
func (x *Extractor) Decisions(text string) []Decision {
	d := newDoc(text)
	if d == nil {
		return nil
	}
	defer d.release()
	out, kept, attrs := d.attributeAll()
	if len(out) == 0 {
		return nil
	}
	names := FeatureNames()
	r := d.newResolver(attrs)
	decisions := make([]Decision, len(out))
	for j, i := range kept {
		cands := r.candidates(r.quoteContext(i, attrs))
		dec := Decision{Quote: out[j], Candidates: make([]Candidate, len(cands))}
		for c, cand := range cands {
			fs := make([]string, len(cand.features))
			for k, f := range cand.features {
				fs[k] = names[f]
			}
			dec.Candidates[c] = Candidate{Speaker: cand.speaker, Features: fs}
		}
		decisions[j] = dec
		if x.model != nil {
			r.probs = x.model.rank(cands, r.probs)
			r.follow(i, cands, r.probs)
		}
	}
	return decisions
}
