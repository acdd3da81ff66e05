package extract

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/newsroom-tools/quotes/internal/quote"
)

// Attribution rules, as reported in Evidence.Rule.
const (
	ruleSaidAfter     = "quote-speaker-verb"  // “…,” Kerry said.
	ruleVerbSpeaker   = "quote-verb-speaker"  // “…,” said Kerry.
	ruleAccordingTo   = "according-to"        // “…,” according to Kerry.
	ruleDash          = "quote-dash-speaker"  // “…” — Kerry
	ruleSpeakerBefore = "speaker-verb-quote"  // Kerry said: “…”
	ruleReported      = "reported-speech"     // Kerry called it “a disaster”.
	ruleRunsOn        = "runs-on"             // a quote reopened in the next paragraph
	ruleFollows       = "follows-quote"       // a quote with no cue after one of X's
	rulePrevSentence  = "previous-sentence"   // Kerry spoke. “…”
	ruleNamedBefore   = "named-before"        // Kerry was blunt. “…”
	ruleColonSubject  = "subject-colon-quote" // Clinton apologized: “…”
	ruleNone          = "none"
)

// collectReports records the speaker of every speech verb outside quotes,
// so that later quotes and anaphors can look back to them.
func (d *doc) collectReports() {
	// Local slices, which no call below changes: the loop, a step a
	// token, need not load them again each step.
	toks, quoteOf := d.toks, d.quoteOf[:len(d.toks)]
	for k := 0; k < len(toks); k++ {
		// The class and the length first, which rule out most tokens
		// without another load, in a loop of their own with no call to
		// spill its registers around: is, asked of every token, is no
		// cheap call.
		for k < len(toks) && toks[k].class&speechVerb == 0 && toks[k].end-toks[k].start != len("according") {
			k++
		}
		if k == len(toks) {
			break
		}
		t := &toks[k]
		if quoteOf[k] >= 0 {
			continue
		}
		if t.end-t.start == len("according") && d.is(k, "according") && d.is(k+1, "to") {
			np := d.npForward(k+2, d.clauseEnd(k))
			if sp, ok := d.describe(np, k); ok && sp.Name != "" {
				d.reports = append(d.reports, attribution{speaker: sp, verbPosition: k, mentionFrom: np.from, mentionTo: np.to, rule: ruleAccordingTo})
			}
			continue
		}
		// The class alone rules out most tokens, without a call.
		if d.class(k)&speechVerb == 0 || !d.isSpeechVerb(k) {
			continue
		}
		start := d.clauseStart(k)
		np := d.subjectOf(k, start, start)
		if np.empty() && k > 0 && (d.isPunct(k-1, ',') || d.toks[k-1].kind == markToken) {
			np = d.npForward(d.cueEnd(k), d.clauseEnd(k))
		}
		if sp, ok := d.describe(np, k); ok {
			d.reports = append(d.reports, attribution{speaker: sp, verbPosition: k, mentionFrom: np.from, mentionTo: np.to, rule: ruleSpeakerBefore})
		}
	}
}

// fromPhrase builds an attribution from a speaker noun phrase and its cue.
func (d *doc) fromPhrase(np nounPhrase, cueFrom, cueTo int, rule string, confidence float64) attribution {
	sp, ok := d.describe(np, cueFrom)
	if !ok {
		return attribution{}
	}
	if sp.Kind == quote.Unknown {
		confidence /= 2
	}
	return attribution{speaker: sp, cueFrom: cueFrom, cueTo: cueTo, mentionFrom: np.from, mentionTo: np.to,
		rule: rule, confidence: confidence, verbPosition: cueFrom}
}

// cueAfter looks for the attribution following a quote's closing mark, up
// to token to: “…,” Kerry said / said Kerry / according to Kerry / — Kerry.
func (d *doc) cueAfter(q quoteSpan, to int) attribution {
	if q.close < 0 {
		return attribution{}
	}
	p := q.close + 1
	dash := false
	for p < to && (d.isPunct(p, ',') || d.isDash(p)) {
		dash = dash || d.isDash(p)
		p++
	}
	if p >= to {
		return attribution{}
	}
	if d.is(p, "according") && d.is(p+1, "to") {
		return d.fromPhrase(d.npForward(p+2, to), p, p+2, ruleAccordingTo, 0.9)
	}
	if v := d.skipModifiers(p, to); v < to && d.isSpeechVerb(v) {
		if a := d.fromPhrase(d.npForward(d.cueEnd(v), to), v, d.cueEnd(v), ruleVerbSpeaker, 0.9); a.found() {
			return a
		}
	}
	for v := p; v < to && v < p+maxCueSearchTokens; v++ {
		if d.quoteOf[v] >= 0 || d.toks[v].kind == markToken {
			break
		}
		if d.isSpeechVerb(v) {
			return d.fromPhrase(d.npBackward(v, p), v, d.cueEnd(v), ruleSaidAfter, 0.9)
		}
	}
	if dash && d.isNameWord(p) {
		return d.fromPhrase(d.npForward(p, to), p-1, p-1, ruleDash, 0.7)
	}
	return attribution{}
}

