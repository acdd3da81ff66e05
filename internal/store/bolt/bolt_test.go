package bolt

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	bbolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"

	"github.com/newsroom-tools/quotes/internal/quote"
	"github.com/newsroom-tools/quotes/internal/store"
	"github.com/newsroom-tools/quotes/internal/store/storetest"
)

func openAt(t testing.TB, path string) *DB {
	t.Helper()
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatalf("Open(%s): %v", path, err)
	}
	// Closing again is a no-op for a test that closed the store itself.
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return db
}

func openTemp(t testing.TB) *DB {
	t.Helper()
	return openAt(t, filepath.Join(t.TempDir(), "data", "quotes.db"))
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return openTemp(t) })
}

var (
	day    = time.Date(2015, 5, 12, 0, 0, 0, 0, time.UTC)
	kerry  = quote.Speaker{Name: "John Kerry", Kind: quote.Person}
	lavrov = quote.Speaker{Name: "Sergei Lavrov", Kind: quote.Person}
	agency = quote.Speaker{Name: "Reuters", Kind: quote.Organization}
	source = quote.Speaker{Name: "a senior US official", Kind: quote.Anonymous, Affiliation: "US", Role: "official"}
)

type said struct {
	speaker quote.Speaker
	text    string
	topics  []string
}

// upload builds an article and its quotes the way ingest fills them in,
// leaving Speaker.ID for the store to derive.
func upload(key, version string, date time.Time, says ...said) (quote.Article, []quote.Quote) {
	a := quote.Article{ID: quote.ArticleID(key), Key: key, Version: version, Title: "Title of " + key,
		Published: date, UploadedAt: date, Status: quote.StatusExtracted}
	var qs []quote.Quote
	seen := map[string]int{}
	for _, s := range says {
		start := len(a.Text) + len("“")
		a.Text += "“" + s.text + "” said someone. "
		qs = append(qs, quote.Quote{ID: quote.QuoteID(a.ID, s.text, seen[s.text]), Article: a.Ref(),
			Text: s.text, Start: start, End: start + len(s.text), Speaker: s.speaker, Topics: s.topics, Date: date})
		seen[s.text]++
	}
	a.QuoteCount = len(qs)
	return a, qs
}

func mustPut(t testing.TB, db *DB, a quote.Article, qs []quote.Quote) {
	t.Helper()
	if err := db.PutArticle(context.Background(), a, qs); err != nil {
		t.Fatalf("PutArticle(%s, %s): %v", a.Key, a.Version, err)
	}
}

func mustQuotes(t testing.TB, db *DB, q store.Query) store.Page {
	t.Helper()
	page, err := db.Quotes(context.Background(), q)
	if err != nil {
		t.Fatalf("Quotes(%+v): %v", q, err)
	}
	return page
}

func texts(qs []quote.Quote) []string {
	out := make([]string, len(qs))
	for i, q := range qs {
		out[i] = q.Text
	}
	return out
}

// allPages follows cursors to the end of a query's results.
func allPages(t testing.TB, db *DB, q store.Query) []string {
	t.Helper()
	var got []string
	for range 1000 {
		page := mustQuotes(t, db, q)
		got = append(got, texts(page.Quotes)...)
		if page.NextCursor == "" {
			return got
		}
		q.Cursor = page.NextCursor
	}
	t.Fatalf("Quotes(%+v) never ran out of pages", q)
	return nil
}

func TestDataSurvivesRestart(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "quotes.db")
	db := openAt(t, path)
	var want []string
	for i := range 5 {
		a, qs := upload(fmt.Sprintf("r%d.txt", i), "05", day.AddDate(0, 0, i), said{kerry, fmt.Sprintf("restart words %d", i), []string{"Syria"}})
		mustPut(t, db, a, qs)
		want = append([]string{qs[0].Text}, want...)
	}
	q := store.Query{SpeakerID: "john-kerry", Limit: 2}
	first := mustQuotes(t, db, q)
	if err := db.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}

	db = openAt(t, path)
	a, err := db.Article(ctx, quote.ArticleID("r0.txt"))
	if err != nil || a.Version != "05" || a.QuoteCount != 1 {
		t.Fatalf("Article after restart = %+v, %v; want version 05 with 1 quote", a, err)
	}
	// The cursor key is kept in the file, so a page fetched before the
	// restart continues after it.
	q.Cursor = first.NextCursor
	got := append(texts(first.Quotes), allPages(t, db, q)...)
	if !slices.Equal(got, want) {
		t.Errorf("pages across a restart = %q, want %q", got, want)
	}
	speakers, err := db.Speakers(ctx, "kerry", 5)
	if err != nil || len(speakers) != 1 || speakers[0].QuoteCount != 5 {
		t.Errorf("Speakers after restart = %+v, %v; want John Kerry with 5 quotes", speakers, err)
	}
	// Versions survive too: a stale redelivery is still refused.
	stale, sq := upload("r0.txt", "04", day, said{kerry, "stale", nil})
	if err := db.PutArticle(ctx, stale, sq); quote.ErrorCode(err) != quote.EConflict {
		t.Errorf("stale PutArticle after restart = %v, want code %s", err, quote.EConflict)
	}
}

