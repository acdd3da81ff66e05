package localbucket

import (
	"context"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Target is a bucket Watch mirrors a folder into: a *Bucket, or any other
// that stores objects and announces them.
type Target interface {
	Put(ctx context.Context, key string, body io.Reader, meta Metadata) error
	Delete(ctx context.Context, key string) error
}

// Watch mirrors the folder dir into the bucket until ctx ends: a file
// dropped into it or changed is put under its path relative to dir, and a
// file removed from it is deleted. It polls, which works on every file
// system and needs no platform-specific notification API. A file whose
// upload fails is tried again at the next poll.
func Watch(ctx context.Context, dir string, every time.Duration, into Target, log *slog.Logger) {
	seen := map[string]fileState{}
	ticker := time.NewTicker(every)
	defer ticker.Stop()
	for {
		mirror(ctx, dir, seen, into, log)
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
	}
}

type fileState struct {
	size    int64
	modTime time.Time
}

// mirror brings the bucket in line with dir once.
func mirror(ctx context.Context, dir string, seen map[string]fileState, b Target, log *slog.Logger) {
	now := map[string]fileState{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasPrefix(d.Name(), ".") {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return nil
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return nil
		}
		now[filepath.ToSlash(rel)] = fileState{size: info.Size(), modTime: info.ModTime()}
		return nil
	})
	if err != nil {
		log.ErrorContext(ctx, "watch: read folder", "dir", dir, "error", err)
		return
	}
	for key, state := range now {
		if old, ok := seen[key]; ok && old == state {
			continue
		}
		f, err := os.Open(filepath.Join(dir, filepath.FromSlash(key)))
		if err != nil {
			log.ErrorContext(ctx, "watch: open file", "key", key, "error", err)
			continue
		}
		err = b.Put(ctx, key, f, nil)
		f.Close()
		if err != nil {
			log.ErrorContext(ctx, "watch: upload", "key", key, "error", err)
			continue
		}
		log.InfoContext(ctx, "watch: uploaded", "key", key)
		seen[key] = state
	}
	for key := range seen {
		if _, ok := now[key]; ok {
			continue
		}
		if err := b.Delete(ctx, key); err != nil {
			log.ErrorContext(ctx, "watch: delete", "key", key, "error", err)
			continue
		}
		log.InfoContext(ctx, "watch: deleted", "key", key)
		delete(seen, key)
	}
}
