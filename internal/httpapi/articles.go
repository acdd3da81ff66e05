package httpapi

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strconv"
	"strings"
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
	// NextCursor fetches the next page of quotes, when limit cut them.
	NextCursor string `json:"next_cursor,omitempty"`
	Text       string `json:"text,omitempty"`
}

// articleParams are the query parameters both article routes take besides
// what names the article.
var articleParams = []string{"include", "limit", "cursor"}

func (a *api) article(w http.ResponseWriter, r *http.Request) {
	values, err := queryParams(r, articleParams...)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	id, err := pathID(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.answerArticle(w, r, id, values)
}

// articleByKey finds an article by the object key it was uploaded under,
// which is what a newsroom knows; the id is derived from the key.
func (a *api) articleByKey(w http.ResponseWriter, r *http.Request) {
	values, err := queryParams(r, append([]string{"key"}, articleParams...)...)
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
	a.answerArticle(w, r, quote.ArticleID(key), values)
}

func (a *api) answerArticle(w http.ResponseWriter, r *http.Request, id string, values url.Values) {
	include := values.Get("include")
	if include != "" && include != "text" {
		a.fail(w, r, invalid("include must be \"text\", got %q", include))
		return
	}
	// Without a limit, all the quotes: at most the per-article cap.
	limit := 0
	if v := values.Get("limit"); v != "" {
		var err error
		if limit, err = parseLimit(v); err != nil {
			a.fail(w, r, err)
			return
		}
	}
	// One read of both, so the answer is one upload's, and the text only
	// when asked for: it can be a thousand times the rest.
	art, quotes, err := a.store.ArticleWithQuotes(r.Context(), id, include == "text")
	if err != nil {
		a.fail(w, r, fmtErr("get article "+id, err))
		return
	}
	offset, err := quotesOffset(values.Get("cursor"), art.Version)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	var next string
	quotes = quotes[min(offset, len(quotes)):]
	if limit > 0 && len(quotes) > limit {
		quotes = quotes[:limit]
		next = quotesCursor(art.Version, offset+limit)
	}
	if quotes == nil {
		quotes = []quote.Quote{}
	}
	if err := a.resolver.Present(r.Context(), quotes); err != nil {
		a.fail(w, r, fmtErr("resolve speakers of article "+id, err))
		return
	}
	resp := articleResponse{
		ID: art.ID, Key: art.Key, Title: art.Title, URL: art.URL, Outlet: art.Outlet,
		Published: art.Published, UploadedAt: art.UploadedAt, Status: art.Status,
		Reason: art.Reason, QuoteCount: art.QuoteCount, Truncated: art.Truncated, Extractor: art.Extractor, Quotes: quotes,
		NextCursor: next,
	}
	resp.Text = art.Text
	a.writeJSON(w, r, http.StatusOK, resp)
}

// quotesCursor is where the next page of an article's quotes starts: the
// position in the quotes of one version of the article. A position is all
// a cursor can name, so it needs no signature; the version makes a page
// of another upload of the key a client error rather than a mixture.
func quotesCursor(version string, offset int) string {
	return base64.RawURLEncoding.EncodeToString([]byte(version + "@" + strconv.Itoa(offset)))
}

// quotesOffset reads a quotesCursor of the article at version; "" is 0.
func quotesOffset(cursor, version string) (int, error) {
	if cursor == "" {
		return 0, nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	v, pos, ok := strings.Cut(string(raw), "@")
	offset, convErr := strconv.Atoi(pos)
	switch {
	case err != nil || !ok || convErr != nil || offset < 1:
		return 0, invalid("cursor is not valid for this article")
	case v != version:
		return 0, invalid("the article was uploaded again since the first page; start again without cursor")
	}
	return offset, nil
}
