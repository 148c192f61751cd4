#!/usr/bin/env bats
# ser-decode: every format decodes to the reference samples, the bad-input
# table (decode-bad.tsv) answers as it says, options and usage errors.

bats_require_minimum_version 1.5.0

A=$SER_TOP/testdata/audio

setup_file() {
	export BAD=$BATS_FILE_TMPDIR/bad
	"$SER_TOP/tests/tools/mkbadaudio.sh" "$BAD" >/dev/null
	ser-decode "$SER_TOP/testdata/audio/speech.wav" >"$BATS_FILE_TMPDIR/ref.f32"
}

ref() { echo "$BATS_FILE_TMPDIR/ref.f32"; }
pcmcmp() { "$B/tools/pcmcmp" "$@"; }

# decode FILE [args] -> $BATS_TEST_TMPDIR/out.f32, must succeed
dec() {
	ser-decode "$@" >"$BATS_TEST_TMPDIR/out.f32"
}

@test "reference: speech.wav is 51278 samples of 16 kHz float32" {
	[ "$(wc -c <"$(ref)")" -eq $((51278 * 4)) ]
}

@test "lossless: float WAV, FLAC, 24-bit extensible WAV, RF64 give identical samples" {
	for f in speech-f32.wav speech.flac speech-ext24.wav speech-rf64.wav; do
		dec "$A/$f"
		run pcmcmp "$(ref)" "$BATS_TEST_TMPDIR/out.f32"
		echo "$f: $output"
		[ "$status" -eq 0 ]
	done
}

@test "lossless: 24-bit, 32-bit PCM and 64-bit float WAVs (made by sox) are identical" {
	for enc in "-b 24" "-e signed-integer -b 32" "-e floating-point -b 64"; do
		# shellcheck disable=SC2086
		sox -R -D "$A/speech.wav" $enc "$BATS_TEST_TMPDIR/v.wav"
		dec "$BATS_TEST_TMPDIR/v.wav"
		run pcmcmp "$(ref)" "$BATS_TEST_TMPDIR/out.f32"
		echo "$enc: $output"
		[ "$status" -eq 0 ]
	done
}

@test "companded and 8-bit WAVs: same length, correlation >= 0.999" {
	for f in speech-u8.wav speech-alaw.wav speech-ulaw.wav; do
		dec "$A/$f"
		run pcmcmp --min-corr 0.999 --max-lag 0 "$(ref)" "$BATS_TEST_TMPDIR/out.f32"
		echo "$f: $output"
		[ "$status" -eq 0 ]
		[ "$(wc -c <"$BATS_TEST_TMPDIR/out.f32")" -eq $((51278 * 4)) ]
	done
}

@test "lossy: Vorbis, Opus, MP3, AAC correlate >= 0.99 with the WAV after alignment" {
	for f in speech.ogg speech.opus speech.mp3 speech.m4a; do
		dec "$A/$f"
		run pcmcmp --min-corr 0.99 --max-lag 4000 "$(ref)" "$BATS_TEST_TMPDIR/out.f32"
		echo "$f: $output"
		[ "$status" -eq 0 ]
	done
}

@test "pcmcmp can fail: a different utterance, and a lossy file compared as lossless" {
	dec "$A/demo-fast.wav"
	run pcmcmp --min-corr 0.99 "$(ref)" "$BATS_TEST_TMPDIR/out.f32"
	echo "$output"
	[ "$status" -eq 1 ]
	dec "$A/speech.mp3"
	run pcmcmp "$(ref)" "$BATS_TEST_TMPDIR/out.f32"
	echo "$output"
	[ "$status" -eq 1 ]
}

@test "stereo 48 kHz: mean downmix and resampling to 16 kHz give 0.75 x the reference" {
	dec "$A/speech-stereo48k.wav"
	run pcmcmp --scale 0.75 --max-abs 0.02 "$(ref)" "$BATS_TEST_TMPDIR/out.f32"
	echo "$output"
	[ "$status" -eq 0 ]
}

@test "-r resamples: 48000 and 8000 Hz match SoX's own resampling" {
	for r in 48000 8000; do
		dec -r "$r" "$A/speech.wav"
		sox -R -D "$A/speech.wav" -t f32 -e floating-point "$BATS_TEST_TMPDIR/sox.f32" rate -v "$r"
		run pcmcmp --min-corr 0.999 --max-lag 50 "$BATS_TEST_TMPDIR/sox.f32" "$BATS_TEST_TMPDIR/out.f32"
		echo "$r: $output"
		[ "$status" -eq 0 ]
		n=$(($(wc -c <"$BATS_TEST_TMPDIR/out.f32") / 4))
		want=$((51278 * r / 16000))
		[ $((n - want)) -le 2 ]
		[ $((want - n)) -le 2 ]
	done
}

