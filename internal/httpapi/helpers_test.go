package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"github.com/newsroom-tools/quotes/internal/quote"
	"github.com/newsroom-tools/quotes/internal/store/bolt"
)

// syncBuffer collects log output; the race detector would object to a
// bare bytes.Buffer if a handler ever logged from another goroutine.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// apiTest is the API over a real embedded store, with the log it writes
// and the OpenAPI document every response is checked against.
type apiTest struct {
	t       testing.TB
	store   *bolt.DB
	handler http.Handler
	logs    *syncBuffer
	spec    *openAPISpec
}

func newAPITest(t testing.TB, opts Options) *apiTest {
	t.Helper()
	db, err := bolt.Open(filepath.Join(t.TempDir(), "quotes.db"), bolt.Options{})
	if err != nil {
		t.Fatalf("bolt.Open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	logs := &syncBuffer{}
	opts.Logger = slog.New(slog.NewJSONHandler(logs, nil))
	return &apiTest{t: t, store: db, handler: New(db, opts), logs: logs, spec: loadSpec(t)}
}

// do sends one request through the handler and checks the response
// against the OpenAPI document before returning it.
func (at *apiTest) do(method, target string, body io.Reader, header http.Header) *httptest.ResponseRecorder {
	at.t.Helper()
	req := httptest.NewRequest(method, target, body)
	for name, values := range header {
		req.Header[name] = values
	}
	rec := httptest.NewRecorder()
	at.handler.ServeHTTP(rec, req)
	at.spec.check(at.t, req, rec.Code, rec.Header(), rec.Body.Bytes())
	return rec
}

func (at *apiTest) get(target string) *httptest.ResponseRecorder {
	at.t.Helper()
	return at.do(http.MethodGet, target, nil, nil)
}

// openAPISpec is the embedded OpenAPI document, loaded and validated, with
// a router to find the operation a request addresses.
type openAPISpec struct {
	doc    *openapi3.T
	router routers.Router
}

func loadSpec(t testing.TB) *openAPISpec {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData([]byte(openAPIDocument))
	if err != nil {
		t.Fatalf("load openapi.yaml: %v", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("openapi.yaml is not a valid OpenAPI document: %v", err)
	}
	router, err := legacy.NewRouter(doc)
	if err != nil {
		t.Fatalf("openapi router: %v", err)
	}
	return &openAPISpec{doc: doc, router: router}
}

// check fails the test when a response does not match what the document
// says the request's operation answers. Responses to requests the
// document has no operation for (unknown routes, wrong methods) must still
// be Error objects, unless they redirect to a clean path.
func (s *openAPISpec) check(t testing.TB, req *http.Request, status int, header http.Header, body []byte) {
	t.Helper()
	route, pathParams, err := s.router.FindRoute(req)
	if err != nil {
		if status == http.StatusTemporaryRedirect || status == http.StatusPermanentRedirect {
			// ServeMux sending an unclean path ("//quotes") to its clean form.
			if header.Get("Location") == "" {
				t.Fatalf("%s %s: redirect without a Location", req.Method, req.URL)
			}
			return
		}
		if status != http.StatusNotFound && status != http.StatusMethodNotAllowed {
			t.Fatalf("%s %s: no operation in openapi.yaml (%v), yet status %d", req.Method, req.URL, err, status)
		}
		var v any
		if err := json.Unmarshal(body, &v); err != nil {
			t.Fatalf("%s %s: body is not JSON: %v\n%s", req.Method, req.URL, err, body)
		}
		if err := s.doc.Components.Schemas["Error"].Value.VisitJSON(v); err != nil {
			t.Fatalf("%s %s: body does not match the Error schema: %v\n%s", req.Method, req.URL, err, body)
		}
		return
	}
	input := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{
			Request: req, PathParams: pathParams, Route: route,
		},
		Status: status,
		Header: header,
		Body:   io.NopCloser(bytes.NewReader(body)),
		Options: &openapi3filter.Options{
			IncludeResponseStatus: true,
			MultiError:            true,
		},
	}
	if err := openapi3filter.ValidateResponse(context.Background(), input); err != nil {
		t.Fatalf("%s %s: response %d does not match openapi.yaml: %v\n%s", req.Method, req.URL, status, err, body)
	}
}

// decode unmarshals a JSON response body, failing the test if it is not.
func decode[T any](t *testing.T, rec *httptest.ResponseRecorder) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
		t.Fatalf("response is not the JSON expected: %v\n%s", err, rec.Body)
	}
	return v
}

// Fixture speakers.
var (
	kerry = quote.Speaker{Name: "John Kerry", Kind: quote.Person,
		Descriptor: "U.S. Secretary of State", Mention: "Kerry"}
	kerryWashington = quote.Speaker{Name: "Kerry Washington", Kind: quote.Person, Mention: "Washington"}
	lavrov          = quote.Speaker{Name: "Sergei Lavrov", Kind: quote.Person, Mention: "Lavrov"}
	official        = quote.Speaker{Name: "a senior US official", Kind: quote.Anonymous,
		Descriptor:  "a senior US official who spoke on condition of anonymity",
		Affiliation: "US", Role: "official", Mention: "the official"}
	ministry = quote.Speaker{Name: "Russia's foreign ministry", Kind: quote.Organization,
		Mention: "Russia's foreign ministry"}
	zelensky = quote.Speaker{Name: "Volodymyr Zelénskyy", Kind: quote.Person, Mention: "Zelénskyy"}
)

