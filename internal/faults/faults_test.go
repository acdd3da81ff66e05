package faults

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/newsroom-tools/quotes/internal/awstest"
	"github.com/newsroom-tools/quotes/internal/ingest"
	"github.com/newsroom-tools/quotes/internal/quote"
	"github.com/newsroom-tools/quotes/internal/store"
	"github.com/newsroom-tools/quotes/internal/store/dynamo"
)

// servers are the dynalite and s3rver processes every test shares; each
// test makes its own table and bucket.
var servers *awstest.Servers

func TestMain(m *testing.M) { os.Exit(awstest.RunTests(m, &servers)) }

// The article's two uploads. The second rewrites two quotes and adds
// three, one of them from an anonymous source, so that every index
// partition the view reads changes between them.
const (
	articleV1 = `Ceasefire talks resume in Geneva

“We will not stop until there is a ceasefire,” John Kerry said in Geneva on Thursday.

“The talks are serious and they are long,” Sergei Lavrov told reporters after the meeting.
`
	articleV2 = `Ceasefire talks resume in Geneva, aid convoys promised

“We will not stop until there is a ceasefire, and we will not stop after it either,” John Kerry said in Geneva on Thursday.

“The talks are serious and they are long, but nobody is leaving the table,” Sergei Lavrov told reporters after the meeting.

“Humanitarian convoys must reach every besieged town before the winter arrives,” Ban Ki-moon said in a statement.

“Our trucks are loaded and our drivers are waiting for the word to go,” Staffan de Mistura said on Friday evening.

“The ceasefire is fragile and the monitoring mission needs more observers on the ground,” a senior diplomat said.
`
	// S3 sequencers of the two uploads' events: the second orders after.
	sequencerV1 = "0055AED6DCD90281E5"
	sequencerV2 = "0055AED6DCD90281F0"
)

// rig is one test's world: a table and a bucket, a proxy in front of
// dynalite, the ingest handler writing through the proxy, and the store
// the API reads, straight from dynalite.
type rig struct {
	t       *testing.T
	bucket  string
	proxy   *dynamoProxy
	handler *ingest.Handler
	api     *dynamo.DB
}

// newRig builds the world. retryer, when not nil, replaces the SDK's
// standard retryer of the handler's DynamoDB client.
func newRig(t *testing.T, retryer func() aws.Retryer) *rig {
	t.Helper()
	ctx := context.Background()
	name := "faults-" + strings.ToLower(rand.Text()[:10])
	if err := servers.CreateTable(ctx, name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if _, err := servers.DynamoDB().DeleteTable(context.Background(), &dynamodb.DeleteTableInput{TableName: aws.String(name)}); err != nil {
			t.Errorf("delete table %s: %v", name, err)
		}
	})
	if err := servers.CreateBucket(ctx, name); err != nil {
		t.Fatal(err)
	}

	proxy := newDynamoProxy(t, servers.DynamoDBEndpoint())
	client := dynamodb.NewFromConfig(servers.Config(), func(o *dynamodb.Options) {
		o.BaseEndpoint = aws.String(proxy.URL())
		if retryer != nil {
			o.Retryer = retryer()
		}
	})
	log := slog.New(slog.DiscardHandler)
	cursorKey := []byte("faults-test-cursor-key-0123456789")
	return &rig{
		t:      t,
		bucket: name,
		proxy:  proxy,
		handler: &ingest.Handler{
			Pipeline: ingest.NewPipeline(dynamo.New(client, name, dynamo.Options{CursorKey: cursorKey, Logger: log}), log),
			Objects:  &ingest.S3Objects{Client: servers.S3()},
			Log:      log,
		},
		api: dynamo.New(servers.DynamoDB(), name, dynamo.Options{CursorKey: cursorKey}),
	}
}

