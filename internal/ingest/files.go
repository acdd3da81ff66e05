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
}

var _ Objects = FileObjects{}

// Get reads the object's file, refusing one larger than limit by its size
// before reading it.
func (o FileObjects) Get(ctx context.Context, bucket, key string, limit int64) ([]byte, error) {
	f, err := o.Open(key)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("stat object %q: %w", key, err)
	}
	body, err := ReadObject(f, info.Size(), limit)
	if err != nil {
		return nil, fmt.Errorf("read object %q: %w", key, err)
	}
	return body, nil
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
