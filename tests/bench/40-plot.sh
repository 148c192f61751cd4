#!/usr/bin/env bash
# 40-plot: how long ser-plot takes to draw the web page's chart: one bar+pie
# PNG (1000x420) from a one-row probability table, gnuplot's start-up
# included, as a file (-o) and as the endpoint's data: URI. Median and
# range of 20 runs each, wall clock. Also an 80-window timeline and a 7x7
# confusion matrix (median of 5).
set -eu
B=${B:-build}
dir=$B/bench/plot
rm -rf "$dir" && mkdir -p "$dir"
trap 'rm -rf "$dir"' EXIT
cls=(angry disgust fear happy neutral sad surprise)
hdr=$(printf 'id\tpredicted\tconfidence'; printf '\t%s' "${cls[@]}")
printf '%s\n%s\n' "$hdr" $'speech.wav\thappy\t0.6\t0.15\t0.05\t0.10\t0.60\t0.05\t0.03\t0.02' >"$dir/one.tsv"
{
	echo "$hdr"
	for i in $(seq 0 79); do
		printf 'talk.wav@%d.000\thappy\t0.6\t0.15\t0.05\t0.10\t0.60\t0.05\t0.03\t0.02\n' "$i"
	done
} >"$dir/tl.tsv"
{
	printf 'id'; printf '\t%s' "${cls[@]}"; echo
	for t in "${cls[@]}"; do printf '%s' "$t"; for p in "${cls[@]}"; do printf '\t%d' $(( ${#t} * 3 + ${#p} )); done; echo; done
} >"$dir/cm.tsv"

now() { date +%s%N; }
# runs N CMD... -> "median min max" in ms
timeit() {
	local n=$1 i t0 t1
	shift
	for ((i = 0; i < n; i++)); do
		t0=$(now)
		"$@" >/dev/null
		t1=$(now)
		echo $(((t1 - t0) / 1000))
	done | sort -n | awk '{ v[NR] = $1 } END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2;
		printf "median %.1f ms (min %.1f, max %.1f, %d runs)", m / 1000, v[1] / 1000, v[NR] / 1000, NR }'
}

echo "gnuplot: $(gnuplot --version)"
echo "bar+pie PNG to a file:   $(timeit 20 ser-plot -o "$dir/c.png" "$dir/one.tsv")"
echo "   command: ser-plot -o c.png one.tsv"
echo "bar+pie data: URI:       $(timeit 20 ser-plot --data-uri "$dir/one.tsv")"
echo "   command: ser-plot --data-uri one.tsv ($(ser-plot --data-uri "$dir/one.tsv" | wc -c) bytes)"
echo "bar+pie SVG:             $(timeit 20 ser-plot -o "$dir/c.svg" "$dir/one.tsv")"
echo "gnuplot alone (empty script, start-up only): $(timeit 20 sh -c 'gnuplot </dev/null')"
echo "timeline, 80 windows:    $(timeit 5 ser-plot -o "$dir/t.png" "$dir/tl.tsv")"
echo "confusion matrix 7x7:    $(timeit 5 ser-plot -o "$dir/m.png" "$dir/cm.tsv")"
