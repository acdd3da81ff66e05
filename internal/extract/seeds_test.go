package extract

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsroom-tools/quotes/internal/quote"
)

var update = flag.Bool("update", false, "rewrite the testdata golden files from the current output")

// goldQuote is one hand-annotated quote of a seed article.
type goldQuote struct {
	Article     string            `json:"article"`
	Text        string            `json:"text"`
	Speaker     string            `json:"speaker"`
	Kind        quote.SpeakerKind `json:"kind"`
	Descriptor  string            `json:"descriptor"`
	Affiliation string            `json:"affiliation"`
	Role        string            `json:"role"`
	Partial     bool              `json:"partial"`
}

// seedDir holds the five seed articles, shared by every package's tests;
// their gold and golden files live in this package's testdata/seeds.
var seedDir = filepath.Join("..", "..", "testdata", "seeds")

func seedArticles(t testing.TB) map[string]string {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(seedDir, "*.txt"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no seed articles in %s: %v", seedDir, err)
	}
	articles := make(map[string]string, len(paths))
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		articles[filepath.Base(p)] = string(b)
	}
	return articles
}

func loadSeedGold(t *testing.T) []goldQuote {
	t.Helper()
	b, err := os.ReadFile("testdata/seeds/gold.json")
	if err != nil {
		t.Fatal(err)
	}
	var gold []goldQuote
	if err := json.Unmarshal(b, &gold); err != nil {
		t.Fatalf("testdata/seeds/gold.json: %v", err)
	}
	return gold
}

// sameName compares speaker names as a reader would: ignoring case and a
// leading article.
func sameName(got, want string) bool {
	norm := func(s string) string {
		s = strings.ToLower(strings.TrimSpace(s))
		return strings.TrimPrefix(s, "the ")
	}
	return norm(got) == norm(want)
}

// speakerMatches reports whether got is the speaker a careful reader
// gave; a gold "unknown" accepts any answer but a wrong named person.
func speakerMatches(got quote.Speaker, want goldQuote) bool {
	if want.Kind == quote.Unknown {
		return got.Kind == quote.Unknown || got.Name == ""
	}
	if got.Kind != want.Kind || !sameName(got.Name, want.Speaker) {
		return false
	}
	if want.Kind == quote.Anonymous {
		return sameName(got.Descriptor, want.Descriptor) && got.Role == want.Role && got.Affiliation == want.Affiliation
	}
	return true
}

func TestSeedsAgainstHandGold(t *testing.T) {
	articles := seedArticles(t)
	gold := loadSeedGold(t)
	predicted := make(map[string][]quote.Quote, len(articles))
	total := 0
	for name, text := range articles {
		predicted[name] = Extract(text)
		total += len(predicted[name])
	}
	found, right, partialRight := 0, 0, 0
	for _, g := range gold {
		var got *quote.Quote
		for i, q := range predicted[g.Article] {
			if q.Text == g.Text {
				got = &predicted[g.Article][i]
				break
			}
		}
		if got == nil {
			t.Logf("missed %s %q", g.Article, g.Text)
			continue
		}
		found++
		if got.Partial == g.Partial {
			partialRight++
		}
		ok := speakerMatches(got.Speaker, g)
		if ok {
			right++
		} else {
			t.Logf("%s %q: speaker %+v, want %q (%s, %q)", g.Article, g.Text, got.Speaker, g.Speaker, g.Kind, g.Descriptor)
		}
		switch {
		case g.Kind == quote.Anonymous && !ok:
			t.Errorf("anonymous source's quote %q: got speaker %+v, want anonymous %q described as %q", g.Text, got.Speaker, g.Speaker, g.Descriptor)
		case g.Speaker == "John Kerry" && got.Speaker.Name != "John Kerry":
			t.Errorf("Kerry quote %q: got speaker name %q, want \"John Kerry\"", g.Text, got.Speaker.Name)
		}
	}
	t.Logf("seeds: gold=%d predicted=%d found=%d speaker right=%d partial flag right=%d", len(gold), total, found, right, partialRight)
	if recall := float64(found) / float64(len(gold)); recall < 0.9 {
		t.Errorf("found %d of %d gold quotes (%.2f), want at least 0.90", found, len(gold), recall)
	}
	if precision := float64(found) / float64(total); precision < 0.9 {
		t.Errorf("%d of %d predicted quotes are gold (%.2f), want at least 0.90", found, total, precision)
	}
	if accuracy := float64(right) / float64(len(gold)); accuracy < 0.8 {
		t.Errorf("speaker right for %d of %d gold quotes (%.2f), want at least 0.80", right, len(gold), accuracy)
	}
}

// TestSeedsGolden pins the full Extract output for the seed articles; run
// `go test ./internal/extract -update` to accept a deliberate change.
func TestSeedsGolden(t *testing.T) {
	for name, text := range seedArticles(t) {
		t.Run(name, func(t *testing.T) {
			got, err := json.MarshalIndent(Extract(text), "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			path := filepath.Join("testdata", "seeds", strings.TrimSuffix(name, ".txt")+".golden.json")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./internal/extract -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("Extract output differs from %s:\ngot:\n%s\nwant:\n%s", path, got, want)
			}
		})
	}
}
