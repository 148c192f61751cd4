#!/usr/bin/env bats
# scripts/corpus-evaluate, corpus-labels and corpus-channel on tiny synthetic
# corpora named like the real ones (fake EMO-DB, RAVDESS and TESS speakers,
# feature tables without audio, but for one corpus-channel run on 0.4 s
# tones): each protocol's table row, which rows it tests, that no test
# speaker reaches its model, and every refusal. Grids are one point and two
# folds, so the whole file runs in seconds.

bats_require_minimum_version 1.5.0

# tables MODE: feat.tsv and lab.tsv for 13 speakers, 3 utterances per class:
#   emodb   03 08 09 10                    angry sad neutral boredom
#   ravdess Actor_01 05 09 13 17 21 22     angry sad neutral calm
#   tess    OAF YAF                        angry sad neutral
# MODE class: class k shifts column k of 4 (boredom and calm share column 4),
# so any speaker-independent classifier learns it. MODE speaker: every
# speaker has 4 columns of its own, 0 but for the one its class k sets, and 2
# columns of noise are shared: only a model that saw the speaker's rows can
# tell its classes apart (to one fit on other speakers its columns are
# constant). awk's generator is seeded: fixed data.
tables() {
	awk -v mode="$1" 'BEGIN {
		srand(11)
		nsp = split("emodb:03 emodb:08 emodb:09 emodb:10 ravdess:Actor_01 ravdess:Actor_05 " \
			"ravdess:Actor_09 ravdess:Actor_13 ravdess:Actor_17 ravdess:Actor_21 ravdess:Actor_22 " \
			"tess:OAF tess:YAF", sp, " ")
		four["emodb"] = "boredom"; four["ravdess"] = "calm"
		ncol = mode == "speaker" ? 4 * nsp + 2 : 4
		printf "id" > "feat.tsv"
		for (j = 1; j <= ncol; j++) printf "\tf%d", j > "feat.tsv"
		printf "\n" > "feat.tsv"
		print "id\tlabel\tspeaker\tcorpus" > "lab.tsv"
		for (s = 1; s <= nsp; s++) {
			split(sp[s], cs, ":")
			ncls = split("angry sad neutral " four[cs[1]], cls, " ")
			for (c = 1; c <= ncls; c++) for (u = 1; u <= 3; u++) {
				id = sprintf("%s/%s/u%d_%s.flac", cs[1], cs[2], u, cls[c])
				printf "%s", id > "feat.tsv"
				for (j = 1; j <= ncol; j++)
					if (mode != "speaker")
						printf "\t%.6f", rand() - 0.5 + (j == c ? 1.5 : 0) + 0.05 * s > "feat.tsv"
					else if (j > 4 * nsp)
						printf "\t%.6f", rand() - 0.5 > "feat.tsv"
					else
						printf "\t%.6f", j == 4 * (s - 1) + c ? 1.5 + 0.2 * (rand() - 0.5) : 0 > "feat.tsv"
				printf "\n" > "feat.tsv"
				printf "%s\t%s\t%s\t%s\n", id, cls[c], sp[s], cs[1] > "lab.tsv"
			}
		}
	}'
}

# one-point grids and 2 folds, for the per-corpus protocols and the big ones
grids() {
	export EVAL_LOG2C=1 EVAL_LOG2G=-2 EVAL_FOLDS=2
	export EVAL_BIG_LOG2C=1 EVAL_BIG_LOG2G=-2 EVAL_BIG_FOLDS=2
}

# a ser-train first on PATH (bin/) that appends its arguments to train.args
log_train_args() {
	local real
	real=$(command -v ser-train)
	mkdir bin
	cat >bin/ser-train <<EOF
#!/bin/sh
echo "\$*" >>"$PWD/train.args"
exec "$real" "\$@"
EOF
	chmod +x bin/ser-train
}

# a ser-train first on PATH (bin/) that keeps each fold's split in folds/N/
# (train.tsv and test.tsv sit next to the table it is given, its last
# argument)
keep_folds() {
	local real
	real=$(command -v ser-train)
	mkdir -p bin folds
	cat >bin/ser-train <<EOF
#!/bin/sh
for a; do last=\$a; done
d=\$(dirname "\$last") n=\$(ls "$PWD/folds" | wc -l)
mkdir "$PWD/folds/\$n" && cp "\$d/train.tsv" "\$d/test.tsv" "$PWD/folds/\$n/"
exec "$real" "\$@"
EOF
	chmod +x bin/ser-train
}

setup() {
	cd "$BATS_TEST_TMPDIR" || return 1
	grids
	tables class
}

# One run of every protocol with -o, shared by the tests that only read it:
# full/ (the kept directory), full.md (stdout), full.err, full.status.
setup_file() {
	cd "$BATS_FILE_TMPDIR" || return 1
	grids
	tables class
	status=0
	corpus-evaluate -o full feat.tsv lab.tsv >full.md 2>full.err || status=$?
	echo "$status" >full.status
}

