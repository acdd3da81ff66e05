#!/usr/bin/env bash
# Installs the API-compatible servers the integration tests start
# (internal/awstest): dynalite for DynamoDB and s3rver for S3, at the versions
# pinned in package.json and package-lock.json. Safe to run any number of
# times: it reinstalls only when node_modules is missing or older than the
# lock file. Installs Node.js and npm from Debian's packages when absent.
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	if ! command -v apt-get >/dev/null 2>&1; then
		echo "install.sh: node and npm are needed; install Node.js 20 or later" >&2
		exit 1
	fi
	sudo=""
	if [ "$(id -u)" -ne 0 ]; then
		sudo="sudo"
	fi
	echo "install.sh: installing Node.js and npm from Debian's packages" >&2
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi

# npm records what it installed in node_modules/.package-lock.json; a lock
# file newer than that record means the pins changed since.
installed=node_modules/.package-lock.json
if [ -f "$installed" ] &&
	[ ! package-lock.json -nt "$installed" ] &&
	[ ! package.json -nt "$installed" ] &&
	[ -f node_modules/dynalite/cli.js ] &&
	[ -f node_modules/s3rver/bin/s3rver.js ]; then
	exit 0
fi
npm ci --no-audit --no-fund --loglevel=error
