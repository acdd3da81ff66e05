package extract

import (
	"iter"
	"slices"
	"strings"

	"github.com/newsroom-tools/quotes/internal/quote"
)

type gender uint8

const (
	unknownGender gender = iota
	male
	female
)

// mention is a name the article writes outside quotes.
type mention struct {
	tok        int // first token of the name itself
	end        int // one past its last token
	name       string
	descriptor string
	kind       quote.SpeakerKind
	gender     gender
	// full marks a name of two words or more, the form later surname-only
	// mentions resolve to.
	full bool
}

// nameRun is a stretch of capitalised words: the descriptor words that
// open it (titles, nationalities, organisations) and the name that ends it.
type nameRun struct {
	from, nameFrom, to int
}

// isNameWord reports whether token k can be part of a proper name.
// Only words get the flag (flagsOf), so only the bounds are tested.
func (d *doc) isNameWord(k int) bool {
	return uint(k) < uint(len(d.toks)) && d.toks[k].flags&nameWordFlag != 0
}

// runEndingAt returns the capitalised run that ends at token last
// (inclusive), not reaching before lo.
func (d *doc) runEndingAt(last, lo int) nameRun {
	k := last
	for k-1 >= lo {
		switch {
		case d.isNameWord(k - 1):
			k--
			continue
		case k-2 >= lo && d.isNameWord(k-2) && d.class(k-1)&nameParticle != 0 && !d.capitalized(k-1):
			k -= 2
			continue
		case k-2 >= lo && d.isNameWord(k-2) && d.is(k-1, "of"):
			k -= 2
			continue
		case k-2 >= lo && d.orgPreposition(k-1):
			k -= 2
			continue
		case k-2 >= lo && (d.is(k-1, "and") || d.isPunct(k-1, ',')):
			if head := d.orgListHead(k, lo); head >= 0 {
				k = head
				continue
			}
		}
		break
	}
	for k < last && d.is(k, "of") {
		k++
	}
	run := nameRun{from: k, to: last + 1}
	run.nameFrom = d.nameStart(run.from, run.to)
	return run
}

// nameStart splits a run: the name is the trailing words that are neither
// titles nor organisation words.
func (d *doc) nameStart(from, to int) int {
	k := to
	for k-1 >= from {
		c := d.class(k - 1)
		if k < to && (d.possessive(k-1) || c&roleNoun != 0 && d.class(k)&(maleName|femaleName) != 0) {
			// "American Action Forum’s Douglas Holtz-Eakin", "Journalist
			// Jorge Ramos": an owner, or a role before a first name,
			// describes the person.
			break
		}
		if d.isWord(k-1) && (c&(title|orgHead) == 0 || c&(maleName|femaleName) != 0 && c&title == 0 || k == to && d.isOrgWordSurname(k-1)) {
			k--
			continue
		}
		if c&nameParticle != 0 && k < to {
			k--
			continue
		}
		break
	}
	for k < to && (d.is(k, "of") || d.is(k, "for") || d.is(k, "on") || d.class(k)&nameParticle != 0 && !d.capitalized(k)) {
		k++
	}
	if k == to-1 && k > from && d.orgWordsOnly(from, k) && !d.opensFirstName(k) {
		// "The Daily Beast", "Daily Caller": organisation words and a
		// word no first name, with no title between, name no one.
		return to
	}
	if k == to && to-from >= 2 && d.class(to-1)&orgHead == 0 && d.isHonorific(to-2) {
		// Mr. King, Mrs. Price: after an honorific even a title word is a name.
		return to - 1
	}
	if k == to && d.class(to-1)&orgHead == 0 {
		// Charlie King, Peter T. King: after a first name (and initials), a
		// title word is a surname.
		j := to - 2
		for j > from && isInitial(d.word(j)) {
			j--
		}
		if j >= from && d.class(j)&(maleName|femaleName) != 0 {
			return j
		}
	}
	return k
}

// orgPreposition reports whether token k is "for" or "on" after an
// organisation word and before a name: "Center for American Progress",
// "Committee on Foreign Relations", not "the Senate on Tuesday".
func (d *doc) orgPreposition(k int) bool {
	// The class first: most words are no organisation's.
	return d.class(k-1)&orgHead != 0 && (d.is(k, "for") || d.is(k, "on")) && d.isNameWord(k-1) &&
		d.isNameWord(k+1) && d.class(k+1)&timeWord == 0 && d.quoteOf[k+1] < 0
}

// maxOrgList bounds the names of a list inside an organisation's name.
const maxOrgList = 6

