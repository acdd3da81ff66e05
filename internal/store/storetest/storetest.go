// Package storetest is the conformance suite for store.Store: every
// implementation runs it from its own tests, so the embedded store and
// DynamoDB answer every question the same way.
package storetest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newsroom-tools/quotes/internal/quote"
	"github.com/newsroom-tools/quotes/internal/store"
)

// NewStore returns an empty store for one test; it registers its own
// cleanup with t.Cleanup.
type NewStore func(t *testing.T) store.Store

// Run runs the whole suite against stores made by newStore.
func Run(t *testing.T, newStore NewStore) {
	tests := []struct {
		name string
		run  func(*testing.T, store.Store)
	}{
		{"ArticleRoundTrip", testArticleRoundTrip},
		{"MissingThingsAreNotFound", testNotFound},
		{"FailedUploadIsRecorded", testFailedUpload},
		{"ReuploadReplacesQuotes", testReupload},
		{"StaleEventsChangeNothing", testStaleEvents},
		{"DeleteRemovesAndRemembers", testDelete},
		{"QueryBySpeakerTopicWordsKind", testQueryFilters},
		{"QueryDateRange", testQueryDateRange},
		{"PagingNewestFirst", testPaging},
		{"CursorsAreBoundToTheirQuery", testCursors},
		{"SpeakersByPrefix", testSpeakers},
		{"LargeArticle", testLargeArticle},
		{"NewestPagesThroughEverything", testNewest},
		{"InvalidWritesAreRefused", testInvalidWrites},
		{"ArticleWithQuotes", testArticleWithQuotes},
		{"ReadersNeverSeeAMix", testReadersNeverSeeAMix},
		{"SimilarQuotesByFingerprints", testSimilarQuotes},
		{"StopwordsAreCheckedNotIndexed", testStopwordQueries},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.run(t, newStore(t))
		})
	}
}

var day = time.Date(2015, 5, 12, 0, 0, 0, 0, time.UTC)

// speakerFixtures are the speakers the fixtures quote.
var (
	kerry    = quote.Speaker{Name: "John Kerry", Kind: quote.Person, Descriptor: "U.S. Secretary of State", Mention: "Kerry"}
	lavrov   = quote.Speaker{Name: "Sergei Lavrov", Kind: quote.Person, Mention: "Lavrov"}
	official = quote.Speaker{Name: "a senior US official", Kind: quote.Anonymous,
		Descriptor: "a senior US official who spoke on condition of anonymity", Affiliation: "US", Role: "official", Mention: "the official"}
	ministry = quote.Speaker{Name: "Russia's foreign ministry", Kind: quote.Organization, Mention: "Russia's foreign ministry"}
	zelensky = quote.Speaker{Name: "Volodymyr Zelénskyy", Kind: quote.Person, Mention: "Zelénskyy"}
)

type said struct {
	speaker quote.Speaker
	text    string
	topics  []string
}

// article builds an extracted article the way ingest does: ids, refs,
// dates and offsets filled in.
func article(key, version string, date time.Time, quotes ...said) (quote.Article, []quote.Quote) {
	a := quote.Article{
		ID: quote.ArticleID(key), Key: key, Version: version,
		Title: "Title of " + key, Outlet: "Wire", Published: date,
		UploadedAt: date.Add(time.Hour), Status: quote.StatusExtracted,
		QuoteCount: len(quotes),
	}
	var qs []quote.Quote
	seen := map[string]int{}
	for _, s := range quotes {
		a.Text += "“"
		start := len(a.Text)
		a.Text += s.text + "” said someone. "
		sp := s.speaker
		sp.ID = quote.SpeakerID(sp)
		qs = append(qs, quote.Quote{
			ID:      quote.QuoteID(a.ID, s.text, seen[s.text]),
			Article: a.Ref(), Text: s.text, Start: start, End: start + len(s.text),
			Speaker: sp, Topics: s.topics, Date: a.Date(),
			Evidence: quote.Evidence{Rule: "test", Confidence: 0.9,
				Cue: &quote.Span{Text: "said", Start: start + len(s.text) + 4, End: start + len(s.text) + 8}},
			Context: "“" + s.text + "” said someone.",
		})
		seen[s.text]++
	}
	return a, qs
}

