package ingest

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

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
	if _, ok := errors.AsType[*types.NoSuchKey](err); ok {
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
