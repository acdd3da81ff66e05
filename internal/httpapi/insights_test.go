package httpapi

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newsroom-tools/quotes/internal/quote"
	"github.com/newsroom-tools/quotes/internal/store"
	"github.com/newsroom-tools/quotes/internal/verify"
)

// Fixture speakers beyond seed's.
var (
	stoltenberg = quote.Speaker{Name: "Jens Stoltenberg", Kind: quote.Person,
		Descriptor: "NATO Secretary General", Mention: "Stoltenberg"}
	kerryAsSecretary = quote.Speaker{Name: "John Kerry", Kind: quote.Person,
		Descriptor: "Secretary of State", Mention: "Secretary Kerry"}
)

// Keys of the articles seedFactChecks adds.
const (
	natoKey = "2016/04/05/nato.txt"
	leakKey = "2016/05/06/leak.txt"
)

// Texts that recur under other speakers.
const (
	allianceText  = "The alliance stands united with Ukraine"
	dialogueText  = "We agreed to continue the dialogue"
	ceasefireText = "The ceasefire in Ukraine must hold"
)

var (
	natoDate = time.Date(2016, 4, 5, 10, 0, 0, 0, time.UTC)
	leakDate = time.Date(2016, 5, 6, 7, 0, 0, 0, time.UTC)
	// detectedAt is when the seeded conflicts were found: alliance, then
	// dialogue, then ceasefire, a minute apart.
	detectedAt = time.Date(2016, 5, 6, 12, 0, 0, 0, time.UTC)
)

// seedFactChecks stores seed's articles and two more: Jens Stoltenberg
// and John Kerry (under another mention and role) at NATO, and a leak in
// which the anonymous US official and Russia's foreign ministry repeat
// words that Stoltenberg, Lavrov and Kerry said, recorded as conflicts.
func (at *apiTest) seedFactChecks() {
	at.t.Helper()
	at.seed()
	at.put(article(natoKey, "01", natoDate,
		said{stoltenberg, "NATO will defend every inch of allied territory", []string{"NATO", "Russia"}},
		said{stoltenberg, allianceText, []string{"NATO", "Ukraine"}},
		said{kerryAsSecretary, "Our commitment to Europe is unshakable", []string{"NATO"}},
	))
	at.put(article(leakKey, "01", leakDate,
		said{official, allianceText, []string{"Ukraine"}},
		said{official, dialogueText, []string{"Russia"}},
		said{ministry, ceasefireText, []string{"Ukraine"}},
		said{ministry, "Sanctions against Islamic State financiers are needed", []string{"Islamic State", "Syria"}},
	))
	var conflicts []store.Conflict
	for i, pair := range [][2]string{
		{quoteID(natoKey, allianceText), quoteID(leakKey, allianceText)},
		{quoteID(sochiKey, dialogueText), quoteID(leakKey, dialogueText)},
		{quoteID(sochiKey, ceasefireText), quoteID(leakKey, ceasefireText)},
	} {
		conflicts = append(conflicts, store.Conflict{QuoteIDs: pair, Similarity: 1, Detected: detectedAt.Add(time.Duration(i) * time.Minute)})
	}
	if err := at.store.AddConflicts(context.Background(), conflicts); err != nil {
		at.t.Fatalf("AddConflicts: %v", err)
	}
}

// quoteID is the id of the first quote with text in the article of key.
func quoteID(key, text string) string { return quote.QuoteID(quote.ArticleID(key), text, 0) }

// sameSet reports whether got and want hold the same strings, in any order.
func sameSet(got, want []string) bool {
	g, w := slices.Clone(got), slices.Clone(want)
	slices.Sort(g)
	slices.Sort(w)
	return slices.Equal(g, w)
}