// upload puts body under key in s3rver and returns the event S3 sends for
// it: the testdata fixture with the bucket, key, size and sequencer
// replaced.
func (r *rig) upload(key, body, sequencer string) events.S3Event {
	r.t.Helper()
	if _, err := servers.S3().PutObject(context.Background(), &s3.PutObjectInput{
		Bucket: aws.String(r.bucket), Key: aws.String(key), Body: strings.NewReader(body),
	}); err != nil {
		r.t.Fatalf("put s3://%s/%s: %v", r.bucket, key, err)
	}
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "events", "s3-put.json"))
	if err != nil {
		r.t.Fatal(err)
	}
	var event events.S3Event
	if err := json.Unmarshal(data, &event); err != nil {
		r.t.Fatalf("decode s3-put.json: %v", err)
	}
	if len(event.Records) != 1 {
		r.t.Fatalf("s3-put.json has %d records, want 1", len(event.Records))
	}
	object := &event.Records[0].S3.Object
	event.Records[0].S3.Bucket.Name = r.bucket
	event.Records[0].S3.Bucket.Arn = "arn:aws:s3:::" + r.bucket
	object.Key = strings.ReplaceAll(url.QueryEscape(key), "%2F", "/")
	object.Size = int64(len(body))
	object.Sequencer = sequencer
	return event
}

// handle delivers event to the ingest handler as Lambda would.
func (r *rig) handle(event events.S3Event) error {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	return r.handler.Handle(ctx, event)
}

// view is what the API shows of one article: its version, its quotes in
// order, and what searches of the index partitions its quotes sit in
// return.
type view struct {
	Version string
	Quotes  []string
	// Searches maps a search to the quotes it returns, as
	// "speaker: text", sorted.
	Searches map[string][]string
}

func (v view) String() string {
	data, _ := json.MarshalIndent(v, "", "  ")
	return string(data)
}

// searches are read by every view: a speaker partition, word partitions
// and the anonymous kind partition, all touched by both uploads.
var searches = map[string]store.Query{
	"speaker john-kerry":  {SpeakerID: "john-kerry"},
	"speaker ban-ki-moon": {SpeakerID: "ban-ki-moon"},
	"word ceasefire":      {Words: []string{"ceasefire"}},
	"word talks":          {Words: []string{"talks"}},
	"kind anonymous":      {Kind: quote.Anonymous},
}

// view reads the article under key as the API would, from dynalite
// directly.
func (r *rig) view(key string) (view, error) {
	ctx := context.Background()
	id := quote.ArticleID(key)
	a, err := r.api.Article(ctx, id)
	if err != nil {
		return view{}, fmt.Errorf("article: %w", err)
	}
	v := view{Version: a.Version, Searches: map[string][]string{}}
	quotes, err := r.api.ArticleQuotes(ctx, id)
	if err != nil {
		return view{}, fmt.Errorf("article quotes: %w", err)
	}
	for _, q := range quotes {
		v.Quotes = append(v.Quotes, q.Speaker.Name+": "+q.Text)
	}
	for name, q := range searches {
		q.Limit = store.MaxLimit
		page, err := r.api.Quotes(ctx, q)
		if err != nil {
			return view{}, fmt.Errorf("search %s: %w", name, err)
		}
		found := []string{}
		for _, q := range page.Quotes {
			found = append(found, q.Speaker.Name+": "+q.Text)
		}
		slices.Sort(found)
		v.Searches[name] = found
	}
	return v, nil
}

func (r *rig) mustView(key string) view {
	r.t.Helper()
	v, err := r.view(key)
	if err != nil {
		r.t.Fatalf("view of %s: %v", key, err)
	}
	return v
}

// watch reads the article's view over and over until stop is called, and
// then returns every distinct view it saw.
func (r *rig) watch(key string) (stop func() ([]view, []error)) {
	var (
		wg    sync.WaitGroup
		done  = make(chan struct{})
		seen  []view
		fails []error
	)
	wg.Go(func() {
		for {
			v, err := r.view(key)
			if err != nil {
				fails = append(fails, err)
			} else if !slices.ContainsFunc(seen, func(s view) bool { return s.String() == v.String() }) {
				seen = append(seen, v)
			}
			select {
			case <-done:
				return
			default:
			}
		}
	})
	return func() ([]view, []error) {
		close(done)
		wg.Wait()
		return seen, fails
	}
}

