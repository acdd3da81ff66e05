#!/usr/bin/env bash
# /verify recall and latency on drifted claims as the embedded store grows:
# the PolNeAR training articles ingested as uploads are (about 7,800
# quotes), then generated variations of their quotes written through the
# store API up to QUOTES (default 1,000,000). DATA (default a scratch
# folder) keeps the store: run again with the same DATA and a larger
# QUOTES to grow it, or the same QUOTES to measure it again.
source "$(dirname "$0")/lib.sh"
TRAIN="$ROOT/../shared/eval/polnear/train/articles"
if [ ! -d "$TRAIN" ]; then
	echo "scale.sh: $TRAIN is absent; nothing to measure" >&2
	exit 0
fi
build scale ./infra/bench/scale
"$SCRATCH/scale" -data "${DATA:-$SCRATCH/store}" -articles "$TRAIN" -quotes "${QUOTES:-1000000}" -claims "${CLAIMS:-300}"
