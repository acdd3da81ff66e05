// Package quote holds the domain types every layer of the service shares:
// articles, the direct quotes extracted from them, who said them, and the
// small set of error codes the HTTP layer maps to statuses.
package quote

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"time"
)

// SpeakerKind says what sort of source a speaker is.
type SpeakerKind string

const (
	Person       SpeakerKind = "person"
	Organization SpeakerKind = "organization"
	// Anonymous is an unnamed source described by the article
	// ("a senior US official"); Speaker.Name holds the description.
	Anonymous SpeakerKind = "anonymous"
	// Unknown is used when the extractor cannot attribute a quote with
	// confidence: a fact-checker is better served by "unknown" than by a
	// wrong name.
	Unknown SpeakerKind = "unknown"
)

// Valid reports whether k is one of the defined kinds.
func (k SpeakerKind) Valid() bool {
	switch k {
	case Person, Organization, Anonymous, Unknown:
		return true
	}
	return false
}

// Span is a stretch of an article's text: Start and End are byte offsets
// into the article's UTF-8 text, End exclusive.
type Span struct {
	Text  string `json:"text"`
	Start int    `json:"start"`
	End   int    `json:"end"`
}

// Speaker is who a quote is attributed to, resolved within its article.
type Speaker struct {
	// ID identifies the speaker across articles; see SpeakerID.
	ID   string      `json:"id,omitempty"`
	Name string      `json:"name"`
	Kind SpeakerKind `json:"kind"`
	// Descriptor is the role or description as written beside the name
	// ("U.S. Secretary of State"); for an anonymous source, the source as
	// described ("one US intelligence official who spoke on condition of
	// anonymity").
	Descriptor string `json:"descriptor,omitempty"`
	// Mention is the words near the quote the attribution rests on ("he",
	// "Kerry", "the official").
	Mention string `json:"mention,omitempty"`
	// Affiliation and Role structure an anonymous source: "US", "official".
	Affiliation string `json:"affiliation,omitempty"`
	Role        string `json:"role,omitempty"`
	// Gender is what the article's own words (pronouns, titles) say of a
	// person's gender, "male", "female" or "": it tells apart people of one
	// surname ("Clinton", then "she") when ingest resolves the name across
	// articles. It is an inference, so it is neither stored nor served.
	Gender string `json:"-"`
}

// Evidence is why a quote was attributed as it was, for a reader to check.
type Evidence struct {
	// Cue is the speech verb or phrase ("said", "according to").
	Cue *Span `json:"cue,omitempty"`
	// Mention is where the speaker is named or referred to near the quote.
	Mention *Span `json:"mention,omitempty"`
	// Antecedent is where the article last named the speaker before the
	// quote, when the mention itself does not ("he" → "John Kerry").
	Antecedent *Span `json:"antecedent,omitempty"`
	// Rule names the attribution rule that fired.
	Rule string `json:"rule"`
	// Confidence is the probability, in [0, 1], that Speaker is who said
	// the quote; the extractor's README measures how well it is calibrated.
	Confidence float64 `json:"confidence"`
}

// ArticleRef is how a quote points at its article.
type ArticleRef struct {
	ID    string `json:"id"`
	Key   string `json:"key"`
	Title string `json:"title,omitempty"`
}

// Quote is one direct quote: the words inside one pair of quotation marks.
type Quote struct {
	ID      string     `json:"id,omitempty"`
	Article ArticleRef `json:"article"`
	// Text is the quoted words exactly as in the article, without the
	// enclosing marks; Start and End are its byte offsets in the article.
	Text    string  `json:"text"`
	Start   int     `json:"start"`
	End     int     `json:"end"`
	Speaker Speaker `json:"speaker"`
	// Partial marks a fragment quoted inside reported speech
	// (called it "a total disaster").
	Partial  bool     `json:"partial,omitempty"`
	Evidence Evidence `json:"evidence"`
	// Context is the sentences around the quote in its article.
	Context string   `json:"context,omitempty"`
	Topics  []string `json:"topics,omitempty"`
	// Date is the article's date (see Article.Date); results sort newest
	// first by it.
	Date time.Time `json:"date,omitzero"`
	// DateSource says whether Date is when the article was published or
	// only when it was uploaded.
	DateSource DateSource `json:"date_source,omitempty"`
}

// DateSource says where an article's date comes from.
type DateSource string

const (
	// DatePublished: the uploader, the document or its dateline said when
	// the article was published.
	DatePublished DateSource = "published"
	// DateUploaded: nothing did, and the date is the upload's.
	DateUploaded DateSource = "uploaded"
)