// orgListHead finds the organisation word whose name lists the name that
// starts at token k after "and" or a comma: "National Academies of
// Sciences, Engineering and Medicine", "Department of Health and Human
// Services". It returns the head's first token, or -1 when the words
// before k are no such name.
func (d *doc) orgListHead(k, lo int) int {
	if d.opensFirstName(k) {
		return -1
	}
	j := k - 1
	for range maxOrgList {
		if !d.is(j, "and") && !d.isPunct(j, ',') || j-1 < lo || !d.isNameWord(j-1) {
			return -1
		}
		j--
		for j-1 >= lo && d.isNameWord(j-1) {
			j--
		}
		if j-2 >= lo && (d.is(j-1, "of") || d.is(j-1, "for") || d.is(j-1, "on")) && d.isNameWord(j-2) && d.class(j-2)&orgHead != 0 {
			return j - 2
		}
		j--
	}
	return -1
}

// orgListEnd extends the run of capitalised words [from, end), ending at
// a comma or "and", over the list an organisation's name holds: the names
// after its "of", "for" or "on" to the one after "and". It returns end
// when there is no such list.
func (d *doc) orgListEnd(from, end int) int {
	head := false
	for k := from; k+1 < end; k++ {
		// The class first: most words are no organisation's.
		if d.class(k)&orgHead != 0 && d.isNameWord(k) && (d.is(k+1, "of") || d.is(k+1, "for") || d.is(k+1, "on")) {
			head = true
		}
	}
	if !head {
		return end
	}
	j := end
	for range maxOrgList {
		and := d.is(j, "and")
		if !and && !d.isPunct(j, ',') || !d.isNameWord(j+1) || d.quoteOf[j+1] >= 0 || d.opensFirstName(j+1) {
			return end
		}
		j++
		for d.isNameWord(j) && d.quoteOf[j] < 0 {
			j++
		}
		if and {
			return j
		}
	}
	return end
}

// opensFirstName reports whether token k is a first name: "the
// Department of Justice and Hillary Clinton" lists no organisation.
func (d *doc) opensFirstName(k int) bool {
	return d.class(k)&(maleName|femaleName) != 0 || d.tableGender(d.word(k)) != unknownGender
}

// hasOrgList reports whether the run [from, to) holds the list of an
// organisation's name (orgListHead).
func (d *doc) hasOrgList(from, to int) bool {
	for k := from + 2; k < to; k++ {
		if (d.is(k-1, "and") || d.isPunct(k-1, ',')) && d.isNameWord(k) && d.orgListHead(k, from) >= 0 {
			return true
		}
	}
	return false
}

// orgNamed reports whether the run [from, to), its name from nameFrom,
// is an organisation's name ending in a word no first name: "Center for
// American Progress", "Business Council of British Columbia", where the
// title word ("American") is not a person's.
func (d *doc) orgNamed(from, nameFrom, to int) bool {
	if to-nameFrom != 1 {
		return false
	}
	for k := from; k+1 < nameFrom; k++ {
		if d.class(k)&orgHead != 0 && (d.is(k+1, "of") || d.is(k+1, "for") || d.is(k+1, "on")) {
			return !d.opensFirstName(nameFrom)
		}
	}
	return false
}

// endsWithOrgWord reports whether the name [nameFrom, to) ends with an
// organisation word that makes it an organisation's name.
func (d *doc) endsWithOrgWord(nameFrom, to int) bool {
	return d.class(to-1)&orgHead != 0 && !(to-nameFrom <= 2 && d.isOrgWordSurname(to-1))
}

// isOrgWordSurname reports whether token k, an organisation word, is the
// surname of a first name before it, or of a person named before in full:
// "Michael Bloomberg", then "Bloomberg"; "Vicente Fox"; "Mayor Don
// Guardian", where "Clinton Foundation" and "George Washington
// University" name organisations. The first name is one of the lexicon's,
// not the table's: "Washington" and "Houston" are first names there too.
func (d *doc) isOrgWordSurname(k int) bool {
	// Every one of orgWordSurnames is an organisation word: most tokens
	// are ruled out without the comparisons.
	if d.class(k)&orgHead == 0 || !slices.ContainsFunc(orgWordSurnames, func(w string) bool { return d.is(k, w) }) {
		return false
	}
	return k > 0 && d.class(k-1)&(maleName|femaleName) != 0 || d.surnames.has(d.word(k))
}

// orgWordSurnames are the organisation words that are also common
// surnames.
var orgWordSurnames = []string{"fox", "bloomberg", "guardian", "church", "hill", "house", "post", "press", "court", "apple", "service"}

// orgWordsOnly reports whether tokens [from, to) are all organisation
// words and none a title.
func (d *doc) orgWordsOnly(from, to int) bool {
	for k := from; k < to; k++ {
		if c := d.class(k); c&orgHead == 0 || c&title != 0 {
			return false
		}
	}
	return true
}

// isInitial reports whether word is a letter and a period: "T.".
func isInitial(word string) bool {
	return len(word) == 2 && word[1] == '.' && word[0] >= 'A' && word[0] <= 'Z'
}

