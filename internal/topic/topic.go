// Package topic tags a quote with what it is about: the places,
// organisations, people and named things in the quote, the sentences around
// it and its article's title, each under one canonical name. Which names
// mean the same topic (ISIS, ISIL, Daesh → Islamic State) is data, in a
// file a newsroom can edit; aliases.txt is the default.
package topic

import (
	"bufio"
	_ "embed"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

//go:embed aliases.txt
var defaultAliases string

// MaxTags bounds the topics of one quote: past that the names in a long
// context are noise, and every topic costs an index entry.
const MaxTags = 20

// caseRule is how a word of an alias must be written in the text to match.
type caseRule uint8

const (
	anyCase caseRule = iota
	capitalised
	allCaps
)

// form is one way of writing a topic.
type form struct {
	canonical, canonicalKey string
	rules                   []caseRule
	// breaks marks the words the form itself separates by punctuation
	// ("People's Republic"), where the text may break too.
	breaks []bool
}

// matches reports whether the words of toks are written as f requires.
func (f form) matches(toks []token) bool {
	for k, tok := range toks {
		if k > 0 && tok.breakBefore && !f.breaks[k] {
			return false
		}
		switch f.rules[k] {
		case capitalised:
			if !tok.capital {
				return false
			}
		case allCaps:
			if !tok.caps {
				return false
			}
		}
	}
	return true
}

// Tagger tags texts with topics. It is safe for concurrent use.
type Tagger struct {
	// forms holds every way of writing each topic, by its words' keys
	// joined by spaces.
	forms    map[string][]form
	maxWords int
	// maxLowerWords is the longest alias that may start in lower case.
	maxLowerWords int
	// canonicals maps a canonical name's key to the name.
	canonicals map[string]string
}

// Default returns a Tagger with the aliases of the embedded aliases.txt.
func Default() *Tagger {
	// The embedded file is parsed by the package's tests, which fail on
	// any error; parse keeps every valid line regardless.
	t, _ := parse(strings.NewReader(defaultAliases))
	return t
}

// Load returns a Tagger with the aliases read from r, in the format of
// aliases.txt, instead of the default ones. It reports every malformed
// line.
func Load(r io.Reader) (*Tagger, error) {
	t, err := parse(r)
	if err != nil {
		return nil, err
	}
	return t, nil
}

// parse reads an alias file. The returned Tagger holds every valid line
// even when the error reports others.
func parse(r io.Reader) (*Tagger, error) {
	t := &Tagger{forms: map[string][]form{}, canonicals: map[string]string{}}
	owner := map[string]string{} // form key → canonical key
	var problems []string
	scanner := bufio.NewScanner(r)
	line := 0
	for scanner.Scan() {
		line++
		text := strings.TrimSpace(strings.TrimPrefix(scanner.Text(), "\uFEFF"))
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		name, rest, _ := strings.Cut(text, ":")
		name = strings.TrimSpace(name)
		nameToks := tokenize(name)
		if len(nameToks) == 0 {
			problems = append(problems, fmt.Sprintf("line %d: no topic name before ':'", line))
			continue
		}
		nameKey := joinKeys(nameToks)
		if earlier, ok := t.canonicals[nameKey]; ok {
			problems = append(problems, fmt.Sprintf("line %d: topic %q is already listed as %q", line, name, earlier))
			continue
		}
		spellings := []string{name}
		for alias := range strings.SplitSeq(rest, ",") {
			if alias = strings.TrimSpace(alias); alias != "" {
				spellings = append(spellings, alias)
			}
		}
		var lineProblems []string
		var forms []form
		var keys []string
		for _, spelling := range spellings {
			toks := tokenize(spelling)
			if len(toks) == 0 {
				lineProblems = append(lineProblems, fmt.Sprintf("line %d: alias %q has no words", line, spelling))
				continue
			}
			key := joinKeys(toks)
			if other, ok := owner[key]; ok && other != nameKey {
				lineProblems = append(lineProblems, fmt.Sprintf("line %d: %q already names %q", line, spelling, t.canonicals[other]))
				continue
			}
			forms = append(forms, newForm(name, nameKey, toks))
			keys = append(keys, key)
		}
		if len(lineProblems) > 0 {
			problems = append(problems, lineProblems...)
			continue
		}
		t.canonicals[nameKey] = name
		for k, key := range keys {
			owner[key] = nameKey
			t.forms[key] = append(t.forms[key], forms[k])
			t.maxWords = max(t.maxWords, len(forms[k].rules))
			if forms[k].rules[0] == anyCase {
				t.maxLowerWords = max(t.maxLowerWords, len(forms[k].rules))
			}
		}
	}
	if err := scanner.Err(); err != nil {
		return t, fmt.Errorf("topic: read aliases: %w", err)
	}
	if len(problems) > 0 {
		return t, fmt.Errorf("topic: aliases: %s", strings.Join(problems, "; "))
	}
	return t, nil
}

func newForm(canonical, canonicalKey string, toks []token) form {
	f := form{canonical: canonical, canonicalKey: canonicalKey, rules: make([]caseRule, len(toks)), breaks: make([]bool, len(toks))}
	for k, tok := range toks {
		switch {
		case tok.caps:
			f.rules[k] = allCaps
		case tok.capital:
			f.rules[k] = capitalised
		}
		f.breaks[k] = tok.breakBefore
	}
	// "Climate change" is a sentence-case name: its capital is the
	// sentence's, and the text writes "climate change".
	if len(f.rules) > 1 && f.rules[0] == capitalised && !slices.ContainsFunc(f.rules[1:], func(r caseRule) bool { return r != anyCase }) {
		f.rules[0] = anyCase
	}
	return f
}

func joinKeys(toks []token) string {
	keys := make([]string, len(toks))
	for k, tok := range toks {
		keys[k] = tok.key
	}
	return strings.Join(keys, " ")
}

// Canonical turns a topic as a user typed it into the topic as tags name
// it: "isil" → "Islamic State", "syria" → "Syria". A topic the aliases do
// not know comes back with its words capitalised; stores compare topics
// folded, so only the aliases change what it matches.
func (t *Tagger) Canonical(s string) string {
	toks := tokenize(s)
	if len(toks) == 0 {
		return ""
	}
	key := joinKeys(toks)
	if fs, ok := t.forms[key]; ok {
		return fs[0].canonical
	}
	words := strings.Fields(s)
	for k, w := range words {
		if key := wordKey(w); k > 0 && (isParticle(key) || key == "of" || key == "the") {
			continue
		}
		r, size := utf8.DecodeRuneInString(w)
		words[k] = string(unicode.ToUpper(r)) + w[size:]
	}
	return strings.Join(words, " ")
}

// candidate is a topic found in a text.
type candidate struct {
	name, key string
	// weak: a lone capitalised word opening a sentence, which may be any
	// word; it counts only if the texts also capitalise it mid-sentence.
	weak bool
	// alias: the topic is in the alias file, not only written like a name.
	alias bool
}

// Tags returns the topics of a quote: those named in the quoted words,
// then in its context, then in its article's title, each once, in that
// order, at most MaxTags.
func (t *Tagger) Tags(quoteText, context, title string) []string {
	var found []candidate
	midSentence := map[string]bool{}
	found = t.scan(found, midSentence, quoteText, quotePart)
	found = t.scan(found, midSentence, context, contextPart)
	found = t.scan(found, midSentence, title, titlePart)

	// A lone word that starts a longer name found beside it is that name
	// cut short ("Donald" beside "Donald Trump", "Bashar" of "Bashar
	// al-Assad"): a first name alone is no topic.
	firstWords := map[string]bool{}
	for _, c := range found {
		if first, _, ok := strings.Cut(c.key, " "); ok && !c.alias {
			firstWords[first] = true
		}
	}
	var tags []string
	seen := map[string]bool{}
	for _, c := range found {
		if seen[c.key] || c.weak && !midSentence[c.key] || !c.alias && firstWords[c.key] {
			continue
		}
		seen[c.key] = true
		tags = append(tags, c.name)
		if len(tags) == MaxTags {
			break
		}
	}
	return tags
}

// part is which of a quote's texts is scanned.
type part uint8

const (
	quotePart part = iota
	contextPart
	titlePart
)

// scan appends the candidates of text to found, in the order they occur,
// and notes in midSentence the lone capitalised words it has seen away
// from a sentence's start.
func (t *Tagger) scan(found []candidate, midSentence map[string]bool, text string, p part) []candidate {
	toks := tokenize(text)
	if len(toks) == 0 {
		return found
	}
	// Headlines In Title Case capitalise every word, so their runs of
	// capitals are not names: only the aliases are looked for there.
	aliasesOnly := p == titlePart && titleCase(toks)
	shouted := shoutedSentences(toks)
	titleCaseEnd := 0 // end of Title Case text met within the text
	quotedEnd := 0    // end of a quoted title met within the text
	i := 0
	for i < len(toks) {
		tok := toks[i]
		if tok.capital && !aliasesOnly && i >= titleCaseEnd {
			if end := titleCaseSpan(toks, i); end > i {
				titleCaseEnd = end
			} else if end := quotedTitle(text, toks, i); end > i {
				titleCaseEnd, quotedEnd = end, end
			}
		}
		// A show may be named for its host, who is a topic: "This Week
		// with George Stephanopoulos".
		host := i < quotedEnd && isFirstName(tok.key) && i+1 < quotedEnd && toks[i+1].capital && !toks[i+1].breakBefore
		inTitleCase := aliasesOnly || i < titleCaseEnd && !host
		runEnd := i + 1
		if tok.capital && !inTitleCase {
			runEnd = extendRun(toks, i)
			// "a New York Democrat" is from New York, "House Democratic
			// leadership" the House's.
			if runEnd-i > 1 && isPartyMember(toks[runEnd-1].key) {
				runEnd--
			}
			runEnd = beforeTitle(toks, i, runEnd)
		}
		minWords := runEnd - i
		if !tok.capital || inTitleCase {
			minWords = 1
		}
		if f, n := t.alias(toks, i, minWords, !tok.capital); n > 0 {
			found = append(found, candidate{name: f.canonical, key: f.canonicalKey, alias: true})
			i += n
			continue
		}
		if !tok.capital || inTitleCase {
			i++
			continue
		}
		if n := titleAt(toks, i); n > 0 {
			i += n
			continue
		}
		if k := personAfterLabel(toks, i, runEnd); k > i {
			// The label is a topic only as an alias: "Republican".
			if f, n := t.alias(toks, i, k-i, false); n == k-i {
				found = append(found, candidate{name: f.canonical, key: f.canonicalKey, alias: true})
			}
			i = k
			continue
		}
		if isSkipWord(tok.key) && (!tok.caps || tok.key != "us") { // "US" is no pronoun; "NO" and "ALL" are
			i++
			continue
		}
		// A word in capitals in a sentence that shouts ("NOW OPEN", "TO
		// HIS ANOINTED, CYRUS") is emphasis, not an acronym.
		if tok.caps && shouted[i] {
			i++
			continue
		}
		if notAName(text, toks, i, runEnd) {
			i = runEnd
			continue
		}
		c := candidate{name: display(text, toks[i:runEnd], isDateline(text, toks, i, runEnd)), key: joinKeys(toks[i:runEnd])}
		if runEnd-i == 1 {
			c.weak = tok.sentenceStart
			if !tok.sentenceStart {
				midSentence[c.key] = true
			}
		}
		found = append(found, c)
		i = runEnd
	}
	return found
}

// alias returns the longest alias written at toks[i:] that spans at
// least minWords words, and how many words it spans (0 for none). lowerOnly restricts it to aliases that may be written in lower
// case, as a word that is not capitalised can only start those.
func (t *Tagger) alias(toks []token, i, minWords int, lowerOnly bool) (form, int) {
	var b strings.Builder
	var best form
	bestLen := 0
	maxWords := t.maxWords
	if lowerOnly {
		maxWords = t.maxLowerWords
	}
	for n := 1; n <= maxWords && i+n <= len(toks); n++ {
		if n > 1 {
			b.WriteByte(' ')
		}
		b.WriteString(toks[i+n-1].key)
		if n < minWords {
			continue
		}
		for _, f := range t.forms[b.String()] {
			if lowerOnly && f.rules[0] != anyCase {
				continue
			}
			if f.matches(toks[i : i+n]) {
				best, bestLen = f, n
				break
			}
		}
	}
	return best, bestLen
}

// extendRun returns the end of the name that starts at toks[i]: the
// capitalised words that follow it without punctuation between, joined by
// particles ("bin", "von der") and, after words like "Bank", by "of" or "of the".
func extendRun(toks []token, i int) int {
	j := i + 1
	// A month may end a name ("Theresa May"); other skip words end it.
	joins := func(k int) bool {
		return k < len(toks) && !toks[k].breakBefore && toks[k].capital &&
			(!isSkipWord(toks[k].key) || isMonth(toks[k].key) || toks[k].caps) && !titleBeforeName(toks, k)
	}
	capitalsEnd := func(k int) int {
		for k < len(toks) && joins(k) {
			k++
		}
		return k
	}
	joined := false // an "of", "on" or "for" joins the name's parts
	for j < len(toks) && !toks[j].breakBefore {
		switch tok := toks[j]; {
		case joins(j):
			j++
		case !tok.capital && isParticle(tok.key):
			k := j + 1
			for k < len(toks) && !toks[k].breakBefore && !toks[k].capital && isParticle(toks[k].key) {
				k++
			}
			if !joins(k) {
				return j
			}
			j = k + 1
		case tok.key == "and" && joins(j+1) && joined:
			// "Center for Strategic and International Studies"; without
			// the "for", "Kerry and Lavrov" are two names.
			j = capitalsEnd(j + 1)
		case tok.key == "and" && j == i+1 && !toks[i].caps && !isFirstName(toks[i].key) && joins(j+1) &&
			isAgencyHead(toks[capitalsEnd(j+1)-1].key):
			// "Immigration and Customs Enforcement", "Family and Medical
			// Leave Act": one word and the name of an agency or a law; an
			// acronym before "and" is a name of its own ("IRS and Drug
			// Enforcement Administration").
			j = capitalsEnd(j + 1)
		// Once joined, a name may join again: "Foundation for Defense of
		// Democracies".
		case isNameJoiner(tok.key) && (isOfHead(toks[j-1].key) || joined) && joins(j+1):
			joined = true
			j += 2
		case isNameJoiner(tok.key) && isOfHead(toks[j-1].key) && j+1 < len(toks) && toks[j+1].key == "the" &&
			!toks[j+1].breakBefore && joins(j+2):
			joined = true
			j += 3
		default:
			return j
		}
	}
	return j
}

// maxRunWords bounds a name: a longer run of capitals is Title Case text,
// not a name.
const maxRunWords = 8

// notAName reports whether the run of capitalised words toks[i:end] is no
// topic though it looks like a name: a generic word alone ("World",
// "MBA"), a word of a numbered name ("Round 2", "13th Amendment"), one
// half of a broken compound ("African- Americans"), an adjective made of a
// name ("pro-Clinton"), a party and state ("D-Va.", "R-IN"), or the first
// part of a name cut off by "and" ("Charles G. and David H. Koch"), which
// ends on an initial.
func notAName(text string, toks []token, i, end int) bool {
	run := toks[i:end]
	first := text[run[0].start:run[0].end]
	// UTF-8 read as Latin-1 ("FranÃ§ois"): the name is unreadable.
	if strings.Contains(text[run[0].start:run[len(run)-1].end], "Ã") {
		return true
	}
	if prefix, _, ok := strings.Cut(first, "-"); ok && isAffixPrefix(prefix) {
		return true
	}
	if len(run) == 1 {
		// "Mexican-Peruvian", "Russian-American": an adjective of two
		// peoples.
		if parts := strings.Split(first, "-"); len(parts) > 1 && !slices.ContainsFunc(parts, func(p string) bool {
			return !strings.HasSuffix(p, "an") && !strings.HasSuffix(p, "ese")
		}) {
			return true
		}
		numbered := i > 0 && !run[0].breakBefore && startsWithDigit(toks[i-1].key) ||
			end < len(toks) && !toks[end].breakBefore && startsWithDigit(toks[end].key)
		broken := strings.HasPrefix(text[run[0].end:], "-")
		// A letter alone is a variable ("X, Y and Z") or an initial.
		letter := utf8.RuneCountInString(run[0].key) == 1
		return numbered || broken || letter || isGenericWord(run[0].key) || isFirstName(run[0].key) || isPartyState(first)
	}
	// Mostly capitals, with some words not, is a slogan or a headline
	// shouting: "MAKE America GREAT AGAIN".
	caps := 0
	for _, tok := range run {
		if tok.caps {
			caps++
		}
	}
	if len(run) >= 3 && 2*caps > len(run) && caps < len(run) {
		return true
	}
	last := run[len(run)-1]
	// A given name after another word is an epithet or a slogan ("Crooked
	// Hillary", "Team Hillary", "Lyin' Ted"), unless that word makes a
	// place or a title of it ("San Jose", "Queen Elizabeth").
	epithet := len(run) == 2 && isFirstName(last.key) && !isFirstName(run[0].key) &&
		!isPlaceBeforeName(run[0].key) && utf8.RuneCountInString(run[0].key) > 1
	return epithet || utf8.RuneCountInString(last.key) == 1 && unicode.IsLetter(rune(last.key[0]))
}

func letterCount(s string) int {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			n++
		}
	}
	return n
}

