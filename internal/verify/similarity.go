package verify

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/newsroom-tools/quotes/internal/quote"
)

// MinExcerptWords is the shortest side for which Similarity gives excerpt
// credit (scores the shorter text against its best-aligned window of the
// longer one). Phrases of three words or fewer ("we will not", "a total
// disaster") recur across speakers and articles, so finding one inside a
// longer quote says little; such short texts are compared whole, against the
// longer text's full length.
const MinExcerptWords = 4

// Similarity scores how far a and b are the same quote, from 0 (nothing in
// common) to 1 (the same words, or one an exact excerpt of the other). It
// compares the folded words of both (quote.Words), so punctuation, case and
// diacritics do not count.
//
// The shorter text is aligned against its best-matching window of the longer
// one, and the score is 1 − (word edits) ÷ (words of the shorter text), a
// word edit being one word replaced, added or dropped. So an excerpt scores
// 1, one word changed in a 15-word quote about 0.93, two about 0.87, and
// unrelated texts near 0. Below MinExcerptWords words on the shorter side
// the texts are compared whole and divided by the longer length instead.
// Either text having no words scores 0. Similarity(a, b) ==
// Similarity(b, a).
func Similarity(a, b string) float64 {
	return similarity(fold(a), fold(b))
}

// similarity is align(a, b).similarity() without the edit script: two rows
// of the table instead of all of it, since scoring every candidate of a
// verification is most of its work and only the matches need a diff.
func similarity(a, b []string) float64 {
	n, m := len(a), len(b)
	var cost, norm int
	switch {
	case min(n, m) < MinExcerptWords:
		cost, norm = editCost(a, b, false), max(n, m)
	case n < m:
		cost, norm = editCost(a, b, true), n
	case m < n:
		cost, norm = editCost(b, a, true), m
	default:
		cost, norm = min(editCost(a, b, true), editCost(b, a, true)), n
	}
	if norm == 0 {
		return 0
	}
	return max(0, 1-float64(cost)/float64(norm))
}

// editCost is the cost of editScript(p, t, window), row by row.
func editCost(p, t []string, window bool) int {
	m := len(t)
	prev, row := make([]int32, m+1), make([]int32, m+1)
	if !window {
		for j := 1; j <= m; j++ {
			prev[j] = int32(j)
		}
	}
	for i := 1; i <= len(p); i++ {
		editRow(row, prev, i, p[i-1], t)
		prev, row = row, prev
	}
	if window {
		return int(slices.Min(prev))
	}
	return int(prev[m])
}

// editRow fills row, the edit costs of p's first i words against each
// prefix of t, from prev, those of its first i-1; w is p's i-th word.
func editRow(row, prev []int32, i int, w string, t []string) {
	row[0] = int32(i)
	for j := 1; j <= len(t); j++ {
		diag := prev[j-1]
		if w != t[j-1] {
			diag++
		}
		row[j] = min(diag, prev[j]+1, row[j-1]+1)
	}
}

// fold is quote.Words(s), faster for mostly-ASCII text (see foldASCII).
func fold(s string) []string { return appendFolded(nil, s) }

// appendFolded appends the folded words of s to dst: fold into a reused
// slice, so that scoring candidate after candidate allocates only for the
// words that are not plain lower-case ASCII.
func appendFolded(dst []string, s string) []string {
	scanWords(s, func(folded, _ string) { dst = append(dst, folded) })
	return dst
}

// word is one word of a text: folded as quote.Words gives it, and as
// written, for showing it back.
type word struct {
	folded string
	// written is the run of the text the word came from; empty for the
	// second and later words of a run that folds into several.
	written string
}

// splitWords splits s into the same folded words as quote.Words, keeping
// each word's written form.
func splitWords(s string) []word {
	var words []word
	scanWords(s, func(folded, written string) { words = append(words, word{folded: folded, written: written}) })
	return words
}

// scanWords calls emit with each folded word of s, as quote.Words gives
// them, and the run of s it came from ("" for the second and later words
// of a run that folds into several). Runs of letters, digits, combining
// marks and joiners are folded one at a time, which gives quote.Words(s)
// because everything else separates words there too.
func scanWords(s string, emit func(folded, written string)) {
	start := -1
	flush := func(end int) {
		if start < 0 {
			return
		}
		run := s[start:end]
		start = -1
		if folded, ok := foldASCII(run); ok {
			if folded != "" {
				emit(folded, run)
			}
			return
		}
		for i, w := range quote.Words(run) {
			written := run
			if i > 0 {
				written = ""
			}
			emit(w, written)
		}
	}
	for i, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || isJoiner(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		flush(i)
	}
	flush(len(s))
}