# ids COND: the ids of lab.tsv whose row satisfies the awk expression COND
# over label, speaker and corpus, sorted: what a protocol should test.
ids() {
	awk -F'\t' "NR > 1 { label = \$2; speaker = \$3; corpus = \$4; if ($1) print \$1 }" lab.tsv | sort
}

# The rows every protocol should test, in the order of the default table.
# pooled and cross-corpus score the shipped 7 classes: calm and boredom dropped.
expected() {
	local seven='label != "calm" && label != "boredom"'
	printf '%s\t%s\t%s\t%s\n' \
		emodb "EMO-DB, 7 native classes, leave-one-speaker-out (10 folds)" 0.75 'corpus == "emodb"' \
		ravdess-holdout "RAVDESS speech, 8 native classes, actors 21-24 held out" 0.59 \
		'speaker ~ /^ravdess:Actor_2[1-4]$/' \
		ravdess-6fold "RAVDESS speech, 8 native classes, 6 folds by actor" 0.59 'corpus == "ravdess"' \
		tess "TESS, 7 classes, train on one speaker, test on the other (both ways)" 0.47 'corpus == "tess"' \
		pooled "shipped 7-class set-up, 5 folds of speakers across EMO-DB+RAVDESS+TESS" - "$seven" \
		cross-emodb "cross-corpus: train on the other two, test on emodb (7 classes)" - "corpus == \"emodb\" && $seven" \
		cross-ravdess "cross-corpus: train on the other two, test on ravdess (7 classes)" - \
		"corpus == \"ravdess\" && $seven" \
		cross-tess "cross-corpus: train on the other two, test on tess (7 classes)" - "corpus == \"tess\" && $seven"
}

@test "corpus-evaluate: every protocol is one Markdown row: the published figure, UAR far above chance, the rows it should test" {
	cd "$BATS_FILE_TMPDIR" || return 1
	[ "$(cat full.status)" -eq 0 ]
	mapfile -t lines <full.md
	[ "${#lines[@]}" -eq 10 ]
	[ "${lines[0]}" = "| protocol | published (hand-crafted+SVM) | ours: UAR | accuracy | test utterances |" ]
	[ "${lines[1]}" = "|---|---|---|---|---|" ]
	i=2
	while IFS=$'\t' read -r name title pub cond; do
		n=$(ids "$cond" | wc -l)
		row=${lines[i]}
		i=$((i + 1))
		[[ "$row" =~ ^\|\ ([^|]+)\ \|\ ([^|]+)\ \|\ ([01]\.[0-9]{3})\ \|\ ([01]\.[0-9]{3})\ \|\ ([0-9]+)\ \|$ ]] ||
			{ echo "$name: not a table row: $row"; return 1; }
		[ "${BASH_REMATCH[1]}" = "$title" ] || { echo "$name: title: $row"; return 1; }
		[ "${BASH_REMATCH[2]}" = "$pub" ] || { echo "$name: published: $row"; return 1; }
		# 3 or 4 classes: chance is at most 0.33
		awk -v u="${BASH_REMATCH[3]}" 'BEGIN { exit !(u >= 0.8) }' || { echo "$name: UAR: $row"; return 1; }
		[ "${BASH_REMATCH[5]}" -eq "$n" ] || { echo "$name: $n rows expected: $row"; return 1; }
		[ -s "full/$name.eval" ] || { echo "$name: no evaluation kept"; return 1; }
	done < <(expected)
	[ "$i" -eq 10 ]
	# the table on stdout, progress on stderr
	grep -q '^corpus-evaluate: done in' full.err
	[ "$(grep -c "^|" full.err)" -eq 0 ]
}

@test "corpus-evaluate -o: each protocol's pooled probabilities hold every tested id exactly once" {
	cd "$BATS_FILE_TMPDIR" || return 1
	[ "$(cat full.status)" -eq 0 ]
	while IFS=$'\t' read -r name title pub cond; do
		# ser-eval leaves out the dropped classes; the probabilities keep their rows
		case $name in pooled) cond=1 ;; cross-*) cond="corpus == \"${name#cross-}\"" ;; esac
		[ "$(head -1 "full/$name.probs" | cut -f1-3)" = "$(printf 'id\tpredicted\tconfidence')" ] ||
			{ echo "$name: header"; return 1; }
		tail -n +2 "full/$name.probs" | cut -f1 | sort >"$BATS_TEST_TMPDIR/got"
		ids "$cond" >"$BATS_TEST_TMPDIR/want"
		[ -s "$BATS_TEST_TMPDIR/want" ] || { echo "$name: no rows to test"; return 1; }
		cmp "$BATS_TEST_TMPDIR/want" "$BATS_TEST_TMPDIR/got" ||
			{ echo "$name: ids differ or repeat:"; diff "$BATS_TEST_TMPDIR/want" "$BATS_TEST_TMPDIR/got" | head; return 1; }
	done < <(expected)
}

