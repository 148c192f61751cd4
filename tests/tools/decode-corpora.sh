#!/bin/sh
# decode-corpora.sh - decode every file of ../shared/corpora/*/ with
# ser-decode --info (full decode, one process per 500 files, nice), then
# check: every file decoded, every row is 16 kHz mono, and its decoded
# duration agrees with the manifest's duration_s within 1 ms.
# Not part of `make check` (minutes, and the corpora are not in the repo).
# Usage: tests/tools/decode-corpora.sh [CORPORA_DIR]   (make decode-corpora)
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
B=${B:-$top/build}
case $B in /*) ;; *) B=$top/$B ;; esac
C=${1:-$top/../shared/corpora}
out=$B/decode-corpora
mkdir -p "$out"
# a private copy: a parallel `make` may relink $B/bin/ser-decode mid-run
cp "$B/bin/ser-decode" "$out/ser-decode"
find "$C"/*/ -type f ! -name '*.tsv' ! -name '*.md' | sort >"$out/files"
n=$(wc -l <"$out/files")
start=$(date +%s.%N)
status=0
# shellcheck disable=SC2016
nice xargs -d '\n' -n 500 sh -c '"$0" --info "$@" | tail -n +2' "$out/ser-decode" \
	<"$out/files" >"$out/info.tsv" 2>"$out/errors" || status=$?
end=$(date +%s.%N)
rows=$(wc -l <"$out/info.tsv")
echo "files: $n  decoded: $rows  errors: $(wc -l <"$out/errors")  time: $(echo "$end - $start" | bc) s"
[ -s "$out/errors" ] && head -20 "$out/errors"
# join with the manifests: id is $C/<corpus>/<path>
for m in "$C"/*/manifest.tsv; do
	d=$(dirname "$m")
	awk -F'\t' -v d="$d" 'NR==1{for(i=1;i<=NF;i++) if($i=="duration_s") c=i; next} {print d "/" $1 "\t" $c}' "$m"
done | sort >"$out/manifest-durations"
sort "$out/info.tsv" | join -t "$(printf '\t')" - "$out/manifest-durations" |
	awk -F'\t' '
	{ n++ }
	$4 != 16000 || $5 != 1 { bad++; if (bad <= 5) print "not 16 kHz mono: " $1 }
	{ d = $7 - $8; if (d < 0) d = -d; if (d > 0.001) { off++; if (off <= 5) print "duration " $7 " vs manifest " $8 ": " $1 } }
	END { printf "joined with manifests: %d rows, %d not 16 kHz mono, %d durations off by > 1 ms\n", n, bad, off
	      exit (bad || off) }' || status=1
[ "$rows" -eq "$n" ] || status=1
# and the PCM path, one process per file as a pipeline would run it: the
# byte count must be 4 x the frames --info decoded
start=$(date +%s.%N)
cut -f 1,6 "$out/info.tsv" | while IFS="$(printf '\t')" read -r f frames; do
	b=$(nice "$out/ser-decode" "$f" | wc -c) || { echo "PCM decode failed: $f"; exit 1; }
	[ "$b" -eq $((4 * frames)) ] || { echo "PCM bytes $b != 4 x $frames: $f"; exit 1; }
done || status=1
end=$(date +%s.%N)
echo "PCM decode, one process per file: $n files in $(echo "$end - $start" | bc) s"
exit $status
