package extract

import (
	"math"
	"slices"
	"strings"

	"github.com/newsroom-tools/quotes/internal/quote"
)

// Resolution is the phase after the cascade of attribution rules: each
// quote's cue and mention stay as the rules found them, and a learned ranker
// chooses who the mention means among the article's entities, the rules'
// own answer and nobody.

// Tuning of the candidate set.
const (
	// maxCandidates bounds the entities ranked for one quote: the most
	// recently referred to.
	maxCandidates = 12
	// afterWindow is how many tokens past a quote's sentence a first
	// reference may come and still name its speaker ("…," said X).
	afterWindow = 3
	// unknownBelow is the probability under which the best candidate is
	// too unlikely to name: the quote stays unknown, its mention kept.
	unknownBelow = 0.2
	// featuresPerCandidate is room for the most features one candidate
	// gets, so that its slice is allocated once.
	featuresPerCandidate = 24
)

// candidate is one answer the ranker weighs for a quote.
type candidate struct {
	speaker quote.Speaker
	// entity indexes the doc's entities, -1 for the rules' own answer when
	// it names none of them, and for nobody.
	entity   int
	nobody   bool
	features []feature
}

// quoteContext is what the features of every candidate of a quote share.
type quoteContext struct {
	index   int // the quote's index in doc.quotes
	open    int // the quote's first and last tokens
	last    int
	mention mentionType
	pronoun string
	cascade attribution
	// previous are the speakers the rules gave the quotes before, as name
	// ids (resolver.nameID), -1 for none.
	previous []int
	// written says the rules' name is written in their mention, and
	// writtenHere that the mention is in the quote's own sentence.
	written, writtenHere bool
	// lastReport indexes doc.reports: the latest speech verb before the
	// quote, -1 when there is none.
	lastReport int
	// subject is the name id of the entity whose reference opened the
	// latest sentence before the quote, -1 for none.
	subject int
}

// nameID numbers a speaker's name, ignoring case; -1 for no name. Names
// are numbered once per article, so that comparing two speakers in the
// features is comparing two ints.
func (r *resolver) nameID(name string) int {
	if name == "" {
		return -1
	}
	id, _ := r.names.number(name, len(r.names.ids))
	return id
}

// resolver ranks candidates with one article's entities.
type resolver struct {
	d        *doc
	entities []entity
	// paragraph numbers each token's paragraph.
	paragraph []int32
	// ledeEnd is the first token past the article's first paragraph of
	// running text.
	ledeEnd int
	names   *foldedNumbers
	// quoteSpeakers and reportSpeakers are the name ids of the rules'
	// speaker of each quote and of each speech verb.
	quoteSpeakers, reportSpeakers []int
	// countedQuotes is how many quotes, from the first, quotedBefore
	// counts.
	countedQuotes int
	*candidateBuffers
}

// candidateBuffers are reused from quote to quote, since a quote's
// candidates are done with before the next quote's are made.
type candidateBuffers struct {
	nears    []nearEntity
	cands    []candidate
	features []feature
	probs    []float64
	// quotedBefore counts, by name id, the speakers of the article's
	// first countedQuotes quotes (countQuotedBefore); newResolver empties
	// it.
	quotedBefore []int32
}

// nearEntity is an entity referred to near a quote, a candidate to be.
type nearEntity struct {
	entity int
	last   int // index into refs of the latest reference before the quote, -1 when only after
	pos    int
}

// sortNearest sorts nears latest first, equals in the order of their
// entities: an insertion sort, since a quote has a few dozen at most and
// the comparison is cheapest written out.
func sortNearest(nears []nearEntity) {
	for i := 1; i < len(nears); i++ {
		n := nears[i]
		j := i
		for j > 0 && (nears[j-1].pos < n.pos || nears[j-1].pos == n.pos && nears[j-1].entity > n.entity) {
			nears[j] = nears[j-1]
			j--
		}
		nears[j] = n
	}
}

// featureRoom is room for one candidate's features, carved out of
// r.features, which candidates sized for all of a quote's candidates.
func (r *resolver) featureRoom() []feature {
	n := len(r.features)
	r.features = r.features[:n+featuresPerCandidate]
	return r.features[n : n : n+featuresPerCandidate]
}

