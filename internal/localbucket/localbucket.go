// Package localbucket is a directory that behaves like the service's S3
// bucket for local runs: objects put into it are stored as files and
// announced with the same events.S3Event the ingest Lambda receives, so
// `quotes serve` exercises the real ingest code path.
package localbucket

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/newsroom-tools/quotes/internal/quote"
)

// MaxObjectSize bounds what the bucket accepts, as S3's single PUT does
// (there 5 GB). Ingest applies its own, much smaller, article limit and
// records larger objects as failed.
const MaxObjectSize = 64 << 20

// Notify receives the events the bucket emits.
type Notify func(context.Context, events.S3Event) error

// Bucket stores objects under a directory.
type Bucket struct {
	name      string
	root      string
	notify    Notify
	sequencer *Sequencer
}

// New returns the bucket called name stored under root, announcing every
// change to notify.
func New(name, root string, notify Notify) (*Bucket, error) {
	if err := os.MkdirAll(root, 0o755); err != nil {
		return nil, fmt.Errorf("localbucket: create %s: %w", root, err)
	}
	return &Bucket{name: name, root: root, notify: notify, sequencer: NewSequencer()}, nil
}

// Name is the bucket's name, as events carry it.
func (b *Bucket) Name() string { return b.name }

// Metadata is an object's user metadata, as S3 keeps it: keys in lower
// case, without the x-amz-meta- of their headers.
type Metadata map[string]string

// MetadataFromHeader is the user metadata an upload's x-amz-meta-*
// headers set.
func MetadataFromHeader(h http.Header) Metadata {
	var meta Metadata
	for name, values := range h {
		if key, ok := strings.CutPrefix(strings.ToLower(name), "x-amz-meta-"); ok && key != "" && len(values) > 0 {
			if meta == nil {
				meta = Metadata{}
			}
			meta[key] = values[0]
		}
	}
	return meta
}

// Put stores the object under key, with its user metadata (nil for
// none), and announces it.
func (b *Bucket) Put(ctx context.Context, key string, body io.Reader, meta Metadata) error {
	file, err := b.file(key)
	if err != nil {
		return err
	}
	if err := b.putMetadata(key, meta); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return fmt.Errorf("localbucket: put %s: %w", key, err)
	}
	// Written beside its final name and renamed, so that a reader never
	// sees half an object.
	tmp, err := os.CreateTemp(filepath.Dir(file), ".upload-*")
	if err != nil {
		return fmt.Errorf("localbucket: put %s: %w", key, err)
	}
	defer os.Remove(tmp.Name())
	n, err := io.Copy(tmp, io.LimitReader(body, MaxObjectSize+1))
	if closeErr := tmp.Close(); err == nil {
		err = closeErr
	}
	if err != nil {
		return fmt.Errorf("localbucket: put %s: %w", key, err)
	}
	if n > MaxObjectSize {
		return quote.Errorf(quote.EInvalid, "object is larger than %d MB", MaxObjectSize>>20)
	}
	if err := os.Rename(tmp.Name(), file); err != nil {
		return fmt.Errorf("localbucket: put %s: %w", key, err)
	}
	return b.notify(ctx, b.event("ObjectCreated:Put", key, n))
}

// Delete removes the object under key and announces it. As in S3,
// deleting a missing key succeeds and is announced.
func (b *Bucket) Delete(ctx context.Context, key string) error {
	file, err := b.file(key)
	if err != nil {
		return err
	}
	if err := os.Remove(file); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("localbucket: delete %s: %w", key, err)
	}
	if err := os.Remove(b.metadataFile(key)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("localbucket: delete metadata of %s: %w", key, err)
	}
	return b.notify(ctx, b.event("ObjectRemoved:Delete", key, 0))
}

