package httpapi

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newsroom-tools/quotes/internal/quote"
	"github.com/newsroom-tools/quotes/internal/store"
)

// Quote texts in the order a newest-first search returns them.
var (
	kerryIran  = []string{"A deal with Iran is within reach", "We are not there yet"}
	kerrySochi = []string{
		"We had a frank and open discussion in Sochi",
		"Russia's support for Assad must end",
		"The ceasefire in Ukraine must hold",
	}
)

// sameTexts reports whether got holds want's texts, with quotes of one
// article (one date) in any order but articles newest first: the store
// orders quotes of equal date by id, which the test does not predict.
func sameTexts(got []string, want ...[]string) bool {
	for _, group := range want {
		if len(got) < len(group) {
			return false
		}
		head := slices.Clone(got[:len(group)])
		g := slices.Clone(group)
		slices.Sort(head)
		slices.Sort(g)
		if !slices.Equal(head, g) {
			return false
		}
		got = got[len(group):]
	}
	return len(got) == 0
}

func TestSearchQuotes(t *testing.T) {
	topics := map[string]string{"russia": "Russia", "russian federation": "Russia", "iran": "Iran"}
	at := newAPITest(t, Options{CanonicalTopic: func(s string) string {
		if c, ok := topics[strings.ToLower(s)]; ok {
			return c
		}
		return s
	}})
	at.seed()

	tests := []struct {
		name  string
		query string
		want  [][]string
	}{
		{"speaker by id", "speaker=john-kerry", [][]string{kerryIran, kerrySochi}},
		{"speaker by full name", "speaker=John+Kerry", [][]string{kerryIran, kerrySochi}},
		{"speaker by surname picks the most quoted", "speaker=kerry", [][]string{kerryIran, kerrySochi}},
		{"speaker by other name", "speaker=washington", [][]string{{"Acting is a conversation"}}},
		{"speaker by name prefixes", "speaker=k+wash", [][]string{{"Acting is a conversation"}}},
		{"speaker name ignores diacritics and case", "speaker=ZELENSKYY", [][]string{{"Ukraine will not give up its land"}}},
		{"speaker name with kind", "speaker=official&speaker_kind=anonymous", [][]string{{"Nobody expected a breakthrough"}}},
		{"anonymous speaker by id", "speaker=anon-us-official", [][]string{{"Nobody expected a breakthrough"}}},
		{"unknown speaker finds nothing", "speaker=nobody+at+all", nil},
		{"topic", "topic=Syria", [][]string{{"Russia's support for Assad must end"}}},
		{"topic through the canonicaliser", "topic=russian+federation&speaker=john-kerry", [][]string{kerrySochi[:2]}},
		{"words", "q=ukraine", [][]string{{"Ukraine will not give up its land"}, {"The ceasefire in Ukraine must hold"}}},
		{"words fold apostrophes and case", "q=RUSSIAS+assad", [][]string{{"Russia's support for Assad must end"}}},
		{"speaker kind", "speaker_kind=organization", [][]string{{"The sanctions are counterproductive"}}},
		{"speaker and words", "speaker=kerry&q=must", [][]string{{"Russia's support for Assad must end", "The ceasefire in Ukraine must hold"}}},
		{"from is inclusive", "speaker=john-kerry&from=2015-06-01", [][]string{kerryIran}},
		{"to covers its whole day", "speaker=john-kerry&to=2015-05-12", [][]string{kerrySochi}},
		{"from and to", "speaker_kind=person&from=2015-06-01&to=2016-01-10",
			[][]string{{"Ukraine will not give up its land"}, kerryIran}},
		{"empty range", "speaker=john-kerry&from=2014-01-01&to=2014-12-31", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := at.get("/quotes?" + tt.query)
			if rec.Code != http.StatusOK {
				t.Fatalf("GET /quotes?%s = %d %s, want 200", tt.query, rec.Code, rec.Body)
			}
			page := decode[quotesResponse](t, rec)
			if got := quoteTexts(page.Quotes); !sameTexts(got, tt.want...) {
				t.Errorf("GET /quotes?%s = %q, want %q", tt.query, got, tt.want)
			}
			if page.NextCursor != "" {
				t.Errorf("next_cursor = %q on a single page, want none", page.NextCursor)
			}
			for i := 1; i < len(page.Quotes); i++ {
				if page.Quotes[i].Date.After(page.Quotes[i-1].Date) {
					t.Errorf("quote %d is newer than quote %d: not newest first", i, i-1)
				}
			}
		})
	}
}