func startsWithDigit(s string) bool { return s != "" && s[0] >= '0' && s[0] <= '9' }

// isPartyState reports whether a word is a US politician's party and
// state, as written after the name: "D-Va", "R-IN", "I-Vt", "R-Texas".
// "D-Day" is a day.
func isPartyState(word string) bool {
	party, state, ok := strings.Cut(word, "-")
	if !ok || len(party) != 1 || !strings.Contains("DRI", party) || len(state) < 2 || wordKey(state) == "day" {
		return false
	}
	return unicode.IsUpper(rune(state[0])) && strings.IndexFunc(state, func(r rune) bool { return !unicode.IsLetter(r) }) < 0
}

// titleCaseSpan returns the end of the Title Case text starting at
// toks[i] — a headline, a book or a slogan quoted in the story ("Never
// Again Will Syria Bow") — or i when the capitals there may be a name. Such
// text capitalises function words inside it, or runs longer than any name.
// Only aliases are looked for in it.
func titleCaseSpan(toks []token, i int) int {
	j := i + 1
	functionWords := false
	for j < len(toks) && !toks[j].breakBefore {
		if !toks[j].capital {
			// No name has "a" between its capitals: "Let's Make a Deal".
			if key := toks[j].key; (key == "a" || key == "an") && j+1 < len(toks) && !toks[j+1].breakBefore && toks[j+1].capital {
				functionWords = true
				j++
				continue
			}
			break
		}
		if key := toks[j].key; key == "i" || isDay(key) {
			break
		} else if isSkipWord(key) && !isMonth(key) {
			functionWords = true
		}
		j++
	}
	if functionWords || j-i > maxRunWords {
		return j
	}
	return i
}

