package dynamo_test

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/newsroom-tools/quotes/internal/quote"
	"github.com/newsroom-tools/quotes/internal/store"
	"github.com/newsroom-tools/quotes/internal/store/dynamo"
)

// spoken is one quote of an article built by saying.
type spoken struct {
	speaker quote.Speaker
	text    string
	topics  []string
}

// saying builds an extracted article published on date, as ingest would.
func saying(key, version string, date time.Time, quotes ...spoken) (quote.Article, []quote.Quote) {
	a := quote.Article{ID: quote.ArticleID(key), Key: key, Version: version, Title: "Title of " + key,
		Published: date, UploadedAt: date, Status: quote.StatusExtracted, QuoteCount: len(quotes)}
	var qs []quote.Quote
	for _, s := range quotes {
		start := len(a.Text) + len("“")
		a.Text += "“" + s.text + "” said someone. "
		sp := s.speaker
		sp.ID = quote.SpeakerID(sp)
		qs = append(qs, quote.Quote{ID: quote.QuoteID(a.ID, s.text, 0), Article: a.Ref(), Text: s.text,
			Start: start, End: start + len(s.text), Speaker: sp, Topics: s.topics, Date: a.Date(),
			Evidence: quote.Evidence{Rule: "test", Confidence: 1}})
	}
	return a, qs
}

// putter returns a function storing an article in db, failing t if it
// cannot, that takes what saying returns.
func putter(t *testing.T, db *dynamo.DB) func(quote.Article, []quote.Quote) {
	return func(a quote.Article, qs []quote.Quote) {
		t.Helper()
		if err := db.PutArticle(context.Background(), a, qs); err != nil {
			t.Fatalf("PutArticle(%s, %s): %v", a.Key, a.Version, err)
		}
	}
}

var kerry = quote.Speaker{Name: "John Kerry", Kind: quote.Person, Mention: "Kerry", Descriptor: "Secretary of State"}

func as(sp quote.Speaker, mention, descriptor string) quote.Speaker {
	sp.Mention, sp.Descriptor = mention, descriptor
	return sp
}

// Names come back in the order first seen, whatever the order of the
// string sets they are kept in, and the dates widen both ways.
func TestSpeakerRecordKeepsFirstSeenOrder(t *testing.T) {
	db := newDB(t, client())
	ctx := context.Background()
	put := putter(t, db)
	put(withDate("a.txt", day, spoken{kerry, "first", nil}, spoken{as(kerry, "he", ""), "second", nil}))
	put(withDate("b.txt", day.AddDate(0, 0, -7), spoken{as(kerry, "Secretary Kerry", "former senator"), "older", nil}))
	put(withDate("c.txt", day.AddDate(0, 0, 7),
		spoken{as(kerry, "Mr Kerry", "Secretary of State"), "newer", nil}, spoken{as(kerry, "Kerry", "Democrat"), "newest", nil}))
	// Re-uploading an article records nothing twice.
	put(reupload(withDate("a.txt", day, spoken{kerry, "first", nil})))

	got, err := db.Speaker(ctx, "john-kerry")
	if err != nil {
		t.Fatalf("Speaker: %v", err)
	}
	if want := []string{"John Kerry", "Kerry", "Secretary Kerry", "Mr Kerry"}; !slices.Equal(got.Aliases, want) {
		t.Errorf("Aliases = %q, want %q", got.Aliases, want)
	}
	if want := []string{"Secretary of State", "former senator", "Democrat"}; !slices.Equal(got.Roles, want) {
		t.Errorf("Roles = %q, want %q", got.Roles, want)
	}
	if first, last := day.AddDate(0, 0, -7), day.AddDate(0, 0, 7); !got.FirstSeen.Equal(first) || !got.LastSeen.Equal(last) {
		t.Errorf("FirstSeen, LastSeen = %v, %v; want %v, %v", got.FirstSeen, got.LastSeen, first, last)
	}
	if got.QuoteCount != 4 {
		t.Errorf("QuoteCount = %d, want 4", got.QuoteCount)
	}

	for _, key := range []string{"a.txt", "b.txt", "c.txt"} {
		if err := db.DeleteArticle(ctx, key, "09"); err != nil {
			t.Fatalf("DeleteArticle(%s): %v", key, err)
		}
	}
	if _, err := db.Speaker(ctx, "john-kerry"); quote.ErrorCode(err) != quote.ENotFound {
		t.Errorf("Speaker after every quote was deleted: error %v, want not found", err)
	}
}

func withDate(key string, date time.Time, quotes ...spoken) (quote.Article, []quote.Quote) {
	return saying(key, "01", date, quotes...)
}

// reupload is the next upload of the same article.
func reupload(a quote.Article, qs []quote.Quote) (quote.Article, []quote.Quote) {
	a.Version = "02"
	return a, qs
}

