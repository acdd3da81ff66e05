package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"reflect"
	"unicode/utf8"

	"github.com/newsroom-tools/quotes/internal/quote"
	"github.com/newsroom-tools/quotes/internal/speaker"
	"github.com/newsroom-tools/quotes/internal/store"
)

// searchRequest is a quote search as a client sends it, in the query
// string of GET /quotes or the JSON body of POST /quotes/search.
type searchRequest struct {
	Speaker     string `json:"speaker"`
	Topic       string `json:"topic"`
	Q           string `json:"q"`
	SpeakerKind string `json:"speaker_kind"`
	From        string `json:"from"`
	To          string `json:"to"`
	// Limit is nil when the client left it out.
	Limit  *int   `json:"limit"`
	Cursor string `json:"cursor"`
}

var searchParams = []string{"speaker", "topic", "q", "speaker_kind", "from", "to", "limit", "cursor"}

type quotesResponse struct {
	Quotes     []quote.Quote `json:"quotes"`
	NextCursor string        `json:"next_cursor,omitempty"`
}

func (a *api) quotes(w http.ResponseWriter, r *http.Request) {
	values, err := queryParams(r, searchParams...)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	req := searchRequest{
		Speaker:     values.Get("speaker"),
		Topic:       values.Get("topic"),
		Q:           values.Get("q"),
		SpeakerKind: values.Get("speaker_kind"),
		From:        values.Get("from"),
		To:          values.Get("to"),
		Cursor:      values.Get("cursor"),
	}
	if values.Get("limit") != "" {
		n, err := parseLimit(values.Get("limit"))
		if err != nil {
			a.fail(w, r, err)
			return
		}
		req.Limit = &n
	}
	a.answerSearch(w, r, req)
}

// searchQuotes is GET /quotes with the search in a JSON body, for clients
// whose searches are long or who build them as JSON anyway.
func (a *api) searchQuotes(w http.ResponseWriter, r *http.Request) {
	if _, err := queryParams(r); err != nil {
		a.fail(w, r, err)
		return
	}
	var req searchRequest
	if !a.decodeJSON(w, r, &req) {
		return
	}
	a.answerSearch(w, r, req)
}

func (a *api) answerSearch(w http.ResponseWriter, r *http.Request, req searchRequest) {
	body, etag, err := a.search(r.Context(), req)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.writeBody(w, r, http.StatusOK, body, etag)
	recycle(&a.bodies, body)
}

