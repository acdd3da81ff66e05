package httpapi

import (
	"net/http"
	"time"

	"github.com/newsroom-tools/quotes/internal/quote"
)

// articleResponse is an article with its quotes; its text only on request,
// since most readers want the quotes and the text can be large.
type articleResponse struct {
	ID         string        `json:"id"`
	Key        string        `json:"key"`
	Title      string        `json:"title,omitempty"`
	URL        string        `json:"url,omitempty"`
	Outlet     string        `json:"outlet,omitempty"`
	Published  time.Time     `json:"published,omitzero"`
	UploadedAt time.Time     `json:"uploaded_at"`
	Status     quote.Status  `json:"status"`
	Reason     string        `json:"reason,omitempty"`
	QuoteCount int           `json:"quote_count"`
	Truncated  int           `json:"truncated,omitempty"`
	Extractor  string        `json:"extractor,omitempty"`
	Quotes     []quote.Quote `json:"quotes"`
	Text       string        `json:"text,omitempty"`
}

func (a *api) article(w http.ResponseWriter, r *http.Request) {
	values, err := queryParams(r, "include")
	if err != nil {
		a.fail(w, r, err)
		return
	}
	id, err := pathID(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.answerArticle(w, r, id, values.Get("include"))
}

// articleByKey finds an article by the object key it was uploaded under,
// which is what a newsroom knows; the id is derived from the key.
func (a *api) articleByKey(w http.ResponseWriter, r *http.Request) {
	values, err := queryParams(r, "key", "include")
	if err != nil {
		a.fail(w, r, err)
		return
	}
	key := values.Get("key")
	switch {
	case key == "":
		a.fail(w, r, invalid("key is required: the object key the article was uploaded under"))
		return
	case len(key) > 1024:
		// S3 keys are at most 1024 bytes.
		a.fail(w, r, invalid("key is longer than 1024 bytes"))
		return
	}
	a.answerArticle(w, r, quote.ArticleID(key), values.Get("include"))
}

func (a *api) answerArticle(w http.ResponseWriter, r *http.Request, id, include string) {
	if include != "" && include != "text" {
		a.fail(w, r, invalid("include must be \"text\", got %q", include))
		return
	}
	// One read of both, so the answer is one upload's, and the text only
	// when asked for: it can be a thousand times the rest.
	art, quotes, err := a.store.ArticleWithQuotes(r.Context(), id, include == "text")
	if err != nil {
		a.fail(w, r, fmtErr("get article "+id, err))
		return
	}
	if quotes == nil {
		quotes = []quote.Quote{}
	}
	resp := articleResponse{
		ID: art.ID, Key: art.Key, Title: art.Title, URL: art.URL, Outlet: art.Outlet,
		Published: art.Published, UploadedAt: art.UploadedAt, Status: art.Status,
		Reason: art.Reason, QuoteCount: art.QuoteCount, Truncated: art.Truncated, Extractor: art.Extractor, Quotes: quotes,
	}
	resp.Text = art.Text
	a.writeJSON(w, r, http.StatusOK, resp)
}
