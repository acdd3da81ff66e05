package httpapi

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/newsroom-tools/quotes/internal/quote"
	"github.com/newsroom-tools/quotes/internal/store"
)

// Bounds on parameters: generous for real use, small enough that no
// request can make the store do unbounded work.
const (
	maxTextParam   = 200
	maxQueryParam  = 500
	maxQueryWords  = 10
	maxCursorParam = 2048
)

// queryParams parses r's query string, rejecting parameters outside
// allowed and parameters given more than once, so that a typo such as
// "speker=" fails loudly instead of silently widening the search.
func queryParams(r *http.Request, allowed ...string) (url.Values, error) {
	values, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, invalid("the query string is malformed")
	}
	var unknown, repeated []string
	for name, vs := range values {
		switch {
		case !slices.Contains(allowed, name):
			unknown = append(unknown, strconv.Quote(name))
		case len(vs) > 1:
			repeated = append(repeated, name)
		}
	}
	if len(unknown) > 0 {
		slices.Sort(unknown)
		if len(allowed) == 0 {
			return nil, invalid("unknown parameter %s: this route takes none", strings.Join(unknown, ", "))
		}
		return nil, invalid("unknown parameter %s (allowed: %s)",
			strings.Join(unknown, ", "), strings.Join(allowed, ", "))
	}
	if len(repeated) > 0 {
		slices.Sort(repeated)
		return nil, invalid("parameter %s given more than once", strings.Join(repeated, ", "))
	}
	for name, vs := range values {
		if !utf8.ValidString(vs[0]) {
			return nil, invalid("%s is not valid UTF-8", name)
		}
	}
	return values, nil
}

// textParam checks a free-text value's length and that it holds no
// control characters (NUL, escapes), which no name or search needs; ""
// stands for absent.
func textParam(name, value string, max int) (string, error) {
	value = strings.TrimSpace(value)
	if utf8.RuneCountInString(value) > max {
		return "", invalid("%s is longer than %d characters", name, max)
	}
	if strings.IndexFunc(value, unicode.IsControl) >= 0 {
		return "", invalid("%s contains a control character", name)
	}
	return value, nil
}

// parseLimit reads a page size: "" is the default, anything else must be
// an integer from 1 to store.MaxLimit, written in digits alone ("+5" and
// " 5" are refused, as a typo would be).
func parseLimit(value string) (int, error) {
	if value == "" {
		return store.DefaultLimit, nil
	}
	n, err := strconv.Atoi(value)
	if err != nil || strings.Trim(value, "0123456789") != "" {
		return 0, invalid("limit must be an integer from 1 to %d, got %q", store.MaxLimit, value)
	}
	return checkLimit(n)
}

func checkLimit(n int) (int, error) {
	if n < 1 || n > store.MaxLimit {
		return 0, invalid("limit must be an integer from 1 to %d, got %d", store.MaxLimit, n)
	}
	return n, nil
}

const dateLayout = "2006-01-02"

// parseDate reads a YYYY-MM-DD date as midnight UTC; "" is the zero time.
func parseDate(name, value string) (time.Time, error) {
	if value == "" {
		return time.Time{}, nil
	}
	d, err := time.Parse(dateLayout, value)
	if err != nil {
		return time.Time{}, invalid("%s must be a date as YYYY-MM-DD, got %q", name, value)
	}
	return d, nil
}

// prefixQuery reads the parameters of a listing narrowed by word prefixes
// (/speakers, /topics): q, as folded words, and limit.
func prefixQuery(r *http.Request) (prefix []string, limit int, err error) {
	values, err := queryParams(r, "q", "limit")
	if err != nil {
		return nil, 0, err
	}
	q, err := textParam("q", values.Get("q"), maxTextParam)
	if err != nil {
		return nil, 0, err
	}
	limit, err = parseLimit(values.Get("limit"))
	if err != nil {
		return nil, 0, err
	}
	return quote.Words(q), limit, nil
}