func put(t *testing.T, s store.Store, a quote.Article, qs []quote.Quote) {
	t.Helper()
	if err := s.PutArticle(context.Background(), a, qs); err != nil {
		t.Fatalf("PutArticle(%s, version %s): %v", a.Key, a.Version, err)
	}
}

func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if got := quote.ErrorCode(err); got != code {
		t.Fatalf("%s: error code %q (err %v), want %q", what, got, err, code)
	}
}

func texts(qs []quote.Quote) []string {
	out := make([]string, len(qs))
	for i, q := range qs {
		out[i] = q.Text
	}
	return out
}

func query(t *testing.T, s store.Store, q store.Query) []string {
	t.Helper()
	if q.Limit == 0 {
		q.Limit = store.MaxLimit
	}
	page, err := s.Quotes(context.Background(), q)
	if err != nil {
		t.Fatalf("Quotes(%+v): %v", q, err)
	}
	return texts(page.Quotes)
}

func sameSet(got, want []string) bool {
	g, w := slices.Clone(got), slices.Clone(want)
	slices.Sort(g)
	slices.Sort(w)
	return slices.Equal(g, w)
}

func testArticleRoundTrip(t *testing.T, s store.Store) {
	ctx := context.Background()
	a, qs := article("seeds/kerry sochi.txt", "0A", day,
		said{kerry, "We’re going to press upon the Russians", []string{"Russia"}},
		said{official, "Nobody expects a breakthrough", []string{"Syria"}},
	)
	a.Text = "Straße — «Zelénskyy» 🙂 " + a.Text
	a.Truncated, a.Reason, a.Extractor = 3, "the article holds 5 quotes; only the first 2 are stored", "test-extractor-1"
	for i := range qs {
		qs[i].Start += len("Straße — «Zelénskyy» 🙂 ")
		qs[i].End += len("Straße — «Zelénskyy» 🙂 ")
	}
	put(t, s, a, qs)

	got, err := s.Article(ctx, a.ID)
	if err != nil {
		t.Fatalf("Article: %v", err)
	}
	if got.Key != a.Key || got.Title != a.Title || got.Status != quote.StatusExtracted ||
		got.QuoteCount != 2 || got.Truncated != 3 || got.Reason != a.Reason || got.Extractor != a.Extractor || got.Text != a.Text || got.Version != a.Version ||
		!got.Published.Equal(a.Published) || !got.UploadedAt.Equal(a.UploadedAt) || got.Outlet != a.Outlet {
		t.Errorf("Article = %+v\nwant %+v", got, a)
	}

	stored, err := s.ArticleQuotes(ctx, a.ID)
	if err != nil {
		t.Fatalf("ArticleQuotes: %v", err)
	}
	if len(stored) != len(qs) {
		t.Fatalf("ArticleQuotes returned %d quotes, want %d", len(stored), len(qs))
	}
	for i := range qs {
		g, w := stored[i], qs[i]
		if g.ID != w.ID || g.Text != w.Text || g.Start != w.Start || g.End != w.End ||
			g.Speaker != w.Speaker || g.Article != w.Article || !g.Date.Equal(w.Date) ||
			!slices.Equal(g.Topics, w.Topics) || g.Context != w.Context ||
			g.Evidence.Rule != w.Evidence.Rule || g.Evidence.Confidence != w.Evidence.Confidence ||
			g.Evidence.Cue == nil || *g.Evidence.Cue != *w.Evidence.Cue {
			t.Errorf("quote %d = %+v\nwant %+v", i, g, w)
		}
		if a.Text[g.Start:g.End] != g.Text {
			t.Errorf("quote %d offsets [%d,%d) give %q, want %q", i, g.Start, g.End, a.Text[g.Start:g.End], g.Text)
		}
		one, err := s.Quote(ctx, w.ID)
		if err != nil {
			t.Fatalf("Quote(%s): %v", w.ID, err)
		}
		if one.Text != w.Text || one.Speaker != w.Speaker {
			t.Errorf("Quote(%s) = %+v, want %+v", w.ID, one, w)
		}
	}
}

