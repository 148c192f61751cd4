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
		"--no-such-option" "--learn-codebook 0" "--learn-codebook 4097" "--learn-codebook abc" \
		"--learn-codebook -1" "--learn-codebook 8x" "--learn-codebook 8 --seed -1" \
		"--learn-codebook 8 --seed x" "--seed 1" "--learn-codebook 8 --frames" \
		"--learn-codebook 8 --window 2" "--learn-codebook 8 --list" "--learn-codebook 8 --set seed" \
		"--learn-codebook 8 --codebook /nonexistent" "--codebook /nonexistent --frames"; do
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
	for set in seed default full words; do
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

# codebook tables by hand: the header, and a row of 25 equal cells
cb_header() {
	printf 'id'
	for k in $(seq 12); do printf '\tmfcc%d_cmn' "$k"; done
	for k in $(seq 12); do printf '\tmfcc%d_delta' "$k"; done
	printf '\tloudness_rel\n'
}
cb_row() { printf '%s' "$1"; for k in $(seq 25); do printf '\t%s' "$2"; done; printf '\n'; }

@test "--set default ends with word0..word199, and --set words is those alone" {
	ser-features --list >"$T/default"
	ser-features --set words --list >"$T/words"
	seq 0 199 | sed 's/^/word/' >"$T/w200.names"
	cmp "$T/words" "$T/w200.names"
	n=$(($(wc -l <"$T/default") - 200))
	[ "$n" -eq 261 ]
	tail -n 200 "$T/default" | cmp - "$T/w200.names"
	# full: its columns, then the same word columns
	ser-features --set full --list | tail -n 200 | cmp - "$T/w200.names"
	ser-features "$wav" >"$T/d.tsv"
	ser-features --set words "$wav" >"$T/w.tsv"
	all_finite "$T/w.tsv"
	# the words alone are the default row's words
	cut -f 1,$((n + 2))- "$T/d.tsv" | cmp - "$T/w.tsv"
	# a histogram of 5 votes per frame: sum over words of expm1(v)/100 is 5
	tail -1 "$T/w.tsv" | cut -f 2- | tr '\t' '\n' |
		awk '{ s += (exp($1) - 1) / 100 } END { if (s < 4.999 || s > 5.001) { print s; exit 1 } }'
}

