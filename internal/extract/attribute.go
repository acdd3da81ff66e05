package extract

import (
	"cmp"
	"iter"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/newsroom-tools/quotes/internal/quote"
)

// attribution is a speaker found for a quote or a speech verb, with the
// tokens it rests on.
type attribution struct {
	speaker      quote.Speaker
	cueFrom      int // token range of the cue; cueFrom == cueTo when none
	cueTo        int
	mentionFrom  int // token range of the speaker's mention
	mentionTo    int
	rule         string
	confidence   float64
	partial      bool
	verbPosition int // the cue's token, for ordering reports
}

func (a attribution) found() bool { return a.rule != "" }

// nameWritten reports whether the speaker's name is written in the mention
// ("Russia’s foreign ministry", "Kerry"), not resolved from elsewhere ("he").
func (a attribution) nameWritten() bool {
	return a.speaker.Name != "" && strings.Contains(a.speaker.Mention, a.speaker.Name)
}

// nounPhrase is a speaker as written: the core noun phrase and an
// appositive or relative clause describing it.
type nounPhrase struct {
	from, to       int
	descFrom, desc int
}

func (np nounPhrase) empty() bool { return np.from >= np.to }

// isSpeechVerb reports whether token k is a speech verb used as a verb.
func (d *doc) isSpeechVerb(k int) bool { return d.isVerb(k, speechVerb) }

func (d *doc) isVerb(k int, class wordClass) bool {
	// The class first: it rules out nearly every token, and only words
	// have one.
	if d.class(k)&class == 0 {
		return false
	}
	w := d.word(k)
	if d.capitalized(k) && (!d.opensSentence(k) || d.class(k)&(title|orgHead) != 0) {
		return false
	}
	if d.isWord(k-1) && d.class(k-1)&determiner != 0 && d.class(k-1)&(pronoun|indefinite) == 0 {
		// "the report", "his post": a noun, not a verb. "Some chanted" is.
		return false
	}
	if particle := particleOf(w); particle != "" {
		return d.is(k+1, particle)
	}
	return true
}

// particleOf is the word a verb needs after it to mean speaking: went on,
// pointed out, put it, shot back, chimed in.
func particleOf(verb string) string {
	if verb == "" {
		return ""
	}
	switch asciiLower[verb[0]] {
	case 'c', 'f', 'g', 'h', 'p', 's', 'w':
		// The letters verbParticles' verbs open with: most speech verbs
		// ("told", "added", "according") are turned away without the loop.
	default:
		return ""
	}
	for _, p := range verbParticles {
		if len(verb) >= len(p.prefix) && lowerEqual(verb[:len(p.prefix)], p.prefix) {
			return p.particle
		}
	}
	return ""
}

var verbParticles = []struct{ prefix, particle string }{
	{"go", "on"}, {"went", "on"}, {"point", "out"}, {"put", "it"},
	{"shot", "back"}, {"shoot", "back"}, {"fire", "back"}, {"hit", "back"},
	{"push", "back"}, {"chime", "in"}, {"weigh", "in"}, {"spell", "out"},
}

// opensSentence reports whether token k starts a sentence, where a
// capitalised word may still be a verb ("Said Comey: …").
func (d *doc) opensSentence(k int) bool {
	if k == 0 {
		return true
	}
	switch d.toks[k-1].kind {
	case breakToken, markToken:
		return true
	case punctToken:
		return d.isPunct(k-1, ':') || d.isSentenceEnd(k-1)
	}
	return false
}

// cueEnd extends a verb over its particle.
func (d *doc) cueEnd(v int) int {
	if particleOf(d.word(v)) != "" {
		return v + 2
	}
	return v + 1
}

func (d *doc) skipModifiers(k, to int) int {
	for k < to && d.isWord(k) && d.class(k)&(adverb|timeWord) != 0 && d.class(k)&pronoun == 0 {
		k++
	}
	return k
}

// npForward reads the speaker after an inverted verb or "according to":
// "said Elaine Kamarck, a veteran of the DNC", "according to Jatras".
func (d *doc) npForward(k, to int) nounPhrase {
	k = d.skipModifiers(k, to)
	np := nounPhrase{from: k}
	for k < to && k-np.from < maxPhraseTokens {
		switch {
		case d.isWord(k):
			c := d.class(k)
			w := d.word(k)
			participle := !isCapitalized(w) && strings.HasSuffix(w, "ing") && d.class(k-1)&determiner == 0
			if k > np.from && (c&clauseWord != 0 && c&determiner == 0 || d.isSpeechVerb(k) || participle) {
				goto done
			}
			if k == np.from && c&clauseWord != 0 && c&(determiner|pronoun) == 0 {
				return nounPhrase{}
			}
			if d.qualifiesSource(k) {
				// "said a person close to the Clintons": the person, whom
				// the rest describes.
				np.to, np.descFrom, np.desc = k, k, d.descriptionEnd(k, to)
				return np
			}
			k++
		case d.isPunct(k, '('):
			j := k + 1
			for j < to && !d.isPunct(j, ')') {
				j++
			}
			if j >= to {
				goto done
			}
			k = j + 1
		default:
			goto done
		}
	}
done:
	np.to = k
	for np.to > np.from && !d.isWord(np.to-1) {
		np.to--
	}
	np.descFrom, np.desc = k, k
	switch {
	case d.isPunct(k, ',') && (d.is(k+1, "who") || d.is(k+1, "which")):
		np.descFrom = k + 1
		np.desc = d.descriptionEnd(k+1, to)
	case d.isPunct(k, ',') && k+1 < to && d.isWord(k+1) && d.class(k+1)&(determiner|title|roleNoun) != 0 && !d.isSpeechVerb(k+1):
		np.descFrom = k + 1
		np.desc = d.descriptionEnd(k+1, to)
	case d.is(k, "who") || d.is(k, "which"):
		np.descFrom = np.from
		np.desc = d.descriptionEnd(k, to)
	}
	return np
}

// descriptionEnd is where an appositive that starts at k stops: the
// sentence's end, or a comma before a participle clause ("…, adding").
func (d *doc) descriptionEnd(k, to int) int {
	end := to
	for j := k; j < to; j++ {
		if d.toks[j].kind == markToken || d.isSentenceEnd(j) || d.isPunct(j, ';') ||
			d.isPunct(j, ',') && d.isWord(j+1) && (strings.HasSuffix(d.word(j+1), "ing") || d.isSpeechVerb(j+1) || d.class(j+1)&pronoun != 0) {
			end = j
			break
		}
	}
	for end > k && !d.isWord(end-1) && !d.isPunct(end-1, ')') {
		end--
	}
	return end
}

