package bolt

import (
	"context"
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"testing"
	"time"

	bbolt "go.etcd.io/bbolt"

	"github.com/newsroom-tools/quotes/internal/quote"
	"github.com/newsroom-tools/quotes/internal/store"
	"github.com/newsroom-tools/quotes/internal/store/storetest"
)

func TestInsightsConformance(t *testing.T) {
	storetest.RunInsights(t, func(t *testing.T) store.Store {
		db := openTemp(t)
		t.Cleanup(func() { checkConsistent(t, db) })
		return db
	})
}

func mustAddConflicts(t testing.TB, db *DB, cs ...store.Conflict) {
	t.Helper()
	if err := db.AddConflicts(context.Background(), cs); err != nil {
		t.Fatalf("AddConflicts(%+v): %v", cs, err)
	}
}

func mustSpeaker(t testing.TB, db *DB, id string) store.SpeakerRecord {
	t.Helper()
	rec, err := db.Speaker(context.Background(), id)
	if err != nil {
		t.Fatalf("Speaker(%s): %v", id, err)
	}
	return rec
}

func topic(name string, count int) store.TopicSummary {
	return store.TopicSummary{Topic: name, QuoteCount: count}
}

func mustTopics(t testing.TB, db *DB, prefix string, limit int) []store.TopicSummary {
	t.Helper()
	got, err := db.Topics(context.Background(), prefix, limit)
	if err != nil {
		t.Fatalf("Topics(%q, %d): %v", prefix, limit, err)
	}
	return got
}

// quoteConflictIDs lists the conflicts of a quote as "a~b".
func quoteConflictIDs(t testing.TB, db *DB, id string) []string {
	t.Helper()
	got, err := db.QuoteConflicts(context.Background(), id)
	if err != nil {
		t.Fatalf("QuoteConflicts(%s): %v", id, err)
	}
	ids := []string{}
	for _, c := range got {
		ids = append(ids, c.QuoteIDs[0]+"~"+c.QuoteIDs[1])
	}
	return ids
}

func pairName(a, b string) string {
	if b < a {
		a, b = b, a
	}
	return a + "~" + b
}

func TestInsightsSurviveRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "quotes.db")
	db := openAt(t, path)
	a, aq := upload("left.txt", "01", day, said{kerry, "stop the bombing", []string{"Syria"}}, said{kerry, "talks go on", []string{"Syria"}})
	b, bq := upload("right.txt", "01", day.AddDate(0, 0, 1), said{lavrov, "stop the bombing", []string{"Syria"}}, said{lavrov, "talks go on", nil})
	mustPut(t, db, a, aq)
	mustPut(t, db, b, bq)
	mustAddConflicts(t, db,
		store.Conflict{QuoteIDs: [2]string{aq[0].ID, bq[0].ID}, Similarity: 1, Detected: day},
		store.Conflict{QuoteIDs: [2]string{bq[1].ID, aq[1].ID}, Similarity: 0.9, Detected: day.Add(time.Hour)},
	)
	first, err := db.Conflicts(context.Background(), 1, "")
	if err != nil || first.NextCursor == "" {
		t.Fatalf("Conflicts(1) = %+v, %v; want a page with a next cursor", first, err)
	}
	if err := db.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}

	db = openAt(t, path)
	second, err := db.Conflicts(context.Background(), 1, first.NextCursor)
	if err != nil {
		t.Fatalf("Conflicts after restart, with a cursor from before: %v", err)
	}
	got := []string{pairName(first.Conflicts[0].QuoteIDs[0], first.Conflicts[0].QuoteIDs[1])}
	for _, c := range second.Conflicts {
		got = append(got, pairName(c.QuoteIDs[0], c.QuoteIDs[1]))
	}
	if want := []string{pairName(aq[1].ID, bq[1].ID), pairName(aq[0].ID, bq[0].ID)}; !slices.Equal(got, want) || second.NextCursor != "" {
		t.Errorf("conflicts paged across a restart = %q (next %q), want %q and no next page", got, second.NextCursor, want)
	}
	if got, want := quoteConflictIDs(t, db, aq[0].ID), []string{pairName(aq[0].ID, bq[0].ID)}; !slices.Equal(got, want) {
		t.Errorf("QuoteConflicts after restart = %q, want %q", got, want)
	}
	if rec := mustSpeaker(t, db, "sergei-lavrov"); rec.QuoteCount != 2 || !rec.FirstSeen.Equal(day.AddDate(0, 0, 1)) {
		t.Errorf("Speaker after restart = %+v, want 2 quotes first seen %v", rec, day.AddDate(0, 0, 1))
	}
	if got, want := mustTopics(t, db, "", 10), []store.TopicSummary{{Topic: "Syria", QuoteCount: 3}}; !slices.Equal(got, want) {
		t.Errorf("Topics after restart = %+v, want %+v", got, want)
	}
	checkConsistent(t, db)
}

