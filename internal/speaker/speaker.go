// Package speaker decides who a speaker is across articles. Ingest asks it
// whom a surname stands for ("Obama" → Barack Obama), the API asks it again
// when it serves a quote (so a quote stored before the full name was known
// still meets that person's other quotes) and whom a typed name means
// (?speaker=Putin), and verify asks it whether a claimed speaker is the
// quote's. One resolver answers all of them, from what the store knows.
package speaker

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/newsroom-tools/quotes/internal/extract"
	"github.com/newsroom-tools/quotes/internal/quote"
	"github.com/newsroom-tools/quotes/internal/store"
)

// People is what naming a speaker reads: the speakers known, by name.
// A store is one; so is a Corpus.
type People interface {
	Speakers(ctx context.Context, prefix string, limit int) ([]store.SpeakerSummary, error)
	Speaker(ctx context.Context, id string) (store.SpeakerRecord, error)
}

// Directory is what the resolver reads: the speakers a store knows and
// their quotes. store.Store is one.
type Directory interface {
	People
	Quotes(ctx context.Context, q store.Query) (store.Page, error)
}

// Resolver answers who a speaker is. It keeps no state between calls.
type Resolver struct {
	dir Directory
}

// New returns a Resolver reading dir.
func New(dir Directory) *Resolver { return &Resolver{dir: dir} }

// Bounds on the speaker records read for one decision: the person meant is
// among the few most quoted who fit.
const (
	// surnameCandidates is how many speakers sharing a name word are
	// looked at for a surname.
	surnameCandidates = 20
	// maxRoleChecks is how many same-surname people's roles are read to
	// tell them apart.
	maxRoleChecks = 5
	// maxAliasChecks is how many candidates' aliases are read to match a
	// typed name.
	maxAliasChecks = 5
	// maxAliasWords is how many of a typed name's words (longest first)
	// are tried as the prefix of an alias.
	maxAliasWords = 3
)

// Canonical returns the speakers of quotes as the corpus knows them: a
// person an article names by surname alone ("Kerry") becomes the one
// person of that surname the store knows by full name ("John Kerry"),
// with its id. Among several, the article's own words decide: a gendered
// title or pronoun ("Mr. Obama" is not Michelle Obama), else a role both
// share ("President"); when they do not, the surname stays as written — a
// bare surname is better than a wrong name. So with an organisation an
// article calls by its last word alone ("the Times" is the one "… Times"
// known). The mention and evidence keep the article's words.
func (r *Resolver) Canonical(ctx context.Context, quotes []quote.Quote) error {
	return Canonical(ctx, r.dir, quotes)
}

// Canonical is Resolver.Canonical over the speakers people knows.
func Canonical(ctx context.Context, people People, quotes []quote.Quote) error {
	decided := map[string]string{}
	for i := range quotes {
		sp := &quotes[i].Speaker
		if sp.Kind != quote.Person && sp.Kind != quote.Organization || len(quote.Words(sp.Name)) != 1 {
			continue
		}
		if first, _ := utf8.DecodeRuneInString(sp.Name); sp.Kind == quote.Organization && !unicode.IsUpper(first) {
			// "the company" is no organisation's short name.
			continue
		}
		surname := quote.Fold(sp.Name)
		g := extract.SpeakerGender(*sp)
		key := string(sp.Kind) + "/" + surname + "/" + string(g) + "/" + quote.Fold(sp.Descriptor)
		full, ok := decided[key]
		if !ok {
			var err error
			if full, err = fullName(ctx, people, sp.Kind, surname, g, sp.Descriptor); err != nil {
				return err
			}
			decided[key] = full
		}
		if full != "" {
			sp.Name = full
			sp.ID = quote.SpeakerID(*sp)
		}
	}
	return nil
}

// Present gives quotes the speakers a reader is shown: Canonical's, and
// each anonymous source under the id of its own article (quote.SourceID),
// since the same description in two articles is two people. Ingest stores
// Canonical's, under which a search by the description finds them all.
func (r *Resolver) Present(ctx context.Context, quotes []quote.Quote) error {
	if err := r.Canonical(ctx, quotes); err != nil {
		return err
	}
	for i := range quotes {
		q := &quotes[i]
		if q.Speaker.Kind == quote.Anonymous && q.Article.ID != "" {
			facet := cmp.Or(q.Speaker.ID, quote.SpeakerID(q.Speaker))
			if _, _, already := quote.SplitSourceID(facet); !already {
				q.Speaker.ID = quote.SourceID(facet, q.Article.ID)
			}
		}
	}
	return nil
}

