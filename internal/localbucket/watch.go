package localbucket

import (
	"context"
	"io"
	"io/fs"
	"log/slog"
	"os"
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
// upload fails is tried again at the next poll. A symbolic link is
// followed only to a file inside dir: one leading out of it (to
// ~/.ssh/id_rsa, say) is never read, and is logged once.
func Watch(ctx context.Context, dir string, every time.Duration, into Target, log *slog.Logger) {
	w := &watcher{dir: dir, into: into, log: log, seen: map[string]fileState{}, refused: map[string]bool{}}
	ticker := time.NewTicker(every)
	defer ticker.Stop()
	for {
		w.mirror(ctx)
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

type watcher struct {
	dir  string
	into Target
	log  *slog.Logger
	// seen is what the bucket holds of dir; refused, the links already
	// logged as leading out of it.
	seen    map[string]fileState
	refused map[string]bool
}

// mirror brings the bucket in line with dir once.
func (w *watcher) mirror(ctx context.Context) {
	// Every read goes through root, which refuses any path that leaves
	// dir, through a link or otherwise, even one swapped in after the walk.
	root, err := os.OpenRoot(w.dir)
	if err != nil {
		w.log.ErrorContext(ctx, "watch: open folder", "dir", w.dir, "error", err)
		return
	}
	defer root.Close()
	now := map[string]fileState{}
	err = fs.WalkDir(root.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasPrefix(d.Name(), ".") {
			return nil
		}
		info, err := root.Stat(p)
		if err != nil {
			if !w.refused[p] {
				w.log.WarnContext(ctx, "watch: skipped a link leading out of the folder, or unreadable", "key", p, "error", err)
				w.refused[p] = true
			}
			return nil
		}
		delete(w.refused, p)
		if !info.Mode().IsRegular() {
			return nil
		}
		now[p] = fileState{size: info.Size(), modTime: info.ModTime()}
		return nil
	})
	if err != nil {
		w.log.ErrorContext(ctx, "watch: read folder", "dir", w.dir, "error", err)
		return
	}
	for key, state := range now {
		if old, ok := w.seen[key]; ok && old == state {
			continue
		}
		f, err := root.Open(key)
		if err != nil {
			w.log.ErrorContext(ctx, "watch: open file", "key", key, "error", err)
			continue
		}
		err = w.into.Put(ctx, key, f, nil)
		f.Close()
		if err != nil {
			w.log.ErrorContext(ctx, "watch: upload", "key", key, "error", err)
			continue
		}
		w.log.InfoContext(ctx, "watch: uploaded", "key", key)
		w.seen[key] = state
	}
	for key := range w.seen {
		if _, ok := now[key]; ok {
			continue
		}
		if err := w.into.Delete(ctx, key); err != nil {
			w.log.ErrorContext(ctx, "watch: delete", "key", key, "error", err)
			continue
		}
		w.log.InfoContext(ctx, "watch: deleted", "key", key)
		delete(w.seen, key)
	}
}
