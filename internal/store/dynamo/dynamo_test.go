package dynamo_test

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go/middleware"

	"github.com/newsroom-tools/quotes/internal/awstest"
	"github.com/newsroom-tools/quotes/internal/quote"
	"github.com/newsroom-tools/quotes/internal/store"
	"github.com/newsroom-tools/quotes/internal/store/dynamo"
	"github.com/newsroom-tools/quotes/internal/store/storetest"
)

// servers are the dynalite (and s3rver) processes shared by every test.
var servers *awstest.Servers

func TestMain(m *testing.M) { os.Exit(awstest.RunTests(m, &servers)) }

var unsafeTableChars = regexp.MustCompile(`[^a-zA-Z0-9_.-]+`)

// newTable creates a table shaped as template.yaml defines it, under a name
// of its own, and drops it when the test ends.
func newTable(t *testing.T) string {
	t.Helper()
	name := unsafeTableChars.ReplaceAllString(t.Name(), "-")
	if len(name) > 200 {
		name = name[:200]
	}
	name += "-" + rand.Text()[:8]
	ctx := context.Background()
	if err := servers.CreateTable(ctx, name); err != nil {
		t.Fatalf("create table: %v", err)
	}
	t.Cleanup(func() {
		if _, err := servers.DynamoDB().DeleteTable(ctx, &dynamodb.DeleteTableInput{TableName: aws.String(name)}); err != nil {
			t.Errorf("delete table %s: %v", name, err)
		}
	})
	return name
}

// client returns a dynalite client running the given middlewares on every
// call.
func client(middlewares ...func(*middleware.Stack) error) *dynamodb.Client {
	return dynamodb.New(servers.DynamoDB().Options(), func(o *dynamodb.Options) {
		o.APIOptions = append(o.APIOptions, middlewares...)
	})
}

func newDB(t *testing.T, c *dynamodb.Client) *dynamo.DB {
	t.Helper()
	db, _ := newDBOnTable(t, c)
	return db
}

func newDBOnTable(t *testing.T, c *dynamodb.Client) (*dynamo.DB, string) {
	t.Helper()
	table := newTable(t)
	return dynamo.New(c, table, dynamo.Options{CursorKey: []byte("test cursor key")}), table
}

// operations records the name of every operation a client calls.
type operations struct {
	mu     sync.Mutex
	called map[string]int
}

func (r *operations) middleware(stack *middleware.Stack) error {
	return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("recordOperation",
		func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
			r.mu.Lock()
			if r.called == nil {
				r.called = map[string]int{}
			}
			r.called[awsmiddleware.GetOperationName(ctx)]++
			r.mu.Unlock()
			return next.HandleInitialize(ctx, in)
		}), middleware.After)
}

// writes counts the calls that change the table.
func (r *operations) writes() int {
	n := 0
	for _, op := range []string{"PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems"} {
		n += r.count(op)
	}
	return n
}

func (r *operations) count(name string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.called[name]
}

var (
	_ store.Store    = (*dynamo.DB)(nil)
	_ store.Insights = (*dynamo.DB)(nil)
)

// TestConformance runs the store and insights suites and checks, on every
// call they caused, that the store never scanned the table.
func TestConformance(t *testing.T) {
	var ops operations
	c := client(ops.middleware)
	t.Run("Store", func(t *testing.T) {
		storetest.Run(t, func(t *testing.T) store.Store { return newDB(t, c) })
	})
	t.Run("Insights", func(t *testing.T) {
		storetest.RunInsights(t, func(t *testing.T) store.Store { return newDB(t, c) })
	})
	t.Run("JSON", func(t *testing.T) {
		storetest.RunJSON(t, func(t *testing.T) store.Store { return newDB(t, c) })
	})

	if n := ops.count("Scan"); n != 0 {
		t.Errorf("the store called Scan %d times; every read must be a Query, GetItem or BatchGetItem", n)
	}
	// The recorder must have seen the calls the store does make, or the
	// check above proves nothing.
	for _, op := range []string{"Query", "GetItem", "BatchGetItem", "BatchWriteItem", "PutItem", "UpdateItem", "DeleteItem"} {
		if ops.count(op) == 0 {
			t.Errorf("recorded no %s call during the suite; the recorder is not seeing the store's calls", op)
		}
	}
}