func testNotFound(t *testing.T, s store.Store) {
	ctx := context.Background()
	_, err := s.Article(ctx, quote.ArticleID("nope.txt"))
	wantCode(t, "Article of unknown id", err, quote.ENotFound)
	_, err = s.ArticleQuotes(ctx, quote.ArticleID("nope.txt"))
	wantCode(t, "ArticleQuotes of unknown id", err, quote.ENotFound)
	_, err = s.Quote(ctx, "nope-0123456789")
	wantCode(t, "Quote of unknown id", err, quote.ENotFound)
	got := query(t, s, store.Query{SpeakerID: "john-kerry"})
	if len(got) != 0 {
		t.Errorf("Quotes on an empty store = %q, want none", got)
	}
}

func testFailedUpload(t *testing.T, s store.Store) {
	ctx := context.Background()
	a := quote.Article{ID: quote.ArticleID("bad.pdf"), Key: "bad.pdf", Version: "01",
		UploadedAt: day, Status: quote.StatusFailed, Reason: "not text: looks like application/pdf"}
	put(t, s, a, nil)
	got, err := s.Article(ctx, a.ID)
	if err != nil {
		t.Fatalf("Article: %v", err)
	}
	if got.Status != quote.StatusFailed || got.Reason != a.Reason || got.QuoteCount != 0 {
		t.Errorf("Article = %+v, want status failed with reason %q", got, a.Reason)
	}
	qs, err := s.ArticleQuotes(ctx, a.ID)
	if err != nil || len(qs) != 0 {
		t.Errorf("ArticleQuotes = %v, %v; want none, nil", qs, err)
	}

	// A bad upload replacing a good one: the failure is recorded and the
	// old quotes stop being served, since they no longer match the object.
	good, goodQs := article("k.txt", "02", day, said{kerry, "old words", nil})
	put(t, s, good, goodQs)
	bad := quote.Article{ID: good.ID, Key: good.Key, Version: "03", UploadedAt: day,
		Status: quote.StatusFailed, Reason: "empty object"}
	put(t, s, bad, nil)
	if got := query(t, s, store.Query{SpeakerID: "john-kerry"}); len(got) != 0 {
		t.Errorf("after a failed re-upload, speaker query = %q, want none", got)
	}
	_, err = s.Quote(ctx, goodQs[0].ID)
	wantCode(t, "Quote of a replaced article's quote", err, quote.ENotFound)
}

func testReupload(t *testing.T, s store.Store) {
	ctx := context.Background()
	v1, q1 := article("a.txt", "0100", day,
		said{kerry, "first version words", []string{"Syria"}},
		said{lavrov, "Lavrov old words", []string{"Syria"}},
	)
	put(t, s, v1, q1)
	v2, q2 := article("a.txt", "0200", day,
		said{kerry, "second version words", []string{"Ukraine"}},
	)
	put(t, s, v2, q2)

	got, err := s.ArticleQuotes(ctx, v1.ID)
	if err != nil {
		t.Fatalf("ArticleQuotes: %v", err)
	}
	if want := []string{"second version words"}; !slices.Equal(texts(got), want) {
		t.Errorf("ArticleQuotes after re-upload = %q, want %q", texts(got), want)
	}
	for _, q := range []store.Query{{SpeakerID: "john-kerry"}, {Topic: "Syria"}, {SpeakerID: "sergei-lavrov"}, {Words: []string{"words"}}} {
		got := query(t, s, q)
		for _, text := range got {
			if text != "second version words" {
				t.Errorf("Quotes(%+v) still returns %q from the replaced upload", q, text)
			}
		}
	}
	if a, _ := s.Article(ctx, v1.ID); a.Version != "0200" || a.QuoteCount != 1 {
		t.Errorf("Article after re-upload: version %q count %d, want 0200 and 1", a.Version, a.QuoteCount)
	}
	for _, sp := range mustSpeakers(t, s, "lavrov") {
		if sp.ID == "sergei-lavrov" && sp.QuoteCount != 0 {
			t.Errorf("Lavrov's quote count after his only quote was replaced = %d, want 0 (or not listed)", sp.QuoteCount)
		}
	}
}