type said struct {
	speaker quote.Speaker
	text    string
	topics  []string
}

// article builds an extracted article as ingest would: ids, refs, dates,
// offsets and evidence filled in.
func article(key, version string, published time.Time, quotes ...said) (quote.Article, []quote.Quote) {
	a := quote.Article{
		ID: quote.ArticleID(key), Key: key, Version: version,
		Title: "Title of " + key, URL: "https://news.example/" + key, Outlet: "Wire",
		Published: published, UploadedAt: published.Add(time.Hour),
		Status: quote.StatusExtracted, QuoteCount: len(quotes),
	}
	var qs []quote.Quote
	seen := map[string]int{}
	for _, s := range quotes {
		a.Text += "“"
		start := len(a.Text)
		a.Text += s.text + "” said " + s.speaker.Mention + ". "
		sp := s.speaker
		sp.ID = quote.SpeakerID(sp)
		cueStart := start + len(s.text) + len("” ")
		mentionStart := cueStart + len("said ")
		qs = append(qs, quote.Quote{
			ID:      quote.QuoteID(a.ID, s.text, seen[s.text]),
			Article: a.Ref(), Text: s.text, Start: start, End: start + len(s.text),
			Speaker: sp, Topics: s.topics, Date: a.Date(),
			Evidence: quote.Evidence{Rule: "quote-said-name", Confidence: 0.9,
				Cue:     &quote.Span{Text: "said", Start: cueStart, End: cueStart + len("said")},
				Mention: &quote.Span{Text: s.speaker.Mention, Start: mentionStart, End: mentionStart + len(s.speaker.Mention)}},
			Context: "“" + s.text + "” said " + s.speaker.Mention + ".",
		})
		seen[s.text]++
	}
	return a, qs
}

func (at *apiTest) put(a quote.Article, qs []quote.Quote) {
	at.t.Helper()
	if err := at.store.PutArticle(context.Background(), a, qs); err != nil {
		at.t.Fatalf("PutArticle(%s): %v", a.Key, err)
	}
}

// Keys of the seeded articles.
const (
	sochiKey  = "2015/05/12/kerry-sochi.txt"
	iranKey   = "2015/06/01/kerry-iran.txt"
	kyivKey   = "2016/01/10/zelenskyy.txt"
	filmKey   = "2016/02/02/film.txt"
	brokenKey = "2016/03/03/broken.pdf"
)

// seed stores a handful of articles: John Kerry quoted five times across
// two articles, Kerry Washington once (so "kerry" is ambiguous and the most
// quoted wins), an anonymous source, an organisation, a name with a
// diacritic, and a failed upload.
func (at *apiTest) seed() {
	at.t.Helper()
	at.put(article(sochiKey, "01", time.Date(2015, 5, 12, 15, 30, 0, 0, time.UTC),
		said{kerry, "We had a frank and open discussion in Sochi", []string{"Russia"}},
		said{kerry, "Russia's support for Assad must end", []string{"Russia", "Syria"}},
		said{lavrov, "We agreed to continue the dialogue", []string{"Russia"}},
		said{official, "Nobody expected a breakthrough", []string{"Russia"}},
		said{kerry, "The ceasefire in Ukraine must hold", []string{"Ukraine"}},
	))
	at.put(article(iranKey, "01", time.Date(2015, 6, 1, 9, 0, 0, 0, time.UTC),
		said{kerry, "A deal with Iran is within reach", []string{"Iran"}},
		said{kerry, "We are not there yet", []string{"Iran"}},
		said{ministry, "The sanctions are counterproductive", []string{"Iran", "Russia"}},
	))
	at.put(article(kyivKey, "01", time.Date(2016, 1, 10, 12, 0, 0, 0, time.UTC),
		said{zelensky, "Ukraine will not give up its land", []string{"Ukraine"}},
	))
	at.put(article(filmKey, "01", time.Date(2016, 2, 2, 12, 0, 0, 0, time.UTC),
		said{kerryWashington, "Acting is a conversation", nil},
	))
	at.put(quote.Article{
		ID: quote.ArticleID(brokenKey), Key: brokenKey, Version: "01",
		UploadedAt: time.Date(2016, 3, 3, 8, 0, 0, 0, time.UTC),
		Status:     quote.StatusFailed, Reason: "unsupported file type .pdf",
	}, nil)
}

// quoteTexts lists the texts of qs, in order.
func quoteTexts(qs []quote.Quote) []string {
	out := make([]string, len(qs))
	for i, q := range qs {
		out[i] = q.Text
	}
	return out
}

// jsonHeader is the header of a JSON request body.
func jsonHeader() http.Header { return http.Header{"Content-Type": {"application/json"}} }

// errorOf decodes an error response.
func errorOf(t *testing.T, rec *httptest.ResponseRecorder) errorDetail {
	t.Helper()
	return decode[errorBody](t, rec).Error
}
