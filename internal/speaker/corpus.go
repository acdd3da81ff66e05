package speaker

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"github.com/newsroom-tools/quotes/internal/quote"
	"github.com/newsroom-tools/quotes/internal/store"
)

// Corpus is what a store would know of the speakers of some quotes once it
// held them all: their names, kinds, quote counts and the roles written
// beside them. With it, Canonical names the speakers of articles that are
// never stored (`quotes extract` over many files) as the service would
// name them after ingesting the same articles.
type Corpus struct {
	summaries []store.SpeakerSummary // most quoted first
	records   map[string]store.SpeakerRecord
	// byPrefix lists, most quoted first, the summaries with a name word
	// starting with each prefix, so that a search reads no other name.
	byPrefix map[string][]int
}

var _ People = (*Corpus)(nil)

// NewCorpus gathers the speakers of quotes.
func NewCorpus(quotes []quote.Quote) *Corpus {
	c := &Corpus{records: map[string]store.SpeakerRecord{}}
	for _, q := range quotes {
		sp := q.Speaker
		id := cmp.Or(sp.ID, quote.SpeakerID(sp))
		rec, ok := c.records[id]
		if !ok {
			rec = store.SpeakerRecord{
				SpeakerSummary: store.SpeakerSummary{ID: id, Name: sp.Name, Kind: sp.Kind},
				Aliases:        []string{},
				Roles:          []string{},
			}
		}
		rec.QuoteCount++
		for _, alias := range store.SpeakerAliases(sp) {
			if !slices.Contains(rec.Aliases, alias) {
				rec.Aliases = append(rec.Aliases, alias)
			}
		}
		if role := strings.TrimSpace(sp.Descriptor); role != "" && !slices.Contains(rec.Roles, role) {
			rec.Roles = append(rec.Roles, role)
		}
		c.records[id] = rec
	}
	for _, rec := range c.records {
		c.summaries = append(c.summaries, rec.SpeakerSummary)
	}
	slices.SortFunc(c.summaries, func(a, b store.SpeakerSummary) int {
		return cmp.Or(cmp.Compare(b.QuoteCount, a.QuoteCount), cmp.Compare(a.ID, b.ID))
	})
	c.byPrefix = map[string][]int{}
	for i, s := range c.summaries {
		for _, w := range quote.Words(s.Name) {
			for n := 1; n <= len(w); n++ {
				if at := c.byPrefix[w[:n]]; len(at) == 0 || at[len(at)-1] != i {
					c.byPrefix[w[:n]] = append(at, i)
				}
			}
		}
	}
	return c
}

// Speakers lists, most quoted first, the speakers each word of prefix
// starts a word of the name of, as a store does; all of them when limit
// is negative.
func (c *Corpus) Speakers(ctx context.Context, prefix string, limit int) ([]store.SpeakerSummary, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if limit < 0 {
		limit = len(c.summaries)
	}
	words := quote.Words(prefix)
	out := []store.SpeakerSummary{}
	if len(words) == 0 {
		return c.summaries[:min(limit, len(c.summaries))], nil
	}
	for _, i := range c.byPrefix[words[0]] {
		if len(out) == limit {
			break
		}
		if !slices.ContainsFunc(words[1:], func(w string) bool { return !slices.Contains(c.byPrefix[w], i) }) {
			out = append(out, c.summaries[i])
		}
	}
	return out, nil
}

// Speaker returns the speaker with id.
func (c *Corpus) Speaker(ctx context.Context, id string) (store.SpeakerRecord, error) {
	if err := ctx.Err(); err != nil {
		return store.SpeakerRecord{}, err
	}
	rec, ok := c.records[id]
	if !ok {
		return store.SpeakerRecord{}, quote.Errorf(quote.ENotFound, "no speaker %q", id)
	}
	return rec, nil
}