func testStaleEvents(t *testing.T, s store.Store) {
	ctx := context.Background()
	newer, nq := article("b.txt", "00FF", day, said{kerry, "newer words", nil})
	put(t, s, newer, nq)
	older, oq := article("b.txt", "00FE", day, said{kerry, "older words", nil})
	wantCode(t, "PutArticle of an older version", s.PutArticle(ctx, older, oq), quote.EConflict)
	wantCode(t, "PutArticle of the same version again", s.PutArticle(ctx, newer, nq), quote.EConflict)
	wantCode(t, "DeleteArticle of an older version", s.DeleteArticle(ctx, "b.txt", "00FD"), quote.EConflict)
	// Sequencers of different lengths compare as hex numbers.
	shorter, sq := article("b.txt", "FE", day, said{kerry, "short sequencer words", nil})
	wantCode(t, "PutArticle of a shorter, smaller sequencer", s.PutArticle(ctx, shorter, sq), quote.EConflict)

	if got := query(t, s, store.Query{SpeakerID: "john-kerry"}); !slices.Equal(got, []string{"newer words"}) {
		t.Errorf("after stale events, quotes = %q, want [newer words]", got)
	}

	// A re-extraction of the object is stored under a revision of its
	// version: newer than the version, older than the next event.
	again, aq := article("b.txt", quote.NextRevision("00FF"), day, said{kerry, "re-extracted words", nil})
	put(t, s, again, aq)
	wantCode(t, "PutArticle of the version re-extracted", s.PutArticle(ctx, newer, nq), quote.EConflict)
	older2, o2q := article("b.txt", "00FF.1", day, said{kerry, "the same revision again", nil})
	wantCode(t, "PutArticle of the same revision again", s.PutArticle(ctx, older2, o2q), quote.EConflict)
	next, xq := article("b.txt", "0100", day, said{kerry, "next upload words", nil})
	put(t, s, next, xq)
	late, lq := article("b.txt", "00FF.2", day, said{kerry, "a late re-extraction", nil})
	wantCode(t, "PutArticle of a re-extraction older than the next upload", s.PutArticle(ctx, late, lq), quote.EConflict)
	if got := query(t, s, store.Query{SpeakerID: "john-kerry"}); !slices.Equal(got, []string{"next upload words"}) {
		t.Errorf("after revisions, quotes = %q, want [next upload words]", got)
	}
}

func testDelete(t *testing.T, s store.Store) {
	ctx := context.Background()
	a, qs := article("c.txt", "10", day, said{kerry, "soon deleted", []string{"Syria"}})
	put(t, s, a, qs)
	if err := s.DeleteArticle(ctx, "c.txt", "11"); err != nil {
		t.Fatalf("DeleteArticle: %v", err)
	}
	_, err := s.Article(ctx, a.ID)
	wantCode(t, "Article after delete", err, quote.ENotFound)
	_, err = s.Quote(ctx, qs[0].ID)
	wantCode(t, "Quote after delete", err, quote.ENotFound)
	if got := query(t, s, store.Query{Topic: "Syria"}); len(got) != 0 {
		t.Errorf("topic query after delete = %q, want none", got)
	}
	// The upload the delete superseded, redelivered late, stays deleted.
	wantCode(t, "PutArticle older than the delete", s.PutArticle(ctx, a, qs), quote.EConflict)
	if _, err := s.Article(ctx, a.ID); quote.ErrorCode(err) != quote.ENotFound {
		t.Errorf("a stale upload brought a deleted article back (err %v)", err)
	}
	// A newer upload after the delete is stored.
	again, aq := article("c.txt", "12", day, said{kerry, "back again", nil})
	put(t, s, again, aq)
	if got := query(t, s, store.Query{SpeakerID: "john-kerry"}); !slices.Equal(got, []string{"back again"}) {
		t.Errorf("after re-upload following delete, quotes = %q", got)
	}
	if err := s.DeleteArticle(ctx, "never-seen.txt", "01"); err != nil {
		t.Errorf("DeleteArticle of a key never seen = %v, want nil", err)
	}
	// A late upload for that key, older than the deletion, is refused.
	ghost, gq := article("never-seen.txt", "00", day, said{kerry, "ghost", nil})
	wantCode(t, "PutArticle older than a delete of an unseen key", s.PutArticle(ctx, ghost, gq), quote.EConflict)
}

