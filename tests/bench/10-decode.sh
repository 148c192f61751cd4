#!/usr/bin/env bash
# 10-decode: ser-decode throughput and memory.
#   1. decode + resample 48 kHz -> 16 kHz of a 10-minute 16-bit mono WAV (the
#      test utterance repeated), on one core (taskset -c 0): multiples of
#      real time, median of 3 runs. Also the same audio as FLAC and MP3.
#   2. peak RSS (/usr/bin/time -f %M) decoding a one-hour 48 kHz WAV, from a
#      file and from a pipe (spooled to an unlinked temporary file).
# The big files are generated into $B/bench/ and removed afterwards.
set -eu
B=${B:-build}
dir=$B/bench
mkdir -p "$dir"
A=$SER_TOP/testdata/audio
one=(taskset -c 0)
command -v taskset >/dev/null || one=()

sox -R -D "$A/speech.wav" -r 48000 "$dir/u48.wav" rate -h
# 3.204875 s x 188 = 602.5 s
sox -R -D "$dir/u48.wav" "$dir/ten.wav" repeat 187
sox -R -D "$dir/ten.wav" "$dir/ten.flac"
ffmpeg -nostdin -loglevel error -y -i "$dir/ten.wav" -c:a libmp3lame -b:a 128k "$dir/ten.mp3"
secs=$(ser-decode --info "$dir/ten.wav" | awk -F'\t' 'NR==2{print $7}')

median3() { sort -g | sed -n 2p; }
speed() { # file -> prints "xRT seconds"
	local t
	t=$(for i in 1 2 3; do
		/usr/bin/time -f %e "${one[@]}" ser-decode "$1" 2>&1 >/dev/null | tail -1
	done | median3)
	awk -v s="$secs" -v t="$t" 'BEGIN{printf "%.0fx real time (%.3f s wall for %.1f s of audio)", s/(t>0?t:0.001), t, s}'
}
for f in ten.wav ten.flac ten.mp3; do
	echo "decode+resample 48k->16k $f: $(speed "$dir/$f")   [${one[*]} ser-decode $dir/$f >/dev/null]"
done

# one hour at 48 kHz, 16-bit mono (330 MiB)
sox -R -D "$dir/ten.wav" "$dir/hour.wav" repeat 5 trim 0 3600
base=$(/usr/bin/time -f %M ser-decode --version 2>&1 >/dev/null | tail -1)
small=$(/usr/bin/time -f %M ser-decode "$A/speech.wav" 2>&1 >/dev/null | tail -1)
m4a=$(/usr/bin/time -f %M ser-decode "$A/speech.m4a" 2>&1 >/dev/null | tail -1)
echo "baseline peak RSS of the process (ser-decode --version; $(ldd "$(command -v ser-decode)" | wc -l) shared libraries): $((base / 1024)) MiB ($base KiB); decoding the 3 s speech.wav: $small KiB; the 3 s speech.m4a (dlopens libav*): $m4a KiB"
h=$(ser-decode --info "$dir/hour.wav" | awk -F'\t' 'NR==2{print $7}')
rss=$(/usr/bin/time -f %M ser-decode "$dir/hour.wav" 2>&1 >/dev/null | tail -1)
echo "peak RSS, one-hour WAV ($h s, $(($(wc -c <"$dir/hour.wav") / 1048576)) MiB) from a file: $((rss / 1024)) MiB ($rss KiB; $((rss - base)) KiB above the baseline)   [/usr/bin/time -f %M ser-decode $dir/hour.wav >/dev/null]"
rss=$(cat "$dir/hour.wav" | /usr/bin/time -f %M ser-decode 2>&1 >/dev/null | tail -1)
echo "peak RSS, the same through a pipe (spooled): $((rss / 1024)) MiB ($rss KiB; $((rss - base)) KiB above the baseline)   [cat hour.wav | /usr/bin/time -f %M ser-decode >/dev/null]"
# The baseline is mostly clean pages of the shared libraries (libsndfile,
# libsoxr and their codecs; libav* and its ~120 dependencies are dlopen()ed
# only for M4A/AAC, so they are not in a WAV's baseline); the process's own
# memory is its anonymous RSS, sampled from /proc every 10 ms while the hour
# decodes (Linux only).
if [ -r /proc/self/status ]; then
	ser-decode "$dir/hour.wav" >/dev/null &
	pid=$! amax=0
	while kill -0 "$pid" 2>/dev/null; do
		a=$(awk '/^RssAnon/{print $2}' "/proc/$pid/status" 2>/dev/null || true)
		[ -n "$a" ] && [ "$a" -gt "$amax" ] && amax=$a
		sleep 0.01
	done
	wait "$pid" || true
	echo "peak anonymous RSS (heap, stack, relocations) decoding the one-hour WAV: $amax KiB (sampled)"
fi
rss=$(/usr/bin/time -f %M ser-decode --info "$dir/hour.wav" 2>&1 >/dev/null | tail -1)
echo "peak RSS, --info of the one-hour WAV: $((rss / 1024)) MiB ($rss KiB)"
rm -f "$dir/hour.wav" "$dir/ten.wav" "$dir/ten.flac" "$dir/ten.mp3" "$dir/u48.wav"
