package extract

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/newsroom-tools/quotes/internal/quote"
)

// entity is one person or organisation the article writes about: every
// mention of the same resolved name, in order. It is the chain that a
// pronoun, a description or a surname alone is resolved along.
type entity struct {
	id   int // the resolver's name id
	name string
	// surname is name's last word, which every quote after the entity's
	// first reference looks for in its words (surnameInQuote).
	surname    string
	descriptor string
	kind       quote.SpeakerKind
	gender     gender
	// refs are where the article refers to the entity outside quotes: its
	// names, and the subjects of speech verbs resolved to it.
	refs []entityRef
}

// entityRef is one reference to an entity: tokens [from, to).
type entityRef struct {
	from, to int
	// spoke marks the subject of a speech verb.
	spoke bool
	// subject marks a reference that opens its sentence.
	subject bool
	// role is objectRole's answer plus 2 once asked for (roleIn), 0
	// before: the reference is weighed again for every quote after it.
	role int8
}

// lastBefore is the latest reference that starts before token at, or -1.
func (e *entity) lastBefore(at int) int {
	for i := len(e.refs) - 1; i >= 0; i-- {
		if e.refs[i].from < at {
			return i
		}
	}
	return -1
}

// collectEntities groups the article's named mentions, the named speakers
// of its speech verbs and those the rules found for its quotes (attrs) into
// entities, one per resolved name.
func (d *doc) collectEntities(attrs []attribution, index *foldedNumbers) []entity {
	out := d.bufs.entities[:0]
	defer func() { d.bufs.entities = out }()
	// people holds, a slot each by recentSlot, names of people that were
	// no place and no group: most are written again and again, and the
	// tests, which depend on the name alone, need not be made again.
	var people [recentNames]string
	add := func(name, descriptor string, kind quote.SpeakerKind, g gender, ref entityRef) {
		if name == "" || kind != quote.Person && kind != quote.Organization {
			return
		}
		if kind == quote.Person {
			if known := &people[recentSlot(name)]; *known != name {
				if d.isPlaceName(name) || isGroupName(name) {
					return
				}
				*known = name
			}
		}
		i, ok := index.number(name, len(out))
		if !ok {
			// The slot's refs from an earlier article, emptied: allocated
			// afresh, refs were half the extractor's allocations. Each slot
			// only ever holds its own backing array, so none is shared.
			var refs []entityRef
			if len(out) < cap(out) {
				refs = out[:len(out)+1][len(out)].refs[:0]
			}
			out = append(out, entity{name: name, kind: kind, refs: refs})
		}
		e := &out[i]
		if e.descriptor == "" {
			e.descriptor = descriptor
		}
		if e.gender == unknownGender {
			e.gender = g
		}
		if n := len(e.refs); n > 0 && ref.from < e.refs[n-1].to && e.refs[n-1].from < ref.to {
			// A speech verb's subject that is also a named mention.
			e.refs[n-1].spoke = e.refs[n-1].spoke || ref.spoke
			e.refs[n-1].subject = e.refs[n-1].subject || ref.subject
			return
		}
		e.refs = append(e.refs, ref)
	}
	// Pointers, sorted: d.reports stays in the order of its verbs, and an
	// attribution is too big to copy around.
	reports := d.bufs.reportOrder[:0]
	for i := range d.reports {
		reports = append(reports, &d.reports[i])
	}
	for i := range attrs {
		if a := &attrs[i]; a.mentionTo > a.mentionFrom && a.nameWritten() {
			reports = append(reports, a)
		}
	}
	d.bufs.reportOrder = reports
	slices.SortStableFunc(reports, func(a, b *attribution) int { return a.mentionFrom - b.mentionFrom })
	mi, ri := 0, 0
	for mi < len(d.mentions) || ri < len(reports) {
		if ri >= len(reports) || mi < len(d.mentions) && d.mentions[mi].tok <= reports[ri].mentionFrom {
			m := &d.mentions[mi]
			mi++
			add(m.name, m.descriptor, m.kind, m.gender, entityRef{from: m.tok, to: m.end, subject: d.startsSentence(*m)})
			continue
		}
		r := reports[ri]
		ri++
		from, to := r.mentionFrom, r.mentionTo
		if to <= from {
			from, to = r.verbPosition, r.verbPosition+1
		}
		if first := firstWord(r.speaker.Name); r.speaker.Kind == quote.Person && first != r.speaker.Name && d.tableGender(first) == unknownGender && classOf(first)&(maleName|femaleName) == 0 {
			// "said Le Pen": the full name of a surname of two words,
			// for the entity and the rules' answer alike.
			if full, ok := d.longerName(r.speaker.Name, unknownGender, from); ok {
				r.speaker.Name = full.name
			}
		}
		add(r.speaker.Name, r.speaker.Descriptor, r.speaker.Kind, unknownGender, entityRef{from: from, to: to, spoke: true})
	}
	for i := range out {
		e := &out[i]
		if e.gender == unknownGender && e.kind == quote.Person {
			e.gender = d.genderByName(e.name)
		}
		for j := 0; j < len(e.refs) && j < 3 && e.gender == unknownGender && e.kind == quote.Person; j++ {
			e.gender = d.pronounAfter(e.refs[j])
		}
	}
	// Places the article writes "in" or "at" ("in Orlando", "at Yale")
	// that no title, pronoun or speech verb made people: out of the
	// candidates, swapped to the end so that every slot keeps its own refs.
	kept := 0
	for i := range out {
		if !d.isLocative(&out[i]) {
			out[kept], out[i] = out[i], out[kept]
			kept++
		}
	}
	out = out[:kept]
	return out
}