func (d *doc) newResolver(attrs []attribution) *resolver {
	// The entities are numbered by name as they are collected, in order, so
	// their numbers are those nameID gives them: the numbering goes on.
	names := &d.bufs.names
	names.reset()
	r := &d.bufs.resolver
	*r = resolver{d: d, entities: d.collectEntities(attrs, names), paragraph: resized(&d.bufs.paragraph, len(d.toks)), names: names,
		quoteSpeakers: zeroed(&d.bufs.quoteSpeakers, len(attrs)), reportSpeakers: zeroed(&d.bufs.reportSpeakers, len(d.reports)),
		candidateBuffers: &d.bufs.candidateBuffers}
	for i := range r.entities {
		e := &r.entities[i]
		e.id, e.surname = r.nameID(e.name), lastWord(e.name)
	}
	r.quotedBefore = r.quotedBefore[:0]
	for i := range attrs {
		r.quoteSpeakers[i] = r.nameID(attrs[i].speaker.Name)
	}
	for i := range d.reports {
		r.reportSpeakers[i] = r.nameID(d.reports[i].speaker.Name)
	}
	// A paragraph runs from a line break, which is its first token, to the
	// next: the breaks are among the marks and breaks tokenize listed.
	paragraph := r.paragraph[:len(d.toks)]
	var p int32
	from := 0
	for _, mb := range d.markBreaks {
		if k := int(mb); d.toks[k].kind == breakToken {
			fillInt32(paragraph[from:k], p)
			p++
			from = k
		}
	}
	fillInt32(paragraph[from:], p)
	r.ledeEnd = len(d.toks)
	for k := range d.toks {
		if d.sentence[k] >= 3 && r.paragraph[k] > 0 {
			r.ledeEnd = k
			break
		}
	}
	return r
}

// fillInt32 sets every element of s to v.
func fillInt32(s []int32, v int32) {
	for i := range s {
		s[i] = v
	}
}

// candidates lists the answers for the quote in ctx, every one with its
// features. They are valid until the next call.
func (r *resolver) candidates(ctx quoteContext) []candidate {
	d := r.d
	r.countQuotedBefore(len(ctx.previous))
	nears := r.nears[:0]
	sentenceEnd := d.clauseEnd(ctx.last) + afterWindow
	// Latest entity first: entities come in the order the article
	// introduces them, so the later ones are mostly the more recent, and
	// sortNearest finds the list nearly sorted.
	for i := len(r.entities) - 1; i >= 0; i-- {
		e := &r.entities[i]
		li := e.lastBefore(ctx.open)
		switch {
		case li >= 0:
			nears = append(nears, nearEntity{entity: i, last: li, pos: e.refs[li].from})
		case len(e.refs) > 0 && e.refs[0].from > ctx.last && e.refs[0].from < sentenceEnd:
			nears = append(nears, nearEntity{entity: i, last: -1, pos: ctx.open - (e.refs[0].from - ctx.last)})
		}
	}
	r.nears = nears
	sortNearest(nears)
	ctx.subject = r.latestSubject(nears)
	ruleName := ctx.cascade.speaker.Name
	ruleEntity := -1
	for i, n := range nears {
		if ruleName != "" && strings.EqualFold(r.entities[n.entity].name, ruleName) {
			ruleEntity = i
		}
	}
	if ruleEntity >= 0 && ctx.writtenHere && (ctx.mention == mentionName || ctx.mention == mentionOrganization) {
		// The quote's own sentence names its speaker: the ranker weighs
		// that name against nobody, for a confidence, and no other.
		nears, ruleEntity = nears[ruleEntity:ruleEntity+1], 0
	}
	if len(nears) > maxCandidates {
		if ruleEntity >= maxCandidates {
			nears[maxCandidates-1] = nears[ruleEntity]
			ruleEntity = maxCandidates - 1
		}
		nears = nears[:maxCandidates]
	}
	mt := int(ctx.mention)
	// Nobody, the rules' own answer and the entities near.
	if room := (len(nears) + 2) * featuresPerCandidate; cap(r.features) < room {
		r.features = make([]feature, 0, room)
	}
	r.features = r.features[:0]
	out := r.cands[:0]
	out = append(out, candidate{entity: -1, nobody: true, speaker: quote.Speaker{Kind: quote.Unknown},
		features: append(r.featureRoom(), featureOf(gNone, mt))})
	if ruleName != "" && ruleEntity < 0 {
		rank := 0
		for rank < len(nears) && nears[rank].pos > ctx.cascade.mentionFrom {
			rank++
		}
		out = append(out, r.ruleOnly(ctx, rank))
	}
	for rank, n := range nears {
		e := &r.entities[n.entity]
		c := candidate{entity: n.entity, speaker: quote.Speaker{Name: e.name, Kind: e.kind, Descriptor: e.descriptor},
			features: r.featureRoom()}
		if rank == ruleEntity {
			c.speaker = ctx.cascade.speaker
			c.features = append(c.features, featureOf(gRuleChoice, mt), featureOf(gRuleChoiceRule, ruleIndex(ctx.cascade.rule)), r.ruleMention(ctx), ruleExplicit(ctx))
		}
		if rank != ruleEntity && ctx.written {
			// The rules' name is written in their mention: another
			// candidate must overrule it.
			where := 1
			if ctx.writtenHere {
				where = 0
			}
			c.features = append(c.features, featureOf(gOverruled, mt*2+where))
		}
		c.features = r.entityFeatures(c.features, ctx, e, rank, n.last)
		out = append(out, c)
	}
	r.cands = out
	return out
}

