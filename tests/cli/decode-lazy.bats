#!/usr/bin/env bats
# libavformat/libavcodec/libavutil are loaded (dlopen) only when an M4A/AAC
# file arrives: the programs are not linked with them, every other format
# decodes without them, and M4A without them is one clear error (exit 1).
# A library that cannot be loaded is simulated by an invalid
# libavformat.so.N first on LD_LIBRARY_PATH.

bats_require_minimum_version 1.5.0

A=$SER_TOP/testdata/audio

setup_file() {
	# the soname the programs dlopen, from the same headers they compiled with
	local major
	major=$(awk '$2 == "LIBAVFORMAT_VERSION_MAJOR" {print $3}' \
		"$(pkg-config --variable=includedir libavformat)"/libavformat/version_major.h)
	export SONAME=libavformat.so.$major PKG=libavformat$major
	export BROKEN=$BATS_FILE_TMPDIR/broken
	mkdir -p "$BROKEN"
	echo "not a shared object" >"$BROKEN/$SONAME"
}

@test "the decode-path programs are not linked with libav*" {
	[ -n "$SONAME" ]
	[ "$SONAME" != libavformat.so. ]
	for p in ser-decode ser-features ser-cgi; do
		run ldd "$B/bin/$p"
		[ "$status" -eq 0 ]
		echo "$p: $output"
		# (a bare `! cmd` would not fail the test under bats' set -e)
		if grep -q 'libav\(format\|codec\|util\)' <<<"$output"; then return 1; fi
	done
}

@test "without a loadable libavformat: --version, WAV, FLAC, Ogg and MP3 decode as usual" {
	LD_LIBRARY_PATH=$BROKEN ser-decode --version
	for f in speech.wav speech.flac speech.ogg speech.mp3; do
		ser-decode "$A/$f" >"$BATS_TEST_TMPDIR/want.f32"
		LD_LIBRARY_PATH=$BROKEN ser-decode "$A/$f" >"$BATS_TEST_TMPDIR/got.f32"
		[ -s "$BATS_TEST_TMPDIR/got.f32" ]
		cmp "$BATS_TEST_TMPDIR/want.f32" "$BATS_TEST_TMPDIR/got.f32"
	done
}

@test "without a loadable libavformat: M4A is exit 1 with one message naming the library" {
	LD_LIBRARY_PATH=$BROKEN run -1 --separate-stderr ser-decode "$A/speech.m4a"
	echo "stderr: $stderr"
	[ -z "$output" ]
	[ "$(printf '%s\n' "$stderr" | wc -l)" -eq 1 ]
	[[ $stderr == "ser-decode: $A/speech.m4a: M4A/AAC support needs libavformat ($PKG): "*"$SONAME"* ]]
	# from a pipe, with --info, and through ser-features: the same refusal
	LD_LIBRARY_PATH=$BROKEN run -1 --separate-stderr ser-decode --info - <"$A/speech.m4a"
	[[ $stderr == "ser-decode: -: M4A/AAC support needs libavformat ($PKG): "* ]]
	LD_LIBRARY_PATH=$BROKEN run -1 --separate-stderr ser-features "$A/speech.m4a"
	[[ $stderr == *"ser-features: $A/speech.m4a: M4A/AAC support needs libavformat ($PKG): "* ]]
}

@test "with the libraries present, M4A still decodes (loaded on demand)" {
	run -0 ser-decode --info "$A/speech.m4a"
	[[ $output == *$'\tm4a\taac\t'* ]]
	ser-decode "$A/speech.m4a" >"$BATS_TEST_TMPDIR/m.f32"
	[ "$(wc -c <"$BATS_TEST_TMPDIR/m.f32")" -gt 40000 ]
}

@test "--info over several M4A files and others in one process: one row each" {
	run -0 ser-decode --info "$A/speech.m4a" "$A/speech.wav" "$A/speech.m4a" "$A/speech.flac" "$A/speech.m4a"
	[ "${#lines[@]}" -eq 6 ]
	[ "$(printf '%s\n' "${lines[@]}" | grep -c $'\tm4a\taac\t')" -eq 3 ]
	# the M4A rows are identical (same frames each time)
	[ "$(printf '%s\n' "${lines[@]}" | grep $'\tm4a\t' | sort -u | wc -l)" -eq 1 ]
}
