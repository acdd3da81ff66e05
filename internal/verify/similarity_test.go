package verify

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/newsroom-tools/quotes/internal/quote"
)

const kerrySochi = "We are going to press upon the Russians the need to help bring about a political settlement in Syria"

func TestSimilarity(t *testing.T) {
	tests := []struct {
		name     string
		a, b     string
		min, max float64
	}{
		{"identical", kerrySochi, kerrySochi, 1, 1},
		{"punctuation, case and diacritics",
			"« Ukraine will NOT give up — ever, » said Zelénskyy's aide",
			"Ukraine will not give up, ever: said Zelenskyy’s aide", 1, 1},
		{"apostrophe and hyphen variants", "Russia's co-operation is vital", "Russias cooperation is vital", 1, 1},
		{"one word changed in 20", kerrySochi,
			"We are going to push upon the Russians the need to help bring about a political settlement in Syria", 0.9, 0.96},
		{"two words changed in 15",
			"Nobody expects a breakthrough in Syria this week but the talks are a start",
			"Nobody expects a breakthrough in Syria this month but the talks are the start", 0.8, 0.9},
		{"claim is an excerpt", "press upon the Russians the need to help", kerrySochi, 1, 1},
		{"real quote is a sub-span of a longer claim", kerrySochi + " and we will not stop until it is done", kerrySochi, 1, 1},
		{"excerpt with a word changed", "press upon the Russians the urge to help", kerrySochi, 0.85, 0.9},
		{"word dropped", "We are going to press the Russians", "We are going to press upon the Russians", 0.85, 0.9},
		{"short phrase inside a long quote gets no excerpt credit", "political settlement", kerrySochi, 0, 0.15},
		{"unrelated", "The alliance stands united in support of its eastern members", kerrySochi, 0, 0.2},
		{"unrelated but opening with the same four words", "We are going to win the election in the autumn", kerrySochi, 0, MatchThreshold - 0.05},
		{"no words", "— …", kerrySochi, 0, 0},
		{"both empty", "", "", 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Similarity(tt.a, tt.b)
			if got < tt.min || got > tt.max {
				t.Errorf("Similarity(%q, %q) = %.3f, want in [%.2f, %.2f]", tt.a, tt.b, got, tt.min, tt.max)
			}
			if back := Similarity(tt.b, tt.a); back != got {
				t.Errorf("Similarity is not symmetric: %.3f one way, %.3f the other", got, back)
			}
		})
	}
}

func TestSimilarityExactValues(t *testing.T) {
	// One word changed in a 15-word quote: 1 − 1/15; two: 1 − 2/15.
	a := "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen"
	tests := []struct {
		b    string
		want float64
	}{
		{"one two three four five six seven eight nine ten eleven twelve thirteen fourteen FIFTEEN", 1},
		{"one two three four five six seven EIGHTY nine ten eleven twelve thirteen fourteen fifteen", 14.0 / 15},
		{"one two three four five six seven EIGHTY nine ten eleven twelve thirteen fourteen fifty", 13.0 / 15},
	}
	for _, tt := range tests {
		if got := Similarity(a, tt.b); math.Abs(got-tt.want) > 1e-9 {
			t.Errorf("Similarity(%q, %q) = %v, want %v", a, tt.b, got, tt.want)
		}
	}
}

func TestSplitWordsAgreesWithQuoteWords(t *testing.T) {
	// The store indexes quote.Words; verify aligns splitWords. They must
	// give the same words or queries and scores drift apart.
	for _, s := range []string{
		kerrySochi,
		"“We’re going to press upon the Russians,” Kerry said.",
		"U.S. officials — anonymously — said co-operation wasn't ‘possible’.",
		"Zelénskyy, Straße, İstanbul, naïve e\u0301tude 🙂 2015-05-12",
		"--leading and trailing-- ''quotes'' ‐dash‐",
		"",
		"\u0301 stray combining mark",
		"DON'T stop -- O'Neill's A-B-C 42nd ' - '-' x",
		"It’s CO‐OPERATE’S ’’ ‐‐ ’x’ é’s Ünited’s",
	} {
		var got []string
		for _, w := range splitWords(s) {
			got = append(got, w.folded)
		}
		if want := quote.Words(s); !slices.Equal(got, want) {
			t.Errorf("splitWords(%q) folds to %q, quote.Words gives %q", s, got, want)
		}
	}
}