// gsiPartition returns the GSI1 sort keys listed under pk, read directly.
func gsiPartition(t *testing.T, table, pk string) []string {
	t.Helper()
	out, err := servers.DynamoDB().Query(context.Background(), &dynamodb.QueryInput{
		TableName:                 aws.String(table),
		IndexName:                 aws.String("GSI1"),
		KeyConditionExpression:    aws.String("GSI1PK = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": &types.AttributeValueMemberS{Value: pk}},
	})
	if err != nil {
		t.Fatalf("query GSI1 %s: %v", pk, err)
	}
	var sks []string
	for _, item := range out.Items {
		sks = append(sks, item["GSI1SK"].(*types.AttributeValueMemberS).Value)
	}
	return sks
}

// A pair whose quote was re-uploaded is stale even though the quote keeps
// its id: the re-upload deletes it, either read skips it without writing
// (the API function may only read), and recording it again revives it.
func TestConflictOfReuploadedQuote(t *testing.T) {
	reads := []struct {
		name string
		read func(db *dynamo.DB, quoteID string) ([]store.Conflict, error)
	}{
		{"Conflicts", func(db *dynamo.DB, _ string) ([]store.Conflict, error) {
			page, err := db.Conflicts(context.Background(), 10, "")
			return page.Conflicts, err
		}},
		{"QuoteConflicts", func(db *dynamo.DB, quoteID string) ([]store.Conflict, error) {
			return db.QuoteConflicts(context.Background(), quoteID)
		}},
	}
	for _, r := range reads {
		t.Run(r.name, func(t *testing.T) {
			var ops operations
			db, table := newDBOnTable(t, client(ops.middleware))
			ctx := context.Background()
			lavrov := quote.Speaker{Name: "Sergei Lavrov", Kind: quote.Person}
			words := "Russia must stop the bombing now"
			a, aq := withDate("x1.txt", day, spoken{kerry, words, nil})
			b, bq := withDate("x2.txt", day, spoken{lavrov, words, nil})
			put := putter(t, db)
			put(a, aq)
			put(b, bq)
			pair := store.Conflict{QuoteIDs: [2]string{bq[0].ID, aq[0].ID}, Similarity: 0.97, Detected: day}
			for range 2 {
				if err := db.AddConflicts(ctx, []store.Conflict{pair, pair}); err != nil {
					t.Fatalf("AddConflicts: %v", err)
				}
			}
			if got := gsiPartition(t, table, "CONFLICTS"); len(got) != 1 {
				t.Fatalf("conflict list after recording one pair three times holds %q, want one entry", got)
			}

			put(reupload(b, bq))
			for _, pk := range []string{"QCONF#" + aq[0].ID, "QCONF#" + bq[0].ID} {
				if got := partition(t, table, pk); len(got) != 0 {
					t.Errorf("%s after the re-upload holds %q, want nothing", pk, got)
				}
			}
			if got := gsiPartition(t, table, "CONFLICTS"); len(got) != 0 {
				t.Errorf("conflict list after the re-upload holds %q, want nothing", got)
			}
			writesBefore := ops.writes()
			if got, err := r.read(db, aq[0].ID); err != nil || len(got) != 0 {
				t.Errorf("after a side was re-uploaded, %s = %+v, %v; want none", r.name, got, err)
			}
			if got := ops.writes(); got != writesBefore {
				t.Errorf("%s wrote %d times; reads never write", r.name, got-writesBefore)
			}

			if err := db.AddConflicts(ctx, []store.Conflict{pair}); err != nil {
				t.Fatalf("AddConflicts after the re-upload: %v", err)
			}
			got, err := r.read(db, bq[0].ID)
			want := store.Conflict{QuoteIDs: [2]string{aq[0].ID, bq[0].ID}, Similarity: 0.97, Detected: day}
			if err != nil || len(got) != 1 || got[0].QuoteIDs != want.QuoteIDs || got[0].Similarity != want.Similarity || !got[0].Detected.Equal(day) {
				t.Errorf("after recording the pair again, %s = %+v, %v; want %+v", r.name, got, err, want)
			}
		})
	}
}

// A pair one of whose quotes is not stored is over before it starts.
func TestConflictWithMissingQuoteIsNotStored(t *testing.T) {
	db, table := newDBOnTable(t, client())
	ctx := context.Background()
	a, aq := withDate("y1.txt", day, spoken{kerry, "words", nil})
	putter(t, db)(a, aq)
	if err := db.AddConflicts(ctx, []store.Conflict{{QuoteIDs: [2]string{aq[0].ID, "no-such-quote"}, Similarity: 1, Detected: day}}); err != nil {
		t.Fatalf("AddConflicts with a missing quote: %v", err)
	}
	if got := partition(t, table, "QCONF#"+aq[0].ID); len(got) != 0 {
		t.Errorf("QCONF#%s holds %q, want nothing", aq[0].ID, got)
	}
}

