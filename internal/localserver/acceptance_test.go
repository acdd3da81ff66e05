package localserver_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/newsroom-tools/quotes/internal/awstest"
	"github.com/newsroom-tools/quotes/internal/localserver"
	"github.com/newsroom-tools/quotes/internal/quote"
)

var servers *awstest.Servers

func TestMain(m *testing.M) { os.Exit(awstest.RunTests(m, &servers)) }

// backends are the two ways the service runs: on the embedded store with a
// folder bucket, and on DynamoDB with an S3 bucket (dynalite and s3rver).
func backends(t *testing.T) map[string]func(t *testing.T) localserver.Config {
	return map[string]func(t *testing.T) localserver.Config{
		"embedded": func(t *testing.T) localserver.Config {
			return localserver.Config{Data: t.TempDir(), Bucket: "articles"}
		},
		"dynamodb and s3": func(t *testing.T) localserver.Config {
			name := strings.ToLower(strings.NewReplacer("/", "-", " ", "-").Replace(t.Name()))
			if err := servers.CreateTable(t.Context(), name); err != nil {
				t.Fatal(err)
			}
			if err := servers.CreateBucket(t.Context(), name); err != nil {
				t.Fatal(err)
			}
			servers.SetEnv(t)
			return localserver.Config{
				Data: t.TempDir(), Bucket: name, Table: name, CursorKey: "0123456789abcdef0123456789abcdef",
				DynamoEndpoint: servers.DynamoDBEndpoint(), S3Endpoint: servers.S3Endpoint(),
			}
		},
	}
}

type client struct {
	t   *testing.T
	url string
}