// TestConflictsEndWhenEitherSideIsReplaced covers the case the interface
// singles out: re-uploading an article keeps its quote ids when the words
// are unchanged, yet the conflict found against the old upload ends.
func TestConflictsEndWhenEitherSideIsReplaced(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	a, aq := upload("a.txt", "01", day, said{kerry, "stop the bombing", nil}, said{kerry, "we will talk", nil})
	b, bq := upload("b.txt", "01", day, said{lavrov, "stop the bombing", nil}, said{lavrov, "we will talk", nil})
	mustPut(t, db, a, aq)
	mustPut(t, db, b, bq)
	bombing := store.Conflict{QuoteIDs: [2]string{aq[0].ID, bq[0].ID}, Similarity: 1, Detected: day}
	talk := store.Conflict{QuoteIDs: [2]string{aq[1].ID, bq[1].ID}, Similarity: 1, Detected: day}
	mustAddConflicts(t, db, bombing, talk)

	b2, bq2 := upload("b.txt", "02", day, said{lavrov, "stop the bombing", nil}, said{lavrov, "we will talk", nil})
	mustPut(t, db, b2, bq2)
	if bq2[0].ID != bq[0].ID {
		t.Fatalf("re-upload changed the quote id %s to %s; the test needs it kept", bq[0].ID, bq2[0].ID)
	}
	for _, id := range []string{aq[0].ID, aq[1].ID, bq2[0].ID} {
		if got := quoteConflictIDs(t, db, id); len(got) != 0 {
			t.Errorf("after replacing one side, QuoteConflicts(%s) = %q, want none", id, got)
		}
	}
	if got := allConflicts(t, db, 10); len(got) != 0 {
		t.Errorf("after replacing one side, Conflicts = %q, want none", got)
	}

	// Detection runs again on the new upload and records the pair anew.
	mustAddConflicts(t, db, bombing)
	if got, want := quoteConflictIDs(t, db, bq2[0].ID), []string{pairName(aq[0].ID, bq[0].ID)}; !slices.Equal(got, want) {
		t.Errorf("conflict recorded again after the replace: QuoteConflicts = %q, want %q", got, want)
	}

	// A conflict naming a quote that is gone is skipped, the rest kept.
	a2, aq2 := upload("a.txt", "02", day, said{kerry, "stop the bombing now", nil}, said{kerry, "we will talk", nil})
	mustPut(t, db, a2, aq2)
	mustAddConflicts(t, db, bombing, store.Conflict{QuoteIDs: [2]string{aq2[1].ID, bq2[1].ID}, Similarity: 1, Detected: day})
	if got, want := allConflicts(t, db, 10), []string{pairName(aq2[1].ID, bq2[1].ID)}; !slices.Equal(got, want) {
		t.Errorf("Conflicts after adding one stale and one live pair = %q, want %q", got, want)
	}
	if _, err := db.Quote(ctx, aq[0].ID); quote.ErrorCode(err) != quote.ENotFound {
		t.Fatalf("quote %s still stored after its words changed (err %v)", aq[0].ID, err)
	}
	if _, err := db.QuoteConflicts(ctx, aq[0].ID); quote.ErrorCode(err) != quote.ENotFound {
		t.Errorf("QuoteConflicts of a quote no longer stored = %v, want code %s", err, quote.ENotFound)
	}
	checkConsistent(t, db)
}