// npBackward reads the subject of the verb at v, not reaching before lo:
// "he", "Kerry", "Toner, a spokesman,", "the ministry".
func (d *doc) npBackward(v, lo int) nounPhrase {
	k := v - 1
	for k >= lo && d.isWord(k) && d.class(k)&(auxiliary|adverb|timeWord) != 0 && d.class(k)&(pronoun|determiner) == 0 {
		k--
	}
	k = d.skipParenthesisBack(k, lo)
	var np nounPhrase
	if d.isPunct(k, ',') && strings.HasSuffix(d.word(v), "ing") {
		// "…, vowing to": a participle's subject opens the sentence.
		return nounPhrase{}
	}
	if w := d.relativeClauseBefore(k, lo); w > lo {
		// "Sandy Phillips, who lost her daughter in Aurora, Colorado, in
		// 2012, said": the subject is before the whole clause.
		np.descFrom, np.desc = w, k
		k = d.skipParenthesisBack(w-2, lo)
	} else if k >= lo && d.isPunct(k, ',') {
		j := k - 1
		for j >= lo && !d.isPunct(j, ',') && d.toks[j].kind != markToken && !d.isSentenceEnd(j) {
			j--
		}
		if j < lo || !d.isPunct(j, ',') {
			return nounPhrase{}
		}
		np.descFrom, np.desc = j+1, k
		k = d.skipParenthesisBack(j-1, lo)
		if t := d.townSubject(j, k, lo); !t.empty() {
			return t
		}
	}
	np.to = k + 1
	if k >= lo && d.class(k)&pronoun != 0 {
		np.from = k
		if np.descFrom == np.desc {
			np.descFrom, np.desc = np.to, np.to
		}
		return np
	}
	for k >= lo && np.to-k <= maxSubjectTokens {
		if d.isWord(k) {
			c := d.class(k)
			if c&clauseWord != 0 && c&(determiner|pronoun) == 0 && !d.is(k, "of") && !d.is(k, "for") {
				break
			}
			if d.isSpeechVerb(k) || d.isVerb(k, reportVerb) {
				break
			}
			if c&pronoun != 0 && k < np.to-1 {
				break
			}
			k--
			continue
		}
		if d.isPunct(k, ')') {
			j := k - 1
			for j >= lo && !d.isPunct(j, '(') {
				j--
			}
			if j < lo {
				break
			}
			k = j - 1
			continue
		}
		break
	}
	if d.isPreposition(k) && d.qualifiesSource(k-1) && np.descFrom == np.desc {
		// "a source familiar with the talks said": the source, whom the
		// rest describes.
		head := d.npBackward(k-1, lo)
		if !head.empty() && head.descFrom == head.desc {
			head.descFrom, head.desc = k-1, np.to
			return head
		}
	}
	np.from = k + 1
	for np.from < np.to && !d.isWord(np.from) {
		np.from++
	}
	if np.descFrom == np.desc {
		np.descFrom, np.desc = np.to, np.to
	}
	if name, ok := d.namedInAppositive(np); ok {
		// "the White House spokesman, Josh Earnest, said": the speaker is
		// the person named; the role describes him.
		return nounPhrase{from: name.from, to: name.to, descFrom: np.from, desc: np.to}
	}
	return np
}

// qualifiesSource reports whether token k is an adjective that, after a
// role noun and before a preposition, tells what an unnamed source knows:
// "a person close to", "a source familiar with", "officials briefed on".
func (d *doc) qualifiesSource(k int) bool {
	if k < 1 || !d.isWord(k) || d.class(k-1)&(roleNoun|title) == 0 || !d.isPreposition(k+1) {
		return false
	}
	return d.is(k, "close") || d.is(k, "familiar") || d.is(k, "knowledgeable") || d.is(k, "briefed")
}

// townSubject handles a subject whose last appositive is the town it is
// from ("Cecelia Purner, 67, a retired teacher in Allentown, Pa., said"):
// the town and state are no speaker; the name the phrase opens with, at lo,
// is. comma is the comma before the state and k the town's last token.
func (d *doc) townSubject(comma, k, lo int) nounPhrase {
	if k < lo || !d.isNameWord(k) || !d.isTownBeforeState(comma) {
		return nounPhrase{}
	}
	run := d.runEndingAt(k, lo)
	if before := run.from - 1; before < lo || !d.is(before, "in") && !d.is(before, "of") && !d.is(before, "from") {
		return nounPhrase{}
	}
	from := lo
	for from < k && !d.isWord(from) {
		from++
	}
	if from >= run.from || !d.isNameWord(from) {
		return nounPhrase{}
	}
	to := d.runEnd(from, run.from)
	if to-from < 2 || !d.isPunct(to, ',') {
		return nounPhrase{}
	}
	return nounPhrase{from: from, to: to, descFrom: to + 1, desc: comma}
}

// namedInAppositive finds the person whose name fills the appositive after
// a role ("his top strategist, John Weaver,"): a name of two words or
// more and nothing else, after a lower-case role noun.
func (d *doc) namedInAppositive(np nounPhrase) (nameRun, bool) {
	head := np.to - 1
	if np.empty() || np.descFrom < np.to || np.desc-np.descFrom < 2 ||
		d.class(head)&roleNoun == 0 || d.capitalized(head) {
		return nameRun{}, false
	}
	run := d.runEndingAt(np.desc-1, np.descFrom)
	if run.from != np.descFrom || run.to-run.nameFrom < 2 || d.class(run.to-1)&orgHead != 0 {
		return nameRun{}, false
	}
	return run, true
}

// relativeClauseBefore finds the "who" of a ", who …," clause (or the
// "of" of ", of Springfield, Va.,") that ends with the comma at token
// comma, in the same sentence and from lo on; -1 when there is none.
func (d *doc) relativeClauseBefore(comma, lo int) int {
	if !d.isPunct(comma, ',') {
		return -1
	}
	for j := comma - 1; j > lo && comma-j <= maxClauseTokens; j-- {
		if d.isSentenceEnd(j) || d.toks[j].kind == markToken {
			return -1
		}
		if (d.is(j, "who") || d.is(j, "whose") || d.is(j, "of")) && d.isPunct(j-1, ',') {
			return j
		}
	}
	return -1
}