// TestQuoteJSON checks the wire form of a quote field by field, since the
// clients parse it.
func TestQuoteJSON(t *testing.T) {
	at := newAPITest(t, Options{})
	at.seed()
	rec := at.get("/quotes?speaker=anon-us-official")
	var page struct {
		Quotes []map[string]any `json:"quotes"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &page); err != nil || len(page.Quotes) != 1 {
		t.Fatalf("GET /quotes?speaker=anon-us-official = %s (%v), want one quote", rec.Body, err)
	}
	got := page.Quotes[0]
	want := map[string]any{
		"id":      quote.QuoteID(quote.ArticleID(sochiKey), "Nobody expected a breakthrough", 0),
		"article": map[string]any{"id": quote.ArticleID(sochiKey), "key": sochiKey, "title": "Title of " + sochiKey},
		"text":    "Nobody expected a breakthrough",
		"speaker": map[string]any{
			// The source of this article; the search by its description
			// found it.
			"id": quote.SourceID("anon-us-official", quote.ArticleID(sochiKey)), "name": "a senior US official", "kind": "anonymous",
			"descriptor":  "a senior US official who spoke on condition of anonymity",
			"mention":     "the official",
			"affiliation": "US", "role": "official",
		},
		"topics": []any{"Russia"},
		"date":   "2015-05-12T15:30:00Z",
	}
	for field, w := range want {
		g, _ := json.Marshal(got[field])
		wj, _ := json.Marshal(w)
		if string(g) != string(wj) {
			t.Errorf("quote.%s = %s, want %s", field, g, wj)
		}
	}
	evidence, _ := got["evidence"].(map[string]any)
	if evidence["rule"] != "quote-said-name" || evidence["confidence"] != 0.9 || evidence["cue"] == nil {
		t.Errorf("quote.evidence = %v, want rule, confidence and cue", evidence)
	}
	for _, field := range []string{"start", "end", "context"} {
		if _, ok := got[field]; !ok {
			t.Errorf("quote has no %q", field)
		}
	}
	if _, ok := got["partial"]; ok {
		t.Errorf("quote.partial present on a whole quote; want it left out when false")
	}
}

func TestPagingWalksEveryQuoteOnce(t *testing.T) {
	at := newAPITest(t, Options{})
	at.seed()
	var all []string
	for range 3 {
		all = append(all, kerryIran...)
	}
	// Twelve more Kerry quotes on three more dates, so pages cross dates
	// and hold several quotes of one date.
	for i, day := range []int{2, 3, 4} {
		var says []said
		for j := range 4 {
			says = append(says, said{kerry, strings.Repeat("more ", j+1) + "words on day " + string(rune('a'+i)), nil})
		}
		at.put(article("2015/07/0"+string(rune('0'+day))+"/extra.txt", "01", time.Date(2015, 7, day, 0, 0, 0, 0, time.UTC), says...))
	}
	total := 5 + 12

	for _, search := range []struct {
		name string
		page func(cursor string) *quotesResponse
	}{
		{"GET", func(cursor string) *quotesResponse {
			target := "/quotes?speaker=kerry&limit=4"
			if cursor != "" {
				target += "&cursor=" + url.QueryEscape(cursor)
			}
			rec := at.get(target)
			if rec.Code != http.StatusOK {
				t.Fatalf("GET %s = %d %s", target, rec.Code, rec.Body)
			}
			p := decode[quotesResponse](t, rec)
			return &p
		}},
		{"POST", func(cursor string) *quotesResponse {
			body, _ := json.Marshal(map[string]any{"speaker": "kerry", "limit": 4, "cursor": cursor})
			rec := at.do(http.MethodPost, "/quotes/search", strings.NewReader(string(body)), jsonHeader())
			if rec.Code != http.StatusOK {
				t.Fatalf("POST /quotes/search %s = %d %s", body, rec.Code, rec.Body)
			}
			p := decode[quotesResponse](t, rec)
			return &p
		}},
	} {
		t.Run(search.name, func(t *testing.T) {
			seen := map[string]bool{}
			var dates []time.Time
			cursor, pages := "", 0
			for {
				page := search.page(cursor)
				pages++
				if len(page.Quotes) > 4 {
					t.Fatalf("page %d has %d quotes, limit 4", pages, len(page.Quotes))
				}
				for _, q := range page.Quotes {
					if seen[q.ID] {
						t.Fatalf("quote %s (%q) returned twice", q.ID, q.Text)
					}
					seen[q.ID] = true
					dates = append(dates, q.Date)
				}
				if page.NextCursor == "" {
					break
				}
				if pages > total {
					t.Fatalf("still paging after %d pages", pages)
				}
				cursor = page.NextCursor
			}
			if len(seen) != total {
				t.Errorf("walked %d quotes in %d pages, want %d", len(seen), pages, total)
			}
			if !slices.IsSortedFunc(dates, func(a, b time.Time) int { return b.Compare(a) }) {
				t.Errorf("dates across pages are not newest first: %v", dates)
			}
		})
	}
}

func TestGetQuote(t *testing.T) {
	at := newAPITest(t, Options{})
	at.seed()
	id := quote.QuoteID(quote.ArticleID(iranKey), "We are not there yet", 0)

	rec := at.get("/quotes/" + id)
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /quotes/%s = %d %s, want 200", id, rec.Code, rec.Body)
	}
	got := decode[quote.Quote](t, rec)
	if got.ID != id || got.Text != "We are not there yet" || got.Speaker.ID != "john-kerry" || got.Article.Key != iranKey {
		t.Errorf("GET /quotes/%s = %+v, want Kerry's quote from %s", id, got, iranKey)
	}

	rec = at.get("/quotes/" + quote.ArticleID(iranKey) + "-0000000000")
	if rec.Code != http.StatusNotFound || errorOf(t, rec).Code != quote.ENotFound {
		t.Errorf("GET of a missing quote = %d %s, want 404 not_found", rec.Code, rec.Body)
	}
}

func TestSpeakers(t *testing.T) {
	at := newAPITest(t, Options{})
	at.seed()
	johnKerry := store.SpeakerSummary{ID: "john-kerry", Name: "John Kerry", Kind: quote.Person, QuoteCount: 5}
	washington := store.SpeakerSummary{ID: "kerry-washington", Name: "Kerry Washington", Kind: quote.Person, QuoteCount: 1}
	tests := []struct {
		query string
		want  []store.SpeakerSummary
	}{
		{"q=ker", []store.SpeakerSummary{johnKerry, washington}},
		{"q=KER&limit=1", []store.SpeakerSummary{johnKerry}},
		{"q=j+ker", []store.SpeakerSummary{johnKerry}},
		{"q=ker+wa", []store.SpeakerSummary{washington}},
		{"q=zelensk", []store.SpeakerSummary{{ID: "volodymyr-zelenskyy", Name: "Volodymyr Zelénskyy", Kind: quote.Person, QuoteCount: 1}}},
		{"q=xyz", []store.SpeakerSummary{}},
		{"limit=1", []store.SpeakerSummary{johnKerry}},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			rec := at.get("/speakers?" + tt.query)
			if rec.Code != http.StatusOK {
				t.Fatalf("GET /speakers?%s = %d %s, want 200", tt.query, rec.Code, rec.Body)
			}
			if got := decode[speakersResponse](t, rec).Speakers; !slices.Equal(got, tt.want) {
				t.Errorf("GET /speakers?%s = %+v, want %+v", tt.query, got, tt.want)
			}
		})
	}
	rec := at.get("/speakers")
	if got := decode[speakersResponse](t, rec).Speakers; len(got) != 6 || got[0] != johnKerry {
		t.Errorf("GET /speakers = %+v, want all 6 speakers, John Kerry first", got)
	}
}

func TestArticles(t *testing.T) {
	at := newAPITest(t, Options{})
	at.seed()
	sochiID := quote.ArticleID(sochiKey)
	tests := []struct {
		name       string
		target     string
		wantKey    string
		wantQuotes int
		wantText   bool
		wantStatus quote.Status
	}{
		{"by id", "/articles/" + sochiID, sochiKey, 5, false, quote.StatusExtracted},
		{"by id with text", "/articles/" + sochiID + "?include=text", sochiKey, 5, true, quote.StatusExtracted},
		{"by key", "/articles?key=" + url.QueryEscape(iranKey), iranKey, 3, false, quote.StatusExtracted},
		{"by key with text", "/articles?include=text&key=" + url.QueryEscape(iranKey), iranKey, 3, true, quote.StatusExtracted},
		{"failed upload", "/articles?key=" + url.QueryEscape(brokenKey), brokenKey, 0, false, quote.StatusFailed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := at.get(tt.target)
			if rec.Code != http.StatusOK {
				t.Fatalf("GET %s = %d %s, want 200", tt.target, rec.Code, rec.Body)
			}
			got := decode[articleResponse](t, rec)
			if got.Key != tt.wantKey || got.ID != quote.ArticleID(tt.wantKey) || got.Status != tt.wantStatus {
				t.Errorf("GET %s = article %s (%s, %s), want %s (%s)", tt.target, got.ID, got.Key, got.Status, tt.wantKey, tt.wantStatus)
			}
			if len(got.Quotes) != tt.wantQuotes || got.QuoteCount != tt.wantQuotes {
				t.Errorf("GET %s: %d quotes, quote_count %d; want %d", tt.target, len(got.Quotes), got.QuoteCount, tt.wantQuotes)
			}
			if (got.Text != "") != tt.wantText {
				t.Errorf("GET %s: text present = %t, want %t", tt.target, got.Text != "", tt.wantText)
			}
			for i := 1; i < len(got.Quotes); i++ {
				if got.Quotes[i].Start < got.Quotes[i-1].Start {
					t.Errorf("GET %s: quotes not in text order", tt.target)
				}
			}
			if tt.wantText {
				for _, q := range got.Quotes {
					if got.Text[q.Start:q.End] != q.Text {
						t.Errorf("text[%d:%d] = %q, want the quote %q", q.Start, q.End, got.Text[q.Start:q.End], q.Text)
					}
				}
			}
		})
	}
	rec := at.get("/articles?key=" + url.QueryEscape(brokenKey))
	if got := decode[articleResponse](t, rec); got.Reason != "unsupported file type .pdf" {
		t.Errorf("failed upload reason = %q, want the stored reason", got.Reason)
	}
}

// A quote stored under a surname before anyone of that surname was known
// by full name is served under the full name once one is, wherever it is
// read: the article, a search, the quote itself.
func TestServedSpeakersAreCanonical(t *testing.T) {
	at := newAPITest(t, Options{})
	mrKerry := quote.Speaker{Name: "Kerry", Kind: quote.Person, Descriptor: "Mr.", Mention: "Mr. Kerry"}
	early, earlyQuotes := article("early.txt", "01", time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC),
		said{mrKerry, "Diplomacy takes time", []string{"Iran"}})
	at.put(early, earlyQuotes)
	at.seed() // John Kerry, by full name, and Kerry Washington, whom "Mr." rules out
	targets := []string{
		"/articles?key=early.txt",
		"/quotes?topic=Iran&q=diplomacy",
		"/quotes/" + earlyQuotes[0].ID,
	}
	for _, target := range targets {
		rec := at.get(target)
		if rec.Code != http.StatusOK {
			t.Fatalf("GET %s = %d %s", target, rec.Code, rec.Body)
		}
		var body struct {
			quote.Quote
			Quotes []quote.Quote `json:"quotes"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
			t.Fatal(err)
		}
		if len(body.Quotes) == 0 {
			body.Quotes = []quote.Quote{body.Quote}
		}
		sp := body.Quotes[0].Speaker
		if sp.ID != "john-kerry" || sp.Name != "John Kerry" || sp.Mention != "Mr. Kerry" {
			t.Errorf("GET %s: speaker %q (id %q, mention %q), want John Kerry (john-kerry, the article's own \"Mr. Kerry\")", target, sp.Name, sp.ID, sp.Mention)
		}
	}
}

