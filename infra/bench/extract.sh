#!/usr/bin/env bash
# Extraction speed: the extract package's benchmark over the seed articles
# and, when present, the PolNeAR dev set (one op = the whole corpus),
# printed as MB/s and allocations per article. COUNT (default 3) repeats
# the benchmark; the median run is reported.
source "$(dirname "$0")/lib.sh"

COUNT="${COUNT:-3}"
DEV="$ROOT/../shared/eval/polnear/dev/articles"
seeds=$(find testdata/seeds -name '*.txt' | wc -l)
dev=0
if [ -d "$DEV" ]; then
	dev=$(find "$DEV" -name '*.txt' | wc -l)
fi
articles=$((seeds + dev))
echo "# extract benchmark, $(machine_note); corpus: $seeds seed + $dev PolNeAR dev articles"
go test -run '^$' -bench . -benchmem -cpu 1 -count "$COUNT" ./internal/extract | tee "$SCRATCH/bench.txt"
awk -v n="$articles" '$1 ~ /^BenchmarkExtract/ {
	runs++
	for (i = 2; i < NF; i++) {
		if ($(i+1) == "MB/s") mbs[runs] = $i
		if ($(i+1) == "allocs/op") allocs[runs] = $i
		if ($(i+1) == "B/op") bytes[runs] = $i
		if ($(i+1) == "ns/op") ns[runs] = $i
	}
}
END {
	if (runs == 0) { print "no BenchmarkExtract result" > "/dev/stderr"; exit 1 }
	# median run by MB/s
	for (i = 1; i <= runs; i++) order[i] = i
	for (i = 1; i <= runs; i++) for (j = i + 1; j <= runs; j++) if (mbs[order[j]] < mbs[order[i]]) { t = order[i]; order[i] = order[j]; order[j] = t }
	m = order[int((runs + 1) / 2)]
	printf "extract: %.2f MB/s (median of %d runs), %.0f allocs/article, %.0f B allocated/article, %.2f ms/article\n",
		mbs[m], runs, allocs[m] / n, bytes[m] / n, ns[m] / n / 1e6
}' "$SCRATCH/bench.txt"