// Status is where an upload ended.
type Status string

const (
	StatusExtracted Status = "extracted"
	StatusFailed    Status = "failed"
)

// Article is one uploaded object and the outcome of ingesting it.
type Article struct {
	ID  string `json:"id"`
	Key string `json:"key"`
	// Version orders the events for Key: the S3 event's sequencer. A store
	// never lets an older version replace or delete a newer one.
	Version    string    `json:"version"`
	Title      string    `json:"title,omitempty"`
	URL        string    `json:"url,omitempty"`
	Outlet     string    `json:"outlet,omitempty"`
	Published  time.Time `json:"published,omitzero"`
	UploadedAt time.Time `json:"uploaded_at"`
	// DateSource says which of Published and UploadedAt Date is.
	DateSource DateSource `json:"date_source,omitempty"`
	Status     Status     `json:"status"`
	// Reason says why an upload failed, or why not all its quotes are
	// stored.
	Reason     string `json:"reason,omitempty"`
	QuoteCount int    `json:"quote_count"`
	// Truncated counts the quotes found beyond the per-article cap and not
	// stored.
	Truncated int `json:"truncated,omitempty"`
	// Extractor names the extractor version that made the article, so
	// that a better one can re-extract exactly the articles made before it.
	Extractor string `json:"extractor,omitempty"`
	// Text is the article's plain text, which quote offsets point into.
	Text string `json:"text,omitempty"`
}

// Date is when the article appeared: its published date when the upload
// carried one, else when it was uploaded.
func (a Article) Date() time.Time {
	if !a.Published.IsZero() {
		return a.Published
	}
	return a.UploadedAt
}

// DateSourceOf says where a.Date comes from.
func (a Article) DateSourceOf() DateSource {
	if !a.Published.IsZero() {
		return DatePublished
	}
	return DateUploaded
}

// Ref is the short form of a that quotes carry.
func (a Article) Ref() ArticleRef { return ArticleRef{ID: a.ID, Key: a.Key, Title: a.Title} }

// ArticleID derives an article's id from its object key, so every event for
// a key lands on the same record without a lookup.
func ArticleID(key string) string { return shortHash(key) }

// QuoteID derives a quote's id from its article, its words and which
// occurrence of those words it is, so that re-uploading an article with an
// unrelated edit keeps the ids that fact-checkers may have bookmarked.
// Occurrences count from 0 without bound, so an article repeating the same
// words any number of times gives each its own id.
func QuoteID(articleID, text string, occurrence int) string {
	var b strings.Builder
	b.WriteString(articleID)
	b.WriteByte(0)
	b.WriteString(text)
	b.WriteByte(0)
	b.WriteString(strconv.Itoa(occurrence))
	return articleID + "-" + shortHash(b.String())[:10]
}

func shortHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:8])
}

// CompareVersions orders two versions. A version is an S3 event
// sequencer, optionally followed by "." and a revision number, which a
// re-extraction of the same object adds (see NextRevision). Sequencers are
// hex strings of varying length: the shorter one is padded with leading
// zeros before comparing, as the S3 documentation prescribes; equal
// sequencers are ordered by revision, none being 0. An empty version is
// older than any other.
func CompareVersions(a, b string) int {
	seqA, revA := splitVersion(a)
	seqB, revB := splitVersion(b)
	seqA, seqB = strings.ToUpper(seqA), strings.ToUpper(seqB)
	for len(seqA) < len(seqB) {
		seqA = "0" + seqA
	}
	for len(seqB) < len(seqA) {
		seqB = "0" + seqB
	}
	if c := strings.Compare(seqA, seqB); c != 0 {
		return c
	}
	return cmp.Compare(revA, revB)
}

// NextRevision returns the version a re-extraction of the object that
// version v made is stored under: newer than v, and older than any later
// event of the object, whose sequencer is greater.
func NextRevision(v string) string {
	seq, rev := splitVersion(v)
	if seq == "" {
		seq = "0"
	}
	return seq + "." + strconv.FormatUint(rev+1, 10)
}

// splitVersion parses a version into its sequencer and revision; a
// revision that is not a number counts as 0 (store validation refuses
// such versions before they are stored).
func splitVersion(v string) (sequencer string, revision uint64) {
	seq, rev, ok := strings.Cut(v, ".")
	if !ok {
		return v, 0
	}
	n, _ := strconv.ParseUint(rev, 10, 64)
	return seq, n
}
