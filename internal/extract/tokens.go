package extract

import (
	"encoding/binary"
	"math/bits"
	"unicode"
	"unicode/utf8"
)

type tokenKind uint8

const (
	wordToken tokenKind = iota
	punctToken
	// markToken is a character that may be a quotation mark; whether it
	// opens, closes or is an apostrophe is decided by findQuotes.
	markToken
	// breakToken stands for a line break: articles put one paragraph a line.
	breakToken
)

type token struct {
	start, end int
	kind       tokenKind
	flags      tokenFlags
	// class is the word's lexicon class, looked up once.
	class wordClass
}

// tokenFlags are what the later phases ask of a token's text again and
// again, worked out once.
type tokenFlags uint8

const (
	// capitalizedFlag: isCapitalized of the token's text.
	capitalizedFlag tokenFlags = 1 << iota
	// nameWordFlag: a word that can be part of a proper name.
	nameWordFlag
)

// appendToken appends the token of text[start:end], its flags worked out.
//
// The token is written where it lies in the slice, field by field: built
// apart and copied in, the copy's wide loads stalled on the narrow stores
// that had just built it (store-to-load forwarding), a tenth of
// tokenize's time.
func appendToken(toks []token, text string, start, end int, kind tokenKind, class wordClass) []token {
	toks = append(toks, token{})
	t := &toks[len(toks)-1]
	t.start, t.end, t.kind, t.class = start, end, kind, class
	// A line break and the quotation marks have no case: no flags; nor has
	// a token opening with an ASCII byte other than a capital, most of
	// them, which is known here without flagsOf's call.
	if c := text[start]; kind != breakToken && kind != markToken && (c >= utf8.RuneSelf || 'A' <= c && c <= 'Z') {
		t.flags = flagsOf(text[start:end], kind, class)
	}
	return toks
}

// appendWord is appendToken of a word, for tokenize's most frequent case:
// the kind is neither passed nor tested.
func appendWord(toks []token, text string, start, end int, class wordClass) []token {
	toks = append(toks, token{})
	t := &toks[len(toks)-1]
	t.start, t.end, t.kind, t.class = start, end, wordToken, class
	if c := text[start]; c >= utf8.RuneSelf || 'A' <= c && c <= 'Z' {
		t.flags = flagsOf(text[start:end], wordToken, class)
	}
	return toks
}

func (t *token) setFlags(text string) { t.flags = flagsOf(text[t.start:t.end], t.kind, t.class) }

// flagsOf is the flags of a token w of kind kind and lexicon class class.
func flagsOf(w string, kind tokenKind, class wordClass) tokenFlags {
	if c := w[0]; c < utf8.RuneSelf && (c < 'A' || c > 'Z') || !isCapitalized(w) {
		// The first test is isCapitalized's for ASCII, without the call.
		return 0
	}
	flags := capitalizedFlag
	if kind == wordToken && !(len(w) > 4 && isUpperCase(w)) && (class&commonCapital == 0 || class&title != 0) {
		flags |= nameWordFlag
	}
	return flags
}