func TestInsightsRefuseInvalidArguments(t *testing.T) {
	db := newDB(t, client())
	ctx := context.Background()
	tests := []struct {
		name string
		call func() error
		code string
	}{
		{"Topics limit 0", func() error { _, err := db.Topics(ctx, "", 0); return err }, quote.EInvalid},
		{"Topics limit 101", func() error { _, err := db.Topics(ctx, "syr", 101); return err }, quote.EInvalid},
		{"Conflicts limit 0", func() error { _, err := db.Conflicts(ctx, 0, ""); return err }, quote.EInvalid},
		{"Conflicts limit 101", func() error { _, err := db.Conflicts(ctx, 101, ""); return err }, quote.EInvalid},
		{"Conflicts cursor of a query", func() error {
			_, err := db.Conflicts(ctx, 10, store.NewCursors([]byte("test cursor key")).Encode(store.Query{}, []byte("{}")))
			return err
		}, quote.EInvalid},
		{"AddConflicts of one quote with itself", func() error {
			return db.AddConflicts(ctx, []store.Conflict{{QuoteIDs: [2]string{"q", "q"}, Similarity: 1, Detected: day}})
		}, quote.EInvalid},
		{"AddConflicts with an empty id", func() error {
			return db.AddConflicts(ctx, []store.Conflict{{QuoteIDs: [2]string{"q", ""}, Similarity: 1, Detected: day}})
		}, quote.EInvalid},
		{"AddConflicts similarity above 1", func() error {
			return db.AddConflicts(ctx, []store.Conflict{{QuoteIDs: [2]string{"p", "q"}, Similarity: 1.5, Detected: day}})
		}, quote.EInvalid},
		{"AddConflicts similarity NaN", func() error {
			return db.AddConflicts(ctx, []store.Conflict{{QuoteIDs: [2]string{"p", "q"}, Similarity: math.NaN(), Detected: day}})
		}, quote.EInvalid},
		{"AddConflicts without a detection time", func() error {
			return db.AddConflicts(ctx, []store.Conflict{{QuoteIDs: [2]string{"p", "q"}, Similarity: 1}})
		}, quote.EInvalid},
		{"Speaker with an empty id", func() error { _, err := db.Speaker(ctx, ""); return err }, quote.ENotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := quote.ErrorCode(tt.call()); got != tt.code {
				t.Errorf("error code %q, want %q", got, tt.code)
			}
		})
	}
}

// conflictArticle stores one article of n pairs of quotes with the same
// words by two speakers, records each pair a minute after the previous,
// and returns the pairs newest first, each as "a~b".
func conflictArticle(t *testing.T, db *dynamo.DB, key string, n int) []string {
	t.Helper()
	conflicts, want := conflictQuotes(t, db, key, n)
	if err := db.AddConflicts(context.Background(), conflicts); err != nil {
		t.Fatalf("AddConflicts: %v", err)
	}
	return want
}

// conflictQuotes stores the article of conflictArticle and returns its
// pairs, to record, and as conflictArticle does.
func conflictQuotes(t *testing.T, db *dynamo.DB, key string, n int) ([]store.Conflict, []string) {
	t.Helper()
	lavrov := quote.Speaker{Name: "Sergei Lavrov", Kind: quote.Person}
	var says []spoken
	for i := range n {
		text := fmt.Sprintf("repeated words %d", i)
		says = append(says, spoken{kerry, text, []string{"Syria"}}, spoken{as(lavrov, "Lavrov", "Foreign Minister"), text + ".", []string{"Syria", "Russia"}})
	}
	a, qs := withDate(key, day, says...)
	putter(t, db)(a, qs)
	var conflicts []store.Conflict
	var want []string
	for i := range n {
		c := store.Conflict{QuoteIDs: [2]string{qs[2*i].ID, qs[2*i+1].ID}, Similarity: 0.9, Detected: day.Add(time.Duration(i) * time.Minute)}
		conflicts = append(conflicts, c)
		ids := []string{c.QuoteIDs[0], c.QuoteIDs[1]}
		slices.Sort(ids)
		want = append([]string{ids[0] + "~" + ids[1]}, want...)
	}
	return conflicts, want
}