func (d *doc) isHonorific(k int) bool {
	for _, h := range []string{"mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr."} {
		if d.is(k, h) {
			return true
		}
	}
	return false
}

func (d *doc) span(from, to int) string {
	if from >= to {
		return ""
	}
	return d.text[d.toks[from].start:d.toks[to-1].end]
}

// genderOf guesses a person's gender from the honorifics and first name
// of the capitalised run from..to, whose name starts at first
// (nameStart(from, to), which every caller has worked out already).
func (d *doc) genderOf(from, first, to int) gender {
	for k := from; k < to; k++ {
		if !d.isWord(k) {
			continue
		}
		if g := wordGender(d.word(k)); g != unknownGender {
			return g
		}
		if k != first {
			// A surname says nothing: Rakeyia Scott is not a Scott.
			continue
		}
		if g := firstNameGender(&d.bufs.firstNames, d.word(k), d.class(k), to-first >= 2); g != unknownGender {
			return g
		}
	}
	return unknownGender
}

// wordGender is the gender an honorific or a personal pronoun gives. It
// runs on every name word, so it compares without allocating.
func wordGender(w string) gender {
	w = strings.TrimSuffix(w, ".")
	if len(w) > len("herself") || w == "" {
		return unknownGender
	}
	if c := asciiLower[w[0]]; c != 'm' && c != 'h' && c != 's' {
		// Every word of maleWords and femaleWords opens with one of these:
		// most name words are turned away without the loops.
		return unknownGender
	}
	for _, m := range maleWords {
		if lowerEqual(w, m) {
			return male
		}
	}
	for _, f := range femaleWords {
		if lowerEqual(w, f) {
			return female
		}
	}
	return unknownGender
}

var (
	maleWords   = []string{"mr", "he", "him", "his", "himself"}
	femaleWords = []string{"mrs", "ms", "miss", "she", "her", "hers", "herself"}
)

// firstNameGender is the gender of w, a word of class c in a person's
// name. The first word of a name of two words or more (opensFullName) takes
// the first-name table's; a lone word is as often a surname ("Warren",
// "Clinton") as a first name, so the table is not asked about it. Where the
// table is silent the hand lists in lexicon.go decide: titles ("King
// Abdullah"), names the table finds too mixed but the news does not ("Bernie
// Sanders", "Kim Jong Un") and names it lacks ("Recep", "Shinzo").
//
// cache, when not nil, answers for the table.
func firstNameGender(cache *firstNameCache, w string, c wordClass, opensFullName bool) gender {
	if opensFullName {
		if g := cache.gender(w); g != unknownGender {
			return g
		}
	}
	switch c & (maleName | femaleName) {
	case maleName:
		return male
	case femaleName:
		return female
	}
	return unknownGender
}

// collectMentions records the names written outside quotes, resolving a
// surname to the full name introduced before it.
func (d *doc) collectMentions() {
	d.headlineEnd = 0
	if len(d.toks) > 0 && d.isHeadline(0) {
		d.headlineEnd = d.lineEnd(0)
	}
	runs := d.bufs.runs[:0]
	// First names the article writes alone mid-sentence ("a resident
	// named Caroline"): the same word opening a sentence is her too. The
	// map is the pooled buffers', emptied after use.
	if d.bufs.midSentence == nil {
		d.bufs.midSentence = map[string]bool{}
	}
	midSentence := d.bufs.midSentence
	headlineEnd := -1
	if d.headlineEnd > 0 {
		headlineEnd = d.headlineEnd
	}
	// Local slices, which no call below changes: the loop, a step a
	// token, need not load them again each step.
	toks, quoteOf := d.toks, d.quoteOf[:len(d.toks)]
	for k := 0; k < len(toks); k++ {
		// Tokens that are neither name words nor line breaks, most of
		// them: a loop of their own, with no call to spill its registers
		// around.
		for k < len(toks) && toks[k].flags&nameWordFlag == 0 && toks[k].kind != breakToken {
			k++
		}
		if k == len(toks) {
			break
		}
		if toks[k].kind == breakToken {
			// Where a line set as a headline may start.
			if k+1 > headlineEnd && d.isHeadline(k+1) {
				headlineEnd = d.lineEnd(k + 1)
			}
			continue
		}
		if k <= headlineEnd || quoteOf[k] >= 0 {
			continue
		}
		end := k + 1
		for end < len(d.toks) && d.quoteOf[end] < 0 {
			// A capitalised speech verb inside a name ("United States
			// Pacific Command") is part of it; at its end it is a verb.
			if d.isNameWord(end) && (d.class(end)&speechVerb == 0 || d.class(end)&(title|orgHead) != 0 || d.isNameWord(end+1) && d.quoteOf[end+1] < 0) {
				end++
				continue
			}
			if (d.is(end, "of") || d.class(end)&nameParticle != 0 || d.orgPreposition(end)) && d.isNameWord(end+1) {
				end += 2
				continue
			}
			if d.isWord(end) && d.capitalized(end) && !d.opensSentence(end) && !isUpperCase(d.word(end)) && d.opensFirstName(end-1) &&
				(end-1 == k || d.class(end-2)&title != 0) {
				// "Al From", "George Will", "Ian Read": after a first name,
				// a capitalised word is a surname, whatever else it is.
				end++
				continue
			}
			if list := d.orgListEnd(k, end); list > end {
				end = list
				continue
			}
			break
		}
		runs = append(runs, tokenRange{k, end})
		if end == k+1 && !d.opensSentence(k) && d.tableGender(d.word(k)) != unknownGender {
			midSentence[d.word(k)] = true
		}
		k = end - 1
	}
	d.bufs.runs = runs
	d.mentions = slices.Grow(d.mentions[:0], len(runs))
	d.surnames = &d.bufs.surnames
	d.surnames.reset()
	for _, r := range runs {
		d.addMention(r.from, r.to, midSentence)
	}
	clear(midSentence)
}