func TestConflictOrderAndFirstDetectionKept(t *testing.T) {
	db := openTemp(t)
	var says []said
	for i := range 4 {
		says = append(says, said{kerry, fmt.Sprintf("order %d", i), nil})
	}
	a, qs := upload("order.txt", "01", day, says...)
	mustPut(t, db, a, qs)
	early := store.Conflict{QuoteIDs: [2]string{qs[0].ID, qs[1].ID}, Similarity: 0.8, Detected: day}
	late := store.Conflict{QuoteIDs: [2]string{qs[2].ID, qs[3].ID}, Similarity: 0.8, Detected: day.Add(time.Hour)}
	// The same pair in one batch, reversed and later: the first is kept.
	again := store.Conflict{QuoteIDs: [2]string{qs[1].ID, qs[0].ID}, Similarity: 0.5, Detected: day.Add(2 * time.Hour)}
	mustAddConflicts(t, db, early, late, again)

	page, err := db.Conflicts(context.Background(), 10, "")
	if err != nil {
		t.Fatalf("Conflicts: %v", err)
	}
	var got []string
	for _, c := range page.Conflicts {
		got = append(got, fmt.Sprintf("%s %v %.1f", pairName(c.QuoteIDs[0], c.QuoteIDs[1]), c.Detected.Sub(day), c.Similarity))
	}
	want := []string{
		pairName(qs[2].ID, qs[3].ID) + " 1h0m0s 0.8",
		pairName(qs[0].ID, qs[1].ID) + " 0s 0.8",
	}
	if !slices.Equal(got, want) {
		t.Errorf("Conflicts = %q, want newest first, each pair as first recorded: %q", got, want)
	}
	if c := page.Conflicts[0]; c.QuoteIDs[0] > c.QuoteIDs[1] {
		t.Errorf("conflict ids %q are not sorted", c.QuoteIDs)
	}
	checkConsistent(t, db)
}

// TestSpeakerRecordFollowsTheirQuotes: a speaker's names, roles and dates
// are those of their current quotes; deleting an article takes away what
// only it said, and a name kept by another quote keeps its place.
func TestSpeakerRecordFollowsTheirQuotes(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	asMinister := kerry
	asMinister.Mention, asMinister.Descriptor = "Kerry", "Secretary of State"
	asHe := kerry
	asHe.Mention, asHe.Descriptor = "He", "  "
	asSenator := kerry
	asSenator.Mention, asSenator.Descriptor = "Senator Kerry", "Senator"

	a, aq := upload("h1.txt", "01", day.AddDate(0, 0, 10), said{asMinister, "first", nil}, said{asHe, "second", nil})
	mustPut(t, db, a, aq)
	if err := db.DeleteArticle(ctx, "h1.txt", "02"); err != nil {
		t.Fatalf("DeleteArticle: %v", err)
	}
	if _, err := db.Speaker(ctx, "john-kerry"); quote.ErrorCode(err) != quote.ENotFound {
		t.Errorf("Speaker with no quotes left = %v, want code %s", err, quote.ENotFound)
	}

	// Back with an older quote, one with no date, and one as minister.
	b, bq := upload("h2.txt", "01", day, said{asSenator, "third", nil})
	c, cq := upload("h3.txt", "01", time.Time{}, said{kerry, "undated", nil})
	d, dq := upload("h4.txt", "01", day.AddDate(0, 0, 20), said{asMinister, "fourth", nil})
	for _, up := range []struct {
		a  quote.Article
		qs []quote.Quote
	}{{b, bq}, {c, cq}, {d, dq}} {
		mustPut(t, db, up.a, up.qs)
	}
	want := store.SpeakerRecord{
		SpeakerSummary: store.SpeakerSummary{ID: "john-kerry", Name: "John Kerry", Kind: quote.Person, QuoteCount: 3},
		Aliases:        []string{"John Kerry", "Senator Kerry", "Kerry"},
		Roles:          []string{"Senator", "Secretary of State"},
		FirstSeen:      day,
		LastSeen:       day.AddDate(0, 0, 20),
	}
	check := func(when string) {
		t.Helper()
		got := mustSpeaker(t, db, "john-kerry")
		if got.SpeakerSummary != want.SpeakerSummary || !slices.Equal(got.Aliases, want.Aliases) || !slices.Equal(got.Roles, want.Roles) ||
			!got.FirstSeen.Equal(want.FirstSeen) || !got.LastSeen.Equal(want.LastSeen) {
			t.Errorf("%s: Speaker = %+v\nwant %+v", when, got, want)
		}
	}
	check("after three uploads")

	if err := db.DeleteArticle(ctx, "h4.txt", "02"); err != nil {
		t.Fatalf("DeleteArticle: %v", err)
	}
	want.QuoteCount, want.Aliases, want.Roles, want.LastSeen = 2, []string{"John Kerry", "Senator Kerry"}, []string{"Senator"}, day
	check("after the minister's article was deleted")
	checkConsistent(t, db)
}

