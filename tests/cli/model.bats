#!/usr/bin/env bats
# ser-scale, ser-train, ser-predict, ser-eval on small synthetic tables:
# what they promise (standardisation, the model directory, probabilities
# summing to 1, metrics of a known confusion) and every refusal.

bats_require_minimum_version 1.5.0

setup() {
	cd "$BATS_TEST_TMPDIR"
	# 3 classes x 4 speakers x 6 utterances, 4 features + a constant column;
	# class c shifts feature c. awk's generator is seeded: fixed data.
	awk 'BEGIN {
		srand(7); split("angry sad calm", cls, " ")
		print "id\tf1\tf2\tf3\tf4\tconst" > "feat.tsv"
		print "id\tlabel\tspeaker\tcorpus" > "lab.tsv"
		for (s = 1; s <= 4; s++) for (u = 1; u <= 6; u++) for (c = 1; c <= 3; c++) {
			id = sprintf("spk%d/u%d_%d.wav", s, u, c)
			printf "%s", id > "feat.tsv"
			for (j = 1; j <= 4; j++)
				printf "\t%.6f", rand() - 0.5 + (j == c ? 1.2 : 0) + 0.2 * s > "feat.tsv"
			printf "\t3\n" > "feat.tsv"
			printf "%s\t%s\tS%d\tsynth\n", id, cls[c], s > "lab.tsv"
		}
	}'
}

# a trained model in ./m (quick: a 2x2 grid)
train() {
	ser-scale --fit sc.tsv feat.tsv >scaled.tsv
	ser-train -l lab.tsv -s sc.tsv -o m -g speaker --log2c 0:2:2 --log2g -2:0:2 "$@" scaled.tsv
}

@test "ser-scale --fit: every column has mean 0 and sd 1, a constant column is 0" {
	run ser-scale --fit sc.tsv feat.tsv
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "$(head -1 feat.tsv)" ]
	[ "${#lines[@]}" -eq 73 ]
	printf '%s\n' "${lines[@]}" | awk -F'\t' 'NR > 1 { for (j = 2; j <= 5; j++) { s[j] += $j; q[j] += $j * $j }
		if ($6 != 0) bad = 1; n++ }
		END { for (j = 2; j <= 5; j++) { m = s[j] / n; v = q[j] / n - m * m
			if (m > 1e-6 || m < -1e-6 || v < 0.9999 || v > 1.0001) bad = 1 }
			exit bad }'
	head -1 sc.tsv | grep -qx "$(printf 'id\tmean\tsd')"
	grep -q "^const	3	0$" sc.tsv
}

@test "ser-scale -s applies the fitted scaler, the same as --fit wrote" {
	ser-scale --fit sc.tsv feat.tsv >a.tsv
	ser-scale -s sc.tsv <feat.tsv >b.tsv
	cmp a.tsv b.tsv
}

@test "ser-scale: columns that differ from the scaler's are an error" {
	ser-scale --fit sc.tsv feat.tsv >/dev/null
	cut -f1,3,2,4-6 feat.tsv | awk -F'\t' -v OFS='\t' '{ t = $2; $2 = $3; $3 = t; print }' >swapped.tsv
	run --separate-stderr ser-scale -s sc.tsv swapped.tsv
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"column 2 is 'f2', expected 'f1'"* ]]
	cut -f1-5 feat.tsv >fewer.tsv
	run ser-scale -s sc.tsv fewer.tsv
	[ "$status" -eq 1 ]
	[[ "$output" == *"missing: 'const'"* ]]
}