// describe turns a noun phrase into a speaker resolved within the article.
// at is the token the attribution is made at, for recency.
func (d *doc) describe(np nounPhrase, at int) (quote.Speaker, bool) {
	if np.empty() {
		return quote.Speaker{}, false
	}
	for k := np.from + 1; k < np.to; k++ {
		if d.isPunct(k, '(') {
			// "Rep. Jim Clyburn (D-S.C.": the party and state are no name.
			np.to = k
			break
		}
	}
	last := np.to - 1
	mentionText := d.span(np.from, np.to)
	desc := d.span(np.descFrom, np.desc)
	lastWord := d.word(last)
	lastClass := d.class(last)
	if head := d.roleBeforePreposition(np); head > np.from && d.class(np.from)&indefinite != 0 {
		// "a spokesman for committee Democrats" is the spokesman, an
		// anonymous source, not the Democrats.
		sp := d.describeCommon(nounPhrase{from: np.from, to: head + 1, descFrom: np.descFrom, desc: np.desc}, at, mentionText, desc)
		return sp, true
	}
	if prep := d.placeAfterRole(np); prep > np.from {
		// "the senator from Vermont", "the attorney general of Oklahoma":
		// the person the role describes; the place is no speaker.
		return d.describeCommon(nounPhrase{from: np.from, to: prep, descFrom: np.descFrom, desc: np.desc}, at, mentionText, desc), true
	}
	if d.is(np.from, "the") && (lowerEqual(lastWord, "newspaper") || lowerEqual(lastWord, "paper")) {
		// "the newspaper admitted": the newspaper just named.
		if paper, ok := d.editorialOwner(np, at); ok {
			paper.Mention = mentionText
			return paper, true
		}
	}
	if d.is(np.from, "the") && strings.HasSuffix(mentionText, "-year-old") && !strings.Contains(mentionText[4:], " ") {
		// "said the 46-year-old": the person the article has just named.
		if sp, ok := d.latestNamed(quote.Person, at, maxDocumentSentencesBack); ok {
			sp.Mention = mentionText
			return sp, true
		}
	}
	switch {
	case np.to-np.from == 1 && lastClass&pronoun != 0:
		return d.resolvePronoun(lastWord, at), true
	case np.to-np.from >= 2 && d.class(np.from)&indefinite != 0 && lastClass&title != 0 && lastClass&(maleName|femaleName) == 0:
		// "one well-connected Democrat": someone of the party, unnamed.
		return d.describeCommon(np, at, mentionText, desc), true
	case np.to-np.from == 1 && lastClass&roleNoun != 0 && lastClass&title == 0 && d.opensSentence(last):
		// "Protesters chanted": a capitalised common noun only because it
		// opens the sentence.
		return d.describeCommon(np, at, mentionText, desc), true
	case d.isNameWord(last) || isCapitalized(lastWord) && lastClass&commonCapital == 0:
		return d.describeName(np, at, mentionText, desc), true
	case lastClass&(roleNoun|orgHead|documentNoun) != 0:
		return d.describeCommon(np, at, mentionText, desc), true
	}
	if lastClass&(pronoun|clauseWord|auxiliary|adverb|timeWord|speechVerb) != 0 || d.class(np.from)&determiner == 0 {
		return quote.Speaker{}, false
	}
	return quote.Speaker{Kind: quote.Unknown, Mention: mentionText, Descriptor: desc}, true
}

// roleBeforePreposition finds, in np, a role noun followed by "for",
// "at" or "with" ("a spokesman for Mitt Romney", "a reporter for Agence
// France-Presse"); -1 when there is none.
func (d *doc) roleBeforePreposition(np nounPhrase) int {
	for k := np.from + 1; k+1 < np.to; k++ {
		if d.class(k)&roleNoun != 0 && !d.capitalized(k) && (d.is(k+1, "for") || d.is(k+1, "at") || d.is(k+1, "with")) {
			return k
		}
	}
	return -1
}

// placeAfterRole finds, in a definite np, the "from" or "of" between a
// role written in lower case and the place that ends np: "the senator
// from Vermont"; -1 when np is not so made.
func (d *doc) placeAfterRole(np nounPhrase) int {
	if !d.is(np.from, "the") {
		return -1
	}
	for k := np.from + 2; k+1 < np.to; k++ {
		if (d.is(k, "from") || d.is(k, "of")) && !d.capitalized(k-1) && d.class(k-1)&(title|roleNoun) != 0 && isPlace(d.span(k+1, np.to)) {
			return k
		}
	}
	return -1
}

func (d *doc) describeName(np nounPhrase, at int, mentionText, desc string) quote.Speaker {
	run := d.runEndingAt(np.to-1, np.from)
	if of := run.nameFrom - 1; of > run.from && d.is(of, "of") && isPlace(d.span(run.nameFrom, run.to)) {
		// "Representative Peter T. King of New York" is Peter T. King.
		run.to = of
		run.nameFrom = d.nameStart(run.from, run.to)
	}
	var affiliation string
	if person, ok := d.personBeforeOf(run, np.from); ok {
		// "James Pethokoukis of the American Enterprise Institute" is the
		// person; the institute is where he speaks from.
		affiliation = d.span(person.to, run.to)
		run = person
	}
	sp := quote.Speaker{Mention: mentionText}
	if word := d.word(run.to - 1); run.to-run.from == 1 && isUpperCase(word) {
		if full := d.fullerOrganization(word, len(d.toks)); full != word {
			// "the IMF", once the International Monetary Fund is named.
			return quote.Speaker{Kind: quote.Organization, Name: full, Mention: mentionText, Descriptor: desc}
		}
	}
	if run.nameFrom >= run.to || d.endsWithOrgWord(run.nameFrom, run.to) {
		from := run.from
		for from < run.to && d.class(from)&determiner != 0 {
			from++
		}
		sp.Kind = quote.Organization
		sp.Name = d.fullerOrganization(d.span(from, run.to), len(d.toks))
		sp.Descriptor = desc
		return sp
	}
	sp.Kind = quote.Person
	sp.Name = personName(d.span(run.nameFrom, run.to))
	own := d.span(run.from, run.nameFrom)
	descFrom := np.from
	for descFrom < run.nameFrom && d.class(descFrom)&determiner != 0 {
		descFrom++
	}
	if run.from > descFrom {
		own = d.span(descFrom, run.nameFrom)
	}
	sp.Descriptor = joinDescriptor(joinDescriptor(own, affiliation), desc)
	if listed := d.genderOf(run.from, run.nameFrom, run.to); run.to-run.nameFrom == 1 || listed == unknownGender && !strings.Contains(sp.Name, " ") {
		if full, _, ok := d.surnameFullName(sp.Name, listed, run.from, run.nameFrom, run.to, at); ok {
			sp.Name = full.name
			if sp.Descriptor == "" {
				sp.Descriptor = full.descriptor
			}
		}
	}
	return sp
}

// personBeforeOf finds the person named first in the phrase from lo to
// the run, before "of" or "for": "Mujtaba Rahman of the Eurasia Group",
// "Mr. Burman of the Tax Policy Center", "Cameron Easley for Morning
// Consult", "Stu Rothenberg of the non-partisan Rothenberg-Gonzales
// Political Report". A full name or a titled surname counts; "Secretary
// of State" does not.
func (d *doc) personBeforeOf(run nameRun, lo int) (nameRun, bool) {
	for of := lo + 1; of < run.nameFrom; of++ {
		if !d.is(of, "of") && !d.is(of, "for") || !d.isNameWord(of-1) {
			continue
		}
		person := d.runEndingAt(of-1, lo)
		if person.nameFrom >= person.to || d.class(person.to-1)&orgHead != 0 {
			return nameRun{}, false
		}
		if person.to-person.nameFrom < 2 && person.nameFrom == person.from {
			return nameRun{}, false
		}
		if of > run.from && !d.isPersonRun(person) {
			// Inside a run of capitals "of" joins an organisation's name,
			// "Joint Chiefs of Staff", unless a person's opens the run.
			return nameRun{}, false
		}
		return person, true
	}
	return nameRun{}, false
}

