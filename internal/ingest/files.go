package ingest

import (
	"context"
	"fmt"
	"os"
	"time"
)

// FileObjects reads objects stored as files, as the local server's bucket
// (internal/localbucket) keeps them. The bucket name is not consulted:
// Open knows its one bucket.
type FileObjects struct {
	// Open returns the file of the object under key, or an error with code
	// quote.ENotFound when there is none.
	Open func(key string) (*os.File, error)
	// Metadata returns the object's user metadata, keys in lower case
	// without x-amz-meta-; nil when it has none. Optional.
	Metadata func(key string) (map[string]string, error)
}

var _ Objects = FileObjects{}

// Get reads the object's file, refusing one larger than limit by its size
// before reading it.
func (o FileObjects) Get(ctx context.Context, bucket, key string, limit int64) (Object, error) {
	f, err := o.Open(key)
	if err != nil {
		return Object{}, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return Object{}, fmt.Errorf("stat object %q: %w", key, err)
	}
	body, err := ReadObject(f, info.Size(), limit)
	if err != nil {
		return Object{}, fmt.Errorf("read object %q: %w", key, err)
	}
	obj := Object{Body: body}
	if o.Metadata != nil {
		meta, err := o.Metadata(key)
		if err != nil {
			return Object{}, fmt.Errorf("read metadata of object %q: %w", key, err)
		}
		obj.Published = meta[MetadataPublished]
	}
	return obj, nil
}

// Head returns the object's modification time.
func (o FileObjects) Head(ctx context.Context, bucket, key string) (time.Time, error) {
	f, err := o.Open(key)
	if err != nil {
		return time.Time{}, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return time.Time{}, fmt.Errorf("stat object %q: %w", key, err)
	}
	return info.ModTime(), nil
}
