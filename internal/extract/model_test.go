package extract

import (
	"strings"
	"testing"

	"github.com/newsroom-tools/quotes/internal/quote"
)

func TestEmbeddedModel(t *testing.T) {
	if defaultModelErr != nil {
		t.Fatalf("resolver.json: %v", defaultModelErr)
	}
	nonzero := 0
	for _, w := range defaultModel.weights {
		if w != 0 {
			nonzero++
		}
	}
	if nonzero < len(defaultModel.weights)/2 {
		t.Errorf("resolver.json weighs %d of %d features; it looks untrained (go run ./cmd/train-resolver)", nonzero, len(defaultModel.weights))
	}
}

func TestParseModelRejectsUnknownFeature(t *testing.T) {
	_, err := ParseModel([]byte(`{"weights": {"no-such-feature/x": 1}}`))
	if err == nil || !strings.Contains(err.Error(), "no-such-feature") {
		t.Fatalf("ParseModel with an unknown feature: err = %v, want one naming it", err)
	}
	if _, err := ParseModel([]byte(`{`)); err == nil {
		t.Fatal("ParseModel of broken JSON: err = nil")
	}
}

func TestFeatureNamesAreUnique(t *testing.T) {
	seen := map[string]bool{}
	for _, n := range FeatureNames() {
		if seen[n] {
			t.Errorf("feature %q named twice", n)
		}
		seen[n] = true
	}
	if got, want := len(seen), featureOffsets[groupCount]; got != want {
		t.Errorf("%d feature names, want %d", got, want)
	}
}

// The ranker resolves what the rules cannot: a pronoun whose antecedent is
// named with a first name no list holds, with the name as evidence.
func TestResolverNamesThePronounsAntecedent(t *testing.T) {
	text := "Police shot Keith Scott on Tuesday.\n\n" +
		"Rakeyia Scott can be heard yelling to the officers that her husband was unarmed.\n\n" +
		"“Don't shoot him,” she says."
	got := Extract(text)
	if len(got) != 1 {
		t.Fatalf("got %d quotes, want 1: %+v", len(got), got)
	}
	q := got[0]
	if q.Speaker.Name != "Rakeyia Scott" || q.Speaker.Mention != "she" {
		t.Errorf("speaker = %+v, want Rakeyia Scott mentioned as she", q.Speaker)
	}
	if a := q.Evidence.Antecedent; a == nil || text[a.Start:a.End] != "Rakeyia Scott" {
		t.Errorf("antecedent = %+v, want the span of \"Rakeyia Scott\"", a)
	}
}

// A model that weighs nothing leaves the ranker no reason to prefer any
// candidate over nobody, so confidences are low and speakers unknown:
// the answer comes from the model, not from the rules behind it.
func TestExtractorFollowsItsModel(t *testing.T) {
	empty, err := NewModel(nil)
	if err != nil {
		t.Fatal(err)
	}
	text := "Mark Toner spoke. Then Jane Doe spoke.\n\n“We disagree,” he said."
	withModel := Extract(text)
	without := New(empty).Extract(text)
	if len(withModel) != 1 || len(without) != 1 {
		t.Fatalf("got %d and %d quotes, want 1 each", len(withModel), len(without))
	}
	if withModel[0].Speaker.Name != "Mark Toner" {
		t.Errorf("with the model: speaker %+v, want Mark Toner", withModel[0].Speaker)
	}
	if c := without[0].Evidence.Confidence; c >= 0.5 {
		t.Errorf("with an empty model: confidence %v, want under 0.5 among several equal candidates", c)
	}
	if without[0].Speaker.Kind == quote.Person && without[0].Evidence.Confidence < unknownBelow {
		t.Errorf("with an empty model: named %+v below the unknown threshold", without[0].Speaker)
	}
}
