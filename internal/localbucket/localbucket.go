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

// maxSegmentBytes is the longest file name common file systems hold
// (NAME_MAX); S3 keys have no such limit, but the local bucket stores each
// segment of a key as a file or folder name.
const maxSegmentBytes = 255

// readRecorder remembers the error reading an upload's body failed with,
// to tell the uploader's failures from the bucket's.
type readRecorder struct {
	r   io.Reader
	err error
}

func (r *readRecorder) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	if err != nil && err != io.EOF {
		r.err = err
	}
	return n, err
}

// Notify receives the events the bucket emits.
type Notify func(context.Context, events.S3Event) error

// Bucket stores objects under a directory.
type Bucket struct {
	name      string
	root      string
	notify    Notify
	sequencer *Sequencer
	keys      KeyLocks
}

// tempPrefix starts the name of an upload being written; one left by a
// crash is removed when the bucket opens.
const tempPrefix = ".upload-"

// New returns the bucket called name stored under root, announcing every
// change to notify. Uploads a crash left half-written are removed.
func New(name, root string, notify Notify) (*Bucket, error) {
	if err := os.MkdirAll(root, 0o755); err != nil {
		return nil, fmt.Errorf("localbucket: create %s: %w", root, err)
	}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasPrefix(d.Name(), tempPrefix) {
			err = os.Remove(p)
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("localbucket: remove unfinished uploads in %s: %w", root, err)
	}
	return &Bucket{name: name, root: root, notify: notify, sequencer: NewSequencer()}, nil
}

// notifyTimeout bounds the ingest of one change. It runs to the end even
// when the client that made the change has gone: the file operation is
// done, and the store must follow it.
const notifyTimeout = 2 * time.Minute

// KeyLocks serialises the operations on each key: the file operation,
// the sequencer its event gets and the handling of that event happen
// together, so that events are numbered in the order of the operations
// and the store follows the bucket, the last write to a key winning in
// both. The zero value is ready to use.
type KeyLocks struct {
	mu    sync.Mutex
	locks map[string]*keyLock
}

type keyLock struct {
	mu    sync.Mutex
	users int
}

// Lock waits until no one else holds key, and returns the function that
// releases it.
func (l *KeyLocks) Lock(key string) (unlock func()) {
	l.mu.Lock()
	if l.locks == nil {
		l.locks = map[string]*keyLock{}
	}
	k := l.locks[key]
	if k == nil {
		k = &keyLock{}
		l.locks[key] = k
	}
	k.users++
	l.mu.Unlock()
	k.mu.Lock()
	return func() {
		k.mu.Unlock()
		l.mu.Lock()
		if k.users--; k.users == 0 {
			delete(l.locks, key)
		}
		l.mu.Unlock()
	}
}

// Announce runs notify for the event made by event(sequencer) while the
// caller holds the event's key: the sequencer is taken at the time of the
// file operation, and notify runs to the end even if ctx is cancelled.
func Announce(ctx context.Context, notify Notify, seq *Sequencer, event func(sequencer string) events.S3Event) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), notifyTimeout)
	defer cancel()
	return notify(ctx, event(seq.Next()))
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
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return fmt.Errorf("localbucket: put %s: %w", key, err)
	}
	// Written beside its final name and renamed, so that a reader never
	// sees half an object.
	tmp, err := os.CreateTemp(filepath.Dir(file), tempPrefix+"*")
	if err != nil {
		return fmt.Errorf("localbucket: put %s: %w", key, err)
	}
	defer os.Remove(tmp.Name())
	upload := &readRecorder{r: body}
	n, err := io.Copy(tmp, io.LimitReader(upload, MaxObjectSize+1))
	if closeErr := tmp.Close(); err == nil {
		err = closeErr
	}
	if upload.err != nil {
		// The uploader's connection failed or was cut off: theirs to
		// send again, not a failure of the bucket.
		return fmt.Errorf("localbucket: put %s: %w", key,
			quote.Errorf(quote.EInvalid, "the upload ended before its body did (%v); nothing was stored", upload.err))
	}
	if err != nil {
		return fmt.Errorf("localbucket: put %s: %w", key, err)
	}
	if n > MaxObjectSize {
		return quote.Errorf(quote.EInvalid, "object is larger than %d MB", MaxObjectSize>>20)
	}
	// The body is in; from here the key is held (see KeyLocks).
	defer b.keys.Lock(key)()
	if err := b.putMetadata(key, meta); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), file); err != nil {
		return fmt.Errorf("localbucket: put %s: %w", key, err)
	}
	return Announce(ctx, b.notify, b.sequencer, func(seq string) events.S3Event {
		return Event("ObjectCreated:Put", b.name, key, n, seq)
	})
}

// Delete removes the object under key and announces it. As in S3,
// deleting a missing key succeeds and is announced.
func (b *Bucket) Delete(ctx context.Context, key string) error {
	file, err := b.file(key)
	if err != nil {
		return err
	}
	defer b.keys.Lock(key)()
	if err := os.Remove(file); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("localbucket: delete %s: %w", key, err)
	}
	if err := os.Remove(b.metadataFile(key)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("localbucket: delete metadata of %s: %w", key, err)
	}
	return Announce(ctx, b.notify, b.sequencer, func(seq string) events.S3Event {
		return Event("ObjectRemoved:Delete", b.name, key, 0, seq)
	})
}

// Object is one object of the bucket, as Objects lists it.
type Object struct {
	Key      string
	Size     int64
	Modified time.Time
}

// Objects lists the bucket's objects (files not starting with '.').
func (b *Bucket) Objects(ctx context.Context) ([]Object, error) {
	var objects []Object
	err := filepath.WalkDir(b.root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if d.IsDir() || strings.HasPrefix(d.Name(), ".") || !d.Type().IsRegular() {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(b.root, p)
		if err != nil {
			return err
		}
		objects = append(objects, Object{Key: filepath.ToSlash(rel), Size: info.Size(), Modified: info.ModTime()})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("localbucket: list %s: %w", b.root, err)
	}
	return objects, nil
}

// Reannounce announces the object stored under key again, as put when it
// was written, for an object whose event was lost (a crash between the
// file operation and its ingest) or that is to be extracted again.
func (b *Bucket) Reannounce(ctx context.Context, key string) error {
	file, err := b.file(key)
	if err != nil {
		return err
	}
	defer b.keys.Lock(key)()
	info, err := os.Stat(file)
	if err != nil {
		return fmt.Errorf("localbucket: reannounce %s: %w", key, err)
	}
	return Announce(ctx, b.notify, b.sequencer, func(seq string) events.S3Event {
		ev := Event("ObjectCreated:Put", b.name, key, info.Size(), seq)
		// The object was uploaded when it was written, not now: ingest
		// dates an article without a date of its own by its upload.
		ev.Records[0].EventTime = info.ModTime().UTC()
		return ev
	})
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
	for segment := range strings.SplitSeq(key, "/") {
		if len(segment) > maxSegmentBytes {
			return "", quote.Errorf(quote.EInvalid, "object key has a segment of %d bytes; the local bucket keeps each as a file name, of at most %d bytes", len(segment), maxSegmentBytes)
		}
	}
	return filepath.Join(b.root, filepath.FromSlash(key)), nil
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
