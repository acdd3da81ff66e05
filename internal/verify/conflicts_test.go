package verify

import (
	"context"
	"testing"
	"time"

	"github.com/newsroom-tools/quotes/internal/quote"
)

func TestConflicts(t *testing.T) {
	ctx := context.Background()
	s, sochi, brussels, digest := newsStore(t)
	later := time.Date(2015, 7, 1, 0, 0, 0, 0, time.UTC)
	surnameOnly := quote.Speaker{Name: "Kerry", Kind: quote.Person, Mention: "Kerry"}
	someone := quote.Speaker{Kind: quote.Unknown}
	repeats := seed(t, s, "2015/07/01/repeats.txt", later,
		"Kerry said: “"+kerryQuote+".” Someone said “"+officialQuote+"” and Putin called the talks “useful and frank”.",
		true,
		said{surnameOnly, kerryQuote, nil},
		said{someone, officialQuote, nil},
		said{quote.Speaker{Name: "Vladimir Putin", Kind: quote.Person}, "useful and frank", nil},
	)

	tests := []struct {
		name    string
		article quote.Article
		// want maps each new quote's text to the speaker the conflicting
		// stored quote is attributed to.
		want map[string]string
	}{
		{"an excerpt of Stoltenberg's words attributed to NATO", digest, map[string]string{buildUpExcerpt: "Jens Stoltenberg"}},
		{"Stoltenberg's words, repeated by NATO elsewhere", brussels, map[string]string{stoltenbergQuote: "NATO"}},
		{"a surname for the same speaker, an unknown speaker and a short phrase are no conflicts", repeats, map[string]string{}},
		{"words nobody else said", sochi, map[string]string{}},
	}
	v := New(s)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			qs, err := s.ArticleQuotes(ctx, tt.article.ID)
			if err != nil {
				t.Fatal(err)
			}
			byID := map[string]quote.Quote{}
			for _, q := range qs {
				byID[q.ID] = q
			}
			got, err := v.Conflicts(ctx, qs, later)
			if err != nil {
				t.Fatalf("Conflicts: %v", err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("Conflicts = %+v, want %d", got, len(tt.want))
			}
			for _, c := range got {
				mine, ok := byID[c.QuoteIDs[0]]
				other, err := s.Quote(ctx, c.QuoteIDs[1])
				if !ok || err != nil {
					t.Fatalf("conflict %v does not pair a new quote with a stored one (%v)", c.QuoteIDs, err)
				}
				if wantSpeaker, ok := tt.want[mine.Text]; !ok || other.Speaker.Name != wantSpeaker {
					t.Errorf("conflict of %q with %q by %q; want it with %q", mine.Text, other.Text, other.Speaker.Name, wantSpeaker)
				}
				if c.Similarity < ConflictThreshold || !c.Detected.Equal(later) {
					t.Errorf("conflict similarity %v detected %v", c.Similarity, c.Detected)
				}
			}
		})
	}
}
