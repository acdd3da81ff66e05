package httpapi

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"
	"sync"

	"github.com/newsroom-tools/quotes/internal/quote"
	"github.com/newsroom-tools/quotes/internal/store"
)

// presentPage is the body answering page, the quotes copied as the store
// encoded them when they were written: decoding them and encoding them
// again was most of a search's time. Only the speakers the resolver may
// present otherwise than stored (store.StoredQuote.Presentable) are
// decoded, given to resolver.Present, and written again where it changed
// them. The body is what encodePage would write for the decoded quotes,
// byte for byte. Its ETag is a digest of the quotes' digests and the
// cursor, which identify the body as well as hashing all of it would.
func (a *api) presentPage(ctx context.Context, page store.JSONPage) ([]byte, string, error) {
	var (
		shown  []quote.Quote // the presentable quotes, as far as Present reads them
		stored []quote.Speaker
		at     []int // their places in the page
	)
	size := 64 + len(page.NextCursor)
	for i, s := range page.Quotes {
		size += len(s.JSON) + 1
		if !s.Presentable {
			continue
		}
		sp, err := s.Speaker()
		if err != nil {
			return nil, "", fmtErr("read stored quote", err)
		}
		shown = append(shown, quote.Quote{Article: quote.ArticleRef{ID: s.ArticleID}, Speaker: sp})
		stored = append(stored, sp)
		at = append(at, i)
	}
	if err := a.resolver.Present(ctx, shown); err != nil {
		return nil, "", fmtErr("resolve speakers", err)
	}
	tag := sha256.New()
	body := slices.Grow(reuse(&a.bodies), size)
	body = append(body, `{"quotes":[`...)
	next := 0
	for i, s := range page.Quotes {
		if i > 0 {
			body = append(body, ',')
		}
		js, digest := s.JSON, s.Digest[:]
		if next < len(at) && at[next] == i {
			if sp := shown[next].Speaker; sp != stored[next] {
				var err error
				if js, err = s.WithSpeaker(sp); err != nil {
					return nil, "", fmtErr("present speaker", err)
				}
				sum := sha256.Sum256(js)
				digest = sum[:store.DigestLen]
			}
			next++
		}
		body = append(body, js...)
		tag.Write(digest)
	}
	body = append(body, ']')
	if page.NextCursor != "" {
		cursor, err := json.Marshal(page.NextCursor)
		if err != nil {
			return nil, "", fmtErr("encode cursor", err)
		}
		body = append(append(body, `,"next_cursor":`...), cursor...)
		tag.Write(cursor)
	}
	return append(body, "}\n"...), hex.EncodeToString(tag.Sum(nil)[:16]), nil
}

// reuse returns an empty buffer from pool, with the room it had.
func reuse(pool *sync.Pool) []byte {
	if b, ok := pool.Get().(*[]byte); ok {
		return (*b)[:0]
	}
	return nil
}

// recycle gives b to pool for reuse.
func recycle(pool *sync.Pool, b []byte) {
	if cap(b) > 0 {
		pool.Put(&b)
	}
}

// searchJSON is the store's search into a recycled buffer.
func (a *api) searchJSON(ctx context.Context, q store.Query) (store.JSONPage, error) {
	return a.store.QuotesJSON(ctx, q, reuse(&a.copies))
}