// foldASCII is quote.Words of one run of word characters when the run is
// plain ASCII apart from typographic joiners (’ in "It’s", ‐), as most
// words are: folding is then lowercasing and dropping the joiners, without
// the cost of Unicode normalisation. ok is false for any other run. A run
// of joiners alone folds to "".
func foldASCII(run string) (folded string, ok bool) {
	plain := true
	for i := 0; i < len(run); i++ {
		c := run[i]
		if c >= utf8.RuneSelf {
			if !strings.HasPrefix(run[i:], "’") && !strings.HasPrefix(run[i:], "‐") {
				return "", false
			}
			plain = false
			i += len("’") - 1
			continue
		}
		if 'A' <= c && c <= 'Z' || c == '\'' || c == '-' {
			plain = false
		}
	}
	if plain {
		return run, true
	}
	b := make([]byte, 0, len(run))
	for i := 0; i < len(run); i++ {
		switch c := run[i]; {
		case c >= utf8.RuneSelf:
			i += len("’") - 1 // a joiner, as the first loop found
		case 'A' <= c && c <= 'Z':
			b = append(b, c+'a'-'A')
		case c != '\'' && c != '-':
			b = append(b, c)
		}
	}
	return string(b), true
}

// isJoiner reports the marks quote.Words drops inside a word ("Russia's",
// "co-operate").
func isJoiner(r rune) bool { return r == '\'' || r == '’' || r == '-' || r == '‐' }

func foldedWords(words []word) []string {
	out := make([]string, len(words))
	for i, w := range words {
		out[i] = w.folded
	}
	return out
}

// stepKind is one move of an alignment of text a onto text b.
type stepKind uint8

const (
	stepEqual   stepKind = iota // a word of a equals the word of b it meets
	stepReplace                 // a word of a meets a different word of b
	stepDelete                  // a word of a that b lacks
	stepInsert                  // a word of b that a lacks
)

// step is one move; a and b are word indices, -1 where the move does not
// involve that text. outside marks words of the longer text beyond the
// aligned window, which cost nothing.
type step struct {
	kind    stepKind
	a, b    int
	outside bool
}

// alignment is a word-level edit script from a to b: cost word edits,
// scored against norm words.
type alignment struct {
	cost  int
	norm  int
	steps []step
}

func (al alignment) similarity() float64 {
	if al.norm == 0 {
		return 0
	}
	return max(0, 1-float64(al.cost)/float64(al.norm))
}

// align aligns a onto b as Similarity describes: the shorter text against
// its best window of the longer one, or both whole when the shorter has
// fewer than MinExcerptWords words.
func align(a, b []string) alignment {
	n, m := len(a), len(b)
	switch {
	case min(n, m) < MinExcerptWords:
		al := editScript(a, b, false)
		al.norm = max(n, m)
		return al
	case n < m:
		return editScript(a, b, true)
	case m < n:
		return editScript(b, a, true).swapped()
	}
	// Equal lengths: either may hold the other's words shifted by some, so
	// take the better direction.
	ab, ba := editScript(a, b, true), editScript(b, a, true).swapped()
	if ba.cost < ab.cost {
		return ba
	}
	return ab
}