// cueBefore looks for the attribution in the tokens [from, end) before a
// quote's opening mark: Kerry said: “…” / Kerry said that “…”. With
// adjacentOnly it accepts only a verb that introduces the quote directly.
func (d *doc) cueBefore(end, from int, adjacentOnly bool) attribution {
	for v := end - 1; v >= from; v-- {
		if qi := d.quoteOf[v]; qi >= 0 {
			v = d.quotes[qi].open
			continue
		}
		if d.is(v, "according") && d.is(v+1, "to") {
			return d.fromPhrase(d.npForward(v+2, end), v, v+2, ruleAccordingTo, 0.85)
		}
		speech := d.isSpeechVerb(v)
		if !speech && !d.isVerb(v, reportVerb) {
			continue
		}
		adjacent := speech && d.introduces(d.cueEnd(v), end)
		if adjacentOnly && !adjacent {
			return attribution{}
		}
		rule, confidence := ruleSpeakerBefore, 0.9
		if !adjacent {
			rule, confidence = ruleReported, 0.7
		}
		a := d.fromPhrase(d.subjectOf(v, from, from), v, d.cueEnd(v), rule, confidence)
		if !a.found() && (d.opensSentence(v) || v > 0 && d.toks[v-1].kind == markToken) {
			a = d.fromPhrase(d.npForward(d.cueEnd(v), end), v, d.cueEnd(v), rule, confidence)
		}
		if !a.found() && adjacent {
			// "Protesters marching through the streets chanted": the words
			// before the verb are no speaker, the sentence's subject is.
			a = d.fromPhrase(d.sentenceSubject(from, v), v, d.cueEnd(v), rule, confidence*0.8)
		}
		if a.found() {
			a.partial = !adjacent
			return a
		}
	}
	if d.isPunct(end-1, ':') {
		return d.colonSubject(end-1, from)
	}
	return attribution{}
}

// colonSubject attributes a quote that a colon introduces, with no speech
// verb, to the subject the sentence opens with: "Clinton has since
// apologized: “…”", "Donald Trump: “…”".
func (d *doc) colonSubject(colon, from int) attribution {
	if d.isNameWord(colon - 1) {
		// A name alone before the colon, as in a digest: "- Philip Bump: “…”".
		run := d.runEndingAt(colon-1, from)
		if run.from == from || d.isDash(run.from-1) {
			np := nounPhrase{from: run.from, to: colon, descFrom: colon, desc: colon}
			if a := d.fromPhrase(np, colon, colon, ruleColonSubject, 0.6); a.found() && a.speaker.Kind != quote.Unknown {
				a.cueFrom, a.cueTo = 0, 0
				return a
			}
		}
	}
	np := d.sentenceSubject(from, colon)
	a := d.fromPhrase(np, colon, colon, ruleColonSubject, 0.6)
	if a.speaker.Kind == quote.Unknown || a.speaker.Kind == quote.Person && !strings.Contains(a.speaker.Name, " ") && a.speaker.Descriptor == "" {
		return attribution{}
	}
	a.cueFrom, a.cueTo = 0, 0
	return a
}

// subjectOf is who speaks through the verb at v: the noun phrase right
// before it or, when the verb is coordinated ("met Putin and told him") or
// a participle ("…, blaming"), the subject the sentence opens with.
func (d *doc) subjectOf(v, from, sentenceStart int) nounPhrase {
	np := d.npBackward(v, from)
	if !np.empty() && np.from > from && d.isObjectPreposition(np.from-1) && d.isNameWord(np.from) {
		// "Trump posted a message on Twitter reading": the name after
		// the preposition is where he spoke, not who.
		return d.sentenceSubject(sentenceStart, np.from-1)
	}
	if !np.empty() {
		return np
	}
	prev := v - 1
	for prev >= from && d.isWord(prev) && d.class(prev)&adverb != 0 {
		prev--
	}
	if d.is(prev, "and") || d.is(prev, "but") || d.isPunct(prev, ',') && strings.HasSuffix(d.word(v), "ing") {
		return d.sentenceSubject(sentenceStart, prev)
	}
	return nounPhrase{}
}

// maxDatelineTokens bounds a dateline before its dash ("WASHINGTON, Dec.
// 8 (UPI) —").
const maxDatelineTokens = 12