func TestSpeakerRecordListsAreNeverNull(t *testing.T) {
	db := openTemp(t)
	unnamed := quote.Speaker{Kind: quote.Unknown}
	a, qs := upload("u.txt", "01", time.Time{}, said{unnamed, "who said it", nil})
	mustPut(t, db, a, qs)
	got := mustSpeaker(t, db, "unknown")
	if got.Aliases == nil || got.Roles == nil || len(got.Aliases)+len(got.Roles) != 0 || !got.FirstSeen.IsZero() {
		t.Errorf("Speaker(unknown) = %+v, want empty, non-nil lists and no dates", got)
	}
}

func TestTopicsFormsPrefixesAndOrder(t *testing.T) {
	db := openTemp(t)
	a, aq := upload("t1.txt", "01", day,
		said{kerry, "one", []string{"islamic state", "Côte d'Ivoire"}},
		said{kerry, "two", []string{"State Department", "Syria"}},
		said{lavrov, "three", []string{"State Department", "Syria", "syria"}},
	)
	b, bq := upload("t2.txt", "01", day, said{lavrov, "four", []string{"Islamic State"}})
	mustPut(t, db, a, aq)
	mustPut(t, db, b, bq)

	tests := []struct {
		prefix string
		limit  int
		want   []store.TopicSummary
	}{
		// Ties by folded topic; the form is the one last tagged.
		{"", 10, []store.TopicSummary{topic("Islamic State", 2), topic("State Department", 2), topic("syria", 2), topic("Côte d'Ivoire", 1)}},
		{"", 2, []store.TopicSummary{topic("Islamic State", 2), topic("State Department", 2)}},
		{"sta", 10, []store.TopicSummary{topic("Islamic State", 2), topic("State Department", 2)}},
		{"sta", 1, []store.TopicSummary{topic("Islamic State", 2)}},
		{"state dep", 10, []store.TopicSummary{topic("State Department", 2)}},
		{"COTE", 10, []store.TopicSummary{topic("Côte d'Ivoire", 1)}},
		{"d’Iv", 10, []store.TopicSummary{topic("Côte d'Ivoire", 1)}}, // apostrophes join, as in quote.Words
		{"...", 10, []store.TopicSummary{}},
		{"syria state", 10, []store.TopicSummary{}},
	}
	for _, tt := range tests {
		if got := mustTopics(t, db, tt.prefix, tt.limit); !slices.Equal(got, tt.want) {
			t.Errorf("Topics(%q, %d) = %+v, want %+v", tt.prefix, tt.limit, got, tt.want)
		}
	}
	if err := db.DeleteArticle(context.Background(), "t1.txt", "02"); err != nil {
		t.Fatalf("DeleteArticle: %v", err)
	}
	if got, want := mustTopics(t, db, "", 10), []store.TopicSummary{topic("Islamic State", 1)}; !slices.Equal(got, want) {
		t.Errorf("after a delete, Topics = %+v, want %+v", got, want)
	}
	if got := mustTopics(t, db, "syr", 10); len(got) != 0 {
		t.Errorf("after a delete, Topics(syr) = %+v, want none", got)
	}
	checkConsistent(t, db)
}