@test "ser-scale --fit --weight: exactly the matched columns change, by their factor; -s reproduces it" {
	sed '1s/f1/word0/; 1s/f2/word1/' feat.tsv >w.tsv
	ser-scale --fit sc0.tsv w.tsv >plain.tsv
	ser-scale --fit sc.tsv --weight word=0.5 --weight word1=2 --weight const=3 w.tsv >weighted.tsv
	[ "$(head -1 weighted.tsv)" = "$(head -1 w.tsv)" ]
	# word0 x 0.5, word1 x 2 (the later option wins), f3 and f4 byte for byte
	# the same, the constant column still 0
	paste plain.tsv weighted.tsv | awk -F'\t' 'NR > 1 { n++
		if ($1 != $7) bad = "id " NR
		d0 = $8 - 0.5 * $2; d1 = $9 - 2 * $3
		if (d0 > 1e-7 || d0 < -1e-7 || d1 > 1e-7 || d1 < -1e-7) bad = "word, line " NR
		if ($2 == 0 || $3 == 0) zero++
		if ($10 != $4 || $11 != $5) bad = "unweighted column changed, line " NR
		if ($12 != 0 || $6 != 0) bad = "const, line " NR }
		END { if (n != 72 || zero > 4) bad = bad " n=" n; if (bad != "") { print bad; exit 1 } }'
	head -1 sc.tsv | grep -qx "$(printf 'id\tmean\tsd\tweight')"
	[ "$(cut -f1,4 sc.tsv | tr '\t\n' ': ')" = "id:weight word0:0.5 word1:2 f3:1 f4:1 const:3 " ]
	cmp <(cut -f1-3 sc.tsv) sc0.tsv
	ser-scale -s sc.tsv w.tsv >applied.tsv
	cmp weighted.tsv applied.tsv
	# weights of 1 change nothing, not even the scaler file's form
	ser-scale --fit sc1.tsv --weight word=1 w.tsv >one.tsv
	cmp sc0.tsv sc1.tsv
	cmp plain.tsv one.tsv
}

@test "ser-scale --weight: a weighted scaler goes through ser-train into the model and back out via -m" {
	ser-scale --fit sc.tsv --weight f1=0.57735 --weight f4=2 feat.tsv >scaled.tsv
	ser-train -l lab.tsv -s sc.tsv -o m -g speaker --log2c 0 --log2g -1 scaled.tsv 2>/dev/null
	cmp sc.tsv m/scaler.tsv
	ser-scale -m m feat.tsv >again.tsv
	cmp scaled.tsv again.tsv
	run --separate-stderr sh -c 'ser-scale -m m feat.tsv | ser-predict -m m'
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 73 ]
	# the model still checks the table's columns against the scaler's names
	sed '1s/f1/g1/' scaled.tsv >renamed.tsv
	run --separate-stderr ser-predict -m m renamed.tsv
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"'g1', expected 'f1'"* ]]
	# an unweighted table is not the weighted model's: f1's values differ
	ser-scale --fit plain-sc.tsv feat.tsv >plain.tsv
	! cmp -s plain.tsv scaled.tsv
}

@test "ser-scale --weight refusals: malformed is a usage error, a prefix matching nothing a data error" {
	sed '1s/f1/word0/; 1s/f2/word1/' feat.tsv >w.tsv
	# exit status, --weight argument, a piece of the message
	while IFS='|' read -r want arg msg; do
		run --separate-stderr ser-scale --fit sc.tsv --weight "$arg" w.tsv
		[ "$status" -eq "$want" ] || { echo "'$arg': status $status, want $want"; return 1; }
		[ -z "$output" ] || { echo "'$arg' wrote to stdout"; return 1; }
		[[ "$stderr" == "ser-scale: "* && "$stderr" == *"option --weight"* && "$stderr" == *"$msg"* ]] ||
			{ echo "'$arg': $stderr"; return 1; }
		[ ! -e sc.tsv ] || { echo "'$arg' left a scaler"; return 1; }
	done <<-'EOF'
		2|word|'word' is not prefix=w
		2|word=|empty value
		2|word=0|must be in (0, 1000]
		2|word=-1|must be in (0, 1000]
		2|word=1001|must be in (0, 1000]
		2|word=x|'x' is not a number
		2|word=nan|'nan' is not a number
		2|word=0.5 |is not a number
		2|=2|empty prefix
		1|nomatch=0.5|w.tsv:1: option --weight: no column starts with 'nomatch'
		1|Word=0.5|no column starts with 'Word'
	EOF
	ser-scale --fit sc.tsv w.tsv >/dev/null
	run --separate-stderr ser-scale -s sc.tsv --weight word=2 w.tsv
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"--weight goes with --fit"* ]]
	run --separate-stderr ser-scale --fit sc2.tsv --weight word=2 --weight nomatch=2 w.tsv
	[ "$status" -eq 1 ]
	[ ! -e sc2.tsv ]
}

