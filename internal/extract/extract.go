// Package extract finds the direct quotes in a news article and works out,
// within the article, who said each of them: tokens, quotation-mark
// pairing and speech-verb cues find each quote and the mention of its
// speaker; entity chains and a learned ranker (resolver.json, fitted by
// cmd/train-resolver) decide whom the mention means. README.md has the
// phases and the measurements.
package extract

import (
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/newsroom-tools/quotes/internal/quote"
)

// maxContext bounds Quote.Context in bytes.
const maxContext = 400

// doc is one article being processed.
type doc struct {
	text string
	toks []token
	// markBreaks indexes the quotation marks and line breaks among toks,
	// in order (tokenize; joinPluralPossessives renumbers it).
	markBreaks []int32
	quotes     []quoteSpan
	markFamily markFamily
	// quoteOf maps each token to the quote whose marks enclose it, or -1.
	quoteOf []int32
	// sentence numbers each token's sentence; quoted words share the
	// sentence of their marks.
	sentence []int32
	// sentenceStarts holds, by sentence number, each sentence's first
	// token, and one past the last token after the last sentence's.
	sentenceStarts []int32
	// mentions are the names the article introduces outside quotes.
	mentions []mention
	// headlineEnd is the end of the article's first line when it is set as
	// a headline, else 0; fullName asks for it with every surname.
	headlineEnd int
	// surnames indexes mentions for fullName.
	surnames *surnameIndex
	// reports are the speakers of speech verbs outside quotes, whether or not
	// a quote follows: they are antecedents for quotes that name nobody.
	reports []attribution
	// spans is the slab spanOf hands out Evidence spans from.
	spans []quote.Span
	// quotePairsReady says bufs.quotePairs is set up for this article's
	// quotes.
	quotePairsReady bool
	// pronounsReady says bufs.pronounAfter is set up for this article.
	pronounsReady bool
	// bufs is the room, taken from a pool and given back to it, for the
	// slices above and the later phases' own.
	bufs *docBuffers
}

// docBuffers are a doc's slices, reused from one article to the next:
// allocated afresh they were most of the extractor's garbage.
type docBuffers struct {
	toks                         []token
	markBreaks                   []int32
	quotes                       []quoteSpan
	marks                        []int
	roles                        []markRole
	quoteOf, sentence, paragraph []int32
	sentenceStarts               []int32
	// pronounAfter holds, a token each, 1 + pronounAfter of a name
	// ending before it, 0 where not yet worked out.
	pronounAfter []gender
	runs         []tokenRange
	mentions     []mention
	reports      []attribution
	reportOrder  []*attribution
	entities     []entity
	kept         []int
	attrs        []attribution
	surnames     surnameIndex
	names        foldedNumbers
	quotePairs   quotePairs
	firstNames   firstNameCache
	midSentence  map[string]bool
	candidateBuffers
	// The article's doc and resolver, and the resolver's name ids of the
	// rules' speakers, live here too: allocated afresh for every article
	// they were a fifth of the allocations.
	doc                           doc
	resolver                      resolver
	quoteSpeakers, reportSpeakers []int
}

// tokenRange is tokens [from, to).
type tokenRange struct{ from, to int }

var docBufferPool = sync.Pool{New: func() any { return new(docBuffers) }}

// zeroed resizes *buf to n zeroed elements, as make would give,
// reallocating only when it is too small.
func zeroed[T any](buf *[]T, n int) []T {
	if cap(*buf) < n {
		*buf = make([]T, n)
		return *buf
	}
	*buf = (*buf)[:n]
	clear(*buf)
	return *buf
}

// resized resizes *buf to n elements for a caller that sets every one of
// them, reallocating only when it is too small: unlike zeroed, it does
// not clear them first.
func resized[T any](buf *[]T, n int) []T {
	if cap(*buf) < n {
		*buf = make([]T, n)
	}
	*buf = (*buf)[:n]
	return *buf
}

// release returns d's slices to the pool; d is unusable after.
func (d *doc) release() {
	bufs := d.bufs
	bufs.toks, bufs.quotes, bufs.mentions, bufs.reports = d.toks[:0], d.quotes[:0], d.mentions[:0], d.reports[:0]
	bufs.markBreaks = d.markBreaks[:0]
	// d and the resolver are the pool's: cleared before another article
	// may take them, and so that they keep none of this one's text alive.
	*d = doc{}
	bufs.resolver = resolver{}
	docBufferPool.Put(bufs)
}