// isPersonRun reports whether run names a person for certain: a first
// name or an honorific opens the name, and no word is a possessive. Then
// an "of" after it starts where the person is from, not the rest of an
// organisation's name: "Joel Pollak of Breitbart California", "Mr. Nevins
// of Showtime", not "Dave Leip’s Atlas of U.S. Presidential Elections".
func (d *doc) isPersonRun(run nameRun) bool {
	if !d.opensFirstName(run.nameFrom) && !(run.nameFrom > run.from && d.isHonorific(run.nameFrom-1)) {
		return false
	}
	for k := run.from; k < run.to; k++ {
		if d.possessive(k) {
			return false
		}
	}
	return true
}

func joinDescriptor(own, desc string) string {
	switch {
	case own == "":
		return desc
	case desc == "":
		return own
	}
	return own + ", " + desc
}

// describeCommon handles a speaker named by a common noun: an anonymous
// source ("a senior US official"), an anaphor ("the official"), an
// organisation ("Russia’s foreign ministry") or a document ("a statement").
func (d *doc) describeCommon(np nounPhrase, at int, mentionText, desc string) quote.Speaker {
	last := np.to - 1
	head := strings.ToLower(d.word(last))
	headClass := d.class(last)
	first := np.from
	definite := d.is(first, "the") || d.is(first, "this") || d.is(first, "that")
	// A bare plural ("federal prosecutors") is as indefinite as "some".
	bare := d.class(first)&determiner == 0 && (!d.capitalized(first) || d.opensSentence(first)) && strings.HasSuffix(head, "s")
	indefinite := (d.class(first)&indefinite != 0 || bare) && !definite
	full := mentionText
	if desc != "" && np.descFrom <= np.from {
		full = desc
	} else if desc != "" {
		full = mentionText + ", " + desc
	}
	if adWords[head] || head == "narrator" && np.to-np.from >= 2 && adWords[strings.ToLower(trimPossessive(d.word(last-1)))] {
		// An ad speaks for whoever paid for it: "one Clinton ad", "the
		// ad's narrator".
		if owner, ok := d.adOwner(np, at); ok {
			owner.Mention = mentionText
			return owner
		}
	}
	switch {
	case headClass&documentNoun != 0 && headClass&roleNoun == 0:
		if owner, ok := d.documentOwner(np, at); ok {
			owner.Mention = mentionText
			return owner
		}
		return quote.Speaker{Kind: quote.Unknown, Mention: mentionText}
	case headClass&orgHead != 0 && headClass&roleNoun == 0:
		if head == "board" && last > first && d.is(last-1, "editorial") {
			if paper, ok := d.editorialOwner(np, at); ok {
				paper.Mention = mentionText
				paper.Descriptor = desc
				return paper
			}
		}
		if definite && np.to-np.from == 2 {
			if org, ok := d.organizationWith(head, at); ok {
				org.Mention = mentionText
				return org
			}
			if genericOrgHeads[head] {
				// "the company", "the group": the organisation just named,
				// whatever its name ends with.
				if org, ok := d.latestNamed(quote.Organization, at, maxSentencesBack); ok {
					org.Mention = mentionText
					return org
				}
			}
		}
		name := mentionText
		if definite {
			name = d.span(first+1, np.to)
		}
		if pronoun, ok := possessivePronouns[strings.ToLower(d.word(first))]; ok && np.to-np.from == 2 {
			// "his campaign" is the campaign of the man he is.
			if owner := d.resolvePronoun(pronoun, at); owner.Kind == quote.Person && owner.Name != "" {
				name = owner.Name + " " + head
			}
		}
		return quote.Speaker{Kind: quote.Organization, Name: name, Mention: mentionText, Descriptor: desc}
	}
	if definite {
		if sp, ok := d.antecedentWithRole(head, at); ok {
			sp.Mention = mentionText
			return sp
		}
	}
	sp := quote.Speaker{Kind: quote.Anonymous, Name: mentionText, Mention: mentionText, Descriptor: full, Role: head}
	if !indefinite && !(definite && (anonymousRoles[head] || collectiveSpeakers[head] || d.introducedIndefinite(last, at))) {
		// "The senator" or "his lawyer" names someone the reader is meant
		// to know; without an antecedent that someone stays unknown.
		return quote.Speaker{Kind: quote.Unknown, Mention: mentionText, Descriptor: desc}
	}
	// Room on the stack for the few words a description has: this runs
	// for every unnamed source of every article.
	var affiliationWords, roleWords [4]string
	affiliation, role := affiliationWords[:0], roleWords[:0]
	for k := np.from; k < last; k++ {
		switch w := d.word(k); {
		case !d.isWord(k):
		case isCapitalized(w) && d.class(k)&commonCapital == 0:
			affiliation = append(affiliation, w)
		case !isCapitalized(w) && d.class(k)&articles == 0 && !rankWords[w]:
			// "intelligence official", "military official": what the
			// source does, by which fact-checkers group sources.
			role = append(role, w)
		}
	}
	sp.Affiliation = strings.Join(affiliation, " ")
	sp.Role = strings.Join(append(role, head), " ")
	return sp
}

// collectiveSpeakers are the nouns for a crowd that speaks as one ("the
// crowd cried out"): an unnamed source of its own.
var collectiveSpeakers = map[string]bool{"crowd": true, "audience": true, "crowds": true}

// introducedIndefinite reports whether the article introduced the noun at
// head, outside quotes and in the sentences before at, as someone unnamed
// ("greeted by an organizer" … "the organizer told them"): the definite
// description then names that unnamed source.
func (d *doc) introducedIndefinite(head, at int) bool {
	w := d.word(head)
	for k := head - 1; k > 0 && d.sentence[at]-d.sentence[k] <= maxDocumentSentencesBack; k-- {
		if d.quoteOf[k] >= 0 || !foldEqual(d.word(k), w) {
			continue
		}
		for j := k - 1; j >= 0 && k-j <= 3 && d.isWord(j); j-- {
			if d.is(j, "a") || d.is(j, "an") || d.is(j, "another") {
				return true
			}
			if d.class(j)&determiner != 0 {
				break
			}
		}
	}
	return false
}

// articles are the classes of the words that open a noun phrase ("a",
// "the", "some"), which say nothing of a source's role.
const articles = determiner | indefinite

// rankWords say how senior or how many sources are, not what they do, so
// they are left out of a source's role: "a senior US official" and "two US
// officials" are both US officials.
var rankWords = map[string]bool{
	"senior": true, "top": true, "high-ranking": true, "high-level": true, "ranking": true, "highly": true,
	"placed": true, "well-placed": true, "one": true, "two": true, "three": true, "several": true,
	"some": true, "many": true, "other": true, "another": true, "current": true, "knowledgeable": true,
}