@test "corpus-evaluate -o: a rerun into the same directory replaces the probabilities, never appends" {
	corpus-evaluate -o out -p emodb feat.tsv lab.tsv 2>/dev/null >first.md
	cp out/emodb.probs first.probs
	corpus-evaluate -o out -p emodb feat.tsv lab.tsv 2>/dev/null >second.md
	cmp first.md second.md
	cmp first.probs out/emodb.probs
	[ "$(wc -l <out/emodb.probs)" -eq "$(($(ids 'corpus == "emodb"' | wc -l) + 1))" ]
	[ "$(wc -l <out/table.md)" -eq 1 ]
}

@test "corpus-evaluate -o: a rerun replaces only the files of the protocols it runs, and no scratch directory stays" {
	mkdir out
	echo mine >out/mine.probs
	corpus-evaluate -o out -p tess -p cross-corpus feat.tsv lab.tsv >/dev/null 2>&1
	[ ! -e out/fold ]
	cp out/tess.probs tess.first
	corpus-evaluate -o out -p emodb -p cross-corpus feat.tsv lab.tsv >/dev/null 2>&1
	[ ! -e out/fold ]
	# a file it did not write, and a protocol not rerun, are left as they were
	[ "$(cat out/mine.probs)" = mine ]
	cmp tess.first out/tess.probs
	[ -s out/tess.eval ]
	# cross-corpus writes one file per tested corpus: each replaced, none appended to
	for t in emodb ravdess tess; do
		[ "$(wc -l <"out/cross-$t.probs")" -eq "$(($(ids "corpus == \"$t\"" | wc -l) + 1))" ] ||
			{ echo "cross-$t: $(wc -l <"out/cross-$t.probs") lines"; return 1; }
	done
	# nor after a failure
	grep -v '^tess/' lab.tsv >notess.tsv
	run --separate-stderr corpus-evaluate -o out -p tess feat.tsv notess.tsv
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"tess: empty split"* ]]
	[ ! -e out/fold ]
	[ "$(cat out/mine.probs)" = mine ]
}