func TestSpeakerRecord(t *testing.T) {
	at := newAPITest(t, Options{})
	at.seedFactChecks()
	sochiDate := time.Date(2015, 5, 12, 15, 30, 0, 0, time.UTC)
	tests := []struct {
		name string
		path string
		want store.SpeakerRecord
	}{
		{"person across articles, mentions and roles", "/speakers/john-kerry", store.SpeakerRecord{
			SpeakerSummary: store.SpeakerSummary{ID: "john-kerry", Name: "John Kerry", Kind: quote.Person, QuoteCount: 6},
			Aliases:        []string{"John Kerry", "Kerry", "Secretary Kerry"},
			Roles:          []string{"U.S. Secretary of State", "Secretary of State"},
			FirstSeen:      sochiDate, LastSeen: natoDate,
		}},
		{"anonymous source: its description is no alias", "/speakers/anon-us-official", store.SpeakerRecord{
			SpeakerSummary: store.SpeakerSummary{ID: "anon-us-official", Name: "a senior US official", Kind: quote.Anonymous, QuoteCount: 3},
			Aliases:        []string{"a senior US official"},
			Roles:          []string{"a senior US official who spoke on condition of anonymity"},
			FirstSeen:      sochiDate, LastSeen: leakDate,
		}},
		{"by name", "/speakers/Jens%20Stoltenberg", store.SpeakerRecord{
			SpeakerSummary: store.SpeakerSummary{ID: "jens-stoltenberg", Name: "Jens Stoltenberg", Kind: quote.Person, QuoteCount: 2},
			Aliases:        []string{"Jens Stoltenberg", "Stoltenberg"},
			Roles:          []string{"NATO Secretary General"},
			FirstSeen:      natoDate, LastSeen: natoDate,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := at.get(tt.path)
			if rec.Code != http.StatusOK {
				t.Fatalf("GET %s = %d %s, want 200", tt.path, rec.Code, rec.Body)
			}
			got := decode[store.SpeakerRecord](t, rec)
			if got.SpeakerSummary != tt.want.SpeakerSummary {
				t.Errorf("GET %s = %+v, want %+v", tt.path, got.SpeakerSummary, tt.want.SpeakerSummary)
			}
			if !sameSet(got.Aliases, tt.want.Aliases) {
				t.Errorf("aliases = %q, want %q", got.Aliases, tt.want.Aliases)
			}
			if !sameSet(got.Roles, tt.want.Roles) {
				t.Errorf("roles = %q, want %q", got.Roles, tt.want.Roles)
			}
			if !got.FirstSeen.Equal(tt.want.FirstSeen) || !got.LastSeen.Equal(tt.want.LastSeen) {
				t.Errorf("first_seen, last_seen = %v, %v; want %v, %v", got.FirstSeen, got.LastSeen, tt.want.FirstSeen, tt.want.LastSeen)
			}
		})
	}

	var raw map[string]any
	if err := json.Unmarshal(at.get("/speakers/jens-stoltenberg").Body.Bytes(), &raw); err != nil {
		t.Fatal(err)
	}
	for _, field := range []string{"id", "name", "kind", "quote_count", "aliases", "roles", "first_seen", "last_seen"} {
		if _, ok := raw[field]; !ok {
			t.Errorf("speaker record %v has no %q", raw, field)
		}
	}
	if raw["first_seen"] != "2016-04-05T10:00:00Z" {
		t.Errorf("first_seen = %v, want RFC 3339 2016-04-05T10:00:00Z", raw["first_seen"])
	}
}

func TestTopics(t *testing.T) {
	at := newAPITest(t, Options{})
	at.seedFactChecks()
	var (
		russia  = store.TopicSummary{Topic: "Russia", QuoteCount: 7}
		ukraine = store.TopicSummary{Topic: "Ukraine", QuoteCount: 5}
		iran    = store.TopicSummary{Topic: "Iran", QuoteCount: 3}
		nato    = store.TopicSummary{Topic: "NATO", QuoteCount: 3}
		syria   = store.TopicSummary{Topic: "Syria", QuoteCount: 2}
		islamic = store.TopicSummary{Topic: "Islamic State", QuoteCount: 1}
	)
	tests := []struct {
		query string
		want  []store.TopicSummary
		// anyOrder: equal counts (Iran and NATO) may come in either order.
		anyOrder bool
	}{
		{"", []store.TopicSummary{russia, ukraine, iran, nato, syria, islamic}, true},
		{"limit=2", []store.TopicSummary{russia, ukraine}, false},
		{"q=ru", []store.TopicSummary{russia}, false},
		{"q=UKR", []store.TopicSummary{ukraine}, false},
		{"q=s", []store.TopicSummary{syria, islamic}, false},
		{"q=isl+st", []store.TopicSummary{islamic}, false},
		{"q=st+syr", []store.TopicSummary{}, false},
		{"q=xyz", []store.TopicSummary{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			rec := at.get("/topics?" + tt.query)
			if rec.Code != http.StatusOK {
				t.Fatalf("GET /topics?%s = %d %s, want 200", tt.query, rec.Code, rec.Body)
			}
			got := decode[topicsResponse](t, rec).Topics
			match := slices.Equal(got, tt.want)
			if tt.anyOrder {
				match = len(got) == len(tt.want) && got[0] == tt.want[0] &&
					!slices.ContainsFunc(tt.want, func(w store.TopicSummary) bool { return !slices.Contains(got, w) }) &&
					slices.IsSortedFunc(got, func(a, b store.TopicSummary) int { return b.QuoteCount - a.QuoteCount })
			}
			if !match {
				t.Errorf("GET /topics?%s = %+v, want %+v", tt.query, got, tt.want)
			}
		})
	}
}

