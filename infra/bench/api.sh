#!/usr/bin/env bash
# API latency and throughput on loopback: GET /quotes?speaker= next to
# GET /healthz (the floor: the same server doing next to nothing) with
# wrk, the speaker page at a constant rate (paced/), and POST /verify, on
# the embedded store loaded with the PolNeAR training set (840 articles;
# the seeds and dev set when it is absent) and on DynamoDB (dynalite,
# seeds and dev set: dynalite ingests about 10 articles a second).
# Bounded: WRK_ARGS (default -t2 -c16 -d10s) per wrk run, ROUNDS (default
# 3) alternations of /healthz and the speaker page, PACED_RUNS (default
# 3) runs of PACED_RATE (default 1000) requests a second for
# PACED_DURATION (default 10s), and of POST /verify at VERIFY_PACED_RATE
# (default 200). POST /verify runs with 4 connections
# (VERIFY_WRK_ARGS, default -t2 -c4 -d10s): `quotes serve` answers a
# client's fifth concurrent /verify with 429.
source "$(dirname "$0")/lib.sh"

WRK_ARGS="${WRK_ARGS:--t2 -c16 -d10s}"
ROUNDS="${ROUNDS:-3}"
PACED_RUNS="${PACED_RUNS:-3}"
VERIFY_WRK_ARGS="${VERIFY_WRK_ARGS:--t2 -c4 -d10s}"
PACED_RATE="${PACED_RATE:-1000}"
VERIFY_PACED_RATE="${VERIFY_PACED_RATE:-200}"
PACED_DURATION="${PACED_DURATION:-10s}"
DEV="$ROOT/../shared/eval/polnear/dev/articles"
TRAIN="$ROOT/../shared/eval/polnear/train/articles"

# wrk is Debian's package (4.1.0 on bookworm).
if ! command -v wrk >/dev/null; then
	echo "installing wrk (Debian package)"
	apt-get install -y -qq wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
fi
echo "# API benchmark, $(machine_note); wrk $WRK_ARGS on 127.0.0.1; load average $(cut -d' ' -f1-3 /proc/loadavg)"
build quotes ./cmd/quotes
build upload ./infra/bench/upload
build paced ./infra/bench/paced

small=("$ROOT/testdata/seeds")
if [ -d "$DEV" ]; then
	small+=("$DEV")
else
	echo "($DEV absent: DynamoDB is loaded with the seed articles only)"
fi
large=("$TRAIN")
if [ ! -d "$TRAIN" ]; then
	echo "($TRAIN absent: the embedded store is loaded as DynamoDB is)"
	large=("${small[@]}")
fi

# run_wrk LABEL URL [wrk args]: runs wrk, prints one result line and
# leaves the requests/s in RPS.
run_wrk() {
	local label="$1" url="$2" out
	shift 2
	WRK_RUNS=$((${WRK_RUNS:-0} + 1))
	out="$SCRATCH/wrk-$WRK_RUNS.txt"
	# shellcheck disable=SC2086
	wrk $WRK_ARGS --latency "$@" "$url" >"$out"
	local p50 p99 errors
	p50="$(awk '$1 == "50%" {print $2}' "$out")"
	p99="$(awk '$1 == "99%" {print $2}' "$out")"
	RPS="$(awk '$1 == "Requests/sec:" {print $2}' "$out")"
	errors="$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$out")"
	printf '  %-40s p50 %-9s p99 %-9s %9s req/s%s\n' "$label" "$p50" "$p99" "$RPS" "${errors:+  ($errors non-2xx!)}"
}

# median: the median of the numbers on stdin, one a line.
median() {
	sort -g | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'
}

bench_backend() {
	local backend="$1" paced="$2"
	shift 2
	echo "== $backend"
	"$SCRATCH/upload" -url "$SERVE_URL" -workers 4 -verify 5 -quiet "$@"
	local speaker="${SPEAKER:-}"
	if [ -z "$speaker" ]; then
		# The most quoted speaker: the fullest page, the one most asked for.
		speaker="$(curl -sf "$SERVE_URL/speakers?limit=1" | python3 -c 'import json, sys; print(json.load(sys.stdin)["speakers"][0]["id"])')"
	fi
	local page="$SERVE_URL/quotes?speaker=$speaker" status
	status="$(curl -s -o "$SCRATCH/speaker.json" -w '%{http_code}' "$page&limit=1")"
	if [ "$status" != 200 ] || ! grep -q '"text"' "$SCRATCH/speaker.json"; then
		echo "GET /quotes?speaker=$speaker answered $status with no quote:" >&2
		cat "$SCRATCH/speaker.json" >&2
		return 1
	fi
	echo "  speaker page: $(curl -s "$page" | wc -c) bytes"

	# The floor and the page alternately, so that both see the same load.
	local ratios=() floor round
	for round in $(seq "$ROUNDS"); do
		run_wrk "GET /healthz (round $round)" "$SERVE_URL/healthz"
		floor="$RPS"
		run_wrk "GET /quotes?speaker=$speaker" "$page"
		ratios+=("$(awk -v a="$RPS" -v b="$floor" 'BEGIN {printf "%.3f", a / b}')")
	done
	echo "  speaker page / healthz req/s, each round: ${ratios[*]}; median $(printf '%s\n' "${ratios[@]}" | median)"
	# One connection: the latency of a request that does not queue.
	WRK_ARGS="-t1 -c1 -d5s" run_wrk "  same, 1 connection (unloaded)" "$page"
	if [ "$paced" = paced ]; then
		# A constant rate, each request timed from when it was due.
		local run spreads=()
		for run in $(seq "$PACED_RUNS"); do
			echo -n "  GET /quotes?speaker=$speaker, run $run: "
			"$SCRATCH/paced" -rate "$PACED_RATE" -duration "$PACED_DURATION" "$page" | tee "$SCRATCH/paced.txt"
			spreads+=("$(sed -E 's|.*p99/p50 ([0-9.]+).*|\1|' "$SCRATCH/paced.txt")")
		done
		echo "  p99/p50 at $PACED_RATE req/s, each run: ${spreads[*]}; median $(printf '%s\n' "${spreads[@]}" | median)"
	fi

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
	200)
		run_wrk "GET /healthz (next to /verify)" "$SERVE_URL/healthz"
		floor="$RPS"
		WRK_ARGS="$VERIFY_WRK_ARGS" VERIFY_BODY="$SCRATCH/verify.json" run_wrk "POST /verify" "$SERVE_URL/verify" -s "$ROOT/infra/bench/verify.lua"
		echo "  /verify / healthz req/s: $(awk -v a="$RPS" -v b="$floor" 'BEGIN {printf "%.3f", a / b}')"
		if [ "$paced" = paced ]; then
			echo -n "  POST /verify at a constant rate: "
			"$SCRATCH/paced" -rate "$VERIFY_PACED_RATE" -duration "$PACED_DURATION" -connections 4 \
				-body "$SCRATCH/verify.json" "$SERVE_URL/verify"
		fi
		;;
	404 | 405) echo "  POST /verify                       answered $status: not in this build; skipped" ;;
	*)
		echo "POST /verify answered $status:" >&2
		cat "$SCRATCH/verify-answer.json" >&2
		return 1
		;;
	esac
}

start_serve embedded
bench_backend "embedded store (bbolt)" paced "${large[@]}"

start_aws
start_serve dynalite
bench_backend "DynamoDB store on dynalite ($QUOTES_DYNAMODB_ENDPOINT)" unpaced "${small[@]}"
