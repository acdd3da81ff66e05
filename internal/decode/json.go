package decode

import (
	"encoding/json"
	"errors"
	"strings"

	"github.com/newsroom-tools/quotes/internal/quote"
)

// jsonArticle is the JSON an upload may carry: the article's text in text
// (or body, as many CMS exports name it) and what is known about it.
type jsonArticle struct {
	Title     string `json:"title"`
	Text      string `json:"text"`
	Body      string `json:"body"`
	URL       string `json:"url"`
	Published string `json:"published"`
	Outlet    string `json:"outlet"`
}

// decodeJSON reads a JSON article. Its text may be plain (paragraphs one a
// line or separated by blank lines) or, as CMS exports often have it, HTML.
func decodeJSON(text string) (quote.Article, error) {
	var doc jsonArticle
	if err := json.Unmarshal([]byte(text), &doc); err != nil {
		return quote.Article{}, jsonError(err)
	}
	var a quote.Article
	meta := metadata{Title: doc.Title, URL: doc.URL, Outlet: doc.Outlet, Published: doc.Published}
	if err := meta.apply(&a, "JSON"); err != nil {
		return quote.Article{}, err
	}
	body := doc.Text
	if strings.TrimSpace(body) == "" {
		body = doc.Body
	}
	if strings.TrimSpace(body) == "" {
		return quote.Article{}, quote.Errorf(quote.EInvalid, "no article text in JSON (expected text or body)")
	}
	if looksLikeHTML(body) {
		a.Text = htmlFragmentText(body)
	} else {
		a.Text = strings.Join(unwrap(paragraphsOf(body)), "\n\n")
	}
	return a, nil
}

func jsonError(err error) error {
	if typeErr, ok := errors.AsType[*json.UnmarshalTypeError](err); ok {
		if typeErr.Field == "" {
			return quote.Errorf(quote.EInvalid, "JSON is %s; expected an object with text or body", article(typeErr.Value))
		}
		return quote.Errorf(quote.EInvalid, "JSON field %s is %s; expected a string", typeErr.Field, article(typeErr.Value))
	}
	if syntaxErr, ok := errors.AsType[*json.SyntaxError](err); ok {
		return quote.Errorf(quote.EInvalid, "invalid JSON at byte %d: %s", syntaxErr.Offset, strings.TrimPrefix(syntaxErr.Error(), "json: "))
	}
	return quote.Errorf(quote.EInvalid, "invalid JSON: %s", strings.TrimPrefix(err.Error(), "json: "))
}

// article puts "a" or "an" before a JSON type name.
func article(kind string) string {
	if kind == "" {
		return "of the wrong type"
	}
	if strings.ContainsRune("aeiou", rune(kind[0])) {
		return "an " + kind
	}
	return "a " + kind
}

// looksLikeHTML reports whether a JSON body holds HTML markup rather than
// plain text.
func looksLikeHTML(s string) bool {
	lower := strings.ToLower(s)
	for _, tag := range []string{"<p>", "<p ", "</p>", "<br", "</div>", "</h1>", "</h2>", "</li>"} {
		if strings.Contains(lower, tag) {
			return true
		}
	}
	return false
}