// latestSubject is the name id of the entity, among those near a quote
// (latest first), whose reference opened the latest sentence before the
// quote, -1 for none: the one a pronoun most often goes back to, whatever
// the verb ("Biden rubbished Trump's claim. … 'Malarkey,' he said").
func (r *resolver) latestSubject(nears []nearEntity) int {
	subject, at := -1, -1
	for _, n := range nears {
		e := &r.entities[n.entity]
		// Refs go in order: none before the best found can beat it.
		for j := n.last; j >= 0 && e.refs[j].from > at; j-- {
			if e.refs[j].subject {
				subject, at = e.id, e.refs[j].from
				break
			}
		}
	}
	return subject
}

// objectRole says how a reference that is no subject stands in its
// sentence: 0 possessive ("Trump's claim"), 1 after a preposition
// ("against Sanders"), -1 neither. A pronoun seldom goes back to either.
func (d *doc) objectRole(ref entityRef) int {
	if w := d.word(ref.to - 1); trimPossessive(w) != w {
		return 0
	}
	if d.isPreposition(d.beforeNounPhrase(ref.from)) {
		return 1
	}
	return -1
}

// roleIn is d.objectRole(*ref), worked out once.
func (ref *entityRef) roleIn(d *doc) int {
	if ref.role == 0 {
		ref.role = int8(d.objectRole(*ref) + 2)
	}
	return int(ref.role) - 2
}

// beforeNounPhrase is the token before the noun phrase a name at token
// from opens or ends: past an article, and past the conjuncts before it
// ("like Islamic State and the Al-Nusra Front").
func (d *doc) beforeNounPhrase(from int) int {
	k := from - 1
	if d.is(k, "the") {
		k--
	}
	if d.is(k, "and") || d.is(k, "or") {
		j := k - 1
		for d.isNameWord(j) {
			j--
		}
		if j < k-1 {
			return d.beforeNounPhrase(j + 1)
		}
	}
	return k
}

// isPreposition reports whether token k is a preposition that makes the
// name after it an object ("against Sanders", "with Trump").
func (d *doc) isPreposition(k int) bool {
	if k < 0 || !d.isWord(k) {
		return false
	}
	w := d.word(k)
	var folded [len("towards")]byte
	if len(w) > len(folded) {
		return false
	}
	for i := 0; i < len(w); i++ {
		folded[i] = asciiLower[w[i]]
	}
	// One switch on the folded word, not a comparison with each
	// preposition in turn: this runs for every candidate of every quote.
	switch string(folded[:len(w)]) {
	case "of", "to", "for", "with", "against", "about", "on", "by", "from", "at", "in", "toward", "towards",
		"over", "between", "than", "like", "into", "under", "behind":
		return true
	}
	return false
}

