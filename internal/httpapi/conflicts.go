package httpapi

import (
	"cmp"
	"context"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/newsroom-tools/quotes/internal/quote"
)

// quoteResponse is a quote with the other quotes whose words are nearly
// its own but attributed to someone else, which a fact-checker needs to
// see before trusting the attribution.
type quoteResponse struct {
	quote.Quote
	Conflict  bool               `json:"conflict"`
	Conflicts []conflictingQuote `json:"conflicts"`
}

type conflictingQuote struct {
	Quote      quote.Quote `json:"quote"`
	Similarity float64     `json:"similarity"`
}

// conflictResponse is one conflict with both its quotes in full.
type conflictResponse struct {
	Similarity float64        `json:"similarity"`
	Detected   time.Time      `json:"detected"`
	Quotes     [2]quote.Quote `json:"quotes"`
}

type conflictsResponse struct {
	Conflicts  []conflictResponse `json:"conflicts"`
	NextCursor string             `json:"next_cursor,omitempty"`
}

func (a *api) quote(w http.ResponseWriter, r *http.Request) {
	if _, err := queryParams(r); err != nil {
		a.fail(w, r, err)
		return
	}
	id, err := pathID(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	q, err := a.store.Quote(r.Context(), id)
	if err != nil {
		a.fail(w, r, fmtErr("get quote "+id, err))
		return
	}
	one := []quote.Quote{q}
	if err := a.resolver.Present(r.Context(), one); err != nil {
		a.fail(w, r, fmtErr("resolve speaker of quote "+id, err))
		return
	}
	q = one[0]
	conflicts, err := a.quoteConflicts(r.Context(), id)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.writeJSON(w, r, http.StatusOK, quoteResponse{Quote: q, Conflict: len(conflicts) > 0, Conflicts: conflicts})
}

// quoteConflicts returns the quotes in conflict with the quote id, most
// similar first. A quote removed since the conflict was read is left out
// rather than failing the request.
func (a *api) quoteConflicts(ctx context.Context, id string) ([]conflictingQuote, error) {
	conflicts, err := a.store.QuoteConflicts(ctx, id)
	if err != nil {
		return nil, fmtErr("get conflicts of quote "+id, err)
	}
	others := make([]string, len(conflicts))
	for i, c := range conflicts {
		others[i] = c.QuoteIDs[0]
		if others[i] == id {
			others[i] = c.QuoteIDs[1]
		}
	}
	found, err := a.quotesByID(ctx, others)
	if err != nil {
		return nil, err
	}
	out := []conflictingQuote{}
	for i, c := range conflicts {
		if q, ok := found[others[i]]; ok {
			out = append(out, conflictingQuote{Quote: q, Similarity: c.Similarity})
		}
	}
	slices.SortStableFunc(out, func(x, y conflictingQuote) int { return cmp.Compare(y.Similarity, x.Similarity) })
	return out, nil
}

// conflicts lists every conflict, newest first, one page at a time.
func (a *api) conflicts(w http.ResponseWriter, r *http.Request) {
	values, err := queryParams(r, "limit", "cursor")
	if err != nil {
		a.fail(w, r, err)
		return
	}
	limit, err := parseLimit(values.Get("limit"))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	cursor := values.Get("cursor")
	if len(cursor) > maxCursorParam {
		a.fail(w, r, invalid("cursor is not valid for this query"))
		return
	}
	page, err := a.store.Conflicts(r.Context(), limit, cursor)
	if err != nil {
		a.fail(w, r, fmtErr("list conflicts", err))
		return
	}
	var ids []string
	for _, c := range page.Conflicts {
		ids = append(ids, c.QuoteIDs[0], c.QuoteIDs[1])
	}
	found, err := a.quotesByID(r.Context(), ids)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	resp := conflictsResponse{Conflicts: []conflictResponse{}, NextCursor: page.NextCursor}
	for _, c := range page.Conflicts {
		first, ok1 := found[c.QuoteIDs[0]]
		second, ok2 := found[c.QuoteIDs[1]]
		if !ok1 || !ok2 {
			// Removed between the listing and the lookup: the store would
			// no longer list this conflict either.
			continue
		}
		resp.Conflicts = append(resp.Conflicts, conflictResponse{
			Similarity: c.Similarity, Detected: c.Detected, Quotes: [2]quote.Quote{first, second},
		})
	}
	a.writeJSON(w, r, http.StatusOK, resp)
}

// maxConcurrentLookups bounds the quote lookups one request runs at once:
// a page of conflicts names up to 2×store.MaxLimit quotes, which fetched
// one after another would add up the store's latency as many times.
const maxConcurrentLookups = 8

// quotesByID fetches the quotes with the given ids, by id; ids of quotes
// that no longer exist are left out of the map.
func (a *api) quotesByID(ctx context.Context, ids []string) (map[string]quote.Quote, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr error
		slots    = make(chan struct{}, maxConcurrentLookups)
		found    = make(map[string]quote.Quote, len(ids))
		asked    = make(map[string]bool, len(ids))
	)
	for _, id := range ids {
		if asked[id] {
			continue
		}
		asked[id] = true
		slots <- struct{}{}
		wg.Go(func() {
			defer func() { <-slots }()
			q, err := a.store.Quote(ctx, id)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				found[id] = q
			case quote.ErrorCode(err) == quote.ENotFound:
			case firstErr == nil:
				firstErr = fmtErr("get quote "+id, err)
				cancel()
			}
		})
	}
	wg.Wait()
	return found, firstErr
}