func TestCursorKeyOption(t *testing.T) {
	path := filepath.Join(t.TempDir(), "quotes.db")
	reopen := func(key string) *DB {
		t.Helper()
		db, err := Open(path, Options{CursorKey: []byte(key)})
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	db := reopen("key one")
	for i := range 3 {
		a, qs := upload(fmt.Sprintf("ck%d.txt", i), "01", day.AddDate(0, 0, i), said{kerry, fmt.Sprintf("keyed %d", i), nil})
		mustPut(t, db, a, qs)
	}
	q := store.Query{SpeakerID: "john-kerry", Limit: 2}
	q.Cursor = mustQuotes(t, db, q).NextCursor
	db.Close()

	tests := []struct {
		key      string
		wantCode string
	}{
		{"key two", quote.EInvalid},
		{"", quote.EInvalid}, // the file's own generated key is not "key one"
		{"key one", ""},
	}
	for _, tt := range tests {
		db := reopen(tt.key)
		_, err := db.Quotes(context.Background(), q)
		if got := quote.ErrorCode(err); got != tt.wantCode {
			t.Errorf("cursor signed with %q, store opened with %q: error code %q (%v), want %q", "key one", tt.key, got, err, tt.wantCode)
		}
		db.Close()
	}
}

func TestSecondOpenOfLockedFileFails(t *testing.T) {
	path := filepath.Join(t.TempDir(), "quotes.db")
	openAt(t, path)
	second, err := Open(path, Options{Timeout: 50 * time.Millisecond})
	if err == nil {
		second.Close()
		t.Fatal("second Open of a locked file succeeded, want an error")
	}
	if !errors.Is(err, bolterrors.ErrTimeout) || !strings.Contains(err.Error(), "locked") || !strings.Contains(err.Error(), path) {
		t.Errorf("second Open error = %q, want a timeout naming the file and the lock", err)
	}
}

func TestOpenRefusesAnotherLayout(t *testing.T) {
	path := filepath.Join(t.TempDir(), "quotes.db")
	db := openAt(t, path)
	err := db.bolt.Update(func(tx *bbolt.Tx) error { return tx.Bucket(bucketMeta).Put(metaLayout, []byte("0")) })
	if err != nil {
		t.Fatalf("rewrite layout: %v", err)
	}
	if err := db.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if other, err := Open(path, Options{}); err == nil || !strings.Contains(err.Error(), "layout") {
		if other != nil {
			other.Close()
		}
		t.Fatalf("Open of a file with another layout = %v, want a layout error", err)
	}
	// The refused Open released the lock.
	raw, err := bbolt.Open(path, 0o600, &bbolt.Options{Timeout: 50 * time.Millisecond})
	if err != nil {
		t.Fatalf("file still locked after a refused Open: %v", err)
	}
	if err := raw.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
}

func TestInvalidRequests(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	a, qs := upload("v.txt", "01", day, said{kerry, "valid words", nil})
	mustPut(t, db, a, qs)

	for _, tt := range []struct {
		name string
		q    store.Query
	}{
		{"no filter", store.Query{}},
		{"only punctuation words", store.Query{Words: []string{"!?"}}},
		{"dates only", store.Query{From: day}},
		{"limit above max", store.Query{SpeakerID: "john-kerry", Limit: store.MaxLimit + 1}},
		{"negative limit", store.Query{SpeakerID: "john-kerry", Limit: -1}},
		{"unknown kind", store.Query{Kind: "alien"}},
		{"from after to", store.Query{SpeakerID: "john-kerry", From: day.AddDate(0, 0, 1), To: day}},
		{"short cursor", store.Query{SpeakerID: "john-kerry", Cursor: db.cursors.Encode(store.Query{SpeakerID: "john-kerry"}, []byte("x"))}},
	} {
		t.Run("Quotes "+tt.name, func(t *testing.T) {
			_, err := db.Quotes(ctx, tt.q)
			if got := quote.ErrorCode(err); got != quote.EInvalid {
				t.Errorf("Quotes(%+v) error code %q (%v), want %q", tt.q, got, err, quote.EInvalid)
			}
		})
	}
	for _, limit := range []int{-1, store.MaxLimit + 1} {
		_, err := db.Speakers(ctx, "ker", limit)
		if got := quote.ErrorCode(err); got != quote.EInvalid {
			t.Errorf("Speakers(limit %d) error code %q, want %q", limit, got, quote.EInvalid)
		}
	}

	dup, dq := upload("dup.txt", "01", day, said{kerry, "twice", nil})
	dq = append(dq, dq[0])
	noID, nq := upload("noid.txt", "01", day, said{kerry, "anonymous quote", nil})
	nq[0].ID = ""
	noKey, kq := upload("", "01", day)
	for _, tt := range []struct {
		name string
		a    quote.Article
		qs   []quote.Quote
	}{
		{"duplicate quote id", dup, dq},
		{"quote without id", noID, nq},
		{"article without key", noKey, kq},
	} {
		err := db.PutArticle(ctx, tt.a, tt.qs)
		if got := quote.ErrorCode(err); got != quote.EInvalid {
			t.Errorf("PutArticle with %s: error code %q (%v), want %q", tt.name, got, err, quote.EInvalid)
		}
		if tt.a.ID != "" {
			if _, err := db.Article(ctx, tt.a.ID); quote.ErrorCode(err) != quote.ENotFound {
				t.Errorf("PutArticle with %s stored the article (err %v)", tt.name, err)
			}
		}
	}
	if err := db.DeleteArticle(ctx, "", "01"); quote.ErrorCode(err) != quote.EInvalid {
		t.Errorf("DeleteArticle of an empty key = %v, want code %s", err, quote.EInvalid)
	}
	checkConsistent(t, db)
}

func TestCancelledContextWritesNothing(t *testing.T) {
	db := openTemp(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	a, qs := upload("ctx.txt", "01", day, said{kerry, "never stored", nil})
	if err := db.PutArticle(ctx, a, qs); !errors.Is(err, context.Canceled) {
		t.Errorf("PutArticle with a cancelled context = %v, want context.Canceled", err)
	}
	if _, err := db.Quotes(ctx, store.Query{SpeakerID: "john-kerry"}); !errors.Is(err, context.Canceled) {
		t.Errorf("Quotes with a cancelled context = %v, want context.Canceled", err)
	}
	if _, err := db.Article(context.Background(), a.ID); quote.ErrorCode(err) != quote.ENotFound {
		t.Errorf("article stored despite a cancelled context (err %v)", err)
	}
}

func TestDatesOrderAcrossTheEpochAndBoundsAreInclusive(t *testing.T) {
	db := openTemp(t)
	dates := []time.Time{
		time.Date(1969, 12, 31, 23, 59, 59, 999999999, time.UTC),
		time.Date(1945, 5, 8, 0, 0, 0, 0, time.UTC),
		time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2024, 2, 29, 12, 0, 0, 1, time.FixedZone("CET", 3600)),
		time.Date(2024, 2, 29, 12, 0, 0, 0, time.FixedZone("CET", 3600)),
	}
	for i, d := range dates {
		a, qs := upload(fmt.Sprintf("e%d.txt", i), "01", d, said{lavrov, fmt.Sprintf("epoch %d", i), nil})
		mustPut(t, db, a, qs)
	}
	tests := []struct {
		name     string
		from, to time.Time
		want     []string
	}{
		{"all newest first", time.Time{}, time.Time{}, []string{"epoch 3", "epoch 4", "epoch 2", "epoch 0", "epoch 1"}},
		{"bounds are inclusive to the nanosecond", dates[0], dates[4], []string{"epoch 4", "epoch 2", "epoch 0"}},
		{"to in another zone", time.Time{}, dates[4].UTC(), []string{"epoch 4", "epoch 2", "epoch 0", "epoch 1"}},
		{"empty range", dates[1].Add(time.Nanosecond), dates[0].Add(-time.Nanosecond), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := allPages(t, db, store.Query{SpeakerID: "sergei-lavrov", From: tt.from, To: tt.to, Limit: 2})
			if !slices.Equal(got, tt.want) {
				t.Errorf("Quotes from %v to %v = %q, want %q", tt.from, tt.to, got, tt.want)
			}
		})
	}
}

