package httpapi

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestVerifyClaimReview answers each verdict as ClaimReview JSON-LD and
// checks what Google's fact-check guidelines require of it: claimReviewed,
// reviewRating with an alternateName, an absolute url; and what they
// recommend: author with a name, itemReviewed as a Claim with its author
// and appearance, datePublished.
func TestVerifyClaimReview(t *testing.T) {
	at := newAPITest(t, Options{})
	at.seedFactChecks()
	tests := []struct {
		name, body    string
		wantValue     int
		wantRatingHas string
		wantReviewer  string
		wantCitations bool
	}{
		{"confirmed", `{"quote": "A deal with Iran is within reach", "speaker": "Kerry", "format": "claimreview",
			"claim_url": "https://social.example/post/1", "reviewer": "Fact Desk"}`,
			3, "Accurate: said in these words by John Kerry", "Fact Desk", true},
		{"wording differs", `{"quote": "Russia's support for Assad must stop", "speaker": "John Kerry", "format": "claimreview"}`,
			2, "Misquoted", defaultReviewer, true},
		{"misattributed", `{"quote": "NATO will defend every inch of allied territory", "speaker": "Vladimir Putin", "format": "claimreview"}`,
			1, "Misattributed: said by Jens Stoltenberg, not Vladimir Putin", defaultReviewer, true},
		{"no source", `{"quote": "Nobody has ever said these exact words before today", "format": "claimreview"}`,
			0, "Unverified", defaultReviewer, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := at.do(http.MethodPost, "/verify", strings.NewReader(tt.body), jsonHeader())
			if rec.Code != http.StatusOK {
				t.Fatalf("POST /verify = %d %s", rec.Code, rec.Body)
			}
			if ct := rec.Header().Get("Content-Type"); ct != "application/ld+json" {
				t.Errorf("Content-Type = %q, want application/ld+json", ct)
			}
			var req map[string]string
			if err := json.Unmarshal([]byte(tt.body), &req); err != nil {
				t.Fatal(err)
			}
			var got claimReview
			if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
				t.Fatalf("answer is not JSON: %v\n%s", err, rec.Body)
			}
			if got.Context != "https://schema.org" || got.Type != "ClaimReview" {
				t.Errorf("@context %q @type %q, want schema.org ClaimReview", got.Context, got.Type)
			}
			if got.ClaimReviewed != req["quote"] {
				t.Errorf("claimReviewed = %q, want the claim %q", got.ClaimReviewed, req["quote"])
			}
			if u, err := url.Parse(got.URL); err != nil || !u.IsAbs() || u.Host == "" {
				t.Errorf("url = %q, want an absolute address", got.URL)
			}
			if tt.wantCitations && !strings.Contains(got.URL, "#quote/") {
				t.Errorf("url = %q, want the page's view of the matched quote", got.URL)
			}
			r := got.ReviewRating
			if r.Type != "Rating" || !strings.HasPrefix(r.AlternateName, tt.wantRatingHas) || r.RatingValue != tt.wantValue {
				t.Errorf("reviewRating = %+v, want value %d and alternateName starting %q", r, tt.wantValue, tt.wantRatingHas)
			}
			if r.RatingValue != 0 && (r.BestRating != 3 || r.WorstRating != 1) {
				t.Errorf("reviewRating = %+v, want the scale 1 to 3 stated", r)
			}
			if got.Author.Name != tt.wantReviewer || got.Author.Type != "Organization" {
				t.Errorf("author = %+v, want the organisation %q", got.Author, tt.wantReviewer)
			}
			if _, err := time.Parse(time.DateOnly, got.DatePublished); err != nil {
				t.Errorf("datePublished = %q, want a date", got.DatePublished)
			}
			item := got.ItemReviewed
			if item.Type != "Claim" {
				t.Errorf("itemReviewed @type = %q, want Claim", item.Type)
			}
			if speaker := req["speaker"]; speaker != "" && (item.Author == nil || item.Author.Name != speaker) {
				t.Errorf("itemReviewed author = %+v, want the claimed speaker %q", item.Author, speaker)
			}
			if claimURL := req["claim_url"]; claimURL != "" && (len(item.Appearance) != 1 || item.Appearance[0].URL != claimURL) {
				t.Errorf("itemReviewed appearance = %+v, want %q", item.Appearance, claimURL)
			}
			if tt.wantCitations != (len(got.Citation) > 0) {
				t.Errorf("citation = %+v, want source articles: %v", got.Citation, tt.wantCitations)
			}
			for _, c := range got.Citation {
				if c.Type != "NewsArticle" || c.Identifier == "" || c.Text == "" {
					t.Errorf("citation %+v, want a news article with its key and the quote", c)
				}
			}
		})
	}
}

func TestVerifyClaimReviewRejects(t *testing.T) {
	at := newAPITest(t, Options{})
	at.seed()
	for _, tt := range []struct{ body, want string }{
		{`{"quote": "deal with Iran", "format": "rdf"}`, "format must be result or claimreview"},
		{`{"quote": "deal with Iran", "format": "claimreview", "claim_url": "javascript:alert(1)"}`, "claim_url must be an http or https address"},
		{`{"quote": "deal with Iran", "format": "claimreview", "reviewer": "` + strings.Repeat("r", 201) + `"}`, "reviewer is 201 bytes"},
	} {
		rec := at.do(http.MethodPost, "/verify", strings.NewReader(tt.body), jsonHeader())
		if rec.Code != http.StatusBadRequest || !strings.Contains(errorOf(t, rec).Message, tt.want) {
			t.Errorf("POST /verify %s = %d %s, want 400 saying %q", tt.body, rec.Code, rec.Body, tt.want)
		}
	}
}
