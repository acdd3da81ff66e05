#!/usr/bin/env bash
# The project's one test command, for developers and CI alike: installs the
# API-compatible servers the integration tests start (dynalite, s3rver) and
# the headless Chromium the page's end-to-end tests drive, then checks
# formatting and vet, and runs every test with the race detector.
set -euo pipefail
cd "$(dirname "$0")/.."

bash infra/local/install.sh
bash infra/chromium.sh

unformatted=$(gofmt -l $(git ls-files --cached --others --exclude-standard '*.go'))
if [ -n "$unformatted" ]; then
	echo "gofmt needed on:" >&2
	echo "$unformatted" >&2
	exit 1
fi
go vet ./...
go test -race -count=1 "$@" ./...

# Every fuzz target runs briefly beyond its seed corpus (already replayed by
# go test above). A crasher fails the run and is written under the
# package's testdata/fuzz, to be committed as a regression case. The budget
# is a count of executions, not a duration: Go 1.26's fuzz coordinator can
# report a spurious "context deadline exceeded" when a duration runs out
# under load (golang/go#75804, fixed in Go 1.27).
fuzztime=${FUZZTIME:-100000x}
grep -rl --include='*_test.go' '^func Fuzz' cmd internal functions | sort | while read -r file; do
	for target in $(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*/\1/p' "$file"); do
		echo "fuzz: $target in ./$(dirname "$file") for $fuzztime"
		go test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" "./$(dirname "$file")"
	done
done