@test "ser-scale: a scaler whose weight column holds 0, a negative, NaN, Inf or text is refused" {
	ser-scale --fit sc.tsv --weight f=0.5 feat.tsv >/dev/null
	mkdir m
	for w in 0 -1 -0 NaN inf x '' 1e999; do
		awk -F'\t' -v OFS='\t' -v w="$w" 'NR == 3 { $4 = w } { print }' sc.tsv >bad.tsv
		run --separate-stderr ser-scale -s bad.tsv feat.tsv
		[ "$status" -eq 1 ] || { echo "'$w': status $status"; return 1; }
		[ -z "$output" ] || { echo "'$w' wrote to stdout"; return 1; }
		[[ "$stderr" == "ser-scale: bad.tsv:3: column 'weight': "* ]] || { echo "'$w': $stderr"; return 1; }
		cp bad.tsv m/scaler.tsv
		run --separate-stderr ser-scale -m m feat.tsv
		[ "$status" -eq 1 ] && [[ "$stderr" == *"m/scaler.tsv:3: column 'weight'"* ]] || { echo "-m '$w': $stderr"; return 1; }
	done
	printf 'id\tmean\tsd\tscale\nf1\t0\t1\t2\n' >other.tsv
	run --separate-stderr ser-scale -s other.tsv feat.tsv
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"other.tsv:1: a scaler has the columns id, mean, sd (and optionally weight)"* ]]
}

@test "bad feature tables: no id column, duplicate id, empty id, NaN, Inf, garbage, ragged row" {
	sed '1s/^id/key/' feat.tsv >noid.tsv
	sed '3s/^[^\t]*/spk1\/u1_1.wav/' feat.tsv >dup.tsv
	sed '3s/^[^\t]*//' feat.tsv >empty.tsv
	sed '4s/\t[^\t]*$/\tnan/' feat.tsv >nan.tsv
	sed '4s/\t[^\t]*$/\tinf/' feat.tsv >inf.tsv
	sed '4s/\t[^\t]*$/\t1.5x/' feat.tsv >junk.tsv
	sed '5s/\t[^\t]*$//' feat.tsv >ragged.tsv
	for f in noid dup empty nan inf junk ragged; do
		run --separate-stderr ser-scale --fit sc-$f.tsv $f.tsv
		[ "$status" -eq 1 ] || { echo "$f: status $status"; return 1; }
		[[ "$stderr" == "ser-scale: $f.tsv:"* ]] || { echo "$f: $stderr"; return 1; }
		[ ! -e sc-$f.tsv ] || { echo "$f: left a scaler"; return 1; }
	done
	ser-scale --fit sc.tsv feat.tsv >/dev/null
	run ser-scale -s sc.tsv dup.tsv
	[ "$status" -eq 1 ]
	[[ "$output" == *"duplicate id"* ]]
	run ser-scale -s sc.tsv nan.tsv
	[ "$status" -eq 1 ]
	[[ "$output" == *"nan.tsv:4: column 'const'"* ]]
}

@test "ser-train writes a model directory that libsvm's svm-predict loads" {
	train
	for f in model.svm scaler.tsv classes.tsv description.tsv; do [ -s "m/$f" ]; done
	[ "$(cut -f1 m/classes.tsv | tr '\n' ' ')" = "id angry sad calm " ]
	grep -Eq "^cv_uar	(0\.[0-9]{4}|1\.0000)$" m/description.tsv
	grep -q '^cv	3 folds grouped by speaker\|^cv	4 folds grouped by speaker' m/description.tsv
	cmp sc.tsv m/scaler.tsv
	ls -d m.* 2>/dev/null && return 1
	if command -v svm-predict >/dev/null; then
		awk -F'\t' 'NR > 1 { printf "1"; for (i = 2; i <= NF; i++) printf " %d:%s", i - 1, $i; print "" }' \
			scaled.tsv >x.svm
		svm-predict -b 1 x.svm m/model.svm out.txt >/dev/null
		[ "$(head -1 out.txt)" = "labels 1 2 3" ]
	fi
}

@test "ser-train is deterministic for a seed, whatever the number of threads" {
	train -j 1
	mv m m1
	train -j 2
	diff -r m1 m
}

