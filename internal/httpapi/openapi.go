package httpapi

import (
	_ "embed"
	"io"
	"net/http"
)

// openAPIDocument describes every route of this package; the tests check
// each response they see against it.
//
//go:embed openapi.yaml
var openAPIDocument string

func (a *api) openAPI(w http.ResponseWriter, r *http.Request) {
	if _, err := queryParams(r); err != nil {
		a.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/yaml")
	if _, err := io.WriteString(w, openAPIDocument); err != nil {
		a.log.WarnContext(r.Context(), "httpapi: write response",
			"request_id", requestID(r.Context()), "error", err)
	}
}