// isGroupName reports whether a person's name, as the capitals give it,
// ends with the plural of a nationality's or a party's word: "Germans",
// "Latino Republicans" name many people, no one of them.
func isGroupName(name string) bool {
	w := lastWord(name)
	if len(w) < 4 || w[len(w)-1] != 's' || w[len(w)-2] == '\'' {
		return false
	}
	return classOf(w[:len(w)-1])&title != 0 && classOf(w)&(title|orgHead) == 0
}

// isLocative reports whether e is a place by the way the article writes
// it: a person with no gender, never the subject of a speech verb, whose
// name opens with no first name or is one word, written after "in", "at",
// "near" or "outside" at least once.
func (d *doc) isLocative(e *entity) bool {
	if e.kind != quote.Person || e.gender != unknownGender {
		return false
	}
	if first := firstWord(e.name); first != e.name && (d.tableGender(first) != unknownGender || classOf(first)&(maleName|femaleName) != 0) {
		return false
	}
	after := false
	words := strings.Count(e.name, " ") + 1
	for _, ref := range e.refs {
		k := ref.from - 1
		if ref.spoke {
			// A speech verb's subject is a person, unless the rules took
			// the place in its description for a name: "a professor of
			// law at Yale said".
			k = ref.to - words - 1
			if k < ref.from || !d.isLocativeWord(k) {
				return false
			}
		}
		if w := d.word(ref.to - 1); trimPossessive(w) != w {
			// "in Sanders's campaign": the place is the campaign.
			continue
		}
		if d.is(k, "the") {
			// "in the Middle East"
			k--
		}
		after = after || d.isLocativeWord(k)
	}
	return after
}

// isLocativeWord reports whether token k is a preposition of place.
func (d *doc) isLocativeWord(k int) bool {
	return d.is(k, "in") || d.is(k, "at") || d.is(k, "near") || d.is(k, "outside")
}

// foldedNumbers numbers strings ignoring case, as a map keyed by their
// strings.ToLower would, but allocates no key for a string it has
// numbered, and keeps the keys of the others in one arena.
type foldedNumbers struct {
	ids  map[string]int
	buf  []byte
	keys strings.Builder
	// recent remembers strings numbered already, as written: an article
	// writes the same name many times, and an equal string, compared
	// as it is, has the same number without folding and hashing it.
	recent [recentNames]recentName
}

// recentNames is how many strings foldedNumbers.recent holds, one a slot
// chosen by the string's length and ends.
const recentNames = 64

type recentName struct {
	s  string
	id int
}