// ruleOnly is the candidate of the rules' answer when it names none of the
// article's entities ("Russia’s foreign ministry", an anonymous source): an
// entity of its own, referred to once, where the rules found it.
func (r *resolver) ruleOnly(ctx quoteContext, rank int) candidate {
	a := ctx.cascade
	mt := int(ctx.mention)
	c := candidate{entity: -1, speaker: a.speaker, features: r.featureRoom()}
	shape := 2
	if !strings.Contains(a.speaker.Name, " ") {
		shape = 0
		if classOf(a.speaker.Name)&(maleName|femaleName) != 0 {
			shape = 1
		}
	}
	c.features = append(c.features, featureOf(gRuleOnly, mt), featureOf(gRuleChoiceRule, ruleIndex(a.rule)), featureOf(gRuleOnlyShape, shape), r.ruleMention(ctx), ruleExplicit(ctx))
	if a.speaker.Kind != quote.Person && a.speaker.Kind != quote.Organization {
		return c
	}
	e := &entity{name: a.speaker.Name, surname: lastWord(a.speaker.Name), kind: a.speaker.Kind, descriptor: a.speaker.Descriptor, id: r.nameID(a.speaker.Name)}
	last := -1
	if a.mentionTo > a.mentionFrom {
		e.refs = []entityRef{{from: a.mentionFrom, to: a.mentionTo, spoke: true}}
		if a.mentionFrom < ctx.open {
			last = 0
		}
	}
	c.features = r.entityFeatures(c.features, ctx, e, rank, last)
	return c
}

// ruleMention says how far from the quote the rules found their mention:
// one in the quote's own sentence is seldom wrong about whom it names.
func (r *resolver) ruleMention(ctx quoteContext) feature {
	mt := int(ctx.mention)
	a := ctx.cascade
	bucket := len(sentenceBuckets) - 1
	if a.mentionTo > a.mentionFrom && a.mentionFrom < ctx.open {
		bucket = bucketSentences(r.d.sentence[ctx.open] - r.d.sentence[a.mentionFrom])
	} else if a.mentionTo > a.mentionFrom && r.d.sentence[a.mentionFrom] == r.d.sentence[ctx.last] {
		bucket = 0
	}
	return featureOf(gRuleMention, mt*len(sentenceBuckets)+bucket)
}

// ruleExplicit says whether the rules' name is written in their mention
// ("Russia’s foreign ministry") or resolved from elsewhere ("he").
func ruleExplicit(ctx quoteContext) feature {
	resolved := 1
	if ctx.written {
		resolved = 0
	}
	return featureOf(gRuleExplicit, int(ctx.mention)*2+resolved)
}

// entityFeatures describe entity e as the speaker of the quote in ctx: how
// recently and how prominently it was referred to, its part in the run of
// quotes, and whether it agrees with the mention. rank is its place among
// the candidates by recency; last indexes its latest reference before the
// quote, -1 when it is referred to only after.
func (r *resolver) entityFeatures(f []feature, ctx quoteContext, e *entity, rank, last int) []feature {
	d := r.d
	mt := int(ctx.mention)
	kind := 0
	if e.kind == quote.Organization {
		kind = 1
	}
	f = append(f, featureOf(gKind, mt*len(kinds)+kind), featureOf(gRecency, mt*len(rankBuckets)+min(rank, 3)))
	if !strings.Contains(e.name, " ") {
		f = append(f, featureOf(gOneWord, kind))
	}
	if last < 0 {
		f = append(f, featureOf(gSentences, mt*len(sentenceBuckets)+len(sentenceBuckets)-1))
	} else {
		ref := e.refs[last]
		f = append(f,
			featureOf(gSentences, mt*len(sentenceBuckets)+bucketSentences(d.sentence[ctx.open]-d.sentence[ref.from])),
			featureOf(gParagraphs, mt*len(paragraphBuckets)+min(int(r.paragraph[ctx.open]-r.paragraph[ref.from]), 2)),
			featureOf(gSalience, bucketSalience(last+1)))
		if ref.subject {
			f = append(f, featureOf(gSubject, mt))
		}
		if role := e.refs[last].roleIn(d); role >= 0 {
			f = append(f, featureOf(gRefRole, mt*2+role))
		}
		if e.refs[0].from < r.ledeEnd {
			f = append(f, featureOf(gLede, 0))
		}
		for _, ref := range e.refs[:last+1] {
			if ref.spoke {
				f = append(f, featureOf(gSpoke, mt))
				break
			}
		}
	}
	if e.id >= 0 && e.id == ctx.subject {
		f = append(f, featureOf(gLatestSubject, mt))
	}
	f = r.dialogueFeatures(f, ctx, e)
	return r.agreementFeatures(f, ctx, e, kind)
}