@test "ser-train --map and --drop shape the classes" {
	train --map calm=neutral --drop sad
	[ "$(cut -f1 m/classes.tsv | tr '\n' ' ')" = "id angry neutral " ]
	grep -q '^label_map	calm=neutral,drop sad$' m/description.tsv
	grep -q '^utterances	48$' m/description.tsv
}

@test "ser-train refusals: no label, missing columns, one class, other columns than the scaler" {
	ser-scale --fit sc.tsv feat.tsv >scaled.tsv
	grep -v 'spk2/u3_1' lab.tsv >lab-missing.tsv
	run --separate-stderr ser-train -l lab-missing.tsv -s sc.tsv -o m scaled.tsv
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"id 'spk2/u3_1.wav' has no row in the label table"* ]]
	run ser-train -l lab.tsv -s sc.tsv -o m -c emotion scaled.tsv
	[ "$status" -eq 1 ]
	[[ "$output" == *"no label column 'emotion'"* ]]
	run ser-train -l lab.tsv -s sc.tsv -o m -g spk scaled.tsv
	[ "$status" -eq 1 ]
	[[ "$output" == *"no group column 'spk'"* ]]
	run ser-train -l lab.tsv -s sc.tsv -o m --drop sad --drop calm scaled.tsv
	[ "$status" -eq 1 ]
	[[ "$output" == *"1 class left"* ]]
	cut -f1-5 scaled.tsv >fewer.tsv
	run ser-train -l lab.tsv -s sc.tsv -o m fewer.tsv
	[ "$status" -eq 1 ]
	printf 'id\tlabel\n' >nolabels.tsv
	run ser-train -l nolabels.tsv -s sc.tsv -o m scaled.tsv
	[ "$status" -eq 1 ]
	[ ! -e m ]
}

@test "ser-train never replaces a directory that is not a model" {
	ser-scale --fit sc.tsv feat.tsv >scaled.tsv
	mkdir precious
	echo keep >precious/notes.txt
	run ser-train -l lab.tsv -s sc.tsv -o precious --log2c 0 --log2g -1 scaled.tsv
	[ "$status" -eq 1 ]
	[[ "$output" == *"not a model directory"* ]]
	[ "$(cat precious/notes.txt)" = keep ]
	[ "$(ls -d precious* | wc -l)" -eq 1 ]
}

@test "ser-train bad options exit 2" {
	for args in "-s sc.tsv -o m" "-l lab.tsv -o m" "-l lab.tsv -s sc.tsv" \
		"-l lab.tsv -s sc.tsv -o m -k 1" "-l lab.tsv -s sc.tsv -o m --log2c 1:x:1" \
		"-l lab.tsv -s sc.tsv -o m --log2g 3:1:1" "-l lab.tsv -s sc.tsv -o m --map calm" \
		"-l lab.tsv -s sc.tsv -o m --note novalue" "-l lab.tsv -s sc.tsv -o m -j 0"; do
		run ser-train $args feat.tsv
		[ "$status" -eq 2 ] || { echo "$args: status $status"; return 1; }
	done
}

@test "ser-predict: the probability table, rows summing to 1, the model's class order" {
	train
	run --separate-stderr sh -c 'ser-scale -m m feat.tsv | ser-predict -m m'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "$(printf 'id\tpredicted\tconfidence\tangry\tsad\tcalm')" ]
	[ "${#lines[@]}" -eq 73 ]
	printf '%s\n' "${lines[@]}" | awk -F'\t' 'NR > 1 { s = $4 + $5 + $6; m = $4; p = "angry"
		if ($5 > m) { m = $5; p = "sad" } if ($6 > m) { m = $6; p = "calm" }
		if (s < 0.9999 || s > 1.0001 || p != $2 || m != $3) bad = 1 } END { exit bad }'
	# trained and tested on the same easy data: nearly all right
	ser-scale -m m feat.tsv >s.tsv
	ser-predict -m m s.tsv >p.tsv
	ser-eval -l lab.tsv p.tsv >ev.tsv
	awk -F'\t' '$1 == "accuracy" { found = 1; ok = $2 > 0.9 } END { exit !(found && ok) }' ev.tsv
}