// titleAt returns how many words the title starting at toks[i] spans, or
// 0 when none does.
func titleAt(toks []token, i int) int {
	if !toks[i].capital {
		return 0
	}
	key := toks[i].key
	found := 0
	for n := 1; n <= titleWords && i+n <= len(toks); n++ {
		if n > 1 {
			if toks[i+n-1].breakBefore {
				break
			}
			key += " " + toks[i+n-1].key
		}
		// "Justice Department" is no title before a name.
		if isTitle(key) && (i+n == len(toks) || !isOfHead(toks[i+n].key)) {
			found = n
		}
	}
	return found
}

// titleBeforeName reports whether a title starting at toks[k] stands
// before a name: "Supreme Court Justice Antonin Scalia", not "Center for
// Media Justice and".
func titleBeforeName(toks []token, k int) bool {
	n := titleAt(toks, k)
	return n > 0 && k+n < len(toks) && !toks[k+n].breakBefore && toks[k+n].capital
}

// titleCase reports whether a headline capitalises all its words.
func titleCase(toks []token) bool {
	capitals := 0
	for _, tok := range toks {
		switch {
		case tok.capital:
			capitals++
		case isSkipWord(tok.key) || isParticle(tok.key) || !startsWithLetter(tok.key):
		default:
			return false
		}
	}
	return capitals >= 3
}

