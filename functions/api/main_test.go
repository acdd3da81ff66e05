package main

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/newsroom-tools/quotes/internal/awstest"
	"github.com/newsroom-tools/quotes/internal/quote"
	"github.com/newsroom-tools/quotes/internal/store"
	"github.com/newsroom-tools/quotes/internal/store/dynamo"
	"github.com/newsroom-tools/quotes/internal/verify"
)

// servers is the dynalite process the wiring is tested against.
var servers *awstest.Servers

func TestMain(m *testing.M) { os.Exit(awstest.RunTests(m, &servers)) }

const cursorKey = "0123456789abcdef0123456789abcdef"

// lambdaEnv sets the environment the function gets in AWS, pointed at
// dynalite through the SDK's own per-service endpoint variable, and with
// no shared config or credentials files of the machine running the tests.
func lambdaEnv(t *testing.T, table, key string) {
	t.Helper()
	servers.SetEnv(t)
	t.Setenv("TABLE_NAME", table)
	t.Setenv("CURSOR_KEY", key)
}

func TestNewHandlerRefusesMissingConfig(t *testing.T) {
	tests := []struct {
		name, table, key, want string
	}{
		{"no table", "", cursorKey, "TABLE_NAME"},
		{"no cursor key", "quotes", "", "CURSOR_KEY"},
		{"short cursor key", "quotes", "too-short", "CURSOR_KEY"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lambdaEnv(t, tt.table, tt.key)
			_, err := newHandler(context.Background(), slog.New(slog.DiscardHandler))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("newHandler = %v, want an error naming %s", err, tt.want)
			}
		})
	}
}

// TestHandlerServesFromDynamoDB runs API Gateway events through the
// function's own wiring (environment, AWS config, DynamoDB store) against
// dynalite.
func TestHandlerServesFromDynamoDB(t *testing.T) {
	ctx := context.Background()
	table := "api-" + rand.Text()[:8]
	if err := servers.CreateTable(ctx, table); err != nil {
		t.Fatalf("create table: %v", err)
	}
	t.Cleanup(func() {
		if _, err := servers.DynamoDB().DeleteTable(ctx, &dynamodb.DeleteTableInput{TableName: aws.String(table)}); err != nil {
			t.Errorf("delete table %s: %v", table, err)
		}
	})
	seed(t, dynamo.New(servers.DynamoDB(), table, dynamo.Options{CursorKey: []byte(cursorKey)}))

	lambdaEnv(t, table, cursorKey)
	calls := &awstest.Calls{}
	handler, err := newHandler(ctx, slog.New(slog.DiscardHandler), config.WithAPIOptions(calls.APIOptions()))
	if err != nil {
		t.Fatalf("newHandler: %v", err)
	}
	// Every call the routes below make must be granted to the function by
	// template.yaml, and every grant used: the API only reads.
	t.Cleanup(func() {
		granted, err := servers.Granted("ApiFunction")
		if err != nil {
			t.Fatal(err)
		}
		if got := calls.Actions(); !slices.Equal(got, granted) {
			t.Errorf("calls made %v, grants %v: grant exactly what the code calls", got, granted)
		}
	})

	event := loadEvent(t, "apigw-get-quotes.json")
	var texts []string
	for page := 1; ; page++ {
		resp, err := handler.Handle(ctx, event)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("page %d: Handle = %d %s, %v; want 200", page, resp.StatusCode, resp.Body, err)
		}
		var body struct {
			Quotes     []quote.Quote `json:"quotes"`
			NextCursor string        `json:"next_cursor"`
		}
		if err := json.Unmarshal([]byte(resp.Body), &body); err != nil {
			t.Fatalf("page %d: body %s: %v", page, resp.Body, err)
		}
		for _, q := range body.Quotes {
			texts = append(texts, q.Text)
		}
		if body.NextCursor == "" {
			break
		}
		if page > 3 {
			t.Fatalf("still paging after %d pages", page)
		}
		event.RawQueryString = "speaker=kerry&limit=2&cursor=" + url.QueryEscape(body.NextCursor)
	}
	if len(texts) != 3 {
		t.Errorf("speaker=kerry over all pages = %q, want John Kerry's 3 quotes", texts)
	}

	resp, err := handler.Handle(ctx, loadEvent(t, "apigw-get-article-by-key.json"))
	if err != nil || resp.StatusCode != 200 || !strings.Contains(resp.Body, `"key":"2015/05/12/kerry-sochi.txt"`) {
		t.Errorf("article by key = %d %s, %v; want the seeded article", resp.StatusCode, resp.Body, err)
	}
	resp, err = handler.Handle(ctx, loadEvent(t, "apigw-get-missing-quote.json"))
	if err != nil || resp.StatusCode != 404 {
		t.Errorf("missing quote = %d %s, %v; want 404", resp.StatusCode, resp.Body, err)
	}

	// The fact-checker routes, on the DynamoDB store's insights, and the
	// page that uses them.
	get := func(path string) events.APIGatewayV2HTTPRequest {
		event := loadEvent(t, "apigw-get-quotes.json")
		event.RawPath, event.RawQueryString = path, ""
		return event
	}
	page := func(marker string) func(body []byte) error {
		return func(body []byte) error {
			if !strings.Contains(string(body), marker) {
				return errors.New("not the page's file")
			}
			return nil
		}
	}
	kerrysAssad := quote.QuoteID(quote.ArticleID(sochiKey), assadText, 0)
	tests := []struct {
		name  string
		event events.APIGatewayV2HTTPRequest
		check func(body []byte) error
		want  string
	}{
		{"verify", loadEvent(t, "apigw-post-verify.json"), func(body []byte) error {
			var result verify.Result
			err := json.Unmarshal(body, &result)
			if err == nil && (result.Verdict != verify.WordingDiffers || result.Matches[0].Speaker.ID != "john-kerry") {
				err = errors.New("wrong verdict or match")
			}
			return err
		}, "wording_differs on Kerry's quote"},
		{"speaker record", get("/speakers/john-kerry"), func(body []byte) error {
			var speaker store.SpeakerRecord
			err := json.Unmarshal(body, &speaker)
			if err == nil && (speaker.QuoteCount != 3 || !slices.Contains(speaker.Aliases, "Kerry")) {
				err = errors.New("wrong record")
			}
			return err
		}, "John Kerry with 3 quotes, alias Kerry"},
		{"conflicts", get("/conflicts"), func(body []byte) error {
			var page struct {
				Conflicts []struct {
					Quotes [2]quote.Quote `json:"quotes"`
				} `json:"conflicts"`
			}
			err := json.Unmarshal(body, &page)
			if err == nil && (len(page.Conflicts) != 1 || page.Conflicts[0].Quotes[0].Text != assadText || page.Conflicts[0].Quotes[1].Text != assadText) {
				err = errors.New("wrong conflicts")
			}
			return err
		}, "Kerry's and Lavrov's " + assadText},
		{"quote with its conflict", get("/quotes/" + kerrysAssad), func(body []byte) error {
			var q struct {
				Conflict  bool `json:"conflict"`
				Conflicts []struct {
					Quote quote.Quote `json:"quote"`
				} `json:"conflicts"`
			}
			err := json.Unmarshal(body, &q)
			if err == nil && (!q.Conflict || len(q.Conflicts) != 1 || q.Conflicts[0].Quote.Speaker.ID != "sergei-lavrov") {
				err = errors.New("wrong conflicts")
			}
			return err
		}, "conflict with Lavrov's quote"},
		{"the web page", get("/"), page("<!doctype html>"), "the page's HTML"},
		{"the page's script", get("/assets/app.js"), page("fetch("), "the page's script"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := handler.Handle(ctx, tt.event)
			if err != nil || resp.StatusCode != 200 {
				t.Fatalf("Handle = %d %s, %v; want 200", resp.StatusCode, resp.Body, err)
			}
			if err := tt.check([]byte(resp.Body)); err != nil {
				t.Errorf("body = %s (%v), want %s", resp.Body, err, tt.want)
			}
		})
	}
}