func (c client) call(method, path string, body any, into any) int {
	c.t.Helper()
	var r *bytes.Reader
	switch b := body.(type) {
	case nil:
		r = bytes.NewReader(nil)
	case []byte:
		r = bytes.NewReader(b)
	default:
		data, _ := json.Marshal(b)
		r = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, c.url+path, r)
	if err != nil {
		c.t.Fatal(err)
	}
	if _, isJSON := body.(map[string]string); isJSON {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(into); err != nil {
		c.t.Fatalf("%s %s: status %d, body not JSON: %v", method, path, resp.StatusCode, err)
	}
	return resp.StatusCode
}

type quotesPage struct {
	Quotes []quote.Quote `json:"quotes"`
}

func (c client) quotes(query string) []quote.Quote {
	c.t.Helper()
	var page quotesPage
	if status := c.call(http.MethodGet, "/quotes?limit=100&"+query, nil, &page); status != http.StatusOK {
		c.t.Fatalf("GET /quotes?%s: status %d", query, status)
	}
	return page.Quotes
}

type verdict struct {
	Verdict string `json:"verdict"`
	Matches []struct {
		Speaker quote.Speaker    `json:"speaker"`
		Article quote.ArticleRef `json:"article"`
		Diff    []diffOp         `json:"diff"`
	} `json:"matches"`
}

type diffOp struct {
	Op      string `json:"op"`
	Claimed string `json:"claimed"`
	Actual  string `json:"actual"`
}

const (
	merkel      = "The criminal and illegal annexation of Crimea and the warfare in eastern Ukraine has led to a serious setback for this cooperation"
	stoltenberg = "more loss of life, a rise in ceasefire violence, obstruction of the monitors, and continued Russian support for separatists in eastern Ukraine"
	merkelsKey  = "seeds/000_f85e6ee46aa384b4.txt"
)

// TestSeedAcceptance is what a fact-checker does with the five seed
// articles, on each backend.
func TestSeedAcceptance(t *testing.T) {
	for name, config := range backends(t) {
		t.Run(name, func(t *testing.T) {
			service, err := localserver.Open(t.Context(), config(t))
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			t.Cleanup(service.Close)
			srv := httptest.NewServer(service.Handler)
			t.Cleanup(srv.Close)
			c := client{t: t, url: srv.URL}

			files, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "seeds", "*.txt"))
			if len(files) != 5 {
				t.Fatalf("want the 5 seed articles in testdata/seeds, found %d", len(files))
			}
			for _, f := range files {
				body, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				var a quote.Article
				if status := c.call(http.MethodPut, "/bucket/seeds/"+filepath.Base(f), body, &a); status != http.StatusOK || a.Status != quote.StatusExtracted {
					t.Fatalf("PUT %s: status %d, article %+v", f, status, a)
				}
			}

			t.Run("speaker=kerry gives John Kerry's quotes across articles", func(t *testing.T) {
				got := c.quotes("speaker=kerry")
				articles := map[string]bool{}
				for _, q := range got {
					if q.Speaker.Name != "John Kerry" {
						t.Errorf("speaker=kerry returned %q by %q", q.Text, q.Speaker.Name)
					}
					articles[q.Article.ID] = true
				}
				if len(articles) < 2 {
					t.Errorf("speaker=kerry found quotes in %d articles, want at least 2", len(articles))
				}
			})
			t.Run("speaker_kind=anonymous gives the anonymous officials", func(t *testing.T) {
				got := c.quotes("speaker_kind=anonymous")
				var descriptors []string
				for _, q := range got {
					if q.Speaker.Kind != quote.Anonymous || q.Speaker.Descriptor == "" {
						t.Errorf("speaker_kind=anonymous returned %q by %+v", q.Text, q.Speaker)
					}
					descriptors = append(descriptors, q.Speaker.Descriptor)
				}
				if !slices.Contains(descriptors, "one US intelligence official who spoke on condition of anonymity") || len(got) < 8 {
					t.Errorf("anonymous quotes: %d, descriptors %q; want the intelligence official's among at least 8", len(got), descriptors)
				}
				for _, q := range c.quotes("speaker_kind=anonymous&topic=syria") {
					if q.Speaker.Kind != quote.Anonymous || !slices.Contains(q.Topics, "Syria") {
						t.Errorf("anonymous on Syria returned %q by %+v with topics %q", q.Text, q.Speaker, q.Topics)
					}
				}
			})
			for _, topic := range []string{"Syria", "Ukraine"} {
				t.Run("topic="+topic, func(t *testing.T) {
					got := c.quotes("topic=" + strings.ToLower(topic))
					if len(got) < 3 {
						t.Errorf("topic=%s gave %d quotes, want a sensible set", topic, len(got))
					}
					for _, q := range got {
						if !slices.Contains(q.Topics, topic) {
							t.Errorf("topic=%s returned %q tagged %q", topic, q.Text, q.Topics)
						}
					}
				})
			}

			verifyTests := []struct {
				name, quote, speaker, want, wantSpeaker, wantKey string
			}{
				{"a seed quote with one word changed", strings.Replace(merkel, "serious", "grave", 1), "", "wording_differs", "Angela Merkel", merkelsKey},
				{"Stoltenberg's words claimed for Putin", stoltenberg, "Vladimir Putin", "different_speaker", "Jens Stoltenberg", merkelsKey},
				{"an exact quote with its speaker", merkel, "Merkel", "confirmed", "Angela Merkel", merkelsKey},
				{"words nobody said", "Purple elephants will dance on the frozen moon every Tuesday", "", "not_found", "", ""},
			}
			for _, tt := range verifyTests {
				t.Run("verify "+tt.name, func(t *testing.T) {
					var got verdict
					status := c.call(http.MethodPost, "/verify", map[string]string{"quote": tt.quote, "speaker": tt.speaker}, &got)
					if status != http.StatusOK || got.Verdict != tt.want {
						t.Fatalf("POST /verify: status %d, verdict %q; want %q", status, got.Verdict, tt.want)
					}
					if tt.wantSpeaker == "" {
						return
					}
					best := got.Matches[0]
					if best.Speaker.Name != tt.wantSpeaker || best.Article.Key != tt.wantKey {
						t.Errorf("best match by %q in %q, want %q in %q", best.Speaker.Name, best.Article.Key, tt.wantSpeaker, tt.wantKey)
					}
					changed := diffOp{Op: "replaced", Claimed: "grave", Actual: "serious"}
					if tt.want == "wording_differs" && !slices.Contains(best.Diff, changed) {
						t.Errorf("diff %+v does not show grave replacing serious", best.Diff)
					}
				})
			}

			t.Run("a speaker's record", func(t *testing.T) {
				var rec struct {
					Name    string   `json:"name"`
					Aliases []string `json:"aliases"`
					Count   int      `json:"quote_count"`
				}
				if status := c.call(http.MethodGet, "/speakers/john-kerry", nil, &rec); status != http.StatusOK || rec.Name != "John Kerry" || rec.Count < 2 {
					t.Errorf("GET /speakers/john-kerry: status %d, %+v", status, rec)
				}
			})
		})
	}
}
