#!/usr/bin/env bash
# Rebuilds internal/extract/places.txt, the place names the extractor never
# takes for a person: every country and its capital (npm countries-list,
# MIT) and every US state and territory (npm states-us, MIT), one per line.
# The exact package versions are pinned, so the output is the same each run.
# usage (from the project's root): bash infra/places/build.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
npm pack --silent countries-list@3.4.1 states-us@1.1.1 >/dev/null
for f in *.tgz; do mkdir "${f%.tgz}" && tar -xzf "$f" -C "${f%.tgz}"; done
node -e '
const countries = require("./countries-list-3.4.1/package/countries.min.json");
const { states } = require("./states-us-1.1.1/package/dist/index.js");
const names = new Set();
for (const c of Object.values(countries)) {
  for (const n of [c.name, c.capital]) if (n) names.add(n);
}
for (const s of states) names.add(s.name.replace(/ Of /g, " of "));
process.stdout.write([...names].sort().join("\n") + "\n");
' > "$root/internal/extract/places.txt"
echo "wrote $(wc -l < "$root/internal/extract/places.txt") places to internal/extract/places.txt"
