package httpapi

import (
	"net/http"
	"net/http/httptest"
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