// decodeJSON reads r's body as one JSON object into dst, answering the
// client itself (and returning false) when the body is not acceptable.
func (a *api) decodeJSON(w http.ResponseWriter, r *http.Request, dst any) bool {
	mediaType, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mediaType != "application/json" {
		a.writeError(w, r, http.StatusUnsupportedMediaType, codeUnsupportedMediaType,
			"the request body must be JSON, sent with Content-Type: application/json")
		return false
	}
	if r.ContentLength > maxBodyBytes {
		// Refused on its declared length, without waiting for a body.
		a.writeError(w, r, http.StatusRequestEntityTooLarge, codeTooLarge, "the request body is larger than 64 KB")
		return false
	}
	body, err := io.ReadAll(r.Body)
	if err == nil && !utf8.Valid(body) {
		// encoding/json would replace the bad bytes with U+FFFD and search
		// for words the client never sent.
		a.fail(w, r, invalid("the request body is not valid UTF-8"))
		return false
	}
	if err != nil && !isTooLarge(err) {
		a.fail(w, r, fmtErr("read request body", err))
		return false
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err == nil {
		err = dec.Decode(dst)
	}
	if err == nil {
		// A second value after the object is as wrong as a malformed one.
		switch extra := dec.Decode(&struct{}{}); {
		case extra == io.EOF:
		case isTooLarge(extra):
			err = extra
		default:
			err = errors.New("trailing data after the JSON object")
		}
	}
	typeErr, isTypeErr := errors.AsType[*json.UnmarshalTypeError](err)
	switch {
	case err == nil:
		return true
	case isTooLarge(err):
		a.writeError(w, r, http.StatusRequestEntityTooLarge, codeTooLarge,
			"the request body is larger than 64 KB")
	case err == io.EOF:
		a.fail(w, r, invalid("the request body is empty; send a JSON object"))
	case isTypeErr && typeErr.Field == "":
		a.fail(w, r, invalid("the request body must be a JSON object, got %s", typeErr.Value))
	case isTypeErr:
		a.fail(w, r, invalid("%s must be %s", typeErr.Field, jsonKind(typeErr.Type.Kind())))
	default:
		a.fail(w, r, invalid("the request body is malformed: %v", err))
	}
	return false
}

// jsonKind names a Go kind as a JSON client knows it.
func jsonKind(k reflect.Kind) string {
	switch k {
	case reflect.Int:
		return "an integer"
	case reflect.String:
		return "a string"
	case reflect.Float64, reflect.Float32:
		return "a number"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Struct, reflect.Map:
		return "an object"
	}
	return "a " + k.String()
}

// search validates req into a store query, runs it and returns the
// answer's body and, when it has one cheaper than hashing the body, its
// ETag.
func (a *api) search(ctx context.Context, req searchRequest) ([]byte, string, error) {
	q, typed, err := a.searchQuery(req)
	if err != nil {
		return nil, "", err
	}
	if facet, articleID, ok := quote.SplitSourceID(typed); ok {
		page, err := a.sourceQuotes(ctx, q, facet, articleID)
		if err != nil {
			return nil, "", err
		}
		return encodePage(page)
	}
	if speaker.IsIDForm(typed) {
		// Lookup's first answer is a speaker typed as an id with quotes:
		// the page is then that id's, without a read to look it up first.
		byID := q
		byID.SpeakerID = typed
		page, err := a.searchJSON(ctx, byID)
		switch {
		case err == nil && len(page.Quotes) > 0:
			defer recycle(&a.copies, page.Buf)
			return a.presentPage(ctx, page)
		case err != nil && quote.ErrorCode(err) != quote.EInvalid:
			return nil, "", fmtErr("search quotes", err)
		}
		// No quotes under that id, or a cursor of the id Lookup finds
		// for it ("kerry" is john-kerry): Lookup decides.
	}
	if typed != "" {
		id, err := a.resolver.Lookup(ctx, typed, q.Kind)
		if err != nil {
			return nil, "", err
		}
		if id == "" {
			// No speaker by that id or name: an empty result, not an error,
			// as for any search that matches nothing.
			return encodePage(store.Page{})
		}
		q.SpeakerID = id
	}
	if q.SpeakerID != "" || q.Topic != "" || len(q.Words) > 0 || q.Kind != "" {
		page, err := a.searchJSON(ctx, q)
		if err != nil {
			return nil, "", fmtErr("search quotes", err)
		}
		defer recycle(&a.copies, page.Buf)
		return a.presentPage(ctx, page)
	}
	// No filter: every quote, newest first.
	page, err := store.Newest(ctx, a.store, q.From, q.To, q.Limit, q.Cursor)
	if err != nil {
		return nil, "", fmtErr("list newest quotes", err)
	}
	if err := a.resolver.Present(ctx, page.Quotes); err != nil {
		return nil, "", fmtErr("resolve speakers", err)
	}
	return encodePage(page)
}

// encodePage is the body answering page, decoded quotes; its ETag is
// left to writeBody.
func encodePage(page store.Page) ([]byte, string, error) {
	if page.Quotes == nil {
		page.Quotes = []quote.Quote{}
	}
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(quotesResponse{Quotes: page.Quotes, NextCursor: page.NextCursor}); err != nil {
		return nil, "", fmtErr("encode quotes", err)
	}
	return buf.Bytes(), "", nil
}

// sourceQuotes answers a search for one article's anonymous source (an id
// quote.SourceID made): the article's quotes the store keeps under the
// source's description (facet) that pass q's other filters, in one page.
func (a *api) sourceQuotes(ctx context.Context, q store.Query, facet, articleID string) (store.Page, error) {
	quotes, err := a.store.ArticleQuotes(ctx, articleID)
	switch {
	case quote.ErrorCode(err) == quote.ENotFound:
		return store.Page{}, nil
	case err != nil:
		return store.Page{}, fmtErr("get quotes of article "+articleID, err)
	}
	q.SpeakerID = facet
	matches := q.Matcher()
	var page store.Page
	for _, qt := range quotes {
		inDates := (q.From.IsZero() || !qt.Date.Before(q.From)) && (q.To.IsZero() || !qt.Date.After(q.To))
		if len(page.Quotes) < q.Limit && inDates && matches(qt) {
			page.Quotes = append(page.Quotes, qt)
		}
	}
	if err := a.resolver.Present(ctx, page.Quotes); err != nil {
		return store.Page{}, fmtErr("resolve speakers", err)
	}
	return page, nil
}

// searchQuery turns req into a store query with every field but the
// speaker filled in, and returns the speaker as the client wrote it.
func (a *api) searchQuery(req searchRequest) (store.Query, string, error) {
	var q store.Query
	speaker, err := textParam("speaker", req.Speaker, maxTextParam)
	if err != nil {
		return q, "", err
	}
	if speaker != "" && quote.Slug(speaker) == "" {
		return q, "", invalid("speaker must contain a letter or digit")
	}
	topic, err := textParam("topic", req.Topic, maxTextParam)
	if err != nil {
		return q, "", err
	}
	if topic != "" {
		q.Topic = a.canonicalTopic(topic)
		if q.Topic == "" {
			return q, "", invalid("topic must contain a letter or digit")
		}
	}
	text, err := textParam("q", req.Q, maxQueryParam)
	if err != nil {
		return q, "", err
	}
	if text != "" {
		q.Words = quote.Words(text)
		switch {
		case len(q.Words) == 0:
			return q, "", invalid("q must contain a letter or digit")
		case len(q.Words) > maxQueryWords:
			return q, "", invalid("q has %d words; at most %d are allowed", len(q.Words), maxQueryWords)
		}
	}
	if req.SpeakerKind != "" {
		q.Kind = quote.SpeakerKind(req.SpeakerKind)
		if !q.Kind.Valid() {
			return q, "", invalid("speaker_kind must be one of person, organization, anonymous, unknown; got %q", req.SpeakerKind)
		}
	}
	if q.From, err = parseDate("from", req.From); err != nil {
		return q, "", err
	}
	if q.To, err = parseDate("to", req.To); err != nil {
		return q, "", err
	}
	if !q.To.IsZero() {
		if !q.From.IsZero() && q.To.Before(q.From) {
			return q, "", invalid("to (%s) is before from (%s)", req.To, req.From)
		}
		// "to" names a whole day: include all of it.
		q.To = q.To.AddDate(0, 0, 1).Add(-1)
	}
	q.Limit = store.DefaultLimit
	if req.Limit != nil {
		if q.Limit, err = checkLimit(*req.Limit); err != nil {
			return q, "", err
		}
	}
	if len(req.Cursor) > maxCursorParam {
		return q, "", invalid("cursor is not valid for this query")
	}
	q.Cursor = req.Cursor
	return q, speaker, nil
}

// pathID reads the {id} path segment, bounded like any other parameter.
func pathID(r *http.Request) (string, error) {
	id := r.PathValue("id")
	if len(id) > maxTextParam {
		return "", invalid("id is longer than %d characters", maxTextParam)
	}
	return id, nil
}