// TestThrottlingIsRetriedBySDK throttles reads, batch writes and the
// switch with both of DynamoDB's throttling errors: the SDK's standard
// retryer, as production configures it, backs off and retries them, and
// the upload is ingested whole.
func TestThrottlingIsRetriedBySDK(t *testing.T) {
	r := newRig(t, nil)
	key := "2015/11/kerry in geneva.txt"
	event := r.upload(key, articleV2, sequencerV2)

	// The first GetItem, the second BatchWriteItem and the first PutItem
	// (the switch) are refused once each.
	counts := map[string]int{}
	r.proxy.set(func(op string) fault {
		counts[op]++
		switch {
		case op == "GetItem" && counts[op] == 1:
			return throttle
		case op == "BatchWriteItem" && counts[op] == 2:
			return exceed
		case op == "PutItem" && counts[op] == 1:
			return throttle
		}
		return pass
	})
	if err := r.handle(event); err != nil {
		t.Fatalf("Handle with throttling = %v, want nil: the SDK retries throttling", err)
	}

	var throttled, retried []string
	for _, req := range r.proxy.requests() {
		if req.fault != pass {
			throttled = append(throttled, req.op+" "+req.fault.String())
		}
		if strings.HasPrefix(req.attempt, "attempt=2;") {
			retried = append(retried, req.op)
		}
	}
	slices.Sort(throttled)
	slices.Sort(retried)
	if want := []string{"BatchWriteItem exceed", "GetItem throttle", "PutItem throttle"}; !slices.Equal(throttled, want) {
		t.Errorf("throttled requests = %q, want %q", throttled, want)
	}
	if want := []string{"BatchWriteItem", "GetItem", "PutItem"}; !slices.Equal(retried, want) {
		t.Errorf("requests sent as the SDK's second attempt = %q, want %q", retried, want)
	}

	got := r.mustView(key)
	if got.Version != sequencerV2 || len(got.Quotes) != 5 {
		t.Errorf("after throttled ingest: version %s with %d quotes, want %s with 5\n%s", got.Version, len(got.Quotes), sequencerV2, got)
	}
	if want := []string{"a senior diplomat: The ceasefire is fragile and the monitoring mission needs more observers on the ground,"}; !slices.Equal(got.Searches["kind anonymous"], want) {
		t.Errorf("anonymous quotes = %q, want %q", got.Searches["kind anonymous"], want)
	}
}