// addMention records the name written at tokens [from, to). A lone first
// name opening a sentence counts only when firstNames has it.
func (d *doc) addMention(from, to int, firstNames map[string]bool) {
	if d.afterIndefinite(from) {
		// "a prominent New York Democrat" describes someone; it names no one.
		return
	}
	if d.isWord(to) && !d.capitalized(to) && d.class(to)&(roleNoun|orgHead) != 0 && d.class(to)&(speechVerb|clauseWord) == 0 && !d.possessive(to-1) {
		// "a Trump confidant", "the Clinton campaign": the name describes
		// someone else.
		return
	}
	if of := d.lastOf(from, to); of > from && (d.isTownBeforeState(to) || isPlace(d.span(of+1, to)) || d.isPersonRun(d.runEndingAt(of-1, from))) {
		// "Cecelia Purner of Allentown, Pa.", "Peter King of New York",
		// "Joel Pollak of Breitbart California".
		to = of
	}
	nameFrom := d.nameStart(from, to)
	m := mention{tok: nameFrom, end: to, descriptor: d.span(d.descriptorStart(from), nameFrom)}
	switch {
	case d.endsWithOrgWord(nameFrom, to) || nameFrom == to || d.hasOrgList(from, to) || d.orgNamed(from, nameFrom, to):
		if to-from == 1 && d.class(to-1)&orgHead == 0 {
			return
		}
		m.tok, m.kind, m.name, m.descriptor = from, quote.Organization, d.fullerOrganization(d.span(from, to), from), ""
	default:
		name := personName(d.span(nameFrom, to))
		if isPlace(d.span(from, to)) || d.isTownBeforeState(to) || d.isPlaceName(name) {
			// "New Hampshire", "Allentown, Pa.": places do not speak.
			return
		}
		m.kind = quote.Person
		m.name = name
		m.full = to-nameFrom > 1
		m.gender = d.genderOf(from, nameFrom, to)
		if first := firstWord(m.name); m.full && d.tableGender(first) == unknownGender && classOf(first)&(maleName|femaleName) == 0 {
			if full, ok := d.longerName(m.name, m.gender, from); ok {
				// "Le Pen" after "Marine Le Pen", "Abu Laban" after "Osman
				// Abu Laban": a surname of two words.
				m.name = full.name
				if m.gender == unknownGender {
					m.gender = full.gender
				}
				if m.descriptor == "" {
					m.descriptor = full.descriptor
				}
			}
		}
		if !m.full {
			var full mention
			var ok bool
			full, m.gender, ok = d.surnameFullName(m.name, m.gender, from, nameFrom, to, from)
			if !ok && from == nameFrom {
				// A lone capitalised word with no title is as likely a
				// place, unless it is a first name written mid-sentence:
				// "a resident named Caroline". Its gender is left to the
				// pronouns that follow, since it may as well be a surname
				// ("Clinton", "Warren").
				if d.opensSentence(from) && !firstNames[m.name] || stateAbbreviations[m.name+"."] || d.tableGender(m.name) == unknownGender {
					return
				}
			}
			if ok {
				m.name = full.name
				if m.gender == unknownGender {
					m.gender = full.gender
				}
				if m.descriptor == "" {
					m.descriptor = full.descriptor
				}
			}
		}
	}
	d.surnames.add(len(d.mentions), &m)
	d.mentions = append(d.mentions, m)
}

// possessive reports whether token k is a word with a possessive ending:
// "Donald Trump’s campaign" names Donald Trump, where "the Trump campaign"
// does not.
func (d *doc) possessive(k int) bool {
	w := d.word(k)
	return len(trimPossessive(w)) < len(w)
}