// batchFaults interferes with BatchWriteItem calls on their way to
// dynalite, which itself never leaves items unprocessed nor fails a batch.
type batchFaults struct {
	mu sync.Mutex
	// withhold is how many more write requests may be held back: taken out
	// of a call before it is sent and returned as UnprocessedItems, as
	// DynamoDB does when a partition is throttled.
	withhold int
	withheld int
	// failDeletes fails every batch that deletes items.
	failDeletes bool
	// cancel, when set, is called at the first batch, which is then
	// returned entirely unprocessed.
	cancel context.CancelFunc
}

func (f *batchFaults) middleware(stack *middleware.Stack) error {
	return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("batchFaults",
		func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
			params, ok := in.Parameters.(*dynamodb.BatchWriteItemInput)
			if !ok {
				return next.HandleInitialize(ctx, in)
			}
			f.mu.Lock()
			defer f.mu.Unlock()
			// The store writes to one table per call.
			var table string
			for table = range params.RequestItems {
			}
			requests := params.RequestItems[table]
			if f.failDeletes && slices.ContainsFunc(requests, func(r types.WriteRequest) bool { return r.DeleteRequest != nil }) {
				return middleware.InitializeOutput{}, middleware.Metadata{}, errors.New("injected failure of a batch of deletes")
			}
			if f.cancel != nil {
				f.cancel()
				f.cancel = nil
				return middleware.InitializeOutput{Result: &dynamodb.BatchWriteItemOutput{
					UnprocessedItems: params.RequestItems,
				}}, middleware.Metadata{}, nil
			}
			held := min(len(requests)/2, f.withhold)
			if held == 0 {
				return next.HandleInitialize(ctx, in)
			}
			f.withhold -= held
			f.withheld += held
			sent := *params
			sent.RequestItems = map[string][]types.WriteRequest{table: requests[:len(requests)-held]}
			in.Parameters = &sent
			out, md, err := next.HandleInitialize(ctx, in)
			if err != nil {
				return out, md, err
			}
			result := out.Result.(*dynamodb.BatchWriteItemOutput)
			result.UnprocessedItems = map[string][]types.WriteRequest{
				table: append(result.UnprocessedItems[table], requests[len(requests)-held:]...),
			}
			return out, md, nil
		}), middleware.After)
}

var day = time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC)

// article builds an extracted article with n quotes by one speaker, as
// ingest would.
func article(key, version string, n int, words string) (quote.Article, []quote.Quote) {
	a := quote.Article{ID: quote.ArticleID(key), Key: key, Version: version, Title: "Title of " + key,
		Published: day, UploadedAt: day, Status: quote.StatusExtracted, QuoteCount: n}
	sp := quote.Speaker{Name: "Kaja Kallas", Kind: quote.Person}
	sp.ID = quote.SpeakerID(sp)
	var qs []quote.Quote
	for i := range n {
		text := fmt.Sprintf("%s number %03d", words, i)
		start := len(a.Text) + len("“")
		a.Text += "“" + text + "” she said. "
		qs = append(qs, quote.Quote{ID: quote.QuoteID(a.ID, text, 0), Article: a.Ref(), Text: text,
			Start: start, End: start + len(text), Speaker: sp, Topics: []string{"Estonia"}, Date: a.Date(),
			Evidence: quote.Evidence{Rule: "test", Confidence: 1}})
	}
	return a, qs
}

func TestUnprocessedItemsAreRetried(t *testing.T) {
	faults := &batchFaults{withhold: 200}
	db := newDB(t, client(faults.middleware))
	ctx := context.Background()
	// 60 quotes make hundreds of items, many batches of 25.
	a, qs := article("unprocessed.txt", "01", 60, "throttled words")
	if err := db.PutArticle(ctx, a, qs); err != nil {
		t.Fatalf("PutArticle with throttled batches: %v", err)
	}
	if faults.withheld == 0 {
		t.Fatal("no write request was withheld; the test proves nothing")
	}
	got, err := db.ArticleQuotes(ctx, a.ID)
	if err != nil {
		t.Fatalf("ArticleQuotes: %v", err)
	}
	if len(got) != len(qs) {
		t.Fatalf("ArticleQuotes returned %d quotes after %d writes were withheld, want %d", len(got), faults.withheld, len(qs))
	}
	for _, q := range []store.Query{{Topic: "estonia"}, {Words: []string{"throttled"}}, {SpeakerID: "kaja-kallas"}, {Kind: quote.Person}} {
		q.Limit = store.MaxLimit
		page, err := db.Quotes(ctx, q)
		if err != nil {
			t.Fatalf("Quotes(%+v): %v", q, err)
		}
		if len(page.Quotes) != len(qs) {
			t.Errorf("Quotes(%+v) returned %d quotes, want %d", q, len(page.Quotes), len(qs))
		}
	}
}