func startsWithLetter(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsLetter(r)
}

// display is how a name found in text is shown: as written, with runs of
// spaces and line breaks made one space, and a word set all in capitals
// ("WASHINGTON —" datelines) capitalised instead, unless it is short
// enough to be an acronym and not a dateline ("FLINT, Mich.").
func display(text string, toks []token, dateline bool) string {
	var b strings.Builder
	for k, tok := range toks {
		if k > 0 {
			gap := text[toks[k-1].end:tok.start]
			switch inner := strings.TrimSpace(gap); {
			case inner == "":
				b.WriteByte(' ')
			case gap == "&":
				b.WriteString(gap) // "P&G"
			case inner == "&":
				b.WriteString(" & ") // "Procter & Gamble"
			default:
				b.WriteString(strings.Join(strings.Fields(gap), " "))
				b.WriteByte(' ')
			}
		}
		word := text[tok.start:tok.end]
		if tok.caps && (dateline || letterCount(word) > 5) {
			r, size := utf8.DecodeRuneInString(word)
			word = string(r) + strings.ToLower(word[size:])
		}
		b.WriteString(word)
	}
	return b.String()
}

// isDateline reports whether the words toks[i:end], all in capitals, open a
// line and are followed by a comma, a bracket or a dash: a dateline
// ("FLINT, Mich., Oct. 4 (UPI) —", "LOS ANGELES (AP)"), which names a
// place, not an acronym.
func isDateline(text string, toks []token, i, end int) bool {
	for _, tok := range toks[i:end] {
		if !tok.caps {
			return false
		}
	}
	before := text[:toks[i].start]
	if line := strings.LastIndexByte(before, '\n'); line >= 0 {
		before = before[line+1:]
	}
	if strings.TrimSpace(before) != "" {
		return false
	}
	after := strings.TrimLeft(text[toks[end-1].end:], " ")
	r, _ := utf8.DecodeRuneInString(after)
	switch r {
	case ',', '(', '—', '–', '-':
		return true
	}
	return false
}