func TestHealthzAndOpenAPI(t *testing.T) {
	at := newAPITest(t, Options{})
	rec := at.get("/healthz")
	if rec.Code != http.StatusOK || strings.TrimSpace(rec.Body.String()) != `{"status":"ok"}` {
		t.Errorf("GET /healthz = %d %s, want 200 {\"status\":\"ok\"}", rec.Code, rec.Body)
	}
	rec = at.get("/openapi.yaml")
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "application/yaml" || rec.Body.String() != openAPIDocument {
		t.Errorf("GET /openapi.yaml = %d %s, want 200 application/yaml with the embedded document", rec.Code, rec.Header().Get("Content-Type"))
	}
}

// TestOpenAPICoversEveryRoute keeps the document and the mux in step: each
// route the handler serves has an operation, and each operation a route.
func TestOpenAPICoversEveryRoute(t *testing.T) {
	spec := loadSpec(t)
	routes := []struct{ method, path string }{
		{"GET", "/healthz"}, {"GET", "/openapi.yaml"}, {"GET", "/quotes"}, {"POST", "/quotes/search"},
		{"GET", "/quotes/{id}"}, {"GET", "/speakers"}, {"GET", "/articles"}, {"GET", "/articles/{id}"},
		{"GET", "/speakers/{id}"}, {"GET", "/topics"}, {"POST", "/verify"}, {"GET", "/conflicts"},
	}
	operations := 0
	for _, item := range spec.doc.Paths.Map() {
		operations += len(item.Operations())
	}
	if operations != len(routes) {
		t.Errorf("openapi.yaml has %d operations, the handler %d routes", operations, len(routes))
	}
	for _, r := range routes {
		item := spec.doc.Paths.Find(r.path)
		if item == nil || item.GetOperation(r.method) == nil {
			t.Errorf("openapi.yaml has no operation for %s %s", r.method, r.path)
		}
	}
}

