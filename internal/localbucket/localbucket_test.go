package localbucket

import (
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/newsroom-tools/quotes/internal/quote"
)

// recorder keeps the events a bucket emits.
type recorder struct{ events []events.S3EventRecord }

func (r *recorder) notify(_ context.Context, ev events.S3Event) error {
	r.events = append(r.events, ev.Records...)
	return nil
}

func newBucket(t *testing.T) (*Bucket, *recorder) {
	t.Helper()
	rec := &recorder{}
	b, err := New("articles", t.TempDir(), rec.notify)
	if err != nil {
		t.Fatal(err)
	}
	// A frozen clock: sequencers must still increase.
	b.sequencer.now = func() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) }
	return b, rec
}

func TestPutStoresAndAnnounces(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		key, wantEventKey string
	}{
		{"plain.txt", "plain.txt"},
		{"seeds/with space.txt", "seeds/with+space.txt"},
		{"plus+sign.txt", "plus%2Bsign.txt"},
		{"unicodé/Zelénskyy.html", "unicod%C3%A9/Zel%C3%A9nskyy.html"},
	}
	b, rec := newBucket(t)
	for i, tt := range tests {
		body := "body of " + tt.key
		if err := b.Put(ctx, tt.key, strings.NewReader(body), nil); err != nil {
			t.Fatalf("Put(%q): %v", tt.key, err)
		}
		f, err := b.Open(tt.key)
		if err != nil {
			t.Fatalf("Open(%q): %v", tt.key, err)
		}
		got, _ := io.ReadAll(f)
		f.Close()
		if string(got) != body {
			t.Errorf("Open(%q) = %q, want %q", tt.key, got, body)
		}
		ev := rec.events[i]
		if ev.EventName != "ObjectCreated:Put" || ev.S3.Bucket.Name != "articles" || ev.S3.Object.Size != int64(len(body)) {
			t.Errorf("event for %q = %+v", tt.key, ev)
		}
		if ev.S3.Object.Key != tt.wantEventKey {
			t.Errorf("event key for %q = %q, want %q", tt.key, ev.S3.Object.Key, tt.wantEventKey)
		}
		if decoded, err := url.QueryUnescape(ev.S3.Object.Key); err != nil || decoded != tt.key {
			t.Errorf("event key %q decodes to %q (%v), want %q", ev.S3.Object.Key, decoded, err, tt.key)
		}
	}
	for i := 1; i < len(rec.events); i++ {
		prev, cur := rec.events[i-1].S3.Object.Sequencer, rec.events[i].S3.Object.Sequencer
		if quote.CompareVersions(prev, cur) >= 0 {
			t.Errorf("sequencer %q after %q does not increase", cur, prev)
		}
	}
}

func TestDelete(t *testing.T) {
	ctx := context.Background()
	b, rec := newBucket(t)
	if err := b.Put(ctx, "a.txt", strings.NewReader("x"), nil); err != nil {
		t.Fatal(err)
	}
	if err := b.Delete(ctx, "a.txt"); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if _, err := b.Open("a.txt"); quote.ErrorCode(err) != quote.ENotFound {
		t.Errorf("Open after Delete: %v, want not found", err)
	}
	if err := b.Delete(ctx, "never.txt"); err != nil {
		t.Errorf("Delete of a missing key: %v, want nil as in S3", err)
	}
	names := []string{}
	for _, ev := range rec.events {
		names = append(names, ev.EventName)
	}
	if want := []string{"ObjectCreated:Put", "ObjectRemoved:Delete", "ObjectRemoved:Delete"}; !slices.Equal(names, want) {
		t.Errorf("events = %q, want %q", names, want)
	}
}

func TestBadKeysAndSizes(t *testing.T) {
	ctx := context.Background()
	b, rec := newBucket(t)
	for _, key := range []string{"", "../escape.txt", "a/../../b", "dir/", "/abs", "a//b", "nul\x00byte", strings.Repeat("k", 1025),
		strings.Repeat("s", 300) + "/a.txt", "dir/" + strings.Repeat("n", 256)} {
		if err := b.Put(ctx, key, strings.NewReader("x"), nil); quote.ErrorCode(err) != quote.EInvalid {
			t.Errorf("Put(%q) = %v, want an invalid-key error", key, err)
		}
	}
	big := io.MultiReader(bytes.NewReader(make([]byte, MaxObjectSize)), strings.NewReader("!"))
	if err := b.Put(ctx, "big.bin", big, nil); quote.ErrorCode(err) != quote.EInvalid {
		t.Errorf("Put of %d bytes = %v, want a size error", MaxObjectSize+1, err)
	}
	cut := io.MultiReader(strings.NewReader("“We will"), iotest.ErrReader(io.ErrUnexpectedEOF))
	if err := b.Put(ctx, "cut.txt", cut, nil); quote.ErrorCode(err) != quote.EInvalid || !strings.Contains(quote.ErrorMessage(err), "ended before its body did") {
		t.Errorf("Put of a body cut short = %v, want an invalid-upload error", err)
	}
	if f, err := b.Open("cut.txt"); err == nil {
		f.Close()
		t.Errorf("a body cut short was stored")
	}
	if len(rec.events) != 0 {
		t.Errorf("rejected puts emitted %d events, want none", len(rec.events))
	}
	if got := strings.Repeat("k", 255); func() error { _, err := b.file(got); return err }() != nil {
		t.Errorf("a 255-byte segment is refused; file systems hold it")
	}
}

