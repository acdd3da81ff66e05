#!/usr/bin/env bash
# DynamoDB capacity units per ingested article and per API read, measured
# on dynalite through dynamo.DB.ConsumedCapacity(), over the seed articles
# and, when present, the PolNeAR dev set.
source "$(dirname "$0")/lib.sh"
DEV="$ROOT/../shared/eval/polnear/dev/articles"
dirs=()
if [ -d "$DEV" ]; then
	dirs+=("$DEV")
else
	echo "($DEV absent: the seed articles only)"
fi
build cost ./infra/bench/cost
"$SCRATCH/cost" "${dirs[@]}"