func testQueryFilters(t *testing.T, s store.Store) {
	a, aq := article("q1.txt", "01", day,
		said{kerry, "We will press the Russians on Syria", []string{"Syria", "Russia"}},
		said{official, "Nobody expects a breakthrough in Syria", []string{"Syria"}},
		said{ministry, "A difficult period in relations", []string{"United States"}},
	)
	b, bq := article("q2.txt", "01", day.Add(24*time.Hour),
		said{kerry, "Ukraine must be resolved", []string{"Ukraine"}},
		said{zelensky, "Ukraine will not give up", []string{"Ukraine"}},
	)
	put(t, s, a, aq)
	put(t, s, b, bq)

	tests := []struct {
		name string
		q    store.Query
		want []string
	}{
		{"speaker newest first", store.Query{SpeakerID: "john-kerry"},
			[]string{"Ukraine must be resolved", "We will press the Russians on Syria"}},
		{"topic", store.Query{Topic: "Syria"},
			[]string{"We will press the Russians on Syria", "Nobody expects a breakthrough in Syria"}},
		{"topic is case-insensitive", store.Query{Topic: "ukraine"},
			[]string{"Ukraine must be resolved", "Ukraine will not give up"}},
		{"kind", store.Query{Kind: quote.Anonymous}, []string{"Nobody expects a breakthrough in Syria"}},
		{"kind organization", store.Query{Kind: quote.Organization}, []string{"A difficult period in relations"}},
		{"words any order", store.Query{Words: []string{"syria", "press"}}, []string{"We will press the Russians on Syria"}},
		{"words all must match", store.Query{Words: []string{"syria", "ukraine"}}, nil},
		{"speaker and topic", store.Query{SpeakerID: "john-kerry", Topic: "Ukraine"}, []string{"Ukraine must be resolved"}},
		{"kind and topic", store.Query{Kind: quote.Anonymous, Topic: "Ukraine"}, nil},
		{"words and kind", store.Query{Words: []string{"syria"}, Kind: quote.Anonymous}, []string{"Nobody expects a breakthrough in Syria"}},
		{"speaker with diacritics folded", store.Query{SpeakerID: "volodymyr-zelenskyy"}, []string{"Ukraine will not give up"}},
		{"anonymous grouped by description", store.Query{SpeakerID: "anon-us-official"}, []string{"Nobody expects a breakthrough in Syria"}},
		{"unknown speaker", store.Query{SpeakerID: "nobody-at-all"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := query(t, s, tt.q)
			if tt.q.SpeakerID != "" && tt.q.Topic == "" {
				// A single speaker's quotes have a defined order.
				if !slices.Equal(got, tt.want) {
					t.Errorf("Quotes(%+v) = %q, want %q", tt.q, got, tt.want)
				}
				return
			}
			if !sameSet(got, tt.want) {
				t.Errorf("Quotes(%+v) = %q, want %q (any order within a day)", tt.q, got, tt.want)
			}
		})
	}
}

func testQueryDateRange(t *testing.T, s store.Store) {
	for i := range 5 {
		a, qs := article(fmt.Sprintf("d%d.txt", i), "01", day.AddDate(0, 0, i),
			said{kerry, fmt.Sprintf("day %d", i), []string{"Syria"}})
		put(t, s, a, qs)
	}
	got := query(t, s, store.Query{SpeakerID: "john-kerry", From: day.AddDate(0, 0, 1), To: day.AddDate(0, 0, 3)})
	if want := []string{"day 3", "day 2", "day 1"}; !slices.Equal(got, want) {
		t.Errorf("date range = %q, want %q", got, want)
	}
	got = query(t, s, store.Query{Topic: "syria", From: day.AddDate(0, 0, 4)})
	if want := []string{"day 4"}; !slices.Equal(got, want) {
		t.Errorf("from only = %q, want %q", got, want)
	}
}

func testPaging(t *testing.T, s store.Store) {
	ctx := context.Background()
	const n = 23
	var want []string
	for i := range n {
		a, qs := article(fmt.Sprintf("p%02d.txt", i), "01", day.Add(time.Duration(i)*time.Hour),
			said{kerry, fmt.Sprintf("paged quote %02d", i), []string{"Syria"}})
		put(t, s, a, qs)
		want = append([]string{qs[0].Text}, want...)
	}
	for _, q := range []store.Query{{SpeakerID: "john-kerry"}, {Topic: "Syria"}, {Words: []string{"paged"}}} {
		q.Limit = 5
		var got []string
		pages := 0
		for {
			page, err := s.Quotes(ctx, q)
			if err != nil {
				t.Fatalf("Quotes(%+v): %v", q, err)
			}
			if len(page.Quotes) > q.Limit {
				t.Fatalf("page of %d quotes, limit %d", len(page.Quotes), q.Limit)
			}
			got = append(got, texts(page.Quotes)...)
			pages++
			if page.NextCursor == "" || pages > n {
				break
			}
			q.Cursor = page.NextCursor
		}
		if !slices.Equal(got, want) {
			t.Errorf("paging %+v gave\n%q\nwant\n%q", q, got, want)
		}
	}
}