// resolvePronoun finds who he, she or it refers to: the first fitting name
// in the latest sentence before at that has one.
func (d *doc) resolvePronoun(word string, at int) quote.Speaker {
	sp := quote.Speaker{Kind: quote.Unknown, Mention: word}
	var want gender
	// lowerEqual, not strings.ToLower: a capitalised "He" allocated a copy.
	// No other case of a non-ASCII letter folds to these.
	switch {
	case lowerEqual(word, "he"):
		want = male
	case lowerEqual(word, "she"):
		want = female
	case lowerEqual(word, "it"):
		if org, ok := d.latestOrganization(at); ok {
			org.Mention = word
			return org
		}
		return sp
	default:
		return sp
	}
	// Walk back over the people named before at, mentions and speakers
	// alike, and take the first fitting one of the latest sentence that has
	// one: the subject usually comes first.
	var best quote.Speaker
	bestSentence, skipSentence := int32(-1), int32(-1)
	// Mentions are in the order of their tokens: those at or after at,
	// passed over below, are left out from the start.
	mi, _ := slices.BinarySearchFunc(d.mentions, at, func(m mention, at int) int { return m.tok - at })
	mi, ri := mi-1, len(d.reports)-1
	for mi >= 0 || ri >= 0 {
		var pos int
		var cand quote.Speaker
		var g gender
		speaker := false
		// Those at or after at and those who are no person with a name are
		// passed over before anything is copied or looked up.
		if ri < 0 || mi >= 0 && d.mentions[mi].tok > d.reports[ri].mentionFrom {
			m := &d.mentions[mi]
			mi--
			if m.tok >= at || m.kind != quote.Person || m.name == "" {
				continue
			}
			if m.tok > 0 && (d.is(m.tok-1, "in") || d.is(m.tok-1, "the") || d.is(m.tok-1, "from")) && strings.IndexByte(m.name, ' ') < 0 {
				// "in Miami", "the Orlando attacks": a one-word name after
				// a preposition or an article is a place or a thing.
				continue
			}
			if m.end-m.tok == 2 && d.isIntroWord(m.tok) {
				// "Following Sanders": a sentence's opening word taken
				// into a name is no first name.
				continue
			}
			if d.inOpeningClause(m.tok) {
				// "Asked whether Donald Trump …, Ban demurred.": a name
				// in the clause a sentence opens with is not its subject.
				continue
			}
			pos, g = m.tok, m.gender
			cand = quote.Speaker{Name: m.name, Kind: m.kind, Descriptor: m.descriptor}
		} else {
			r := &d.reports[ri]
			ri--
			if r.mentionFrom >= at || r.speaker.Kind != quote.Person || r.speaker.Name == "" {
				continue
			}
			if r.mentionTo-r.mentionFrom == 2 && d.is(r.mentionFrom, "the") && strings.IndexByte(r.speaker.Name, ' ') < 0 {
				continue
			}
			pos, cand, speaker = r.mentionFrom, r.speaker, true
			g = d.genderByName(cand.Name)
		}
		s := d.sentence[pos]
		if bestSentence >= 0 && s != bestSentence || d.sentence[at]-s > 12 {
			break
		}
		if s != skipSentence && s != d.sentence[at] && d.opensWithPronoun(pos, want) {
			skipSentence = s
		}
		if s == skipSentence {
			// "He attended the rally, though he may vote for Bernie
			// Sanders.": a sentence whose subject is the same pronoun
			// names only others; he is whom it refers to, further back.
			continue
		}
		if g == want || g == unknownGender && (speaker || d.wasSpeaker(cand.Name) || d.opensSentenceAt(pos) && strings.IndexByte(cand.Name, ' ') > 0) {
			best, bestSentence = cand, s
		}
	}
	if bestSentence < 0 {
		return sp
	}
	sp.Name, sp.Kind, sp.Descriptor = best.Name, quote.Person, best.Descriptor
	return sp
}

// opensWithPronoun reports whether the sentence holding token k opens with
// the pronoun of gender want ("He attended the rally, …").
func (d *doc) opensWithPronoun(k int, want gender) bool {
	word := "he"
	if want == female {
		word = "she"
	}
	s := d.sentence[k]
	for k > 0 && d.sentence[k-1] == s {
		k--
	}
	return d.isWord(k) && lowerEqual(d.word(k), word)
}

// opensSentenceAt reports whether token k opens its sentence: a person
// named there is its subject, whom a later he or she may be even where the
// first name tells no gender ("Angel Mendoza came from Texas").
func (d *doc) opensSentenceAt(k int) bool {
	if k == 0 || d.sentence[k-1] != d.sentence[k] {
		return true
	}
	if !d.isPunct(k-1, ',') {
		return false
	}
	// "One voter, Guadalupe Potocacetpl, 35, showed up": the name in
	// apposition to a short opening role.
	for j := k - 2; j >= 0 && k-j <= 7; j-- {
		if j == 0 || d.sentence[j-1] != d.sentence[k] {
			return d.isWord(j)
		}
		if !d.isWord(j) || d.isSpeechVerb(j) {
			return false
		}
	}
	return false
}

// isIntroWord reports whether token k is a word that opens an
// introductory phrase ("Following", "Meanwhile").
func (d *doc) isIntroWord(k int) bool {
	// The word folded in a buffer on the stack: strings.ToLower allocated
	// a copy of every sentence's first word.
	w := d.word(k)
	var buf [16]byte
	if len(w) > len(buf) {
		return false
	}
	for i := 0; i < len(w); i++ {
		buf[i] = asciiLower[w[i]]
	}
	return introWords[string(buf[:len(w)])]
}

// inOpeningClause reports whether token k lies in the participle clause
// its sentence opens with, before that clause's comma: "Asked about Trump,
// Christie said". Not an introductory "When Trump held rallies, he …",
// whose name is often the pronoun's.
func (d *doc) inOpeningClause(k int) bool {
	s := d.sentence[k]
	j := k
	for j > 0 && d.sentence[j-1] == s && k-j <= maxClauseTokens {
		j--
		if d.isPunct(j, ',') || d.quoteOf[j] >= 0 {
			return false
		}
	}
	if j > 0 && d.sentence[j-1] == s {
		return false
	}
	return j < k && d.opensParticipleClause(j)
}

// genderByName is the gender of the latest mention of name that has one;
// only people have one, and the surname index chains their mentions by
// name.
func (d *doc) genderByName(name string) gender {
	for i := range d.surnames.named(name) {
		if g := d.mentions[i].gender; g != unknownGender {
			return g
		}
	}
	return unknownGender
}

func (d *doc) wasSpeaker(name string) bool {
	for i := range d.reports {
		if d.reports[i].speaker.Name == name {
			return true
		}
	}
	return false
}

// adWords are the nouns for a campaign's ads.
var adWords = map[string]bool{"ad": true, "ads": true, "advertisement": true, "commercial": true, "spot": true}

