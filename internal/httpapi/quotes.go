package httpapi

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/newsroom-tools/quotes/internal/quote"
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
	page, err := a.search(r.Context(), req)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if page.Quotes == nil {
		page.Quotes = []quote.Quote{}
	}
	a.writeJSON(w, r, http.StatusOK, quotesResponse{Quotes: page.Quotes, NextCursor: page.NextCursor})
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

// search validates req into a store query and runs it.
func (a *api) search(ctx context.Context, req searchRequest) (store.Page, error) {
	q, speaker, err := a.searchQuery(req)
	if err != nil {
		return store.Page{}, err
	}
	if speaker != "" {
		id, err := a.resolveSpeaker(ctx, speaker, q.Kind)
		if err != nil {
			return store.Page{}, err
		}
		if id == "" {
			// No speaker by that id or name: an empty result, not an error,
			// as for any search that matches nothing.
			return store.Page{}, nil
		}
		q.SpeakerID = id
	}
	page, err := a.store.Quotes(ctx, q)
	if err != nil {
		return store.Page{}, fmtErr("search quotes", err)
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
	if speaker == "" && q.Topic == "" && len(q.Words) == 0 && q.Kind == "" {
		return q, "", invalid("give at least one of speaker, topic, q and speaker_kind")
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

// resolveSpeaker finds the speaker id a client meant: the value itself when
// it is an id with quotes ("john-kerry"), else its slug ("John Kerry"),
// else, among the speakers (of kind, when given) whose names have, for
// every word of the value, a word starting with it ("kerry", "j kerry"),
// the one the articles call by the value, else the most quoted; else a
// speaker the articles call by the value though their name lacks some of
// its words ("Secretary Kerry"). It returns "" when nothing fits.
// The answer depends only on the stored data, never on the page asked for,
// so every page of a search resolves to the same id its cursor was signed
// for.
func (a *api) resolveSpeaker(ctx context.Context, value string, kind quote.SpeakerKind) (string, error) {
	var candidates []string
	if isIDForm(value) {
		candidates = append(candidates, value)
	}
	if slug := quote.Slug(value); slug != value {
		candidates = append(candidates, slug)
	}
	if id := quote.SpeakerID(quote.Speaker{Name: value, Kind: quote.Person}); !slices.Contains(candidates, id) && id != "unknown" {
		// "Paul D. Ryan" is the person paul-ryan.
		candidates = append(candidates, id)
	}
	for _, id := range candidates {
		page, err := a.store.Quotes(ctx, store.Query{SpeakerID: id, Limit: 1})
		if err != nil {
			return "", fmtErr("look up speaker id "+id, err)
		}
		if len(page.Quotes) > 0 {
			return id, nil
		}
	}
	words := quote.Words(value)
	speakers, err := a.matchSpeakers(ctx, words, store.MaxLimit)
	if err != nil {
		return "", err
	}
	speakers = ofKind(speakers, kind)
	if len(speakers) == 1 {
		return speakers[0].ID, nil
	}
	if len(speakers) > 1 {
		id, err := a.calledBy(ctx, words, speakers)
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
		named, err := a.store.Speakers(ctx, w, maxAliasChecks)
		if err != nil {
			return "", fmtErr("list speakers", err)
		}
		if id, err := a.calledBy(ctx, words, ofKind(named, kind)); id != "" || err != nil {
			return id, err
		}
	}
	return "", nil
}

// Bounds on the speaker records read to match a value against aliases:
// the speaker meant is among the few most quoted candidates, and a value
// of many words names them by its longest.
const (
	maxAliasChecks = 5
	maxAliasWords  = 3
)

// calledBy returns the first of the most quoted candidates whom the
// articles call by words (an alias of theirs has exactly those words), or
// "" when none is.
func (a *api) calledBy(ctx context.Context, words []string, candidates []store.SpeakerSummary) (string, error) {
	for _, c := range candidates[:min(len(candidates), maxAliasChecks)] {
		rec, err := a.store.Speaker(ctx, c.ID)
		if quote.ErrorCode(err) == quote.ENotFound {
			continue // its last quote went since it was listed
		}
		if err != nil {
			return "", fmtErr("get speaker "+c.ID, err)
		}
		for _, alias := range rec.Aliases {
			if slices.Equal(quote.Words(alias), words) {
				return c.ID, nil
			}
		}
	}
	return "", nil
}

// ofKind keeps the speakers of kind; all of them when kind is "".
func ofKind(speakers []store.SpeakerSummary, kind quote.SpeakerKind) []store.SpeakerSummary {
	if kind == "" {
		return speakers
	}
	return slices.DeleteFunc(speakers, func(s store.SpeakerSummary) bool { return s.Kind != kind })
}

// isIDForm reports whether s is written as ids are: folded letters and
// digits joined by hyphens. quote.Slug is not the identity on such a
// string (it drops inner hyphens), so ids are tried as they are.
func isIDForm(s string) bool {
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

// prefixesAll reports whether every query word starts some name word.
func prefixesAll(query, name []string) bool {
	for _, q := range query {
		found := false
		for _, n := range name {
			if strings.HasPrefix(n, q) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// pathID reads the {id} path segment, bounded like any other parameter.
func pathID(r *http.Request) (string, error) {
	id := r.PathValue("id")
	if len(id) > maxTextParam {
		return "", invalid("id is longer than %d characters", maxTextParam)
	}
	return id, nil
}
