package storetest

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/newsroom-tools/quotes/internal/quote"
	"github.com/newsroom-tools/quotes/internal/store"
)

// RunInsights runs the conformance suite of the store.Insights part of
// the contract, apart from Run so that a store can be checked against each
// concern on its own.
func RunInsights(t *testing.T, newStore NewStore) {
	tests := []struct {
		name string
		run  func(*testing.T, store.Store)
	}{
		{"SpeakerRecordAcrossArticles", testSpeakerRecord},
		{"TopicsWithCounts", testTopics},
		{"ConflictsRecordedAndListed", testConflicts},
		{"ConflictsEndWithTheirQuotes", testConflictsEnd},
		{"ConflictPaging", testConflictPaging},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.run(t, newStore(t))
		})
	}
}

func testSpeakerRecord(t *testing.T, s store.Store) {
	ctx := context.Background()
	kerryAsSecretary := kerry
	kerryAsSecretary.Mention = "Secretary Kerry"
	kerryAsSecretary.Descriptor = "Secretary of State"
	kerryAsHe := kerry
	kerryAsHe.Mention = "he"
	a, aq := article("r1.txt", "01", day, said{kerry, "first words", nil}, said{kerryAsHe, "second words", nil})
	b, bq := article("r2.txt", "01", day.AddDate(0, 1, 0), said{kerryAsSecretary, "third words", nil})
	put(t, s, a, aq)
	put(t, s, b, bq)

	got, err := s.Speaker(ctx, "john-kerry")
	if err != nil {
		t.Fatalf("Speaker(john-kerry): %v", err)
	}
	if got.ID != "john-kerry" || got.Name != "John Kerry" || got.Kind != quote.Person || got.QuoteCount != 3 {
		t.Errorf("Speaker summary = %+v, want John Kerry, person, 3 quotes", got.SpeakerSummary)
	}
	if want := []string{"John Kerry", "Kerry", "Secretary Kerry"}; !sameSet(got.Aliases, want) {
		t.Errorf("Aliases = %q, want %q (no pronouns)", got.Aliases, want)
	}
	if want := []string{"U.S. Secretary of State", "Secretary of State"}; !sameSet(got.Roles, want) {
		t.Errorf("Roles = %q, want %q", got.Roles, want)
	}
	if !got.FirstSeen.Equal(day) || !got.LastSeen.Equal(day.AddDate(0, 1, 0)) {
		t.Errorf("FirstSeen, LastSeen = %v, %v; want %v, %v", got.FirstSeen, got.LastSeen, day, day.AddDate(0, 1, 0))
	}

	if err := s.DeleteArticle(ctx, "r1.txt", "02"); err != nil {
		t.Fatal(err)
	}
	// What only the deleted article said goes with it.
	got, err = s.Speaker(ctx, "john-kerry")
	if err != nil || got.QuoteCount != 1 {
		t.Fatalf("after deleting an article, Speaker = %+v, %v; want 1 quote", got.SpeakerSummary, err)
	}
	if want := []string{"John Kerry", "Secretary Kerry"}; !sameSet(got.Aliases, want) {
		t.Errorf("after deleting an article, Aliases = %q, want %q", got.Aliases, want)
	}
	if want := []string{"Secretary of State"}; !sameSet(got.Roles, want) {
		t.Errorf("after deleting an article, Roles = %q, want %q", got.Roles, want)
	}
	if later := day.AddDate(0, 1, 0); !got.FirstSeen.Equal(later) || !got.LastSeen.Equal(later) {
		t.Errorf("after deleting an article, FirstSeen, LastSeen = %v, %v; want %v for both", got.FirstSeen, got.LastSeen, later)
	}
	_, err = s.Speaker(ctx, "nobody-at-all")
	wantCode(t, "Speaker of an unknown id", err, quote.ENotFound)
}

func topics(t *testing.T, s store.Store, prefix string) []store.TopicSummary {
	t.Helper()
	got, err := s.Topics(context.Background(), prefix, 20)
	if err != nil {
		t.Fatalf("Topics(%q): %v", prefix, err)
	}
	return got
}

func testTopics(t *testing.T, s store.Store) {
	a, aq := article("t1.txt", "01", day,
		said{kerry, "one", []string{"Syria", "Islamic State"}},
		said{lavrov, "two", []string{"Syria"}},
		said{official, "three", []string{"Syria", "Ukraine"}},
	)
	put(t, s, a, aq)

	all := topics(t, s, "")
	want := []store.TopicSummary{{Topic: "Syria", QuoteCount: 3}, {Topic: "Islamic State", QuoteCount: 1}, {Topic: "Ukraine", QuoteCount: 1}}
	if len(all) != 3 || all[0] != want[0] || !sameTopics(all, want) {
		t.Errorf("Topics(\"\") = %+v, want %+v, most quoted first", all, want)
	}
	for _, tt := range []struct {
		prefix string
		want   []store.TopicSummary
	}{
		{"syr", []store.TopicSummary{{Topic: "Syria", QuoteCount: 3}}},
		{"STATE", []store.TopicSummary{{Topic: "Islamic State", QuoteCount: 1}}},
		{"zzz", nil},
	} {
		if got := topics(t, s, tt.prefix); !sameTopics(got, tt.want) {
			t.Errorf("Topics(%q) = %+v, want %+v", tt.prefix, got, tt.want)
		}
	}

	// Replacing the article recounts; a topic left with no quotes goes.
	b, bq := article("t1.txt", "02", day, said{kerry, "one", []string{"Syria"}})
	put(t, s, b, bq)
	if got := topics(t, s, ""); !sameTopics(got, []store.TopicSummary{{Topic: "Syria", QuoteCount: 1}}) {
		t.Errorf("after replacement, Topics = %+v, want only Syria with 1", got)
	}
}

