package decode

import (
	"net/url"
	"strings"
	"time"

	"github.com/newsroom-tools/quotes/internal/quote"
)

// Limits on the fields an upload declares (JSON fields, front matter). A
// field over its limit is a broken export, not a long headline, so the
// upload fails rather than keep a clipped value.
const (
	maxDeclaredTitleBytes  = maxTitleBytes
	maxDeclaredURLBytes    = 2048
	maxDeclaredOutletBytes = 200
)

// metadata is what an upload may declare about its article besides the
// text.
type metadata struct {
	Title, URL, Outlet, Published string
}

// apply checks the declared fields and sets them on a; where names the
// source for error messages ("JSON", "front matter").
func (m metadata) apply(a *quote.Article, where string) error {
	for _, f := range []struct {
		name, value string
		limit       int
	}{
		{"title", m.Title, maxDeclaredTitleBytes},
		{"url", m.URL, maxDeclaredURLBytes},
		{"outlet", m.Outlet, maxDeclaredOutletBytes},
	} {
		if len(f.value) > f.limit {
			return quote.Errorf(quote.EInvalid, "%s %s is %d bytes; the limit is %d", where, f.name, len(f.value), f.limit)
		}
	}
	a.Title = strings.TrimSpace(m.Title)
	a.Outlet = oneLine(m.Outlet)
	if raw := strings.TrimSpace(m.URL); raw != "" {
		u, err := url.Parse(raw)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return quote.Errorf(quote.EInvalid, "%s url %q is not an http or https address", where, raw)
		}
		a.URL = u.String()
	}
	if raw := strings.TrimSpace(m.Published); raw != "" {
		published, err := ParseDate(raw)
		if err != nil {
			return quote.Errorf(quote.EInvalid, "%s published %q is not a date (expected RFC 3339, like 2015-11-05T14:30:00Z, or YYYY-MM-DD)", where, raw)
		}
		a.Published = published
	}
	return nil
}

// ParseDate reads an RFC 3339 timestamp or a calendar date (taken as
// midnight UTC).
func ParseDate(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	return time.Parse(time.DateOnly, s)
}
