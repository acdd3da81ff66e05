package localserver

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/newsroom-tools/quotes/internal/ingest"
	"github.com/newsroom-tools/quotes/internal/localbucket"
	"github.com/newsroom-tools/quotes/internal/quote"
	"github.com/newsroom-tools/quotes/internal/store"
	"github.com/newsroom-tools/quotes/internal/store/dynamo"
)

// awsConfig loads the AWS configuration the usual way (environment, shared
// files). Checksums are only computed where an operation requires them,
// which S3 stand-ins such as s3rver need and AWS accepts.
func awsConfig(ctx context.Context) (aws.Config, error) {
	cfg, err := config.LoadDefaultConfig(ctx,
		config.WithRequestChecksumCalculation(aws.RequestChecksumCalculationWhenRequired),
		config.WithResponseChecksumValidation(aws.ResponseChecksumValidationWhenRequired),
	)
	if err != nil {
		return aws.Config{}, fmt.Errorf("load AWS config: %w", err)
	}
	return cfg, nil
}

// endpoint turns a flag's value into a base endpoint: "aws" means AWS's own.
func endpoint(flagValue string) *string {
	if flagValue == "aws" {
		return nil
	}
	return aws.String(flagValue)
}

func openDynamo(ctx context.Context, c Config, log *slog.Logger) (store.Store, error) {
	cfg, err := awsConfig(ctx)
	if err != nil {
		return nil, err
	}
	client := dynamodb.NewFromConfig(cfg, func(o *dynamodb.Options) { o.BaseEndpoint = endpoint(c.DynamoEndpoint) })
	return dynamo.New(client, c.Table, dynamo.Options{CursorKey: []byte(c.CursorKey), Logger: log}), nil
}

// s3Bucket keeps uploads in S3 and announces them as S3 would to the
// ingest Lambda: locally nothing delivers S3's own notifications.
type s3Bucket struct {
	client    *s3.Client
	name      string
	sequencer *localbucket.Sequencer
	notify    localbucket.Notify
	locks     localbucket.KeyLocks
}

func openS3Bucket(ctx context.Context, c Config, events *ingest.Handler) (*s3Bucket, error) {
	cfg, err := awsConfig(ctx)
	if err != nil {
		return nil, err
	}
	client := s3.NewFromConfig(cfg, func(o *s3.Options) {
		o.BaseEndpoint = endpoint(c.S3Endpoint)
		o.UsePathStyle = c.S3Endpoint != "aws"
	})
	events.Objects = &ingest.S3Objects{Client: client}
	return &s3Bucket{client: client, name: c.Bucket, sequencer: localbucket.NewSequencer(), notify: events.Handle}, nil
}

func (b *s3Bucket) Put(ctx context.Context, key string, body io.Reader, meta localbucket.Metadata) error {
	data, err := io.ReadAll(io.LimitReader(body, localbucket.MaxObjectSize+1))
	if err != nil {
		return fmt.Errorf("s3 bucket: read upload %s: %w", key, err)
	}
	if len(data) > localbucket.MaxObjectSize {
		return quote.Errorf(quote.EInvalid, "object is larger than %d MB", localbucket.MaxObjectSize>>20)
	}
	defer b.locks.Lock(key)()
	// A bytes.Reader, being seekable, lets the SDK sign the payload over
	// plain HTTP.
	if _, err := b.client.PutObject(ctx, &s3.PutObjectInput{
		Bucket: aws.String(b.name), Key: aws.String(key), Body: bytes.NewReader(data), Metadata: meta,
	}); err != nil {
		return fmt.Errorf("s3 bucket: put %s: %w", key, err)
	}
	return localbucket.Announce(ctx, b.notify, b.sequencer, func(seq string) events.S3Event {
		return localbucket.Event("ObjectCreated:Put", b.name, key, int64(len(data)), seq)
	})
}

func (b *s3Bucket) Delete(ctx context.Context, key string) error {
	defer b.locks.Lock(key)()
	if _, err := b.client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(b.name), Key: aws.String(key)}); err != nil {
		return fmt.Errorf("s3 bucket: delete %s: %w", key, err)
	}
	return localbucket.Announce(ctx, b.notify, b.sequencer, func(seq string) events.S3Event {
		return localbucket.Event("ObjectRemoved:Delete", b.name, key, 0, seq)
	})
}

func (b *s3Bucket) keys(ctx context.Context) ([]string, error) {
	var keys []string
	pages := s3.NewListObjectsV2Paginator(b.client, &s3.ListObjectsV2Input{Bucket: aws.String(b.name)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("s3 bucket: list %s: %w", b.name, err)
		}
		for _, o := range page.Contents {
			if key := aws.ToString(o.Key); !strings.HasSuffix(key, "/") {
				keys = append(keys, key)
			}
		}
	}
	return keys, nil
}
