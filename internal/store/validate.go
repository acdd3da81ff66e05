package store

import (
	"strings"
	"unicode/utf8"

	"github.com/newsroom-tools/quotes/internal/quote"
)

// Limits every store holds writes to, so that what one store accepts the
// other accepts too.
const (
	// MaxKeyBytes is S3's limit on an object key.
	MaxKeyBytes = 1024
	// MaxVersionLength bounds an event sequencer (S3's are 16 to 20 hex
	// digits).
	MaxVersionLength = 64
)

// ValidateArticle checks an upload's outcome before a store writes it: the
// one check every store.Store implementation applies in PutArticle, so the
// stores never disagree on what they refuse. Its errors have code
// quote.EInvalid; ingest records such an upload as failed, with the
// message as its reason, rather than retrying it.
func ValidateArticle(a quote.Article, quotes []quote.Quote) error {
	if err := validateEvent(a.Key, a.Version); err != nil {
		return err
	}
	if want := quote.ArticleID(a.Key); a.ID != want {
		return quote.Errorf(quote.EInvalid, "article id %q does not belong to key %q (want %s)", a.ID, a.Key, want)
	}
	switch a.Status {
	case quote.StatusExtracted:
	case quote.StatusFailed:
		if len(quotes) > 0 {
			return quote.Errorf(quote.EInvalid, "failed article %s carries %d quotes", a.Key, len(quotes))
		}
	default:
		return quote.Errorf(quote.EInvalid, "article status %q is not %s or %s", a.Status, quote.StatusExtracted, quote.StatusFailed)
	}
	if a.Truncated < 0 {
		return quote.Errorf(quote.EInvalid, "article %s counts %d truncated quotes", a.Key, a.Truncated)
	}
	if a.QuoteCount != len(quotes) {
		return quote.Errorf(quote.EInvalid, "article %s counts %d quotes but carries %d", a.Key, a.QuoteCount, len(quotes))
	}
	prefix := a.ID + "-"
	seen := make(map[string]bool, len(quotes))
	for i, q := range quotes {
		switch {
		case !strings.HasPrefix(q.ID, prefix) || len(q.ID) == len(prefix):
			return quote.Errorf(quote.EInvalid, "quote %d of article %s has id %q, not one derived from the article (%s…)", i, a.Key, q.ID, prefix)
		case seen[q.ID]:
			return quote.Errorf(quote.EInvalid, "quote id %s occurs twice in article %s", q.ID, a.Key)
		case q.Article.ID != a.ID:
			return quote.Errorf(quote.EInvalid, "quote %s points at article %q, not %s", q.ID, q.Article.ID, a.ID)
		case q.Start < 0 || q.End < q.Start:
			return quote.Errorf(quote.EInvalid, "quote %s has offsets %d to %d", q.ID, q.Start, q.End)
		case !q.Speaker.Kind.Valid():
			return quote.Errorf(quote.EInvalid, "quote %s has speaker kind %q", q.ID, q.Speaker.Kind)
		}
		seen[q.ID] = true
	}
	return nil
}

// ValidateDeletion checks a deletion before a store records it, as
// ValidateArticle checks an upload.
func ValidateDeletion(key, version string) error {
	return validateEvent(key, version)
}

func validateEvent(key, version string) error {
	switch {
	case key == "":
		return quote.Errorf(quote.EInvalid, "article key is empty")
	case len(key) > MaxKeyBytes:
		return quote.Errorf(quote.EInvalid, "article key is longer than %d bytes", MaxKeyBytes)
	case !utf8.ValidString(key):
		return quote.Errorf(quote.EInvalid, "article key is not UTF-8")
	case version == "":
		return quote.Errorf(quote.EInvalid, "event for %s has no version", key)
	case len(version) > MaxVersionLength:
		return quote.Errorf(quote.EInvalid, "version %q of %s is longer than %d characters", version, key, MaxVersionLength)
	case !validVersion(version):
		return quote.Errorf(quote.EInvalid, "version %q of %s is not a hexadecimal sequencer with an optional .revision", version, key)
	}
	return nil
}

// validVersion reports whether v is a sequencer of hex digits, optionally
// followed by "." and a decimal revision (see quote.NextRevision).
func validVersion(v string) bool {
	seq, rev, hasRev := strings.Cut(v, ".")
	if seq == "" || strings.Trim(seq, "0123456789abcdefABCDEF") != "" {
		return false
	}
	if !hasRev {
		return true
	}
	if rev == "" || len(rev) > maxRevisionDigits || strings.Trim(rev, "0123456789") != "" {
		return false
	}
	return true
}

// maxRevisionDigits bounds a version's revision, which a store may pad to
// a fixed width to order versions as text.
const maxRevisionDigits = 9