func TestInvalidInsightsRequests(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	a, qs := upload("i.txt", "01", day, said{kerry, "one", []string{"Syria"}}, said{lavrov, "two", nil})
	mustPut(t, db, a, qs)

	for _, limit := range []int{0, -1, store.MaxLimit + 1} {
		if _, err := db.Topics(ctx, "", limit); quote.ErrorCode(err) != quote.EInvalid {
			t.Errorf("Topics(limit %d) = %v, want code %s", limit, err, quote.EInvalid)
		}
		if _, err := db.Conflicts(ctx, limit, ""); quote.ErrorCode(err) != quote.EInvalid {
			t.Errorf("Conflicts(limit %d) = %v, want code %s", limit, err, quote.EInvalid)
		}
	}
	for name, cursor := range map[string]string{
		"a cursor of a quote query": db.cursors.Encode(store.Query{SpeakerID: "john-kerry"}, []byte("position of a quote")),
		"a short position":          db.cursors.EncodeScope(conflictsScope, []byte("short")),
		"a truncated pair":          db.cursors.EncodeScope(conflictsScope, append(make([]byte, dateLen), 40, 'x')),
	} {
		if _, err := db.Conflicts(ctx, 10, cursor); quote.ErrorCode(err) != quote.EInvalid {
			t.Errorf("Conflicts with %s = %v, want code %s", name, err, quote.EInvalid)
		}
	}

	valid := store.Conflict{QuoteIDs: [2]string{qs[0].ID, qs[1].ID}, Similarity: 0.9, Detected: day}
	for name, bad := range map[string]store.Conflict{
		"one quote twice":      {QuoteIDs: [2]string{qs[0].ID, qs[0].ID}, Similarity: 1, Detected: day},
		"an empty id":          {QuoteIDs: [2]string{qs[0].ID, ""}, Similarity: 1, Detected: day},
		"similarity above one": {QuoteIDs: [2]string{qs[0].ID, qs[1].ID}, Similarity: 1.5, Detected: day},
		"similarity NaN":       {QuoteIDs: [2]string{qs[0].ID, qs[1].ID}, Similarity: math.NaN(), Detected: day},
	} {
		// Nothing of a batch with an invalid conflict is stored.
		if err := db.AddConflicts(ctx, []store.Conflict{valid, bad}); quote.ErrorCode(err) != quote.EInvalid {
			t.Errorf("AddConflicts with %s = %v, want code %s", name, err, quote.EInvalid)
		}
	}
	if got := allConflicts(t, db, 10); len(got) != 0 {
		t.Errorf("refused batches stored conflicts %q", got)
	}
	if _, err := db.Speaker(ctx, ""); quote.ErrorCode(err) != quote.ENotFound {
		t.Errorf("Speaker(\"\") = %v, want code %s", err, quote.ENotFound)
	}
	checkConsistent(t, db)
}