func TestVerify(t *testing.T) {
	at := newAPITest(t, Options{})
	at.seedFactChecks()
	tests := []struct {
		name        string
		body        string
		wantVerdict verify.Verdict
		// wantQuote is the first match's quote id; wantSpeaker its speaker.
		wantQuote   string
		wantSpeaker string
		wantDiff    []verify.DiffOp
		// wantMatches, when not 0, is how many matches are listed.
		wantMatches int
	}{
		{"exact words by the claimed speaker", `{"quote": "A deal with Iran is within reach", "speaker": "Kerry"}`,
			verify.Confirmed, quoteID(iranKey, "A deal with Iran is within reach"), "john-kerry",
			[]verify.DiffOp{{Op: verify.DiffEqual, Claimed: "A deal with Iran is within reach", Actual: "A deal with Iran is within reach"}}, 1},
		{"an excerpt, no speaker claimed", `{"quote": "frank and open discussion in Sochi"}`,
			verify.Confirmed, quoteID(sochiKey, "We had a frank and open discussion in Sochi"), "john-kerry",
			[]verify.DiffOp{
				{Op: verify.DiffInserted, Actual: "We had a"},
				{Op: verify.DiffEqual, Claimed: "frank and open discussion in Sochi", Actual: "frank and open discussion in Sochi"},
			}, 0},
		{"one word changed", `{"quote": "Russia's support for Assad must stop", "speaker": "John Kerry"}`,
			verify.WordingDiffers, quoteID(sochiKey, "Russia's support for Assad must end"), "john-kerry",
			[]verify.DiffOp{
				{Op: verify.DiffEqual, Claimed: "Russia's support for Assad must", Actual: "Russia's support for Assad must"},
				{Op: verify.DiffReplaced, Claimed: "stop", Actual: "end"},
			}, 0},
		{"Stoltenberg's words claimed for Putin", `{"quote": "NATO will defend every inch of allied territory", "speaker": "Vladimir Putin"}`,
			verify.DifferentSpeaker, quoteID(natoKey, "NATO will defend every inch of allied territory"), "jens-stoltenberg", nil, 1},
		{"words nobody said", `{"quote": "The moon is made of green cheese", "speaker": "Kerry"}`,
			verify.NotFound, "", "", nil, 0},
		{"repeated words, claimed for one who said them", `{"quote": "` + allianceText + `", "speaker": "Stoltenberg"}`,
			verify.Confirmed, quoteID(natoKey, allianceText), "jens-stoltenberg", nil, 2},
		{"repeated words, claimed for the other", `{"quote": "` + allianceText + `", "speaker": "anon-us-official"}`,
			verify.Confirmed, quoteID(leakKey, allianceText), quote.SourceID("anon-us-official", quote.ArticleID(leakKey)), nil, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := at.do(http.MethodPost, "/verify", strings.NewReader(tt.body), jsonHeader())
			if rec.Code != http.StatusOK {
				t.Fatalf("POST /verify %s = %d %s, want 200", tt.body, rec.Code, rec.Body)
			}
			got := decode[verify.Result](t, rec)
			if got.Verdict != tt.wantVerdict {
				t.Errorf("verdict = %q, want %q\n%s", got.Verdict, tt.wantVerdict, rec.Body)
			}
			if tt.wantQuote == "" {
				if len(got.Matches) != 0 {
					t.Errorf("matches = %+v, want none", got.Matches)
				}
				return
			}
			if len(got.Matches) == 0 {
				t.Fatalf("no matches, want %s first", tt.wantQuote)
			}
			if tt.wantMatches != 0 && len(got.Matches) != tt.wantMatches {
				t.Errorf("%d matches, want %d", len(got.Matches), tt.wantMatches)
			}
			best := got.Matches[0]
			if best.Quote.ID != tt.wantQuote || best.Speaker.ID != tt.wantSpeaker {
				t.Errorf("first match = %s by %s, want %s by %s", best.Quote.ID, best.Speaker.ID, tt.wantQuote, tt.wantSpeaker)
			}
			if best.Article.ID != best.Quote.Article.ID || best.Article.Key == "" || best.Article.Title == "" {
				t.Errorf("first match's article = %+v, want the quote's article %+v", best.Article, best.Quote.Article)
			}
			if !strings.Contains(best.Context, best.Quote.Text) {
				t.Errorf("context %q does not hold the quote %q", best.Context, best.Quote.Text)
			}
			if tt.wantDiff != nil && !slices.Equal(best.Diff, tt.wantDiff) {
				t.Errorf("diff = %+v, want %+v", best.Diff, tt.wantDiff)
			}
		})
	}

	t.Run("wording differs names the article", func(t *testing.T) {
		rec := at.do(http.MethodPost, "/verify", strings.NewReader(`{"quote": "Russia's support for Assad must stop"}`), jsonHeader())
		best := decode[verify.Result](t, rec).Matches[0]
		if best.Article.Key != sochiKey || best.Article.Title != "Title of "+sochiKey {
			t.Errorf("article = %+v, want the Sochi article", best.Article)
		}
		if best.Similarity <= verify.MatchThreshold || best.Similarity >= 1 {
			t.Errorf("similarity = %v, want between the threshold and 1", best.Similarity)
		}
	})
}

