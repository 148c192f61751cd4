#!/bin/sh
# decode-mutate.sh [N] - a cheap mutation fuzz of the decoder: N (default
# 200) mutated copies of each testdata/audio/speech* file (random bytes
# changed, sometimes cut; fixed seeds 1..N) go through ser-decode, which
# must answer 0 or 1 within 20 s, never crash, and never print a sanitizer
# report. Run it with an ASan build: make decode-mutate B=build/asan.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
B=${B:-$top/build}
case $B in /*) ;; *) B=$top/$B ;; esac
n=${1:-200}
export LSAN_OPTIONS="suppressions=$top/tests/tools/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
bad=0 runs=0 ok=0
for f in "$top"/testdata/audio/speech*; do
	i=1
	while [ "$i" -le "$n" ]; do
		"$B/tools/mkbadaudio" -m "$i" "$f" "$tmp/m" || exit 1
		timeout 20 "$B/bin/ser-decode" "$tmp/m" >/dev/null 2>"$tmp/err"
		st=$?
		runs=$((runs + 1))
		[ "$st" -eq 0 ] && ok=$((ok + 1))
		if { [ "$st" -ne 0 ] && [ "$st" -ne 1 ]; } || grep -q -e Sanitizer -e 'runtime error' "$tmp/err" ||
			{ [ "$st" -eq 1 ] && [ "$(wc -l <"$tmp/err")" -ne 1 ]; }; then
			echo "FAIL: $(basename "$f") seed $i: status $st"; head -5 "$tmp/err"
			bad=$((bad + 1))
		fi
		i=$((i + 1))
	done
done
echo "$runs mutated files: $ok decoded, $((runs - ok - bad)) refused with one message, $bad failures"
[ "$bad" -eq 0 ]
