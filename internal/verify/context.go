package verify

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxContextBytes bounds the context shown with a match: enough for the
// sentence holding the quote and its neighbours, small enough that five
// matches stay a short response.
const maxContextBytes = 400

// contextAround returns the sentences of text around the quote at
// [start, end), at most maxContextBytes long, or "" when the offsets do not
// point at quoted in text (an article re-uploaded since the quote was read).
func contextAround(text string, start, end int, quoted string) string {
	if start < 0 || start > end || end > len(text) || text[start:end] != quoted {
		return ""
	}
	if end-start >= maxContextBytes {
		cut := start + maxContextBytes
		for cut > start && !utf8.RuneStart(text[cut]) {
			cut--
		}
		return strings.TrimSpace(text[start:cut])
	}

	lowest := max(0, start-maxContextBytes)
	left, leftIsSentence := lowest, lowest == 0
	for k := start - 1; k >= lowest; k-- {
		if _, next, ok := sentenceBreak(text, k); ok && next <= start {
			left, leftIsSentence = next, true
			break
		}
	}
	highest := min(len(text), end+maxContextBytes)
	right, rightIsSentence := highest, highest == len(text)
	for k := max(start, end-1); k < highest; k++ {
		if stop, _, ok := sentenceBreak(text, k); ok && stop >= end {
			right, rightIsSentence = stop, true
			break
		}
	}

	if right-left > maxContextBytes {
		// Share what the quote leaves of the budget between both sides,
		// giving one side's unused share to the other.
		budget := maxContextBytes - (end - start)
		before, after := start-left, right-end
		takeBefore := min(before, budget/2)
		takeAfter := min(after, budget-takeBefore)
		takeBefore = min(before, budget-takeAfter)
		if takeBefore < before {
			left, leftIsSentence = start-takeBefore, false
		}
		if takeAfter < after {
			right, rightIsSentence = end+takeAfter, false
		}
	}
	if !leftIsSentence {
		left = wordStartFrom(text, left, start)
	}
	if !rightIsSentence {
		right = wordEndBefore(text, right, end)
	}
	return strings.TrimSpace(text[left:right])
}

// sentenceBreak reports whether a sentence ends at text[k]: a line break,
// or ".", "!" or "?" followed by any closing marks, whitespace, and then a
// capital, a digit or an opening mark (so "U.S. officials" does not break).
// stop is where the sentence ends, next where the following one starts.
func sentenceBreak(text string, k int) (stop, next int, ok bool) {
	switch text[k] {
	case '\n':
		return k, k + 1, true
	case '.', '!', '?':
	default:
		return 0, 0, false
	}
	i := k + 1
	for i < len(text) {
		r, size := utf8.DecodeRuneInString(text[i:])
		if !strings.ContainsRune(`”"’'»)]`, r) {
			break
		}
		i += size
	}
	stop = i
	for i < len(text) {
		r, size := utf8.DecodeRuneInString(text[i:])
		if !unicode.IsSpace(r) {
			break
		}
		i += size
	}
	if i == len(text) {
		return stop, i, true
	}
	if i == stop {
		return 0, 0, false
	}
	r, _ := utf8.DecodeRuneInString(text[i:])
	if unicode.IsUpper(r) || unicode.IsDigit(r) || strings.ContainsRune(`“"‘'«([`, r) {
		return stop, i, true
	}
	return 0, 0, false
}

// wordStartFrom moves i forward to the start of a word (just after
// whitespace), stopping at limit, so a cut context does not begin mid-word.
func wordStartFrom(text string, i, limit int) int {
	for i < limit && i > 0 && !isSpaceByte(text[i-1]) {
		i++
	}
	return i
}

// wordEndBefore moves i back to the end of a word (just before whitespace),
// stopping at limit.
func wordEndBefore(text string, i, limit int) int {
	for i > limit && i < len(text) && !isSpaceByte(text[i]) {
		i--
	}
	return i
}

func isSpaceByte(b byte) bool { return b == ' ' || b == '\n' || b == '\t' || b == '\r' }