// fullName is the full name of the one known speaker of kind whose name
// ends with surname, that fits gender g and the descriptor written beside
// the surname, or "".
func fullName(ctx context.Context, people People, kind quote.SpeakerKind, surname string, g extract.Gender, descriptor string) (string, error) {
	known, err := people.Speakers(ctx, surname, surnameCandidates)
	if err != nil {
		return "", fmt.Errorf("speaker: speakers named %q: %w", surname, err)
	}
	var fits []store.SpeakerSummary
	for _, k := range known {
		words := quote.Words(k.Name)
		if k.Kind != kind || len(words) < 2 || words[len(words)-1] != surname {
			continue
		}
		if kg := extract.NameGender(k.Name); g != "" && kg != "" && kg != g {
			continue
		}
		if slices.ContainsFunc(fits, func(f store.SpeakerSummary) bool { return f.ID == k.ID }) {
			continue
		}
		fits = append(fits, k)
	}
	switch {
	case len(fits) == 1:
		return fits[0].Name, nil
	case len(fits) == 0 || descriptor == "":
		return "", nil
	}
	return byRole(ctx, people, fits, descriptor)
}

// byRole picks, among people of one surname, the one the store has seen
// described exactly as descriptor ("President" Obama, not "first lady"
// Obama), when exactly one has been.
func byRole(ctx context.Context, people People, named []store.SpeakerSummary, descriptor string) (string, error) {
	role := roleKey(descriptor)
	var found []string
	err := eachRecord(ctx, people, named[:min(len(named), maxRoleChecks)], func(rec store.SpeakerRecord) bool {
		if slices.ContainsFunc(rec.Roles, func(r string) bool { return roleKey(r) == role }) {
			found = append(found, rec.Name)
		}
		return len(found) < 2
	})
	if err != nil || len(found) != 1 {
		return "", err
	}
	return found[0], nil
}

// roleKey is a role as compared: its words folded, without a leading
// article ("the former secretary of State" is "former Secretary of State").
func roleKey(role string) string {
	words := quote.Words(role)
	if len(words) > 0 && (words[0] == "the" || words[0] == "a" || words[0] == "an") {
		words = words[1:]
	}
	return strings.Join(words, " ")
}

// Lookup finds the speaker id a reader typed: the value itself when it is
// an id with quotes ("john-kerry"), else its slug ("John Kerry") or the
// person id it derives from ("Paul D. Ryan" is paul-ryan); else, among
// the speakers (of kind, when given) whose names have, for every word of
// the value, a word starting with it ("kerry", "j kerry"), the one the
// articles call by the value, else the most quoted; else a speaker the
// articles call by the value though their name lacks some of its words
// ("Secretary Kerry"). It returns "" when nothing fits. The answer depends
// only on the stored data, so every page of a search resolves alike.
func (r *Resolver) Lookup(ctx context.Context, value string, kind quote.SpeakerKind) (string, error) {
	var ids []string
	if IsIDForm(value) {
		ids = append(ids, value)
	}
	if slug := quote.Slug(value); slug != value {
		ids = append(ids, slug)
	}
	if id := quote.SpeakerID(quote.Speaker{Name: value, Kind: quote.Person}); !slices.Contains(ids, id) && id != "unknown" {
		ids = append(ids, id)
	}
	for _, id := range ids {
		page, err := r.dir.Quotes(ctx, store.Query{SpeakerID: id, Limit: 1})
		if err != nil {
			return "", fmt.Errorf("speaker: look up id %s: %w", id, err)
		}
		if len(page.Quotes) > 0 {
			return id, nil
		}
	}
	words := quote.Words(value)
	speakers, err := r.Match(ctx, words, store.MaxLimit)
	if err != nil {
		return "", err
	}
	speakers = ofKind(speakers, kind)
	if len(speakers) == 1 {
		return speakers[0].ID, nil
	}
	if len(speakers) > 1 {
		id, err := r.calledBy(ctx, words, speakers)
		if id == "" && err == nil {
			id = speakers[0].ID
		}
		return id, err
	}
	var distinct []string
	for _, w := range words {
		if !slices.Contains(distinct, w) {
			distinct = append(distinct, w)
		}
	}
	slices.SortStableFunc(distinct, func(x, y string) int { return cmp.Compare(len(y), len(x)) })
	for _, w := range distinct[:min(len(distinct), maxAliasWords)] {
		named, err := r.dir.Speakers(ctx, w, maxAliasChecks)
		if err != nil {
			return "", fmt.Errorf("speaker: list speakers %q: %w", w, err)
		}
		if id, err := r.calledBy(ctx, words, ofKind(named, kind)); id != "" || err != nil {
			return id, err
		}
	}
	return "", nil
}

