package ingest_test

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/newsroom-tools/quotes/internal/ingest"
	"github.com/newsroom-tools/quotes/internal/store/bolt"
)

// BenchmarkIngest ingests the PolNeAR train articles into an embedded
// store, as uploads do: one op is one article, the store growing as the
// articles come, from one uploader and from four at once (two per core:
// infra/bench/ingest.sh's four over HTTP). It is for profiling the
// pipeline itself (-cpuprofile); ns/op of the four is the wall time per
// article of them all.
func BenchmarkIngest(b *testing.B) {
	paths, _ := filepath.Glob("../../../shared/eval/polnear/train/articles/*")
	if len(paths) == 0 {
		b.Skip("../shared/eval is absent")
	}
	bodies := make([][]byte, len(paths))
	for i, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		bodies[i] = data
	}
	for _, uploaders := range []int{1, 4} {
		b.Run(fmt.Sprintf("uploaders=%d", uploaders), func(b *testing.B) {
			db, err := bolt.Open(filepath.Join(b.TempDir(), "quotes.db"), bolt.Options{})
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { db.Close() })
			p := ingest.NewPipeline(db, slog.New(slog.NewJSONHandler(io.Discard, nil)))
			uploaded := time.Date(2016, 9, 1, 0, 0, 0, 0, time.UTC)
			var next atomic.Int64
			upload := func() {
				i := int(next.Add(1) - 1)
				n := i % len(paths)
				key := fmt.Sprintf("%d/%s", i/len(paths), filepath.Base(paths[n]))
				if _, err := p.Ingest(b.Context(), key, "1", bodies[n], uploaded); err != nil {
					b.Errorf("ingest %s: %v", key, err)
				}
			}
			b.ReportAllocs()
			if uploaders == 1 {
				for b.Loop() {
					upload()
				}
				return
			}
			b.SetParallelism((uploaders + runtime.GOMAXPROCS(0) - 1) / runtime.GOMAXPROCS(0))
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					upload()
				}
			})
		})
	}
}
