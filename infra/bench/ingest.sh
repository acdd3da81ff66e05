#!/usr/bin/env bash
# Ingest throughput of the local service on the embedded store: uploads
# the 840 PolNeAR training articles to `quotes serve` with 4 workers. Each
# PUT answers once its article is ingested, so when the last one has
# answered every article is queryable; a sample is read back to check.
source "$(dirname "$0")/lib.sh"

ARTICLES="$ROOT/../shared/eval/polnear/train/articles"
WORKERS="${WORKERS:-4}"
if [ ! -d "$ARTICLES" ]; then
	echo "ingest.sh: $ARTICLES is absent (the shared evaluation data is not checked out beside the repository); skipped"
	exit 0
fi
echo "# ingest benchmark, $(machine_note)"
build quotes ./cmd/quotes
build upload ./infra/bench/upload
start_serve ingest
"$SCRATCH/upload" -url "$SERVE_URL" -workers "$WORKERS" -prefix polnear/train/ "$ARTICLES"