// newDoc runs the phases up to attribution: tokens, quotes, sentences,
// names and speech verbs. It is nil when text holds no quote.
func newDoc(text string) *doc {
	bufs := docBufferPool.Get().(*docBuffers)
	d := &bufs.doc
	*d = doc{text: text, bufs: bufs}
	// Every buffer release hands back is taken here, so that an article
	// with no quote, released early, keeps the room the others grew.
	d.reports, d.mentions = d.bufs.reports[:0], d.bufs.mentions[:0]
	d.quotes = d.bufs.quotes[:0]
	toks := d.bufs.toks[:0]
	if cap(toks) < len(text)/5+1 {
		toks = make([]token, 0, len(text)/5+1)
	}
	d.markBreaks = d.bufs.markBreaks[:0]
	d.toks = tokenize(text, toks, &d.markBreaks)
	d.findQuotes()
	if len(d.quotes) == 0 {
		d.release()
		return nil
	}
	d.indexQuotes()
	d.splitSentences()
	d.collectMentions()
	d.collectReports()
	return d
}

// tableGender is the first-name table's gender for word, through the doc's
// cache.
func (d *doc) tableGender(word string) gender { return d.bufs.firstNames.gender(word) }

func (d *doc) word(k int) string { return d.text[d.toks[k].start:d.toks[k].end] }

// capitalized is isCapitalized of token k's text.
func (d *doc) capitalized(k int) bool { return d.toks[k].flags&capitalizedFlag != 0 }

func (d *doc) isWord(k int) bool {
	return uint(k) < uint(len(d.toks)) && d.toks[k].kind == wordToken
}

// class is the lexicon class of token k, zero for anything but a word:
// tokenize gives no other token a class, so only the bounds are tested.
func (d *doc) class(k int) wordClass {
	if uint(k) >= uint(len(d.toks)) {
		return 0
	}
	return d.toks[k].class
}

// is reports whether token k is the word lower, in any case.
func (d *doc) is(k int, lower string) bool {
	// One unsigned comparison for both bounds, and the length before the
	// word is sliced: most tokens differ in it.
	if uint(k) >= uint(len(d.toks)) {
		return false
	}
	t := &d.toks[k]
	return t.kind == wordToken && t.end-t.start == len(lower) && lowerEqual(d.text[t.start:t.end], lower)
}

func (d *doc) isPunct(k int, c byte) bool {
	return uint(k) < uint(len(d.toks)) && d.toks[k].kind == punctToken && d.text[d.toks[k].start] == c
}

func (d *doc) isDash(k int) bool {
	if uint(k) >= uint(len(d.toks)) || d.toks[k].kind != punctToken {
		return false
	}
	switch d.word(k) {
	case "—", "–", "-", "―", "−":
		return true
	}
	return false
}

func (d *doc) isBreak(k int) bool {
	return uint(k) >= uint(len(d.toks)) || d.toks[k].kind == breakToken
}

// lastToken is the index of the last token a quote's words or marks cover.
func (d *doc) lastToken(q quoteSpan) int {
	if q.close >= 0 {
		return q.close
	}
	k := q.open
	for k+1 < len(d.toks) && d.toks[k+1].start < q.end {
		k++
	}
	return k
}

func (d *doc) indexQuotes() {
	quoteOf := resized(&d.bufs.quoteOf, len(d.toks))
	d.quoteOf = quoteOf
	for k := range quoteOf {
		quoteOf[k] = -1
	}
	for i, q := range d.quotes {
		for k, last := q.open, d.lastToken(q); k <= last; k++ {
			d.quoteOf[k] = int32(i)
		}
	}
}

// endsWithStop reports whether quote q's words end a sentence.
func (d *doc) endsWithStop(q quoteSpan) bool {
	r, _ := utf8.DecodeLastRuneInString(d.text[q.start:q.end])
	return r == '.' || r == '!' || r == '?' || r == '…'
}

// isSentenceEnd reports whether the token at k ends a sentence outside
// quotes: a full stop that is not an abbreviation's, or ! or ?.
func (d *doc) isSentenceEnd(k int) bool {
	// Small enough to inline, so that the words, most tokens, cost no call.
	return d.toks[k].kind == punctToken && d.stopEndsSentence(k)
}

// stopEndsSentence is isSentenceEnd of the punctuation token at k.
func (d *doc) stopEndsSentence(k int) bool {
	t := &d.toks[k]
	switch d.text[t.start] {
	case '!', '?':
	case '.':
		if d.isWord(k-1) && d.toks[k-1].end == t.start {
			w := d.word(k - 1)
			if d.class(k-1)&abbreviation != 0 || len(w) == 1 {
				return false
			}
		}
	default:
		return false
	}
	next := k + 1
	if d.isWord(next) && d.toks[next].start == t.end {
		// A stop inside a token run: D-N.Y., fivethirtyeight.com.
		return false
	}
	for next < len(d.toks) && d.toks[next].kind == punctToken && d.text[d.toks[next].start] == '.' {
		next++
	}
	if d.isWord(next) && !d.capitalized(next) && !isDigit(rune(d.word(next)[0])) {
		return false
	}
	if next < len(d.toks) && d.toks[next].kind == punctToken && strings.IndexByte(",;:)]", d.text[d.toks[next].start]) >= 0 {
		return false
	}
	return true
}

