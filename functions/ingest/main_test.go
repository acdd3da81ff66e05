package main

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
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/newsroom-tools/quotes/internal/awstest"
	"github.com/newsroom-tools/quotes/internal/quote"
	"github.com/newsroom-tools/quotes/internal/store/dynamo"
)

// servers are the dynalite and s3rver processes the wiring is tested
// against.
var servers *awstest.Servers

func TestMain(m *testing.M) { os.Exit(awstest.RunTests(m, &servers)) }

// lambdaEnv sets the environment the function gets in AWS, pointed at the
// local servers through the SDK's own per-service endpoint variables, and
// with no shared config or credentials files of the machine running the
// tests. s3rver accepts only its own key pair; dynalite accepts any.
func lambdaEnv(t *testing.T, table string) {
	t.Helper()
	servers.SetEnv(t)
	t.Setenv("TABLE_NAME", table)
}

func TestNewHandlerRefusesMissingTable(t *testing.T) {
	lambdaEnv(t, "")
	_, err := newHandler(context.Background(), slog.New(slog.DiscardHandler))
	if err == nil || !strings.Contains(err.Error(), "TABLE_NAME") {
		t.Errorf("newHandler = %v, want an error naming TABLE_NAME", err)
	}
}

// TestHandlerIngestsFromS3IntoDynamoDB runs S3 events through the
// function's own wiring (environment, AWS config, S3 client, DynamoDB
// store) against s3rver and dynalite.
func TestHandlerIngestsFromS3IntoDynamoDB(t *testing.T) {
	ctx := context.Background()
	table, bucket := newTableAndBucket(t, "ingest-")
	key := "2015/11/kerry in geneva.txt"
	article := "Kerry presses on\n\n“We will not stop until there is a ceasefire,” Kerry said in Geneva.\n"
	if _, err := servers.S3().PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key), Body: strings.NewReader(article)}); err != nil {
		t.Fatalf("put object: %v", err)
	}

	lambdaEnv(t, table)
	handler, err := newHandler(ctx, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatalf("newHandler: %v", err)
	}
	if err := handler.Handle(ctx, loadEvent(t, "s3-put.json", bucket, key)); err != nil {
		t.Fatalf("Handle put: %v", err)
	}
	db := dynamo.New(servers.DynamoDB(), table, dynamo.Options{})
	a, err := db.Article(ctx, quote.ArticleID(key))
	if err != nil {
		t.Fatalf("Article: %v", err)
	}
	if a.Status != quote.StatusExtracted || a.QuoteCount != 1 || a.Title != "Kerry presses on" {
		t.Errorf("article = status %s (%s), %d quotes, title %q; want extracted, 1 quote, the first line as title", a.Status, a.Reason, a.QuoteCount, a.Title)
	}

	if err := handler.Handle(ctx, loadEvent(t, "s3-delete.json", bucket, key)); err != nil {
		t.Fatalf("Handle delete: %v", err)
	}
	if _, err := db.Article(ctx, quote.ArticleID(key)); quote.ErrorCode(err) != quote.ENotFound {
		t.Errorf("Article after delete: error %v, want not found", err)
	}
}

// loadEvent reads an S3 event fixture and points its records at key in
// bucket, the key URL-encoded as S3 encodes it.
func loadEvent(t *testing.T, name, bucket, key string) events.S3Event {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "events", name))
	if err != nil {
		t.Fatalf("read event: %v", err)
	}
	var event events.S3Event
	if err := json.Unmarshal(data, &event); err != nil {
		t.Fatalf("decode event %s: %v", name, err)
	}
	for i := range event.Records {
		event.Records[i].S3.Bucket.Name = bucket
		event.Records[i].S3.Object.Key = strings.ReplaceAll(url.QueryEscape(key), "%2F", "/")
	}
	return event
}

// newTableAndBucket creates a DynamoDB table (deleted when the test ends)
// and an S3 bucket of their own for one test, named prefix and a random
// suffix.
func newTableAndBucket(t *testing.T, prefix string) (table, bucket string) {
	t.Helper()
	name := prefix + strings.ToLower(rand.Text()[:8])
	if err := servers.CreateTable(context.Background(), name); err != nil {
		t.Fatalf("create table: %v", err)
	}
	t.Cleanup(func() {
		if _, err := servers.DynamoDB().DeleteTable(context.Background(), &dynamodb.DeleteTableInput{TableName: aws.String(name)}); err != nil {
			t.Errorf("delete table %s: %v", name, err)
		}
	})
	if err := servers.CreateBucket(context.Background(), name); err != nil {
		t.Fatalf("create bucket: %v", err)
	}
	return name, name
}