func TestPagingSurvivesTheIndexChoiceChanging(t *testing.T) {
	db := openTemp(t)
	var want []string
	for i := range 6 {
		a, qs := upload(fmt.Sprintf("both%d.txt", i), "01", day.Add(time.Duration(i)*time.Hour),
			said{kerry, fmt.Sprintf("alpha beta %d", i), nil})
		mustPut(t, db, a, qs)
		want = append([]string{qs[0].Text}, want...)
	}
	for i := range 3 {
		a, qs := upload(fmt.Sprintf("alpha%d.txt", i), "01", day, said{kerry, fmt.Sprintf("alpha only %d", i), nil})
		mustPut(t, db, a, qs)
	}
	q := store.Query{Words: []string{"Alpha", "beta"}, Limit: 2}
	first := mustQuotes(t, db, q) // beta (6 entries) is the rarer word
	for i := range 10 {
		a, qs := upload(fmt.Sprintf("beta%d.txt", i), "01", day, said{kerry, fmt.Sprintf("beta only %d", i), nil})
		mustPut(t, db, a, qs)
	}
	q.Cursor = first.NextCursor // now alpha (9 entries) is
	got := append(texts(first.Quotes), allPages(t, db, q)...)
	if !slices.Equal(got, want) {
		t.Errorf("pages = %q, want %q", got, want)
	}
}