// editScript is the Levenshtein alignment of all of p onto t, each word
// replaced, dropped or added costing 1. With window, t's words before and
// after the best-matching stretch are free, so p is scored as an excerpt of
// t. The result is normalised by len(p).
func editScript(p, t []string, window bool) alignment {
	n, m := len(p), len(t)
	width := m + 1
	d := make([]int32, (n+1)*width)
	if !window {
		for j := 1; j <= m; j++ {
			d[j] = int32(j)
		}
	}
	for i := 1; i <= n; i++ {
		editRow(d[i*width:], d[(i-1)*width:], i, p[i-1], t)
	}

	end := m
	if window {
		// Of the best windows, the one ending last: when the claim's last
		// word differs, it then shows as replaced by the quote's rather
		// than as dropped beside a free word.
		last := d[n*width:]
		end = 0
		for j := 1; j <= m; j++ {
			if last[j] <= last[end] {
				end = j
			}
		}
	}
	al := alignment{cost: int(d[n*width+end]), norm: n, steps: make([]step, 0, n+m)}

	// Walk back from the end cell, preferring the diagonal so that a changed
	// word shows as replaced rather than as dropped-then-added.
	for j := m; j > end; j-- {
		al.steps = append(al.steps, step{kind: stepInsert, a: -1, b: j - 1, outside: true})
	}
	i, j := n, end
	for i > 0 || j > 0 {
		at := d[i*width+j]
		switch {
		case i == 0:
			al.steps = append(al.steps, step{kind: stepInsert, a: -1, b: j - 1, outside: window})
			j--
		case j > 0 && p[i-1] == t[j-1] && at == d[(i-1)*width+j-1]:
			al.steps = append(al.steps, step{kind: stepEqual, a: i - 1, b: j - 1})
			i, j = i-1, j-1
		case j > 0 && p[i-1] != t[j-1] && at == d[(i-1)*width+j-1]+1:
			al.steps = append(al.steps, step{kind: stepReplace, a: i - 1, b: j - 1})
			i, j = i-1, j-1
		case at == d[(i-1)*width+j]+1:
			al.steps = append(al.steps, step{kind: stepDelete, a: i - 1, b: -1})
			i--
		default:
			al.steps = append(al.steps, step{kind: stepInsert, a: -1, b: j - 1})
			j--
		}
	}
	for l, r := 0, len(al.steps)-1; l < r; l, r = l+1, r-1 {
		al.steps[l], al.steps[r] = al.steps[r], al.steps[l]
	}
	return al
}

// swapped turns an alignment of b onto a into one of a onto b.
func (al alignment) swapped() alignment {
	for i, s := range al.steps {
		s.a, s.b = s.b, s.a
		switch s.kind {
		case stepDelete:
			s.kind = stepInsert
		case stepInsert:
			s.kind = stepDelete
		}
		al.steps[i] = s
	}
	return al
}

// DiffKind says how a stretch of the claimed quote compares with the quote
// as it appears in the article.
type DiffKind string

const (
	DiffEqual DiffKind = "equal"
	// DiffInserted words are in the article's quote but not in the claim
	// (including the words around an excerpt).
	DiffInserted DiffKind = "inserted"
	// DiffDeleted words are in the claim but not in the article's quote.
	DiffDeleted DiffKind = "deleted"
	// DiffReplaced words of the claim stand where the article has others.
	DiffReplaced DiffKind = "replaced"
)

// DiffOp is one stretch of the word-level comparison of a claim with the
// actual quote, in order; Claimed and Actual are the words as written on
// each side, joined by single spaces (punctuation between words dropped).
type DiffOp struct {
	Op      DiffKind `json:"op"`
	Claimed string   `json:"claimed,omitempty"`
	Actual  string   `json:"actual,omitempty"`
}

// diff compares claimed with actual along the same alignment Similarity
// scores, grouping consecutive changed words into one op. Words of the
// actual quote outside the excerpt the claim aligns with are kept apart
// from changes inside it, so a UI can tell "the claim quotes only part"
// from "the claim changed these words".
func diff(claimed, actual []word) []DiffOp {
	al := align(foldedWords(claimed), foldedWords(actual))
	var ops []DiffOp
	var claimedRun, actualRun []string
	group, open := step{}, false // the kind of run being gathered
	flush := func() {
		if !open {
			return
		}
		op := DiffOp{Claimed: strings.Join(claimedRun, " "), Actual: strings.Join(actualRun, " ")}
		switch {
		case group.kind == stepEqual:
			op.Op = DiffEqual
		case len(claimedRun) > 0 && len(actualRun) > 0:
			op.Op = DiffReplaced
		case len(actualRun) > 0:
			op.Op = DiffInserted
		default:
			op.Op = DiffDeleted
		}
		ops = append(ops, op)
		claimedRun, actualRun, open = nil, nil, false
	}
	for _, s := range al.steps {
		same := s.kind == stepEqual
		if open && ((group.kind == stepEqual) != same || group.outside != s.outside) {
			flush()
		}
		group, open = s, true
		if s.a >= 0 && claimed[s.a].written != "" {
			claimedRun = append(claimedRun, claimed[s.a].written)
		}
		if s.b >= 0 && actual[s.b].written != "" {
			actualRun = append(actualRun, actual[s.b].written)
		}
	}
	flush()
	return ops
}
