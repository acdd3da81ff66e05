// Command ingest is the ingest Lambda: S3 notifies it of every article
// uploaded to or deleted from the articles bucket, and it extracts the
// article's quotes into the DynamoDB table; an S3 Batch Operations job
// invokes it to re-extract a whole bucket. Wiring only; the handler is
// internal/ingest, shared with the local server.
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
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/newsroom-tools/quotes/internal/ingest"
	"github.com/newsroom-tools/quotes/internal/store/dynamo"
)

func main() {
	logger := lambdacontext.NewLogger()
	handler, err := newHandler(context.Background(), logger)
	if err != nil {
		logger.Error("ingest: start", "error", err)
		os.Exit(1)
	}
	lambda.Start(handler.Invoke)
}

// newHandler wires the handler; opts adjust the AWS configuration (tests
// record the calls made with them).
func newHandler(ctx context.Context, logger *slog.Logger, opts ...func(*config.LoadOptions) error) (*ingest.Handler, error) {
	table := os.Getenv("TABLE_NAME")
	if table == "" {
		return nil, errors.New("TABLE_NAME is not set")
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("load AWS config: %w", err)
	}
	db := dynamo.New(dynamodb.NewFromConfig(cfg), table, dynamo.Options{Logger: logger})
	return &ingest.Handler{
		Pipeline: ingest.NewPipeline(db, logger),
		Objects:  &ingest.S3Objects{Client: s3.NewFromConfig(cfg)},
		Log:      logger,
	}, nil
}