func TestCanceledPutLeavesPreviousUpload(t *testing.T) {
	faults := &batchFaults{}
	db := newDB(t, client(faults.middleware))
	old, oldQuotes := article("canceled.txt", "01", 3, "first upload")
	if err := db.PutArticle(context.Background(), old, oldQuotes); err != nil {
		t.Fatalf("PutArticle: %v", err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	faults.cancel = cancel
	next, nextQuotes := article("canceled.txt", "02", 3, "second upload")
	err := db.PutArticle(ctx, next, nextQuotes)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("PutArticle canceled during its batch writes = %v, want context.Canceled", err)
	}
	got, err := db.Article(context.Background(), old.ID)
	if err != nil || got.Version != "01" {
		t.Fatalf("after a canceled re-upload, Article = version %q, %v; want the first upload", got.Version, err)
	}
	page, err := db.Quotes(context.Background(), store.Query{Words: []string{"upload"}, Limit: 10})
	if err != nil {
		t.Fatalf("Quotes: %v", err)
	}
	for _, q := range page.Quotes {
		if !slices.ContainsFunc(oldQuotes, func(o quote.Quote) bool { return o.ID == q.ID && o.Text == q.Text }) {
			t.Errorf("after a canceled re-upload, Quotes returned %q, not from the first upload", q.Text)
		}
	}
	if len(page.Quotes) != len(oldQuotes) {
		t.Errorf("after a canceled re-upload, Quotes returned %d quotes, want the first upload's %d", len(page.Quotes), len(oldQuotes))
	}
	// The words of names and topics are shared by every upload that wrote
	// them: discarding the canceled one must not take the first one's.
	if got, err := db.Speakers(context.Background(), "kallas", 10); err != nil || len(got) != 1 {
		t.Errorf("after a canceled re-upload, Speakers(kallas) = %+v, %v; want Kaja Kallas", got, err)
	}
	if got, err := db.Topics(context.Background(), "esto", 10); err != nil || len(got) != 1 {
		t.Errorf("after a canceled re-upload, Topics(esto) = %+v, %v; want Estonia", got, err)
	}
}

// TestReplacedGenerationIsInvisibleWithoutCleanup keeps the replaced
// upload's items in the table, as a crash after the switch would, and
// checks that readers ignore them.
func TestReplacedGenerationIsInvisibleWithoutCleanup(t *testing.T) {
	faults := &batchFaults{}
	db := newDB(t, client(faults.middleware))
	ctx := context.Background()
	old, oldQuotes := article("stale.txt", "01", 3, "replaced words")
	if err := db.PutArticle(ctx, old, oldQuotes); err != nil {
		t.Fatalf("PutArticle: %v", err)
	}
	faults.mu.Lock()
	faults.failDeletes = true
	faults.mu.Unlock()
	next, nextQuotes := article("stale.txt", "02", 1, "current words")
	if err := db.PutArticle(ctx, next, nextQuotes); err != nil {
		t.Fatalf("PutArticle whose cleanup fails = %v, want nil: the switch happened", err)
	}

	tests := []struct {
		name string
		q    store.Query
		want []string
	}{
		{"speaker", store.Query{SpeakerID: "kaja-kallas"}, []string{"current words number 000"}},
		{"topic", store.Query{Topic: "Estonia"}, []string{"current words number 000"}},
		{"replaced words", store.Query{Words: []string{"replaced"}}, nil},
		{"shared word", store.Query{Words: []string{"words"}}, []string{"current words number 000"}},
		{"kind", store.Query{Kind: quote.Person}, []string{"current words number 000"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.q.Limit = 10
			page, err := db.Quotes(ctx, tt.q)
			if err != nil {
				t.Fatalf("Quotes: %v", err)
			}
			var got []string
			for _, q := range page.Quotes {
				got = append(got, q.Text)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("Quotes(%+v) = %q, want %q", tt.q, got, tt.want)
			}
		})
	}
	for _, q := range oldQuotes[1:] {
		if _, err := db.Quote(ctx, q.ID); quote.ErrorCode(err) != quote.ENotFound {
			t.Errorf("Quote(%s) of the replaced upload: error %v, want not found", q.ID, err)
		}
	}
	got, err := db.ArticleQuotes(ctx, old.ID)
	if err != nil || len(got) != 1 || got[0].Text != "current words number 000" {
		t.Errorf("ArticleQuotes = %v, %v; want only the current upload's quote", got, err)
	}
	speakers, err := db.Speakers(ctx, "kallas", 10)
	if err != nil || len(speakers) != 1 || speakers[0].QuoteCount != 1 {
		t.Errorf("Speakers(kallas) = %+v, %v; want Kaja Kallas with 1 quote", speakers, err)
	}
}

// TestConsumedCapacity checks that the store accounts for what it
// consumes, and logs what a typical article and a query cost.
func TestConsumedCapacity(t *testing.T) {
	db := newDB(t, client())
	ctx := context.Background()
	a, qs := article("capacity.txt", "01", 12, "“We will not be intimidated by threats, and we will keep supporting Ukraine for as long as it takes,”")
	if err := db.PutArticle(ctx, a, qs); err != nil {
		t.Fatalf("PutArticle: %v", err)
	}
	put := db.ConsumedCapacity()
	if put.WriteUnits <= 0 || put.ReadUnits <= 0 {
		t.Fatalf("after PutArticle, consumed %+v; want read and write units", put)
	}
	if _, err := db.Quotes(ctx, store.Query{SpeakerID: "kaja-kallas", Limit: store.DefaultLimit}); err != nil {
		t.Fatalf("Quotes: %v", err)
	}
	after := db.ConsumedCapacity()
	if after.ReadUnits <= put.ReadUnits || after.WriteUnits != put.WriteUnits {
		t.Errorf("a query moved consumed capacity from %+v to %+v; want more reads and no writes", put, after)
	}
	t.Logf("PutArticle of %d quotes: %+v; a speaker query: %.1f read units", len(qs), put, after.ReadUnits-put.ReadUnits)
}

// An article's text may exceed DynamoDB's 400 KB item limit.
func TestLargeTextRoundTrips(t *testing.T) {
	db := newDB(t, client())
	ctx := context.Background()
	a, qs := article("long.txt", "01", 2, "long article")
	a.Text += strings.Repeat("Ünïcode padding so the text needs several items. ", 20_000) // ≈1 MB
	if err := db.PutArticle(ctx, a, qs); err != nil {
		t.Fatalf("PutArticle of %d bytes of text: %v", len(a.Text), err)
	}
	got, err := db.Article(ctx, a.ID)
	if err != nil {
		t.Fatalf("Article: %v", err)
	}
	if got.Text != a.Text {
		t.Errorf("Article text has %d bytes, want the %d put", len(got.Text), len(a.Text))
	}
	// Replacing it removes the old parts and serves only the new text.
	b, bq := article("long.txt", "02", 1, "short now")
	if err := db.PutArticle(ctx, b, bq); err != nil {
		t.Fatalf("PutArticle replacing the long text: %v", err)
	}
	if got, err := db.Article(ctx, a.ID); err != nil || got.Text != b.Text {
		t.Errorf("after replacement, Article text has %d bytes (err %v), want %d", len(got.Text), err, len(b.Text))
	}
}

// A rare combination of criteria stops a page at the read budget; the
// cursor resumes after what was examined, so every match is still found.
func TestPageStopsAtReadBudget(t *testing.T) {
	db := newDB(t, client())
	db.SetMaxExamined(5)
	ctx := context.Background()
	a, qs := article("budget.txt", "01", 12, "budget words")
	if err := db.PutArticle(ctx, a, qs); err != nil {
		t.Fatalf("PutArticle: %v", err)
	}
	q := store.Query{Words: []string{"budget", "003"}, Limit: 2}
	var got []string
	pages := 0
	for {
		page, err := db.Quotes(ctx, q)
		if err != nil {
			t.Fatalf("Quotes page %d: %v", pages+1, err)
		}
		pages++
		for _, q := range page.Quotes {
			got = append(got, q.Text)
		}
		if page.NextCursor == "" || pages > len(qs) {
			break
		}
		q.Cursor = page.NextCursor
	}
	if want := []string{"budget words number 003"}; !slices.Equal(got, want) {
		t.Errorf("following cursors gave %q, want %q", got, want)
	}
	if pages < 3 {
		t.Errorf("12 postings read 5 at a time took %d pages, want at least 3", pages)
	}
}

// partition returns the sort keys of every item under pk, read directly.
func partition(t *testing.T, table, pk string) []string {
	t.Helper()
	out, err := servers.DynamoDB().Query(context.Background(), &dynamodb.QueryInput{
		TableName:                 aws.String(table),
		KeyConditionExpression:    aws.String("PK = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": &types.AttributeValueMemberS{Value: pk}},
		ConsistentRead:            aws.Bool(true),
	})
	if err != nil {
		t.Fatalf("query %s: %v", pk, err)
	}
	var sks []string
	for _, item := range out.Items {
		sks = append(sks, item["SK"].(*types.AttributeValueMemberS).Value)
	}
	return sks
}

// Replacing or deleting an upload deletes the items of the replaced one.
func TestReplacementLeavesNoOrphans(t *testing.T) {
	db, table := newDBOnTable(t, client())
	ctx := context.Background()
	a, qs := article("orphans.txt", "01", 3, "orphan candidate")
	if err := db.PutArticle(ctx, a, qs); err != nil {
		t.Fatalf("PutArticle: %v", err)
	}
	b, bq := article("orphans.txt", "02", 1, "survivor")
	if err := db.PutArticle(ctx, b, bq); err != nil {
		t.Fatalf("PutArticle replacing: %v", err)
	}
	if got := partition(t, table, "ART#"+a.ID); len(got) != 3 {
		t.Errorf("article partition after replacement holds %q, want the article, one text part and one quote", got)
	}
	for _, pk := range []string{"WORD#orphan", "WORD#candidate", "QUOTE#" + qs[1].ID, "QUOTE#" + qs[2].ID} {
		if got := partition(t, table, pk); len(got) != 0 {
			t.Errorf("%s after replacement holds %q, want nothing", pk, got)
		}
	}
	for _, pk := range []string{"SPK#kaja-kallas", "TOPIC#estonia", "KIND#person", "WORD#survivor"} {
		if got := partition(t, table, pk); len(got) != 1 {
			t.Errorf("%s after replacement holds %q, want the one current posting", pk, got)
		}
	}

	if err := db.DeleteArticle(ctx, b.Key, "03"); err != nil {
		t.Fatalf("DeleteArticle: %v", err)
	}
	if got := partition(t, table, "ART#"+a.ID); !slices.Equal(got, []string{"META"}) {
		t.Errorf("article partition after deletion holds %q, want only the tombstone", got)
	}
	for _, pk := range []string{"SPK#kaja-kallas", "WORD#survivor", "QUOTE#" + bq[0].ID} {
		if got := partition(t, table, pk); len(got) != 0 {
			t.Errorf("%s after deletion holds %q, want nothing", pk, got)
		}
	}
	if got, err := db.Speakers(ctx, "", 10); err != nil || len(got) != 0 {
		t.Errorf("Speakers after the only article was deleted = %+v, %v; want none", got, err)
	}
}

// TestArticleTextReadOnlyWhenAsked: the text of a large article is most of
// its read cost, so ArticleWithQuotes reads its parts only with withText.
func TestArticleTextReadOnlyWhenAsked(t *testing.T) {
	var ops operations
	db := newDB(t, client(ops.middleware))
	ctx := context.Background()
	a, qs := saying("long.txt", "01", day, spoken{kerry, "We will press on", nil})
	a.Text += strings.Repeat("Background paragraph. ", 20_000)
	putter(t, db)(a, qs)
	for _, tt := range []struct {
		withText  bool
		wantQuery int // the quote list, and the text parts when asked
	}{{false, 1}, {true, 2}} {
		before := ops.count("Query")
		got, quotes, err := db.ArticleWithQuotes(ctx, a.ID, tt.withText)
		if err != nil || len(quotes) != 1 || (got.Text != "") == !tt.withText || (tt.withText && got.Text != a.Text) {
			t.Fatalf("ArticleWithQuotes(withText %v) = %d bytes of text, %d quotes, %v", tt.withText, len(got.Text), len(quotes), err)
		}
		if n := ops.count("Query") - before; n != tt.wantQuery {
			t.Errorf("ArticleWithQuotes(withText %v) made %d queries, want %d", tt.withText, n, tt.wantQuery)
		}
	}
}
