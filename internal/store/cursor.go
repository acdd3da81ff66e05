package store

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"time"

	"github.com/newsroom-tools/quotes/internal/quote"
)

// Cursors turns a store's position in a query's results into an opaque
// token and back. The token is signed together with the query it belongs
// to, so a client can neither tamper with it nor replay it on another query.
type Cursors struct{ key []byte }

// NewCursors returns Cursors signing with key.
func NewCursors(key []byte) Cursors { return Cursors{key: key} }

// Encode wraps position, the store's own bytes, for query q.
func (c Cursors) Encode(q Query, position []byte) string {
	return c.EncodeScope(fingerprint(q), position)
}

// Decode returns the position wrapped in cursor, or an error with code
// quote.EInvalid when the cursor was not issued for q.
func (c Cursors) Decode(q Query, cursor string) ([]byte, error) {
	return c.DecodeScope(fingerprint(q), cursor)
}

// EncodeScope wraps position for a listing other than a Query, named by
// scope (such as "conflicts").
func (c Cursors) EncodeScope(scope string, position []byte) string {
	enc := base64.RawURLEncoding
	return enc.EncodeToString(position) + "." + enc.EncodeToString(c.sign(scope, position))
}

// DecodeScope returns the position wrapped in cursor, or an error with
// code quote.EInvalid when the cursor was not issued for scope.
func (c Cursors) DecodeScope(scope, cursor string) ([]byte, error) {
	enc := base64.RawURLEncoding
	pos, sig, ok := strings.Cut(cursor, ".")
	if !ok {
		return nil, quote.Errorf(quote.EInvalid, "cursor is not valid for this query")
	}
	position, err1 := enc.DecodeString(pos)
	mac, err2 := enc.DecodeString(sig)
	if err1 != nil || err2 != nil || !hmac.Equal(mac, c.sign(scope, position)) {
		return nil, quote.Errorf(quote.EInvalid, "cursor is not valid for this query")
	}
	return position, nil
}

func (c Cursors) sign(scope string, position []byte) []byte {
	h := hmac.New(sha256.New, c.key)
	h.Write([]byte(scope))
	h.Write([]byte{0})
	h.Write(position)
	return h.Sum(nil)[:16]
}

// fingerprint names everything a query selects by, but not its page.
func fingerprint(q Query) string {
	return strings.Join([]string{
		"quotes", q.SpeakerID, q.Topic, strings.Join(q.Words, " "), string(q.Kind),
		q.From.UTC().Format(time.RFC3339Nano), q.To.UTC().Format(time.RFC3339Nano),
	}, "\x00")
}