@test "stdin: a regular file and a pipe give the same samples as the named file" {
	ser-decode <"$A/speech.flac" >"$BATS_TEST_TMPDIR/a.f32"
	cat "$A/speech.m4a" | ser-decode - >"$BATS_TEST_TMPDIR/b.f32"
	ser-decode "$A/speech.m4a" >"$BATS_TEST_TMPDIR/c.f32"
	pcmcmp "$(ref)" "$BATS_TEST_TMPDIR/a.f32"
	cmp "$BATS_TEST_TMPDIR/b.f32" "$BATS_TEST_TMPDIR/c.f32"
}

@test "--info: one row per file, exact frame counts, containers and codecs by content" {
	cp "$A/speech.ogg" "$BATS_TEST_TMPDIR/looks-like.mp3"
	run --separate-stderr ser-decode --info "$A/speech.wav" "$A/speech.flac" "$A/speech-stereo48k.wav" \
		"$A/speech.opus" "$BATS_TEST_TMPDIR/looks-like.mp3" "$A/speech-alaw.wav" "$A/speech-rf64.wav"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "$(printf 'id\tcontainer\tcodec\trate_hz\tchannels\tframes\tduration_s')" ]
	[ "${lines[1]}" = "$(printf '%s\twav\tpcm_s16\t16000\t1\t51278\t3.204875' "$A/speech.wav")" ]
	[ "${lines[2]}" = "$(printf '%s\tflac\tflac\t16000\t1\t51278\t3.204875' "$A/speech.flac")" ]
	[ "${lines[3]}" = "$(printf '%s\twav\tpcm_s16\t48000\t2\t153834\t3.204875' "$A/speech-stereo48k.wav")" ]
	[[ "${lines[4]}" == *$'\togg\topus\t16000\t1\t51278\t'* ]]
	[[ "${lines[5]}" == *$'\togg\tvorbis\t16000\t1\t51278\t'* ]]
	[[ "${lines[6]}" == *$'\twav\talaw\t16000\t1\t51278\t'* ]]
	[[ "${lines[7]}" == *$'\trf64\tpcm_s16\t16000\t1\t51278\t'* ]]
	[ "${#lines[@]}" -eq 8 ]
}

@test "--info: a bad file among good ones: its message, the good rows, exit 1" {
	run --separate-stderr ser-decode --info "$A/speech.wav" "$BAD/two-fmt.wav" "$A/speech.mp3"
	[ "$status" -eq 1 ]
	[ "${#lines[@]}" -eq 3 ]
	[[ "$stderr" == "ser-decode: $BAD/two-fmt.wav: two fmt chunks" ]]
}

@test "bad-input table: every case, as a named file, answers status and message" {
	fails=0 n=0
	while IFS=$'\t' read -r file args want msg; do
		case $file in '#'* | file) continue ;; esac
		n=$((n + 1))
		[ "$args" = - ] && args=
		# shellcheck disable=SC2086
		run --separate-stderr ser-decode $args "$BAD/$file"
		if [ "$status" -ne "$want" ]; then
			echo "$file $args: status $status, want $want: $stderr"; fails=$((fails + 1))
		elif [ "$want" -ne 0 ] && [[ "$stderr" != "ser-decode: $BAD/$file: "*"$msg"* ]]; then
			echo "$file: message '$stderr' lacks '$msg'"; fails=$((fails + 1))
		elif [ "$want" -ne 0 ] && [ "$(printf '%s\n' "$stderr" | wc -l)" -ne 1 ]; then
			echo "$file: more than one line on stderr: $stderr"; fails=$((fails + 1))
		fi
	done <"$SER_TOP/tests/cli/decode-bad.tsv"
	echo "$n cases, $fails failed"
	[ "$n" -ge 55 ]
	[ "$fails" -eq 0 ]
}

