#!/usr/bin/env bash
# The project's one test command, for developers and CI alike: installs the
# API-compatible servers the integration tests start (dynalite, s3rver), then
# checks formatting and vet, and runs every test with the race detector.
set -euo pipefail
cd "$(dirname "$0")/.."

bash infra/local/install.sh

unformatted=$(gofmt -l $(git ls-files --cached --others --exclude-standard '*.go'))
if [ -n "$unformatted" ]; then
	echo "gofmt needed on:" >&2
	echo "$unformatted" >&2
	exit 1
fi
go vet ./...
go test -race -count=1 "$@" ./...
