package extract

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/newsroom-tools/quotes/internal/quote"
)

// polnearSet is the PolNeAR dev split, read in place: its texts may not be
// copied into the repository.
const polnearSet = "../../../shared/eval/polnear/dev"

type polnearRow struct {
	Doc     string `json:"doc"`
	Quote   string `json:"quote"`
	Speaker string `json:"speaker"`
	Kind    string `json:"kind"`
	Ignore  []int  `json:"ignore"`
}

var scoreWord = regexp.MustCompile(`[a-z0-9]+(?:'[a-z]+)?`)

// scoreWords mirrors the shared scorer's normalisation closely enough to
// guard against regressions: folded quotes, lower case, words.
func scoreWords(s string) []string {
	s = strings.NewReplacer("’", "'", "‘", "'", "“", `"`, "”", `"`).Replace(strings.ToLower(s))
	return scoreWord.FindAllString(s, -1)
}

func wordOverlap(a, b []string) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	pool := map[string]int{}
	for _, w := range b {
		pool[w]++
	}
	common := 0
	for _, w := range a {
		if pool[w] > 0 {
			pool[w]--
			common++
		}
	}
	return float64(common) / float64(max(len(a), len(b)))
}

var mentionStopWords = map[string]bool{"the": true, "a": true, "an": true, "of": true, "in": true, "on": true,
	"at": true, "for": true, "to": true, "and": true, "from": true, "with": true, "by": true, "who": true,
	"which": true, "that": true, "mr": true, "mrs": true, "ms": true, "dr": true, "its": true, "his": true,
	"her": true, "their": true, "s": true}

// speakerShares reports whether the predicted speaker shares a word with
// the annotated mention, as the shared scorer judges mention golds.
func speakerShares(sp quote.Speaker, row polnearRow) bool {
	want := map[string]bool{}
	for _, w := range scoreWords(row.Speaker) {
		if row.Kind == "pronoun" || !mentionStopWords[w] {
			want[w] = true
		}
	}
	for _, field := range []string{sp.Name, sp.Descriptor, sp.Mention} {
		for _, w := range scoreWords(field) {
			if want[w] {
				return true
			}
		}
	}
	return false
}

func TestPolnearDevAttribution(t *testing.T) {
	f, err := os.Open(filepath.Join(polnearSet, "gold.jsonl"))
	if err != nil {
		t.Skipf("PolNeAR dev set not available at %s: %v", polnearSet, err)
	}
	defer f.Close()
	gold := map[string][]polnearRow{}
	ignores := map[string][][]int{}
	scanner := bufio.NewScanner(f)
	scanner.Buffer(nil, 1<<20)
	for scanner.Scan() {
		var row polnearRow
		if err := json.Unmarshal(scanner.Bytes(), &row); err != nil {
			t.Fatal(err)
		}
		if row.Ignore != nil {
			ignores[row.Doc] = append(ignores[row.Doc], row.Ignore)
			continue
		}
		gold[row.Doc] = append(gold[row.Doc], row)
	}
	if err := scanner.Err(); err != nil {
		t.Fatal(err)
	}
	var nGold, nPred, matched, attributed int
	for doc, rows := range gold {
		data, err := os.ReadFile(filepath.Join(polnearSet, "articles", doc))
		if err != nil {
			t.Fatal(err)
		}
		text := string(data)
		preds := Extract(text)
		used := make([]bool, len(preds))
		nGold += len(rows)
		for _, row := range rows {
			want := scoreWords(row.Quote)
			best, bestAt := 0.0, -1
			for i, q := range preds {
				if used[i] {
					continue
				}
				if o := wordOverlap(scoreWords(q.Text), want); o > best {
					best, bestAt = o, i
				}
			}
			if best < 0.8 {
				continue
			}
			used[bestAt] = true
			matched++
			if speakerShares(preds[bestAt].Speaker, row) {
				attributed++
			}
		}
		for i, q := range preds {
			if used[i] {
				nPred++
				continue
			}
			start := utf8.RuneCountInString(text[:q.Start])
			end := start + utf8.RuneCountInString(q.Text)
			inside := false
			for _, r := range ignores[doc] {
				inside = inside || r[0] < end && start < r[1]
			}
			if !inside {
				nPred++
			}
		}
	}
	precision := float64(attributed) / float64(nPred)
	recall := float64(attributed) / float64(nGold)
	f1 := 2 * precision * recall / (precision + recall)
	t.Logf("PolNeAR dev: gold=%d predicted=%d matched=%d attributed=%d P=%.3f R=%.3f F1=%.3f",
		nGold, nPred, matched, attributed, precision, recall, f1)
	if f1 < 0.92 {
		t.Errorf("attribution F1 on PolNeAR dev = %.3f, want at least 0.92", f1)
	}
	if r := float64(matched) / float64(nGold); r < 0.95 {
		t.Errorf("quote recall on PolNeAR dev = %.3f, want at least 0.95", r)
	}
}
