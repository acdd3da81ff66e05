package topic

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/newsroom-tools/quotes/internal/quote"
)

// token is one word of a text.
type token struct {
	start, end int // byte offsets of the word as shown, possessive 's excluded
	// key is the folded word without dots, hyphens and apostrophes, so that
	// "U.S." meets "US" and "al-Assad" meets "Al Assad" half way.
	key string
	// capital: the word starts with a capital letter, or a particle joined
	// to a capitalised name ("al-Assad", "d'Estaing").
	capital bool
	// caps: every letter is a capital and there are at least two of them.
	caps bool
	// sentenceStart: the word opens a sentence, a line or a quotation, where
	// any word is capitalised.
	sentenceStart bool
	// breakBefore: punctuation separates the word from the one before it,
	// so the two cannot belong to one name.
	breakBefore bool
}

// isAbbreviation reports whether key is a word whose dot ends no sentence
// ("Mr. Kerry").
func isAbbreviation(key string) bool {
	switch key {
	case "mr", "mrs", "ms", "dr", "st", "gen", "sen", "sens", "reps", "rep", "gov", "lt", "col", "capt", "prof", "jr", "sr", "rev", "sgt", "maj", "adm", "mt", "ft":
		return true
	}
	return false
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

func isJoiner(r rune) bool {
	switch r {
	case '-', '‐', '\'', '’', '.':
		return true
	}
	return false
}

// opensClause reports whether a capital after r may be there for r's sake
// alone: after an opening quotation mark or bracket, or a dash ("GENEVA
// (Reuters) — Officials said").
func opensClause(r rune) bool {
	switch r {
	case '"', '“', '„', '«', '‘', '\'', '(', '[', '—', '–', '-':
		return true
	}
	return false
}

// tokenize splits text into words, noting what separates each from the
// one before.
func tokenize(text string) []token {
	toks := make([]token, 0, len(text)/6+1)
	sentenceStart, breakBefore := true, false
	i := 0
	for i < len(text) {
		r, size := utf8.DecodeRuneInString(text[i:])
		if !isWordRune(r) {
			switch {
			// Not after a colon: "Syria talks: Kerry meets Lavrov" is
			// how headlines put names after one.
			case r == '.' || r == '!' || r == '?' || r == '\n' || r == '\r' || opensClause(r):
				sentenceStart, breakBefore = true, true
			// "Procter & Gamble", "Research & Trading": an ampersand joins
			// the words of a name.
			case !unicode.IsSpace(r) && r != '&':
				breakBefore = true
			}
			i += size
			continue
		}
		tok, next, abbreviated := scanWord(text, i)
		tok.sentenceStart, tok.breakBefore = sentenceStart, breakBefore
		toks = append(toks, tok)
		sentenceStart, breakBefore = false, next != tok.end
		i = next
		if abbreviated && next < len(text) && text[next] == '.' {
			i++ // the dot of "Mr." neither ends a sentence nor breaks a name
		}
	}
	return toks
}

// scanWord reads the word starting at start. It returns the token, where
// scanning goes on (past a possessive or a lower-case suffix dropped from
// the token, which then also breaks the name), and whether the word is an
// abbreviation whose dot follows.
func scanWord(text string, start int) (tok token, next int, abbreviated bool) {
	i := start
	segmentLetters := 0 // letters since the last joiner
	hasDot := false     // a dot inside the word, as in "U.S"
	cut := -1           // where a lower-case suffix ("-led") starts
	joinedCapital := false
	first, _ := utf8.DecodeRuneInString(text[start:])
	for i < len(text) {
		r, size := utf8.DecodeRuneInString(text[i:])
		if isWordRune(r) {
			if unicode.IsLetter(r) {
				segmentLetters++
			}
			i += size
			continue
		}
		if !isJoiner(r) || i+size >= len(text) {
			break
		}
		nr, _ := utf8.DecodeRuneInString(text[i+size:])
		if r == '.' {
			if segmentLetters != 1 {
				break
			}
			hasDot = true
			if !isWordRune(nr) {
				i += size // the closing dot of "U.S."
				break
			}
		} else if !isWordRune(nr) {
			break
		}
		// Only a particle joins a capital to make a name of a lower-case
		// word ("al-Assad", "d'Estaing"), or a prefix an adjective, which
		// is no name either ("post-World War II"); "morning-in-America" is
		// neither.
		if prefix := text[start:i]; r != '.' && unicode.IsUpper(nr) && (isNameParticle(wordKey(prefix)) || isAffixPrefix(prefix)) {
			joinedCapital = true
		}
		if (r == '-' || r == '‐') && unicode.IsUpper(first) && unicode.IsLower(nr) && cut < 0 &&
			!isNameSyllable(segmentLetters, text[i+size:]) {
			cut = i
		}
		segmentLetters = 0
		i += size
	}
	end := i
	if cut >= 0 {
		end = cut
	}
	word := text[start:end]
	if n := possessiveLen(word); n > 0 {
		end -= n
		word = text[start:end]
	}
	tok = token{start: start, end: end, key: wordKey(word)}
	tok.capital = unicode.IsUpper(first) || joinedCapital
	tok.caps = isAllCaps(word)
	return tok, i, isAbbreviation(tok.key) && !hasDot && end == i
}

// isNameSyllable reports whether the lower-case part after a hyphen, at
// the start of rest, is the second syllable of a given name ("Ban
// Ki-moon", "Park Geun-hye", "Kim Jong-un"), not a suffix that makes an
// adjective of the name ("Saudi-led", "Bush-era"): both syllables are
// short, and the second is no English word such suffixes use.
// syllableLetters is how many letters the part before the hyphen has.
func isNameSyllable(syllableLetters int, rest string) bool {
	end := strings.IndexFunc(rest, func(r rune) bool { return !unicode.IsLetter(r) })
	if end < 0 {
		end = len(rest)
	}
	second := rest[:end]
	if syllableLetters < 2 || syllableLetters > 4 || utf8.RuneCountInString(second) > 4 || isSkipWord(second) {
		return false
	}
	switch second {
	case "era", "led", "run", "type", "made", "born", "wing", "area", "wide", "free", "side", "term",
		"held", "ish", "day", "war", "year", "old", "time", "zone", "week", "tier", "size", "fest", "gate",
		"eyed", "bred", "owed", "sent", "paid", "hit", "lite", "less", "ism", "isms", "ite", "ites", "ers":
		return false
	}
	return true
}

// isNameParticle reports whether a lower-case word joined by a hyphen or an
// apostrophe to a capitalised one is part of a name: "al-Assad",
// "d'Estaing", "bin-Laden".
func isNameParticle(key string) bool {
	return isParticle(key) || key == "d" || key == "l" || key == "o"
}

// possessiveLen is the length of a trailing 's or ’s.
func possessiveLen(word string) int {
	for _, suffix := range []string{"'s", "’s", "'S", "’S"} {
		if len(word) > len(suffix) && strings.HasSuffix(word, suffix) {
			return len(suffix)
		}
	}
	return 0
}

func isAllCaps(word string) bool {
	letters := 0
	for _, r := range word {
		if unicode.IsLetter(r) {
			if !unicode.IsUpper(r) {
				return false
			}
			letters++
		}
	}
	return letters >= 2
}

// wordKey folds a word and drops the punctuation inside it.
func wordKey(word string) string {
	ascii := true
	for i := 0; i < len(word); i++ {
		if word[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if !ascii {
		word = quote.Fold(word)
	}
	var b strings.Builder
	b.Grow(len(word))
	for _, r := range word {
		switch {
		case isJoiner(r):
		case r >= 'A' && r <= 'Z':
			b.WriteRune(r + ('a' - 'A'))
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
