#!/usr/bin/env bash
# API latency and throughput on loopback with wrk: GET /quotes?speaker=
# and POST /verify, on the embedded store and on DynamoDB (dynalite),
# each loaded with the seed articles and, when present, the PolNeAR dev
# set. Bounded: WRK_ARGS (default -t2 -c16 -d10s) per run.
source "$(dirname "$0")/lib.sh"

WRK_ARGS="${WRK_ARGS:--t2 -c16 -d10s}"
SPEAKER="${SPEAKER:-john-kerry}"
DEV="$ROOT/../shared/eval/polnear/dev/articles"

if ! command -v wrk >/dev/null; then
	echo "installing wrk (Debian package)"
	apt-get install -y -qq wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
fi
echo "# API benchmark, $(machine_note); wrk $WRK_ARGS on 127.0.0.1"
build quotes ./cmd/quotes
build upload ./infra/bench/upload

sources=("$ROOT/testdata/seeds")
if [ -d "$DEV" ]; then
	sources+=("$DEV")
else
	echo "($DEV absent: loading the seed articles only)"
fi

# run_wrk LABEL URL [wrk args]: runs wrk and prints one result line.
run_wrk() {
	local label="$1" url="$2" out
	shift 2
	WRK_RUNS=$((${WRK_RUNS:-0} + 1))
	out="$SCRATCH/wrk-$WRK_RUNS.txt"
	# shellcheck disable=SC2086
	wrk $WRK_ARGS --latency "$@" "$url" >"$out"
	local p50 p99 rps errors
	p50="$(awk '$1 == "50%" {print $2}' "$out")"
	p99="$(awk '$1 == "99%" {print $2}' "$out")"
	rps="$(awk '$1 == "Requests/sec:" {print $2}' "$out")"
	errors="$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$out")"
	printf '  %-34s p50 %-9s p99 %-9s %9s req/s%s\n' "$label" "$p50" "$p99" "$rps" "${errors:+  ($errors non-2xx!)}"
}

bench_backend() {
	local backend="$1"
	echo "== $backend"
	"$SCRATCH/upload" -url "$SERVE_URL" -workers 4 -verify 5 -quiet "${sources[@]}"
	local status
	status="$(curl -s -o "$SCRATCH/speaker.json" -w '%{http_code}' "$SERVE_URL/quotes?speaker=$SPEAKER&limit=1")"
	if [ "$status" != 200 ] || ! grep -q '"text"' "$SCRATCH/speaker.json"; then
		echo "GET /quotes?speaker=$SPEAKER answered $status with no quote:" >&2
		cat "$SCRATCH/speaker.json" >&2
		return 1
	fi
	run_wrk "GET /quotes?speaker=$SPEAKER" "$SERVE_URL/quotes?speaker=$SPEAKER"
	# One connection: the latency of a request that does not queue.
	WRK_ARGS="-t1 -c1 -d5s" run_wrk "  same, 1 connection (unloaded)" "$SERVE_URL/quotes?speaker=$SPEAKER"

	# A claim built from a stored quote, with its speaker's surname.
	python3 - "$SCRATCH/speaker.json" >"$SCRATCH/verify.json" <<'PY'
import json, sys
q = json.load(open(sys.argv[1]))["quotes"][0]
words = q["text"].split()
print(json.dumps({"quote": " ".join(words[:12]), "speaker": q["speaker"]["name"].split()[-1]}))
PY
	status="$(curl -s -o "$SCRATCH/verify-answer.json" -w '%{http_code}' -H 'Content-Type: application/json' \
		--data-binary "@$SCRATCH/verify.json" "$SERVE_URL/verify")"
	case "$status" in
	200) VERIFY_BODY="$SCRATCH/verify.json" run_wrk "POST /verify" "$SERVE_URL/verify" -s "$ROOT/infra/bench/verify.lua" ;;
	404 | 405) echo "  POST /verify                       answered $status: not in this build; skipped" ;;
	*)
		echo "POST /verify answered $status:" >&2
		cat "$SCRATCH/verify-answer.json" >&2
		return 1
		;;
	esac
}

start_serve embedded
bench_backend "embedded store (bbolt)"

start_aws
start_serve dynalite
bench_backend "DynamoDB store on dynalite ($QUOTES_DYNAMODB_ENDPOINT)"