// dialogueFeatures say how the entity stands in the run of quotes and
// speech verbs before the quote: who spoke last, whose turn it is.
func (r *resolver) dialogueFeatures(f []feature, ctx quoteContext, e *entity) []feature {
	mt := int(ctx.mention)
	is := func(id int) bool { return id >= 0 && id == e.id }
	n := len(ctx.previous)
	if n >= 1 && is(ctx.previous[n-1]) {
		f = append(f, featureOf(gPrevQuote, mt))
	} else if n >= 2 && is(ctx.previous[n-2]) {
		f = append(f, featureOf(gTurn, mt))
	}
	quoted := 0
	if e.id >= 0 && e.id < len(r.quotedBefore) {
		// candidates counted ctx.previous.
		quoted = int(r.quotedBefore[e.id])
	}
	f = append(f, featureOf(gQuotedBefore, mt*len(countBuckets)+bucketCount(quoted)))
	d := r.d
	if ctx.lastReport >= 0 && is(r.reportSpeakers[ctx.lastReport]) {
		gap := d.sentence[ctx.open] - d.sentence[d.reports[ctx.lastReport].verbPosition]
		f = append(f, featureOf(gLastReport, mt*len(reportBuckets)+min(int(gap), 2)))
	}
	if d.surnameInQuote(ctx.index, e.surname) {
		f = append(f, featureOf(gMentionedInQuote, mt))
	}
	return f
}

// agreementFeatures compare the entity with the mention: gender and number
// for a pronoun, the head noun for a description.
func (r *resolver) agreementFeatures(f []feature, ctx quoteContext, e *entity, kind int) []feature {
	mt := int(ctx.mention)
	switch ctx.mention {
	case mentionPronoun:
		want, row := pronounGender(ctx.pronoun)
		f = append(f, featureOf(gPronounKind, row*len(kinds)+kind))
		if row == 0 {
			col := 2
			if e.gender != unknownGender {
				col = 1
				if e.gender == want {
					col = 0
				}
			}
			if want == female {
				col += 3
			}
			f = append(f, featureOf(gGender, col))
		}
	case mentionDescription:
		head := strings.ToLower(trimPossessive(lastWord(ctx.cascade.speaker.Mention)))
		singular := strings.TrimSuffix(head, "s")
		if singular != "" && (containsWord(e.descriptor, singular) || roleAbbreviations[singular] != "" && containsWord(e.descriptor, roleAbbreviations[singular]) ||
			e.kind == quote.Organization && containsWord(e.name, singular)) {
			f = append(f, featureOf(gDescribes, mt))
		}
	}
	return f
}

// surnameInQuote reports whether the quote's own words name the entity
// whose name ends with surname: a speaker seldom names themselves.
func (d *doc) surnameInQuote(i int, surname string) bool {
	return len(surname) > 2 && d.quoteHasWord(i, surname)
}

func ruleIndex(rule string) int {
	for i, r := range cascadeRules {
		if r == rule {
			return i
		}
	}
	return len(cascadeRules) - 1
}

// rank scores the candidates with the model and returns their
// probabilities, which sum to one over all of them, nobody included, in p
// resized.
func (m *Model) rank(cands []candidate, p []float64) []float64 {
	p = slices.Grow(p[:0], len(cands))[:len(cands)]
	clear(p)
	for i := range cands {
		for _, f := range cands[i].features {
			p[i] += m.weights[f]
		}
	}
	Softmax(p)
	return p
}

// Softmax turns scores into probabilities that sum to one, in place.
func Softmax(p []float64) {
	best := math.Inf(-1)
	for _, s := range p {
		best = max(best, s)
	}
	sum := 0.0
	for i := range p {
		p[i] = math.Exp(p[i] - best)
		sum += p[i]
	}
	for i := range p {
		p[i] /= sum
	}
}