// isObjectPreposition reports whether token k is a preposition whose
// object cannot be a following verb's subject.
func (d *doc) isObjectPreposition(k int) bool {
	return d.is(k, "on") || d.is(k, "via") || d.is(k, "in") || d.is(k, "at")
}

// opensParticipleClause reports whether token k opens a sentence with a
// participle ("Chastened by the analyses, Trump…", "Speaking in Harlem,
// Clinton…"), whose subject comes after the comma.
func (d *doc) opensParticipleClause(k int) bool {
	if !d.isWord(k) || !d.isWord(k+1) || d.capitalized(k+1) {
		return false
	}
	// The shape first, the first-name table last: few words have both
	// the shape and a gender, and most words have not the shape.
	w := d.word(k)
	return len(w) > 4 && (strings.HasSuffix(w, "ed") || strings.HasSuffix(w, "ing")) && d.tableGender(w) == unknownGender
}

// introWords open an introductory phrase of time or manner rather than a
// name: "Back in 1999,", "Eight years ago,", "Ever since …,".
var introWords = map[string]bool{
	"back": true, "ever": true, "therefore": true, "thus": true, "hence": true,
	"meanwhile": true, "moreover": true, "however": true, "nevertheless": true,
	"eight": true, "six": true, "seven": true, "nine": true, "ten": true,
	"twelve": true, "twenty": true, "thirty": true, "forty": true, "fifty": true,
	"decades": true, "years": true, "months": true, "weeks": true, "days": true,
	"following": true, "at": true, "on": true, "in": true, "after": true,
	"before": true, "since": true, "during": true, "until": true, "when": true,
	"hours": true, "minutes": true, "moments": true, "finally": true, "later": true,
	"earlier": true, "last": true, "today": true, "yesterday": true, "tonight": true,
	"regarding": true,
}

// opensIntroPhrase reports whether token k, opening a sentence, opens an
// introductory phrase that a comma closes before limit: the subject comes
// after the comma.
func (d *doc) opensIntroPhrase(k, limit int) bool {
	if !d.isWord(k) || !d.capitalized(k) || !d.isIntroWord(k) {
		return false
	}
	for j := k + 1; j < limit && j-k <= maxClauseTokens; j++ {
		if d.isPunct(j, ',') {
			return true
		}
	}
	return false
}

// sentenceSubject reads the noun phrase a sentence opens with, after any
// introductory clause: "Russia’s foreign ministry", "US secretary of state
// John Kerry", "he".
func (d *doc) sentenceSubject(from, limit int) nounPhrase {
	k := from
	if d.isWord(k) && d.isPunct(k+1, ',') && len(d.word(k)) > 3 && isUpperCase(d.word(k)) {
		// A dateline, "WASHINGTON, Dec. 8 (UPI) —", is no subject.
		for j := k + 2; j < limit && j-k <= maxDatelineTokens; j++ {
			if d.isDash(j) {
				k = j + 1
				break
			}
		}
	}
	if d.class(k)&clauseWord != 0 && d.class(k)&(pronoun|determiner) == 0 || d.class(k)&speechVerb != 0 || d.opensParticipleClause(k) || d.opensIntroPhrase(k, limit) {
		for k < limit && !d.isPunct(k, ',') {
			k++
		}
		k++
	}
	if k >= limit || !d.isWord(k) {
		return nounPhrase{}
	}
	if d.class(k)&pronoun != 0 {
		return nounPhrase{from: k, to: k + 1, descFrom: k + 1, desc: k + 1}
	}
	start := k
	for k < limit && d.isWord(k) && d.class(k)&determiner != 0 {
		k++
	}
	sawName := false
	for ; k < limit && d.isWord(k) && k-start < maxSubjectTokens; k++ {
		c := d.class(k)
		if d.isNameWord(k) {
			sawName = true
			continue
		}
		if c&(roleNoun|orgHead|documentNoun) != 0 {
			if d.is(k+1, "of") || d.isNameWord(k+1) {
				continue
			}
			k++
			break
		}
		if sawName && !d.is(k, "of") && c&title == 0 && !(strings.HasSuffix(d.word(k-1), "’s") || strings.HasSuffix(d.word(k-1), "'s")) {
			break
		}
		if c&(clauseWord|speechVerb|auxiliary|adverb) != 0 && !d.is(k, "of") {
			break
		}
	}
	np := nounPhrase{from: start, to: k, descFrom: k, desc: k}
	for np.to > np.from && (d.is(np.to-1, "of") || !d.isWord(np.to-1)) {
		np.to--
	}
	return np
}