// lastOf is the last "of" among tokens [from, to), or -1.
func (d *doc) lastOf(from, to int) int {
	for k := to - 1; k >= from; k-- {
		if d.is(k, "of") {
			return k
		}
	}
	return -1
}

// afterIndefinite reports whether the words before token k are "a" or
// "an" and at most two lower-case modifiers.
func (d *doc) afterIndefinite(k int) bool {
	for j := k - 1; j >= 0 && k-j <= maxModifiers+1; j-- {
		if !d.isWord(j) {
			return false
		}
		w := d.word(j)
		if lowerEqual(w, "a") || lowerEqual(w, "an") {
			return true
		}
		if w == "named" || w == "called" {
			// "a resident named Caroline" does name her.
			return false
		}
		if isCapitalized(w) {
			return false
		}
	}
	return false
}

// maxModifiers bounds the adjectives between an article and a name.
const maxModifiers = 2

// fullName finds the full name a surname refers to: of the full names
// written before token before that end with it, the one the article has
// named most so far (the person it keeps returning to; the latest on a
// tie), else the first written after. A known gender ("Mr. Obama") passes
// over a full name of the other ("Michelle Obama").
func (d *doc) fullName(surname string, g gender, before int) (mention, bool) {
	if g == unknownGender {
		g = d.surnameGender(surname)
	}
	fits := func(m *mention) bool {
		return m.full && m.kind == quote.Person && (g == unknownGender || m.gender == unknownGender || m.gender == g)
	}
	// One tally per name, of the names written in full alone, the only
	// ones that can fit: an article names few people.
	type tally struct {
		name  string
		count int
		// latest indexes the latest full mention that fits, -1 for none:
		// an index, not a copy, keeps the tallies small to clear and fill.
		latest int
	}
	var buf [8]tally
	tallies := buf[:0]
	firstAfter := -1
	// Latest first; mentions are in the order of their tokens.
	for i := range d.surnames.candidates(surname, true) {
		m := &d.mentions[i]
		if !endsWithWord(m.name, surname) {
			continue
		}
		if m.tok >= before {
			if fits(m) {
				firstAfter = i
			}
			continue
		}
		j := slices.IndexFunc(tallies, func(t tally) bool { return t.name == m.name })
		if j < 0 {
			// Every person mention of the name counts, in full or not: all
			// of them end with the surname as this one does.
			j = len(tallies)
			tallies = append(tallies, tally{name: m.name, count: d.namedBefore(m.name, before), latest: -1})
		}
		if fits(m) && tallies[j].latest < 0 {
			tallies[j].latest = i
		}
	}
	// The order of the tallies does not matter: no two fitting ones share
	// their latest mention, so nothing ties.
	// A name of the gender asked for outweighs one of no known gender:
	// "Woods said she" is Dorothy Woods, not Ty Woods.
	exact := func(t tally) bool { return g != unknownGender && d.mentions[t.latest].gender == g }
	best := -1
	for i, t := range tallies {
		if t.latest < 0 {
			continue
		}
		if best < 0 || exact(t) && !exact(tallies[best]) {
			best = i
			continue
		}
		if exact(t) == exact(tallies[best]) && (t.count > tallies[best].count || t.count == tallies[best].count && d.mentions[t.latest].tok > d.mentions[tallies[best].latest].tok) {
			best = i
		}
	}
	if best >= 0 {
		return d.mentions[tallies[best].latest], true
	}
	if firstAfter >= 0 {
		return d.mentions[firstAfter], true
	}
	return d.headlineFullName(surname, g)
}

// longerName is the latest person named before token before whose name ends with
// name, a name of two words or more, and is longer: the full name of a
// surname of two words ("Le Pen", "Abu Laban", "Peña Nieto"). A known
// gender passes over a name of the other.
func (d *doc) longerName(name string, g gender, before int) (mention, bool) {
	for i := range d.surnames.candidates(name, false) {
		m := &d.mentions[i]
		if m.tok < before && m.kind == quote.Person && len(m.name) > len(name) && strings.HasSuffix(m.name, name) && strings.LastIndexByte(m.name[:len(m.name)-len(name)-1], ' ') < 0 && m.name[len(m.name)-len(name)-1] == ' ' &&
			(g == unknownGender || m.gender == unknownGender || m.gender == g) {
			return *m, true
		}
	}
	return mention{}, false
}