// TestQuoteWithConflictsExtendsQuote keeps the two schemas in step:
// OpenAPI 3.0 cannot extend a closed schema, so QuoteWithConflicts repeats
// Quote's properties.
func TestQuoteWithConflictsExtendsQuote(t *testing.T) {
	schemas := loadSpec(t).doc.Components.Schemas
	base, extended := schemas["Quote"].Value, schemas["QuoteWithConflicts"].Value
	for name, prop := range base.Properties {
		got, ok := extended.Properties[name]
		if !ok {
			t.Errorf("QuoteWithConflicts lacks Quote's property %q", name)
			continue
		}
		if got.Ref != prop.Ref || !reflect.DeepEqual(got.Value, prop.Value) {
			t.Errorf("QuoteWithConflicts.%s differs from Quote.%s", name, name)
		}
	}
	for name := range extended.Properties {
		if _, ok := base.Properties[name]; !ok && name != "conflict" && name != "conflicts" {
			t.Errorf("QuoteWithConflicts has %q, which Quote lacks", name)
		}
	}
	if want := append(slices.Clone(base.Required), "conflict", "conflicts"); !slices.Equal(extended.Required, want) {
		t.Errorf("QuoteWithConflicts requires %q, want %q", extended.Required, want)
	}
}

func TestClientErrors(t *testing.T) {
	at := newAPITest(t, Options{})
	at.seed()
	first := decode[quotesResponse](t, at.get("/quotes?speaker=john-kerry&limit=2"))
	if first.NextCursor == "" {
		t.Fatal("first page of John Kerry's quotes has no next_cursor")
	}
	tampered := []byte(first.NextCursor)
	tampered[0] ^= 1

	tests := []struct {
		name        string
		method      string
		target      string
		body        string
		header      http.Header
		wantStatus  int
		wantCode    string
		wantMessage string
	}{
		{"limit zero", "GET", "/quotes?q=iran&limit=0", "", nil, 400, "invalid", "limit must be an integer from 1 to 100"},
		{"limit too big", "GET", "/quotes?q=iran&limit=101", "", nil, 400, "invalid", "limit must be an integer from 1 to 100"},
		{"limit not a number", "GET", "/quotes?q=iran&limit=ten", "", nil, 400, "invalid", `got "ten"`},
		{"limit not an integer", "GET", "/quotes?q=iran&limit=2.5", "", nil, 400, "invalid", "limit must be an integer"},
		{"speakers limit", "GET", "/speakers?limit=-1", "", nil, 400, "invalid", "limit must be an integer"},
		{"bad date", "GET", "/quotes?q=iran&from=2015-13-01", "", nil, 400, "invalid", "from must be a date as YYYY-MM-DD"},
		{"date in another format", "GET", "/quotes?q=iran&to=12/05/2015", "", nil, 400, "invalid", "to must be a date as YYYY-MM-DD"},
		{"to before from", "GET", "/quotes?q=iran&from=2015-06-02&to=2015-06-01", "", nil, 400, "invalid", "is before from"},
		{"bad speaker kind", "GET", "/quotes?speaker_kind=robot", "", nil, 400, "invalid", "speaker_kind must be one of"},
		{"unknown parameter", "GET", "/quotes?q=iran&speker=kerry", "", nil, 400, "invalid", `unknown parameter "speker"`},
		{"unknown parameters named", "GET", "/quotes?q=iran&b=1&a=2", "", nil, 400, "invalid", `unknown parameter "a", "b"`},
		{"repeated parameter", "GET", "/quotes?q=iran&q=kerry", "", nil, 400, "invalid", "q given more than once"},
		{"malformed query string", "GET", "/quotes?q=%zz", "", nil, 400, "invalid", "malformed"},
		{"words without letters", "GET", "/quotes?q=%21%21%21", "", nil, 400, "invalid", "q must contain a letter or digit"},
		{"too many words", "GET", "/quotes?q=" + strings.Repeat("word+", 11), "", nil, 400, "invalid", "at most 10"},
		{"speaker without letters", "GET", "/quotes?speaker=--", "", nil, 400, "invalid", "speaker must contain a letter or digit"},
		{"speaker too long", "GET", "/quotes?speaker=" + strings.Repeat("a", 201), "", nil, 400, "invalid", "longer than 200"},
		{"tampered cursor", "GET", "/quotes?speaker=john-kerry&limit=2&cursor=" + url.QueryEscape(string(tampered)), "", nil, 400, "invalid", "cursor is not valid"},
		{"garbage cursor", "GET", "/quotes?speaker=john-kerry&cursor=garbage", "", nil, 400, "invalid", "cursor is not valid"},
		{"cursor of another search", "GET", "/quotes?topic=Iran&cursor=" + url.QueryEscape(first.NextCursor), "", nil, 400, "invalid", "cursor is not valid"},
		{"healthz takes no parameters", "GET", "/healthz?verbose=1", "", nil, 400, "invalid", "this route takes none"},
		{"search body route takes no parameters", "POST", "/quotes/search?q=iran", `{"q":"iran"}`, jsonHeader(), 400, "invalid", `unknown parameter "q"`},
		{"quote route takes no parameters", "GET", "/quotes/abc?x=1", "", nil, 400, "invalid", `unknown parameter "x"`},
		{"missing quote", "GET", "/quotes/abc", "", nil, 404, "not_found", ""},
		{"missing article", "GET", "/articles/abc", "", nil, 404, "not_found", ""},
		{"missing article key", "GET", "/articles?key=" + url.QueryEscape("no/such/key.txt"), "", nil, 404, "not_found", ""},
		{"article without key", "GET", "/articles", "", nil, 400, "invalid", "key is required"},
		{"bad include", "GET", "/articles/abc?include=html", "", nil, 400, "invalid", `include must be "text"`},
		{"unknown route", "GET", "/nope", "", nil, 404, "not_found", "no route for /nope"},
		{"unknown nested route", "GET", "/quotes/a/b", "", nil, 404, "not_found", "no route"},
		{"wrong method", "DELETE", "/quotes", "", nil, 405, "method_not_allowed", "DELETE"},
		{"post to a get route", "POST", "/healthz", "{}", jsonHeader(), 405, "method_not_allowed", "POST"},
		{"put to the search route", "PUT", "/quotes/search", "", nil, 405, "method_not_allowed", "PUT"},
		{"wrong content type", "POST", "/quotes/search", `{"q":"iran"}`, http.Header{"Content-Type": {"text/plain"}}, 415, "unsupported_media_type", "application/json"},
		{"no content type", "POST", "/quotes/search", `{"q":"iran"}`, nil, 415, "unsupported_media_type", "application/json"},
		{"oversized body", "POST", "/quotes/search", `{"q":"` + strings.Repeat("a", 70<<10) + `"}`, jsonHeader(), 413, "too_large", "64 KB"},
		{"oversized padding after the body", "POST", "/quotes/search", `{"q":"iran"}` + strings.Repeat(" ", 70<<10), jsonHeader(), 413, "too_large", "64 KB"},
		{"malformed body", "POST", "/quotes/search", `{"q":`, jsonHeader(), 400, "invalid", "malformed"},
		{"empty body", "POST", "/quotes/search", ``, jsonHeader(), 400, "invalid", "empty"},
		{"unknown field", "POST", "/quotes/search", `{"q":"iran","speker":"x"}`, jsonHeader(), 400, "invalid", "speker"},
		{"trailing data", "POST", "/quotes/search", `{"q":"iran"} {}`, jsonHeader(), 400, "invalid", "trailing data"},
		{"body limit", "POST", "/quotes/search", `{"q":"iran","limit":500}`, jsonHeader(), 400, "invalid", "limit must be"},
		{"body field of the wrong type", "POST", "/quotes/search", `{"q":"iran","limit":"5"}`, jsonHeader(), 400, "invalid", "limit must be an integer"},
		{"body text field of the wrong type", "POST", "/quotes/search", `{"speaker":7}`, jsonHeader(), 400, "invalid", "speaker must be a string"},
		{"limit with a plus sign", "GET", "/quotes?q=iran&limit=%2B5", "", nil, 400, "invalid", `got "+5"`},
		{"limit with a space", "GET", "/quotes?q=iran&limit=5%20", "", nil, 400, "invalid", "limit must be an integer"},
		{"NUL in speaker", "GET", "/quotes?speaker=kerry%00", "", nil, 400, "invalid", "speaker contains a control character"},
		{"escape in q", "GET", "/quotes?q=iran%1B%5B2J", "", nil, 400, "invalid", "q contains a control character"},
		{"NUL in a body speaker", "POST", "/quotes/search", `{"speaker":"kerry\u0000"}`, jsonHeader(), 400, "invalid", "speaker contains a control character"},
		{"invalid UTF-8 in the body", "POST", "/quotes/search", "{\"q\":\"ir\xffan\"}", jsonHeader(), 400, "invalid", "not valid UTF-8"},
		{"invalid UTF-8 in a verify body", "POST", "/verify", "{\"quote\":\"we \xc3 will\"}", jsonHeader(), 400, "invalid", "not valid UTF-8"},
		{"array body", "POST", "/quotes/search", `[]`, jsonHeader(), 400, "invalid", "the request body must be a JSON object, got array"},
		{"string body", "POST", "/verify", `"we will"`, jsonHeader(), 400, "invalid", "the request body must be a JSON object, got string"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := at.do(tt.method, tt.target, strings.NewReader(tt.body), tt.header)
			if rec.Code != tt.wantStatus {
				t.Fatalf("%s %s = %d %s, want %d", tt.method, tt.target, rec.Code, rec.Body, tt.wantStatus)
			}
			if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type = %q, want application/json", ct)
			}
			got := errorOf(t, rec)
			if got.Code != tt.wantCode || !strings.Contains(got.Message, tt.wantMessage) {
				t.Errorf("%s %s error = %+v, want code %q and a message with %q", tt.method, tt.target, got, tt.wantCode, tt.wantMessage)
			}
			if tt.wantStatus == http.StatusMethodNotAllowed && rec.Header().Get("Allow") == "" {
				t.Errorf("405 without an Allow header")
			}
		})
	}
}

