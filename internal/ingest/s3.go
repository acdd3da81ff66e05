package ingest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"

	"github.com/newsroom-tools/quotes/internal/quote"
)

// S3Objects reads objects from Amazon S3.
type S3Objects struct {
	Client *s3.Client
}

var _ Objects = (*S3Objects)(nil)

// Get fetches the object, reading at most limit+1 bytes of it: an object
// whose Content-Length is over limit is refused before its body is read.
func (o *S3Objects) Get(ctx context.Context, bucket, key string, limit int64) (Object, error) {
	out, err := o.Client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if isMissingObject(err) {
		return Object{}, quote.Errorf(quote.ENotFound, "no object %q in bucket %s", key, bucket)
	}
	if err != nil {
		return Object{}, fmt.Errorf("s3 get object: %w", err)
	}
	defer out.Body.Close()
	size := aws.ToInt64(out.ContentLength)
	if out.ContentLength == nil {
		size = -1
	}
	body, err := ReadObject(out.Body, size, limit)
	if err != nil && quote.ErrorCode(err) == quote.EInternal {
		return Object{}, fmt.Errorf("s3 read object: %w", err)
	}
	// The SDK gives user metadata keys in lower case, without x-amz-meta-.
	return Object{Body: body, Published: out.Metadata[MetadataPublished]}, err
}

// Head reads the current object's upload time with HeadObject. A delete
// marker, current, answers 404 as a missing object does.
func (o *S3Objects) Head(ctx context.Context, bucket, key string) (time.Time, error) {
	out, err := o.Client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if _, ok := errors.AsType[*types.NotFound](err); ok || isMissingObject(err) {
		return time.Time{}, quote.Errorf(quote.ENotFound, "no object %q in bucket %s", key, bucket)
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("s3 head object: %w", err)
	}
	return aws.ToTime(out.LastModified), nil
}

// isMissingObject reports whether err says the object does not exist:
// S3's NoSuchKey, or a 404 without an error code (as S3 answers a request
// it will not describe, and as S3-compatible endpoints and proxies do). A
// missing bucket is a 404 too, but a misconfiguration worth retrying
// until it is fixed, not an object gone for good.
func isMissingObject(err error) bool {
	if err == nil {
		return false
	}
	if _, ok := errors.AsType[*types.NoSuchKey](err); ok {
		return true
	}
	respErr, ok := errors.AsType[*awshttp.ResponseError](err)
	if !ok || respErr.HTTPStatusCode() != http.StatusNotFound {
		return false
	}
	if apiErr, ok := errors.AsType[smithy.APIError](err); ok && apiErr.ErrorCode() == "NoSuchBucket" {
		return false
	}
	return true
}
