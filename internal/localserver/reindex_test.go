package localserver_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/newsroom-tools/quotes/internal/ingest"
	"github.com/newsroom-tools/quotes/internal/localserver"
	"github.com/newsroom-tools/quotes/internal/quote"
)

// TestReindexReextractsOlderArticles: after an extractor change, reindex
// re-extracts exactly the articles an older version made; run again, it
// has nothing left to do; with all, it does every one.
func TestReindexReextractsOlderArticles(t *testing.T) {
	for name, config := range backends(t) {
		t.Run(name, func(t *testing.T) { testReindex(t, config(t)) })
	}
}

func testReindex(t *testing.T, config localserver.Config) {
	service, err := localserver.Open(t.Context(), config)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(service.Close)
	srv := httptest.NewServer(service.Handler)
	t.Cleanup(srv.Close)
	keys := []string{"a.txt", "b.txt", "c.txt"}
	for _, key := range keys {
		if got := try(t, srv.URL, attempt{method: http.MethodPut, path: "/bucket/" + key, body: goodArticle}); got.status != http.StatusOK {
			t.Fatalf("PUT %s: %+v", key, got)
		}
	}
	// a.txt and b.txt as an older extractor left them.
	for _, key := range keys[:2] {
		a, qs, err := service.Store.ArticleWithQuotes(t.Context(), quote.ArticleID(key), true)
		if err != nil {
			t.Fatal(err)
		}
		a.Version, a.Extractor = quote.NextRevision(a.Version), "2015-rules-0"
		if err := service.Store.PutArticle(t.Context(), a, qs); err != nil {
			t.Fatal(err)
		}
	}

	for _, tt := range []struct {
		name string
		all  bool
		want int
	}{{"older articles", false, 2}, {"again: nothing left", false, 0}, {"all", true, 3}} {
		var last [2]int
		n, err := service.Reindex(t.Context(), tt.all, 2, func(done, total int) { last = [2]int{done, total} })
		if err != nil || n != tt.want {
			t.Fatalf("%s: Reindex = %d, %v; want %d", tt.name, n, err, tt.want)
		}
		if tt.want > 0 && last != [2]int{tt.want, tt.want} {
			t.Errorf("%s: last progress %v, want %d of %d", tt.name, last, tt.want, tt.want)
		}
		for _, key := range keys {
			a, err := service.Store.Article(t.Context(), quote.ArticleID(key))
			if err != nil || a.Extractor != ingest.ExtractorVersion() || a.QuoteCount != 1 {
				t.Errorf("%s: %s made by %q with %d quotes (%v), want %q", tt.name, key, a.Extractor, a.QuoteCount, err, ingest.ExtractorVersion())
			}
		}
	}
}