// shoutedSentences marks the words of the sentences that shout: those
// with a function word in capitals ("NOW", "TO HIS").
func shoutedSentences(toks []token) []bool {
	shouted := make([]bool, len(toks))
	start := 0
	for k := 0; k <= len(toks); k++ {
		if k < len(toks) && (k == start || !toks[k].sentenceStart) {
			continue
		}
		if slices.ContainsFunc(toks[start:k], func(tok token) bool { return tok.caps && isShoutWord(tok.key) }) {
			for m := start; m < k; m++ {
				shouted[m] = true
			}
		}
		start = k
	}
	return shouted
}

// maxQuotedTitleWords bounds the quoted words quotedTitle takes for a
// title.
const maxQuotedTitleWords = 12

// quotedTitle returns the end of the quotation opening at toks[i] when it
// is in Title Case — the title of a book, a show or a song ("”Destiny and
// Power,”", "“This Kind of War”"), or a nickname (“Big Daddy”) — or i.
// Only aliases are looked for in it: its capitals are the title's, and its
// words name no one.
func quotedTitle(text string, toks []token, i int) int {
	prev := 0
	if i > 0 {
		prev = toks[i-1].end
	}
	if !opensQuote(text[prev:toks[i].start]) {
		return i
	}
	capitals := 0
	for j := i; j < len(toks) && j-i < maxQuotedTitleWords; j++ {
		tok := toks[j]
		switch {
		case tok.capital:
			capitals++
		case isTitleLowerWord(tok.key) || isParticle(tok.key) || !startsWithLetter(tok.key):
		default:
			return i
		}
		next := len(text)
		if j+1 < len(toks) {
			next = toks[j+1].start
		}
		gap := text[tok.end:next]
		if closesQuote(gap) {
			if capitals < 2 {
				return i
			}
			return j + 1
		}
		// A title goes on without a clause's punctuation: ‘Billie Jean
		// King, you are the Queen’ is speech.
		if strings.ContainsAny(gap, ",.;!?") {
			return i
		}
	}
	return i
}

