package httpapi

import (
	"encoding/json"
	"net/http"
	"time"
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
	var req verifyRequest
	if !a.decodeJSON(w, r, &req) {
		return
	}
	if err := checkVerifyRequest(req); err != nil {
		a.fail(w, r, err)
		return
	}
	result, err := a.verifier.Verify(r.Context(), req.Request)
	if err != nil {
		a.fail(w, r, fmtErr("verify", err))
		return
	}
	if req.Format == formatClaimReview {
		w.Header().Set("Content-Type", "application/ld+json")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.WriteHeader(http.StatusOK)
		if err := json.NewEncoder(w).Encode(newClaimReview(r, req, result, time.Now())); err != nil {
			a.log.WarnContext(r.Context(), "httpapi: write response", "request_id", requestID(r.Context()), "error", err)
		}
		return
	}
	a.writeJSON(w, r, http.StatusOK, result)
}
