package storetest

import (
	"context"
	"slices"
	"testing"

	"github.com/newsroom-tools/quotes/internal/quote"
	"github.com/newsroom-tools/quotes/internal/store"
)

func testStopwordQueries(t *testing.T, s store.Store) {
	a, aq := article("stop.txt", "01", day,
		said{kerry, "The ceasefire in Ukraine must hold", []string{"Ukraine"}},
		said{kerry, "Ukraine will not give up its land", []string{"Ukraine"}},
		said{lavrov, "The talks were useful", nil},
	)
	put(t, s, a, aq)
	tests := []struct {
		name string
		q    store.Query
		want []string
	}{
		{"a stopword beside a rarer word is checked in the text", store.Query{Words: []string{"the", "ukraine"}}, []string{"The ceasefire in Ukraine must hold"}},
		{"a stopword with a speaker", store.Query{SpeakerID: "john-kerry", Words: []string{"its"}}, []string{"Ukraine will not give up its land"}},
		{"a stopword with a kind", store.Query{Kind: quote.Person, Words: []string{"were"}}, []string{"The talks were useful"}},
		{"a stopword no quote of the criteria has", store.Query{Topic: "Ukraine", Words: []string{"were"}}, nil},
	}
	for _, tt := range tests {
		if got := query(t, s, tt.q); !sameSet(got, tt.want) {
			t.Errorf("%s: Quotes(%+v) = %q, want %q", tt.name, tt.q, got, tt.want)
		}
	}
	// Every one a page holds passes the check, and the next-page probe too.
	page, err := s.Quotes(context.Background(), store.Query{SpeakerID: "john-kerry", Words: []string{"the"}, Limit: 1})
	if err != nil || len(page.Quotes) != 1 || page.NextCursor != "" {
		t.Errorf("Quotes(kerry, the, limit 1) = %q, cursor %q, %v; want one quote and no next page", texts(page.Quotes), page.NextCursor, err)
	}
	_, err = s.Quotes(context.Background(), store.Query{Words: []string{"the", "its"}, Limit: 10})
	wantCode(t, "Quotes of stopwords alone", err, quote.EInvalid)
	if !slices.IsSorted(store.Stopwords()) || !store.IsStopword("the") || store.IsStopword("ukraine") {
		t.Errorf("Stopwords() = %q: want sorted, with the and without ukraine", store.Stopwords())
	}
}