@test "ser-predict --json: the web answer's shape per row" {
	train
	ser-scale -m m feat.tsv >s.tsv
	ser-predict -m m --json s.tsv >out.jsonl
	[ "$(wc -l <out.jsonl)" -eq 72 ]
	head -1 out.jsonl | grep -Eq '^\{"id": "spk1/u1_1.wav", "predicted_emotion": "(angry|sad|calm)", "confidence": [0-9.e-]+, "probabilities": \{"angry": [0-9.e-]+, "sad": [0-9.e-]+, "calm": [0-9.e-]+\}\}$'
}

@test "ser-predict: a missing model says where it looked and how to make one" {
	ser-scale --fit sc.tsv feat.tsv >scaled.tsv
	run --separate-stderr ser-predict -m nowhere scaled.tsv
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[[ "$stderr" == *nowhere* ]]
	[[ "$stderr" == *"make model"* ]]
	run --separate-stderr ser-scale -m nowhere scaled.tsv
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"nowhere/scaler.tsv"* ]]
	run ser-predict scaled.tsv
	[ "$status" -eq 2 ]
}

@test "ser-predict: a corrupt model is an error, never a crash" {
	train
	good=$(cat m/model.svm)
	cp -r m bad
	head -c 300 m/model.svm >bad/model.svm                         # truncated
	run ser-predict -m bad scaled.tsv; [ "$status" -eq 1 ] || return 1
	sed 's/^total_sv .*/total_sv 999999/' m/model.svm >bad/model.svm # a lying count
	run ser-predict -m bad scaled.tsv; [ "$status" -eq 1 ] || return 1
	sed 's/^nr_class .*/nr_class 7/' m/model.svm >bad/model.svm
	run ser-predict -m bad scaled.tsv; [ "$status" -eq 1 ] || return 1
	sed '/^probA/d' m/model.svm >bad/model.svm                     # no probabilities
	run ser-predict -m bad scaled.tsv; [ "$status" -eq 1 ] && [[ "$output" == *probA* ]] || return 1
	sed '$s/ 5:[^ ]*/ 9:1/' m/model.svm >bad/model.svm              # index beyond the features
	run ser-predict -m bad scaled.tsv; [ "$status" -eq 1 ] || return 1
	cp m/model.svm bad/model.svm
	printf 'id\tsvm_label\nangry\t1\nsad\t3\ncalm\t2\n' >bad/classes.tsv # other label order
	run ser-predict -m bad scaled.tsv; [ "$status" -eq 1 ] || return 1
	printf 'id\tmean\tsd\nf1\t0\t1\n' >bad/scaler.tsv                  # fewer features than the SVs use
	run ser-predict -m bad scaled.tsv; [ "$status" -eq 1 ] || return 1
	[ "$(cat m/model.svm)" = "$good" ]
}

@test "ser-predict: a table whose columns differ from the model's is an error" {
	train
	cut -f1-5 scaled.tsv >fewer.tsv
	run --separate-stderr ser-predict -m m fewer.tsv
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"expected 5"* ]]
	sed '1s/f1/g1/' scaled.tsv >renamed.tsv
	run --separate-stderr ser-predict -m m renamed.tsv
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"'g1', expected 'f1'"* ]]
	sed '2s/\t[^\t]*$/\tNaN/' scaled.tsv >nan.tsv
	run --separate-stderr ser-predict -m m nan.tsv
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"nan.tsv:2: column 'const'"* ]]
}

