#!/usr/bin/env bats
# ser-features: options, inputs, outputs, and what it does with bad ones.

bats_require_minimum_version 1.5.0

setup() {
	cd "$SER_TOP"
	T=$BATS_TEST_TMPDIR
	wav=testdata/audio/speech.wav
}

# raw float32 LE PCM: pcm VALUE COUNT
pcm() { perl -e 'print pack("f<*", ($ARGV[0]) x $ARGV[1])' "$1" "$2"; }

# every cell after the id column (and the header) parses as a finite number
all_finite() {
	awk -F'\t' 'NR > 1 { for (i = 2; i <= NF; i++) if ($i !~ /^-?[0-9]+(\.[0-9]+)?(e[-+][0-9]+)?$/) { print "line " NR " col " i ": " $i; bad = 1 } } END { exit bad }' "$1"
}

@test "bad arguments are usage errors (exit 2, message on stderr, nothing on stdout)" {
	for args in "--set nonesuch" "-r abc" "-r 100" "-r 16000x" "--window 0" "--window -1" \
		"--hop 1" "--frames --window 2" "--list $wav" "--id=" "--max-duration 0" \
		"--no-such-option"; do
		run --separate-stderr ser-features $args </dev/null
		[ "$status" -eq 2 ] || { echo "ser-features $args: status $status"; return 1; }
		[ -z "$output" ] || { echo "ser-features $args: stdout '$output'"; return 1; }
		[[ "$stderr" == ser-features:* ]] || { echo "ser-features $args: stderr '$stderr'"; return 1; }
	done
}

@test "PCM with a trailing partial sample is an error naming it" {
	{ pcm 0.1 1000; printf 'ab'; } >"$T/bad.f32"
	run --separate-stderr ser-features <"$T/bad.f32"
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"-: trailing partial sample"* ]]
	[ "$(printf '%s\n' "$output" | wc -l)" -eq 1 ] # the header only
}

@test "PCM with a NaN or Inf sample is an error" {
	{ pcm 0.1 100; perl -e 'print pack("L<", 0x7fc00000)'; } | { run --separate-stderr ser-features; [ "$status" -eq 1 ]; [[ "$stderr" == *"not a finite number"* ]]; }
	{ pcm 0.1 100; perl -e 'print pack("L<", 0x7f800000)'; } | { run --separate-stderr ser-features; [ "$status" -eq 1 ]; }
}

@test "empty input is an error, not a row" {
	run --separate-stderr ser-features </dev/null
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"no samples"* ]]
}

@test "silence, DC, clipping and very short input give finite values in every set" {
	for set in seed default full; do
		{ pcm 0 16000; } | ser-features --set $set --id silence >"$T/a.tsv"
		{ pcm 0.5 16000; } | ser-features --set $set --id dc >>"$T/a.tsv.rows"
		perl -e 'print pack("f<*", map { ($_ / 20) % 2 ? 1.0 : -1.0 } 0..15999)' |
			ser-features --set $set --id clipped >"$T/row.tsv"
		tail -n +2 "$T/row.tsv" >>"$T/a.tsv"
		pcm 0.25 1 | ser-features --set $set --id one >"$T/row.tsv"
		tail -n +2 "$T/row.tsv" >>"$T/a.tsv"
		pcm 0.25 300 | ser-features --set $set --id short >"$T/row.tsv"
		tail -n +2 "$T/row.tsv" >>"$T/a.tsv"
		tail -n +2 "$T/a.tsv.rows" >>"$T/a.tsv"
		[ "$(wc -l <"$T/a.tsv")" -eq 6 ]
		all_finite "$T/a.tsv" || { echo "set $set"; return 1; }
		rm -f "$T/a.tsv" "$T/a.tsv.rows"
	done
}

@test "--list prints the header's feature columns, for every set and --frames" {
	for set in seed default full; do
		ser-features --set $set --list >"$T/list"
		pcm 0.1 4000 | ser-features --set $set >"$T/out"
		head -1 "$T/out" | tr '\t' '\n' | tail -n +2 >"$T/hdr"
		cmp "$T/list" "$T/hdr"
		ser-features --set $set --frames --list >"$T/list"
		pcm 0.1 4000 | ser-features --set $set --frames >"$T/out"
		head -1 "$T/out" | tr '\t' '\n' | tail -n +2 >"$T/hdr"
		cmp "$T/list" "$T/hdr"
	done
	[ "$(ser-features --set seed --list | wc -l)" -eq 47 ]
}

@test "the seed set from the CLI matches librosa's 47 values (1e-4 relative)" {
	f=testdata/golden/inputs/speech_en_us_m3.wav
	ser-features --set seed "$f" >"$T/got"
	grep "^speech_en_us_m3.wav" testdata/golden/seed_features_sr16000.tsv >"$T/want"
	paste <(tail -1 "$T/got" | tr '\t' '\n' | tail -n +2) <(tr '\t' '\n' <"$T/want" | tail -n +2) |
		awk -F'\t' '{ d = $1 - $2; if (d < 0) d = -d; t = ($2 < 0 ? -$2 : $2) * 1e-4; if (t < 1e-2) t = 1e-2; if (d > t) { print NR ": " $1 " vs " $2; bad = 1 } } END { exit bad }'
}