// tokenize splits text into words, punctuation, quotation marks and line
// breaks. Apostrophes inside words (shouldn’t, Russia’s) and elisions before
// digits (’90s) stay in their word, so they never look like quotation marks.
//
// It appends to *markBreaks the index of every quotation mark and line
// break, in order: pairing the marks a paragraph at a time reads them and
// no other token, a few in a hundred. (Through a pointer, the slice takes
// no registers from the loop over the text, which spilled when it did.)
func tokenize(text string, toks []token, markBreaks *[]int32) []token {
	i := 0
	for i < len(text) {
		if text[i] == ' ' {
			// Most often, between words.
			i++
			continue
		}
		// decodeRune written out: the call costs more than ASCII's decoding.
		r, size := rune(text[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(text[i:])
		}
		switch {
		// Words first, the most tokens: no line break or space is a word
		// rune, so the order of the cases does not change what they find.
		case isWordRune(r):
			end, class := scanWordClass(text, i)
			if end < len(text) && text[end] == '.' && isTitleAbbreviation(text[i:end], class) {
				// classOf takes the stop off again: the class stays.
				end++
			}
			toks = appendWord(toks, text, i, end, class)
			i = end
		case r == '\n':
			j := i + size
			for j < len(text) {
				r2, s2 := decodeRune(text, j)
				if r2 != '\n' && !isSpace(r2) {
					break
				}
				j += s2
			}
			*markBreaks = append(*markBreaks, int32(len(toks)))
			toks = appendToken(toks, text, i, i+1, breakToken, 0)
			i = j
		case isSpace(r):
			i += size
		case isApostrophe(r) && startsElision(text, i+size):
			end := scanWord(text, i+size)
			toks = appendToken(toks, text, i, end, wordToken, classOf(text[i:end]))
			i = end
		case r == '\'' && i+1 < len(text) && text[i+1] == '\'':
			// Some wires write a double quotation mark as two apostrophes.
			*markBreaks = append(*markBreaks, int32(len(toks)))
			toks = appendToken(toks, text, i, i+2, markToken, 0)
			i += 2
		case isMarkRune(r):
			*markBreaks = append(*markBreaks, int32(len(toks)))
			toks = appendToken(toks, text, i, i+size, markToken, 0)
			i += size
		case r == '<' && markupEnd(text, i) > 0:
			// Embedded markup (<tweet id="…">) is neither words nor quotes.
			end := markupEnd(text, i)
			toks = appendToken(toks, text, i, end, punctToken, 0)
			i = end
		default:
			toks = appendToken(toks, text, i, i+size, punctToken, 0)
			i += size
		}
	}
	return toks
}

func decodeRune(s string, i int) (rune, int) {
	if c := s[i]; c < utf8.RuneSelf {
		return rune(c), 1
	}
	return utf8.DecodeRuneInString(s[i:])
}

func isSpace(r rune) bool {
	switch r {
	case ' ', '\t', '\r', '\v', '\f', 0xa0, 0x2009, 0x200a, 0x202f, 0x200b:
		return true
	}
	return r > 0x7f && !isPunctuationMark(r) && unicode.IsSpace(r)
}

// isPunctuationMark reports whether r is one of the dashes, quotation
// marks and apostrophes from ‐ to ‧ (U+2010 to U+2027), which articles
// write all the time and which are neither spaces nor word runes: known
// without a search of the unicode tables.
func isPunctuationMark(r rune) bool { return 0x2010 <= r && r <= 0x2027 }

// isWordRune is kept small enough to inline: ASCII, most of any article,
// is one table load.
func isWordRune(r rune) bool {
	if uint32(r) < utf8.RuneSelf {
		return asciiWordByte[r]
	}
	return isWordRuneUnicode(r)
}

func isWordRuneUnicode(r rune) bool {
	if isPunctuationMark(r) {
		return false
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// asciiWordByte marks the ASCII letters and digits.
var asciiWordByte = func() (t [utf8.RuneSelf]bool) {
	for c := range t {
		t[c] = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
	}
	return t
}()

func isApostrophe(r rune) bool { return r == '\'' || r == '’' || r == 'ʼ' }

func isMarkRune(r rune) bool {
	switch r {
	case '"', '“', '”', '„', '«', '»', '\'', '‘', '’', '‚', '‹', '›':
		return true
	}
	return false
}

// startsElision reports whether an apostrophe before i begins an elided
// year such as ’90s rather than a quotation.
func startsElision(text string, i int) bool {
	digits := 0
	for i < len(text) && '0' <= text[i] && text[i] <= '9' {
		digits++
		i++
	}
	if digits != 2 {
		return false
	}
	return i == len(text) || text[i] == 's' || !isWordRune(rune(text[i]))
}

// scanWord returns the end of the word starting at i. A word keeps inner
// apostrophes and hyphens, decimal points and thousands separators, and the
// dots of initialisms like U.S. so that they do not end sentences.
func scanWord(text string, i int) int { return scanWordFrom(text, i, i) }

// scanWordFrom is scanWord of the word at start whose letters and digits
// up to i are scanned already.
func scanWordFrom(text string, start, i int) int {
	initialism := true
	for i < len(text) {
		c := text[i]
		if c < utf8.RuneSelf && asciiWordByte[c] {
			i++
			continue
		}
		if c < utf8.RuneSelf && !carriesWordOn(c) {
			// The word ends here, as the switch below would find.
			return i
		}
		r, size := decodeRune(text, i)
		if isWordRune(r) {
			i += size
			continue
		}
		next := rune(0)
		if i+size < len(text) {
			next, _ = decodeRune(text, i+size)
		}
		switch {
		case isApostrophe(r) && isWordRune(next) && i > start:
			initialism = false
			i += size
		case (r == '-' || r == '‐') && isWordRune(next):
			initialism = false
			i += size
		case isMojibakeTail(text[start:i], r):
			i += size
		case (r == ',' || r == '.' || r == '/') && isDigit(next) && isDigit(lastRune(text[start:i])):
			i += size
		case r == '.' && initialism && singleLetterBefore(text, start, i):
			// U.S., D.C., U.S.A.: keep the dot; a following letter keeps going.
			i += size
			if !isWordRune(next) {
				return i
			}
		default:
			return i
		}
	}
	return i
}

// isMojibakeTail reports whether r is the second half of a letter whose
// UTF-8 bytes were read as Latin-1 and written again ("PeÃ±a" for Peña,
// "TrÃ©vidic" for Trévidic): a byte from 0x80 to 0xBF after a lead byte
// from 0xC2 to 0xDF, which Latin-1 calls a symbol ("±", "©") and would end
// the word, and the name, in the middle.
func isMojibakeTail(before string, r rune) bool {
	if r < 0x80 || r > 0xbf {
		return false
	}
	lead, _ := utf8.DecodeLastRuneInString(before)
	return 0xc2 <= lead && lead <= 0xdf
}

// carriesWordOn reports whether the ASCII non-word byte c may carry a word
// on (an apostrophe, a hyphen, a decimal point or separator, an
// initialism's dot): any other ends it.
func carriesWordOn(c byte) bool {
	switch c {
	case '\'', '-', ',', '.', '/':
		return true
	}
	return false
}

// scanWordClass is scanWord and classOf of the word at i in one pass for
// most words: the ASCII letters and digits that open a word, often the
// whole of it, are folded and keyed as they are scanned.
func scanWordClass(text string, i int) (int, wordClass) {
	var folded [maxLexiconWord]byte
	var key uint64
	n, scanned := 0, false
	if i+8 <= len(text) {
		// Most words are shorter than eight bytes: read eight at once, and
		// the word's end is found without a branch a byte, whose exit,
		// after as many bytes as the word has, no branch predictor foresees.
		lower, nonWord := foldEight(load64(text, i))
		binary.LittleEndian.PutUint64(folded[:8], lower)
		if nonWord != 0 {
			n = bits.TrailingZeros64(nonWord) / 8
			key = lower & (uint64(1)<<(8*n) - 1)
			scanned = true
		} else {
			// Eight letters or digits, folded and keyed already: the
			// loop below goes on from the ninth.
			n, key = 8, lower
		}
	}
	if !scanned {
		// Indexed in a slice of its own, the text needs no bounds check a
		// byte.
		head := text[i:min(len(text), i+len(folded))]
		for ; n < len(head); n++ {
			c := asciiWordLower[head[n]]
			if c == 0 {
				break
			}
			folded[n&(maxLexiconWord-1)] = c
			key = withKeyByte(key, n, c)
		}
	}
	end := i + n
	if end < len(text) && mayContinueWord[text[end]] {
		// Most words end at a space or a mark that cannot carry them on,
		// known here without scanWordFrom's call.
		end = scanWordFrom(text, i, end)
	}
	if end != i+n {
		return end, classOf(text[i:end])
	}
	// classOfFolded, with the lexicon's lookup written out here: most
	// words it lists cost no call.
	if c, ok := lexicon.find(folded[:n], key); ok {
		return end, c
	}
	return end, classOfUnlisted(text[i:end], folded[:n], key, false)
}

// load64 is the eight bytes of s from i, little-endian; the compiler
// makes it one load.
func load64(s string, i int) uint64 {
	s = s[i : i+8]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// foldEight is asciiWordLower of each of w's eight bytes at once: lower
// holds the bytes with ASCII capitals in lower case, and nonWord the top
// bit of each byte that is no ASCII letter or digit.
func foldEight(w uint64) (lower, nonWord uint64) {
	const (
		ones  = 0x0101010101010101
		highs = 0x8080808080808080
	)
	v := w &^ highs
	// v + (0x80-x)*ones has a byte's top bit set where that byte of v is
	// at least x: v's bytes are below 0x80, so no sum carries into the
	// next. Written out, not in a helper, foldEight inlines.
	ascii := ^w & highs
	upper := (v + (0x80-'A')*ones) &^ (v + (0x80-'Z'-1)*ones) & ascii
	lowerCase := (v + (0x80-'a')*ones) &^ (v + (0x80-'z'-1)*ones) & ascii
	digit := (v + (0x80-'0')*ones) &^ (v + (0x80-'9'-1)*ones) & ascii
	// A capital's top bit, shifted to 0x20, is the bit that lowers it.
	return w | upper>>2, highs &^ (upper | lowerCase | digit)
}

// mayContinueWord marks the bytes a word may go on past: ASCII letters and
// digits, those that carry a word on (carriesWordOn) and every byte of a
// non-ASCII rune, which scanWordFrom decodes.
var mayContinueWord = func() (t [256]bool) {
	for c := range t {
		t[c] = c >= utf8.RuneSelf || asciiWordByte[c] || carriesWordOn(byte(c))
	}
	return t
}()

// asciiWordLower is the lower case of each ASCII letter and digit, and 0
// for every other byte.
var asciiWordLower = func() (t [256]byte) {
	for c := range utf8.RuneSelf {
		if asciiWordByte[c] {
			t[c] = asciiLower[c]
		}
	}
	return t
}()

func isDigit(r rune) bool { return '0' <= r && r <= '9' }

func lastRune(s string) rune {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}

// singleLetterBefore reports whether the stretch of text[start:i] since the
// last dot is one upper-case letter, the shape of an initialism's part.
func singleLetterBefore(text string, start, i int) bool {
	j := i - 1
	if j < start {
		return false
	}
	c := text[j]
	if c < 'A' || c > 'Z' {
		return false
	}
	return j == start || text[j-1] == '.'
}

// markupEnd returns the end of an HTML-like tag starting at i, or 0.
func markupEnd(text string, i int) int {
	if i+1 >= len(text) {
		return 0
	}
	c := text[i+1]
	if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '/') {
		return 0
	}
	for j := i + 1; j < len(text) && j < i+4000; j++ {
		switch text[j] {
		case '>':
			return j + 1
		case '\n', '<':
			return 0
		}
	}
	return 0
}

// isTitleAbbreviation reports whether word, of lexicon class class, is a
// title written with a full stop (Mr., Sen., Gov.), whose stop belongs to
// the name, not the sentence.
func isTitleAbbreviation(word string, class wordClass) bool {
	if len(word) > 5 || !isCapitalized(word) {
		return false
	}
	return class&title != 0 && class&abbreviation != 0
}
