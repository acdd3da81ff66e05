package extract

import (
	"strings"
	"testing"
	"unicode"
)

// The shortcut past the unicode tables answers as they do.
func TestPunctuationMarksAreNeitherSpacesNorWordRunes(t *testing.T) {
	for r := rune(0x2010); r <= 0x2027; r++ {
		if !isPunctuationMark(r) {
			t.Fatalf("isPunctuationMark(%U) = false", r)
		}
		if unicode.IsSpace(r) || unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) {
			t.Errorf("%U is a space or a word rune", r)
		}
	}
	for _, r := range []rune{0x200f, 0x2028} {
		if isPunctuationMark(r) {
			t.Errorf("isPunctuationMark(%U) = true", r)
		}
	}
}

// wordGender turns away words by their first letter; every gendered word
// must open with one it lets through.
func TestGenderedWordsOpenWithMHOrS(t *testing.T) {
	for _, list := range [][]string{maleWords, femaleWords} {
		for _, w := range list {
			if c := w[0]; c != 'm' && c != 'h' && c != 's' {
				t.Errorf("%q opens with %q: wordGender's shortcut must let it through", w, c)
			}
			if wordGender(w) == unknownGender || wordGender(strings.ToUpper(w)+".") == unknownGender {
				t.Errorf("wordGender(%q) is unknown", w)
			}
		}
	}
}

func TestTrimPossessive(t *testing.T) {
	for in, want := range map[string]string{
		"": "", "John Kerry’s": "John Kerry", "Kerry's": "Kerry", "Sanders’": "Sanders", "Sanders'": "Sanders",
		"Kerry": "Kerry", "Russians": "Russians", "’": "", "José": "José",
	} {
		if got := trimPossessive(in); got != want {
			t.Errorf("trimPossessive(%q) = %q, want %q", in, got, want)
		}
	}
}

// tokenize tries words before line breaks and spaces: no rune may be both.
func TestNoSpaceIsAWordRune(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if isWordRune(r) && (r == '\n' || isSpace(r)) {
			t.Errorf("%U is both a word rune and a space", r)
		}
	}
}

// class and isNameWord test only the bounds: no token but a word may have
// a class or the name-word flag.
func TestOnlyWordsHaveAClassOrTheNameFlag(t *testing.T) {
	texts := seedArticles(t)
	texts["marks"] = "“Mr. Kerry’s ’90s plan,” he said — <tweet id='1'>USA</tweet> ''Yes.'' Sanders' team: “No.”\n\n«Oui», dit-il."
	for name, text := range texts {
		d := newDoc(text)
		if d == nil {
			t.Fatalf("%s: no quote", name)
		}
		for k, tok := range d.toks {
			if tok.kind != wordToken && (tok.class != 0 || tok.flags&nameWordFlag != 0) {
				t.Errorf("%s: token %d %q of kind %d has class %b, flags %b", name, k, d.word(k), tok.kind, tok.class, tok.flags)
			}
		}
		d.release()
	}
}

func TestScanWordKeepsMojibakeLetters(t *testing.T) {
	tests := []struct {
		text, want string
	}{
		{"PeÃ±a Nieto", "PeÃ±a"},        // ñ read as Latin-1
		{"TrÃ©vidic said", "TrÃ©vidic"}, // é
		{"Sarkozy ± 2", "Sarkozy"},
		{"5±2", "5"}, // a symbol after an ASCII letter or digit still ends the word
		{"Peña Nieto", "Peña"},
	}
	for _, tt := range tests {
		if got := tt.text[:scanWord(tt.text, 0)]; got != tt.want {
			t.Errorf("scanWord(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

// TestLexiconLeavesHalfTheSlotsEmpty guards the lexicon table's size: a
// lookup of a word not in it, most words, ends at the first empty slot,
// and a full table would never end one.
func TestLexiconLeavesHalfTheSlotsEmpty(t *testing.T) {
	words := len(buildLexicon())
	if 2*words > lexiconSlots {
		t.Fatalf("the lexicon has %d words for %d slots; raise lexiconBits", words, lexiconSlots)
	}
	used := 0
	for _, s := range lexicon.slots {
		if s.length != 0 {
			used++
		}
	}
	if used != words {
		t.Errorf("the table holds %d words, want %d", used, words)
	}
}

// TestOrgWordSurnamesAreOrganisationWords guards isOrgWordSurname's first
// test, which passes over every token that is no organisation word.
func TestOrgWordSurnamesAreOrganisationWords(t *testing.T) {
	for _, w := range orgWordSurnames {
		if classOf(w)&orgHead == 0 {
			t.Errorf("%q is in orgWordSurnames but no organisation word", w)
		}
	}
}

// TestVerbParticlesOpenWithTheLettersParticleOfTests guards particleOf's
// first test, which turns away a verb by its first letter.
func TestVerbParticlesOpenWithTheLettersParticleOfTests(t *testing.T) {
	for _, p := range verbParticles {
		if particleOf(p.prefix) != p.particle {
			t.Errorf("particleOf(%q) = %q, want %q", p.prefix, particleOf(p.prefix), p.particle)
		}
	}
}