@test "--learn-codebook 8 on the test audio, then --codebook with it" {
	ser-features --learn-codebook 8 testdata/audio/*.wav >"$T/cb.tsv"
	[ "$(wc -l <"$T/cb.tsv")" -eq 11 ]
	cb_header | cmp - <(head -1 "$T/cb.tsv")
	[ "$(cut -f1 "$T/cb.tsv" | tail -n +2 | tr '\n' ' ')" = "mean sd word0 word1 word2 word3 word4 word5 word6 word7 " ]
	[ "$(awk -F'\t' '{ print NF }' "$T/cb.tsv" | sort -u)" = 26 ]
	all_finite "$T/cb.tsv"
	# deterministic for a seed (1 by default); another seed, other words
	ser-features --learn-codebook 8 --seed 1 testdata/audio/*.wav | cmp - "$T/cb.tsv"
	ser-features --learn-codebook 8 --seed 2 testdata/audio/*.wav >"$T/cb2.tsv"
	! cmp -s "$T/cb.tsv" "$T/cb2.tsv"
	cmp <(sed -n 2,3p "$T/cb.tsv") <(sed -n 2,3p "$T/cb2.tsv") # the same mean and sd
	# the same from a list and from PCM on stdin
	ls testdata/audio/*.wav | ser-features --learn-codebook 8 -T - | cmp - "$T/cb.tsv"
	ser-decode "$wav" | ser-features --learn-codebook 3 >"$T/cb3.tsv"
	[ "$(wc -l <"$T/cb3.tsv")" -eq 6 ]
	# --codebook: 8 word columns, other values than the compiled-in words'
	n=$(($(ser-features --list | wc -l) - 200))
	run -0 ser-features --codebook "$T/cb.tsv" "$wav"
	printf '%s\n' "$output" >"$T/w8.tsv"
	[ "$(head -1 "$T/w8.tsv" | tr '\t' '\n' | tail -n 8 | tr '\n' ' ')" = "word0 word1 word2 word3 word4 word5 word6 word7 " ]
	[ "$(head -1 "$T/w8.tsv" | awk -F'\t' '{ print NF }')" -eq $((n + 9)) ]
	all_finite "$T/w8.tsv"
	# the functionals do not depend on the codebook; the words do
	ser-features "$wav" | cut -f 1-$((n + 1)) | cmp - <(cut -f 1-$((n + 1)) "$T/w8.tsv")
	ser-features --set words "$wav" | cut -f 2-9 >"$T/w200"
	cut -f $((n + 2))- "$T/w8.tsv" >"$T/w8"
	[ "$(ser-features --set words --codebook "$T/cb.tsv" --list | wc -l)" -eq 8 ]
	head -1 "$T/w200" | cmp - <(head -1 "$T/w8")
	! cmp -s <(tail -1 "$T/w200") <(tail -1 "$T/w8")
	[ "$(ser-features --set full --codebook "$T/cb.tsv" --list | grep -c '^word')" -eq 8 ]
	# with --window too
	ser-features --set words --codebook "$T/cb.tsv" --window 0.5 "$wav" >"$T/win.tsv"
	all_finite "$T/win.tsv"
}

@test "--learn-codebook with fewer active frames than words is an error" {
	run --separate-stderr ser-features --learn-codebook 4096 "$wav"
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[[ "$stderr" =~ ^ser-features:\ only\ [0-9]+\ active\ frames\ for\ 4096\ words$ ]]
}

@test "--learn-codebook: a bad input is reported and skipped, exit 1" {
	printf 'not audio\n' >"$T/junk.wav"
	run --separate-stderr ser-features --learn-codebook 4 "$T/junk.wav" "$wav"
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"$T/junk.wav: "* ]]
	[ "$(printf '%s\n' "$output" | wc -l)" -eq 7 ]
}

@test "a bad --codebook file is an error naming file and line (exit 1, nothing on stdout)" {
	c=$T/cb.tsv
	check() { # expected message part
		run --separate-stderr ser-features --set words --codebook "$c" "$wav"
		[ "$status" -eq 1 ] || { echo "status $status: $stderr"; return 1; }
		[ -z "$output" ] || { echo "stdout: $output"; return 1; }
		[[ "$stderr" == "ser-features: $c"*"$1"* ]] || { echo "stderr: $stderr"; return 1; }
	}
	{ printf 'id\tmfcc1\n'; } >"$c"
	check ":1: 2 columns"
	{ cb_header | sed 's/mfcc5_delta/mfcc5_d/'; cb_row mean 0; cb_row sd 1; cb_row word0 0; } >"$c"
	check ":1: column 18 is 'mfcc5_d'"
	{ cb_header; cb_row mean 0; cb_row word0 0; } >"$c"
	check ":3: row 'word0' where row 'sd' belongs"
	{ cb_header; cb_row mean 0; cb_row sd nan; cb_row word0 0; } >"$c"
	check ":3: column 'mfcc1_cmn'"
	{ cb_header; cb_row mean 0; cb_row sd 1; cb_row word0 1e999; } >"$c"
	check ":4: column 'mfcc1_cmn'"
	{ cb_header; cb_row mean 0; cb_row sd 0; cb_row word0 0; } >"$c"
	check ":3: column 'mfcc1_cmn': an sd must be > 0"
	{ cb_header; cb_row mean 0; cb_row sd 1; } >"$c"
	check ":4: the table ends where row 'word0' belongs"
	{ cb_header; cb_row mean 0; cb_row sd 1; for j in $(seq 0 4096); do cb_row "word$j" 0; done; } >"$c"
	check ":4100: more than 4096 words"
	rm -f "$c"
	check ": No such file or directory"
	# a good one made the same way works
	{ cb_header; cb_row mean 0; cb_row sd 1; cb_row word0 0; cb_row word1 1; } >"$c"
	run -0 ser-features --set words --codebook "$c" "$wav"
	[ "$(printf '%s\n' "$output" | head -1 | tr '\t' '\n' | tail -n 2 | tr '\n' ' ')" = "word0 word1 " ]
}

@test "--codebook with the seed set (no word columns) is a usage error" {
	{ cb_header; cb_row mean 0; cb_row sd 1; cb_row word0 0; } >"$T/cb.tsv"
	for set in seed; do
		run --separate-stderr ser-features --set $set --codebook "$T/cb.tsv" "$wav"
		[ "$status" -eq 2 ]
		[ -z "$output" ]
		[[ "$stderr" == *"--codebook: the set '$set' has no word columns"* ]]
	done
}
