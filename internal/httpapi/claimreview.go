package httpapi

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/newsroom-tools/quotes/internal/quote"
	"github.com/newsroom-tools/quotes/internal/verify"
)

// Formats of a POST /verify answer.
const (
	formatResult      = "result"
	formatClaimReview = "claimreview"
)

// verifyRequest is the body of POST /verify: the claim, and how to answer.
type verifyRequest struct {
	verify.Request
	// Format is "result" (the default) or "claimreview", for schema.org
	// ClaimReview JSON-LD.
	Format string `json:"format"`
	// ClaimURL is where the claim was seen circulating, for ClaimReview's
	// appearance.
	ClaimURL string `json:"claim_url"`
	// Reviewer names who publishes the review, for ClaimReview's author.
	Reviewer string `json:"reviewer"`
}

// defaultReviewer is the ClaimReview author when the request names none.
const defaultReviewer = "quotes"

// claimReview is schema.org's ClaimReview, with the properties Google's
// fact-check guidelines require (claimReviewed, reviewRating with its
// alternateName, url) and recommend (author, datePublished, itemReviewed
// as a Claim with its author and appearance).
type claimReview struct {
	Context       string       `json:"@context"`
	Type          string       `json:"@type"`
	URL           string       `json:"url"`
	ClaimReviewed string       `json:"claimReviewed"`
	DatePublished string       `json:"datePublished"`
	Author        jsonLDThing  `json:"author"`
	ItemReviewed  claim        `json:"itemReviewed"`
	ReviewRating  rating       `json:"reviewRating"`
	Citation      []newsSource `json:"citation,omitempty"`
}

type jsonLDThing struct {
	Type string `json:"@type"`
	Name string `json:"name"`
	URL  string `json:"url,omitempty"`
}

type claim struct {
	Type       string        `json:"@type"`
	Author     *jsonLDThing  `json:"author,omitempty"`
	Appearance []jsonLDThing `json:"appearance,omitempty"`
}

type rating struct {
	Type          string `json:"@type"`
	RatingValue   int    `json:"ratingValue,omitempty"`
	BestRating    int    `json:"bestRating,omitempty"`
	WorstRating   int    `json:"worstRating,omitempty"`
	AlternateName string `json:"alternateName"`
}

// newsSource is an article a verdict rests on.
type newsSource struct {
	Type          string `json:"@type"`
	Headline      string `json:"headline,omitempty"`
	URL           string `json:"url,omitempty"`
	Identifier    string `json:"identifier"`
	DatePublished string `json:"datePublished,omitempty"`
	Text          string `json:"text"`
}

// checkVerifyRequest refuses options that do not fit.
func checkVerifyRequest(req verifyRequest) error {
	switch req.Format {
	case "", formatResult, formatClaimReview:
	default:
		return invalid("format must be result or claimreview; got %q", req.Format)
	}
	if req.ClaimURL != "" {
		u, err := url.Parse(req.ClaimURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(req.ClaimURL) > 2048 {
			return invalid("claim_url must be an http or https address of at most 2048 bytes")
		}
	}
	if len(req.Reviewer) > 200 {
		return invalid("reviewer is %d bytes; the limit is 200", len(req.Reviewer))
	}
	return nil
}

// newClaimReview states result as a ClaimReview. Its url is the page's
// view of the quote the verdict rests on, on the host that answered.
func newClaimReview(r *http.Request, req verifyRequest, result verify.Result, now time.Time) claimReview {
	base := requestBase(r)
	review := claimReview{
		Context:       "https://schema.org",
		Type:          "ClaimReview",
		URL:           base + "/",
		ClaimReviewed: strings.Join(strings.Fields(req.Quote), " "),
		DatePublished: now.UTC().Format(time.DateOnly),
		Author:        jsonLDThing{Type: "Organization", Name: strings.TrimSpace(req.Reviewer)},
		ItemReviewed:  claim{Type: "Claim"},
	}
	if review.Author.Name == "" {
		review.Author.Name = defaultReviewer
	}
	if speaker := strings.TrimSpace(req.Speaker); speaker != "" {
		review.ItemReviewed.Author = &jsonLDThing{Type: "Person", Name: speaker}
	}
	if req.ClaimURL != "" {
		review.ItemReviewed.Appearance = []jsonLDThing{{Type: "CreativeWork", URL: req.ClaimURL}}
	}
	review.ReviewRating = verdictRating(req, result)
	if len(result.Matches) > 0 {
		review.URL = base + "/#quote/" + url.PathEscape(result.Matches[0].Quote.ID)
	}
	for _, m := range result.Matches {
		source := newsSource{Type: "NewsArticle", Headline: m.Article.Title, Identifier: m.Article.Key,
			Text: m.Quote.Text}
		if !m.Quote.Date.IsZero() && m.Quote.DateSource != quote.DateUploaded {
			source.DatePublished = m.Quote.Date.UTC().Format(time.DateOnly)
		}
		review.Citation = append(review.Citation, source)
	}
	return review
}

// verdictRating is the verdict as a rating, on a scale from 1 (the words
// are someone else's) to 3 (said, in these words, by whom the claim says),
// with its words for readers; a claim with no source found is not rated.
func verdictRating(req verifyRequest, result verify.Result) rating {
	r := rating{Type: "Rating"}
	var said string
	if len(result.Matches) > 0 {
		said = result.Matches[0].Speaker.Name
	}
	switch result.Verdict {
	case verify.Confirmed:
		r.RatingValue, r.AlternateName = 3, "Accurate quote"
		if said != "" {
			r.AlternateName = "Accurate: said in these words by " + said
		}
	case verify.WordingDiffers:
		r.RatingValue, r.AlternateName = 2, "Misquoted: the words differ from what was said"
	case verify.DifferentSpeaker:
		r.RatingValue, r.AlternateName = 1, "Misattributed"
		if said != "" {
			r.AlternateName = fmt.Sprintf("Misattributed: said by %s, not %s", said, strings.TrimSpace(req.Speaker))
		}
	default:
		r.AlternateName = "Unverified: no source found for these words"
		return r
	}
	r.BestRating, r.WorstRating = 3, 1
	return r
}

// requestBase is the scheme and host a client reached the API by.
func requestBase(r *http.Request) string {
	scheme := "https"
	if r.TLS == nil && r.Header.Get("X-Forwarded-Proto") != "https" {
		if host := r.Host; strings.HasPrefix(host, "127.0.0.1") || strings.HasPrefix(host, "localhost") || strings.HasPrefix(host, "[::1]") {
			scheme = "http"
		}
	}
	return scheme + "://" + r.Host
}
