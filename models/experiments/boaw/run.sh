#!/bin/sh
# run.sh OUTDIR - reproduces models/README.md's bag-of-audio-words table
# (eleventh session). A research record, not part of the toolkit: run from the
# repository's top after `make features`, with ../shared/corpora beside it.
# Each protocol prints one Markdown table on stdout (scripts/corpus-evaluate);
# add EVAL_SEED=N to the environment for other seeds.
set -eu
out=$1 top=$(pwd) here=$top/models/experiments/boaw
feat=$top/build/features/default/all.tsv lab=$top/build/features/labels.tsv
export PATH="$top/build/bin:$PATH"
mkdir -p "$out/lld"
cc -O2 -o "$out/boaw" "$here/boaw.c" -lm
# active frames, 25 descriptors each, one shard per speaker
(cd ../shared/corpora && for d in */*/; do
	d=${d%/}
	ser-features --frames "$d"/*.flac | awk -f "$here/lld.awk" >"$out/lld/$(echo "$d" | tr / _).tsv"
done)
cat "$out"/lld/*.tsv >"$out/all.lld"
# rows of A with B's columns appended, by id
append() { awk 'BEGIN { FS = OFS = "\t" } FNR == NR { k = $1; sub(/^[^\t]*\t/, ""); b[k] = $0; next }
	($1 in b) { print $0, b[$1] }' "$2" "$1"; }
# the 261 repeated R times in all (weight R to 1 in the RBF kernel)
rep() { awk -v r="$1" 'BEGIN { FS = OFS = "\t" } { l = $0; for (k = 2; k <= r; k++) for (i = 2; i <= 262; i++)
	l = l OFS (NR == 1 ? $i "_d" k : $i); print l }'; }
# codebooks from the corpora a protocol does not test
for c in "rav emodb/ tess/" "emo ravdess/ tess/" "tess emodb/ ravdess/"; do
	set -- $c
	"$out/boaw" 200 5 1 0 "$2" "$3" <"$out/all.lld" >"$out/h200.$1.tsv"
	"$out/boaw" 64 3 1 0 "$2" "$3" <"$out/all.lld" >"$out/h64.$1.tsv"
	for n in 200 64; do append "$feat" "$out/h$n.$1.tsv" >"$out/d+h$n.$1.tsv"; done
	for r in 2 4; do rep $r <"$out/d+h200.$1.tsv" >"$out/w$r.$1.tsv"; done
done
for t in d+h200 d+h64 w2 w4; do
	echo "## $t"
	scripts/corpus-evaluate -p emodb "$out/$t.emo.tsv" "$lab"
	scripts/corpus-evaluate -p tess "$out/$t.tess.tsv" "$lab"
	scripts/corpus-evaluate -p ravdess-6fold -p ravdess-holdout "$out/$t.rav.tsv" "$lab"
done
echo "## d+h200, cross-corpus"
EVAL_CROSS=emodb scripts/corpus-evaluate -p cross-corpus "$out/d+h200.emo.tsv" "$lab"
EVAL_CROSS=ravdess scripts/corpus-evaluate -p cross-corpus "$out/d+h200.rav.tsv" "$lab"
EVAL_CROSS=tess scripts/corpus-evaluate -p cross-corpus "$out/d+h200.tess.tsv" "$lab"
