#!/usr/bin/env bash
# 35-prosody: lib/prosody CPU time per 10 ms frame (16 kHz, hop 160), per
# family, on one core: the test utterance repeated to ~60 s, each analysis
# run 10 times by build/tools/prosody-dump -n (CPU time of the process,
# median of 3). -o f0 = F0 + voicing + HNR; js adds jitter/shimmer; fm adds
# formants; all = everything. The share of prosody in the "default" set's
# 5 us/frame budget is 2.5 us/frame.
set -eu
B=${B:-build}
dir=$B/bench
mkdir -p "$dir"
A=$SER_TOP/testdata/audio
one=(taskset -c 0)
command -v taskset >/dev/null || one=()
tool=$B/tools/prosody-dump
pcm=$dir/prosody60.f32

sox -R -D "$A/speech.wav" -r 16000 -c 1 -t f32 "$dir/u16.f32" rate -h
for i in $(seq 20); do cat "$dir/u16.f32"; done > "$pcm"
voiced=$("$tool" < "$pcm" | awk 'NR>1{v+=$3;n++}END{printf "%.2f", v/n}')
for o in f0 js fm all; do
	us=$(for i in 1 2 3; do "${one[@]}" "$tool" -o $o -n 10 < "$pcm" 2>&1 >/dev/null; done |
		sed 's/.*, \([0-9.]*\) us\/frame.*/\1/' | sort -g | sed -n 2p)
	echo "prosody -o $o: $us us/frame (voiced fraction $voiced)   [${one[*]} $tool -o $o -n 10 < $pcm]"
done
rm -f "$pcm" "$dir/u16.f32"