// surnameIndex finds the person mentions a surname may name without
// reading every mention: fullName asks for each surname an article writes.
// A name that endsWithWord matches w has w's last word for its last word
// or w's first word for its first, so those two are the keys.
type surnameIndex struct {
	// words numbers the words that open or end the names indexed, and
	// latest holds, by word number, the latest person mentions whose name
	// ends or opens with it. prevByLast and prevByFirst, one per mention,
	// chain each to the previous one with the same word, -1 ending a
	// chain. One map for both words is one lookup for a one-word name,
	// most surnames, where a map for each took two.
	words                   map[string]int32
	latest                  []latestMentions
	prevByLast, prevByFirst []int32
	// prevFullByLast and prevFullByFirst chain the mentions of names of
	// two words or more alone, the only ones fullName can answer with:
	// an article that keeps writing "Trump" after "Donald Trump" makes the
	// chains above long, these short.
	prevFullByLast, prevFullByFirst []int32
	// names numbers the names of person mentions, and latestNamed holds,
	// by name number, the latest mention of the name: a name written again
	// costs one lookup, where a map to the mention itself took a lookup
	// and an assignment. prevSameName chains each person mention to the
	// previous one of the same name, and namedCount counts the person
	// mentions of its name up to it.
	names        map[string]int32
	latestNamed  []int32
	prevSameName []int32
	namedCount   []int32
}

// latestMentions are the latest person mentions whose name ends or opens
// with a word, and the latest of those whose name is of two words or
// more, -1 for none.
type latestMentions struct{ byLast, byFirst, fullByLast, fullByFirst int32 }

// noMentions are the latest mentions of a word no name has held.
var noMentions = latestMentions{byLast: -1, byFirst: -1, fullByLast: -1, fullByFirst: -1}

func (x *surnameIndex) reset() {
	if x.words == nil {
		x.words = map[string]int32{}
		x.names = map[string]int32{}
	}
	clear(x.words)
	clear(x.names)
	x.latest = x.latest[:0]
	x.prevByLast, x.prevByFirst = x.prevByLast[:0], x.prevByFirst[:0]
	x.prevFullByLast, x.prevFullByFirst = x.prevFullByLast[:0], x.prevFullByFirst[:0]
	x.latestNamed, x.prevSameName, x.namedCount = x.latestNamed[:0], x.prevSameName[:0], x.namedCount[:0]
}

// add indexes m, the mention at index i, the next after those added.
func (x *surnameIndex) add(i int, m *mention) {
	prevLast, prevFirst := int32(-1), int32(-1)
	prevFullLast, prevFullFirst := int32(-1), int32(-1)
	prevName, count := int32(-1), int32(0)
	if m.kind == quote.Person {
		last, first := lastWord(withoutSuffix(m.name)), firstWord(m.name)
		l := x.number(last)
		f := l
		if first != last {
			f = x.number(first)
		}
		prevLast, x.latest[l].byLast = x.latest[l].byLast, int32(i)
		prevFirst, x.latest[f].byFirst = x.latest[f].byFirst, int32(i)
		if m.full {
			prevFullLast, x.latest[l].fullByLast = x.latest[l].fullByLast, int32(i)
			prevFullFirst, x.latest[f].fullByFirst = x.latest[f].fullByFirst, int32(i)
		}
		n, ok := x.names[m.name]
		if !ok {
			n = int32(len(x.latestNamed))
			x.names[m.name] = n
			x.latestNamed = append(x.latestNamed, -1)
		}
		count = 1
		if p := x.latestNamed[n]; p >= 0 {
			prevName, count = p, x.namedCount[p]+1
		}
		x.latestNamed[n] = int32(i)
	}
	x.prevByLast = append(x.prevByLast, prevLast)
	x.prevByFirst = append(x.prevByFirst, prevFirst)
	x.prevFullByLast = append(x.prevFullByLast, prevFullLast)
	x.prevFullByFirst = append(x.prevFullByFirst, prevFullFirst)
	x.prevSameName = append(x.prevSameName, prevName)
	x.namedCount = append(x.namedCount, count)
}

// has reports whether a person mention's name ends with w.
func (x *surnameIndex) has(w string) bool {
	return x.latestOf(w).byLast >= 0
}

// number is word's number, given it when it had none.
func (x *surnameIndex) number(word string) int32 {
	n, ok := x.words[word]
	if !ok {
		n = int32(len(x.latest))
		x.words[word] = n
		x.latest = append(x.latest, noMentions)
	}
	return n
}

// latestOf is the latest mentions indexed under word.
func (x *surnameIndex) latestOf(word string) latestMentions {
	if n, ok := x.words[word]; ok {
		return x.latest[n]
	}
	return noMentions
}

// candidates yields, latest first and each once, the person mentions
// whose name ends with w's last word or opens with w's first; with
// fullOnly, those whose name is of two words or more alone.
func (x *surnameIndex) candidates(w string, fullOnly bool) iter.Seq[int] {
	return func(yield func(int) bool) {
		last := lastWord(w)
		l := x.latestOf(last)
		f := l
		if first := firstWord(w); first != last {
			f = x.latestOf(first)
		}
		byLast, byFirst, prevByLast, prevByFirst := l.byLast, f.byFirst, x.prevByLast, x.prevByFirst
		if fullOnly {
			byLast, byFirst, prevByLast, prevByFirst = l.fullByLast, f.fullByFirst, x.prevFullByLast, x.prevFullByFirst
		}
		for byLast >= 0 || byFirst >= 0 {
			i := max(byLast, byFirst)
			if byLast == i {
				byLast = prevByLast[i]
			}
			if byFirst == i {
				byFirst = prevByFirst[i]
			}
			if !yield(int(i)) {
				return
			}
		}
	}
}

