package httpapi

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/newsroom-tools/quotes/internal/quote"
	"github.com/newsroom-tools/quotes/internal/speaker"
	"github.com/newsroom-tools/quotes/internal/store"
)

// TestSearchFromStoredJSON checks that a search answered from the quotes'
// stored JSON is, byte for byte, what decoding them, presenting their
// speakers and encoding them gives, whichever speakers the page holds.
func TestSearchFromStoredJSON(t *testing.T) {
	at := newAPITest(t, Options{})
	at.seed()
	// Lone surnames: one the store knows by full name (John Kerry), one it
	// does not.
	surname := quote.Speaker{Name: "Kerry", Kind: quote.Person, Mention: "Mr. Kerry"}
	stranger := quote.Speaker{Name: "Smith", Kind: quote.Person, Mention: "Smith"}
	at.put(article("2016/04/04/surnames.txt", "01", time.Date(2016, 4, 4, 12, 0, 0, 0, time.UTC),
		said{surname, "Diplomacy <is> slow & \"patient\"", []string{"Iran"}},
		said{stranger, "Nobody asked me about Iran", []string{"Iran"}},
		said{official, "The talks on Iran went on all night", []string{"Iran"}},
	))
	resolver := speaker.New(at.store)
	// The page patches both kinds of presented speaker.
	rec := at.get("/quotes?topic=Iran")
	for _, want := range []string{`"speaker":{"id":"john-kerry","name":"John Kerry","kind":"person","mention":"Mr. Kerry"}`,
		`"id":"` + quote.SourceID(quote.SpeakerID(official), quote.ArticleID("2016/04/04/surnames.txt")) + `"`} {
		if !strings.Contains(rec.Body.String(), want) {
			t.Errorf("GET /quotes?topic=Iran lacks %s:\n%s", want, rec.Body)
		}
	}
	for _, tt := range []struct {
		target string
		query  store.Query
	}{
		{"/quotes?speaker=john-kerry", store.Query{SpeakerID: "john-kerry"}},
		{"/quotes?speaker=john-kerry&limit=2", store.Query{SpeakerID: "john-kerry", Limit: 2}},
		{"/quotes?speaker=kerry", store.Query{SpeakerID: "kerry"}},
		{"/quotes?topic=Iran", store.Query{Topic: "Iran"}},
		{"/quotes?speaker_kind=anonymous", store.Query{Kind: quote.Anonymous}},
		{"/quotes?q=iran&speaker_kind=person", store.Query{Words: []string{"iran"}, Kind: quote.Person}},
		{"/quotes?speaker=nobody-at-all", store.Query{}},
	} {
		t.Run(tt.target, func(t *testing.T) {
			ctx := context.Background()
			var want store.Page
			if tt.query.SpeakerID != "" || tt.query.Topic != "" || len(tt.query.Words) > 0 || tt.query.Kind != "" {
				if tt.query.Limit == 0 {
					tt.query.Limit = store.DefaultLimit
				}
				var err error
				if want, err = at.store.Quotes(ctx, tt.query); err != nil {
					t.Fatal(err)
				}
				if err := resolver.Present(ctx, want.Quotes); err != nil {
					t.Fatal(err)
				}
			}
			body, _, err := encodePage(want)
			if err != nil {
				t.Fatal(err)
			}
			rec := at.get(tt.target)
			if rec.Code != http.StatusOK {
				t.Fatalf("GET %s = %d %s", tt.target, rec.Code, rec.Body)
			}
			if got := rec.Body.String(); got != string(body) {
				t.Errorf("GET %s answered\n%s\nwant\n%s", tt.target, got, body)
			}
			if want.NextCursor == "" {
				return
			}
			// The next page follows on from the stored JSON's cursor.
			next := at.get(tt.target + "&cursor=" + url.QueryEscape(want.NextCursor))
			if next.Code != http.StatusOK {
				t.Errorf("next page: %d %s", next.Code, next.Body)
			}
		})
	}
}