// Open returns the object stored under key, or an error with code
// quote.ENotFound.
func (b *Bucket) Open(key string) (*os.File, error) {
	file, err := b.file(key)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(file)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, quote.Errorf(quote.ENotFound, "no object %q in bucket %s", key, b.name)
	}
	if err != nil {
		return nil, fmt.Errorf("localbucket: open %s: %w", key, err)
	}
	return f, nil
}

// Metadata returns the user metadata the object under key was put with;
// nil when none.
func (b *Bucket) Metadata(key string) (map[string]string, error) {
	if _, err := b.file(key); err != nil {
		return nil, err
	}
	raw, err := os.ReadFile(b.metadataFile(key))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("localbucket: metadata of %s: %w", key, err)
	}
	var meta map[string]string
	if err := json.Unmarshal(raw, &meta); err != nil {
		return nil, fmt.Errorf("localbucket: metadata of %s: %w", key, err)
	}
	return meta, nil
}

// putMetadata records an object's metadata, or that it has none, in a
// folder beside the objects' so that no key can collide with it.
func (b *Bucket) putMetadata(key string, meta Metadata) error {
	file := b.metadataFile(key)
	if len(meta) == 0 {
		if err := os.Remove(file); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("localbucket: put metadata of %s: %w", key, err)
		}
		return nil
	}
	raw, err := json.Marshal(meta)
	if err == nil {
		err = os.MkdirAll(filepath.Dir(file), 0o755)
	}
	if err == nil {
		err = os.WriteFile(file, raw, 0o644)
	}
	if err != nil {
		return fmt.Errorf("localbucket: put metadata of %s: %w", key, err)
	}
	return nil
}

func (b *Bucket) metadataFile(key string) string {
	return filepath.Join(b.root+".metadata", filepath.FromSlash(key)+".json")
}

// file maps a key to its file, refusing keys that would escape the root.
func (b *Bucket) file(key string) (string, error) {
	if key == "" || len(key) > 1024 || strings.ContainsRune(key, 0) {
		return "", quote.Errorf(quote.EInvalid, "object key must be 1 to 1024 bytes without NUL")
	}
	clean := path.Clean("/" + key)
	if clean != "/"+key || strings.HasSuffix(key, "/") {
		return "", quote.Errorf(quote.EInvalid, "object key %q has empty, '.' or '..' segments", key)
	}
	return filepath.Join(b.root, filepath.FromSlash(key)), nil
}

// event announces a change to key with the next sequencer.
func (b *Bucket) event(name, key string, size int64) events.S3Event {
	return Event(name, b.name, key, size, b.sequencer.Next())
}

// Event builds the notification S3 sends for one change to key in bucket.
// Keys are URL-encoded as S3 encodes them: a space as '+', '/' kept.
func Event(name, bucket, key string, size int64, sequencer string) events.S3Event {
	return events.S3Event{Records: []events.S3EventRecord{{
		EventVersion: "2.1",
		EventSource:  "aws:s3",
		AWSRegion:    "local",
		EventTime:    time.Now().UTC(),
		EventName:    name,
		S3: events.S3Entity{
			SchemaVersion: "1.0",
			Bucket:        events.S3Bucket{Name: bucket, Arn: "arn:aws:s3:::" + bucket},
			Object: events.S3Object{
				Key:       strings.ReplaceAll(url.QueryEscape(key), "%2F", "/"),
				Size:      size,
				Sequencer: sequencer,
			},
		},
	}}}
}

// Sequencer issues S3-style event sequencers that increase with every call
// and across restarts, as S3's do for one key: they are the wall clock in
// nanoseconds, bumped when the clock has not moved.
type Sequencer struct {
	now  func() time.Time
	mu   sync.Mutex
	last int64
}

// NewSequencer returns a Sequencer on the wall clock.
func NewSequencer() *Sequencer { return &Sequencer{now: time.Now} }

// Next returns the next sequencer.
func (s *Sequencer) Next() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.last = max(s.now().UnixNano(), s.last+1)
	return fmt.Sprintf("%016X", s.last)
}