// named yields, latest first, the person mentions of name.
func (x *surnameIndex) named(name string) iter.Seq[int] {
	return func(yield func(int) bool) {
		n, ok := x.names[name]
		if !ok {
			return
		}
		for i := x.latestNamed[n]; i >= 0; i = x.prevSameName[i] {
			if !yield(int(i)) {
				return
			}
		}
	}
}

// namedBefore counts the person mentions of name before token before.
func (d *doc) namedBefore(name string, before int) int {
	for i := range d.surnames.named(name) {
		if d.mentions[i].tok < before {
			return int(d.surnames.namedCount[i])
		}
	}
	return 0
}

func firstWord(s string) string {
	if i := strings.IndexByte(s, ' '); i >= 0 {
		return s[:i]
	}
	return s
}

// headlineFullName is the full name a title-case headline gives a surname
// the text never names in full: the surname right after a first name of
// the table's, of gender g when g is known ("Hillary Clinton Goes After
// Donald Trump" and, below, "Clinton said"). The rest of such a headline's
// capitals say nothing, so nothing else in it is taken for a name.
func (d *doc) headlineFullName(surname string, g gender) (mention, bool) {
	end := d.headlineEnd
	for k := 0; k+1 < end; k++ {
		if !d.isWord(k) || !d.isWord(k+1) || d.word(k+1) != surname {
			continue
		}
		first := d.tableGender(d.word(k))
		if first == unknownGender || g != unknownGender && first != g {
			continue
		}
		return mention{tok: k, end: k + 2, name: d.span(k, k+2), kind: quote.Person, gender: first, full: true}, true
	}
	return mention{}, false
}

// surnameFullName resolves a surname written at tokens [from, to), its
// name starting at nameFrom, to the full name it stands for before token
// before, and gives the gender the article says it has. Without a title,
// the pronoun after the name says more than lists of first names ("Woods
// said she …" is Dorothy Woods, not her husband); a title ("Mr.")
// outweighs both. When the lists alone gave a gender that no full name
// fits, the word may be a surname of either gender ("Mariano" is Dr.
// Connie Mariano). listed is genderOf(from, nameFrom, to), which every
// caller has worked out already.
func (d *doc) surnameFullName(surname string, listed gender, from, nameFrom, to, before int) (mention, gender, bool) {
	g := listed
	if from == nameFrom || g == unknownGender {
		if after := d.pronounAfter(entityRef{from: from, to: to}); after != unknownGender {
			g = after
		}
	}
	full, ok := d.fullName(surname, g, before)
	if !ok && from == nameFrom && g != unknownGender && g == listed {
		full, ok = d.fullName(surname, unknownGender, before)
	}
	return full, g, ok
}

// surnameGender is the gender the article's titled mentions of a surname
// agree on: "President Obama" is the article's "Mr. Obama", not the first
// lady named later. It is unknownGender when they disagree ("Mr. Clinton",
// "Mrs. Clinton") or none has a title.
func (d *doc) surnameGender(surname string) gender {
	g := unknownGender
	// Only people have a gender.
	for i := range d.surnames.named(surname) {
		m := &d.mentions[i]
		if m.full || m.gender == unknownGender {
			continue
		}
		if g != unknownGender && m.gender != g {
			return unknownGender
		}
		g = m.gender
	}
	return g
}

// endsWithWord reports whether name's last word is w, or its first when w
// is a first name: an article may call a person by first name ("Melanie"),
// but "Obama" never stands for "Obama Sees".
func endsWithWord(name, w string) bool {
	if len(name) == len(w) {
		return name == w
	}
	// The common case first, the space before w first of all: fullName
	// asks this of every mention of a surname, and withoutSuffix's search
	// for the last word was most of the time it took.
	if len(name) > len(w) && name[len(name)-len(w)-1] == ' ' && name[len(name)-len(w):] == w {
		return true
	}
	if short := withoutSuffix(name); len(short) < len(name) && short != w && endsWithWord(short, w) {
		// "Harris" is Harry B. Harris Jr.
		return true
	}
	return strings.HasPrefix(name, w) && name[len(w)] == ' ' && (classOf(w)&(maleName|femaleName) != 0 || hyphenatedGivenName(name[len(w)+1:]))
}