@test "corpus-evaluate: no fold of any protocol trains on one of its test speakers" {
	keep_folds
	PATH=$PWD/bin:$PATH corpus-evaluate feat.tsv lab.tsv >/dev/null 2>&1
	# emodb 4 speakers, ravdess-holdout 1, ravdess-6fold 6, tess 2, pooled 5, cross-corpus 3
	splits=(folds/*)
	[ "${#splits[@]}" -eq 21 ]
	for d in folds/*; do
		for side in train test; do
			awk -F'\t' 'FNR == NR { s[$1] = $3; next } FNR > 1 { print s[$1] }' \
				lab.tsv "$d/$side.tsv" | sort -u >"$side.spk"
		done
		[ -s train.spk ] && [ -s test.spk ] || { echo "$d: an empty side"; return 1; }
		[ -z "$(comm -12 train.spk test.spk)" ] || { echo "$d: on both sides: $(comm -12 train.spk test.spk)"; return 1; }
	done
}

@test "corpus-evaluate -a: every fold's words come from a codebook of its training recordings only" {
	# word0 and word1 as a table would have them (from a codebook that saw
	# every speaker), to be remade; the recordings are /a/ID
	awk -F'\t' -v OFS='\t' '{ print $0, NR == 1 ? "word0" : 9, NR == 1 ? "word1" : 9 }' feat.tsv >fw.tsv
	awk -F'\t' -v OFS='\t' 'NR > 1 { print $1, "/a/" $1 }' feat.tsv >audio.tsv
	# a ser-features first on PATH: --learn-codebook keeps its list (one
	# per fold, numbered) and writes a codebook; --set words writes word0 =
	# 2 f1 and word1 = 7 for every listed recording.
	keep_folds
	mkdir learn
	cat >bin/ser-features <<EOF
#!/bin/sh
for a; do last=\$a; done
case \$1 in
--learn-codebook) [ "\$2" = 2 ] || exit 9; cp "\$last" "$PWD/learn/\$(ls "$PWD/learn" | wc -l)"; echo codebook ;;
--set) [ "\$2" = words ] && [ "\$3" = --codebook ] && [ "\$(cat "\$4")" = codebook ] || exit 9
	awk -F'\\t' 'FNR == NR { if (FNR > 1) v["/a/" \$1] = 2 * \$2; next }
		FNR == 1 { print "id\\tword0\\tword1" } { print \$1 "\\t" v[\$1] "\\t7" }' "$PWD/feat.tsv" "\$last" ;;
*) exit 9 ;;
esac
EOF
	chmod +x bin/ser-features
	PATH=$PWD/bin:$PATH run --separate-stderr corpus-evaluate -a audio.tsv fw.tsv lab.tsv
	[ "$status" -eq 0 ] || { echo "$stderr"; return 1; }
	splits=(folds/*)
	[ "${#splits[@]}" -eq 21 ]
	[ "$(ls learn | wc -l)" -eq 21 ]
	for k in $(seq 0 20); do
		d=folds/$k
		sed 's#^/a/##' "learn/$k" | sort >learnt.ids
		tail -n +2 "$d/train.tsv" | cut -f1 | sort >train.ids
		tail -n +2 "$d/test.tsv" | cut -f1 | sort >test.ids
		# the codebook saw exactly the training recordings, never a test one
		cmp -s learnt.ids train.ids || { echo "$d: codebook not from the training rows"; return 1; }
		# and the words reaching the model are the fold's, after the
		# table's other columns; the table's own words are gone
		[ "$(head -n 1 "$d/train.tsv")" = "$(printf 'id\tf1\tf2\tf3\tf4\tword0\tword1')" ]
		awk -F'\t' 'FNR > 1 { e = $6 - 2 * $2; if (e > 1e-4 || e < -1e-4 || $7 != 7) bad = 1 } END { exit bad }' "$d/train.tsv" "$d/test.tsv"
	done
}

@test "corpus-evaluate -a: a table without words, or a row without a recording, exits 1 before any training" {
	awk -F'\t' -v OFS='\t' 'NR > 1 { print $1, "/a/" $1 }' feat.tsv >audio.tsv
	run --separate-stderr corpus-evaluate -a audio.tsv -p tess feat.tsv lab.tsv
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"feat.tsv:1: -a remakes the word columns"* ]]
	awk -F'\t' -v OFS='\t' '{ print $0, NR == 1 ? "word0" : 1 }' feat.tsv >fw.tsv
	grep -v '^tess/YAF/u2_sad' audio.tsv >some.tsv
	run --separate-stderr corpus-evaluate -a some.tsv -p tess fw.tsv lab.tsv
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"tess/YAF/u2_sad.flac: not in the audio table"* ]]
	[[ "$stderr" != *"trained on"* ]]
	run --separate-stderr corpus-evaluate -a nosuch.tsv -p tess fw.tsv lab.tsv
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"nosuch.tsv: no such file"* ]]
}

@test "corpus-evaluate: EVAL_SEED reaches every fold's ser-train, 1 by default" {
	log_train_args
	PATH=$PWD/bin:$PATH run -0 corpus-evaluate -p tess feat.tsv lab.tsv
	[ "$(grep -c -- '^--seed 1 ' train.args)" -eq 2 ]
	[ "$(wc -l <train.args)" -eq 2 ]
	rm train.args
	PATH=$PWD/bin:$PATH EVAL_SEED=7 run -0 corpus-evaluate -p tess -p emodb feat.tsv lab.tsv
	[ "$(grep -c -- '^--seed 7 ' train.args)" -eq 6 ]
	[ "$(wc -l <train.args)" -eq 6 ]
}

@test "corpus-evaluate: classes only a speaker's own rows reveal stay at chance under every protocol" {
	tables speaker
	# the data can be memorised: with every speaker on both sides of one
	# split (utterance 3 tested, 1 and 2 trained) it is classified at once
	awk -F'\t' 'NR == 1 || ($1 !~ /u3_/ && $1 ~ /^emodb/)' feat.tsv >train.tsv
	awk -F'\t' 'NR == 1 || ($1 ~ /u3_/ && $1 ~ /^emodb/)' feat.tsv >test.tsv
	ser-scale --fit sc.tsv train.tsv >train.scaled.tsv
	ser-train -l lab.tsv -s sc.tsv -o m -k 2 --log2c "$EVAL_LOG2C" --log2g "$EVAL_LOG2G" train.scaled.tsv 2>/dev/null
	ser-scale -m m test.tsv | ser-predict -m m | ser-eval -l lab.tsv >leak.eval
	awk -F'\t' '$1 == "uar" { exit !($2 >= 0.9) }' leak.eval
	# without a test speaker in training, nothing is learnt: 3 or 4 classes,
	# chance 0.25 or 0.33, and a leak would score as above
	run --separate-stderr corpus-evaluate feat.tsv lab.tsv
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 10 ]
	printf '%s\n' "${lines[@]:2}" | awk -F' [|] ' '{ print; if (!($3 + 0 < 0.5)) bad = 1 } END { exit bad }'
}

@test "corpus-evaluate -s: every speaker standardised on its own rows, and -b puts both runs side by side" {
	run --separate-stderr corpus-evaluate -s -o spk -p tess -p emodb feat.tsv lab.tsv
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"speaker normalisation"* ]]
	[ "$(wc -l <spk/spknorm.tsv)" -eq "$(wc -l <feat.tsv)" ]
	# per speaker, every column: mean 0, sd 1 (ser-scale's population sd)
	awk -F'\t' 'FNR == NR { s[$1] = $3; next } FNR > 1 { k = s[$1]; n[k]++
			for (j = 2; j <= NF; j++) { m[k, j] += $j; q[k, j] += $j * $j } }
		END { for (k in n) { nspk++; for (j = 2; j <= 5; j++) { a = m[k, j] / n[k]; v = q[k, j] / n[k] - a * a
				if (a > 1e-4 || a < -1e-4 || v < 0.999 || v > 1.001) { print k, j, a, v; bad = 1 } } }
			exit bad || nspk != 13 }' lab.tsv spk/spknorm.tsv
	plain=$(corpus-evaluate -p tess -p emodb feat.tsv lab.tsv 2>/dev/null | tail -n +3)
	run --separate-stderr corpus-evaluate -b -o both -p tess -p emodb feat.tsv lab.tsv
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "| protocol | published (hand-crafted+SVM) | ours, as shipped: UAR | accuracy | ours, speaker-normalised: UAR | accuracy | test utterances |" ]
	[ "${lines[1]}" = "|---|---|---|---|---|---|---|" ]
	[ "${#lines[@]}" -eq 4 ]
	# columns 3-4 are the plain run's, 5-6 the -s run's
	[ "$(printf '%s\n' "${lines[@]:2}" | cut -d'|' -f2-5,8-)" = "$(printf '%s\n' "$plain" | cut -d'|' -f2-)" ]
	[ "$(printf '%s\n' "${lines[@]:2}" | cut -d'|' -f2,3,6-)" = "$(cut -d'|' -f2- spk/table.md)" ]
	[ -s both/utterance/tess.probs ]
	[ -s both/speaker/spknorm.tsv ]
}

@test "corpus-evaluate: bad arguments exit 2 with the usage or the protocol named, before any training" {
	while IFS='|' read -r args want; do
		# shellcheck disable=SC2086
		run --separate-stderr corpus-evaluate $args
		[ "$status" -eq 2 ] || { echo "$args: status $status"; return 1; }
		[ -z "$output" ] || { echo "$args: stdout: $output"; return 1; }
		[[ "$stderr" == *"$want"* ]] || { echo "$args: stderr: $stderr"; return 1; }
		[[ "$stderr" != *"trained on"* ]] || { echo "$args: trained first"; return 1; }
	done <<'EOF'
|usage: corpus-evaluate [-s | -b] [-a audio] [-o dir] [-p protocol]... features labels
feat.tsv|usage: corpus-evaluate
feat.tsv lab.tsv extra|usage: corpus-evaluate
-x feat.tsv lab.tsv|usage: corpus-evaluate
-s -b feat.tsv lab.tsv|usage: corpus-evaluate
-p feat.tsv lab.tsv|usage: corpus-evaluate
-p bogus feat.tsv lab.tsv|corpus-evaluate: unknown protocol 'bogus'
-p tess -p ravdess feat.tsv lab.tsv|corpus-evaluate: unknown protocol 'ravdess'
-b -p emodb -p cross feat.tsv lab.tsv|corpus-evaluate: unknown protocol 'cross'
EOF
}

@test "corpus-evaluate: bad tables exit 1 naming the file, print no table and leave no temporary directory" {
	mkdir tmp adir
	export TMPDIR=$BATS_TEST_TMPDIR/tmp
	cut -f1,2,4 lab.tsv >nospeaker.tsv
	cut -f1-3 lab.tsv >nocorpus.tsv
	cut -f1,3,4 lab.tsv >nolabel.tsv
	awk -F'\t' -v OFS='\t' '{ print $2, $1, $3, $4 }' lab.tsv >idlast.tsv
	: >empty.tsv
	sed '1s/^id/key/' feat.tsv >noid.tsv
	grep -v '^tess/' lab.tsv >notess.tsv
	while IFS='|' read -r args want; do
		# shellcheck disable=SC2086
		run --separate-stderr corpus-evaluate $args
		[ "$status" -eq 1 ] || { echo "$args: status $status"; return 1; }
		[ -z "$output" ] || { echo "$args: stdout: $output"; return 1; }
		[[ "$stderr" == *"$want"* ]] || { echo "$args: stderr: $stderr"; return 1; }
		[ -z "$(ls tmp)" ] || { echo "$args: left $(ls tmp)"; return 1; }
	done <<'EOF'
-p emodb missing.tsv lab.tsv|corpus-evaluate: missing.tsv: no such file
-p emodb feat.tsv missing.tsv|corpus-evaluate: missing.tsv: no such file
-p emodb feat.tsv adir|corpus-evaluate: adir: no such file, or not a readable file
-p emodb feat.tsv nospeaker.tsv|corpus-evaluate: nospeaker.tsv:1: a label table needs id first and label, speaker and corpus columns
-s -p emodb feat.tsv nospeaker.tsv|corpus-evaluate: nospeaker.tsv:1: a label table needs
-p emodb feat.tsv nocorpus.tsv|corpus-evaluate: nocorpus.tsv:1: a label table needs
-p emodb feat.tsv nolabel.tsv|corpus-evaluate: nolabel.tsv:1: a label table needs
-p emodb feat.tsv idlast.tsv|corpus-evaluate: idlast.tsv:1: a label table needs id first
-p emodb feat.tsv empty.tsv|corpus-evaluate: empty.tsv:1: a label table needs
-p emodb lab.tsv feat.tsv|corpus-evaluate: feat.tsv:1: a label table needs
-p emodb noid.tsv lab.tsv|corpus-evaluate: noid.tsv:1: a feature table's first column is id
-p emodb empty.tsv lab.tsv|corpus-evaluate: empty.tsv:1: a feature table's first column is id
-p tess feat.tsv notess.tsv|corpus-evaluate: tess: empty split (0 train, 0 test)
EOF
}

@test "corpus-channel: a wrong argument count is a usage error" {
	for args in "" "a" "a b c" "a b c d e"; do
		# shellcheck disable=SC2086
		run --separate-stderr corpus-channel $args
		[ "$status" -eq 2 ] || { echo "'$args': status $status"; return 1; }
		[ -z "$output" ] && [[ "$stderr" == "usage: corpus-channel corpora features labels workdir" ]] ||
			{ echo "'$args': $stderr"; return 1; }
	done
}

@test "corpus-channel: a missing corpora, features or labels, or a workdir that is a file, exit 1 naming it before any copy" {
	mkdir -p corpora/emodb/03 noemodb nocopies/emodb/03 bin
	: >corpora/emodb/03/03a01Fa.flac
	# a sox that only says it was called: nothing may reach it
	printf '#!/bin/sh\necho called >>"%s/sox.called"\nexit 1\n' "$PWD" >bin/sox
	cp bin/sox bin/soxi
	chmod +x bin/sox bin/soxi
	while IFS='|' read -r args want; do
		# shellcheck disable=SC2086
		PATH=$PWD/bin:$PATH run --separate-stderr corpus-channel $args
		[ "$status" -eq 1 ] || { echo "$args: status $status"; return 1; }
		[ -z "$output" ] || { echo "$args: stdout: $output"; return 1; }
		[ "$stderr" = "$want" ] || { echo "$args: stderr: $stderr"; return 1; }
		[ ! -e work ] || { echo "$args: made work"; return 1; }
		[ ! -e sox.called ] || { echo "$args: ran sox"; return 1; }
	done <<'EOF'
nowhere feat.tsv lab.tsv work|corpus-channel: nowhere: no emodb directory (corpora is the directory holding emodb/)
noemodb feat.tsv lab.tsv work|corpus-channel: noemodb: no emodb directory (corpora is the directory holding emodb/)
corpora/emodb feat.tsv lab.tsv work|corpus-channel: corpora/emodb: no emodb directory (corpora is the directory holding emodb/)
nocopies feat.tsv lab.tsv work|corpus-channel: nocopies/emodb: no recordings (emodb/SPEAKER/FILE.flac)
corpora missing.tsv lab.tsv work|corpus-channel: missing.tsv: no such file, or not a readable file
corpora feat.tsv missing.tsv work|corpus-channel: missing.tsv: no such file, or not a readable file
corpora feat.tsv corpora work|corpus-channel: corpora: no such file, or not a readable file
corpora feat.tsv lab.tsv lab.tsv|corpus-channel: lab.tsv: not a directory
EOF
}

@test "corpus-channel: a table of other columns, or a sox that fails, exit 1 naming it, with no copy left half-made" {
	mkdir -p corpora/emodb/03 bin
	sox -R -n -r 16000 -c 1 corpora/emodb/03/03a01Fa.flac synth 0.4 sine 300
	# feat.tsv holds the synthetic columns, not ser-features' default set
	PATH=$PWD/bin:$PATH run --separate-stderr corpus-channel corpora feat.tsv lab.tsv work
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[ "$stderr" = "corpus-channel: feat.tsv: its columns are not ser-features' default set's (another feature set?)" ]
	[ ! -e work ]
	# the right columns, and a sox that fails on every file
	(cd corpora && ser-features emodb/03/03a01Fa.flac) >dfeat.tsv
	printf '#!/bin/sh\necho "sox FAIL formats: cannot open" >&2\nfor a; do last=$a; done\n: >"$last"\nexit 2\n' >bin/sox
	printf '#!/bin/sh\necho 1\n' >bin/soxi
	chmod +x bin/sox bin/soxi
	PATH=$PWD/bin:$PATH run --separate-stderr corpus-channel corpora dfeat.tsv lab.tsv work
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"sox FAIL formats: cannot open"* ]]
	[[ "$stderr" == *"corpus-channel: emodb/03/03a01Fa.flac: sox could not make the telephone copy"* ]]
	[ -z "$output" ]
	[ -z "$(find work -name '*.wav')" ] || { find work -name '*.wav'; return 1; }
}

@test "corpus-channel: spaces in the corpora's, the files' and the workdir's names: every EMO-DB file copied, ids kept, copies made once" {
	# tiny recordings, 0.4 s tones: 2 speakers a corpus, 3 classes, 2 each
	c="my corpora"
	for spk in emodb/11 emodb/12 ravdess/Actor_01 ravdess/Actor_02 tess/OAF tess/YAF; do
		mkdir -p "$c/$spk"
		for cls in angry:300 sad:500 neutral:700; do
			for u in 1 2; do
				sox -R -n -r 16000 -c 1 "$c/$spk/u$u ${cls%:*}.flac" synth 0.4 sine $((${cls#*:} + 20 * u))
			done
		done
	done
	(cd "$c" && printf '%s\n' */*/*.flac >../list && ser-features -T ../list) >cfeat.tsv
	awk -F'\t' 'BEGIN { print "id\tlabel\tspeaker\tcorpus" }
		NR > 1 { split($1, p, "/"); l = p[3]; sub(/^u[0-9] /, "", l); sub(/\.flac$/, "", l)
			print $1 "\t" l "\t" p[1] ":" p[2] "\t" p[1] }' cfeat.tsv >clab.tsv
	export CHANNEL_LOG2C=1 CHANNEL_LOG2G=-2 CHANNEL_FOLDS=2
	run --separate-stderr corpus-channel "$c" cfeat.tsv clab.tsv "work dir"
	[ "$status" -eq 0 ] || { echo "$stderr"; return 1; }
	[ "${#lines[@]}" -eq 5 ]
	[ "${lines[0]}" = "| EMO-DB as | UAR | accuracy |" ]
	i=2
	for kind in clean telephone noise; do
		[[ "${lines[i]}" =~ ^\|\ $kind\ \|\ [01]\.[0-9]{3}\ \|\ [01]\.[0-9]{3}\ \|$ ]] || { echo "${lines[i]}"; return 1; }
		i=$((i + 1))
	done
	[[ "$stderr" == *"telephone: 12 copies made"* ]] && [[ "$stderr" == *"noise: 12 copies made"* ]]
	[ -s "work dir/telephone/emodb/11/u1 angry.wav" ]
	[ -s "work dir/noise/emodb/12/u2 neutral.wav" ]
	# each table: the corpus's ids, the EMO-DB rows the copies'
	for kind in telephone noise; do
		[ "$(cut -f1 "work dir/$kind.tsv" | sort)" = "$(cut -f1 cfeat.tsv | sort)" ] || { echo "$kind: ids"; return 1; }
		[ "$(grep -v '^emodb/' "work dir/$kind.tsv")" = "$(grep -v '^emodb/' cfeat.tsv)" ]
		[ "$(grep -c -x -F -f <(grep '^emodb/' cfeat.tsv) "work dir/$kind.tsv")" -eq 0 ] || { echo "$kind: clean rows"; return 1; }
	done
	# a rerun reuses the copies and gives the same table
	first=$output
	run --separate-stderr corpus-channel "$c" cfeat.tsv clab.tsv "work dir"
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"telephone: 0 copies made"* ]] && [[ "$stderr" == *"noise: 0 copies made"* ]]
	[ "$output" = "$first" ]
}

# manifests: corpora/emodb and corpora/tess manifests of synthetic rows
# (the real manifests' columns, in another order for tess, which has no
# text_id), plus a directory without one.
manifests() {
	mkdir -p corpora/emodb corpora/tess corpora/notes
	printf 'path\tcorpus\tspeaker\tgender\temotion\toriginal_label\ttext_id\tduration_s\n' >corpora/emodb/manifest.tsv
	printf 'emotion\tspeaker\tpath\tgender\n' >corpora/tess/manifest.tsv
	awk 'BEGIN { srand(3); split("angry sad neutral", cls, " ")
		for (s = 1; s <= 2; s++) for (c = 1; c <= 3; c++) for (u = 1; u <= 2; u++) {
			spk = sprintf("%02d", s + 10)
			printf "%s/%sa0%d%s.flac\temodb\t%s\t%s\t%s\t%s\ta0%d\t%.3f\n", spk, spk, u, substr(cls[c], 1, 1),
				spk, s == 1 ? "m" : "f", cls[c], toupper(substr(cls[c], 1, 1)), u, 1 + rand() >> "corpora/emodb/manifest.tsv"
			printf "%s\t%s\t%s/%s_w%d_%s.flac\tf\n", cls[c], s == 1 ? "OAF" : "YAF", s == 1 ? "OAF" : "YAF",
				s == 1 ? "OAF" : "YAF", u, cls[c] >> "corpora/tess/manifest.tsv"
		} }'
}

@test "corpus-labels: one label table from every manifest: CORPUS/PATH ids, CORPUS:SPEAKER speakers, ? for what a manifest lacks" {
	manifests
	run --separate-stderr corpus-labels corpora
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[ "${lines[0]}" = "$(printf 'id\tlabel\tspeaker\tcorpus\tgender\ttext_id')" ]
	[ "${#lines[@]}" -eq 25 ]
	[ "${lines[1]}" = "$(printf 'emodb/11/11a01a.flac\tangry\temodb:11\temodb\tm\ta01')" ]
	[ "${lines[24]}" = "$(printf 'tess/YAF/YAF_w2_neutral.flac\tneutral\ttess:YAF\ttess\tf\t?')" ]
	# every manifest row once, in order: emodb's then tess's
	[ "$(printf '%s\n' "${lines[@]:1}" | cut -f1)" = "$( (tail -n +2 corpora/emodb/manifest.tsv | cut -f1 | sed 's,^,emodb/,'
		tail -n +2 corpora/tess/manifest.tsv | cut -f3 | sed 's,^,tess/,'))" ]
	printf '%s\n' "${lines[@]:1}" | awk -F'\t' '{ split($1, p, "/") }
		NF != 6 || p[1] != $4 || $3 != $4 ":" p[2] { print; bad = 1 } END { exit bad }'
}

@test "corpus-labels DIR CORPUS...: only the corpora named, in that order, and corpus-evaluate reads the table" {
	manifests
	run --separate-stderr corpus-labels corpora tess emodb
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "$(printf 'tess/OAF/OAF_w1_angry.flac\tangry\ttess:OAF\ttess\tf\t?')" ]
	[ "$(printf '%s\n' "${lines[@]:1}" | cut -f4 | uniq | tr '\n' ' ')" = "tess emodb " ]
	corpus-labels corpora tess >lab.tsv
	[ "$(cut -f4 lab.tsv | sort -u | tr '\n' ' ')" = "corpus tess " ]
	# features for the listed ids, the class in one column
	awk -F'\t' 'BEGIN { srand(2); print "id\tf1\tf2\tf3" }
		NR > 1 { printf "%s", $1; for (j = 1; j <= 3; j++) printf "\t%.6f", rand() - 0.5 + ($2 == (j == 1 ? "angry" : j == 2 ? "sad" : "neutral")) * 1.5; print "" }' \
		lab.tsv >feat.tsv
	run --separate-stderr corpus-evaluate -p tess feat.tsv lab.tsv
	[ "$status" -eq 0 ]
	[[ "${lines[2]}" == "| TESS, 7 classes, train on one speaker, test on the other (both ways) | 0.47 | "*" | 12 |" ]]
}

@test "corpus-labels refusals: no manifest, a corpus without one, a manifest without path, speaker or emotion" {
	manifests
	mkdir none
	run --separate-stderr corpus-labels none
	[ "$status" -eq 1 ]
	[ "$stderr" = "corpus-labels: no manifest under none" ]
	run --separate-stderr corpus-labels nowhere
	[ "$status" -eq 1 ]
	[ "$stderr" = "corpus-labels: no manifest under nowhere" ]
	run --separate-stderr corpus-labels corpora notes
	[ "$status" -eq 1 ]
	[ "$stderr" = "corpus-labels: corpora/notes/manifest.tsv: no such file" ]
	for col in path speaker emotion; do
		mkdir "corpora/no$col"
		awk -F'\t' -v OFS='\t' -v c="$col" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) $i = "x_" c } { print }' \
			corpora/tess/manifest.tsv >"corpora/no$col/manifest.tsv"
		run --separate-stderr corpus-labels corpora "no$col"
		[ "$status" -eq 1 ] || { echo "$col: status $status"; return 1; }
		[ "$stderr" = "corpus-labels: corpora/no$col/manifest.tsv:1: needs path, speaker and emotion columns" ] ||
			{ echo "$col: $stderr"; return 1; }
	done
}

@test "corpus-evaluate: the per-corpus protocols search the shipped model's grid unless EVAL_LOG2C/G say otherwise" {
	log_train_args
	# EVAL_BIG_* stand for mk/model.mk's grid, as `make evaluate` passes it
	unset EVAL_LOG2C EVAL_LOG2G
	PATH=$PWD/bin:$PATH EVAL_BIG_LOG2C=0:1:1 EVAL_BIG_LOG2G=-3:-2:1 run -0 corpus-evaluate -p tess feat.tsv lab.tsv
	[ "$(grep -c -- '--log2c 0:1:1 --log2g -3:-2:1' train.args)" -eq 2 ]
	rm train.args
	PATH=$PWD/bin:$PATH EVAL_BIG_LOG2C=0:1:1 EVAL_LOG2C=1 EVAL_LOG2G=-2 run -0 corpus-evaluate -p tess feat.tsv lab.tsv
	[ "$(grep -c -- '--log2c 1 --log2g -2' train.args)" -eq 2 ]
	[ "$(grep -c -- '--log2c 0:1:1' train.args)" -eq 0 ]
}