func TestAllowHeader(t *testing.T) {
	at := newAPITest(t, Options{})
	for _, tt := range []struct{ method, target, want string }{
		{"DELETE", "/quotes", "GET, HEAD"},
		{"PUT", "/quotes/search", "GET, HEAD, POST"},
	} {
		rec := at.do(tt.method, tt.target, nil, nil)
		if got := rec.Header().Get("Allow"); got != tt.want {
			t.Errorf("%s %s: Allow = %q, want %q", tt.method, tt.target, got, tt.want)
		}
	}
}

// TestUncleanPathsRedirect keeps ServeMux's redirect of unclean paths to
// their clean form, query included, rather than a 404.
func TestUncleanPathsRedirect(t *testing.T) {
	at := newAPITest(t, Options{})
	for _, tt := range []struct{ target, want string }{
		{"//quotes?q=iran", "/quotes?q=iran"},
		{"/quotes/../healthz", "/healthz"},
	} {
		rec := at.get(tt.target)
		if rec.Code != http.StatusTemporaryRedirect || rec.Header().Get("Location") != tt.want {
			t.Errorf("GET %s = %d to %q, want 307 to %q", tt.target, rec.Code, rec.Header().Get("Location"), tt.want)
		}
	}
}

// TestSpeakersLeaveOutUnknown stores more unattributed quotes than any
// speaker has: they are not listed as a speaker, even as the most quoted,
// and stay reachable by speaker_kind=unknown.
func TestSpeakersLeaveOutUnknown(t *testing.T) {
	at := newAPITest(t, Options{})
	at.seed()
	nobody := quote.Speaker{Kind: quote.Unknown, Mention: "it"}
	var quotes []said
	for i := range 7 {
		quotes = append(quotes, said{nobody, fmt.Sprintf("Unattributed words number %d", i), nil})
	}
	at.put(article("2016/04/04/unattributed.txt", "01", time.Date(2016, 4, 4, 12, 0, 0, 0, time.UTC), quotes...))

	for _, query := range []string{"", "?limit=1", "?limit=6", "?q=u"} {
		rec := at.get("/speakers" + query)
		got := decode[speakersResponse](t, rec).Speakers
		for _, s := range got {
			if s.Kind == quote.Unknown || s.Name == "" {
				t.Errorf("GET /speakers%s lists %+v, want named speakers only", query, s)
			}
		}
		if query == "?limit=1" && (len(got) != 1 || got[0].ID != "john-kerry") {
			t.Errorf("GET /speakers?limit=1 = %+v, want John Kerry alone", got)
		}
		if query == "?limit=6" && len(got) != 6 {
			t.Errorf("GET /speakers?limit=6 = %d speakers, want all 6 named ones", len(got))
		}
	}
	rec := at.get("/quotes?speaker_kind=unknown&limit=100")
	if got := decode[quotesResponse](t, rec).Quotes; len(got) != 7 {
		t.Errorf("GET /quotes?speaker_kind=unknown = %d quotes, want the 7 unattributed", len(got))
	}
}

