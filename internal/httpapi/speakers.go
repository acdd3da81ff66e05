package httpapi

import (
	"cmp"
	"context"
	"net/http"
	"slices"
	"strings"

	"github.com/newsroom-tools/quotes/internal/quote"
	"github.com/newsroom-tools/quotes/internal/store"
)

type speakersResponse struct {
	Speakers []store.SpeakerSummary `json:"speakers"`
}

func (a *api) speakers(w http.ResponseWriter, r *http.Request) {
	prefix, limit, err := prefixQuery(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	speakers, err := a.matchSpeakers(r.Context(), prefix, limit)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if speakers == nil {
		speakers = []store.SpeakerSummary{}
	}
	a.writeJSON(w, r, http.StatusOK, speakersResponse{Speakers: speakers})
}

// speaker answers one speaker's record. The path holds the speaker's id;
// a name ("John Kerry") is taken for the id it derives from, so a link
// built from a name a reader saw works too.
func (a *api) speaker(w http.ResponseWriter, r *http.Request) {
	if _, err := queryParams(r); err != nil {
		a.fail(w, r, err)
		return
	}
	id, err := pathID(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	rec, err := a.store.Speaker(r.Context(), id)
	if slug := quote.Slug(id); quote.ErrorCode(err) == quote.ENotFound && slug != "" && slug != id {
		rec, err = a.store.Speaker(r.Context(), slug)
	}
	if err != nil {
		a.fail(w, r, fmtErr("get speaker "+id, err))
		return
	}
	if rec.Aliases == nil {
		rec.Aliases = []string{}
	}
	if rec.Roles == nil {
		rec.Roles = []string{}
	}
	a.writeJSON(w, r, http.StatusOK, rec)
}

// matchSpeakers lists the most quoted speakers whose names have a word
// starting with each of words. Quotes no one could be named for (kind
// unknown) share one record in the store, which is not a speaker to list
// or suggest; they stay reachable by speaker_kind=unknown.
func (a *api) matchSpeakers(ctx context.Context, words []string, limit int) ([]store.SpeakerSummary, error) {
	named := func(ctx context.Context, prefix string, limit int) ([]store.SpeakerSummary, error) {
		speakers, err := a.store.Speakers(ctx, prefix, min(limit+1, store.MaxLimit))
		if err != nil {
			return nil, err
		}
		speakers = slices.DeleteFunc(speakers, func(s store.SpeakerSummary) bool { return s.Kind == quote.Unknown })
		return speakers[:min(len(speakers), limit)], nil
	}
	speakers, err := matchPrefixes(ctx, words, limit, named,
		func(s store.SpeakerSummary) string { return s.Name })
	if err != nil {
		return nil, fmtErr("list speakers", err)
	}
	return speakers, nil
}

// matchPrefixes lists, from a store listing that matches one word prefix
// most-counted first, the items whose names have a word starting with
// each of words. For several words the store is asked with the longest
// (the most selective) and the rest are checked here.
func matchPrefixes[T any](ctx context.Context, words []string, limit int,
	list func(ctx context.Context, prefix string, limit int) ([]T, error), name func(T) string) ([]T, error) {
	if len(words) <= 1 {
		return list(ctx, strings.Join(words, ""), limit)
	}
	longest := slices.MaxFunc(words, func(x, y string) int { return cmp.Compare(len(x), len(y)) })
	candidates, err := list(ctx, longest, store.MaxLimit)
	if err != nil {
		return nil, err
	}
	var matched []T
	for _, c := range candidates {
		if len(matched) < limit && prefixesAll(words, quote.Words(name(c))) {
			matched = append(matched, c)
		}
	}
	return matched, nil
}
