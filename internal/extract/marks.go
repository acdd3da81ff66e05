package extract

import (
	"strings"
	"unicode/utf8"
)

type markRole uint8

const (
	notMark markRole = iota
	opening
	closing
	// either is a straight mark whose surroundings do not say which way it
	// faces; the pairing state decides.
	either
)

// maxAttributeBytes bounds a markup attribute's value (tweet-date="…"):
// a mark right after an equals sign that finds no partner this close
// is read as a quotation mark after all.
const maxAttributeBytes = 300

// quoteSpan is one stretch of quoted words between a pair of marks.
type quoteSpan struct {
	open, close int // token indexes of the marks; close is -1 when a paragraph end closed it
	start, end  int // byte offsets of the words inside the marks
	// continues marks a quote that reopens one left open at the previous
	// paragraph's end: the same speaker is still talking.
	continues bool
}

// markFamily groups the characters used as outer quotation marks.
type markFamily uint8

const (
	doubleMarks markFamily = iota
	singleMarks
)

func familyOf(r rune) (markFamily, bool) {
	switch r {
	case '"', '“', '”', '„', '«', '»':
		return doubleMarks, true
	case '\'', '‘', '’', '‚', '‹', '›':
		return singleMarks, true
	}
	return 0, false
}

// roleOf says whether the mark at token k opens or closes a quotation,
// from its shape or, for straight marks, from whether it hugs the word
// before or the word after it.
func (d *doc) roleOf(k int) markRole {
	r := d.markRune(k)
	before := k > 0 && d.toks[k-1].end == d.toks[k].start && attachesForward(d, k-1)
	after := k+1 < len(d.toks) && d.toks[k+1].start == d.toks[k].end && attachesBackward(d, k+1)
	switch r {
	case '“', '„', '«', '‘', '‚', '‹':
		if before && !after && r == '“' && (k+1 == len(d.toks) || d.toks[k+1].start > d.toks[k].end) {
			// An opening mark typed where a closing one belongs: here,“ said
			return closing
		}
		return opening
	case '”', '»', '›':
		return closing
	}
	switch {
	case after && !before:
		return opening
	case before && !after:
		return closing
	case r == '’':
		return closing
	}
	return either
}

// attachesForward reports whether token k can be the end of a quotation
// that a mark right after it closes.
func attachesForward(d *doc, k int) bool {
	t := d.toks[k]
	switch t.kind {
	case wordToken:
		return true
	case punctToken:
		switch d.text[t.start] {
		case '.', ',', ';', ':', '!', '?', ')', ']':
			return true
		}
		return strings.HasPrefix(d.text[t.start:], "…")
	}
	return false
}

// attachesBackward reports whether token k can begin a quotation that a
// mark right before it opens.
func attachesBackward(d *doc, k int) bool {
	t := d.toks[k]
	switch t.kind {
	case wordToken:
		return true
	case punctToken:
		switch d.text[t.start] {
		case '(', '[', '$':
			return true
		}
		return strings.HasPrefix(d.text[t.start:], "…")
	case markToken:
		switch d.markRune(k) {
		case '“', '„', '«', '‘', '‚', '‹':
			return true
		}
	}
	return false
}

// chooseFamily picks the marks an article quotes with: single marks only
// when they open more quotations than double marks could (British style),
// so that apostrophes never start quotes in an article using double marks.
func (d *doc) chooseFamily() markFamily {
	doubles, singleOpens := 0, 0
	for _, mb := range d.markBreaks {
		k := int(mb)
		if d.toks[k].kind != markToken {
			continue
		}
		fam, _ := familyOf(d.markRune(k))
		if fam == doubleMarks {
			doubles++
		} else if d.roleOf(k) == opening {
			singleOpens++
		}
	}
	if singleOpens > doubles {
		return singleMarks
	}
	return doubleMarks
}

// findQuotes pairs the article's quotation marks paragraph by paragraph.
// Marks of the other family are left alone as nested quotes; a mark left
// open closes at its paragraph's end, and when the next paragraph reopens
// with a mark the quote is taken to run on.
func (d *doc) findQuotes() {
	d.markFamily = d.chooseFamily()
	family := d.markFamily
	if family == doubleMarks {
		d.joinPluralPossessives()
	}
	marks, roles := d.bufs.marks, d.bufs.roles
	defer func() { d.bufs.marks, d.bufs.roles = marks, roles }()
	continuing := false
	paraStart := 0
	// attrValue is the mark that opened a markup attribute's value
	// (tweet-date="…), 0 outside one: its closing mark may sit on a later
	// line, where the tag is no longer recognised as markup.
	var attrValue rune
	attrStart := 0
	marks, roles = marks[:0], roles[:0]
	// The marks and the line breaks that end paragraphs, not every token.
	for _, mb := range d.markBreaks {
		k := int(mb)
		if d.toks[k].kind == breakToken {
			continuing = d.pairParagraph(marks, roles, paraStart, k, continuing)
			marks, roles = marks[:0], roles[:0]
			paraStart = k + 1
			continue
		}
		r := d.markRune(k)
		start := d.toks[k].start
		if attrValue != 0 && start-attrStart > maxAttributeBytes {
			// Never closed: an equals sign before a quote, not markup.
			attrValue = 0
		}
		if attrValue != 0 {
			if r == attrValue {
				attrValue = 0
			}
			continue
		}
		if start > 0 && d.text[start-1] == '=' {
			attrValue, attrStart = r, start
			continue
		}
		if fam, _ := familyOf(r); fam == family {
			marks = append(marks, k)
			roles = append(roles, d.roleOf(k))
		}
	}
	if paraStart < len(d.toks) {
		d.pairParagraph(marks, roles, paraStart, len(d.toks), continuing)
	}
}