// adOwner is who an ad in np (at token at) speaks for: an organisation
// named in it ("One Club for Growth ad"), a candidate's campaign ("one
// Clinton ad" is the Clinton campaign); for "the ad", the owner of the ad
// named so in the few sentences before ("a narrator in the Clinton ad");
// else the organisation named last in those sentences ("Priorities USA
// Action released an ad").
func (d *doc) adOwner(np nounPhrase, at int) (quote.Speaker, bool) {
	if owner, ok := d.namedAdOwner(np.from, np.to); ok {
		return owner, true
	}
	if d.is(np.from, "the") {
		for k := np.from - 1; k > 0 && d.sentence[at]-d.sentence[k] <= maxSentencesBack; k-- {
			if !d.isWord(k) || !adWords[strings.ToLower(d.word(k))] {
				continue
			}
			from := k
			for from > 0 && (d.isNameWord(from-1) || d.is(from-1, "for") || d.is(from-1, "of")) {
				from--
			}
			if owner, ok := d.namedAdOwner(from, k); ok {
				return owner, true
			}
		}
	}
	for i := len(d.mentions) - 1; i >= 0; i-- {
		m := &d.mentions[i]
		if m.tok >= at {
			continue
		}
		if d.sentence[at]-d.sentence[m.tok] > maxSentencesBack {
			break
		}
		if m.kind == quote.Organization {
			return quote.Speaker{Kind: quote.Organization, Name: m.name}, true
		}
	}
	return quote.Speaker{}, false
}

// namedAdOwner is the owner of an ad written in tokens [from, to): the
// organisation or the candidate's campaign its first name words name.
func (d *doc) namedAdOwner(from, to int) (quote.Speaker, bool) {
	for k := from; k < to; k++ {
		if !d.isNameWord(k) {
			continue
		}
		end := d.runEnd(k, to)
		if d.anyClass(k, end, orgHead) || d.nameStart(k, end) >= end {
			return quote.Speaker{Kind: quote.Organization, Name: d.fullerOrganization(d.span(k, end), len(d.toks))}, true
		}
		surname := trimPossessive(d.word(end - 1))
		return quote.Speaker{Kind: quote.Organization, Name: surname + " campaign"}, true
	}
	return quote.Speaker{}, false
}

// anyClass reports whether a token in [from, to) is of class c.
func (d *doc) anyClass(from, to int, c wordClass) bool {
	for k := from; k < to; k++ {
		if d.class(k)&c != 0 {
			return true
		}
	}
	return false
}

// runEnd is where the run of name words starting at k ends, before to.
func (d *doc) runEnd(k, to int) int {
	for k < to && (d.isNameWord(k) || d.is(k, "for") && d.isNameWord(k+1) || d.is(k, "of") && d.isNameWord(k+1)) {
		k++
	}
	return k
}

// documentOwner is who issued "a statement" or wrote "the editorial": the
// owner the article names with the document, here or where it last named
// a document of the same kind ("a Wednesday editorial in The Des Moines
// Register", "a report released in September by the National Academies",
// "the National Academies report"); else the organisation or person that
// last spoke in the few sentences before at.
func (d *doc) documentOwner(np nounPhrase, at int) (quote.Speaker, bool) {
	head := np.to - 1
	if owner, ok := d.namedOwner(np.from, head); ok {
		return owner, true
	}
	for k := np.from - 1; k >= 0 && d.sentence[np.from]-d.sentence[k] <= maxDocumentSentencesBack; k-- {
		if d.quoteOf[k] < 0 && d.class(k)&documentNoun != 0 && foldEqual(d.word(k), d.word(head)) {
			if owner, ok := d.namedOwner(k-maxDocumentModifiers, k); ok {
				return owner, true
			}
		}
	}
	for i := len(d.reports) - 1; i >= 0; i-- {
		r := d.reports[i]
		if r.verbPosition >= at {
			continue
		}
		if d.sentence[at]-d.sentence[r.verbPosition] > maxSentencesBack {
			break
		}
		if r.speaker.Name != "" && (r.speaker.Kind == quote.Organization || r.speaker.Kind == quote.Person) {
			return r.speaker, true
		}
	}
	return quote.Speaker{}, false
}

// namedOwner is the organisation or person a document noun at token head
// names as its owner: a name among its modifiers, from token from on
// ("the National Academies report"), or one after it introduced by a
// preposition or "released by" ("an editorial in The Des Moines
// Register").
func (d *doc) namedOwner(from, head int) (quote.Speaker, bool) {
	from = max(from, 0)
	for i := len(d.mentions) - 1; i >= 0; i-- {
		m := &d.mentions[i]
		if m.end > head {
			continue
		}
		if m.tok < from || d.sentence[m.tok] != d.sentence[head] {
			break
		}
		if m.kind == quote.Organization || m.kind == quote.Person && m.end == head {
			return quote.Speaker{Name: m.name, Kind: m.kind, Descriptor: m.descriptor}, true
		}
	}
	if v := d.issuedBefore(from, head); v >= 0 {
		lo := v
		for lo > 0 && d.sentence[lo-1] == d.sentence[v] && d.quoteOf[lo-1] < 0 {
			lo--
		}
		if np := d.npBackward(v, lo); !np.empty() {
			if sp, ok := d.describe(np, v); ok && sp.Name != "" && (sp.Kind == quote.Organization || sp.Kind == quote.Person) {
				return sp, true
			}
		}
	}
	k := head + 1
	if k < len(d.toks) && issuedWords[strings.ToLower(d.word(k))] {
		// "a report released in September by": the issuer follows "by".
		for end := k + maxIssuerGap; k < end && k < len(d.toks) && d.isWord(k) && !d.is(k, "by"); k++ {
		}
		if !d.is(k, "by") {
			return quote.Speaker{}, false
		}
	} else if !(d.is(k, "in") || d.is(k, "from") || d.is(k, "of") || d.is(k, "by")) {
		return quote.Speaker{}, false
	}
	k++
	if d.is(k, "the") {
		k++
	}
	for i := range d.mentions {
		m := &d.mentions[i]
		if m.tok > k {
			break
		}
		if m.tok == k && (m.kind == quote.Organization || m.kind == quote.Person) {
			return quote.Speaker{Name: m.name, Kind: m.kind, Descriptor: m.descriptor}, true
		}
	}
	return quote.Speaker{}, false
}

// genericOrgHeads are the nouns that refer back to any organisation, not
// only to one whose name ends with them.
var genericOrgHeads = map[string]bool{
	"company": true, "organization": true, "organisation": true, "group": true,
	"firm": true, "foundation": true, "website": true, "site": true,
}

// recentMentions yields the names written before token before, latest
// first, in the sentences up to back before at's.
func (d *doc) recentMentions(before, at, back int) iter.Seq[*mention] {
	return func(yield func(*mention) bool) {
		for i := len(d.mentions) - 1; i >= 0; i-- {
			m := &d.mentions[i]
			if m.tok >= before {
				continue
			}
			if d.sentence[at]-d.sentence[m.tok] > int32(back) || !yield(m) {
				return
			}
		}
	}
}

// latestNamed is the person or organisation (kind) named last in the back
// sentences before at.
func (d *doc) latestNamed(kind quote.SpeakerKind, at, back int) (quote.Speaker, bool) {
	for m := range d.recentMentions(at, at, back) {
		if m.kind == kind && m.name != "" {
			return quote.Speaker{Kind: kind, Name: m.name, Descriptor: m.descriptor}, true
		}
	}
	return quote.Speaker{}, false
}