func TestWatchMirrorsFolder(t *testing.T) {
	ctx := context.Background()
	b, rec := newBucket(t)
	dir := t.TempDir()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	write := func(name, body string, mod time.Time) {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, mod, mod); err != nil {
			t.Fatal(err)
		}
	}
	w := &watcher{dir: dir, into: b, log: log, seen: map[string]fileState{}, refused: map[string]bool{}}
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

	write("one.txt", "first", t0)
	write("sub/two.txt", "second", t0)
	write(".hidden", "skipped", t0)
	w.mirror(ctx)
	w.mirror(ctx) // nothing changed: no new events
	write("one.txt", "first, edited", t0.Add(time.Minute))
	if err := os.Remove(filepath.Join(dir, "sub", "two.txt")); err != nil {
		t.Fatal(err)
	}
	w.mirror(ctx)

	var got []string
	for _, ev := range rec.events {
		got = append(got, ev.EventName+" "+ev.S3.Object.Key)
	}
	slices.Sort(got[:2]) // the first scan's order is the file system's
	want := []string{"ObjectCreated:Put one.txt", "ObjectCreated:Put sub/two.txt", "ObjectCreated:Put one.txt", "ObjectRemoved:Delete sub/two.txt"}
	if !slices.Equal(got, want) {
		t.Errorf("events = %q\nwant %q", got, want)
	}
}

func TestWatchNeverFollowsALinkOutOfItsFolder(t *testing.T) {
	ctx := context.Background()
	b, rec := newBucket(t)
	outside := t.TempDir()
	secret := filepath.Join(outside, "id_rsa")
	if err := os.WriteFile(secret, []byte("-----BEGIN PRIVATE KEY-----"), 0o600); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "inside.txt"), []byte("kept"), 0o644); err != nil {
		t.Fatal(err)
	}
	links := map[string]string{
		"secret.txt": secret,                                                // absolute, out
		"up.txt":     filepath.Join("..", filepath.Base(outside), "id_rsa"), // relative, out
		"folder":     outside,                                               // a folder out
		"same.txt":   "inside.txt",                                          // in: followed
	}
	for name, target := range links {
		if err := os.Symlink(target, filepath.Join(dir, name)); err != nil {
			t.Skipf("symlinks unavailable: %v", err)
		}
	}
	var logs bytes.Buffer
	w := &watcher{dir: dir, into: b, log: slog.New(slog.NewJSONHandler(&logs, nil)), seen: map[string]fileState{}, refused: map[string]bool{}}
	w.mirror(ctx)
	w.mirror(ctx)

	var got []string
	for _, ev := range rec.events {
		got = append(got, ev.S3.Object.Key)
	}
	slices.Sort(got)
	if want := []string{"inside.txt", "same.txt"}; !slices.Equal(got, want) {
		t.Errorf("uploaded %q, want only %q", got, want)
	}
	for _, key := range got {
		f, err := b.Open(key)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(f)
		f.Close()
		if string(body) != "kept" {
			t.Errorf("%s holds %q, want the file inside the folder", key, body)
		}
	}
	if n := strings.Count(logs.String(), "leading out of the folder"); n != 3 {
		t.Errorf("logged %d refused links over two scans, want each of the 3 links out once:\n%s", n, logs.String())
	}
}

func TestNewRemovesUnfinishedUploads(t *testing.T) {
	root := t.TempDir()
	leftover := filepath.Join(root, "sub", tempPrefix+"123")
	kept := filepath.Join(root, "sub", "story.txt")
	for _, p := range []string{leftover, kept} {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := New("articles", root, func(context.Context, events.S3Event) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(leftover); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("an upload a crash left half-written is still there (stat: %v)", err)
	}
	if _, err := os.Stat(kept); err != nil {
		t.Errorf("an object was removed with the leftovers: %v", err)
	}
}
