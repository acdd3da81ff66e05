// Command awsservers starts dynalite and s3rver (internal/awstest, from
// infra/local/node_modules) on 127.0.0.1 with a table shaped as
// template.yaml's and a bucket, prints the environment that points
// `quotes serve` and the AWS SDK at them as shell export lines, and runs
// until it is interrupted or terminated. Run it from the repository root.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/newsroom-tools/quotes/internal/awstest"
)

// Names of the table and bucket made for the benchmarks.
const (
	table  = "quotes-bench"
	bucket = "quotes-bench-articles"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "awsservers:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	servers, err := awstest.Start(ctx)
	if err != nil {
		return err
	}
	defer servers.Stop()
	if err := servers.CreateTable(ctx, table); err != nil {
		return err
	}
	if err := servers.CreateBucket(ctx, bucket); err != nil {
		return err
	}
	for _, kv := range [][2]string{
		{"QUOTES_DYNAMODB_ENDPOINT", servers.DynamoDBEndpoint()},
		{"QUOTES_TABLE", table},
		{"QUOTES_CURSOR_KEY", "bench-cursor-key-0123456789abcdefghij"},
		{"AWS_REGION", awstest.Region},
		{"AWS_ACCESS_KEY_ID", "S3RVER"},
		{"AWS_SECRET_ACCESS_KEY", "S3RVER"},
		{"AWS_EC2_METADATA_DISABLED", "true"},
		{"AWS_ENDPOINT_URL_DYNAMODB", servers.DynamoDBEndpoint()},
		{"AWS_ENDPOINT_URL_S3", servers.S3Endpoint()},
	} {
		fmt.Printf("export %s=%s\n", kv[0], kv[1])
	}
	<-ctx.Done()
	return nil
}