func testCursors(t *testing.T, s store.Store) {
	ctx := context.Background()
	for i := range 4 {
		a, qs := article(fmt.Sprintf("c%d.txt", i), "01", day.Add(time.Duration(i)*time.Hour),
			said{kerry, fmt.Sprintf("cursor quote %d", i), []string{"Syria"}})
		put(t, s, a, qs)
	}
	first, err := s.Quotes(ctx, store.Query{SpeakerID: "john-kerry", Limit: 2})
	if err != nil || first.NextCursor == "" {
		t.Fatalf("first page: %v, next cursor %q; want a cursor", err, first.NextCursor)
	}
	tampered := []byte(first.NextCursor)
	tampered[0] ^= 1
	for _, tt := range []struct {
		name string
		q    store.Query
	}{
		{"tampered", store.Query{SpeakerID: "john-kerry", Limit: 2, Cursor: string(tampered)}},
		{"garbage", store.Query{SpeakerID: "john-kerry", Limit: 2, Cursor: "not-a-cursor"}},
		{"another query's", store.Query{Topic: "Syria", Limit: 2, Cursor: first.NextCursor}},
	} {
		_, err := s.Quotes(ctx, tt.q)
		wantCode(t, tt.name+" cursor", err, quote.EInvalid)
	}
}

func mustSpeakers(t *testing.T, s store.Store, prefix string) []store.SpeakerSummary {
	t.Helper()
	got, err := s.Speakers(context.Background(), prefix, 20)
	if err != nil {
		t.Fatalf("Speakers(%q): %v", prefix, err)
	}
	return got
}

func testSpeakers(t *testing.T, s store.Store) {
	a, aq := article("s1.txt", "01", day,
		said{kerry, "one", nil}, said{kerry, "two", nil}, said{lavrov, "three", nil},
		said{zelensky, "four", nil}, said{official, "five", nil},
	)
	b, bq := article("s2.txt", "01", day, said{kerry, "six", nil})
	put(t, s, a, aq)
	put(t, s, b, bq)

	tests := []struct {
		prefix string
		want   []store.SpeakerSummary
	}{
		{"ker", []store.SpeakerSummary{{ID: "john-kerry", Name: "John Kerry", Kind: quote.Person, QuoteCount: 3}}},
		{"JOHN", []store.SpeakerSummary{{ID: "john-kerry", Name: "John Kerry", Kind: quote.Person, QuoteCount: 3}}},
		{"zelen", []store.SpeakerSummary{{ID: "volodymyr-zelenskyy", Name: "Volodymyr Zelénskyy", Kind: quote.Person, QuoteCount: 1}}},
		{"lavrov", []store.SpeakerSummary{{ID: "sergei-lavrov", Name: "Sergei Lavrov", Kind: quote.Person, QuoteCount: 1}}},
		{"xyz", nil},
	}
	for _, tt := range tests {
		got := mustSpeakers(t, s, tt.prefix)
		if !slices.Equal(got, tt.want) {
			t.Errorf("Speakers(%q) = %+v, want %+v", tt.prefix, got, tt.want)
		}
	}
	all := mustSpeakers(t, s, "")
	if len(all) < 4 || all[0].ID != "john-kerry" {
		t.Errorf("Speakers(\"\") = %+v, want the most quoted (john-kerry) first and all four named speakers", all)
	}
	anon := mustSpeakers(t, s, "offic")
	if len(anon) != 1 || anon[0].Kind != quote.Anonymous || anon[0].ID != "anon-us-official" {
		t.Errorf("Speakers(\"offic\") = %+v, want the anonymous US official group", anon)
	}
}

