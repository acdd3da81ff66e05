package extract

import (
	"os"
	"path/filepath"
	"testing"
)

// polnearDir holds the PolNeAR articles when the shared evaluation data is
// checked out next to the repository; they may not be copied into it.
const polnearDir = "../../../shared/eval/polnear/dev/articles"

func benchmarkCorpus(b *testing.B) []string {
	b.Helper()
	var corpus []string
	for _, text := range seedArticles(b) {
		corpus = append(corpus, text)
	}
	paths, _ := filepath.Glob(filepath.Join(polnearDir, "*.txt"))
	if len(paths) == 0 {
		b.Logf("%s absent: benchmarking the seed articles only", polnearDir)
	}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		corpus = append(corpus, string(data))
	}
	return corpus
}

func BenchmarkExtract(b *testing.B) {
	corpus := benchmarkCorpus(b)
	size := 0
	for _, text := range corpus {
		size += len(text)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		for _, text := range corpus {
			Extract(text)
		}
	}
}
