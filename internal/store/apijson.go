package store

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/newsroom-tools/quotes/internal/quote"
)

// StoredQuote is a quote as the API serves it, which a store may encode
// once when the quote is written (EncodeStoredQuote), so that a page of
// quotes is answered by copying bytes rather than by decoding every quote
// and encoding it again.
type StoredQuote struct {
	// JSON is the quote as encoding/json writes a quote.Quote.
	JSON []byte
	// SpeakerStart and SpeakerEnd locate the speaker object in JSON, for a
	// reader that presents the speaker otherwise than stored.
	SpeakerStart, SpeakerEnd int
	// ArticleID is the quote's article, which presenting an anonymous
	// source needs (quote.SourceID); set only when Presentable.
	ArticleID string
	// Digest is the first half of JSON's SHA-256, so that a reader can
	// tag an answer made of stored quotes (an ETag) without hashing them.
	Digest [DigestLen]byte
	// Presentable is whether a reader may show the speaker otherwise than
	// stored: a person named by one word, whom speaker.Resolver.Canonical
	// may give the full name the store has since learnt, and an anonymous
	// source, served under its article's id. Every other speaker is served
	// as stored, so its quote is copied as it is.
	Presentable bool
}

// Speaker decodes the speaker object of s.
func (s StoredQuote) Speaker() (quote.Speaker, error) {
	var sp quote.Speaker
	if err := json.Unmarshal(s.JSON[s.SpeakerStart:s.SpeakerEnd], &sp); err != nil {
		return quote.Speaker{}, fmt.Errorf("store: decode speaker of stored quote: %w", err)
	}
	return sp, nil
}

// WithSpeaker returns s's JSON with its speaker object replaced by sp's.
func (s StoredQuote) WithSpeaker(sp quote.Speaker) ([]byte, error) {
	enc, err := json.Marshal(sp)
	if err != nil {
		return nil, fmt.Errorf("store: encode speaker %s: %w", sp.ID, err)
	}
	out := make([]byte, 0, len(s.JSON)-(s.SpeakerEnd-s.SpeakerStart)+len(enc))
	out = append(out, s.JSON[:s.SpeakerStart]...)
	out = append(out, enc...)
	return append(out, s.JSON[s.SpeakerEnd:]...), nil
}

// JSONPage is a page of Quotes as stored quotes.
type JSONPage struct {
	Quotes     []StoredQuote
	NextCursor string
	// Buf is the memory the quotes were copied into, the buf given to
	// QuotesJSON or a larger one: a caller done with the page may give it
	// to a later call rather than have each page allocate its own.
	Buf []byte
}

// DigestLen is the length of StoredQuote.Digest.
const DigestLen = 16

// storedQuoteFormat is the first byte of an encoded StoredQuote, so that
// another format could be told apart later.
const storedQuoteFormat = 1

// speakerKey precedes the speaker object in an encoded quote. A quote's
// text cannot contain it: every '"' inside a JSON string is escaped.
var speakerKey = []byte(`"speaker":`)

// NewStoredQuote is q, as a store holds it (speaker id derived), as the
// API serves it.
func NewStoredQuote(q quote.Quote) (StoredQuote, error) {
	full, err := json.Marshal(q)
	if err != nil {
		return StoredQuote{}, fmt.Errorf("store: encode quote %s: %w", q.ID, err)
	}
	sp, err := json.Marshal(q.Speaker)
	if err != nil {
		return StoredQuote{}, fmt.Errorf("store: encode speaker of quote %s: %w", q.ID, err)
	}
	at := bytes.Index(full, append(speakerKey, sp...))
	if at < 0 {
		return StoredQuote{}, fmt.Errorf("store: encode quote %s: speaker object not found in its JSON", q.ID)
	}
	s := StoredQuote{
		JSON:         full,
		SpeakerStart: at + len(speakerKey),
		SpeakerEnd:   at + len(speakerKey) + len(sp),
		Presentable: q.Speaker.Kind == quote.Anonymous ||
			q.Speaker.Kind == quote.Person && len(quote.Words(q.Speaker.Name)) == 1,
	}
	if s.Presentable {
		s.ArticleID = q.Article.ID
	}
	digest := sha256.Sum256(full)
	copy(s.Digest[:], digest[:DigestLen])
	return s, nil
}

// EncodeStoredQuote encodes q, as a store holds it, for DecodeStoredQuote:
// a format byte, whether the speaker is presentable, the digest, the
// speaker object's offsets and the article id, each uvarint-prefixed,
// then the JSON.
func EncodeStoredQuote(q quote.Quote) ([]byte, error) {
	s, err := NewStoredQuote(q)
	if err != nil {
		return nil, err
	}
	out := make([]byte, 0, len(s.JSON)+len(q.Article.ID)+DigestLen+16)
	out = append(out, storedQuoteFormat)
	if s.Presentable {
		out = append(out, 1)
	} else {
		out = append(out, 0)
	}
	out = append(out, s.Digest[:]...)
	out = binary.AppendUvarint(out, uint64(s.SpeakerStart))
	out = binary.AppendUvarint(out, uint64(s.SpeakerEnd))
	out = binary.AppendUvarint(out, uint64(len(q.Article.ID)))
	out = append(out, q.Article.ID...)
	return append(out, s.JSON...), nil
}

var errStoredQuote = errors.New("store: malformed stored quote")

// DecodeStoredQuote reads what EncodeStoredQuote wrote. The result's JSON
// aliases raw.
func DecodeStoredQuote(raw []byte) (StoredQuote, error) {
	const head = 2 + DigestLen
	if len(raw) < head || raw[0] != storedQuoteFormat || raw[1] > 1 {
		return StoredQuote{}, errStoredQuote
	}
	s := StoredQuote{Presentable: raw[1] == 1}
	copy(s.Digest[:], raw[2:head])
	rest := raw[head:]
	var fields [3]uint64
	for i := range fields {
		v, n := binary.Uvarint(rest)
		if n <= 0 {
			return StoredQuote{}, errStoredQuote
		}
		fields[i], rest = v, rest[n:]
	}
	start, end, idLen := fields[0], fields[1], fields[2]
	if idLen > uint64(len(rest)) {
		return StoredQuote{}, errStoredQuote
	}
	if s.Presentable {
		s.ArticleID = string(rest[:idLen])
	}
	s.JSON = rest[idLen:]
	if start > end || end > uint64(len(s.JSON)) {
		return StoredQuote{}, errStoredQuote
	}
	s.SpeakerStart, s.SpeakerEnd = int(start), int(end)
	return s, nil
}
