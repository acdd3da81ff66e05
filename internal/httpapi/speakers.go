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
	values, err := queryParams(r, "q", "limit")
	if err != nil {
		a.fail(w, r, err)
		return
	}
	prefix, err := textParam("q", values.Get("q"), maxTextParam)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	limit, err := parseLimit(values.Get("limit"))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	speakers, err := a.matchSpeakers(r.Context(), quote.Words(prefix), limit)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if speakers == nil {
		speakers = []store.SpeakerSummary{}
	}
	a.writeJSON(w, r, http.StatusOK, speakersResponse{Speakers: speakers})
}

// matchSpeakers lists the most quoted speakers whose names have a word
// starting with each of words. The store matches one prefix, so for several
// words it is asked with the longest (the most selective) and the rest are
// checked here.
func (a *api) matchSpeakers(ctx context.Context, words []string, limit int) ([]store.SpeakerSummary, error) {
	if len(words) <= 1 {
		speakers, err := a.store.Speakers(ctx, strings.Join(words, ""), limit)
		if err != nil {
			return nil, fmtErr("list speakers", err)
		}
		return speakers, nil
	}
	longest := slices.MaxFunc(words, func(x, y string) int { return cmp.Compare(len(x), len(y)) })
	candidates, err := a.store.Speakers(ctx, longest, store.MaxLimit)
	if err != nil {
		return nil, fmtErr("list speakers", err)
	}
	var speakers []store.SpeakerSummary
	for _, s := range candidates {
		if len(speakers) < limit && prefixesAll(words, quote.Words(s.Name)) {
			speakers = append(speakers, s)
		}
	}
	return speakers, nil
}