@test "a file and the same audio as PCM on stdin give the same row" {
	ser-features "$wav" >"$T/a.tsv"
	ser-decode "$wav" | ser-features --id x >"$T/b.tsv"
	tail -1 "$T/a.tsv" | cut -f2- >"$T/a"
	tail -1 "$T/b.tsv" | cut -f2- >"$T/b"
	cmp "$T/a" "$T/b"
}

@test "ids: the path as given, '-' for stdin, --id for stdin" {
	run -0 ser-features "$wav"
	[ "$(printf '%s\n' "$output" | tail -1 | cut -f1)" = "$wav" ]
	pcm 0.1 4000 | ser-features >"$T/o"
	tail -1 "$T/o" | cut -f1 | grep -qx -- -
	pcm 0.1 4000 | ser-features --id utt7 >"$T/o"
	tail -1 "$T/o" | cut -f1 | grep -qx utt7
}

@test "many files: a bad one is reported and skipped, the others still get rows, exit 1" {
	printf 'not audio at all\n' >"$T/junk.wav"
	run --separate-stderr ser-features testdata/audio/speech.flac "$T/junk.wav" "$T/missing.wav" testdata/audio/speech.mp3
	[ "$status" -eq 1 ]
	[ "$(printf '%s\n' "$output" | wc -l)" -eq 3 ]
	[[ "$stderr" == *"$T/junk.wav: "* ]]
	[[ "$stderr" == *"$T/missing.wav: "* ]]
}

@test "-T reads a list of paths (and -T - from stdin)" {
	printf '%s\n' testdata/audio/speech.wav '' testdata/audio/speech.ogg >"$T/list"
	run ser-features -T "$T/list"
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | wc -l)" -eq 3 ]
	run ser-features -T - <"$T/list"
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | cut -f1 | tail -1)" = testdata/audio/speech.ogg ]
	run ser-features -T - - <"$T/list"
	[ "$status" -eq 2 ]
}

@test "--frames: one row per frame, 1 + n/hop of them, time in seconds" {
	pcm 0.1 16000 | ser-features --frames >"$T/f"
	[ "$(wc -l <"$T/f")" -eq $((1 + 1 + 16000 / 160)) ]
	[ "$(sed -n 3p "$T/f" | cut -f2)" = 0.00999999978 ] || [ "$(sed -n 3p "$T/f" | cut -f2)" = 0.01 ]
	pcm 0.1 16000 | ser-features --set seed --frames >"$T/f"
	[ "$(wc -l <"$T/f")" -eq $((1 + 1 + 16000 / 512)) ]
}

@test "--window/--hop: one row per window that fits, ids carry the start time" {
	pcm 0.1 160000 | ser-features --window 2 --hop 1 --id talk >"$T/w"
	[ "$(wc -l <"$T/w")" -eq $((1 + 9)) ]
	[ "$(sed -n 2p "$T/w" | cut -f1)" = talk@0.000 ]
	[ "$(tail -1 "$T/w" | cut -f1)" = talk@8.000 ]
	all_finite "$T/w"
	pcm 0.1 8000 | ser-features --window 2 >"$T/w"
	[ "$(wc -l <"$T/w")" -eq 2 ] # shorter than a window: one row
	pcm 0.1 160000 | ser-features --window 1 --hop 3 >"$T/w"
	[ "$(wc -l <"$T/w")" -eq $((1 + 4)) ]
	ser-features --window 0.5 "$wav" >"$T/w"
	tail -1 "$T/w" | cut -f1 | grep -q "^$wav@"
}

@test "--window streams: a window row equals the same span analysed alone" {
	perl -e 'srand(7); print pack("f<*", map { rand() - 0.5 } 1..48000)' >"$T/n.f32"
	ser-features --window 1 --hop 1 <"$T/n.f32" >"$T/a.tsv"
	dd if="$T/n.f32" bs=64000 skip=1 count=1 2>/dev/null | ser-features >"$T/b.tsv"
	sed -n 3p "$T/a.tsv" | cut -f2- >"$T/a"
	tail -1 "$T/b.tsv" | cut -f2- >"$T/b"
	cmp "$T/a" "$T/b"
}

@test "-r: PCM at another rate is analysed at that rate" {
	pcm 0.1 22050 | ser-features -r 22050 --set seed >"$T/o"
	tail -1 "$T/o" | cut -f1 | grep -qx -- -
	run ser-features -r 22050 --set seed testdata/golden/sr22050_nfft2048_hop512/sine440_3s/input_22050.wav
	[ "$status" -eq 0 ]
}
