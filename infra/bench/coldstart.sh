#!/usr/bin/env bash
# Cold starts of the Lambda functions on this machine against a Lambda
# Runtime API emulation, dynalite and s3rver; binary sizes for this
# machine's architecture and arm64. RUNS (default 10) per function.
source "$(dirname "$0")/lib.sh"
build coldstart ./infra/bench/coldstart
"$SCRATCH/coldstart" -runs "${RUNS:-10}"
