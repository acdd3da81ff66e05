package storetest

import (
	"context"
	"strings"
	"testing"

	"github.com/newsroom-tools/quotes/internal/quote"
	"github.com/newsroom-tools/quotes/internal/store"
)

// testInvalidWrites holds every store to store.ValidateArticle and
// store.ValidateDeletion: a store that checks less, or more, than they do
// fails here, so the stores cannot drift apart on what they refuse.
func testInvalidWrites(t *testing.T, s store.Store) {
	ctx := context.Background()
	valid := func() (quote.Article, []quote.Quote) {
		return article("invalid/a.txt", "05", day,
			said{kerry, "first words", nil}, said{lavrov, "second words", nil})
	}
	tests := []struct {
		name  string
		spoil func(a *quote.Article, qs []quote.Quote) []quote.Quote
	}{
		{"empty key", func(a *quote.Article, qs []quote.Quote) []quote.Quote { a.Key = ""; return qs }},
		{"key over 1024 bytes", func(a *quote.Article, qs []quote.Quote) []quote.Quote {
			a.Key = strings.Repeat("k", store.MaxKeyBytes+1)
			return qs
		}},
		{"key not UTF-8", func(a *quote.Article, qs []quote.Quote) []quote.Quote { a.Key = "bad\xff.txt"; return qs }},
		{"id of another key", func(a *quote.Article, qs []quote.Quote) []quote.Quote { a.ID = quote.ArticleID("other.txt"); return qs }},
		{"empty id", func(a *quote.Article, qs []quote.Quote) []quote.Quote { a.ID = ""; return qs }},
		{"unknown status", func(a *quote.Article, qs []quote.Quote) []quote.Quote { a.Status = "pending"; return qs }},
		{"failed with quotes", func(a *quote.Article, qs []quote.Quote) []quote.Quote { a.Status = quote.StatusFailed; return qs }},
		{"empty version", func(a *quote.Article, qs []quote.Quote) []quote.Quote { a.Version = ""; return qs }},
		{"version not hex", func(a *quote.Article, qs []quote.Quote) []quote.Quote { a.Version = "v2"; return qs }},
		{"empty revision", func(a *quote.Article, qs []quote.Quote) []quote.Quote { a.Version = "05."; return qs }},
		{"revision not a number", func(a *quote.Article, qs []quote.Quote) []quote.Quote { a.Version = "05.x"; return qs }},
		{"revision too long", func(a *quote.Article, qs []quote.Quote) []quote.Quote { a.Version = "05.1234567890"; return qs }},
		{"version too long", func(a *quote.Article, qs []quote.Quote) []quote.Quote {
			a.Version = strings.Repeat("1", store.MaxVersionLength+1)
			return qs
		}},
		{"negative truncated count", func(a *quote.Article, qs []quote.Quote) []quote.Quote { a.Truncated = -1; return qs }},
		{"count differs", func(a *quote.Article, qs []quote.Quote) []quote.Quote { a.QuoteCount = 7; return qs }},
		{"quote without id", func(a *quote.Article, qs []quote.Quote) []quote.Quote { qs[1].ID = ""; return qs }},
		{"quote id twice", func(a *quote.Article, qs []quote.Quote) []quote.Quote { qs[1].ID = qs[0].ID; return qs }},
		{"quote id of another article", func(a *quote.Article, qs []quote.Quote) []quote.Quote {
			qs[1].ID = quote.QuoteID(quote.ArticleID("other.txt"), qs[1].Text, 0)
			return qs
		}},
		{"quote pointing at another article", func(a *quote.Article, qs []quote.Quote) []quote.Quote {
			qs[1].Article.ID = quote.ArticleID("other.txt")
			return qs
		}},
		{"quote ending before it starts", func(a *quote.Article, qs []quote.Quote) []quote.Quote { qs[0].End = qs[0].Start - 1; return qs }},
		{"unknown speaker kind", func(a *quote.Article, qs []quote.Quote) []quote.Quote { qs[0].Speaker.Kind = "robot"; return qs }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, qs := valid()
			qs = tt.spoil(&a, qs)
			if want := store.ValidateArticle(a, qs); quote.ErrorCode(want) != quote.EInvalid {
				t.Fatalf("store.ValidateArticle accepts the case (err %v); the case is wrong", want)
			}
			wantCode(t, "PutArticle", s.PutArticle(ctx, a, qs), quote.EInvalid)
			if _, err := s.Article(ctx, quote.ArticleID("invalid/a.txt")); quote.ErrorCode(err) != quote.ENotFound {
				t.Errorf("after a refused write, Article = err %v, want not found", err)
			}
		})
	}

	deletions := []struct{ name, key, version string }{
		{"empty key", "", "06"},
		{"empty version", "invalid/a.txt", ""},
		{"version not hex", "invalid/a.txt", "later"},
		{"key over 1024 bytes", strings.Repeat("k", store.MaxKeyBytes+1), "06"},
	}
	for _, tt := range deletions {
		t.Run("delete with "+tt.name, func(t *testing.T) {
			if want := store.ValidateDeletion(tt.key, tt.version); quote.ErrorCode(want) != quote.EInvalid {
				t.Fatalf("store.ValidateDeletion accepts the case (err %v); the case is wrong", want)
			}
			wantCode(t, "DeleteArticle", s.DeleteArticle(ctx, tt.key, tt.version), quote.EInvalid)
		})
	}

	// What the validation accepts, every store stores: here the same
	// words quoted more than ten times, each occurrence its own id.
	t.Run("valid after refusals", func(t *testing.T) {
		var repeated []said
		for range 12 {
			repeated = append(repeated, said{kerry, "again and again", nil})
		}
		a, qs := article("invalid/a.txt", "05", day, repeated...)
		if err := store.ValidateArticle(a, qs); err != nil {
			t.Fatalf("ValidateArticle of a valid article: %v", err)
		}
		put(t, s, a, qs)
		got, err := s.ArticleQuotes(ctx, a.ID)
		if err != nil || len(got) != len(qs) {
			t.Fatalf("ArticleQuotes = %d quotes, %v; want %d", len(got), err, len(qs))
		}
	})
}
