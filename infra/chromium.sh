#!/usr/bin/env bash
# Installs Debian's chromium, which the web page's end-to-end tests drive
# headless; does nothing when it is already installed.
set -euo pipefail

if command -v chromium >/dev/null 2>&1; then
	exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "chromium is not installed; run this script as root to install it with apt-get" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends chromium