// TestUpgradeFromLayout1 opens a file as the previous build left it: the
// same buckets without the topics and speaker histories, and no conflicts.
func TestUpgradeFromLayout1(t *testing.T) {
	path := filepath.Join(t.TempDir(), "quotes.db")
	db := openAt(t, path)
	older := kerry
	older.Descriptor, older.Mention = "Senator", "Senator Kerry"
	a, aq := upload("u1.txt", "01", day.AddDate(0, 0, 3), said{kerry, "later words", []string{"Iran"}})
	b, bq := upload("u2.txt", "01", day, said{older, "earlier words", []string{"Iran", "Syria"}})
	mustPut(t, db, a, aq)
	mustPut(t, db, b, bq)
	err := db.bolt.Update(func(tx *bbolt.Tx) error {
		for _, name := range [][]byte{bucketSpeakerHistory, bucketTopics, bucketTopicRank, bucketTopicWords} {
			if err := tx.DeleteBucket(name); err != nil {
				return err
			}
		}
		return tx.Bucket(bucketMeta).Put(metaLayout, []byte("1"))
	})
	if err != nil {
		t.Fatalf("rewrite as layout 1: %v", err)
	}
	if err := db.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}

	db = openAt(t, path)
	checkConsistent(t, db)
	got := mustSpeaker(t, db, "john-kerry")
	if want := []string{"John Kerry", "Senator Kerry"}; !slices.Equal(got.Aliases, want) || !slices.Equal(got.Roles, []string{"Senator"}) ||
		!got.FirstSeen.Equal(day) || !got.LastSeen.Equal(day.AddDate(0, 0, 3)) {
		t.Errorf("Speaker after the upgrade = %+v, want aliases %q oldest first, role Senator, seen from %v to %v", got, want, day, day.AddDate(0, 0, 3))
	}
	if got, want := mustTopics(t, db, "", 10), []store.TopicSummary{topic("Iran", 2), topic("Syria", 1)}; !slices.Equal(got, want) {
		t.Errorf("Topics after the upgrade = %+v, want %+v", got, want)
	}
	var layout string
	db.bolt.View(func(tx *bbolt.Tx) error { layout = string(tx.Bucket(bucketMeta).Get(metaLayout)); return nil })
	if layout != layoutVersion {
		t.Errorf("layout after the upgrade = %q, want %q", layout, layoutVersion)
	}
	// Later writes maintain what the upgrade derived.
	if err := db.DeleteArticle(context.Background(), "u2.txt", "02"); err != nil {
		t.Fatalf("DeleteArticle: %v", err)
	}
	if got, want := mustTopics(t, db, "", 10), []store.TopicSummary{topic("Iran", 1)}; !slices.Equal(got, want) {
		t.Errorf("Topics after a delete = %+v, want %+v", got, want)
	}
	checkConsistent(t, db)
}

// TestUpgradeFromLayout2 opens a file whose speaker histories only grew
// (layout 2: names of deleted quotes kept, dates stored): Open rebuilds
// them from the current quotes.
func TestUpgradeFromLayout2(t *testing.T) {
	path := filepath.Join(t.TempDir(), "quotes.db")
	db := openAt(t, path)
	a, aq := upload("v1.txt", "01", day, said{kerry, "kept words", nil})
	mustPut(t, db, a, aq)
	err := db.bolt.Update(func(tx *bbolt.Tx) error {
		stale := `{"aliases":["John Kerry","Kerry","Senator Kerry"],"roles":["Senator"],"first_seen":"1999-01-01T00:00:00Z","last_seen":"2020-01-01T00:00:00Z"}`
		if err := tx.Bucket(bucketSpeakerHistory).Put([]byte("john-kerry"), []byte(stale)); err != nil {
			return err
		}
		return tx.Bucket(bucketMeta).Put(metaLayout, []byte("2"))
	})
	if err != nil {
		t.Fatalf("rewrite as layout 2: %v", err)
	}
	if err := db.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}

	db = openAt(t, path)
	checkConsistent(t, db)
	got := mustSpeaker(t, db, "john-kerry")
	if want := []string{"John Kerry"}; !slices.Equal(got.Aliases, want) || len(got.Roles) != 0 ||
		!got.FirstSeen.Equal(day) || !got.LastSeen.Equal(day) {
		t.Errorf("Speaker after the upgrade = %+v, want aliases %q, no role, seen on %v only", got, want, day)
	}
}