func sameTopics(got, want []store.TopicSummary) bool {
	return len(got) == len(want) && !slices.ContainsFunc(want, func(w store.TopicSummary) bool {
		return !slices.Contains(got, w)
	})
}

// conflicting stores two articles whose quotes repeat each other's words
// under other speakers, and returns their quotes.
func conflicting(t *testing.T, s store.Store) (quote.Quote, quote.Quote, quote.Quote) {
	t.Helper()
	a, aq := article("x1.txt", "01", day, said{kerry, "Russia must stop the bombing now", nil})
	b, bq := article("x2.txt", "01", day, said{lavrov, "Russia must stop the bombing now", nil}, said{zelensky, "unrelated", nil})
	put(t, s, a, aq)
	put(t, s, b, bq)
	return aq[0], bq[0], bq[1]
}

func conflictIDs(cs []store.Conflict) []string {
	var ids []string
	for _, c := range cs {
		pair := []string{c.QuoteIDs[0], c.QuoteIDs[1]}
		slices.Sort(pair)
		ids = append(ids, pair[0]+"~"+pair[1])
	}
	return ids
}

func testConflicts(t *testing.T, s store.Store) {
	ctx := context.Background()
	kerrys, lavrovs, other := conflicting(t, s)
	c := store.Conflict{QuoteIDs: [2]string{kerrys.ID, lavrovs.ID}, Similarity: 1, Detected: day}
	if err := s.AddConflicts(ctx, []store.Conflict{c}); err != nil {
		t.Fatalf("AddConflicts: %v", err)
	}
	reversed := store.Conflict{QuoteIDs: [2]string{lavrovs.ID, kerrys.ID}, Similarity: 1, Detected: day.Add(time.Hour)}
	if err := s.AddConflicts(ctx, []store.Conflict{reversed}); err != nil {
		t.Fatalf("AddConflicts of the same pair reversed: %v", err)
	}
	want := conflictIDs([]store.Conflict{c})
	for _, id := range []string{kerrys.ID, lavrovs.ID} {
		got, err := s.QuoteConflicts(ctx, id)
		if err != nil {
			t.Fatalf("QuoteConflicts(%s): %v", id, err)
		}
		if !slices.Equal(conflictIDs(got), want) || got[0].Similarity != 1 {
			t.Errorf("QuoteConflicts(%s) = %+v, want the one pair %q", id, got, want)
		}
	}
	if got, err := s.QuoteConflicts(ctx, other.ID); err != nil || len(got) != 0 {
		t.Errorf("QuoteConflicts of a quote in no conflict = %+v, %v; want none", got, err)
	}
	page, err := s.Conflicts(ctx, 10, "")
	if err != nil {
		t.Fatalf("Conflicts: %v", err)
	}
	if !slices.Equal(conflictIDs(page.Conflicts), want) || page.NextCursor != "" {
		t.Errorf("Conflicts = %+v, want the one pair and no next page", page)
	}
}

func testConflictsEnd(t *testing.T, s store.Store) {
	ctx := context.Background()
	kerrys, lavrovs, _ := conflicting(t, s)
	if err := s.AddConflicts(ctx, []store.Conflict{{QuoteIDs: [2]string{kerrys.ID, lavrovs.ID}, Similarity: 0.95, Detected: day}}); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteArticle(ctx, "x2.txt", "02"); err != nil {
		t.Fatal(err)
	}
	if got, err := s.QuoteConflicts(ctx, kerrys.ID); err != nil || len(got) != 0 {
		t.Errorf("after one side was deleted, QuoteConflicts = %+v, %v; want none", got, err)
	}
	if page, err := s.Conflicts(ctx, 10, ""); err != nil || len(page.Conflicts) != 0 {
		t.Errorf("after one side was deleted, Conflicts = %+v, %v; want none", page, err)
	}
}

func testConflictPaging(t *testing.T, s store.Store) {
	ctx := context.Background()
	var says []said
	for i := range 6 {
		says = append(says, said{kerry, fmt.Sprintf("conflict words %d", i), nil}, said{lavrov, fmt.Sprintf("conflict words %d", i), nil})
	}
	a, qs := article("pages.txt", "01", day, says...)
	put(t, s, a, qs)
	var want []string
	for i := range 6 {
		c := store.Conflict{QuoteIDs: [2]string{qs[2*i].ID, qs[2*i+1].ID}, Similarity: 1, Detected: day.Add(time.Duration(i) * time.Minute)}
		if err := s.AddConflicts(ctx, []store.Conflict{c}); err != nil {
			t.Fatal(err)
		}
		want = append(conflictIDs([]store.Conflict{c}), want...)
	}
	var got []string
	cursor := ""
	for range 6 {
		page, err := s.Conflicts(ctx, 4, cursor)
		if err != nil {
			t.Fatalf("Conflicts(4, %q): %v", cursor, err)
		}
		got = append(got, conflictIDs(page.Conflicts)...)
		if cursor = page.NextCursor; cursor == "" {
			break
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("paging Conflicts gave %q, want newest first %q", got, want)
	}
	_, err := s.Conflicts(ctx, 4, "forged.cursor")
	wantCode(t, "Conflicts with a forged cursor", err, quote.EInvalid)
}