// TestOutageMidUploadKeepsPreviousVersion takes DynamoDB away part-way
// through ingesting a new upload of an article: Handle must fail (Lambda
// then retries the event, and finally sends it to the on-failure queue),
// readers must keep seeing the previous upload whole, and redelivering
// the event once DynamoDB is back must leave the new upload whole.
func TestOutageMidUploadKeepsPreviousVersion(t *testing.T) {
	// After the outage starts every request fails, so the SDK's retries
	// only add time: shorten its backoff to keep the test quick.
	quickRetries := func() aws.Retryer {
		return retry.NewStandard(func(o *retry.StandardOptions) { o.MaxBackoff = 20 * time.Millisecond })
	}
	// outageAfter lets healthy requests of op through (and whatever comes
	// between them), then answers every request with f.
	outageAfter := func(f fault, op string, healthy int) rule {
		passed := 0
		return func(got string) fault {
			if passed < healthy {
				if got == op {
					passed++
				}
				return pass
			}
			return f
		}
	}
	tests := []struct {
		name string
		rule rule
	}{
		{"hang-ups after the version read", outageAfter(hangUp, "GetItem", 1)},
		{"errors 500 after the first batch", outageAfter(serverError, "BatchWriteItem", 1)},
		{"hang-ups after two batches", outageAfter(hangUp, "BatchWriteItem", 2)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t, quickRetries)
			key := "2015/11/kerry in geneva.txt"
			if err := r.handle(r.upload(key, articleV1, sequencerV1)); err != nil {
				t.Fatalf("Handle first upload: %v", err)
			}
			before := r.mustView(key)
			if before.Version != sequencerV1 || len(before.Quotes) != 2 {
				t.Fatalf("first upload: version %s with %d quotes, want %s with 2\n%s", before.Version, len(before.Quotes), sequencerV1, before)
			}

			event := r.upload(key, articleV2, sequencerV2)
			r.proxy.set(tt.rule)
			stop := r.watch(key)
			err := r.handle(event)
			seen, fails := stop()
			if err == nil {
				t.Fatalf("Handle during the outage = nil, want an error so that Lambda retries the event")
			}
			for _, f := range fails {
				t.Errorf("API read during the outage failed: %v", f)
			}
			if len(seen) == 0 {
				t.Fatal("the API was never read during the outage")
			}
			for _, v := range seen {
				if v.String() != before.String() {
					t.Errorf("during the outage the API showed\n%s\nwant the previous upload\n%s", v, before)
				}
			}
			if got := r.mustView(key); got.String() != before.String() {
				t.Errorf("after the failed Handle the API shows\n%s\nwant the previous upload\n%s", got, before)
			}
			var faulted int
			for _, req := range r.proxy.requests() {
				if req.fault != pass {
					faulted++
				}
			}
			if faulted == 0 {
				t.Fatal("the outage never hit a request")
			}

			r.proxy.set(nil)
			if err := r.handle(event); err != nil {
				t.Fatalf("Handle of the redelivered event = %v, want nil", err)
			}
			after := r.mustView(key)
			if after.Version != sequencerV2 || len(after.Quotes) != 5 {
				t.Errorf("after the retry: version %s with %d quotes, want %s with 5\n%s", after.Version, len(after.Quotes), sequencerV2, after)
			}
			reference := newRig(t, nil)
			if err := reference.handle(reference.upload(key, articleV2, sequencerV2)); err != nil {
				t.Fatalf("Handle of the reference upload: %v", err)
			}
			if want := reference.mustView(key); after.String() != want.String() {
				t.Errorf("after the retry the API shows\n%s\nwant what an undisturbed ingest shows\n%s", after, want)
			}
		})
	}
}

// TestSwitchWithLostAnswer lets the switch to the new upload land in
// DynamoDB but loses its answer, as a timeout does: the SDK retries the
// conditional write, which now finds its own version stored. The new
// upload must end up served whole, at once or after Lambda's retry.
//
// Before the store recognised its own generation, the retried PutItem met
// ConditionalCheckFailed, PutArticle took the event for a stale one and
// discarded the new generation's items, which the article item already
// named: Handle returned nil and the article was left with no text and no
// quotes until the next upload.
func TestSwitchWithLostAnswer(t *testing.T) {
	r := newRig(t, nil)
	key := "2015/11/kerry in geneva.txt"
	if err := r.handle(r.upload(key, articleV1, sequencerV1)); err != nil {
		t.Fatalf("Handle first upload: %v", err)
	}
	event := r.upload(key, articleV2, sequencerV2)
	switches := 0
	r.proxy.set(func(op string) fault {
		if op == "PutItem" {
			switches++
			if switches == 1 {
				return loseAnswer
			}
		}
		return pass
	})
	err := r.handle(event)
	t.Logf("Handle with the switch's answer lost = %v", err)
	r.proxy.set(nil)
	if err != nil {
		if err := r.handle(event); err != nil {
			t.Fatalf("Handle of the redelivered event = %v, want nil", err)
		}
	}
	reference := newRig(t, nil)
	if err := reference.handle(reference.upload(key, articleV2, sequencerV2)); err != nil {
		t.Fatalf("Handle of the reference upload: %v", err)
	}
	if got, want := r.mustView(key), reference.mustView(key); got.String() != want.String() {
		t.Errorf("after the switch's answer was lost the API shows\n%s\nwant what an undisturbed ingest shows\n%s", got, want)
	}
}