// hyphenatedGivenName reports whether rest, the words of a name after its
// first, is one Korean given name written with a hyphen ("Ki-moon",
// "Geun-hye"): then the name's first word is the family name, which the
// news writes alone ("Ban" is Ban Ki-moon).
func hyphenatedGivenName(rest string) bool {
	i := strings.IndexByte(rest, '-')
	return i > 0 && i+1 < len(rest) && 'a' <= rest[i+1] && rest[i+1] <= 'z' &&
		!strings.Contains(rest, " ") && strings.Count(rest, "-") == 1
}

// withoutSuffix is name without a generational suffix: "Joseph R. Biden
// Jr" is "Joseph R. Biden".
func withoutSuffix(name string) string {
	i := strings.LastIndexByte(name, ' ')
	if i < 0 {
		return name
	}
	switch name[i+1:] {
	case "Jr", "Jr.", "Sr", "Sr.", "II", "III", "IV":
		return name[:i]
	}
	return name
}

// personName is a person's name as written, without a possessive ending
// or the place or employer after it: "Terry E. Branstad of Iowa" is
// "Terry E. Branstad". One word before "of" is a title or an institution
// ("District of Columbia"), left whole.
func personName(span string) string {
	name := trimPossessive(span)
	// A search for the no-break space's second byte first: it rules out
	// nearly every name, faster than the search for both.
	if strings.IndexByte(name, 0xa0) >= 0 && strings.Contains(name, "\u00a0") {
		// "Stu\u00a0Burguiere": a no-break space is a space in a name.
		name = strings.ReplaceAll(name, "\u00a0", " ")
	}
	if i := strings.Index(name, " of "); i > 0 && strings.Contains(name[:i], " ") {
		return name[:i]
	}
	return name
}

// trimPossessive drops a possessive ending: "John Kerry’s" → "John Kerry".
func trimPossessive(name string) string {
	if name == "" {
		return name
	}
	if c := name[len(name)-1]; c != 's' && c != '\'' && c != "’"[2] {
		// Every suffix below ends with one of these bytes; most names
		// end otherwise.
		return name
	}
	for _, suffix := range []string{"’s", "'s", "’", "'"} {
		if strings.HasSuffix(name, suffix) {
			return name[:len(name)-len(suffix)]
		}
	}
	return name
}

// descriptorStart widens a name's descriptor back over the lower-case
// title words written before it: "State Department spokesman John Kirby".
func (d *doc) descriptorStart(from int) int {
	k := from
	for j := from - 1; j >= 0 && from-j <= 6 && d.quoteOf[j] < 0; j-- {
		if d.isNameWord(j) || d.is(j, "of") && d.isNameWord(j-1) {
			k = j
			continue
		}
		if d.isWord(j) && !d.capitalized(j) && d.class(j)&(title|roleNoun|orgHead) != 0 && d.class(j)&(clauseWord|determiner) == 0 {
			k = j
			continue
		}
		break
	}
	return k
}

func (d *doc) lineEnd(k int) int {
	for k < len(d.toks) && d.toks[k].kind != breakToken {
		k++
	}
	return k
}

// isHeadline reports whether the line starting at token k is set in title
// case, like a headline, whose capitals say nothing about names.
func (d *doc) isHeadline(k int) bool {
	words, upper := 0, 0
	// To the line's end, found as the loop goes rather than first: most
	// lines are prose, which the loop leaves at its second word.
	for ; k < len(d.toks) && d.toks[k].kind != breakToken; k++ {
		if !d.isWord(k) || d.class(k)&(determiner|clauseWord) != 0 && !d.capitalized(k) {
			continue
		}
		if !d.capitalized(k) {
			// Prose: most lines end their test at their second word.
			return false
		}
		words++
		if isUpperCase(d.word(k)) {
			upper++
		}
	}
	// A line in capitals alone ("FULL TEXT.") is a rubric, however short.
	return words >= minHeadlineWords || words > 0 && upper == words
}

// Gender is what a speaker's words say of their gender: "male", "female",
// or "" when they say nothing.
type Gender string

const (
	Male   Gender = "male"
	Female Gender = "female"
)

func (g gender) exported() Gender {
	switch g {
	case male:
		return Male
	case female:
		return Female
	}
	return ""
}

// NameGender is the gender of a person's first name, "" when neither the
// hand lists nor the first-name table give it one.
func NameGender(name string) Gender {
	first, rest, _ := strings.Cut(strings.TrimSpace(name), " ")
	return firstNameGender(nil, first, classOf(first), rest != "").exported()
}

// SpeakerGender is what the words an article uses for a speaker say of
// their gender: an honorific ("Mr. Obama") or a pronoun ("she") at the
// quote, else what the article's pronouns and titles said of the person.
func SpeakerGender(sp quote.Speaker) Gender {
	// The words at the quote ("Ms. Obama") outweigh what the article said
	// of the name elsewhere.
	for _, w := range strings.Fields(sp.Mention + " " + sp.Descriptor) {
		if g := wordGender(w); g != unknownGender {
			return g.exported()
		}
	}
	return Gender(sp.Gender)
}