const (
	sochiKey  = "2015/05/12/kerry-sochi.txt"
	assadText = "Assad must go"
)

// seed stores an article with three John Kerry quotes and one in which
// Sergei Lavrov is quoted with one of them, recorded as a conflict.
func seed(t *testing.T, db *dynamo.DB) {
	t.Helper()
	ctx := context.Background()
	kerry := quote.Speaker{Name: "John Kerry", Kind: quote.Person, Mention: "Kerry"}
	lavrov := quote.Speaker{Name: "Sergei Lavrov", Kind: quote.Person, Mention: "Lavrov"}
	date := time.Date(2015, 5, 12, 15, 30, 0, 0, time.UTC)
	sochi := put(t, db, sochiKey, date, kerry, "We had a frank discussion", assadText, "The ceasefire in Ukraine must hold")
	other := put(t, db, "2015/05/13/lavrov.txt", date.AddDate(0, 0, 1), lavrov, assadText)
	conflict := store.Conflict{QuoteIDs: [2]string{sochi[1].ID, other[0].ID}, Similarity: 1, Detected: date.AddDate(0, 0, 2)}
	if err := db.AddConflicts(ctx, []store.Conflict{conflict}); err != nil {
		t.Fatalf("AddConflicts: %v", err)
	}
}

// put stores an article of key in which speaker says texts, and returns
// its quotes.
func put(t *testing.T, db *dynamo.DB, key string, date time.Time, speaker quote.Speaker, texts ...string) []quote.Quote {
	t.Helper()
	a := quote.Article{
		ID: quote.ArticleID(key), Key: key, Version: "01", Title: "Title of " + key,
		Published: date, UploadedAt: date, Status: quote.StatusExtracted,
	}
	speaker.ID = quote.SpeakerID(speaker)
	var qs []quote.Quote
	for _, text := range texts {
		a.Text += "“"
		start := len(a.Text)
		a.Text += text + "” " + speaker.Mention + " said. "
		qs = append(qs, quote.Quote{
			ID: quote.QuoteID(a.ID, text, 0), Article: a.Ref(), Text: text,
			Start: start, End: start + len(text), Speaker: speaker, Date: date,
			Evidence: quote.Evidence{Rule: "quote-name-said", Confidence: 0.9},
		})
	}
	a.QuoteCount = len(qs)
	if err := db.PutArticle(context.Background(), a, qs); err != nil {
		t.Fatalf("PutArticle(%s): %v", key, err)
	}
	return qs
}

func loadEvent(t *testing.T, name string) events.APIGatewayV2HTTPRequest {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "events", name))
	if err != nil {
		t.Fatalf("read event: %v", err)
	}
	var event events.APIGatewayV2HTTPRequest
	if err := json.Unmarshal(data, &event); err != nil {
		t.Fatalf("decode event %s: %v", name, err)
	}
	return event
}
