#!/usr/bin/env bash
# The project's one test command, for developers and CI alike: installs the
# API-compatible servers the integration tests start (dynalite, s3rver) and
# the headless Chromium the page's end-to-end tests drive, then checks
# formatting and vet, runs every test with the race detector and every fuzz
# target briefly. It ends with one line: how many tests and fuzz targets
# passed and failed. About 3 minutes on two cores once the Go modules and
# packages are fetched, up to 10 on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS

bash infra/local/install.sh
bash infra/chromium.sh

unformatted=$(gofmt -l $(git ls-files --cached --others --exclude-standard '*.go'))
if [ -n "$unformatted" ]; then
	echo "gofmt needed on:" >&2
	echo "$unformatted" >&2
	exit 1
fi
go vet ./...

# The summary is built before the tests run, so that a failure to build
# it is not taken for a failing test.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/testsummary" ./infra/testsummary
echo "0 0 0" >"$work/counts"
set +e
go test -race -count=1 -json "$@" ./... | "$work/testsummary" -counts "$work/counts"
gotest=${PIPESTATUS[0]}
set -e
read -r passed failed skipped <"$work/counts"
if [ "$gotest" -ne 0 ] && [ "$failed" -eq 0 ]; then
	# go test failed without a failing test or package to show for it
	# (a bad flag, say): that is one failure too.
	failed=1
fi

# Every fuzz target runs briefly beyond its seed corpus (already replayed by
# go test above). A crasher fails the run and is written under the
# package's testdata/fuzz, to be committed as a regression case. The budget
# is a count of executions, not a duration: Go 1.26's fuzz coordinator can
# report a spurious "context deadline exceeded" when a duration runs out
# under load (golang/go#75804, fixed in Go 1.27).
fuzztime=${FUZZTIME:-100000x}
while read -r file; do
	for target in $(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*/\1/p' "$file"); do
		echo "fuzz: $target in ./$(dirname "$file") for $fuzztime"
		if go test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" "./$(dirname "$file")"; then
			passed=$((passed + 1))
		else
			failed=$((failed + 1))
		fi
	done
done < <(grep -rl --include='*_test.go' '^func Fuzz' cmd internal functions | sort)

elapsed=$((SECONDS - started))
echo "infra/test.sh: $passed passed, $failed failed, $skipped skipped (tests and fuzz targets) in $((elapsed / 60))m$((elapsed % 60))s"
[ "$failed" -eq 0 ]
