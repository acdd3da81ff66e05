#!/usr/bin/env bash
# Hot partitions and write-sharding at 1 million articles a day and 1,000
# requests a second, simulated from the measured capacity (cost.sh); flags
# (see `go run ./infra/bench/scaling -h`) change the assumptions.
source "$(dirname "$0")/lib.sh"
go run ./infra/bench/scaling "$@"
