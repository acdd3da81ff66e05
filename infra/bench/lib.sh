# Shared by the infra/bench scripts: source it from a script in this
# folder. It moves to the repository root, makes a scratch folder that is
# removed on exit, and stops on exit every process a script started with
# start_bg.

set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
SCRATCH="$(mktemp -d -t quotes-bench-XXXXXX)"
BG_PIDS=()

cleanup() {
	local pid
	for pid in "${BG_PIDS[@]}"; do
		kill "$pid" 2>/dev/null || true
	done
	for pid in "${BG_PIDS[@]}"; do
		wait "$pid" 2>/dev/null || true
	done
	rm -rf "$SCRATCH"
}
trap cleanup EXIT

# start_bg LOG CMD...: runs CMD in the background, output to LOG.
start_bg() {
	local log="$1"
	shift
	"$@" >"$log" 2>&1 &
	BG_PIDS+=("$!")
}

# build NAME PACKAGE: builds a command into the scratch folder.
build() {
	go build -o "$SCRATCH/$1" "$2"
}

# wait_for_line FILE PATTERN: waits (60 s at most) until FILE has a line
# matching PATTERN, and prints the first such line.
wait_for_line() {
	local i
	for i in $(seq 600); do
		if grep -m1 -E "$2" "$1" 2>/dev/null; then
			return 0
		fi
		sleep 0.1
	done
	echo "timed out waiting for /$2/ in $1:" >&2
	cat "$1" >&2
	return 1
}

# start_serve NAME [FLAG...]: starts `quotes serve` on a free loopback port
# with its data in a fresh scratch folder and sets SERVE_URL. Its JSON
# logs go to $SCRATCH/NAME.log.
start_serve() {
	local name="$1"
	shift
	mkdir -p "$SCRATCH/$name-data"
	start_bg "$SCRATCH/$name.log" "$SCRATCH/quotes" serve --addr 127.0.0.1:0 --data "$SCRATCH/$name-data" "$@"
	SERVE_URL="$(wait_for_line "$SCRATCH/$name.log" '^quotes: serving on ' | sed -E 's/^quotes: serving on (http:[^ ]+).*/\1/')"
}

# start_aws: starts dynalite and s3rver from infra/local with a table made
# from template.yaml, and exports the environment quotes serve needs to
# use them (QUOTES_DYNAMODB_ENDPOINT, QUOTES_TABLE, AWS_*).
start_aws() {
	build awsservers ./infra/bench/awsservers
	start_bg "$SCRATCH/awsservers.log" "$SCRATCH/awsservers"
	wait_for_line "$SCRATCH/awsservers.log" '^export AWS_ENDPOINT_URL_S3=' >/dev/null
	eval "$(grep '^export ' "$SCRATCH/awsservers.log")"
}

machine_note() {
	echo "$(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(go version | cut -d' ' -f3-), $(uname -m)"
}