func TestSpeakerCountsFollowReplacesAndDeletes(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	renamed := source
	renamed.Name = "the US official"
	a1, q1 := upload("s1.txt", "01", day, said{kerry, "one", nil}, said{kerry, "two", nil}, said{source, "three", nil})
	a2, q2 := upload("s2.txt", "01", day, said{kerry, "four", nil}, said{agency, "five", nil})
	mustPut(t, db, a1, q1)
	mustPut(t, db, a2, q2)
	a1v2, q1v2 := upload("s1.txt", "02", day, said{lavrov, "six", nil}, said{renamed, "seven", nil})
	mustPut(t, db, a1v2, q1v2)
	if err := db.DeleteArticle(ctx, "s2.txt", "02"); err != nil {
		t.Fatalf("DeleteArticle: %v", err)
	}

	tests := []struct {
		prefix string
		want   []store.SpeakerSummary
	}{
		{"", []store.SpeakerSummary{
			{ID: "anon-us-official", Name: "the US official", Kind: quote.Anonymous, QuoteCount: 1},
			{ID: "sergei-lavrov", Name: "Sergei Lavrov", Kind: quote.Person, QuoteCount: 1},
		}},
		{"kerry", []store.SpeakerSummary{}},
		{"reut", []store.SpeakerSummary{}},
		{"senior", []store.SpeakerSummary{}},
		{"the us", []store.SpeakerSummary{{ID: "anon-us-official", Name: "the US official", Kind: quote.Anonymous, QuoteCount: 1}}},
		{"Ser La", []store.SpeakerSummary{{ID: "sergei-lavrov", Name: "Sergei Lavrov", Kind: quote.Person, QuoteCount: 1}}},
		{"lavrov kerry", []store.SpeakerSummary{}},
		{"...", []store.SpeakerSummary{}},
	}
	for _, tt := range tests {
		got, err := db.Speakers(ctx, tt.prefix, 10)
		if err != nil {
			t.Fatalf("Speakers(%q): %v", tt.prefix, err)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("Speakers(%q) = %+v, want %+v", tt.prefix, got, tt.want)
		}
	}
	checkConsistent(t, db)
}

func TestSpeakersLimitAndOrder(t *testing.T) {
	db := openTemp(t)
	var says []said
	for i := range 4 {
		for j := range i + 1 {
			says = append(says, said{quote.Speaker{Name: fmt.Sprintf("Anna Speaker%d", i), Kind: quote.Person}, fmt.Sprintf("q%d-%d", i, j), nil})
		}
	}
	a, qs := upload("many.txt", "01", day, says...)
	mustPut(t, db, a, qs)
	for _, prefix := range []string{"", "anna"} {
		got, err := db.Speakers(context.Background(), prefix, 2)
		if err != nil {
			t.Fatalf("Speakers(%q): %v", prefix, err)
		}
		var ids []string
		for _, s := range got {
			ids = append(ids, s.ID)
		}
		if want := []string{"anna-speaker3", "anna-speaker2"}; !slices.Equal(ids, want) {
			t.Errorf("Speakers(%q, 2) = %q, want %q", prefix, ids, want)
		}
	}
}