func testLargeArticle(t *testing.T, s store.Store) {
	ctx := context.Background()
	var says []said
	for i := range 300 {
		says = append(says, said{kerry, fmt.Sprintf("large article quote number %03d", i), []string{"Syria"}})
	}
	a, qs := article("large.txt", "01", day, says...)
	put(t, s, a, qs)
	got, err := s.ArticleQuotes(ctx, a.ID)
	if err != nil {
		t.Fatalf("ArticleQuotes: %v", err)
	}
	if len(got) != 300 || got[0].Text != says[0].text || got[299].Text != says[299].text {
		t.Fatalf("ArticleQuotes returned %d quotes, want 300 in order", len(got))
	}
	// Replacing it with a small version leaves no orphans behind.
	small, sq := article("large.txt", "02", day, said{kerry, "just one now", []string{"Syria"}})
	put(t, s, small, sq)
	if got := query(t, s, store.Query{Topic: "Syria"}); !slices.Equal(got, []string{"just one now"}) {
		t.Errorf("after replacing 300 quotes with one, topic query returns %d quotes", len(got))
	}
}

// testNewest stores quotes of every speaker kind, several per article
// (one date), and pages through them all with store.Newest: each once,
// newest first, at every page size, and within dates.
func testNewest(t *testing.T, s store.Store) {
	ctx := context.Background()
	nobody := quote.Speaker{Kind: quote.Unknown, Mention: "it"}
	var want []quote.Quote
	for i := range 9 {
		speakers := []quote.Speaker{kerry, ministry, official, nobody, lavrov}
		var quotes []said
		for j := range 1 + i%4 {
			quotes = append(quotes, said{speakers[(i+j)%len(speakers)], fmt.Sprintf("everything %d %d", i, j), nil})
		}
		a, qs := article(fmt.Sprintf("n%02d.txt", i), "01", day.Add(time.Duration(i%5)*time.Hour), quotes...)
		put(t, s, a, qs)
		want = append(want, qs...)
	}
	slices.SortFunc(want, func(a, b quote.Quote) int {
		if c := b.Date.Compare(a.Date); c != 0 {
			return c
		}
		return strings.Compare(b.ID, a.ID)
	})
	wantIDs := make([]string, len(want))
	for i, q := range want {
		wantIDs[i] = q.ID
	}
	for _, limit := range []int{1, 2, 3, 7, 100} {
		var got []string
		cursor := ""
		for pages := 0; ; pages++ {
			if pages > len(want) {
				t.Fatalf("limit %d: more pages than quotes", limit)
			}
			page, err := store.Newest(ctx, s, time.Time{}, time.Time{}, limit, cursor)
			if err != nil {
				t.Fatalf("Newest(limit %d): %v", limit, err)
			}
			if len(page.Quotes) > limit || len(page.Quotes) == 0 {
				t.Fatalf("limit %d: page of %d quotes", limit, len(page.Quotes))
			}
			for _, q := range page.Quotes {
				got = append(got, q.ID)
			}
			if page.NextCursor == "" {
				break
			}
			cursor = page.NextCursor
		}
		if !slices.Equal(got, wantIDs) {
			t.Errorf("Newest by %d gave\n%q\nwant\n%q", limit, got, wantIDs)
		}
	}
	from, to := day.Add(time.Hour), day.Add(3*time.Hour)
	var inRange []string
	for _, q := range want {
		if !q.Date.Before(from) && !q.Date.After(to) {
			inRange = append(inRange, q.ID)
		}
	}
	page, err := store.Newest(ctx, s, from, to, store.MaxLimit, "")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, q := range page.Quotes {
		got = append(got, q.ID)
	}
	if !slices.Equal(got, inRange) || page.NextCursor != "" {
		t.Errorf("Newest within dates = %q (next %q), want %q", got, page.NextCursor, inRange)
	}
	_, err = store.Newest(ctx, s, time.Time{}, time.Time{}, 5, "bm90IGEgY3Vyc29y")
	wantCode(t, "Newest with a forged cursor", err, quote.EInvalid)
	var each []string
	if err := store.Each(ctx, s, time.Time{}, func(q quote.Quote) error { each = append(each, q.ID); return nil }); err != nil || !slices.Equal(each, wantIDs) {
		t.Errorf("Each = %q, %v; want %q", each, err, wantIDs)
	}
}