// TestCallsAreExactlyTheGrants runs the function through every path that
// reaches AWS — an upload, a conflicting upload, its re-upload (dropping
// the conflict), a version removed, a deletion — recording each call, and
// checks the calls against template.yaml's grants for the function: none
// ungranted, none granted but never made.
func TestCallsAreExactlyTheGrants(t *testing.T) {
	ctx := context.Background()
	table, bucket := newTableAndBucket(t, "grants-")
	put := func(key, body string) {
		t.Helper()
		if _, err := servers.S3().PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key), Body: strings.NewReader(body)}); err != nil {
			t.Fatalf("put object: %v", err)
		}
	}
	lambdaEnv(t, table)
	calls := &awstest.Calls{}
	handler, err := newHandler(ctx, slog.New(slog.DiscardHandler), config.WithAPIOptions(calls.APIOptions()))
	if err != nil {
		t.Fatalf("newHandler: %v", err)
	}
	handle := func(fixture, key string, edit func(*events.S3EventRecord)) {
		t.Helper()
		ev := loadEvent(t, fixture, bucket, key)
		if edit != nil {
			edit(&ev.Records[0])
		}
		if err := handler.Handle(ctx, ev); err != nil {
			t.Fatalf("Handle %s of %s: %v", fixture, key, err)
		}
	}
	const words = "We will not stop until there is a ceasefire in Syria"
	put("a.txt", "Talks\n\n“"+words+",” John Kerry said in Geneva.\n")
	handle("s3-put.json", "a.txt", nil)
	put("b.txt", "Talks\n\n“"+words+",” Sergei Lavrov said in Moscow.\n")
	handle("s3-put.json", "b.txt", nil)
	put("b.txt", "Talks\n\n“Russia wants peace,” Sergei Lavrov said in Moscow.\n")
	handle("s3-put-newer.json", "b.txt", nil)
	handle("s3-delete.json", "b.txt", func(r *events.S3EventRecord) { r.S3.Object.VersionID = "an-old-version" })
	handle("s3-delete.json", "a.txt", nil)

	ungranted, err := servers.Ungranted("IngestFunction", calls)
	if err != nil {
		t.Fatal(err)
	}
	if len(ungranted) > 0 {
		t.Errorf("the function called %v, which template.yaml does not grant it", ungranted)
	}
	granted, err := servers.Granted("IngestFunction")
	if err != nil {
		t.Fatal(err)
	}
	// Lambda itself sends failed events to the queue, with the role.
	granted = slices.DeleteFunc(granted, func(a string) bool { return a == "sqs:SendMessage" })
	if got := calls.Actions(); !slices.Equal(got, granted) {
		t.Errorf("calls made %v, grants %v: grant exactly what the code calls", got, granted)
	}
}

// TestBatchJobReextracts drives an S3 Batch Operations job event (the
// fixture, retargeted) through the function's entry point against s3rver
// and dynalite: an article made by an older extractor is re-extracted,
// one never ingested is ingested, a missing object fails for good, and a
// later upload still wins over the re-extraction.
func TestBatchJobReextracts(t *testing.T) {
	ctx := context.Background()
	table, bucket := newTableAndBucket(t, "batch-")
	const article = "Talks\n\n“We will not stop until there is a ceasefire,” John Kerry said in Geneva.\n"
	for _, key := range []string{"old.txt", "never ingested.txt"} {
		if _, err := servers.S3().PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key), Body: strings.NewReader(article)}); err != nil {
			t.Fatalf("put object: %v", err)
		}
	}
	lambdaEnv(t, table)
	handler, err := newHandler(ctx, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatalf("newHandler: %v", err)
	}
	handler.Pipeline.ExtractorVersion = "2015-rules-0"
	if err := handler.Handle(ctx, loadEvent(t, "s3-put.json", bucket, "old.txt")); err != nil {
		t.Fatalf("Handle put: %v", err)
	}
	handler.Pipeline.ExtractorVersion = "2026-ranker-9"

	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "events", "s3-batch.json"))
	if err != nil {
		t.Fatal(err)
	}
	var job events.S3BatchJobEvent
	if err := json.Unmarshal(data, &job); err != nil {
		t.Fatal(err)
	}
	template := job.Tasks[0]
	job.Tasks = nil
	for i, key := range []string{"old.txt", "never ingested.txt", "gone.txt"} {
		task := template
		task.TaskID = fmt.Sprintf("task-%d", i)
		task.S3BucketARN = "arn:aws:s3:::" + bucket
		task.S3Key = url.QueryEscape(key)
		job.Tasks = append(job.Tasks, task)
	}
	payload, err := json.Marshal(job)
	if err != nil {
		t.Fatal(err)
	}
	out, err := handler.Invoke(ctx, payload)
	if err != nil {
		t.Fatalf("Invoke: %v", err)
	}
	resp, ok := out.(events.S3BatchJobResponse)
	if !ok || resp.InvocationID != job.InvocationID || resp.InvocationSchemaVersion != "1.0" || len(resp.Results) != 3 {
		t.Fatalf("Invoke = %#v, want a response for the job's 3 tasks", out)
	}
	for i, want := range []string{"Succeeded", "Succeeded", "PermanentFailure"} {
		if r := resp.Results[i]; r.TaskID != job.Tasks[i].TaskID || r.ResultCode != want {
			t.Errorf("task %d: %+v, want %s", i, r, want)
		}
	}
	db := dynamo.New(servers.DynamoDB(), table, dynamo.Options{})
	for _, key := range []string{"old.txt", "never ingested.txt"} {
		a, err := db.Article(ctx, quote.ArticleID(key))
		if err != nil || a.Extractor != "2026-ranker-9" || a.QuoteCount != 1 || !strings.Contains(a.Version, ".") {
			t.Errorf("%s after the job: extractor %q, %d quotes, version %q, %v; want re-extracted under a revision", key, a.Extractor, a.QuoteCount, a.Version, err)
		}
	}

	// An upload after the job wins over its re-extraction.
	if err := handler.Handle(ctx, loadEvent(t, "s3-put-newer.json", bucket, "old.txt")); err != nil {
		t.Fatalf("Handle newer put: %v", err)
	}
	if a, err := db.Article(ctx, quote.ArticleID("old.txt")); err != nil || strings.Contains(a.Version, ".") {
		t.Errorf("after a later upload, version %q, %v; want the upload's sequencer", a.Version, err)
	}
}
