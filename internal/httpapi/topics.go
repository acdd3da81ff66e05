package httpapi

import (
	"net/http"

	"github.com/newsroom-tools/quotes/internal/store"
)

type topicsResponse struct {
	Topics []store.TopicSummary `json:"topics"`
}

// topics lists the topics quotes are tagged with, most quoted first,
// narrowed by a prefix of their words as /speakers narrows names.
func (a *api) topics(w http.ResponseWriter, r *http.Request) {
	prefix, limit, err := prefixQuery(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	topics, err := store.MatchPrefixes(r.Context(), prefix, limit, a.store.Topics,
		func(t store.TopicSummary) string { return t.Topic })
	if err != nil {
		a.fail(w, r, fmtErr("list topics", err))
		return
	}
	if topics == nil {
		topics = []store.TopicSummary{}
	}
	a.writeJSON(w, r, http.StatusOK, topicsResponse{Topics: topics})
}