// pairParagraph adds the quotes of one paragraph and reports whether its
// last quote runs on into the next paragraph.
func (d *doc) pairParagraph(marks []int, roles []markRole, paraStart, paraEnd int, continuing bool) bool {
	depth, outer := 0, -1
	startsWithMark := len(marks) > 0 && marks[0] == paraStart
	for i, k := range marks {
		role := roles[i]
		if depth == 0 {
			if role == closing {
				continue
			}
			depth, outer = 1, k
			continue
		}
		if role == opening {
			if closersAfter(roles[i+1:]) > depth {
				depth++
				continue
			}
			// The quote before was never closed: end it here and start anew.
			d.addQuote(outer, -1, d.toks[k].start, continuing && outer == paraStart && startsWithMark)
			continuing = false
			outer = k
			continue
		}
		depth--
		if depth == 0 {
			d.addQuote(outer, k, d.toks[k].start, continuing && outer == paraStart && startsWithMark)
			continuing = false
		}
	}
	if depth == 0 {
		return false
	}
	end := len(d.text)
	if paraEnd < len(d.toks) {
		end = d.toks[paraEnd].start
	}
	d.addQuote(outer, -1, end, continuing && outer == paraStart && startsWithMark)
	next := paraEnd + 1
	if next >= len(d.toks) || d.toks[next].kind != markToken {
		return false
	}
	fam, _ := familyOf(d.markRune(next))
	return fam == d.markFamily && d.roleOf(next) != closing
}

func closersAfter(roles []markRole) int {
	n := 0
	for _, r := range roles {
		if r != opening {
			n++
		}
	}
	return n
}

// addQuote records the words between the mark at token open and end,
// trimmed of spaces; empty quotes are dropped.
func (d *doc) addQuote(open, close, end int, continues bool) {
	start := d.toks[open].end
	for start < end {
		r, size := decodeRune(d.text, start)
		if !isSpace(r) && r != '\n' {
			break
		}
		start += size
	}
	for end > start {
		r, size := utf8.DecodeLastRuneInString(d.text[start:end])
		if !isSpace(r) && r != '\n' {
			break
		}
		end -= size
	}
	if start >= end {
		return
	}
	d.quotes = append(d.quotes, quoteSpan{open: open, close: close, start: start, end: end, continues: continues})
}

// markRune is the mark at token k, with two apostrophes read as '"'.
func (d *doc) markRune(k int) rune {
	t := d.toks[k]
	if t.end-t.start == 2 && d.text[t.start] == '\'' {
		return '"'
	}
	r, _ := decodeRune(d.text, t.start)
	return r
}

// joinPluralPossessives folds an apostrophe that ends a plural possessive
// (Sanders' campaign, the Russians’ plan) into its word, in an article
// whose quotation marks are double, so it neither looks like a quotation
// mark nor breaks a name.
func (d *doc) joinPluralPossessives() {
	// Compacted in place, from mark to mark: the tokens between two are
	// moved up in one copy, and only once one before them has been folded
	// away. n is where the next token kept goes, next the first token not
	// yet moved; markBreaks is renumbered as it goes.
	toks := d.toks
	n, next := 0, 0
	kept := d.markBreaks[:0]
	for _, mb := range d.markBreaks {
		k := int(mb)
		if next != n {
			copy(toks[n:], toks[next:k])
		}
		n, next = n+k-next, k
		if t := &toks[k]; t.kind == markToken && n > 0 && k+1 < len(toks) {
			prev := &toks[n-1]
			r := d.markRune(k)
			if (r == '\'' || r == '’') && prev.kind == wordToken && prev.end == t.start &&
				(d.text[prev.end-1] == 's' || d.text[prev.end-1] == 'S') && toks[k+1].start > t.end {
				prev.end = t.end
				prev.setFlags(d.text)
				next = k + 1
				continue
			}
		}
		kept = append(kept, int32(n))
	}
	if next != n {
		copy(toks[n:], toks[next:])
	}
	d.toks, d.markBreaks = toks[:n+len(toks)-next], kept
}
