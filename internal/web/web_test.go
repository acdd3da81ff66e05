package web

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestHandler(t *testing.T) {
	tests := []struct {
		name            string
		method, path    string
		wantStatus      int
		wantContentType string
		wantBody        string // a substring of the body
	}{
		{"page", "GET", "/", http.StatusOK, "text/html; charset=utf-8", `<script src="assets/app.js" defer></script>`},
		{"page head", "HEAD", "/", http.StatusOK, "text/html; charset=utf-8", ""},
		{"script", "GET", "/assets/app.js", http.StatusOK, "text/javascript; charset=utf-8", "TextEncoder"},
		{"style sheet", "GET", "/assets/app.css", http.StatusOK, "text/css; charset=utf-8", "@media"},
		{"unknown asset", "GET", "/assets/missing.js", http.StatusNotFound, "application/json", `"code":"not_found"`},
		{"asset folder", "GET", "/assets/", http.StatusNotFound, "application/json", `"code":"not_found"`},
		{"page under assets", "GET", "/assets/index.html", http.StatusNotFound, "application/json", `"code":"not_found"`},
		{"escape from assets", "GET", "/assets/..%2findex.html", http.StatusNotFound, "application/json", `"code":"not_found"`},
		{"source file", "GET", "/web.go", http.StatusNotFound, "application/json", `"code":"not_found"`},
		{"page by name", "GET", "/index.html", http.StatusNotFound, "application/json", `"code":"not_found"`},
		{"post to page", "POST", "/", http.StatusMethodNotAllowed, "application/json", `"code":"method_not_allowed"`},
		{"delete asset", "DELETE", "/assets/app.js", http.StatusMethodNotAllowed, "application/json", `"code":"method_not_allowed"`},
	}
	h := Handler()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(tt.method, tt.path, nil))
			if rec.Code != tt.wantStatus {
				t.Fatalf("%s %s: status = %d, want %d; body %s", tt.method, tt.path, rec.Code, tt.wantStatus, rec.Body)
			}
			if got := rec.Header().Get("Content-Type"); got != tt.wantContentType {
				t.Errorf("%s %s: Content-Type = %q, want %q", tt.method, tt.path, got, tt.wantContentType)
			}
			if got := rec.Header().Get("X-Content-Type-Options"); got != "nosniff" {
				t.Errorf("%s %s: X-Content-Type-Options = %q, want nosniff", tt.method, tt.path, got)
			}
			if !strings.Contains(rec.Body.String(), tt.wantBody) {
				t.Errorf("%s %s: body does not contain %q:\n%.300s", tt.method, tt.path, tt.wantBody, rec.Body)
			}
			if tt.wantStatus == http.StatusMethodNotAllowed && rec.Header().Get("Allow") != "GET, HEAD" {
				t.Errorf("%s %s: Allow = %q, want %q", tt.method, tt.path, rec.Header().Get("Allow"), "GET, HEAD")
			}
			if tt.wantContentType == "application/json" {
				var body struct {
					Error struct{ Code, Message string }
				}
				if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || body.Error.Message == "" {
					t.Errorf("%s %s: body %q is not an API error (%v)", tt.method, tt.path, rec.Body, err)
				}
			}
		})
	}
}

func TestHandlerSecurityHeaders(t *testing.T) {
	rec := httptest.NewRecorder()
	Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	csp := rec.Header().Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'none'", "script-src 'self'", "connect-src 'self'", "frame-ancestors 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("Content-Security-Policy = %q, want it to contain %q", csp, want)
		}
	}
}

// TestHandlerRevalidation: assets are revalidated on each load (so a deploy
// shows at once) and unchanged ones cost a 304.
func TestHandlerRevalidation(t *testing.T) {
	h := Handler()
	for _, path := range []string{"/", "/assets/app.js", "/assets/app.css"} {
		first := httptest.NewRecorder()
		h.ServeHTTP(first, httptest.NewRequest("GET", path, nil))
		etag := first.Header().Get("ETag")
		if etag == "" || first.Header().Get("Cache-Control") != "no-cache" {
			t.Fatalf("GET %s: ETag = %q, Cache-Control = %q; want an ETag and no-cache", path, etag, first.Header().Get("Cache-Control"))
		}
		req := httptest.NewRequest("GET", path, nil)
		req.Header.Set("If-None-Match", etag)
		again := httptest.NewRecorder()
		h.ServeHTTP(again, req)
		if again.Code != http.StatusNotModified {
			t.Errorf("GET %s with If-None-Match %s: status = %d, want 304", path, etag, again.Code)
		}
	}
}

// TestPageReferencesOnlyLocalAssets: the page must work offline and under
// any mount point, so it names its assets by relative URLs that exist.
func TestPageReferencesOnlyLocalAssets(t *testing.T) {
	page, err := files.ReadFile("index.html")
	if err != nil {
		t.Fatal(err)
	}
	h := Handler()
	for _, ref := range []string{"assets/app.css", "assets/app.js"} {
		if !strings.Contains(string(page), `"`+ref+`"`) {
			t.Errorf("index.html does not reference %q", ref)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "/"+ref, nil))
		if rec.Code != http.StatusOK {
			t.Errorf("GET /%s: status = %d, want 200", ref, rec.Code)
		}
	}
	for _, external := range []string{"http://", "https://", `src="/`, `href="/`} {
		if strings.Contains(string(page), external) {
			t.Errorf("index.html contains %q: assets must be relative and local", external)
		}
	}
}