func (d *doc) splitSentences() {
	// Local slices, which the calls on the rare paths cannot change: the
	// loop, a step a token, need not load them again each step.
	sentence := resized(&d.bufs.sentence, len(d.toks))
	toks, quoteOf := d.toks[:len(sentence)], d.quoteOf[:len(sentence)]
	d.sentence = sentence
	starts := append(d.bufs.sentenceStarts[:0], 0)
	var n int32
	for k := 0; k < len(toks); k++ {
		// Words outside quotes, most tokens, neither end a sentence nor
		// open a quote: a loop of their own, with no call to spill its
		// registers around.
		for k < len(toks) && toks[k].kind == wordToken && quoteOf[k] < 0 {
			sentence[k] = n
			k++
		}
		if k == len(toks) {
			break
		}
		sentence[k] = n
		if qi := quoteOf[k]; qi >= 0 {
			q := d.quotes[qi]
			last := d.lastToken(q)
			for j := k; j <= last; j++ {
				sentence[j] = n
			}
			k = last
			if q.close < 0 || d.endsWithStop(q) && !d.attributionFollows(last) {
				n++
				starts = append(starts, int32(k+1))
			}
			continue
		}
		if kind := toks[k].kind; kind == breakToken || kind == punctToken && d.stopEndsSentence(k) {
			n++
			starts = append(starts, int32(k+1))
		}
	}
	if starts[len(starts)-1] != int32(len(d.toks)) {
		starts = append(starts, int32(len(d.toks)))
	}
	d.sentenceStarts, d.bufs.sentenceStarts = starts, starts
}

// attributionFollows reports whether the words after a closing mark at k
// continue the quote's sentence: “It is over.” he said.
func (d *doc) attributionFollows(k int) bool {
	next := k + 1
	dash := false
	for d.isPunct(next, ',') || d.isDash(next) {
		dash = dash || d.isDash(next)
		next++
	}
	if !d.isWord(next) {
		return false
	}
	if !d.capitalized(next) || dash && d.isNameWord(next) {
		return true
	}
	if d.isSpeechVerb(next) {
		return true
	}
	for j := next + 1; j < next+16 && j < len(d.toks); j++ {
		if d.toks[j].kind == breakToken || d.toks[j].kind == markToken || d.isSentenceEnd(j) {
			return false
		}
		if d.isSpeechVerb(j) {
			return d.npBackward(j, next).from == next
		}
	}
	return false
}

// clauseStart is the first token of the sentence holding the mark at open.
// A line break always ends its sentence, so no sentence runs on past one.
func (d *doc) clauseStart(open int) int { return int(d.sentenceStarts[d.sentence[open]]) }

// clauseEnd is one past the last token of the sentence holding token k,
// the line break that may end it left out unless it is k.
func (d *doc) clauseEnd(k int) int {
	end := int(d.sentenceStarts[d.sentence[k]+1])
	if end-1 > k && d.toks[end-1].kind == breakToken {
		end--
	}
	return end
}

// context is the sentence holding q, trimmed to maxContext bytes around
// it. A trimmed context starts and ends between words, so that no cut
// word ("Genni" of "Gennifer") reads as a name of its own.
func (d *doc) context(q quoteSpan) string {
	from := d.toks[d.clauseStart(q.open)].start
	to := d.toks[d.clauseEnd(d.lastToken(q))-1].end
	if to < q.end {
		to = q.end
	}
	if to-from > maxContext {
		from = max(from, q.start-maxContext/4)
		to = min(to, from+maxContext)
		for from < to && !utf8.RuneStart(d.text[from]) {
			from++
		}
		for to > from && to < len(d.text) && !utf8.RuneStart(d.text[to]) {
			to--
		}
		if i := strings.IndexAny(d.text[from:to], " \n"); i >= 0 && from > 0 && !isSpace(rune(d.text[from-1])) {
			from += i
		}
		if i := strings.LastIndexAny(d.text[from:to], " \n"); i >= 0 && to < len(d.text) && !isSpace(rune(d.text[to])) {
			to = from + i
		}
	}
	return strings.TrimSpace(d.text[from:to])
}
