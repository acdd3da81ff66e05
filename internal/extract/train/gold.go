// Package train fits the extractor's speaker ranker on hand-resolved quotes
// and measures it: the labelling mirrors the shared scorer, so that what the
// model is fitted to is what the scorer credits.
package train

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/newsroom-tools/quotes/internal/quote"
)

// GoldQuote is one hand-resolved quote of gold_resolved.jsonl.
type GoldQuote struct {
	Doc     string   `json:"doc"`
	Quote   string   `json:"quote"`
	Start   int      `json:"start"`
	End     int      `json:"end"`
	Speaker string   `json:"speaker"`
	Kind    string   `json:"kind"`
	Accept  []string `json:"accept"`
	Ignore  []int    `json:"ignore"`
}

// Article is one annotated article: its text, gold quotes and the regions
// (code points) of indirect speech where a prediction is not counted.
type Article struct {
	Name    string
	Text    string
	Gold    []GoldQuote
	Ignored [][2]int
}

// LoadSet reads SET/articles/* and SET/gold_resolved.jsonl, articles in
// file-name order.
func LoadSet(dir string) ([]Article, error) {
	f, err := os.Open(filepath.Join(dir, "gold_resolved.jsonl"))
	if err != nil {
		return nil, fmt.Errorf("train: %w", err)
	}
	defer f.Close()
	byDoc := map[string]*Article{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		var g GoldQuote
		if err := json.Unmarshal([]byte(line), &g); err != nil {
			return nil, fmt.Errorf("train: gold line %q: %w", line, err)
		}
		a := byDoc[g.Doc]
		if a == nil {
			a = &Article{Name: g.Doc}
			byDoc[g.Doc] = a
		}
		if len(g.Ignore) == 2 {
			a.Ignored = append(a.Ignored, [2]int{g.Ignore[0], g.Ignore[1]})
		} else if g.Quote != "" {
			a.Gold = append(a.Gold, g)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("train: read gold: %w", err)
	}
	paths, err := filepath.Glob(filepath.Join(dir, "articles", "*"))
	if err != nil {
		return nil, fmt.Errorf("train: %w", err)
	}
	var out []Article
	for _, p := range paths { // Glob sorts
		a := byDoc[filepath.Base(p)]
		if a == nil {
			continue
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("train: %w", err)
		}
		a.Text = string(data)
		out = append(out, *a)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("train: no annotated articles in %s", dir)
	}
	return out, nil
}

var (
	scoreWord  = regexp.MustCompile(`[a-z0-9]+(?:'[a-z]+)?`)
	spaces     = regexp.MustCompile(`\s+`)
	leadingDet = regexp.MustCompile(`^(the|a|an|one)\s+`)
	folds      = strings.NewReplacer("\u2019", "'", "\u2018", "'", "\u201c", `"`, "\u201d", `"`)
)

// norm folds text as the scorer does: quotation marks, case, spaces and
// the punctuation around it.
func norm(s string) string {
	s = spaces.ReplaceAllString(strings.ToLower(folds.Replace(s)), " ")
	return strings.Trim(strings.TrimSpace(s), " \"'.,;:!?-\u2013\u2014")
}

func words(s string) []string { return scoreWord.FindAllString(norm(s), -1) }

// overlap is the share of the longer text's words the two share, one to
// one.
func overlap(a, b string) float64 {
	ta, tb := words(a), words(b)
	if len(ta) == 0 || len(tb) == 0 {
		return 0
	}
	pool := map[string]int{}
	for _, w := range tb {
		pool[w]++
	}
	common := 0
	for _, w := range ta {
		if pool[w] > 0 {
			pool[w]--
			common++
		}
	}
	return float64(common) / float64(max(len(ta), len(tb)))
}

func nameNorm(s string) string {
	return leadingDet.ReplaceAllString(strings.ReplaceAll(norm(s), ".", ""), "")
}

// SpeakerRight reports whether the scorer credits sp as the speaker of g:
// its name (or, for an anonymous source, its descriptor) is the gold name or
// an accepted spelling, or holds one as whole words.
func SpeakerRight(sp quote.Speaker, g GoldQuote) bool {
	preds := []string{sp.Name}
	if g.Kind == "anonymous" {
		preds = append(preds, sp.Descriptor)
	}
	golds := append([]string{g.Speaker}, g.Accept...)
	for _, pred := range preds {
		p := nameNorm(pred)
		if p == "" {
			continue
		}
		for _, c := range golds {
			c = nameNorm(c)
			if c != "" && (p == c || containsWords(p, c)) {
				return true
			}
		}
	}
	return false
}

func containsWords(p, c string) bool {
	for i := strings.Index(p, c); i >= 0; {
		end := i + len(c)
		if (i == 0 || p[i-1] == ' ' || isSpace(p[i-1])) && (end == len(p) || isSpace(p[end])) {
			return true
		}
		next := strings.Index(p[i+1:], c)
		if next < 0 {
			break
		}
		i += 1 + next
	}
	return false
}

func isSpace(b byte) bool { return b == ' ' || b == '\t' || b == '\n' || b == '\r' }

// Match pairs predicted quotes with gold ones as the scorer does: each gold
// quote in order takes the unused prediction whose words overlap it most,
// if by 80% or more. match[g] is the prediction's index, or -1.
func Match(gold []GoldQuote, predicted []string) []int {
	match := make([]int, len(gold))
	used := make([]bool, len(predicted))
	for gi, g := range gold {
		best, bestI := 0.0, -1
		for i, t := range predicted {
			if used[i] {
				continue
			}
			s := overlap(t, g.Quote)
			if norm(t) == norm(g.Quote) {
				s = 1
			}
			if s > best {
				best, bestI = s, i
			}
		}
		match[gi] = -1
		if best >= 0.8 {
			used[bestI] = true
			match[gi] = bestI
		}
	}
	return match
}

// ignoredSpan reports whether the byte span [start, end) of text falls in
// one of the article's indirect-speech regions (code points).
func (a Article) ignoredSpan(start, end int) bool {
	if start < 0 || end > len(a.Text) || start > end {
		return false
	}
	cs := utf8.RuneCountInString(a.Text[:start])
	ce := cs + utf8.RuneCountInString(a.Text[start:end])
	for _, r := range a.Ignored {
		if r[0] < ce && cs < r[1] {
			return true
		}
	}
	return false
}
