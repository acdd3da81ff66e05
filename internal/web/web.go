// Package web serves the page fact-checkers use to search quotes, read one
// inside its article with the attribution's evidence marked, verify a
// claimed quote and upload articles: plain HTML, CSS and JavaScript,
// embedded in the binary, calling the API on the same origin.
package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"
)

//go:embed index.html assets
var files embed.FS

// contentTypes are set explicitly: the system's MIME tables differ between
// machines (a Lambda image has none), and a script or style sheet served
// with another type is refused under nosniff.
var contentTypes = map[string]string{
	".html": "text/html; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
}

// contentSecurityPolicy allows only this origin: the page loads nothing
// from elsewhere, and a quote's text can never run as script. Images only
// as data: URLs, for the empty icon that spares a request for
// /favicon.ico.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src data:; " +
	"connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

type handler struct {
	files fs.FS
	mux   *http.ServeMux
}

// Handler serves the page at GET / and its scripts and styles at
// GET /assets/{path...}. Anything else answers in the API's JSON error
// shape: 404 for an unknown path or asset, 405 for another method.
func Handler() http.Handler {
	h := &handler{files: files, mux: http.NewServeMux()}
	h.mux.HandleFunc("GET /{$}", h.index)
	h.mux.HandleFunc("GET /assets/{path...}", h.asset)
	return h
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if _, pattern := h.mux.Handler(r); pattern == "" {
		ours := r.URL.Path == "/" || strings.HasPrefix(r.URL.Path, "/assets/")
		if ours && r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			writeError(w, http.StatusMethodNotAllowed, "method_not_allowed",
				"method "+r.Method+" is not allowed on "+r.URL.Path)
			return
		}
		writeNotFound(w, r)
		return
	}
	h.mux.ServeHTTP(w, r)
}

func (h *handler) index(w http.ResponseWriter, r *http.Request) {
	h.serveFile(w, r, "index.html")
}

func (h *handler) asset(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("path")
	if name == "" || !fs.ValidPath(name) {
		writeNotFound(w, r)
		return
	}
	h.serveFile(w, r, path.Join("assets", name))
}

func (h *handler) serveFile(w http.ResponseWriter, r *http.Request, name string) {
	contentType, known := contentTypes[path.Ext(name)]
	body, err := fs.ReadFile(h.files, name)
	if !known || errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrInvalid) {
		writeNotFound(w, r)
		return
	}
	if err != nil {
		writeError(w, http.StatusInternalServerError, "internal", "internal error")
		return
	}
	sum := sha256.Sum256(body)
	header := w.Header()
	header.Set("Content-Type", contentType)
	header.Set("X-Content-Type-Options", "nosniff")
	header.Set("Content-Security-Policy", contentSecurityPolicy)
	header.Set("Referrer-Policy", "no-referrer")
	// Revalidated on every load, so a deploy is seen at once; the ETag
	// makes that a 304 when nothing changed.
	header.Set("Cache-Control", "no-cache")
	header.Set("ETag", `"`+base64.RawURLEncoding.EncodeToString(sum[:16])+`"`)
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(body))
}

func writeNotFound(w http.ResponseWriter, r *http.Request) {
	writeError(w, http.StatusNotFound, "not_found", "no page or asset at "+r.URL.Path)
}

// writeError answers in the API's error shape, so clients handle the
// page's errors as they handle the API's.
func writeError(w http.ResponseWriter, status int, code, message string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	body := map[string]map[string]string{"error": {"code": code, "message": message}}
	// The status is sent; a failed write means the client has gone.
	_ = json.NewEncoder(w).Encode(body)
}