// editorialOwner is the newspaper whose editorial board np is: the one
// it names ("the Journal's editorial board"), else the latest
// organisation the article names that is a newspaper by its name ("The
// Washington Post") or by the words around it ("The Union Leader, New
// Hampshire's largest newspaper"), in the few sentences before at.
func (d *doc) editorialOwner(np nounPhrase, at int) (quote.Speaker, bool) {
	for k := np.from; k < np.to-2; k++ {
		if d.isNameWord(k) {
			name := d.span(k, d.runEnd(k, np.to-2))
			name = trimPossessive(name)
			return quote.Speaker{Kind: quote.Organization, Name: d.fullerOrganization(name, at)}, true
		}
	}
	for m := range d.recentMentions(np.from, at, maxDocumentSentencesBack) {
		if m.kind == quote.Organization && m.name != "" && (pressWords[strings.ToLower(lastWord(m.name))] || d.nearNewspaperWord(m.tok)) {
			return quote.Speaker{Kind: quote.Organization, Name: m.name}, true
		}
	}
	return quote.Speaker{}, false
}

// pressWords end newspapers' names.
var pressWords = map[string]bool{
	"times": true, "post": true, "journal": true, "register": true, "tribune": true,
	"herald": true, "gazette": true, "chronicle": true, "inquirer": true, "leader": true,
	"globe": true, "sun": true, "star": true, "news": true, "review": true, "examiner": true,
	"observer": true, "telegraph": true, "guardian": true, "independent": true, "advocate": true,
	"courier": true, "dispatch": true, "bee": true, "enquirer": true, "constitution": true,
	"star-ledger": true, "plain": true, "republic": true, "sentinel": true,
}

// nearNewspaperWord reports whether the sentence of token k calls
// something a newspaper or its editorials.
func (d *doc) nearNewspaperWord(k int) bool {
	s := d.sentence[k]
	for j := k; j < len(d.toks) && d.sentence[j] == s; j++ {
		if d.is(j, "newspaper") || d.is(j, "editorials") || d.is(j, "editorial") || d.is(j, "paper") {
			return true
		}
	}
	return false
}

// possessivePronouns are the pronouns whose owner resolvePronoun finds.
var possessivePronouns = map[string]string{"his": "he", "her": "she"}

// issuedBefore is the verb that issues the document noun at head, its
// subject the document's owner ("Clinton's campaign sent out an email"),
// or -1: the nearest word of issuedWords before head, from token from on,
// with nothing but the document's modifiers and "out" between.
func (d *doc) issuedBefore(from, head int) int {
	for k := head - 1; k >= max(from, 0) && d.isWord(k); k-- {
		w := strings.ToLower(d.word(k))
		if issuedWords[w] {
			return k
		}
		if d.class(k)&(speechVerb|clauseWord|pronoun) != 0 {
			return -1
		}
	}
	return -1
}

// issuedWords are the participles that put a document's issuer after
// "by": "a report released by", "a letter signed by".
var issuedWords = map[string]bool{
	"released": true, "issued": true, "published": true, "sent": true, "posted": true,
	"signed": true, "written": true, "filed": true, "commissioned": true, "prepared": true,
}

func (d *doc) latestOrganization(at int) (quote.Speaker, bool) {
	for i := len(d.reports) - 1; i >= 0; i-- {
		r := d.reports[i]
		if r.verbPosition >= at {
			continue
		}
		if d.sentence[at]-d.sentence[r.verbPosition] > maxSentencesBack {
			break
		}
		if r.speaker.Kind == quote.Organization && r.speaker.Name != "" {
			return r.speaker, true
		}
	}
	return quote.Speaker{}, false
}

// organizationWith resolves "the ministry" to the organisation named
// earlier whose name ends with that word.
func (d *doc) organizationWith(head string, at int) (quote.Speaker, bool) {
	for i := len(d.reports) - 1; i >= 0; i-- {
		r := &d.reports[i]
		if r.verbPosition < at && r.speaker.Kind == quote.Organization && hasLowerSuffix(r.speaker.Name, head) {
			return r.speaker, true
		}
	}
	for i := len(d.mentions) - 1; i >= 0; i-- {
		m := &d.mentions[i]
		if m.tok < at && m.kind == quote.Organization && hasLowerSuffix(m.name, head) {
			return quote.Speaker{Name: m.name, Kind: quote.Organization}, true
		}
	}
	return d.organizationInText(head, at)
}

// hasLowerSuffix is strings.HasSuffix(strings.ToLower(s), suffix) without
// the lower-case copy when s is ASCII, as names mostly are.
func hasLowerSuffix(s, suffix string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return strings.HasSuffix(strings.ToLower(s), suffix)
		}
	}
	return len(s) >= len(suffix) && lowerEqual(s[len(s)-len(suffix):], suffix)
}

// fullerOrganization is the one organisation named before token at (at
// len(d.toks): anywhere) whose name ends with name's words ("the Times" is
// The New York Times, "the Club" the Sierra Club) or whose initials name
// is ("the IMF" is the International Monetary Fund), else name itself.
func (d *doc) fullerOrganization(name string, at int) string {
	found := ""
	acronym := isUpperCase(name) && len(name) <= maxAcronymLetters
	for i := range d.mentions {
		m := &d.mentions[i]
		if m.tok >= at {
			break
		}
		if m.kind != quote.Organization || len(m.name) <= len(name) {
			continue
		}
		// m.name ends with " "+name, tested without building that string.
		endsWithName := m.name[len(m.name)-len(name)-1] == ' ' && strings.HasSuffix(m.name, name)
		if !endsWithName && !(acronym && hasInitials(m.name, name)) {
			continue
		}
		full := strings.TrimPrefix(strings.TrimPrefix(m.name, "The "), "the ")
		if found != "" && found != full {
			return name
		}
		found = full
	}
	return cmp.Or(found, name)
}

// maxAcronymLetters bounds the acronyms matched against full names.
const maxAcronymLetters = 6

// hasInitials reports whether acronym is the first letters of name's
// capitalised words, "The" aside: "International Monetary Fund" has
// the initials "IMF".
func hasInitials(name, acronym string) bool {
	n := 0
	for w := range strings.FieldsSeq(name) {
		if w == "The" || !isCapitalized(w) {
			continue
		}
		if n == len(acronym) || w[0] != acronym[n] {
			return false
		}
		n++
	}
	return n == len(acronym)
}

// organizationInText finds an organisation the article names with common
// nouns ("Russia’s foreign ministry") as the latest fuller phrase before at
// that ends with head.
func (d *doc) organizationInText(head string, at int) (quote.Speaker, bool) {
	for k := at - 1; k > 0; k-- {
		// The length first, without a call: the walk may go back to the
		// article's start, and most words differ in it.
		if t := &d.toks[k]; t.end-t.start != len(head) || d.quoteOf[k] >= 0 || !d.is(k, head) {
			continue
		}
		from := k
		for from > 0 && k-from < 4 && d.isWord(from-1) && d.class(from-1)&(clauseWord|speechVerb|auxiliary|adverb|pronoun) == 0 && !d.is(from-1, "the") {
			from--
		}
		if from < k {
			return quote.Speaker{Name: d.span(from, k+1), Kind: quote.Organization}, true
		}
	}
	return quote.Speaker{}, false
}

