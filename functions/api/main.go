// Command api is the API Lambda: it serves the HTTP API (API Gateway
// payload format 2.0) from the DynamoDB table, and the fact-checkers' web
// page beside it. Wiring only; the handlers are internal/httpapi and
// internal/web, shared with the local server.
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/newsroom-tools/quotes/internal/httpapi"
	"github.com/newsroom-tools/quotes/internal/store/dynamo"
	"github.com/newsroom-tools/quotes/internal/topic"
	"github.com/newsroom-tools/quotes/internal/web"
)

// minCursorKeyLen matches the CursorKey parameter's MinLength in
// template.yaml: a shorter key would make cursors forgeable.
const minCursorKeyLen = 32

func main() {
	logger := lambdacontext.NewLogger()
	handler, err := newHandler(context.Background(), logger)
	if err != nil {
		logger.Error("api: start", "error", err)
		os.Exit(1)
	}
	lambda.Start(handler.Handle)
}

// newHandler wires the handler; opts adjust the AWS configuration (tests
// record the calls made with them).
func newHandler(ctx context.Context, logger *slog.Logger, opts ...func(*config.LoadOptions) error) (httpapi.LambdaAdapter, error) {
	table := os.Getenv("TABLE_NAME")
	if table == "" {
		return httpapi.LambdaAdapter{}, errors.New("TABLE_NAME is not set")
	}
	cursorKey := os.Getenv("CURSOR_KEY")
	if len(cursorKey) < minCursorKeyLen {
		return httpapi.LambdaAdapter{}, fmt.Errorf("CURSOR_KEY must be at least %d characters", minCursorKeyLen)
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return httpapi.LambdaAdapter{}, fmt.Errorf("load AWS config: %w", err)
	}
	db := dynamo.New(dynamodb.NewFromConfig(cfg), table, dynamo.Options{CursorKey: []byte(cursorKey), Logger: logger})
	return httpapi.LambdaAdapter{Handler: httpapi.New(db, httpapi.Options{
		Logger:         logger,
		CanonicalTopic: topic.Default().Canonical,
		Web:            web.Handler(),
	})}, nil
}