// TestQuotesUnfilteredPagesThroughEverything lists every stored quote,
// newest first, with no filter, by GET and POST, page by page; with dates
// it lists those within them.
func TestQuotesUnfilteredPagesThroughEverything(t *testing.T) {
	at := newAPITest(t, Options{})
	at.seed()
	var want []string
	for _, key := range []string{filmKey, kyivKey, iranKey, sochiKey} {
		qs, err := at.store.ArticleQuotes(context.Background(), quote.ArticleID(key))
		if err != nil {
			t.Fatal(err)
		}
		slices.SortFunc(qs, func(a, b quote.Quote) int { return strings.Compare(b.ID, a.ID) })
		want = append(want, quoteTexts(qs)...)
	}
	for _, tt := range []struct{ method, target, body string }{
		{"GET", "/quotes?limit=3", ""},
		{"POST", "/quotes/search", `{"limit":3}`},
	} {
		var got []string
		cursor := ""
		for pages := 0; pages <= len(want); pages++ {
			var rec *httptest.ResponseRecorder
			if tt.method == "GET" {
				rec = at.get(tt.target + "&cursor=" + url.QueryEscape(cursor))
			} else {
				rec = at.do("POST", tt.target, strings.NewReader(strings.Replace(tt.body, "}", `,"cursor":"`+cursor+`"}`, 1)), jsonHeader())
			}
			if rec.Code != http.StatusOK {
				t.Fatalf("%s %s = %d %s", tt.method, tt.target, rec.Code, rec.Body)
			}
			page := decode[quotesResponse](t, rec)
			got = append(got, quoteTexts(page.Quotes)...)
			if cursor = page.NextCursor; cursor == "" {
				break
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s %s pages gave\n%q\nwant\n%q", tt.method, tt.target, got, want)
		}
	}
	rec := at.get("/quotes?from=2016-01-01&to=2016-01-31")
	if got := quoteTexts(decode[quotesResponse](t, rec).Quotes); !slices.Equal(got, []string{"Ukraine will not give up its land"}) {
		t.Errorf("GET /quotes within January 2016 = %q, want Zelenskyy's quote", got)
	}
}

func TestClientGoneIsNoServerError(t *testing.T) {
	at := newAPITest(t, Options{})
	at.seed()
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	req := httptest.NewRequestWithContext(ctx, http.MethodGet, "/quotes?speaker=john-kerry", nil)
	rec := httptest.NewRecorder()
	at.handler.ServeHTTP(rec, req)
	if rec.Code != StatusClientClosedRequest {
		t.Errorf("status = %d, want %d for a request its client abandoned", rec.Code, StatusClientClosedRequest)
	}
	if logs := at.logs.String(); strings.Contains(logs, `"level":"ERROR"`) || !strings.Contains(logs, "abandoned by the client") {
		t.Errorf("logs = %s\nwant the abandoned request logged, and no ERROR", logs)
	}
}

func TestDeclaredHugeBodyIsRefusedWithoutWaiting(t *testing.T) {
	at := newAPITest(t, Options{})
	srv := httptest.NewServer(at.handler)
	t.Cleanup(srv.Close)
	for _, path := range []string{"/verify", "/quotes/search"} {
		conn, err := net.Dial("tcp", srv.Listener.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		// A deadline so that a server waiting for the body fails the test
		// instead of hanging it.
		if err := conn.SetDeadline(time.Now().Add(30 * time.Second)); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: example\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n", path, 100<<20)
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Fatalf("POST %s declaring 100 MB and sending nothing: %v", path, err)
		}
		resp.Body.Close()
		conn.Close()
		if resp.StatusCode != http.StatusRequestEntityTooLarge {
			t.Errorf("POST %s declaring 100 MB = %d, want 413", path, resp.StatusCode)
		}
	}
}

// TestArticleQuotesPaged: with limit, an article's quotes come a page at
// a time, every one once, in text order; a cursor of an upload replaced
// since is refused, so pages never mix two uploads.
func TestArticleQuotesPaged(t *testing.T) {
	at := newAPITest(t, Options{})
	at.seed()
	base := "/articles/" + quote.ArticleID(sochiKey)
	all := decode[articleResponse](t, at.get(base)).Quotes
	if len(all) != 5 {
		t.Fatalf("unpaged: %d quotes, want 5", len(all))
	}
	var paged []string
	cursor := ""
	for page := 0; page < 5; page++ {
		target := base + "?limit=2"
		if cursor != "" {
			target += "&cursor=" + url.QueryEscape(cursor)
		}
		rec := at.get(target)
		if rec.Code != http.StatusOK {
			t.Fatalf("GET %s = %d %s", target, rec.Code, rec.Body)
		}
		got := decode[articleResponse](t, rec)
		for _, q := range got.Quotes {
			paged = append(paged, q.ID)
		}
		if cursor = got.NextCursor; cursor == "" {
			break
		}
	}
	var want []string
	for _, q := range all {
		want = append(want, q.ID)
	}
	if !slices.Equal(paged, want) {
		t.Errorf("paged quotes = %q, want %q", paged, want)
	}

	first := decode[articleResponse](t, at.get(base+"?limit=2"))
	a, qs, err := at.store.ArticleWithQuotes(t.Context(), quote.ArticleID(sochiKey), true)
	if err != nil {
		t.Fatal(err)
	}
	a.Version = quote.NextRevision(a.Version)
	if err := at.store.PutArticle(t.Context(), a, qs); err != nil {
		t.Fatal(err)
	}
	if first.NextCursor == "" {
		t.Fatal("the first page of 2 of 5 quotes has no next_cursor")
	}
	for _, bad := range []string{first.NextCursor, "garbage"} {
		rec := at.get(base + "?limit=2&cursor=" + url.QueryEscape(bad))
		if rec.Code != http.StatusBadRequest || errorOf(t, rec).Code != "invalid" {
			t.Errorf("cursor %q after a re-upload = %d %s, want 400 invalid", bad, rec.Code, rec.Body)
		}
	}
}

// TestReadsCarryETags: a successful read carries an ETag and
// Cache-Control; asked again with that ETag it is a bodyless 304, and with
// another, or after the data changed, the full answer. Writes, searches by
// POST and /healthz carry none.
func TestReadsCarryETags(t *testing.T) {
	at := newAPITest(t, Options{})
	at.seed()
	first := at.get("/quotes?speaker=john-kerry")
	etag := first.Header().Get("ETag")
	if first.Code != http.StatusOK || etag == "" || first.Header().Get("Cache-Control") != "max-age=60" {
		t.Fatalf("GET = %d, ETag %q, Cache-Control %q; want 200 with both", first.Code, etag, first.Header().Get("Cache-Control"))
	}
	tests := []struct {
		name        string
		ifNoneMatch string
		want        int
	}{
		{"same version", etag, http.StatusNotModified},
		{"weak form", "W/" + etag, http.StatusNotModified},
		{"among others", `"stale", ` + etag, http.StatusNotModified},
		{"any", "*", http.StatusNotModified},
		{"another version", `"stale"`, http.StatusOK},
	}
	for _, tt := range tests {
		rec := at.do("GET", "/quotes?speaker=john-kerry", nil, http.Header{"If-None-Match": {tt.ifNoneMatch}})
		if rec.Code != tt.want {
			t.Errorf("%s: GET with If-None-Match %s = %d, want %d", tt.name, tt.ifNoneMatch, rec.Code, tt.want)
		}
		if tt.want == http.StatusNotModified && (rec.Body.Len() != 0 || rec.Header().Get("ETag") != etag) {
			t.Errorf("%s: 304 with body %q and ETag %q, want no body and %q", tt.name, rec.Body, rec.Header().Get("ETag"), etag)
		}
	}

	at.put(article("2016/05/05/kerry-again.txt", "01", time.Date(2016, 5, 5, 9, 0, 0, 0, time.UTC),
		said{kerry, "The talks will resume in Vienna", nil}))
	if rec := at.do("GET", "/quotes?speaker=john-kerry", nil, http.Header{"If-None-Match": {etag}}); rec.Code != http.StatusOK || rec.Header().Get("ETag") == etag {
		t.Errorf("after a new quote: GET = %d with ETag %q, want 200 with a new ETag", rec.Code, rec.Header().Get("ETag"))
	}

	for _, rec := range []*httptest.ResponseRecorder{
		at.do("POST", "/quotes/search", strings.NewReader(`{"speaker":"john-kerry"}`), jsonHeader()),
		at.get("/quotes?speaker=nobody%00"),
	} {
		if rec.Header().Get("ETag") != "" {
			t.Errorf("answer %d carries ETag %q; only successful reads do", rec.Code, rec.Header().Get("ETag"))
		}
	}
	if rec := at.get("/healthz"); rec.Header().Get("ETag") != "" || rec.Header().Get("Cache-Control") != "no-store" {
		t.Errorf("/healthz: ETag %q, Cache-Control %q; want none and no-store", rec.Header().Get("ETag"), rec.Header().Get("Cache-Control"))
	}
}

// TestAnonymousSourcesAreOnePerArticle: the same description in two
// articles is two sources, served under ids of their own; a search by the
// description finds both, and one by a source's id finds only its quotes.
func TestAnonymousSourcesAreOnePerArticle(t *testing.T) {
	at := newAPITest(t, Options{})
	at.seed() // the Sochi article quotes a senior US official
	const otherKey = "2015/05/20/leak.txt"
	at.put(article(otherKey, "01", time.Date(2015, 5, 20, 9, 0, 0, 0, time.UTC),
		said{official, "The sanctions will stay", []string{"Russia"}},
		said{kerry, "We are not there yet, but close", nil}))
	sochiSource := quote.SourceID("anon-us-official", quote.ArticleID(sochiKey))
	otherSource := quote.SourceID("anon-us-official", quote.ArticleID(otherKey))

	ids := func(target string) map[string]string {
		t.Helper()
		rec := at.get(target)
		if rec.Code != http.StatusOK {
			t.Fatalf("GET %s = %d %s", target, rec.Code, rec.Body)
		}
		got := map[string]string{}
		for _, q := range decode[quotesResponse](t, rec).Quotes {
			got[q.Text] = q.Speaker.ID
		}
		return got
	}
	tests := []struct {
		target string
		want   map[string]string
	}{
		{"/quotes?speaker=anon-us-official", map[string]string{
			"Nobody expected a breakthrough": sochiSource, "The sanctions will stay": otherSource}},
		{"/quotes?speaker=" + url.QueryEscape(otherSource), map[string]string{"The sanctions will stay": otherSource}},
		{"/quotes?speaker=" + url.QueryEscape(sochiSource) + "&topic=Russia", map[string]string{"Nobody expected a breakthrough": sochiSource}},
		{"/quotes?speaker=" + url.QueryEscape(sochiSource) + "&q=sanctions", map[string]string{}},
		{"/quotes?speaker=" + url.QueryEscape(quote.SourceID("anon-us-official", "nosucharticle")), map[string]string{}},
	}
	for _, tt := range tests {
		if got := ids(tt.target); !maps.Equal(got, tt.want) {
			t.Errorf("GET %s = %v, want %v", tt.target, got, tt.want)
		}
	}
	rec := at.get("/articles?key=" + url.QueryEscape(otherKey))
	if got := decode[articleResponse](t, rec).Quotes[0].Speaker.ID; got != otherSource {
		t.Errorf("article's source id = %q, want %q", got, otherSource)
	}
	rec = at.get("/speakers/" + url.PathEscape(otherSource))
	if got := decode[store.SpeakerRecord](t, rec); rec.Code != http.StatusOK || got.ID != "anon-us-official" || got.QuoteCount != 2 {
		t.Errorf("GET /speakers/%s = %d %+v, want the description's record with both quotes", otherSource, rec.Code, got)
	}
}