func TestVerifyRejects(t *testing.T) {
	at := newAPITest(t, Options{})
	at.seed()
	tests := []struct {
		name        string
		target      string
		body        string
		header      http.Header
		wantStatus  int
		wantCode    string
		wantMessage string
	}{
		{"no content type", "/verify", `{"quote":"deal with Iran"}`, nil, 415, "unsupported_media_type", "application/json"},
		{"form body", "/verify", `quote=deal`, http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}, 415, "unsupported_media_type", "application/json"},
		{"oversized body", "/verify", `{"quote":"` + strings.Repeat("a ", 40<<10) + `"}`, jsonHeader(), 413, "too_large", "64 KB"},
		{"empty body", "/verify", ``, jsonHeader(), 400, "invalid", "empty"},
		{"malformed body", "/verify", `{"quote":`, jsonHeader(), 400, "invalid", "malformed"},
		{"trailing data", "/verify", `{"quote":"deal with Iran"} []`, jsonHeader(), 400, "invalid", "trailing data"},
		{"unknown field", "/verify", `{"quote":"deal with Iran","author":"Kerry"}`, jsonHeader(), 400, "invalid", "author"},
		{"quote of the wrong type", "/verify", `{"quote":5}`, jsonHeader(), 400, "invalid", "quote must be a string"},
		{"speaker of the wrong type", "/verify", `{"quote":"deal with Iran","speaker":["Kerry"]}`, jsonHeader(), 400, "invalid", "speaker must be a string"},
		{"no quote", "/verify", `{"speaker":"Kerry"}`, jsonHeader(), 400, "invalid", "quote is empty"},
		{"blank quote", "/verify", `{"quote":"   "}`, jsonHeader(), 400, "invalid", "quote is empty"},
		{"quote without words", "/verify", `{"quote":"— … !!"}`, jsonHeader(), 400, "invalid", "no words"},
		{"quote too long", "/verify", `{"quote":"` + strings.Repeat("word ", 500) + `"}`, jsonHeader(), 400, "invalid", "at most 2000"},
		{"speaker too long", "/verify", `{"quote":"deal with Iran","speaker":"` + strings.Repeat("k", 201) + `"}`, jsonHeader(), 400, "invalid", "at most 200"},
		{"query parameters", "/verify?quote=deal", `{"quote":"deal with Iran"}`, jsonHeader(), 400, "invalid", `unknown parameter "quote"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := at.do(http.MethodPost, tt.target, strings.NewReader(tt.body), tt.header)
			if rec.Code != tt.wantStatus {
				t.Fatalf("POST %s = %d %s, want %d", tt.target, rec.Code, rec.Body, tt.wantStatus)
			}
			if got := errorOf(t, rec); got.Code != tt.wantCode || !strings.Contains(got.Message, tt.wantMessage) {
				t.Errorf("error = %+v, want code %q and a message with %q", got, tt.wantCode, tt.wantMessage)
			}
		})
	}
	rec := at.get("/verify")
	if rec.Code != http.StatusMethodNotAllowed || rec.Header().Get("Allow") != "POST" {
		t.Errorf("GET /verify = %d, Allow %q; want 405 allowing POST", rec.Code, rec.Header().Get("Allow"))
	}
}

func TestQuoteConflicts(t *testing.T) {
	at := newAPITest(t, Options{})
	at.seedFactChecks()
	tests := []struct {
		name string
		id   string
		// wantOthers are the conflicting quotes' speakers and ids.
		wantOthers []string
	}{
		{"words Stoltenberg said, attributed to the official", quoteID(leakKey, allianceText),
			[]string{"jens-stoltenberg " + quoteID(natoKey, allianceText)}},
		{"Kerry's words, repeated by the ministry", quoteID(sochiKey, ceasefireText),
			[]string{"russias-foreign-ministry " + quoteID(leakKey, ceasefireText)}},
		{"a quote in no conflict", quoteID(iranKey, "We are not there yet"), []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := at.get("/quotes/" + tt.id)
			if rec.Code != http.StatusOK {
				t.Fatalf("GET /quotes/%s = %d %s, want 200", tt.id, rec.Code, rec.Body)
			}
			got := decode[quoteResponse](t, rec)
			if got.ID != tt.id {
				t.Errorf("id = %s, want %s", got.ID, tt.id)
			}
			others := []string{}
			for _, c := range got.Conflicts {
				others = append(others, c.Quote.Speaker.ID+" "+c.Quote.ID)
				if c.Similarity != 1 || c.Quote.Text != got.Text {
					t.Errorf("conflicting quote %q, similarity %v; want %q, 1", c.Quote.Text, c.Similarity, got.Text)
				}
			}
			if !slices.Equal(others, tt.wantOthers) || got.Conflict != (len(tt.wantOthers) > 0) {
				t.Errorf("conflict %t with %q, want %t with %q", got.Conflict, others, len(tt.wantOthers) > 0, tt.wantOthers)
			}

			var raw map[string]any
			if err := json.Unmarshal(rec.Body.Bytes(), &raw); err != nil {
				t.Fatal(err)
			}
			if _, ok := raw["conflict"].(bool); !ok {
				t.Errorf("conflict = %v, want a boolean always present", raw["conflict"])
			}
			if _, ok := raw["conflicts"].([]any); !ok {
				t.Errorf("conflicts = %v, want a list always present", raw["conflicts"])
			}
		})
	}
}

func TestConflicts(t *testing.T) {
	at := newAPITest(t, Options{})
	if got := decode[conflictsResponse](t, at.get("/conflicts")); len(got.Conflicts) != 0 || got.NextCursor != "" {
		t.Errorf("GET /conflicts on an empty store = %+v, want no conflicts", got)
	}
	at.seedFactChecks()

	// Newest first: ceasefire, dialogue, alliance.
	want := []struct {
		text     string
		speakers []string
		detected time.Time
	}{
		{ceasefireText, []string{"john-kerry", "russias-foreign-ministry"}, detectedAt.Add(2 * time.Minute)},
		{dialogueText, []string{"sergei-lavrov", "anon-us-official"}, detectedAt.Add(time.Minute)},
		{allianceText, []string{"jens-stoltenberg", "anon-us-official"}, detectedAt},
	}
	var got []conflictResponse
	var cursors []string
	cursor := ""
	for page := 1; ; page++ {
		target := "/conflicts?limit=2"
		if cursor != "" {
			target += "&cursor=" + url.QueryEscape(cursor)
		}
		rec := at.get(target)
		if rec.Code != http.StatusOK {
			t.Fatalf("GET %s = %d %s, want 200", target, rec.Code, rec.Body)
		}
		body := decode[conflictsResponse](t, rec)
		if len(body.Conflicts) > 2 {
			t.Fatalf("page %d has %d conflicts, limit 2", page, len(body.Conflicts))
		}
		got = append(got, body.Conflicts...)
		if cursor = body.NextCursor; cursor == "" {
			break
		}
		cursors = append(cursors, cursor)
		if page > len(want) {
			t.Fatalf("still paging after %d pages", page)
		}
	}
	if len(got) != len(want) || len(cursors) != 1 {
		t.Fatalf("walked %d conflicts over %d pages, want %d over 2", len(got), len(cursors)+1, len(want))
	}
	for i, w := range want {
		c := got[i]
		speakers := []string{c.Quotes[0].Speaker.ID, c.Quotes[1].Speaker.ID}
		if c.Quotes[0].Text != w.text || c.Quotes[1].Text != w.text || !sameSet(speakers, w.speakers) {
			t.Errorf("conflict %d = %q by %q, want %q by %q", i, []string{c.Quotes[0].Text, c.Quotes[1].Text}, speakers, w.text, w.speakers)
		}
		if !c.Detected.Equal(w.detected) || c.Similarity != 1 {
			t.Errorf("conflict %d detected %v, similarity %v; want %v, 1", i, c.Detected, c.Similarity, w.detected)
		}
	}

	tampered := []byte(cursors[0])
	tampered[len(tampered)/2] ^= 1
	for _, tt := range []struct {
		name, query, wantMessage string
	}{
		{"tampered cursor", "cursor=" + url.QueryEscape(string(tampered)), "cursor"},
		{"garbage cursor", "cursor=garbage", "cursor"},
		{"overlong cursor", "cursor=" + strings.Repeat("c", 3000), "cursor is not valid"},
		{"limit zero", "limit=0", "limit must be an integer from 1 to 100"},
		{"limit not a number", "limit=all", "limit must be an integer"},
		{"unknown parameter", "since=2016-01-01", `unknown parameter "since"`},
		{"repeated parameter", "limit=1&limit=2", "limit given more than once"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rec := at.get("/conflicts?" + tt.query)
			if rec.Code != http.StatusBadRequest {
				t.Fatalf("GET /conflicts?%s = %d %s, want 400", tt.query, rec.Code, rec.Body)
			}
			if got := errorOf(t, rec); got.Code != quote.EInvalid || !strings.Contains(got.Message, tt.wantMessage) {
				t.Errorf("error = %+v, want invalid with %q", got, tt.wantMessage)
			}
		})
	}
}

func TestInsightsClientErrors(t *testing.T) {
	at := newAPITest(t, Options{})
	at.seed()
	tests := []struct {
		target      string
		wantStatus  int
		wantCode    string
		wantMessage string
	}{
		{"/speakers/nobody-at-all", 404, "not_found", ""},
		{"/speakers/" + strings.Repeat("k", 201), 400, "invalid", "longer than 200"},
		{"/speakers/john-kerry?include=quotes", 400, "invalid", `unknown parameter "include"`},
		{"/topics?q=" + strings.Repeat("t", 201), 400, "invalid", "longer than 200"},
		{"/topics?limit=101", 400, "invalid", "limit must be an integer from 1 to 100"},
		{"/topics?topic=Iran", 400, "invalid", `unknown parameter "topic"`},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			rec := at.get(tt.target)
			if rec.Code != tt.wantStatus {
				t.Fatalf("GET %s = %d %s, want %d", tt.target, rec.Code, rec.Body, tt.wantStatus)
			}
			if got := errorOf(t, rec); got.Code != tt.wantCode || !strings.Contains(got.Message, tt.wantMessage) {
				t.Errorf("error = %+v, want code %q and a message with %q", got, tt.wantCode, tt.wantMessage)
			}
		})
	}
}

// TestWebMount checks the page is served by Options.Web at exactly its two
// routes, and that everything else stays the API's.
func TestWebMount(t *testing.T) {
	page := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte("page " + r.URL.Path))
	})
	with := newAPITest(t, Options{Web: page})
	without := newAPITest(t, Options{})
	tests := []struct {
		name       string
		at         *apiTest
		method     string
		target     string
		wantStatus int
		wantBody   string // for the page; "" for a JSON answer
	}{
		{"the page", with, "GET", "/", 200, "page /"},
		{"an asset", with, "GET", "/assets/app.js", 200, "page /assets/app.js"},
		{"a nested asset", with, "GET", "/assets/img/logo.svg", 200, "page /assets/img/logo.svg"},
		{"the API beside it", with, "GET", "/healthz", 200, ""},
		{"an unknown path", with, "GET", "/index.html", 404, ""},
		{"the page takes GET only", with, "POST", "/", 405, ""},
		{"no page mounted", without, "GET", "/", 404, ""},
		{"no assets mounted", without, "GET", "/assets/app.js", 404, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(tt.method, tt.target, nil)
			rec := httptest.NewRecorder()
			tt.at.handler.ServeHTTP(rec, req)
			if rec.Code != tt.wantStatus {
				t.Fatalf("%s %s = %d %s, want %d", tt.method, tt.target, rec.Code, rec.Body, tt.wantStatus)
			}
			if tt.wantBody != "" {
				if rec.Body.String() != tt.wantBody {
					t.Errorf("body = %q, want the page handler's %q", rec.Body, tt.wantBody)
				}
				if rec.Header().Get("X-Request-Id") == "" {
					t.Errorf("the page's response has no X-Request-Id: the middleware was skipped")
				}
				return
			}
			// API answers, errors included, are what the document says.
			tt.at.spec.check(t, req, rec.Code, rec.Header(), rec.Body.Bytes())
			if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type = %q, want application/json", ct)
			}
		})
	}
}

// TestSearchBySpeakerAlias checks the speaker parameter of a search
// prefers the speaker the articles call by the value, and finds a speaker
// by a mention their name lacks words of.
func TestSearchBySpeakerAlias(t *testing.T) {
	at := newAPITest(t, Options{})
	at.seedFactChecks()
	thorvald := quote.Speaker{Name: "Thorvald Stoltenberg", Kind: quote.Person, Mention: "Thorvald Stoltenberg"}
	at.put(article("1993/01/01/balkans.txt", "01", time.Date(1993, 1, 1, 12, 0, 0, 0, time.UTC),
		said{thorvald, "The mediation will go on", nil},
		said{thorvald, "Both sides must return to the table", nil},
		said{thorvald, "A lasting peace needs patience", nil},
	))
	tests := []struct {
		name, query string
		wantSpeaker string
		wantCount   int
	}{
		{"the one called by the surname over the most quoted", "speaker=Stoltenberg", "jens-stoltenberg", 2},
		{"a prefix that is nobody's alias picks the most quoted", "speaker=stolt", "thorvald-stoltenberg", 3},
		{"a mention with a word the name lacks", "speaker=Secretary+Kerry", "john-kerry", 6},
		{"a mention of another kind than asked", "speaker=Secretary+Kerry&speaker_kind=organization", "", 0},
		{"the surname of the most quoted", "speaker=kerry", "john-kerry", 6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := at.get("/quotes?" + tt.query)
			if rec.Code != http.StatusOK {
				t.Fatalf("GET /quotes?%s = %d %s, want 200", tt.query, rec.Code, rec.Body)
			}
			var speakers []string
			for _, q := range decode[quotesResponse](t, rec).Quotes {
				speakers = append(speakers, q.Speaker.ID)
			}
			if len(speakers) != tt.wantCount || slices.ContainsFunc(speakers, func(id string) bool { return id != tt.wantSpeaker }) {
				t.Errorf("GET /quotes?%s = quotes by %q, want %d by %s", tt.query, speakers, tt.wantCount, tt.wantSpeaker)
			}
		})
	}
}