// Match lists the most quoted speakers whose names have a word starting
// with each of words. Quotes no one could be named for (kind unknown)
// share one record in the store, which is no speaker to list or suggest;
// they stay reachable by speaker_kind=unknown.
func (r *Resolver) Match(ctx context.Context, words []string, limit int) ([]store.SpeakerSummary, error) {
	named := func(ctx context.Context, prefix string, limit int) ([]store.SpeakerSummary, error) {
		speakers, err := r.dir.Speakers(ctx, prefix, min(limit+1, store.MaxLimit))
		if err != nil {
			return nil, err
		}
		speakers = slices.DeleteFunc(speakers, func(s store.SpeakerSummary) bool { return s.Kind == quote.Unknown })
		return speakers[:min(len(speakers), limit)], nil
	}
	speakers, err := store.MatchPrefixes(ctx, words, limit, named,
		func(s store.SpeakerSummary) string { return s.Name })
	if err != nil {
		return nil, fmt.Errorf("speaker: list speakers: %w", err)
	}
	return speakers, nil
}

// SaidBy reports whether sp is the speaker claimed, as a reader typed it:
// claimedID is Lookup's answer for the claim (the quote's speaker, once
// made canonical, has that id), or every word of the claim occurs in sp's
// name ("the US official" is "a senior US official").
func SaidBy(sp quote.Speaker, claimed, claimedID string) bool {
	ids := []string{cmp.Or(sp.ID, quote.SpeakerID(sp))}
	if facet, _, ok := quote.SplitSourceID(ids[0]); ok {
		// A source of one article is also claimed by its description's id.
		ids = append(ids, facet)
	}
	for _, id := range ids {
		if claimedID != "" && id == claimedID || quote.Slug(claimed) == id || quote.Fold(strings.TrimSpace(claimed)) == id {
			return true
		}
	}
	name := quote.Words(sp.Name)
	named := false
	for _, w := range quote.Words(claimed) {
		switch w {
		case "a", "an", "the":
			continue
		}
		if !slices.Contains(name, w) {
			return false
		}
		named = true
	}
	return named
}

// calledBy returns the first of the most quoted candidates whom the
// articles call by words (an alias of theirs has exactly those words), or
// "" when none is.
func (r *Resolver) calledBy(ctx context.Context, words []string, candidates []store.SpeakerSummary) (string, error) {
	id := ""
	err := eachRecord(ctx, r.dir, candidates[:min(len(candidates), maxAliasChecks)], func(rec store.SpeakerRecord) bool {
		if slices.ContainsFunc(rec.Aliases, func(alias string) bool { return slices.Equal(quote.Words(alias), words) }) {
			id = rec.ID
		}
		return id == ""
	})
	return id, err
}

// eachRecord reads the records of speakers in order and gives each to
// visit, until visit returns false. A speaker whose last quote went since
// it was listed is passed over.
func eachRecord(ctx context.Context, people People, speakers []store.SpeakerSummary, visit func(store.SpeakerRecord) bool) error {
	for _, s := range speakers {
		rec, err := people.Speaker(ctx, s.ID)
		if quote.ErrorCode(err) == quote.ENotFound {
			continue
		}
		if err != nil {
			return fmt.Errorf("speaker: get %s: %w", s.ID, err)
		}
		if !visit(rec) {
			return nil
		}
	}
	return nil
}

// ofKind keeps the speakers of kind; all of them when kind is "".
func ofKind(speakers []store.SpeakerSummary, kind quote.SpeakerKind) []store.SpeakerSummary {
	if kind == "" {
		return speakers
	}
	return slices.DeleteFunc(speakers, func(s store.SpeakerSummary) bool { return s.Kind != kind })
}

// IsIDForm reports whether s is written as speaker ids are: folded
// letters and digits joined by hyphens. quote.Slug is not the identity on
// such a string (it drops inner hyphens), so ids are tried as they are.
func IsIDForm(s string) bool {
	if s == "" || quote.Fold(s) != s {
		return false
	}
	for _, r := range s {
		if r != '-' && !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			return false
		}
	}
	return true
}