// antecedentWithRole resolves "the official" or "the spokesman" to the
// latest source described with that role.
func (d *doc) antecedentWithRole(head string, at int) (quote.Speaker, bool) {
	singular := strings.TrimSuffix(head, "s")
	abbreviated := roleAbbreviations[singular]
	describes := func(descriptor string) bool {
		return containsWord(descriptor, singular) || abbreviated != "" && containsWord(descriptor, abbreviated)
	}
	for i := len(d.reports) - 1; i >= 0; i-- {
		r := d.reports[i]
		if r.verbPosition >= at || r.speaker.Name == "" || strings.EqualFold(r.speaker.Mention, "the "+head) {
			continue
		}
		if strings.TrimSuffix(lastWord(strings.ToLower(r.speaker.Role)), "s") == singular || describes(r.speaker.Descriptor) {
			return r.speaker, true
		}
	}
	for i := len(d.mentions) - 1; i >= 0; i-- {
		m := &d.mentions[i]
		if m.tok < at && m.kind == quote.Person && describes(m.descriptor) {
			return quote.Speaker{Name: m.name, Kind: quote.Person, Descriptor: m.descriptor}, true
		}
	}
	return quote.Speaker{}, false
}

// anonymousRoles are the roles a definite description can give an unnamed
// source the article introduced ("the official", "the source").
var anonymousRoles = map[string]bool{
	"official": true, "officials": true, "source": true, "sources": true, "aide": true, "aides": true,
	"adviser": true, "advisers": true, "advisor": true, "advisors": true, "diplomat": true,
	"diplomats": true, "spokesman": true, "spokeswoman": true, "spokesperson": true, "staffer": true,
	"insider": true, "person": true, "people": true, "officer": true, "officers": true,
}

// roleAbbreviations lets "the senator" find "Sen. Marco Rubio".
var roleAbbreviations = map[string]string{
	"senator": "sen", "governor": "gov", "representative": "rep", "congressman": "rep",
	"congresswoman": "rep", "general": "gen", "doctor": "dr", "professor": "prof",
}

// containsWord reports whether s holds w as a whole word, ignoring the
// case of ASCII letters.
func containsWord(s, w string) bool {
	if w == "" {
		return false
	}
	// The bytes that can open a match, the first letter in either case, are
	// found with IndexByte, which is vectorised: a quote is scanned for
	// every candidate's surname, and a byte-by-byte loop was most of that.
	lower := asciiLower[w[0]]
	upper := lower
	if 'a' <= lower && lower <= 'z' {
		upper = lower - ('a' - 'A')
	}
	// nextLower and nextUpper are the next positions, from i on, of lower
	// and upper in s, or len(s) when there is none.
	nextLower, nextUpper := -1, -1
	for i := 0; i+len(w) <= len(s); i++ {
		if nextLower < i {
			nextLower = indexByteFrom(s, i, lower)
		}
		if nextUpper < i {
			nextUpper = indexByteFrom(s, i, upper)
		}
		i = min(nextLower, nextUpper)
		if i+len(w) > len(s) {
			return false
		}
		if !foldEqual(s[i:i+len(w)], w) {
			continue
		}
		if isWholeWord(s, i, i+len(w)) {
			return true
		}
	}
	return false
}

// isWholeWord reports whether s[i:end] is a word of its own in s, or one
// with a plural or possessive s after it.
func isWholeWord(s string, i, end int) bool {
	prev, _ := utf8.DecodeLastRuneInString(s[:i])
	next, _ := utf8.DecodeRuneInString(s[end:])
	before := i == 0 || !isWordRune(prev)
	after := end == len(s) || !isWordRune(next) || s[end] == 's' && (end+1 == len(s) || !isWordRune(rune(s[end+1])))
	return before && after
}

// quotePairs holds, for each quote, the set of pairs of adjacent bytes in
// its text, made the first time the quote is searched: the ranker asks
// each quote whether it names each of its candidates, and a name with a
// pair the quote lacks is not in it. Most names are turned away so,
// without a search.
type quotePairs struct {
	pairs []bytePairs
	made  []bool
}

// bytePairs is a set of pairs of adjacent bytes, by their low five bits:
// the same for a letter in either case, and different for any two letters
// (a–z are 1–26 there), so a pair of letters is in the set whatever their
// case; other bytes may share a member, which only lets a search through.
type bytePairs [1 << 10 / 64]uint64

func pairBit(a, b byte) uint { return uint(a&31)<<5 | uint(b&31) }

func (p *bytePairs) add(a, b byte) {
	bit := pairBit(a, b)
	p[bit/64] |= 1 << (bit % 64)
}

func (p *bytePairs) has(a, b byte) bool {
	bit := pairBit(a, b)
	return p[bit/64]&(1<<(bit%64)) != 0
}

// quotePairsOf is the set of pairs of bytes in quote i's text.
func (d *doc) quotePairsOf(i int) *bytePairs {
	p := &d.bufs.quotePairs
	if !d.quotePairsReady {
		// The first ask of this article: the buffers hold another's.
		d.quotePairsReady = true
		p.pairs = slices.Grow(p.pairs[:0], len(d.quotes))[:len(d.quotes)]
		p.made = slices.Grow(p.made[:0], len(d.quotes))[:len(d.quotes)]
		clear(p.made)
	}
	pairs := &p.pairs[i]
	if !p.made[i] {
		p.made[i] = true
		*pairs = bytePairs{}
		q := d.quotes[i]
		text := d.text[q.start:q.end]
		for k := 1; k < len(text); k++ {
			pairs.add(text[k-1], text[k])
		}
	}
	return pairs
}

// quoteHasWord is containsWord of quote i's text and w: a match's bytes
// equal w's but for the case of ASCII letters, so each pair of w's is in
// the quote's pairs.
func (d *doc) quoteHasWord(i int, w string) bool {
	pairs := d.quotePairsOf(i)
	for k := 1; k < len(w); k++ {
		if !pairs.has(w[k-1], w[k]) {
			return false
		}
	}
	q := d.quotes[i]
	return containsWord(d.text[q.start:q.end], w)
}

// indexByteFrom is the index of the first c in s at or after i, or len(s).
func indexByteFrom(s string, i int, c byte) int {
	if j := strings.IndexByte(s[i:], c); j >= 0 {
		return i + j
	}
	return len(s)
}

// foldEqual reports whether a and b differ only in the case of ASCII
// letters.
func foldEqual(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		if asciiLower[a[i]] != asciiLower[b[i]] {
			return false
		}
	}
	return true
}

// skipParenthesisBack steps back over a parenthesis ending at k, such as a
// lawmaker's party and state: "Jim Jordan (R-Ohio)".
func (d *doc) skipParenthesisBack(k, lo int) int {
	if k < lo || !d.isPunct(k, ')') {
		return k
	}
	for j := k - 1; j >= lo; j-- {
		if d.isPunct(j, '(') {
			return j - 1
		}
	}
	return k
}

func lastWord(s string) string { return s[strings.LastIndexByte(s, ' ')+1:] }
