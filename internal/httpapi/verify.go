package httpapi

import (
	"net/http"

	"github.com/newsroom-tools/quotes/internal/verify"
)

// verifyQuote checks a claimed quote, and optionally its attribution,
// against every stored quote. The claim travels in a JSON body rather than
// the query string: it is long, and it is text a client should not have to
// escape into a URL.
func (a *api) verifyQuote(w http.ResponseWriter, r *http.Request) {
	if _, err := queryParams(r); err != nil {
		a.fail(w, r, err)
		return
	}
	var req verify.Request
	if !a.decodeJSON(w, r, &req) {
		return
	}
	result, err := a.verifier.Verify(r.Context(), req)
	if err != nil {
		a.fail(w, r, fmtErr("verify", err))
		return
	}
	a.writeJSON(w, r, http.StatusOK, result)
}