// isTitleLowerWord reports whether a word stays in lower case in a title
// In Title Case: an article, a conjunction or a short preposition.
func isTitleLowerWord(key string) bool {
	switch key {
	case "a", "an", "the", "and", "but", "or", "nor", "for", "of", "in", "on", "at", "to", "by", "with", "from", "as", "vs":
		return true
	}
	return false
}

// opensQuote reports whether the gap before a word ends in an opening
// quotation mark.
func opensQuote(gap string) bool {
	r, _ := utf8.DecodeLastRuneInString(gap)
	switch r {
	case '“', '‘', '«', '„', '"', '\'':
		return true
	}
	return false
}

// closesQuote reports whether the gap after a word starts with a closing
// quotation mark, after the punctuation or bracket that may go inside it; a mark
// before a letter is an apostrophe ("Woman's").
func closesQuote(gap string) bool {
	gap = strings.TrimLeft(gap, ".,;:!?)")
	r, size := utf8.DecodeRuneInString(gap)
	switch r {
	case '”', '»':
		return true
	case '’', '"', '\'':
		next, _ := utf8.DecodeRuneInString(gap[size:])
		return !unicode.IsLetter(next)
	}
	return false
}

// beforeTitle returns where the run toks[i:end] ends when a title ends
// it, with no name after: "Texas Congressman", "Fox News Host",
// "Republican National Committeeman" are about Texas, Fox News and the
// committee. A run joined by "of" or "for" keeps its last word: "Center
// of Media Justice".
func beforeTitle(toks []token, i, end int) int {
	if slices.ContainsFunc(toks[i:end], func(tok token) bool { return !tok.capital }) {
		return end
	}
	key, cut := "", end
	for n := 1; n <= titleWords && end-n > i; n++ {
		if n == 1 {
			key = toks[end-1].key
		} else {
			key = toks[end-n].key + " " + key
		}
		// "Social Justice" is a subject, the "Union Leader" a newspaper.
		if isTitle(key) && key != "justice" && key != "leader" {
			cut = end - n
		}
	}
	// "Amy Pope", "Larry King": a surname that is a title too.
	if cut < end && cut-1 == i && isFirstName(toks[i].key) {
		return end
	}
	return cut
}