@test "bad-input table: the same answers through a pipe (spooled to a temporary file)" {
	fails=0
	while IFS=$'\t' read -r file args want msg; do
		case $file in '#'* | file) continue ;; esac
		[ "$args" = - ] && args=
		# shellcheck disable=SC2086
		run --separate-stderr sh -c "cat '$BAD/$file' | ser-decode $args"
		if [ "$status" -ne "$want" ] || { [ "$want" -ne 0 ] && [[ "$stderr" != "ser-decode: -: "*"$msg"* ]]; }; then
			echo "pipe $file: $status '$stderr'"; fails=$((fails + 1))
		fi
	done <"$SER_TOP/tests/cli/decode-bad.tsv"
	[ "$fails" -eq 0 ]
}

@test "bad-input table: --info over all cases in one process: good rows, bad messages, exit 1" {
	files=() good=0 bad=0
	while IFS=$'\t' read -r file args want msg; do
		case $file in '#'* | file) continue ;; esac
		[ "$args" = - ] || continue # cases needing options are covered above
		files+=("$BAD/$file")
		if [ "$want" -eq 0 ]; then good=$((good + 1)); else bad=$((bad + 1)); fi
	done <"$SER_TOP/tests/cli/decode-bad.tsv"
	run --separate-stderr ser-decode --info "${files[@]}"
	[ "$status" -eq 1 ]
	[ "${#lines[@]}" -eq $((good + 1)) ]
	[ "$(printf '%s\n' "$stderr" | wc -l)" -eq "$bad" ]
	while IFS=$'\t' read -r file args want msg; do
		case $file in '#'* | file) continue ;; esac
		[ "$args" = - ] || continue
		if [ "$want" -eq 0 ]; then
			printf '%s\n' "${lines[@]}" | grep -q "^$BAD/$file	" || { echo "no row for $file"; return 1; }
		else
			printf '%s\n' "$stderr" | grep -qF "ser-decode: $BAD/$file: " || { echo "no message for $file"; return 1; }
		fi
	done <"$SER_TOP/tests/cli/decode-bad.tsv"
}

@test "the list of hand-made cases says which field each breaks" {
	run "$B/tools/mkbadaudio" -l
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -ge 30 ]
	while IFS=$'\t' read -r name what; do
		[ -n "$what" ] || { echo "$name: no description"; return 1; }
		grep -q "^$name	" "$SER_TOP/tests/cli/decode-bad.tsv" || { echo "$name not in the table"; return 1; }
	done <<<"$output"
}

@test "missing file, directory: exit 1 naming the file" {
	run --separate-stderr ser-decode "$BATS_TEST_TMPDIR/nope.wav"
	[ "$status" -eq 1 ]
	[[ "$stderr" == "ser-decode: $BATS_TEST_TMPDIR/nope.wav: No such file or directory" ]]
	run --separate-stderr ser-decode "$BATS_TEST_TMPDIR"
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"is a directory"* ]]
}

@test "usage errors exit 2 with nothing on stdout" {
	for args in "-r 0" "-r 999" "-r 800000" "-r abc" "-r 16000x" "--max-duration 0" \
		"--max-duration nan" "--max-duration -1" "--info -r 8000" "x.wav y.wav" "- -" "--bogus"; do
		# shellcheck disable=SC2086
		run --separate-stderr ser-decode $args
		[ "$status" -eq 2 ] || { echo "$args: status $status"; return 1; }
		[ -z "$output" ] || { echo "$args: stdout '$output'"; return 1; }
		[[ "$stderr" == *ser-decode* ]] || { echo "$args: stderr '$stderr'"; return 1; }
	done
}

@test "--help is the man page SYNOPSIS; --version" {
	want=$(MANWIDTH=200 mandoc -Tascii "$SER_TOP/man/ser-decode.1" | col -b |
		awk '/^SYNOPSIS/{on=1; next} /^[A-Z]/{on=0} on' | sed 's/^ *//; /^$/d')
	got=$(ser-decode --help)
	got=$(sed '1s/^usage: *//; s/^ *//' <<<"$got")
	[ "$want" = "$got" ]
	run -0 ser-decode --version
	[[ "$output" =~ ^ser-decode\ [0-9] ]]
}

@test "the man page is clean under mandoc -Tlint" {
	run mandoc -Tlint -W warning "$SER_TOP/man/ser-decode.1"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}

@test "PCM is not written to a terminal (exit 2); --info is" {
	command -v script >/dev/null || skip "no script(1)"
	run script -qec "ser-decode '$A/speech.wav'" /dev/null
	[ "$status" -eq 2 ]
	[[ "$output" == *"refusing to write binary PCM to a terminal"* ]]
	run script -qec "ser-decode --info '$A/speech.wav'" /dev/null
	[ "$status" -eq 0 ]
	[[ "$output" == *51278* ]]
}
