package httpapi

import (
	"net/http"

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
	speakers, err := a.resolver.Match(r.Context(), prefix, limit)
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
	if facet, _, ok := quote.SplitSourceID(id); ok {
		// One article's anonymous source: the record is its description's,
		// kept across articles.
		id = facet
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