// personAfterLabel returns where a person's name starts inside the run
// toks[i:end] when a given name and a surname, with perhaps a middle name
// or initial, end it after other words: a party, an epithet or a word
// opening the sentence ("Republican Donald Trump", "Crooked Hillary
// Clinton", "Rival Hillary Clinton"), which are no part of the name. It
// returns i when the run is no such label and name: when the word before
// the given name is a given name or an initial itself ("Anne Marie
// Murphy", "J. Michael Pearson"), or the run ends like an institution
// ("Harvard Kennedy School", "Defeat Crooked Hillary PAC"). A party before
// a name is a label whatever the given name: "Missouri Republican Roy
// Blunt".
func personAfterLabel(toks []token, i, end int) int {
	if last := toks[end-1]; isOfHead(last.key) || last.caps && !isGeneration(last.key) {
		return i
	}
	for k := end - 2; k > i && k >= end-3; k-- {
		label := toks[k-1].key
		// "Missouri Republican Roy Blunt": a party is a label before any
		// name but an institution's ("Republican National Committee").
		if isPartyMember(label) && !isOrgWord(toks[k].key) && !isOrgWord(toks[end-1].key) {
			return k
		}
		if !isFirstName(toks[k].key) {
			continue
		}
		if isFirstName(label) || utf8.RuneCountInString(label) == 1 ||
			slices.ContainsFunc(toks[i:k], func(tok token) bool { return !tok.capital }) {
			return i
		}
		return k
	}
	return i
}
