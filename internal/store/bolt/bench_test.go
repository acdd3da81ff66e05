package bolt

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/newsroom-tools/quotes/internal/quote"
	"github.com/newsroom-tools/quotes/internal/store"
)

// benchUpload is a typical article: ten quotes from five speakers.
func benchUpload(key, version string, date time.Time) (quote.Article, []quote.Quote) {
	var says []said
	for i := range 10 {
		says = append(says, said{
			quote.Speaker{Name: fmt.Sprintf("Speaker Number%d", i%5), Kind: quote.Person},
			fmt.Sprintf("We will press the talks on sanctions and peace in the region, point %d of %s", i, key),
			[]string{"Syria", "Russia"},
		})
	}
	return upload(key, version, date, says...)
}

// BenchmarkPutArticle includes bbolt's fsync on every commit, which
// dominates on most disks.
func BenchmarkPutArticle(b *testing.B) {
	b.Run("new", func(b *testing.B) {
		db := openTemp(b)
		b.ReportAllocs()
		n := 0
		for b.Loop() {
			n++
			a, qs := benchUpload(fmt.Sprintf("new%d.txt", n), "01", day)
			mustPut(b, db, a, qs)
		}
	})
	b.Run("replace", func(b *testing.B) {
		db := openTemp(b)
		b.ReportAllocs()
		n := 0
		for b.Loop() {
			n++
			a, qs := benchUpload("same.txt", fmt.Sprintf("%08X", n), day)
			mustPut(b, db, a, qs)
		}
	})
}

func BenchmarkQuotes(b *testing.B) {
	db := openTemp(b)
	const articles = 300
	for i := range articles {
		a, qs := benchUpload(fmt.Sprintf("seed%d.txt", i), "01", day.Add(time.Duration(i)*time.Hour))
		mustPut(b, db, a, qs)
	}
	for _, bm := range []struct {
		name string
		q    store.Query
	}{
		{"speaker", store.Query{SpeakerID: "speaker-number3", Limit: 20}},
		{"speaker and word", store.Query{SpeakerID: "speaker-number3", Words: []string{"sanctions"}, Limit: 20}},
		{"topic and date range", store.Query{Topic: "syria", From: day.Add(100 * time.Hour), To: day.Add(200 * time.Hour), Limit: 20}},
	} {
		b.Run(bm.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if page := mustQuotes(b, db, bm.q); len(page.Quotes) != 20 {
					b.Fatalf("page of %d quotes, want 20", len(page.Quotes))
				}
			}
		})
	}
	b.Run("speakers prefix", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			got, err := db.Speakers(context.Background(), "numb", 10)
			if err != nil || len(got) != 5 {
				b.Fatalf("Speakers = %d, %v; want 5", len(got), err)
			}
		}
	})
}
