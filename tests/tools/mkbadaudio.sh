#!/bin/sh
# mkbadaudio.sh DIR - write every bad-input case of tests/cli/decode-bad.tsv
# into DIR: the hand-made WAVs from $B/tools/mkbadaudio, and the cases that
# need a real encoder or a real file cut short (made here with sox, ffmpeg,
# head and dd from testdata/audio). Each line says which field it breaks.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
B=${B:-$top/build}
out=$1
A=$top/testdata/audio
mkdir -p "$out"
"$B/tools/mkbadaudio" "$out"
cd "$out"
ff() { ffmpeg -nostdin -hide_banner -loglevel error -y "$@"; }
size() { wc -c <"$1" | tr -d ' '; }

# codecs outside the allow-list, as real encoders write them (fmt wFormatTag)
sox -R -D "$A/speech.wav" -e ima-adpcm ima-adpcm.wav       # 0x0011 IMA ADPCM
sox -R -D "$A/speech.wav" -e ms-adpcm ms-adpcm.wav         # 0x0002 MS ADPCM
sox -R -D "$A/speech.wav" -r 8000 -e gsm-full-rate gsm.wav rate -h  # 0x0031 GSM 6.10

# real files cut short (the stream's own structure breaks)
head -c 20 "$A/speech.flac" >trunc-header.flac            # inside STREAMINFO
head -c 30000 "$A/speech.flac" >trunc.flac                 # frames missing
head -c $(($(size "$A/speech.mp3") - 100)) "$A/speech.mp3" >trunc.mp3   # last frame cut
head -c 12000 "$A/speech.ogg" >trunc.ogg                   # last page cut
head -c 6000 "$A/speech.opus" >trunc.opus                  # last page cut
head -c 20000 "$A/speech.m4a" >trunc.m4a                   # moov (at the end) missing
ff -i "$A/speech.wav" -c:a aac -b:a 64k -movflags +faststart -map_metadata -1 faststart.m4a
head -c 15000 faststart.m4a >trunc-mdat.m4a                # moov first, mdat cut
rm faststart.m4a
# damage in the middle
cp "$A/speech.flac" corrupt.flac                           # frame bytes overwritten
printf 'XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX' |
	dd of=corrupt.flac bs=1 seek=30000 conv=notrunc 2>/dev/null
cp "$A/speech.mp3" corrupt.mp3                             # a frame header zeroed
head -c 4000 /dev/zero | dd of=corrupt.mp3 bs=1 seek=10000 conv=notrunc 2>/dev/null
# an MP3 sync word followed by garbage (sniffs as MP3, is not)
{ printf '\377\373\220\000'; head -c 2000 "$out/random.wav"; } >fake-sync.mp3

# compressed silence that would decode to hours (duration cap)
sox -R -D -n -r 8000 -c 1 -b 16 silence2h.flac trim 0 7200       # header says 2 h
ff -f lavfi -i anullsrc=r=8000:cl=mono -t 7200 -c:a libvorbis -q:a 0 silence2h.ogg
# total_samples = 0 (written to a pipe): only the decoded count can catch it
ff -f lavfi -i anullsrc=r=8000:cl=mono -t 120 -c:a flac -f flac - >silence-unknown.flac

# controls that must decode
ff -i "$A/speech.wav" -c:a aac -b:a 64k -f adts good-adts.aac
sox -R -D "$A/speech.wav" -t wav - | cat >good-pipe-sox.wav      # sizes from a pipe
ff -i "$A/speech.wav" -c:a pcm_s16le -f wav - | cat >good-pipe-ffmpeg.wav