func recentSlot(s string) int {
	return (len(s)*31 + int(s[0])*7 + int(s[len(s)-1])) % recentNames
}

// maxKeyArena bounds the bytes of keys foldedNumbers keeps writing into
// one arena across articles before it starts a new one.
const maxKeyArena = 64 << 10

// reset forgets every number, keeping the map's room. The key arena is kept
// too, up to maxKeyArena: the strings handed out of it are never written
// again (new keys go after them), and once the map is cleared nothing reads
// them, so the next article's keys follow on instead of regrowing a new
// arena from nothing, which was a tenth of the extractor's allocations.
func (f *foldedNumbers) reset() {
	if f.ids == nil {
		f.ids = map[string]int{}
	}
	clear(f.ids)
	f.recent = [recentNames]recentName{}
	if f.keys.Len() > maxKeyArena || f.keys.Cap() == 0 {
		// A new arena is made whole, with room for an article past
		// maxKeyArena: grown a doubling at a time, each arena cost twice
		// its size in allocations.
		f.keys.Reset()
		f.keys.Grow(2 * maxKeyArena)
	}
}

// number returns s's number, giving it next when it had none; ok says it
// had one.
func (f *foldedNumbers) number(s string, next int) (id int, ok bool) {
	if s == "" {
		return f.numberFolded(s, next)
	}
	slot := &f.recent[recentSlot(s)]
	if slot.s == s {
		return slot.id, true
	}
	id, ok = f.numberFolded(s, next)
	slot.s, slot.id = s, id
	return id, ok
}

// numberFolded is number without the recent strings.
func (f *foldedNumbers) numberFolded(s string, next int) (id int, ok bool) {
	f.buf = f.buf[:0]
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			// strings.ToLower folds beyond ASCII.
			key := strings.ToLower(s)
			if id, ok := f.ids[key]; ok {
				return id, true
			}
			f.ids[key] = next
			return next, false
		}
		f.buf = append(f.buf, asciiLower[c])
	}
	if id, ok := f.ids[string(f.buf)]; ok {
		return id, true
	}
	// A string from the arena: the bytes a Builder has handed out in a
	// string never change, however it grows.
	start := f.keys.Len()
	f.keys.Write(f.buf)
	f.ids[f.keys.String()[start:]] = next
	return next, false
}

// pronounAfter is the gender of the first personal pronoun after a named
// reference, in its sentence or the next, when no other name comes
// between: "Rakeyia Scott can be heard yelling that her husband…". It
// gives first names that no list holds a gender.
func (d *doc) pronounAfter(ref entityRef) gender {
	if d.class(ref.from)&pronoun != 0 || ref.to > ref.from && d.possessive(ref.to-1) {
		// A possessive names an owner, seldom whom the next pronoun is
		// about: "Clinton suggested that Sanders's plan was unserious,
		// she said".
		return unknownGender
	}
	// The same name's gender is asked for as a mention, as a speaker and
	// as an entity: the answer depends only on where the name ends, and is
	// kept, one a token, once worked out.
	if !d.pronounsReady {
		d.pronounsReady = true
		d.bufs.pronounAfter = slices.Grow(d.bufs.pronounAfter[:0], len(d.toks))[:len(d.toks)]
		clear(d.bufs.pronounAfter)
	}
	if ref.to >= len(d.toks) {
		return unknownGender
	}
	known := &d.bufs.pronounAfter[ref.to]
	if *known == 0 {
		*known = 1 + d.pronounAfterToken(ref.to)
	}
	return *known - 1
}

// pronounAfterToken is pronounAfter of a name ending before token to.
func (d *doc) pronounAfterToken(to int) gender {
	sentences := 0
	for k := to; k < len(d.toks) && d.toks[k].kind != breakToken; k++ {
		if d.quoteOf[k] >= 0 {
			continue
		}
		if d.isSentenceEnd(k) {
			if sentences++; sentences == 2 {
				break
			}
		}
		if d.isNameWord(k) && !d.opensSentence(k) {
			break
		}
		if d.class(k)&pronoun != 0 {
			if g := wordGender(d.word(k)); g != unknownGender {
				return g
			}
		}
	}
	return unknownGender
}
