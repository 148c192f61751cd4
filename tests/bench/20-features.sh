#!/usr/bin/env bash
# 20-features: ser-features speed and memory.
#   1. features only (audio decoded once, then analysed again and again in one
#      process; tests/tools/feat-bench) for the default, seed and full sets
#      on one core (taskset -c 0): multiples of real time over many short
#      utterances, us per frame, and the cost of each descriptor family
#      (per-family timers: their own overhead is a few percent).
#   2. end to end (decode + features), many short files in one process
#      (ser-features -T list), default set, one core.
#   3. --window 4 --hop 2 over a one-hour recording: wall time and peak RSS
#      (/usr/bin/time -f %M); memory must not grow with the length.
#   4. if ../shared/corpora is there: all three corpora in one command.
# Generated audio goes to $B/bench/ and is removed afterwards.
set -eu
B=${B:-build}
dir=$B/bench/features
mkdir -p "$dir"
A=$SER_TOP/testdata/audio
G=$SER_TOP/testdata/golden/inputs
one=(taskset -c 0)
command -v taskset >/dev/null || one=()

# 20 short utterances made by the project: espeak-ng speech in testdata
short=("$A"/speech.wav "$A"/demo-*.wav "$G"/speech_*.wav "$A"/speech.flac "$A"/speech.mp3 \
	"$A"/speech.ogg "$A"/speech-f32.wav "$A"/speech-ulaw.wav)
for set in default seed full; do
	echo "features only, set $set: [${one[*]} $B/tools/feat-bench -s $set -t 600 <${#short[@]} utterances>]"
	"${one[@]}" "$B/tools/feat-bench" -s "$set" -t 600 "${short[@]}" | sed 's/^/  /'
done

# end to end: 400 files in one process
: >"$dir/list"
for i in $(seq 40); do printf '%s\n' "${short[@]:0:10}" >>"$dir/list"; done
secs=$(for f in "${short[@]:0:10}"; do ser-decode --info "$f" | awk -F'\t' 'NR==2{print $7}'; done |
	awk '{s+=$1} END{print s*40}')
t=$( { /usr/bin/time -f %e "${one[@]}" ser-features -T "$dir/list" >/dev/null; } 2>&1 | tail -1)
awk -v s="$secs" -v t="$t" 'BEGIN{printf "decode + default features, 400 files in one process: %.0fx real time (%.2f s wall for %.0f s of audio)", s/t, t, s}'
echo "   [${one[*]} ser-features -T list]"

# one hour, 16 kHz mono 16-bit
sox -R -D "$A/speech.wav" -r 16000 -c 1 -b 16 "$dir/u.wav"
n=$(awk -v d="$(ser-decode --info "$dir/u.wav" | awk -F'\t' 'NR==2{print $7}')" 'BEGIN{printf "%d", 3600/d}')
sox -R -D "$dir/u.wav" "$dir/hour.wav" repeat "$n" trim 0 3600
out=$( { /usr/bin/time -f '%e %M' "${one[@]}" ser-features --window 4 --hop 2 "$dir/hour.wav" >"$dir/hour.tsv"; } 2>&1 | tail -1)
rows=$(($(wc -l <"$dir/hour.tsv") - 1))
set -- $out
echo "--window 4 --hop 2 over one hour (file): $rows rows, $1 s wall, peak RSS $(($2 / 1024)) MiB ($2 KiB; limit 64 MiB)   [ser-features --window 4 --hop 2 hour.wav]"
out=$( { ser-decode "$dir/hour.wav" | /usr/bin/time -f '%e %M' ser-features --window 4 --hop 2 >/dev/null; } 2>&1 | tail -1)
set -- $out
echo "--window 4 --hop 2 over one hour (PCM pipe): $1 s wall, peak RSS of ser-features $(($2 / 1024)) MiB   [ser-decode hour.wav | ser-features --window 4 --hop 2]"
rm -rf "$dir"

corp=$SER_TOP/../shared/corpora
if [ -d "$corp" ]; then
	for c in emodb ravdess tess; do tail -n +2 "$corp/$c/manifest.tsv" | cut -f1 | sed "s|^|$c/|"; done >"$B/bench/corpora.list"
	hours=$(awk -F'\t' 'FNR>1{s+=$8} END{printf "%.2f", s/3600}' "$corp"/*/manifest.tsv)
	out=$( { cd "$corp" && /usr/bin/time -f '%e %U %M' nice ser-features -T "$B/bench/corpora.list" >"$B/bench/corpora.tsv"; } 2>&1 | tail -1)
	set -- $out
	echo "all corpora ($(wc -l <"$B/bench/corpora.list") files, $hours h), default set, one process: $1 s wall, $2 s user, peak RSS $(($3 / 1024)) MiB   [cd ../shared/corpora && nice ser-features -T list]"
	rm -f "$B/bench/corpora.list" "$B/bench/corpora.tsv"
fi
