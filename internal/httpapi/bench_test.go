package httpapi

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// BenchmarkSearch measures whole requests through the handler over the
// embedded store, speaker resolution included, without the OpenAPI check.
func BenchmarkSearch(b *testing.B) {
	at := newAPITest(b, Options{})
	at.seed()
	for _, target := range []string{
		"/quotes?speaker=john-kerry",
		"/quotes?speaker=kerry",
		"/quotes?q=ukraine&from=2015-01-01",
		"/speakers?q=j+ker",
	} {
		b.Run(target, func(b *testing.B) {
			for b.Loop() {
				rec := httptest.NewRecorder()
				at.handler.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
				if rec.Code != http.StatusOK {
					b.Fatalf("GET %s = %d %s", target, rec.Code, rec.Body)
				}
			}
		})
	}
}

// BenchmarkVerify measures whole verifications through the handler: the
// fingerprint lookup, alignment of every candidate and the diffs of the
// matches.
func BenchmarkVerify(b *testing.B) {
	at := newAPITest(b, Options{})
	at.seed()
	for name, body := range map[string]string{
		"confirmed":       `{"quote": "A deal with Iran is within reach", "speaker": "Kerry"}`,
		"wording differs": `{"quote": "Russia's support for Assad must stop"}`,
		"not found":       `{"quote": "The moon is made of green cheese"}`,
	} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				rec := httptest.NewRecorder()
				req := httptest.NewRequest(http.MethodPost, "/verify", strings.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				at.handler.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatalf("POST /verify %s = %d %s", body, rec.Code, rec.Body)
				}
			}
		})
	}
}