// resolveAll rewrites the speaker of each kept quote with the ranker's
// choice. kept[j] is the index in d.quotes of out[j]; attrs are the
// cascade's answers for every quote.
func (d *doc) resolveAll(out []quote.Quote, kept []int, attrs []attribution, m *Model) {
	if m == nil || len(out) == 0 {
		return
	}
	r := d.newResolver(attrs)
	for j, i := range kept {
		ctx := r.quoteContext(i, attrs)
		cands := r.candidates(ctx)
		p := m.rank(cands, r.probs)
		r.probs = p
		best := bestCandidate(cands, p)
		if best < 0 {
			out[j].Evidence.Confidence = 0
			continue
		}
		r.apply(&out[j], ctx, cands[best], p[best])
		r.follow(i, cands, p)
	}
}

// bestCandidate is the most probable candidate other than nobody, or -1.
func bestCandidate(cands []candidate, p []float64) int {
	best := -1
	for c := range cands {
		if !cands[c].nobody && (best < 0 || p[c] > p[best]) {
			best = c
		}
	}
	return best
}

// follow makes the ranker's choice for quote i, when it is likely enough
// to be named, the speaker later quotes look back on in place of the
// rules' answer: a run of "she said" follows whom the ranker chose.
func (r *resolver) follow(i int, cands []candidate, p []float64) {
	if best := bestCandidate(cands, p); best >= 0 && p[best] >= unknownBelow {
		r.quoteSpeakers[i] = r.nameID(cands[best].speaker.Name)
	}
}

// countQuotedBefore makes quotedBefore count the speakers of the first n
// quotes. Quotes are resolved in order, and a quote's speaker is final once
// it is resolved (follow), so only the quotes resolved since the last call
// are counted: counted afresh for each candidate, every earlier quote was
// read again and again.
func (r *resolver) countQuotedBefore(n int) {
	if n < r.countedQuotes {
		clear(r.quotedBefore)
		r.countedQuotes = 0
	}
	for ; r.countedQuotes < n; r.countedQuotes++ {
		if id := r.quoteSpeakers[r.countedQuotes]; id >= 0 {
			for len(r.quotedBefore) <= id {
				r.quotedBefore = append(r.quotedBefore, 0)
			}
			r.quotedBefore[id]++
		}
	}
}

func (r *resolver) quoteContext(i int, attrs []attribution) quoteContext {
	d := r.d
	q := d.quotes[i]
	a := attrs[i]
	ctx := quoteContext{index: i, open: q.open, last: d.lastToken(q), cascade: a, mention: d.mentionTypeOf(a), previous: r.quoteSpeakers[:i],
		written: a.nameWritten(), lastReport: -1}
	if ctx.mention == mentionPronoun {
		ctx.pronoun = d.word(a.mentionFrom)
	}
	if ctx.written {
		s := d.sentence[a.mentionFrom]
		ctx.writtenHere = s == d.sentence[ctx.open] || s == d.sentence[ctx.last]
	}
	for i := len(d.reports) - 1; i >= 0; i-- {
		if d.reports[i].verbPosition < ctx.open {
			ctx.lastReport = i
			break
		}
	}
	return ctx
}

// apply sets a quote's speaker to the chosen candidate, with p as its
// confidence and the entity's latest reference before the quote as the
// antecedent a reader can check.
func (r *resolver) apply(q *quote.Quote, ctx quoteContext, c candidate, p float64) {
	q.Evidence.Confidence = math.Round(p*1000) / 1000
	if p < unknownBelow {
		q.Speaker = quote.Speaker{Kind: quote.Unknown, Mention: ctx.cascade.speaker.Mention}
		return
	}
	sp := c.speaker
	sp.Mention = ctx.cascade.speaker.Mention
	if sp.Descriptor == "" && c.entity >= 0 {
		sp.Descriptor = r.entities[c.entity].descriptor
	}
	q.Speaker = sp
	if c.entity < 0 {
		return
	}
	e := &r.entities[c.entity]
	if e.kind == quote.Person {
		q.Speaker.Gender = string(e.gender.exported())
	}
	li := e.lastBefore(ctx.open)
	if li < 0 {
		return
	}
	ref := e.refs[li]
	if ref.from >= ctx.cascade.mentionFrom && ref.from < max(ctx.cascade.mentionTo, ctx.cascade.mentionFrom+1) {
		return
	}
	q.Evidence.Antecedent = r.d.spanOf(ref.from, ref.to)
}