func TestDiff(t *testing.T) {
	tests := []struct {
		name           string
		claimed, actal string
		want           []DiffOp
	}{
		{"identical apart from punctuation", "We will press the Russians!", "“We will press the Russians”",
			[]DiffOp{{DiffEqual, "We will press the Russians", "We will press the Russians"}}},
		{"one word replaced", "We will push the Russians on Syria", "We will press the Russians on Syria",
			[]DiffOp{
				{DiffEqual, "We will", "We will"},
				{DiffReplaced, "push", "press"},
				{DiffEqual, "the Russians on Syria", "the Russians on Syria"},
			}},
		{"word dropped from the claim", "We will press Russians on Syria", "We will press the Russians on Syria",
			[]DiffOp{
				{DiffEqual, "We will press", "We will press"},
				{DiffInserted, "", "the"},
				{DiffEqual, "Russians on Syria", "Russians on Syria"},
			}},
		{"word added by the claim", "We will firmly press the Russians on Syria", "We will press the Russians on Syria",
			[]DiffOp{
				{DiffEqual, "We will", "We will"},
				{DiffDeleted, "firmly", ""},
				{DiffEqual, "press the Russians on Syria", "press the Russians on Syria"},
			}},
		{"excerpt: the words around it are inserted", "press the Russians on Syria", "We will press the Russians on Syria today",
			[]DiffOp{
				{DiffInserted, "", "We will"},
				{DiffEqual, "press the Russians on Syria", "press the Russians on Syria"},
				{DiffInserted, "", "today"},
			}},
		{"changed word at the start of an excerpt stays apart from the words before it",
			"shall press the Russians on Syria", "We will press the Russians on Syria",
			[]DiffOp{
				{DiffInserted, "", "We"},
				{DiffReplaced, "shall", "will"},
				{DiffEqual, "press the Russians on Syria", "press the Russians on Syria"},
			}},
		{"longer claim: its extra words are deleted", "We will press the Russians on Syria and win", "press the Russians on Syria",
			[]DiffOp{
				{DiffDeleted, "We will", ""},
				{DiffEqual, "press the Russians on Syria", "press the Russians on Syria"},
				{DiffDeleted, "and win", ""},
			}},
		{"diacritics kept as written on each side", "Zelenskyy will not give up", "Zelénskyy will not give in",
			[]DiffOp{
				{DiffEqual, "Zelenskyy will not give", "Zelénskyy will not give"},
				{DiffReplaced, "up", "in"},
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := diff(splitWords(tt.claimed), splitWords(tt.actal))
			if !slices.Equal(got, tt.want) {
				t.Errorf("diff(%q, %q) =\n%+v\nwant\n%+v", tt.claimed, tt.actal, got, tt.want)
			}
		})
	}
}

func BenchmarkSimilarity(b *testing.B) {
	claim := "press upon the Russians the urgent need to help bring about a settlement in Syria"
	for b.Loop() {
		Similarity(claim, kerrySochi)
	}
}

func TestSimilarityWithoutScriptAgreesWithAlign(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	vocabulary := strings.Fields("we are going to press upon the russians need help bring about a settlement in syria")
	for range 2000 {
		a, b := make([]string, rng.IntN(14)), make([]string, rng.IntN(14))
		for i := range a {
			a[i] = vocabulary[rng.IntN(len(vocabulary))]
		}
		for i := range b {
			b[i] = vocabulary[rng.IntN(len(vocabulary))]
		}
		if got, want := similarity(a, b), align(a, b).similarity(); got != want {
			t.Fatalf("similarity(%q, %q) = %v, align gives %v", a, b, got, want)
		}
	}
}