// introduces reports whether the words between a speech verb's end and a
// quote's mark are only what may sit between them: a colon or comma,
// "that", an adverb, a time, a short "in a statement" or "to reporters".
func (d *doc) introduces(k, mark int) bool {
	if mark-k > maxIntroTokens {
		return false
	}
	if last := mark - 1; last >= k && !d.isPunct(last, ':') && !d.isPunct(last, ',') && !d.isDash(last) && !d.is(last, "that") {
		return false
	}
	for j := k; j < mark; j++ {
		switch {
		case d.isPunct(j, ':'), d.isPunct(j, ','), d.isDash(j):
		case d.isWord(j):
			if d.isSpeechVerb(j) && j != k {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// attributeAll attributes every quote by the first rule that fires and
// builds the results. kept[j] is the index in d.quotes of out[j]; attrs
// holds the rules' answer for every quote, empty for those that are not
// speech.
func (d *doc) attributeAll() (out []quote.Quote, kept []int, attrs []attribution) {
	kept = d.bufs.kept[:0]
	attrs = slices.Grow(d.bufs.attrs[:0], len(d.quotes))[:len(d.quotes)]
	clear(attrs)
	d.bufs.attrs = attrs
	for i, q := range d.quotes {
		a := d.attribute(i, attrs)
		attrs[i] = a
		if d.isNotSpeech(q, a, d.isPartial(q, a)) {
			attrs[i] = attribution{}
			continue
		}
		kept = append(kept, i)
	}
	// spanOf sizes its slab by the quotes kept.
	d.bufs.kept = kept
	// The results are built once the quotes that are speech are known,
	// in room for them alone: a sixth of the quotes are not, and the
	// results, the caller's, are the largest allocation of all.
	out = make([]quote.Quote, 0, len(kept))
	for _, i := range kept {
		q := d.quotes[i]
		out = append(out, d.build(q, attrs[i], d.isPartial(q, attrs[i])))
	}
	return out, kept, attrs
}

// isPartial reports whether quote q, attributed by a, is a fragment
// quoted inside reported speech.
func (d *doc) isPartial(q quoteSpan, a attribution) bool {
	return d.isEmbedded(q) || a.partial && !d.isPunct(q.open-1, ':')
}

func (d *doc) attribute(i int, attrs []attribution) attribution {
	q := d.quotes[i]
	last := d.lastToken(q)
	from := d.clauseStart(q.open)
	to := d.clauseEnd(last)
	stop := d.endsWithStop(q)
	var a attribution
	if stop {
		a = d.cueBefore(q.open, from, true)
	}
	if !a.found() {
		a = d.cueAfter(q, to)
	}
	if !a.found() {
		a = d.cueBefore(q.open, from, false)
	}
	if !a.found() {
		a = d.dashOnNextLine(last)
	}
	if !a.found() && d.isEmbedded(q) && q.close >= 0 {
		a = d.reportedAfter(q.close+1, to)
	}
	if !a.found() && from == q.open && d.isBreak(q.open-1) && d.isPunct(q.open-2, ':') {
		colon := q.open - 2
		a = d.cueBefore(colon, d.clauseStart(colon), false)
		a.partial = false
	}
	if a.found() {
		return a
	}
	if i > 0 && attrs[i-1].found() && attrs[i-1].rule != ruleNone {
		prev := d.quotes[i-1]
		breaks := d.breaksBetween(d.lastToken(prev), q.open)
		if q.continues || breaks == 0 || breaks == 1 && from == q.open && d.isBreak(q.open-1) {
			a = attrs[i-1]
			a.rule, a.confidence, a.partial = ruleFollows, a.confidence*0.85, false
			if q.continues {
				a.rule = ruleRunsOn
			}
			return a
		}
	}
	if a = d.previousSentence(q, from); a.found() {
		return a
	}
	return attribution{rule: ruleNone, speaker: quote.Speaker{Kind: quote.Unknown}}
}

// reportedAfter finds the speech verb later in the sentence of a fragment
// quote: the "yet again" trip, Toner said.
func (d *doc) reportedAfter(k, to int) attribution {
	for v := k; v < to; v++ {
		if qi := d.quoteOf[v]; qi >= 0 {
			v = d.lastToken(d.quotes[qi])
			k = v + 1
			continue
		}
		if d.isSpeechVerb(v) || d.isVerb(v, reportVerb) {
			a := d.fromPhrase(d.subjectOf(v, k, d.clauseStart(v)), v, d.cueEnd(v), ruleReported, 0.7)
			if !a.found() {
				a = d.fromPhrase(d.npForward(d.cueEnd(v), to), v, d.cueEnd(v), ruleReported, 0.7)
			}
			a.partial = true
			return a
		}
	}
	return attribution{}
}

func (d *doc) breaksBetween(from, to int) int {
	n := 0
	for k := from; k < to; k++ {
		if d.toks[k].kind == breakToken {
			n++
		}
	}
	return n
}

// previousSentence attributes a quote with no cue to the speaker of the
// sentence just before it, in its paragraph or, when the quote opens a
// paragraph, at the end of the previous one.
func (d *doc) previousSentence(q quoteSpan, from int) attribution {
	if from == 0 {
		return attribution{}
	}
	prevEnd := from - 1
	if d.isBreak(prevEnd) {
		prevEnd--
	}
	if prevEnd < 0 || d.toks[prevEnd].kind == breakToken {
		return attribution{}
	}
	s := d.sentence[prevEnd]
	for i := len(d.reports) - 1; i >= 0; i-- {
		r := d.reports[i]
		if r.verbPosition > prevEnd {
			continue
		}
		if d.sentence[r.verbPosition] != s {
			break
		}
		if r.speaker.Kind != quote.Unknown {
			r.rule, r.confidence = rulePrevSentence, 0.6
			r.cueFrom, r.cueTo = r.verbPosition, d.cueEnd(r.verbPosition)
			return r
		}
	}
	for i := range d.mentions {
		m := &d.mentions[i]
		if m.tok > prevEnd || m.kind != quote.Person || d.sentence[m.tok] != s {
			continue
		}
		if !d.startsSentence(*m) {
			break
		}
		sp := quote.Speaker{Name: m.name, Kind: quote.Person, Descriptor: m.descriptor, Mention: d.span(m.tok, m.end)}
		return attribution{speaker: sp, mentionFrom: m.tok, mentionTo: m.end, rule: ruleNamedBefore, confidence: 0.45}
	}
	return attribution{}
}

// isEmbedded reports whether a quote sits inside a sentence of the
// writer's own, right after one of its words: called it “a disaster”.
func (d *doc) isEmbedded(q quoteSpan) bool {
	prev := q.open - 1
	if !d.isWord(prev) || d.isSpeechVerb(prev) || isUpperCase(d.word(prev)) {
		return false
	}
	if d.is(prev, "that") || d.is(prev, "saying") {
		r, _ := utf8.DecodeRuneInString(d.text[q.start:q.end])
		return !unicode.IsUpper(r)
	}
	return true
}

// isNotSpeech reports whether a quoted stretch is a title, a nickname or a
// scare quote rather than words someone said.
func (d *doc) isNotSpeech(q quoteSpan, a attribution, partial bool) bool {
	words := d.wordsIn(q)
	if words == 0 || d.text[q.start] == '(' && (d.text[q.end-1] == ')' || strings.HasSuffix(d.text[q.start:q.end], ").")) {
		return true
	}
	prev := q.open - 1
	if words <= 6 && (d.class(prev)&nameCue != 0 && (!d.is(prev, "as") || d.is(prev-1, "known") || d.is(prev-1, "to")) || d.isPunct(prev, ',') && d.class(prev-1)&nameCue != 0 &&
		(d.isTitleCase(q) || words == 1 && d.capitalized(q.open+1))) {
		return true
	}
	if words <= 6 && prev > 0 && d.is(prev-1, "as") && (d.is(prev, "a") || d.is(prev, "an") || d.is(prev, "the")) {
		// A name given to something: described as a “political army”.
		return true
	}
	if t := d.text[q.start:q.end]; t[0] == '[' && strings.IndexByte(t, ']') >= len(t)-2 {
		// A bracketed source tag set in marks: “[HuffPost.]”.
		return true
	}
	if words == 1 && q.close >= 0 && d.isWord(q.close+1) && d.capitalized(q.close+1) && d.capitalized(q.open+1) && !d.isSpeechVerb(q.close+1) {
		if r, _ := utf8.DecodeLastRuneInString(d.text[q.start:q.end]); unicode.IsLetter(r) {
			// One capitalised word running into another: a word of a
			// headline, ‘Missing’ White Voters Might Help Trump.
			return true
		}
	}
	if d.isCapsHeadline(q) || d.isLinked(q) {
		return true
	}
	if d.isAppositiveTitle(q) || d.isGlossed(q) {
		return true
	}
	if d.isSubject(q) || d.isBylined(q) || d.isSubtitled(q) || d.isModifier(q) || d.isListed(q) || d.isCaptioned(q) || d.isDescribed(q) {
		return true
	}
	if words <= 2 && d.text[q.end-1] == ':' {
		// A label set in marks: “Related:”.
		return true
	}
	if d.is(prev, "told") && d.isTitleCase(q) {
		// The programme told, not the words: told “Fox and Friends”.
		return true
	}
	if words <= 2 && q.close >= 0 && d.isNameWord(prev) && d.isNameWord(q.close+1) {
		// A nickname inside a name: Robert C. “Bobby” Scott.
		return true
	}
	// A quote whose own sentence holds no speech cue is weakly attested.
	weak := a.cueTo <= a.cueFrom || a.rule == ruleFollows || a.rule == ruleRunsOn || a.rule == rulePrevSentence
	if (weak || d.isEmbedded(q)) && words <= maxTitleWords && d.isTitleCase(q) {
		return true
	}
	if !partial {
		return false
	}
	cueNear := a.cueFrom > q.open && a.cueFrom-d.lastToken(q) <= nearCueTokens || a.cueFrom < q.open && q.open-a.cueFrom <= nearCueTokens
	if words == 1 && !cueNear && d.isEmbedded(q) && !d.capitalized(q.open+1) && !d.isCalled(q) && !d.is(q.close+1, "of") {
		// One lowercase word set in marks inside the writer's own sentence,
		// far from any speech cue, is a scare quote or a term: managed to
		// “lose”, rated “confidential”. A noun taking "of" is the speaker's
		// own word for a deed: over its “seizure” of Crimea.
		return true
	}
	article := d.is(prev, "the") || d.is(prev, "a") || d.is(prev, "an")
	if d.isWord(prev) && d.class(prev)&determiner != 0 && words <= 4 && (weak || article && !cueNear) {
		return true
	}
	return weak && a.rule != ruleReported
}

// isCalled reports whether a form of "call" comes a few words before a
// quote, which then names what someone called something: called the
// suspension “arbitrary”.
func (d *doc) isCalled(q quoteSpan) bool {
	for k := q.open - 1; k >= 0 && k >= q.open-5 && d.toks[k].kind == wordToken; k-- {
		if d.is(k, "called") || d.is(k, "calling") || d.is(k, "calls") || d.is(k, "call") {
			return true
		}
	}
	return false
}

// isAppositiveTitle reports whether a capitalised quote stands between
// commas, the writer's sentence running on after it: the Netflix thriller,
// “Bloodline,” and the PBS drama; the anti-Trump spot, “Trumpcare,” links.
func (d *doc) isAppositiveTitle(q quoteSpan) bool {
	if q.close < 0 || d.text[q.end-1] != ',' || !d.isPunct(q.open-1, ',') || d.wordsIn(q) > maxTitleWords {
		return false
	}
	next := q.close + 1
	if !d.isWord(next) || d.capitalized(next) || d.isSpeechVerb(next) || d.class(next)&pronoun != 0 {
		return false
	}
	for k := q.open + 1; k < q.close; k++ {
		if d.isWord(k) && !d.capitalized(k) && !d.isMinorTitleWord(k) {
			return false
		}
	}
	return true
}

// isGlossed reports whether a short quote inside the writer's sentence is
// followed by a comma and "a" or "an" opening a gloss of it, with no speech
// verb after: part of “investor day,” an annual ritual.
func (d *doc) isGlossed(q quoteSpan) bool {
	if q.close < 0 || d.text[q.end-1] != ',' || d.wordsIn(q) > maxModifierWords+1 || !d.isEmbedded(q) {
		return false
	}
	next := q.close + 1
	if !d.is(next, "a") && !d.is(next, "an") || d.capitalized(next) {
		return false
	}
	for k := next + 1; k < len(d.toks) && k <= next+6 && !d.isBreak(k) && !d.isSentenceEnd(k); k++ {
		if d.isSpeechVerb(k) {
			return false
		}
	}
	return true
}

// isCapsHeadline reports whether a quote in capitals stands alone as its
// paragraph: a headline set in marks, “DIVISIVE, STUPID AND WRONG”.
func (d *doc) isCapsHeadline(q quoteSpan) bool {
	if q.close < 0 || q.open > 0 && !d.isBreak(q.open-1) || q.close+1 < len(d.toks) && !d.isBreak(q.close+1) {
		return false
	}
	letters := 0
	for _, r := range d.text[q.start:q.end] {
		if unicode.IsLower(r) {
			return false
		}
		if unicode.IsLetter(r) {
			letters++
		}
	}
	return letters > 3
}

// isLinked reports whether a link follows a quote's closing mark on the
// same line: an excerpt of another article with its address, "The Living
// Room, a nightclub, will close." http://nyti.ms/1U0Xvbm.
func (d *doc) isLinked(q quoteSpan) bool {
	if q.close < 0 {
		return false
	}
	rest := strings.TrimLeft(d.text[d.toks[q.close].end:], " \t")
	return strings.HasPrefix(rest, "http://") || strings.HasPrefix(rest, "https://") || strings.HasPrefix(rest, "www.")
}

// isSubject reports whether a quote is talked about rather than said: the
// subject of the verb right after its closing mark (“Containment” has
// been U.S. policy, “Top secret” is the highest level).
func (d *doc) isSubject(q quoteSpan) bool {
	next := q.close + 1
	if q.close < 0 || d.class(next)&auxiliary == 0 || d.capitalized(next) || d.endsWithStop(q) {
		return false
	}
	return d.toks[next].start > d.toks[q.close].end
}

// isBylined reports whether a quote is a title followed by its author:
// “This Kind of War,” by T.R. Fehrenbach; “Met accused,” by the Post’s …
func (d *doc) isBylined(q quoteSpan) bool {
	return q.close >= 0 && d.text[q.end-1] == ',' && d.is(q.close+1, "by") && !d.capitalized(q.close+1)
}

// isSubtitled reports whether a quote is a title with a subtitle, every
// longer word capitalised on both sides of a colon: “Crippled America: How
// to Make America Great Again”.
func (d *doc) isSubtitled(q quoteSpan) bool {
	colon := -1
	for k := q.open + 1; k < len(d.toks) && d.toks[k].start < q.end; k++ {
		if d.isPunct(k, ':') {
			if colon >= 0 || k == q.open+1 || !d.isWord(k+1) || !d.capitalized(k+1) && !isDigit(rune(d.text[d.toks[k+1].start])) ||
				d.isWord(k-1) && isUpperCase(d.word(k-1)) {
				// A transcript's speaker label (PENCE: And that’s why) is no title.
				return false
			}
			colon = k
			continue
		}
		if !d.isWord(k) || d.capitalized(k) || isDigit(rune(d.text[d.toks[k].start])) {
			continue
		}
		if !d.isMinorTitleWord(k) {
			return false
		}
	}
	return colon >= 0
}

// maxModifierWords bounds a quoted phrase read as a modifier: longer
// stretches before a noun are fragments of speech (“bringing back
// manufacturing” jobs).
const maxModifierWords = 3

// isModifier reports whether a quote, with no punctuation of its own,
// runs into a plain lowercase word it qualifies: a “stand down” order,
// her “clawback” plan, the “wise Latina” phrase.
func (d *doc) isModifier(q quoteSpan) bool {
	next := q.close + 1
	if q.close < 0 || !d.isWord(next) || d.class(next)&^(documentNoun|nameCue|roleNoun) != 0 || d.toks[next].start == d.toks[q.close].end ||
		d.wordsIn(q) > maxModifierWords {
		return false
	}
	if c := d.text[d.toks[next].start]; c < 'a' || c > 'z' {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(d.text[q.start:q.end])
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// isListed reports whether a quote comes right after another that ends in
// a comma, an item of a list of terms or titles: words such as
// “ambassador,” “attack,” “Benghazi” and “Libya”.
func (d *doc) isListed(q quoteSpan) bool {
	prev := q.open - 1
	if prev < 0 || d.toks[prev].kind != markToken || d.quoteOf[prev] < 0 {
		return false
	}
	p := d.quotes[d.quoteOf[prev]]
	return p.close == prev && d.text[p.end-1] == ','
}

// isCaptioned reports whether a parenthesis follows a quote's closing mark
// straight away: a caption or a gloss, “Yes to minaret ban” (2009),
// “Refoulement” (forcible return), not an attribution.
func (d *doc) isCaptioned(q quoteSpan) bool {
	// After a full stop the parenthesis opens a sentence of its own.
	return q.close >= 0 && d.text[q.end-1] != '.' && d.isPunct(q.close+1, '(')
}

// isDescribed reports whether a short quote ending in a comma is followed
// by a relative clause about it: “tax reform,” which he described as …;
// the Web ad “Playing Trump,” in which children …
func (d *doc) isDescribed(q quoteSpan) bool {
	if q.close < 0 || d.text[q.end-1] != ',' || d.wordsIn(q) > maxModifierWords+1 {
		return false
	}
	next := q.close + 1
	if d.is(next, "in") {
		next++
	}
	return d.is(next, "which") && !d.capitalized(next)
}

// isMinorTitleWord reports whether token k is a word a title leaves in
// lower case: an article, a conjunction, a preposition, an auxiliary
// (“A Time for Truth”, “How to Make America Great Again”).
func (d *doc) isMinorTitleWord(k int) bool {
	if d.capitalized(k) {
		return false
	}
	return d.class(k)&(determiner|clauseWord|auxiliary) != 0 || d.is(k, "of") || d.is(k, "for") || d.is(k, "at") || d.is(k, "from")
}

func (d *doc) wordsIn(q quoteSpan) int {
	n := 0
	for k := q.open + 1; k < len(d.toks) && d.toks[k].start < q.end; k++ {
		if d.toks[k].kind == wordToken {
			n++
		}
	}
	return n
}

// isTitleCase reports whether every longer word of a quote is capitalised,
// the shape of a title ("Top Gun", "Morning Joe").
func (d *doc) isTitleCase(q quoteSpan) bool {
	if last := d.text[q.end-1]; last == '?' || last == '!' {
		// Questions and exclamations are said, not titles: “Mr. D’Souza?”
		return false
	}
	n := 0
	for k := q.open + 1; k < len(d.toks) && d.toks[k].start < q.end; k++ {
		if d.toks[k].end == q.end && !d.isWord(k) {
			break
		}
		if d.toks[k].kind == punctToken && (d.isSentenceEnd(k) || d.isPunct(k, ',')) {
			return false
		}
		if !d.isWord(k) || d.isMinorTitleWord(k) || d.class(k)&pronoun != 0 {
			continue
		}
		if !d.capitalized(k) && !isDigit(rune(d.text[d.toks[k].start])) {
			return false
		}
		n++
	}
	return n > 1 || n == 1 && d.isEmbedded(q)
}

// build assembles the Quote for span q.
func (d *doc) build(q quoteSpan, a attribution, partial bool) quote.Quote {
	qt := quote.Quote{
		Text:    d.text[q.start:q.end],
		Start:   q.start,
		End:     q.end,
		Speaker: a.speaker,
		Partial: partial,
		Context: d.context(q),
	}
	if qt.Speaker.Kind == "" {
		qt.Speaker.Kind = quote.Unknown
	}
	qt.Evidence.Rule = a.rule
	qt.Evidence.Confidence = a.confidence
	if a.cueTo > a.cueFrom {
		qt.Evidence.Cue = d.spanOf(a.cueFrom, a.cueTo)
	}
	if a.mentionTo > a.mentionFrom {
		qt.Evidence.Mention = d.spanOf(a.mentionFrom, a.mentionTo)
	}
	return qt
}

// spanOf is the evidence span of tokens [from, to). Spans are allocated
// a slab at a time, room for a kept quote's cue, mention and antecedent
// each.
func (d *doc) spanOf(from, to int) *quote.Span {
	if len(d.spans) == cap(d.spans) {
		d.spans = make([]quote.Span, 0, 3*len(d.bufs.kept))
	}
	start, end := d.toks[from].start, d.toks[to-1].end
	d.spans = append(d.spans, quote.Span{Text: d.text[start:end], Start: start, End: end})
	return &d.spans[len(d.spans)-1]
}

// startsSentence reports whether a mention is its sentence's subject:
// nothing but its own descriptor words come before it.
func (d *doc) startsSentence(m mention) bool {
	start := d.clauseStart(m.tok)
	if d.isPunct(m.tok-1, ',') && m.tok-1 > start && d.isWord(start) && d.isWord(m.end) &&
		!isCapitalized(d.word(m.end)) && d.class(m.end)&(clauseWord|pronoun|determiner) == 0 {
		// "Repeating his speech, Biden rubbished": the subject after an
		// opening phrase.
		for k := start; k < m.tok-1; k++ {
			if d.isPunct(k, ',') || d.toks[k].kind == markToken {
				return false
			}
		}
		return true
	}
	for k := start; k < m.tok; k++ {
		if !d.isNameWord(k) && d.class(k)&determiner == 0 && !d.is(k, "of") {
			return false
		}
	}
	return true
}

// isUpperCase reports whether a word of two letters or more is all
// capitals, as in a headline run into the text.
func isUpperCase(w string) bool {
	if len(w) < 2 {
		return false
	}
	i := 0
	for ; i < len(w) && w[i] < utf8.RuneSelf; i++ {
		// unicode.IsLower, for ASCII.
		if 'a' <= w[i] && w[i] <= 'z' {
			return false
		}
	}
	for _, r := range w[i:] {
		if unicode.IsLower(r) {
			return false
		}
	}
	return true
}

// dashOnNextLine reads a signature line under a quote: “…” ¶ — Hillary
// Clinton.
func (d *doc) dashOnNextLine(last int) attribution {
	k := last + 1
	if !d.isBreak(k) || k >= len(d.toks) || !d.isDash(k+1) || !d.isNameWord(k+2) {
		return attribution{}
	}
	end := d.lineEnd(k + 1)
	if end-k > maxSignatureTokens {
		return attribution{}
	}
	return d.fromPhrase(d.npForward(k+2, end), k+1, k+1, ruleDash, 0.7)
}
