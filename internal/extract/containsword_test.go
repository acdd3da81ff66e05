package extract

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"
)

// containsWordByBytes is containsWord as first written, a byte at a time:
// the reference the faster one must agree with.
func containsWordByBytes(s, w string) bool {
	if w == "" {
		return false
	}
	first := asciiLower[w[0]]
	for i := 0; i+len(w) <= len(s); i++ {
		if asciiLower[s[i]] != first || !foldEqual(s[i:i+len(w)], w) {
			continue
		}
		end := i + len(w)
		prev, _ := utf8.DecodeLastRuneInString(s[:i])
		next, _ := utf8.DecodeRuneInString(s[end:])
		before := i == 0 || !isWordRune(prev)
		after := end == len(s) || !isWordRune(next) || s[end] == 's' && (end+1 == len(s) || !isWordRune(rune(s[end+1])))
		if before && after {
			return true
		}
	}
	return false
}

func TestContainsWordAgreesWithByteScan(t *testing.T) {
	pieces := []string{"Kerry", "kerry", "KERRY", "Kerrys", "s", " ", ",", "’", "é", "K", "k", "e", "Ke", "-", "1", "’s", "O'Neil", "o'neil", "."}
	words := []string{"kerry", "Kerry", "k", "o'neil", "é", "1", "ke", ".", "kerrys"}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		var s string
		for range rng.IntN(8) {
			s += pieces[rng.IntN(len(pieces))]
		}
		for _, w := range words {
			if got, want := containsWord(s, w), containsWordByBytes(s, w); got != want {
				t.Fatalf("containsWord(%q, %q) = %v, want %v", s, w, got, want)
			}
		}
	}
}

func TestHasLowerSuffixAgreesWithToLower(t *testing.T) {
	for _, s := range []string{"", "State Department", "the DEPARTMENT", "Ministère", "İstanbul Department", "department", "Dept"} {
		for _, suffix := range []string{"", "department", "Department", "ment", "dept", "ère"} {
			if got, want := hasLowerSuffix(s, suffix), strings.HasSuffix(strings.ToLower(s), suffix); got != want {
				t.Errorf("hasLowerSuffix(%q, %q) = %v, want %v", s, suffix, got, want)
			}
		}
	}
}

// quoteHasWord filters by the quote's byte pairs; it must answer as
// containsWord does on the quote's text, for every word of the article
// in every case.
func TestQuoteHasWordAgreesWithContainsWord(t *testing.T) {
	for name, text := range seedArticles(t) {
		d := newDoc(text)
		if d == nil {
			continue
		}
		words := map[string]bool{"s": true, "": true, strings.Repeat("a", 65): true}
		for k := range d.toks {
			w := d.word(k)
			words[w], words[strings.ToUpper(w)], words[strings.ToLower(w)] = true, true, true
		}
		for i, q := range d.quotes {
			for w := range words {
				if got, want := d.quoteHasWord(i, w), containsWord(d.text[q.start:q.end], w); got != want {
					t.Fatalf("%s quote %d %q, word %q: quoteHasWord %v, containsWord %v", name, i, d.text[q.start:q.end], w, got, want)
				}
			}
		}
		d.release()
	}
}

// foldedNumbers numbers as a map keyed by strings.ToLower would, whatever
// its cache of recent strings holds, across resets.
func TestFoldedNumbersAgreeWithToLower(t *testing.T) {
	words := []string{"Trump", "TRUMP", "trump", "Clinton", "Hillary Clinton", "hillary clinton", "José", "JOSÉ", "", "a", "A", "Obama", "obama", "Kerry"}
	rng := rand.New(rand.NewPCG(3, 4))
	var f foldedNumbers
	for round := range 20 {
		f.reset()
		want := map[string]int{}
		for n := range 200 {
			w := words[rng.IntN(len(words))]
			key := strings.ToLower(w)
			wantID, wantOK := want[key]
			if !wantOK {
				wantID = len(want)
				want[key] = wantID
			}
			id, ok := f.number(w, len(want)-1)
			if !wantOK {
				// A new string gets the number offered.
				wantID = len(want) - 1
			}
			if id != wantID || ok != wantOK {
				t.Fatalf("round %d call %d: number(%q) = %d, %v, want %d, %v", round, n, w, id, ok, wantID, wantOK)
			}
		}
	}
}
