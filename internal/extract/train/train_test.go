package train

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/newsroom-tools/quotes/internal/extract"
	"github.com/newsroom-tools/quotes/internal/quote"
)

func TestSpeakerRightMirrorsTheScorer(t *testing.T) {
	trump := GoldQuote{Speaker: "Donald Trump", Kind: "person", Accept: []string{"trump", "donald j. trump"}}
	official := GoldQuote{Speaker: "a senior US official", Kind: "anonymous"}
	tests := []struct {
		sp   quote.Speaker
		g    GoldQuote
		want bool
	}{
		{quote.Speaker{Name: "Donald Trump"}, trump, true},
		{quote.Speaker{Name: "Donald J. Trump"}, trump, true},
		{quote.Speaker{Name: "Trump"}, trump, true},
		{quote.Speaker{Name: "Mr. Trump"}, trump, true},
		{quote.Speaker{Name: "Ivanka Trump"}, trump, true}, // holds an accepted spelling as words, as the scorer credits
		{quote.Speaker{Name: "Trumpet"}, trump, false},
		{quote.Speaker{Name: "", Mention: "Trump"}, trump, false},
		{quote.Speaker{Name: "he"}, trump, false},
		{quote.Speaker{Name: "the official", Descriptor: "a senior US official"}, official, true},
		{quote.Speaker{Name: "the official", Descriptor: "an aide"}, official, false},
	}
	for _, tt := range tests {
		if got := SpeakerRight(tt.sp, tt.g); got != tt.want {
			t.Errorf("SpeakerRight(%+v, %q) = %v, want %v", tt.sp, tt.g.Speaker, got, tt.want)
		}
	}
}

func TestMatchIsOneToOne(t *testing.T) {
	gold := []GoldQuote{{Quote: "We will win this fight."}, {Quote: "We will win this fight."}, {Quote: "Nothing alike at all."}}
	got := Match(gold, []string{"we will win this fight", "Something else entirely"})
	if want := []int{0, -1, -1}; !reflect.DeepEqual(got, want) {
		t.Errorf("Match = %v, want %v", got, want)
	}
}

// writeSet lays out an annotated set as the shared eval does.
func writeSet(t *testing.T, articles map[string]string, gold string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "articles"), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, text := range articles {
		if err := os.WriteFile(filepath.Join(dir, "articles", name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "gold_resolved.jsonl"), []byte(gold), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestFitIsDeterministicAndLearns(t *testing.T) {
	dir := writeSet(t, map[string]string{
		"a.txt": "Mark Toner spoke first. Jane Doe spoke next.\n\n“We disagree,” she said.\n",
		"b.txt": "Jane Roe met John Smith.\n\n“It is over,” he said.\n",
	}, `{"doc": "a.txt", "quote": "We disagree,", "speaker": "Jane Doe", "kind": "person"}
{"doc": "b.txt", "quote": "It is over,", "speaker": "John Smith", "kind": "person"}
{"doc": "b.txt", "ignore": [0, 4]}
`)
	set, err := LoadSet(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(set) != 2 || len(set[1].Ignored) != 1 {
		t.Fatalf("LoadSet: %d articles, %+v", len(set), set)
	}
	opt := Options{Iterations: 50, Rate: 0.3, L2: 0.1, Rounds: 2}
	w1, err := Fit(set, opt)
	if err != nil {
		t.Fatal(err)
	}
	w2, err := Fit(set, opt)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(w1, w2) {
		t.Fatal("two fits of the same articles differ")
	}
	m, err := extract.NewModel(w1)
	if err != nil {
		t.Fatal(err)
	}
	s := Evaluate(set, m)
	if s.Gold != 2 || s.Matched != 2 || s.Attributed != 2 {
		t.Errorf("fitted model on its own training set: %s; want both quotes right", s)
	}
	if acc, n := s.AtLeast(0); n != 2 || acc != 1 {
		t.Errorf("AtLeast(0) = %v over %d, want 1 over 2", acc, n)
	}
}

func TestLoadSetWithoutGold(t *testing.T) {
	if _, err := LoadSet(t.TempDir()); err == nil {
		t.Fatal("LoadSet of an empty folder: err = nil")
	}
}

// polnearDev is the shared PolNeAR dev split, read in place: its texts may
// not be copied into the repository.
const polnearDev = "../../../../shared/eval/polnear/dev"

// TestCommittedModelOnDev holds the real speaker's name, as the shared
// scorer's --resolved run counts it, where the committed model puts it.
func TestCommittedModelOnDev(t *testing.T) {
	if _, err := os.Stat(filepath.Join(polnearDev, "gold_resolved.jsonl")); err != nil {
		t.Skipf("%s absent: %v", polnearDev, err)
	}
	set, err := LoadSet(polnearDev)
	if err != nil {
		t.Fatal(err)
	}
	m, err := extract.ParseModel(mustRead(t, "../resolver.json"))
	if err != nil {
		t.Fatal(err)
	}
	s := Evaluate(set, m)
	t.Logf("dev: %s", s)
	if f1 := s.F1(); f1 < 0.86 {
		t.Errorf("dev resolved attribution F1 = %.3f, want at least 0.86", f1)
	}
	if acc, n := s.AtLeast(0.9); acc < 0.96 || n < s.Matched/2 {
		t.Errorf("confidence ≥ 0.9: %d quotes, %.3f right; want at least half the %d matched, 0.96 right", n, acc, s.Matched)
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