@test "ser-eval: metrics of a known confusion" {
	printf 'id\tpredicted\tconfidence\ta\tb\n' >p.tsv
	printf 'x1\ta\t0.9\t0.9\t0.1\nx2\ta\t0.6\t0.6\t0.4\nx3\tb\t0.7\t0.3\t0.7\nx4\tb\t0.8\t0.2\t0.8\nx5\tb\t0.8\t0.2\t0.8\n' >>p.tsv
	printf 'id\tlabel\nx1\ta\nx2\tb\nx3\tb\nx4\tb\nx5\ta\nx6\ta\n' >l.tsv
	run ser-eval -l l.tsv p.tsv
	[ "$status" -eq 0 ]
	# truth a: x1 (a), x5 (b); truth b: x2 (a), x3 x4 (b)
	[[ "$output" == *"$(printf 'accuracy\t0.6000')"* ]]
	[[ "$output" == *"$(printf 'uar\t0.5833')"* ]]
	[[ "$output" == *"$(printf 'macro_precision\t0.5833')"* ]]
	[[ "$output" == *"$(printf 'a\t2\t0.5000\t0.5000\t0.5000')"* ]]
	run -0 ser-eval -l l.tsv --confusion p.tsv
	[ "$output" = "$(printf 'id\ta\tb\na\t1\t1\nb\t1\t2')" ]
	run -0 ser-eval -l l.tsv --json p.tsv
	[[ "$output" == '{"n": 5, "accuracy": 0.6000, '*'"confusion": [[1, 1], [1, 2]]}' ]]
	run -0 ser-eval -l l.tsv --map b=a p.tsv
	[[ "$output" == *"$(printf 'accuracy\t0.4000')"* ]]
	run -0 ser-eval -l l.tsv --drop a p.tsv
	[[ "$output" == *"$(printf 'n\t3')"* ]]
}

@test "ser-eval refusals: prediction without label, no predicted column, bad probability" {
	printf 'id\tpredicted\tconfidence\ta\tb\nx1\ta\t0.9\t0.9\t0.1\nx9\tb\t0.8\t0.2\t0.8\n' >p.tsv
	printf 'id\tlabel\nx1\ta\n' >l.tsv
	run ser-eval -l l.tsv p.tsv
	[ "$status" -eq 1 ]
	[[ "$output" == *"id 'x9' has no row in the label table"* ]]
	printf 'id\tguess\nx1\ta\n' >q.tsv
	run ser-eval -l l.tsv q.tsv
	[ "$status" -eq 1 ]
	[[ "$output" == *"no 'predicted' column"* ]]
	printf 'id\tpredicted\tconfidence\ta\tb\nx1\ta\t1.5\t0.9\t0.1\n' >r.tsv
	run ser-eval -l l.tsv r.tsv
	[ "$status" -eq 1 ]
	[[ "$output" == *"column 'confidence'"* ]]
	printf 'id\tpredicted\tconfidence\ta\tb\nx1\tc\t0.9\t0.9\t0.1\n' >s.tsv
	run ser-eval -l l.tsv s.tsv
	[ "$status" -eq 1 ]
	run ser-eval p.tsv
	[ "$status" -eq 2 ]
}

