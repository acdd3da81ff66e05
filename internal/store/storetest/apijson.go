package storetest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/newsroom-tools/quotes/internal/quote"
	"github.com/newsroom-tools/quotes/internal/store"
)

// RunJSON runs the conformance tests of Store.QuotesJSON against stores
// made by newStore.
func RunJSON(t *testing.T, newStore NewStore) {
	tests := []struct {
		name string
		run  func(*testing.T, store.Store)
	}{
		{"PagesMatchQuotes", testJSONPages},
		{"ReplacedQuotesAreGone", testJSONReplaced},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.run(t, newStore(t))
		})
	}
}

// surname is a person the extractor named by one word, whom a reader may
// present under a full name.
var surname = quote.Speaker{Name: "Kerry", Kind: quote.Person, Mention: "Mr. Kerry"}

// sameAsQuotes checks that got holds, in order, exactly the quotes of want
// as encoding/json writes them, with their speakers located.
func sameAsQuotes(t *testing.T, what string, got store.JSONPage, want store.Page) {
	t.Helper()
	if len(got.Quotes) != len(want.Quotes) {
		t.Fatalf("%s: %d stored quotes, Quotes gives %d", what, len(got.Quotes), len(want.Quotes))
	}
	for i, q := range want.Quotes {
		s := got.Quotes[i]
		enc, err := json.Marshal(q)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(s.JSON, enc) {
			t.Errorf("%s: quote %d is\n%s\nQuotes gives\n%s", what, i, s.JSON, enc)
		}
		sp, err := s.Speaker()
		if err != nil {
			t.Fatalf("%s: quote %d: %v", what, i, err)
		}
		if sp != q.Speaker {
			t.Errorf("%s: quote %d's speaker object is %+v, want %+v", what, i, sp, q.Speaker)
		}
		presentable := q.Speaker.Kind == quote.Anonymous || q.Speaker.Name == surname.Name
		if s.Presentable != presentable {
			t.Errorf("%s: quote %d (%s) presentable %v, want %v", what, i, q.Speaker.Name, s.Presentable, presentable)
		}
		if s.Presentable && s.ArticleID != q.Article.ID {
			t.Errorf("%s: quote %d's article is %q, want %q", what, i, s.ArticleID, q.Article.ID)
		}
	}
}

func testJSONPages(t *testing.T, s store.Store) {
	ctx := context.Background()
	for i := range 7 {
		a, qs := article(fmt.Sprintf("json%02d.txt", i), "01", day.Add(time.Duration(i)*time.Hour),
			said{kerry, fmt.Sprintf("A <deal> & an \"agreement\" %d", i), []string{"Iran"}},
			said{official, fmt.Sprintf("The talks are stalled, %d", i), []string{"Iran", "Syria"}},
			said{surname, fmt.Sprintf("We will not give up, %d", i), nil},
			said{zelensky, fmt.Sprintf("Slava Ukraini — “%d”", i), []string{"Ukraine"}},
		)
		put(t, s, a, qs)
	}
	for _, q := range []store.Query{
		{SpeakerID: "john-kerry"},
		{SpeakerID: "kerry"},
		{Topic: "iran"},
		{Kind: quote.Anonymous},
		{Words: []string{"talks", "stalled"}},
		{Topic: "Iran", Kind: quote.Person},
		{SpeakerID: "volodymyr-zelenskyy", From: day.Add(2 * time.Hour), To: day.Add(4 * time.Hour)},
	} {
		q.Limit = 3
		for page := 1; page <= 10; page++ {
			what := fmt.Sprintf("%+v, page %d", q, page)
			got, err := s.QuotesJSON(ctx, q, nil)
			if err != nil {
				t.Fatalf("QuotesJSON(%s): %v", what, err)
			}
			want, err := s.Quotes(ctx, q)
			if err != nil {
				t.Fatalf("Quotes(%s): %v", what, err)
			}
			sameAsQuotes(t, what, got, want)
			// A buffer given back, whatever it holds, serves as well.
			dirty := bytes.Repeat([]byte{'x'}, 64<<10)
			again, err := s.QuotesJSON(ctx, q, dirty)
			if err != nil {
				t.Fatalf("QuotesJSON(%s) with a buffer: %v", what, err)
			}
			sameAsQuotes(t, what+" with a buffer", again, want)
			if got.NextCursor == "" != (want.NextCursor == "") {
				t.Fatalf("%s: next cursor %q, Quotes gives %q", what, got.NextCursor, want.NextCursor)
			}
			if got.NextCursor == "" {
				break
			}
			// Either's cursor pages on both.
			q.Cursor = got.NextCursor
			if page%2 == 0 {
				q.Cursor = want.NextCursor
			}
		}
	}
}

func testJSONReplaced(t *testing.T, s store.Store) {
	ctx := context.Background()
	a, qs := article("replaced.txt", "01", day, said{kerry, "The first words", nil}, said{kerry, "Gone soon", nil})
	put(t, s, a, qs)
	a, qs = article("replaced.txt", "02", day, said{kerry, "The first words", nil}, said{kerry, "New words", nil})
	put(t, s, a, qs)
	q := store.Query{SpeakerID: "john-kerry", Limit: 10}
	got, err := s.QuotesJSON(ctx, q, nil)
	if err != nil {
		t.Fatal(err)
	}
	want, err := s.Quotes(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	sameAsQuotes(t, "after a re-upload", got, want)
	if len(got.Quotes) != 2 {
		t.Errorf("after a re-upload: %d quotes, want 2", len(got.Quotes))
	}
	if err := s.DeleteArticle(ctx, "replaced.txt", "03"); err != nil {
		t.Fatal(err)
	}
	if got, err = s.QuotesJSON(ctx, q, nil); err != nil || len(got.Quotes) != 0 {
		t.Errorf("after deletion: %d quotes (err %v), want none", len(got.Quotes), err)
	}
}
