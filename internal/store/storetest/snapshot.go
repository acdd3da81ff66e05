package storetest

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/newsroom-tools/quotes/internal/quote"
	"github.com/newsroom-tools/quotes/internal/store"
)

func testArticleWithQuotes(t *testing.T, s store.Store) {
	ctx := context.Background()
	a, qs := article("snap/a.txt", "01", day, said{kerry, "first words", nil}, said{lavrov, "second words", nil})
	put(t, s, a, qs)
	for _, withText := range []bool{false, true} {
		got, quotes, err := s.ArticleWithQuotes(ctx, a.ID, withText)
		if err != nil {
			t.Fatalf("ArticleWithQuotes(withText %v): %v", withText, err)
		}
		wantText := ""
		if withText {
			wantText = a.Text
		}
		if got.Text != wantText || got.Title != a.Title || got.QuoteCount != 2 || got.Version != a.Version {
			t.Errorf("ArticleWithQuotes(withText %v) article = %+v, want %+v with text %q", withText, got, a, wantText)
		}
		if !sameSet(texts(quotes), texts(qs)) || len(quotes) != 2 || quotes[0].Text != "first words" {
			t.Errorf("ArticleWithQuotes(withText %v) quotes = %q, want %q in order", withText, texts(quotes), texts(qs))
		}
	}
	_, _, err := s.ArticleWithQuotes(ctx, quote.ArticleID("snap/none.txt"), false)
	wantCode(t, "ArticleWithQuotes of an unknown id", err, quote.ENotFound)

	failed := quote.Article{ID: quote.ArticleID("snap/bad.pdf"), Key: "snap/bad.pdf", Version: "01", UploadedAt: day,
		Status: quote.StatusFailed, Reason: "not text"}
	put(t, s, failed, nil)
	got, quotes, err := s.ArticleWithQuotes(ctx, failed.ID, true)
	if err != nil || got.Status != quote.StatusFailed || quotes == nil || len(quotes) != 0 {
		t.Errorf("ArticleWithQuotes of a failed upload = %+v, %v, %v; want it failed with an empty list", got, quotes, err)
	}
}

// snapshotRounds is how many uploads of one key the mixture test races
// readers against.
const snapshotRounds = 30

// testReadersNeverSeeAMix re-uploads one key while readers read it: every
// answer must be one upload's article, count and quotes.
func testReadersNeverSeeAMix(t *testing.T, s store.Store) {
	ctx := context.Background()
	const key = "snap/raced.txt"
	upload := func(round int) (quote.Article, []quote.Quote) {
		var quotes []said
		for i := range 1 + round%3 {
			quotes = append(quotes, said{kerry, fmt.Sprintf("round %d words %d", round, i), nil})
		}
		a, qs := article(key, fmt.Sprintf("%04X", round+1), day, quotes...)
		a.Title = fmt.Sprintf("round %d", round)
		for i := range qs {
			qs[i].Article.Title = a.Title
		}
		return a, qs
	}
	first, firstQuotes := upload(0)
	put(t, s, first, firstQuotes)

	done := make(chan struct{})
	var mixed []string
	var mu sync.Mutex
	var readers sync.WaitGroup
	for range 2 {
		readers.Go(func() {
			for {
				select {
				case <-done:
					return
				default:
				}
				a, quotes, err := s.ArticleWithQuotes(ctx, quote.ArticleID(key), true)
				problem := ""
				switch {
				case err != nil:
					problem = fmt.Sprintf("error %v", err)
				case a.QuoteCount != len(quotes):
					problem = fmt.Sprintf("%q counts %d quotes, got %d", a.Title, a.QuoteCount, len(quotes))
				default:
					for _, q := range quotes {
						if !strings.HasPrefix(q.Text, a.Title+" ") || !strings.Contains(a.Text, q.Text) {
							problem = fmt.Sprintf("%q holds quote %q", a.Title, q.Text)
						}
					}
				}
				if problem != "" {
					mu.Lock()
					mixed = append(mixed, problem)
					mu.Unlock()
				}
			}
		})
	}
	for round := 1; round <= snapshotRounds; round++ {
		a, qs := upload(round)
		put(t, s, a, qs)
	}
	close(done)
	readers.Wait()
	if len(mixed) > 0 {
		t.Errorf("%d reads saw a mixture of uploads, first: %s", len(mixed), mixed[0])
	}
}