// TestReadersNeverSeeAHalfReplacedArticle replaces one article over and over
// while readers check that every answer comes from a single upload.
func TestReadersNeverSeeAHalfReplacedArticle(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	const uploads, size = 30, 8
	version := func(n int) (quote.Article, []quote.Quote) {
		var says []said
		for i := range size {
			says = append(says, said{kerry, fmt.Sprintf("upload %02d quote %d", n, i), nil})
		}
		return upload("hot.txt", fmt.Sprintf("%04X", n), day, says...)
	}
	a, qs := version(0)
	mustPut(t, db, a, qs)

	done := make(chan struct{})
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 2 {
		wg.Go(func() {
			for {
				select {
				case <-done:
					return
				default:
				}
				got, err := db.ArticleQuotes(ctx, a.ID)
				if err == nil {
					err = sameUpload(got)
				}
				if err == nil {
					var page store.Page
					page, err = db.Quotes(ctx, store.Query{SpeakerID: "john-kerry", Limit: store.MaxLimit})
					if err == nil {
						err = sameUpload(page.Quotes)
					}
				}
				if err != nil {
					errs <- err
					return
				}
			}
		})
	}
	for n := 1; n <= uploads; n++ {
		a, qs := version(n)
		mustPut(t, db, a, qs)
	}
	close(done)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func sameUpload(qs []quote.Quote) error {
	if len(qs) != 8 {
		return fmt.Errorf("read %d quotes, want 8: %q", len(qs), texts(qs))
	}
	for _, q := range qs {
		if q.Text[:9] != qs[0].Text[:9] {
			return fmt.Errorf("read a mix of uploads: %q", texts(qs))
		}
	}
	return nil
}

// TestRandomHistoryKeepsIndexesExact plays a random history of uploads,
// replaces, stale redeliveries, deletes and conflicts found between any
// quotes ever stored, then checks every answer and every derived bucket
// against what the surviving uploads imply.
func TestRandomHistoryKeepsIndexesExact(t *testing.T) {
	ctx := context.Background()
	db := openTemp(t)
	rng := rand.New(rand.NewPCG(1, 2))
	speakers := []quote.Speaker{kerry, lavrov, agency, source}
	topics := []string{"Syria", "Ukraine", "Iran"}
	words := []string{"press", "talks", "peace", "sanctions", "Russia's"}
	type state struct {
		version string
		quotes  []quote.Quote // nil once deleted
	}
	model := map[string]state{}
	// conflicts maps each live pair, "a~b" sorted, to when it was found.
	conflicts := map[string]time.Time{}
	var everStored []string
	// replace ends the conflicts of the quotes key held.
	replace := func(key string, next state) {
		for _, q := range model[key].quotes {
			maps.DeleteFunc(conflicts, func(pair string, _ time.Time) bool {
				a, b, _ := strings.Cut(pair, "~")
				return a == q.ID || b == q.ID
			})
		}
		model[key] = next
	}
	isLive := func(id string) bool {
		for _, st := range model {
			if slices.ContainsFunc(st.quotes, func(q quote.Quote) bool { return q.ID == id }) {
				return true
			}
		}
		return false
	}
	for step := range 120 {
		key := fmt.Sprintf("k%d.txt", rng.IntN(6))
		version := fmt.Sprintf("%X", step+1)
		stale := rng.IntN(8) == 0 && model[key].version != ""
		if stale {
			version = model[key].version
		}
		if rng.IntN(5) == 0 {
			err := db.DeleteArticle(ctx, key, version)
			if stale {
				if quote.ErrorCode(err) != quote.EConflict {
					t.Fatalf("step %d: stale delete = %v, want conflict", step, err)
				}
				continue
			}
			if err != nil {
				t.Fatalf("step %d: DeleteArticle: %v", step, err)
			}
			replace(key, state{version: version})
			continue
		}
		var says []said
		for i := range rng.IntN(5) {
			says = append(says, said{speakers[rng.IntN(len(speakers))],
				fmt.Sprintf("%s %s %d", words[rng.IntN(len(words))], words[rng.IntN(len(words))], i),
				[]string{topics[rng.IntN(len(topics))]}})
		}
		a, qs := upload(key, version, day.Add(time.Duration(rng.IntN(48))*time.Hour), says...)
		err := db.PutArticle(ctx, a, qs)
		if stale {
			if quote.ErrorCode(err) != quote.EConflict {
				t.Fatalf("step %d: stale put = %v, want conflict", step, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("step %d: PutArticle: %v", step, err)
		}
		replace(key, state{version: version, quotes: qs})
		for _, q := range qs {
			everStored = append(everStored, q.ID)
		}
		var liveIDs []string
		for _, st := range model {
			for _, q := range st.quotes {
				liveIDs = append(liveIDs, q.ID)
			}
		}
		// In a fixed order, so that the seeded history is the same on every
		// run rather than following map iteration.
		slices.Sort(liveIDs)
		// Mostly pairs of live quotes, sometimes one already replaced or
		// deleted (AddConflicts then skips the pair).
		var found []store.Conflict
		for i := range rng.IntN(4) {
			pool := liveIDs
			if rng.IntN(4) == 0 {
				pool = everStored
			}
			if len(pool) < 2 {
				continue
			}
			a, b := pool[rng.IntN(len(pool))], pool[rng.IntN(len(pool))]
			if a == b {
				continue
			}
			found = append(found, store.Conflict{QuoteIDs: [2]string{a, b}, Similarity: 0.9, Detected: day.Add(time.Duration(step%7+i) * time.Minute)})
		}
		if err := db.AddConflicts(ctx, found); err != nil {
			t.Fatalf("step %d: AddConflicts: %v", step, err)
		}
		for _, c := range found {
			pair := c.QuoteIDs[:]
			slices.Sort(pair)
			if _, seen := conflicts[pair[0]+"~"+pair[1]]; !seen && isLive(pair[0]) && isLive(pair[1]) {
				conflicts[pair[0]+"~"+pair[1]] = c.Detected
			}
		}
	}

	counts := map[string]int{}
	var live []quote.Quote
	for _, key := range slices.Sorted(maps.Keys(model)) {
		st := model[key]
		got, err := db.ArticleQuotes(ctx, quote.ArticleID(key))
		if st.quotes == nil && quote.ErrorCode(err) == quote.ENotFound {
			continue
		}
		if err != nil {
			t.Fatalf("ArticleQuotes(%s): %v", key, err)
		}
		if !slices.Equal(texts(got), texts(st.quotes)) {
			t.Errorf("ArticleQuotes(%s) = %q, want %q", key, texts(got), texts(st.quotes))
		}
		for _, q := range st.quotes {
			counts[quote.SpeakerID(q.Speaker)]++
			live = append(live, q)
		}
	}
	listed, err := db.Speakers(ctx, "", store.MaxLimit)
	if err != nil {
		t.Fatalf("Speakers: %v", err)
	}
	gotCounts := map[string]int{}
	for _, s := range listed {
		gotCounts[s.ID] = s.QuoteCount
	}
	if !maps.Equal(gotCounts, counts) {
		t.Errorf("speaker counts = %v, want %v", gotCounts, counts)
	}
	for _, w := range words {
		want := 0
		for _, q := range live {
			if slices.Contains(quote.Words(q.Text), quote.Words(w)[0]) {
				want++
			}
		}
		if got := len(allPages(t, db, store.Query{Words: []string{w}, Limit: 7})); got != want {
			t.Errorf("word %q matches %d quotes, want %d", w, got, want)
		}
	}
	topicCounts := map[string]int{}
	for _, q := range live {
		topicCounts[q.Topics[0]]++
	}
	gotTopics, err := db.Topics(ctx, "", store.MaxLimit)
	if err != nil {
		t.Fatalf("Topics: %v", err)
	}
	gotTopicCounts := map[string]int{}
	for _, tc := range gotTopics {
		gotTopicCounts[tc.Topic] = tc.QuoteCount
	}
	if !maps.Equal(gotTopicCounts, topicCounts) {
		t.Errorf("topic counts = %v, want %v", gotTopicCounts, topicCounts)
	}
	// Newest first; pairs found at the same time in descending order (all
	// quote ids here have one length, so the pair keys sort as strings).
	wantConflicts := slices.SortedFunc(maps.Keys(conflicts), func(a, b string) int {
		return cmp.Or(conflicts[b].Compare(conflicts[a]), strings.Compare(b, a))
	})
	if len(wantConflicts) < 3 {
		t.Fatalf("only %d conflicts outlived the history; the test needs more to check paging", len(wantConflicts))
	}
	if got := allConflicts(t, db, 3); !slices.Equal(got, wantConflicts) {
		t.Errorf("Conflicts = %q, want %q", got, wantConflicts)
	}
	checkConsistent(t, db)
}

// allConflicts follows cursors to the end of the conflicts, each as "a~b".
func allConflicts(t testing.TB, db *DB, limit int) []string {
	t.Helper()
	var got []string
	cursor := ""
	for range 1000 {
		page, err := db.Conflicts(context.Background(), limit, cursor)
		if err != nil {
			t.Fatalf("Conflicts(%d, %q): %v", limit, cursor, err)
		}
		for _, c := range page.Conflicts {
			got = append(got, c.QuoteIDs[0]+"~"+c.QuoteIDs[1])
		}
		if cursor = page.NextCursor; cursor == "" {
			return got
		}
	}
	t.Fatal("Conflicts never ran out of pages")
	return nil
}

// checkConsistent rebuilds every derived bucket from the stored quotes and
// compares it with what the store maintained incrementally.
func checkConsistent(t *testing.T, db *DB) {
	t.Helper()
	err := db.bolt.View(func(tx *bbolt.Tx) error {
		wantIndex, wantPostings := map[string]bool{}, map[string]uint64{}
		wantSpeakers, storedQuotes := map[string]int{}, map[string]bool{}
		wantFingerprints, gotFingerprints := map[string]bool{}, map[string]bool{}
		err := tx.Bucket(bucketQuotes).ForEach(func(_, raw []byte) error {
			var q quote.Quote
			if err := json.Unmarshal(raw, &q); err != nil {
				return err
			}
			storedQuotes[q.ID] = true
			for _, p := range postingsOf(q) {
				prefix := indexPrefix(p.tag, p.value)
				wantIndex[string(append(prefix, position(q)...))] = true
				wantPostings[string(prefix)]++
			}
			wantSpeakers[q.Speaker.ID]++
			for _, k := range fingerprintKeys(q) {
				wantFingerprints[string(k)] = true
			}
			return nil
		})
		if err != nil {
			return err
		}
		listedQuotes := map[string]bool{}
		err = tx.Bucket(bucketArticleQuotes).ForEach(func(_, raw []byte) error {
			var ids []string
			if err := json.Unmarshal(raw, &ids); err != nil {
				return err
			}
			for _, id := range ids {
				listedQuotes[id] = true
			}
			return nil
		})
		if err != nil {
			return err
		}
		if !maps.Equal(listedQuotes, storedQuotes) {
			t.Errorf("articles list %d quotes, %d are stored", len(listedQuotes), len(storedQuotes))
		}
		gotIndex, gotPostings := map[string]bool{}, map[string]uint64{}
		tx.Bucket(bucketIndex).ForEach(func(k, _ []byte) error { gotIndex[string(k)] = true; return nil })
		tx.Bucket(bucketPostings).ForEach(func(k, v []byte) error { gotPostings[string(k)] = getUint64(v); return nil })
		if !maps.Equal(gotIndex, wantIndex) {
			t.Errorf("index has %d entries, rebuilt from quotes %d", len(gotIndex), len(wantIndex))
		}
		if !maps.Equal(gotPostings, wantPostings) {
			t.Errorf("postings = %v, rebuilt from quotes %v", gotPostings, wantPostings)
		}
		tx.Bucket(bucketFingerprints).ForEach(func(k, _ []byte) error { gotFingerprints[string(k)] = true; return nil })
		if !maps.Equal(gotFingerprints, wantFingerprints) {
			t.Errorf("fingerprints has %d entries, rebuilt from quotes %d", len(gotFingerprints), len(wantFingerprints))
		}
		gotSpeakers, gotRank, gotWords := map[string]int{}, map[string]bool{}, map[string]bool{}
		wantRank, wantWords := map[string]bool{}, map[string]bool{}
		err = tx.Bucket(bucketSpeakers).ForEach(func(k, v []byte) error {
			var s store.SpeakerSummary
			if err := json.Unmarshal(v, &s); err != nil {
				return err
			}
			gotSpeakers[string(k)] = s.QuoteCount
			wantRank[string(rankKey(s.ID, s.QuoteCount))] = true
			for _, w := range quote.Words(s.Name) {
				wantWords[string(wordKey(w, s.ID))] = true
			}
			return nil
		})
		if err != nil {
			return err
		}
		tx.Bucket(bucketSpeakerRank).ForEach(func(k, _ []byte) error { gotRank[string(k)] = true; return nil })
		tx.Bucket(bucketSpeakerWords).ForEach(func(k, _ []byte) error { gotWords[string(k)] = true; return nil })
		if !maps.Equal(gotSpeakers, wantSpeakers) {
			t.Errorf("speaker counts = %v, rebuilt from quotes %v", gotSpeakers, wantSpeakers)
		}
		if !maps.Equal(gotRank, wantRank) || !maps.Equal(gotWords, wantWords) {
			t.Errorf("speaker rank or name words out of step with speaker records")
		}
		return checkInsightsConsistent(t, tx, wantPostings)
	})
	if err != nil {
		t.Fatalf("check consistency: %v", err)
	}
}

// keysOf reads a bucket's keys, and its values when they are not empty.
func keysOf(tx *bbolt.Tx, bucket []byte) map[string]string {
	got := map[string]string{}
	tx.Bucket(bucket).ForEach(func(k, v []byte) error { got[string(k)] = string(v); return nil })
	return got
}

// checkInsightsConsistent rebuilds topic records from the postings counts,
// and checks speaker histories against the stored quotes and every
// conflict's indexes against the conflict and its quotes.
func checkInsightsConsistent(t *testing.T, tx *bbolt.Tx, postings map[string]uint64) error {
	t.Helper()
	quotes := tx.Bucket(bucketQuotes)
	wantRank, wantWords := map[string]string{}, map[string]string{}
	topics := keysOf(tx, bucketTopics)
	for folded, form := range topics {
		count := postings[string(indexPrefix(tagTopic, folded))]
		if count == 0 || quote.Fold(form) != folded {
			t.Errorf("topic %q stored as %q with %d quotes", folded, form, count)
		}
		wantRank[string(rankKey(folded, int(count)))] = ""
		for _, w := range quote.Words(folded) {
			wantWords[string(wordKey(w, folded))] = ""
		}
	}
	recorded := map[string]bool{}
	for folded := range topics {
		recorded[string(indexPrefix(tagTopic, folded))] = true
	}
	for prefix := range postings {
		if prefix[0] == tagTopic && !recorded[prefix] {
			t.Errorf("topic postings %q have no topic record", prefix)
		}
	}
	if !maps.Equal(keysOf(tx, bucketTopicRank), wantRank) || !maps.Equal(keysOf(tx, bucketTopicWords), wantWords) {
		t.Errorf("topic rank or words out of step with topic records and counts")
	}

	// Each history counts exactly the names the current quotes give.
	histories := map[string]speakerHistory{}
	for id, raw := range keysOf(tx, bucketSpeakerHistory) {
		var h speakerHistory
		if err := json.Unmarshal([]byte(raw), &h); err != nil {
			return err
		}
		if len(slices.Compact(slices.Sorted(slices.Values(h.Aliases)))) != len(h.Aliases) || len(slices.Compact(slices.Sorted(slices.Values(h.Roles)))) != len(h.Roles) {
			t.Errorf("history of %s repeats a name: %+v", id, h)
		}
		histories[id] = h
	}
	wantHistories := map[string]*speakerHistory{}
	err := quotes.ForEach(func(_, raw []byte) error {
		var q quote.Quote
		if err := json.Unmarshal(raw, &q); err != nil {
			return err
		}
		h := wantHistories[q.Speaker.ID]
		if h == nil {
			h = &speakerHistory{}
			wantHistories[q.Speaker.ID] = h
		}
		h.apply(q.Speaker, 1)
		return nil
	})
	if err != nil {
		return err
	}
	for id, want := range wantHistories {
		got, ok := histories[id]
		if !ok || !maps.Equal(got.AliasCounts, want.AliasCounts) || !maps.Equal(got.RoleCounts, want.RoleCounts) ||
			!sameNames(got.Aliases, want.Aliases) || !sameNames(got.Roles, want.Roles) {
			t.Errorf("history of %s = %+v, want the names of its current quotes %+v", id, got, *want)
		}
	}
	for id := range histories {
		if wantHistories[id] == nil {
			t.Errorf("speaker %s has a history but no quotes", id)
		}
	}

	wantDates, wantByQuote := map[string]string{}, map[string]string{}
	for pair, raw := range keysOf(tx, bucketConflicts) {
		var c store.Conflict
		if err := json.Unmarshal([]byte(raw), &c); err != nil {
			return err
		}
		a, b := c.QuoteIDs[0], c.QuoteIDs[1]
		if a >= b || pair != string(pairKey(a, b)) {
			t.Errorf("conflict %q stored as %q, %q: want the ids sorted and keyed by them", pair, a, b)
		}
		if quotes.Get([]byte(a)) == nil || quotes.Get([]byte(b)) == nil {
			t.Errorf("conflict %s~%s outlived one of its quotes", a, b)
		}
		wantDates[string(conflictDateKey(c.Detected, []byte(pair)))] = ""
		wantByQuote[string(append(quoteConflictPrefix(a), pair...))] = ""
		wantByQuote[string(append(quoteConflictPrefix(b), pair...))] = ""
	}
	if !maps.Equal(keysOf(tx, bucketConflictDates), wantDates) || !maps.Equal(keysOf(tx, bucketQuoteConflicts), wantByQuote) {
		t.Errorf("conflict dates or per-quote conflicts out of step with the conflicts")
	}
	return nil
}

func sameNames(a, b []string) bool {
	return slices.Equal(slices.Sorted(slices.Values(a)), slices.Sorted(slices.Values(b)))
}