# a tiny model on the seed set of the project's own test recordings
seed_model() {
	ls "$SER_TOP"/testdata/audio/*.wav | head -8 >list.txt
	ser-features --set seed -T list.txt >seed.tsv
	awk -F'\t' 'NR == 1 { print "id\tlabel"; next } { print $1 "\t" (NR % 2 ? "happy" : "sad") }' seed.tsv >seedlab.tsv
	ser-scale --fit seedsc.tsv seed.tsv >seedscaled.tsv
	ser-train -l seedlab.tsv -s seedsc.tsv -o seedm -k 2 --log2c 0 --log2g -5 --note feature_set=seed seedscaled.tsv
}

@test "ser-analyze: decode, features, scale, predict with a model's own feature set" {
	seed_model
	f=$(head -1 list.txt)
	run --separate-stderr ser-analyze -m seedm "$f"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "$(printf 'id\tpredicted\tconfidence\thappy\tsad')" ]
	[[ "${lines[1]}" == "$f	"* ]]
	run --separate-stderr ser-analyze -m seedm --json "$f"
	[ "$status" -eq 0 ]
	[[ "$output" == '{"id": '*'"probabilities": {"happy": '* ]]
	if command -v ser-plot >/dev/null; then
		run --separate-stderr ser-analyze -m seedm --chart chart.png "$f"
		[ "$status" -eq 0 ]
		[ "${#lines[@]}" -eq 2 ]
		[ "$(head -c 4 chart.png | tail -c 3)" = PNG ]
		run ser-analyze -m seedm --chart chart.png "$f" "$f"
		[ "$status" -eq 2 ]
	fi
}

@test "ser-analyze: no model, no file, a bad option" {
	run --separate-stderr ser-analyze -m nowhere "$SER_TOP/testdata/audio/speech.flac"
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"make model"* ]]
	run ser-analyze
	[ "$status" -eq 2 ]
	run ser-analyze --bogus x.wav
	[ "$status" -eq 2 ]
	seed_model
	run --separate-stderr ser-analyze -m seedm no-such-file.wav
	[ "$status" -eq 1 ]
	[[ "$stderr" == *no-such-file.wav* ]]
}

# bad m/model.svm in ./bad; expect exit 1 and the message (a glob)
bad_svm() {
	run --separate-stderr ser-predict -m bad scaled.tsv
	[ "$status" -eq 1 ] && [ -z "$output" ] && [[ "$stderr" == $1 ]] || {
		echo "status $status, stderr: $stderr; wanted $1"
		return 1
	}
}

@test "ser-predict: model.svm's body is checked line by line (file:line: what)" {
	train
	cp -r m bad
	last=$(wc -l <m/model.svm); nsv=$((last - 11)) # 10 header lines, then SV, then the SVs
	sed '$s/ 1:.*/ 1:/' m/model.svm >bad/model.svm                   # truncated SV line
	bad_svm "*model.svm:$last: bad support vector element '1:'*" || return 1
	sed '$s/ .*//' m/model.svm >bad/model.svm                         # only one coefficient left
	bad_svm "*model.svm:$last: support vector with fewer than 2 coefficients*" || return 1
	# total_sv (and nr_sv with it) one more / one less than the lines present
	awk '/^total_sv/ {$2++} /^nr_sv/ {$2++} 1' m/model.svm >bad/model.svm
	bad_svm "*model.svm:*: $nsv support vectors, total_sv says $((nsv + 1)) (truncated?)*" || return 1
	awk '/^total_sv/ {$2--} /^nr_sv/ {$2--} 1' m/model.svm >bad/model.svm
	bad_svm "*model.svm:$last: more support vectors than total_sv $((nsv - 1))*" || return 1
	awk '/^total_sv/ {$2 = 9000000} /^nr_sv/ {$2 = 9000000 - $3 - $4} 1' m/model.svm >bad/model.svm
	bad_svm "*model.svm:*: $nsv support vectors, total_sv says 9000000*" || return 1
	sed '$s/ 1:/ 0:/' m/model.svm >bad/model.svm                      # feature index 0
	bad_svm "*model.svm:$last: bad support vector element '0:*" || return 1
	sed '$s/ 1:/ -1:/' m/model.svm >bad/model.svm                     # negative index
	bad_svm "*model.svm:$last: bad support vector element '-1:*" || return 1
	sed '$s/ 2:/ 1:/' m/model.svm >bad/model.svm                      # not increasing
	bad_svm "*model.svm:$last: bad support vector element '1:*indices ascending*" || return 1
	sed '12s/^[^ ]*/nan/' m/model.svm >bad/model.svm                   # NaN coefficient
	bad_svm "*model.svm:12: coefficient: 'nan' is not a number*" || return 1
	sed '12s/ 3:[^ ]*/ 3:nan/' m/model.svm >bad/model.svm              # NaN value
	bad_svm "*model.svm:12: bad support vector element '3:nan'*" || return 1
	sed 's/^nr_sv .*/nr_sv 1073741824 0 0/' m/model.svm >bad/model.svm # 1 GB claimed
	bad_svm "*model.svm:10: 'nr_sv': '1073741824' is out of range*" || return 1
	sed 's/^total_sv .*/total_sv 1073741824/' m/model.svm >bad/model.svm
	bad_svm "*model.svm:5: 'total_sv': '1073741824' is out of range*" || return 1
	sed 's/^label .*/label 1 2 2/' m/model.svm >bad/model.svm
	bad_svm "*model.svm:7: label 2 twice*" || return 1
	{ head -n 3 m/model.svm; printf 'degree\0 3\n'; tail -n +4 m/model.svm; } >bad/model.svm
	bad_svm "*model.svm:4: NUL byte*" || return 1
	rm bad/model.svm
	mkfifo bad/model.svm                                              # never blocks on a FIFO
	bad_svm "*model.svm: not a regular file*" || return 1
	rm bad/model.svm
	mkdir bad/model.svm
	bad_svm "*model.svm: not a regular file*" || return 1
}