// A listing page stops at the read budget; its cursor resumes after what
// was examined, so every pair is still listed once, in order.
func TestConflictPageStopsAtReadBudget(t *testing.T) {
	db := newDB(t, client())
	db.SetMaxExamined(2)
	want := conflictArticle(t, db, "budget.txt", 5)
	var got []string
	cursor, pages := "", 0
	for pages <= len(want) {
		page, err := db.Conflicts(context.Background(), 4, cursor)
		if err != nil {
			t.Fatalf("Conflicts page %d: %v", pages+1, err)
		}
		pages++
		for _, c := range page.Conflicts {
			got = append(got, c.QuoteIDs[0]+"~"+c.QuoteIDs[1])
		}
		if cursor = page.NextCursor; cursor == "" {
			break
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("following cursors gave %q, want %q", got, want)
	}
	if pages < 3 {
		t.Errorf("5 pairs read 2 at a time took %d pages, want at least 3", pages)
	}
}

// TestInsightsCapacity measures what the insights consume on a small
// newsroom: 20 articles of 10 quotes each, 5 conflicting pairs in each.
func TestInsightsCapacity(t *testing.T) {
	db := newDB(t, client())
	ctx := context.Background()
	for i := range 19 {
		conflictArticle(t, db, fmt.Sprintf("newsroom-%02d.txt", i), 5)
	}
	before := db.ConsumedCapacity()
	conflicts, pairs := conflictQuotes(t, db, "newsroom-19.txt", 5)
	put := db.ConsumedCapacity()
	t.Logf("PutArticle of its 10 quotes, 2 speakers, 2 topics, names and topics known: %.1f read units, %.1f write units",
		put.ReadUnits-before.ReadUnits, put.WriteUnits-before.WriteUnits)
	for _, add := range []string{"AddConflicts of 5 new pairs", "AddConflicts of the same 5 again"} {
		if err := db.AddConflicts(ctx, conflicts); err != nil {
			t.Fatalf("%s: %v", add, err)
		}
		after := db.ConsumedCapacity()
		t.Logf("%s: %.1f read units, %.1f write units", add, after.ReadUnits-put.ReadUnits, after.WriteUnits-put.WriteUnits)
		put = after
	}
	first, _, _ := strings.Cut(pairs[0], "~")
	reads := []struct {
		name string
		call func() (int, error)
	}{
		{"Speaker", func() (int, error) { _, err := db.Speaker(ctx, "john-kerry"); return 1, err }},
		{"Topics(\"\", 20)", func() (int, error) { got, err := db.Topics(ctx, "", 20); return len(got), err }},
		{"Topics(\"syr\", 20)", func() (int, error) { got, err := db.Topics(ctx, "syr", 20); return len(got), err }},
		{"QuoteConflicts", func() (int, error) { got, err := db.QuoteConflicts(ctx, first); return len(got), err }},
		{"Conflicts(20)", func() (int, error) { got, err := db.Conflicts(ctx, 20, ""); return len(got.Conflicts), err }},
		{"Conflicts(100)", func() (int, error) { got, err := db.Conflicts(ctx, 100, ""); return len(got.Conflicts), err }},
	}
	for _, r := range reads {
		before := db.ConsumedCapacity()
		n, err := r.call()
		if err != nil {
			t.Fatalf("%s: %v", r.name, err)
		}
		after := db.ConsumedCapacity()
		if after.ReadUnits <= before.ReadUnits || after.WriteUnits != before.WriteUnits {
			t.Errorf("%s moved consumed capacity from %+v to %+v; want more reads and no writes", r.name, before, after)
		}
		t.Logf("%s: %d results, %.1f read units", r.name, n, after.ReadUnits-before.ReadUnits)
	}
}

// Deleting an article drops the pairs of its quotes, as a re-upload does.
func TestDeletedQuoteDropsItsConflicts(t *testing.T) {
	db, table := newDBOnTable(t, client())
	ctx := context.Background()
	words := "The ceasefire holds in the east"
	a, aq := withDate("d1.txt", day, spoken{kerry, words, nil})
	b, bq := withDate("d2.txt", day, spoken{quote.Speaker{Name: "Sergei Lavrov", Kind: quote.Person}, words, nil})
	put := putter(t, db)
	put(a, aq)
	put(b, bq)
	if err := db.AddConflicts(ctx, []store.Conflict{{QuoteIDs: [2]string{aq[0].ID, bq[0].ID}, Similarity: 1, Detected: day}}); err != nil {
		t.Fatalf("AddConflicts: %v", err)
	}
	if got := partition(t, table, "QCONF#"+aq[0].ID); len(got) != 1 {
		t.Fatalf("the pair is not stored under its quote: %q", got)
	}
	if err := db.DeleteArticle(ctx, b.Key, "09"); err != nil {
		t.Fatalf("DeleteArticle: %v", err)
	}
	for _, pk := range []string{"QCONF#" + aq[0].ID, "QCONF#" + bq[0].ID} {
		if got := partition(t, table, pk); len(got) != 0 {
			t.Errorf("%s after the delete holds %q, want nothing", pk, got)
		}
	}
	if got := gsiPartition(t, table, "CONFLICTS"); len(got) != 0 {
		t.Errorf("conflict list after the delete holds %q, want nothing", got)
	}
}
