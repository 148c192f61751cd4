#!/usr/bin/env bats
# ser-plot: every kind of chart is a valid PNG/SVG of the asked size, the
# predicted class's colour is where its bar must be, table text cannot inject
# gnuplot commands, bad tables and options are refused, nothing is left
# behind. Pixels are read with ImageMagick's convert; PNG structure and size
# with our own $B/tools/pnginfo.

bats_require_minimum_version 1.5.0

HDR=$'id\tpredicted\tconfidence\tangry\tdisgust\tfear\thappy\tneutral\tsad\tsurprise'

setup() {
	T=$BATS_TEST_TMPDIR
	cd "$T"
	printf '%s\n%s\n' "$HDR" $'a.wav\thappy\t0.6\t0.15\t0.05\t0.10\t0.60\t0.05\t0.03\t0.02' >happy.tsv
	printf '%s\n%s\n' "$HDR" $'b.wav\tsad\t0.7\t0.05\t0.05\t0.05\t0.05\t0.05\t0.7\t0.05' >sad.tsv
	{ cat happy.tsv; tail -n 1 sad.tsv; } >two.tsv
	printf 'true\tangry\tsad\tneutral\nangry\t8\t1\t1\nsad\t0\t3\t1\nneutral\t2\t2\t6\n' >cm.tsv
	{
		echo "$HDR"
		for i in 0 1 2 3 4 5; do
			printf 'talk.wav@%s.500\tangry\t0.4\t0.4\t0.1\t0.1\t0.1\t0.1\t0.1\t0.1\n' "$i"
		done
	} >tl.tsv
}

# pixel colour at x y of a PNG, as RRGGBB
# (a failing convert fails the caller, never an empty colour that passes !=)
pixel() {
	local hex
	hex=$(convert "$1" -format "%[hex:p{$2,$3}]" info:) || return 1
	printf '%s\n' "${hex:0:6}"
}
pngsize() { "$B/tools/pnginfo" "$1"; }

@test "--help is the usage on stdout; --version" {
	run --separate-stderr ser-plot --help
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "usage: ser-plot [-d] [-f format]"* ]]
	[ -z "$stderr" ]
	run ser-plot --version
	[ "$status" -eq 0 ]
	[[ "$output" == "ser-plot "[0-9]* ]]
}

@test "--palette prints the seven classes with lib/emotion's colours" {
	run ser-plot --palette
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 7 ]
	[ "${lines[0]}" = $'angry\t#D55E00' ]
	[ "${lines[3]}" = $'happy\t#E69F00' ]
	[ "${lines[5]}" = $'sad\t#0072B2' ]
	# the same list as lib/emotion.c, whatever it holds
	want=$(grep -o '"#[0-9A-F]\{6\}"' "$SER_TOP/lib/emotion.c" | tr -d '"' | tr '\n' ' ')
	got=$(cut -f2 <<<"$output" | tr '\n' ' ')
	[ "$want" = "$got" ]
}

@test "bar, pie and both: valid PNGs of the default and the asked sizes" {
	for k in bar pie both; do
		ser-plot -k $k -o $k.png happy.tsv
		run pngsize $k.png
		[ "$status" -eq 0 ]
		case $k in bar) [ "$output" = "640 420" ] ;; pie) [ "$output" = "600 420" ] ;; both) [ "$output" = "1000 420" ] ;; esac
		ser-plot -k $k -s 333x222 -o $k-s.png happy.tsv
		[ "$(pngsize $k-s.png)" = "333 222" ]
	done
}

@test "timeline and confusion matrix: valid PNGs, detected from the table" {
	ser-plot -o tl.png tl.tsv
	[ "$(pngsize tl.png)" = "1000 440" ]
	ser-plot -o cm.png -s 500x450 cm.tsv
	[ "$(pngsize cm.png)" = "500 450" ]
	# the same through --kind, and from stdin to stdout
	ser-plot -k timeline <tl.tsv >tl2.png
	[ "$(pngsize tl2.png)" = "1000 440" ]
	ser-plot -k confusion - <cm.tsv >cm2.png
	[ "$(pngsize cm2.png)" = "680 600" ]
}

@test "SVG by extension and by --format, with the asked width and height" {
	ser-plot -s 700x300 -o c.svg happy.tsv
	grep -q '<svg' c.svg
	grep -q 'width="700" height="300"' c.svg
	ser-plot -f svg -k confusion <cm.tsv >cm.out
	grep -q 'width="680" height="600"' cm.out
	run pngsize c.svg
	[ "$status" -eq 1 ]
}

@test "--data-uri is a data:image/png;base64 URI of a valid PNG" {
	run --separate-stderr ser-plot --data-uri -s 400x300 happy.tsv
	[ "$status" -eq 0 ]
	[[ "$output" == data:image/png\;base64,iVBORw0KGgo* ]]
	[ "${#lines[@]}" -eq 1 ]
	printf '%s' "${output#data:image/png;base64,}" | base64 -d >uri.png
	[ "$(pngsize uri.png)" = "400 300" ]
	ser-plot -d -f svg -o uri.txt happy.tsv
	grep -q '^data:image/svg+xml;base64,' uri.txt
}

@test "picture: the predicted bar carries its class colour, a different prediction changes it" {
	# happy predicted: happy's bar (index 3) is the full #E69F00
	ser-plot -k bar -s 800x500 -o h.png happy.tsv
	read -r x y < <("$B/tools/plot-bar-pixel" bar 800 500 7 3 0.6)
	[ "$(pixel h.png "$x" "$y")" = E69F00 ]
	# sad's small bar (index 5) is only a tint of #0072B2 there
	read -r x y < <("$B/tools/plot-bar-pixel" bar 800 500 7 5 0.03)
	c=$(pixel h.png "$x" "$y")
	[ "$c" != 0072B2 ]
	[ "$c" != FFFFFF ]
	# sad predicted: sad's bar is the full #0072B2, happy's bar a tint
	ser-plot -k bar -s 800x500 -o s.png sad.tsv
	read -r x y < <("$B/tools/plot-bar-pixel" bar 800 500 7 5 0.7)
	[ "$(pixel s.png "$x" "$y")" = 0072B2 ]
	read -r x y < <("$B/tools/plot-bar-pixel" bar 800 500 7 3 0.05)
	c=$(pixel s.png "$x" "$y")
	[ "$c" != E69F00 ]
	[ "$c" != FFFFFF ]
	# above the bar's top it is background again
	read -r x y < <("$B/tools/plot-bar-pixel" bar 800 500 7 5 1.8)
	[ "$(pixel s.png "$x" "$y")" = FFFFFF ]
}

@test "picture: in 'both' and without a title the bar layout still holds" {
	ser-plot -s 900x400 -t '' -o b.png happy.tsv
	read -r x y < <("$B/tools/plot-bar-pixel" both 900 400 7 3 0.6 notitle)
	[ "$(pixel b.png "$x" "$y")" = E69F00 ]
	read -r x y < <("$B/tools/plot-bar-pixel" both 900 400 7 0 0.15 notitle)
	c=$(pixel b.png "$x" "$y")
	[ "$c" != D55E00 ]
	[ "$c" != FFFFFF ]
	# the pie half holds angry's full colour (its wedge)
	convert b.png -crop 400x400+500+0 +repage -format %c histogram:info: | grep -qi '#D55E00'
}

@test "ids, class names and titles cannot inject gnuplot commands" {
	mark=$T/pwned
	id="\"; system(\"touch $mark.1\"); \"\`touch $mark.2\`@x\$y'q"
	printf '%s\n%s\t%s\n' "$HDR" "$id" $'happy\t0.6\t0.15\t0.05\t0.10\t0.60\t0.05\t0.03\t0.02' >evil.tsv
	ser-plot -o e1.png evil.tsv
	[ "$(pngsize e1.png)" = "1000 420" ]
	printf 'id\tpredicted\tconfidence\tangry\t%s\nx\tangry\t0.5\t0.5\t0.5\n' "\`touch $mark.3\`\"'" >evil2.tsv
	ser-plot -o e2.png evil2.tsv
	printf 'true\tangry\t%s\nangry\t1\t2\n`touch %s.4`\t3\t4\n' "\"; system(\"touch $mark.5\")#" "$mark" >evil3.tsv
	ser-plot -o e3.png evil3.tsv
	ser-plot -t "\`touch $mark.6\`\"; system(\"touch $mark.7\") @x" -o e4.png happy.tsv
	[ "$(pngsize e4.png)" = "1000 420" ]
	run -0 ls "$T"
	[[ "$output" != *pwned* ]]
}

@test "the script sent to gnuplot holds no raw quote, backquote or newline from the table" {
	mkdir fake
	printf '#!/bin/sh\ncat >"%s/script.gp"\n' "$T" >fake/gnuplot
	chmod +x fake/gnuplot
	printf '%s\n%s\n' "$HDR" $'x"`y`@$z\'\thappy\t0.6\t0.15\t0.05\t0.10\t0.60\t0.05\t0.03\t0.02' >q.tsv
	PATH=$T/fake:$PATH run ser-plot -o out.png q.tsv
	# a gnuplot that draws nothing is a failure, and leaves no file
	[ "$status" -eq 1 ]
	[[ "$output" == *"gnuplot drew nothing"* ]]
	[ ! -e out.png ]
	grep -q 'set terminal pngcairo' script.gp
	run ! grep -q '`' script.gp
	run ! grep -q "'" script.gp
	grep -q 'x\\042\\140y\\140\\100\\044z\\047' script.gp
}

@test "several rows: refused without --id or a pattern; --id picks one; %d and %s make one chart per row" {
	run ser-plot -o x.png two.tsv
	[ "$status" -eq 1 ]
	[[ "$output" == *"2 rows"*"--id"* ]]
	[ ! -e x.png ]
	ser-plot --id b.wav -k bar -s 800x500 -o b.png two.tsv
	read -r x y < <("$B/tools/plot-bar-pixel" bar 800 500 7 5 0.7)
	[ "$(pixel b.png "$x" "$y")" = 0072B2 ]
	ser-plot -k pie -o 'row-%d.png' two.tsv
	[ "$(pngsize row-1.png)" = "600 420" ]
	[ "$(pngsize row-2.png)" = "600 420" ]
	ser-plot -k pie -o 'id-%s.svg' two.tsv
	[ -s id-a.wav.svg ]
	[ -s id-b.wav.svg ]
	run ser-plot --id nosuch.wav -o x.png two.tsv
	[ "$status" -eq 1 ]
	[[ "$output" == *"nosuch.wav"* ]]
}

@test "timeline: --id selects one recording of several; windows of two recordings need it" {
	{ cat tl.tsv; printf 'other.wav@0\tsad\t0.4\t0.1\t0.1\t0.1\t0.1\t0.1\t0.4\t0.1\nother.wav@1\tsad\t0.4\t0.1\t0.1\t0.1\t0.1\t0.1\t0.4\t0.1\n'; } >tl2.tsv
	run ser-plot -k timeline -o t.png tl2.tsv
	[ "$status" -eq 1 ]
	[[ "$output" == *"--id"* ]]
	ser-plot -k timeline --id other.wav -o t.png tl2.tsv
	[ "$(pngsize t.png)" = "1000 440" ]
	ser-plot --id talk.wav -o t2.png tl2.tsv
	[ "$(pngsize t2.png)" = "1000 440" ]
	# one window id drawn as bar and pie
	ser-plot --id 'talk.wav@2.500' -o w.png tl2.tsv
	[ "$(pngsize w.png)" = "1000 420" ]
}

@test "bad tables are refused with exit 1 and a message naming file and line" {
	bad() { # expected-substring table-text
		printf '%s' "$2" >bad.tsv
		run --separate-stderr ser-plot -o out.png bad.tsv
		[ "$status" -eq 1 ] || { echo "status $status for: $2"; return 1; }
		[[ "$stderr" == "ser-plot: "*"$1"* ]] || { echo "stderr '$stderr' lacks '$1'"; return 1; }
		[ -z "$output" ]
		[ ! -e out.png ]
	}
	row=$'a\thappy\t0.6\t0.15\t0.05\t0.10\t0.60\t0.05\t0.03\t0.02'
	bad "no rows" "$HDR"$'\n'
	bad "two class columns" $'id\tpredicted\tconfidence\tangry\nx\tangry\t1\t1\n'
	bad "bad.tsv:2: column 'angry'" "$HDR"$'\n'"${row/0.15/1.5}"$'\n'
	bad "outside [0, 1]" "$HDR"$'\n'"${row/0.15/-0.15}"$'\n'
	bad "bad.tsv:2: probabilities sum to" "$HDR"$'\n'"${row/0.02/0.2}"$'\n'
	bad "column 'angry'" "$HDR"$'\n'"${row/0.15/nan}"$'\n'
	bad "column 'angry'" "$HDR"$'\n'"${row/0.15/}"$'\n'
	bad "not one of the class columns" "$HDR"$'\n'"${row/happy/calm}"$'\n'
	bad "confidence" "$HDR"$'\n'"${row/0.6/0.9}"$'\n'
	bad "appears twice" "$HDR"$'\n'"$row"$'\n'"$row"$'\n'
	bad "bad.tsv:3" "$HDR"$'\n'"$row"$'\n'$'b\thappy\t0.6\n'
	bad "bad.tsv:2: column 'sad'" $'true\tangry\tsad\nangry\t3\t-1\n'
	bad "column 'sad'" $'true\tangry\tsad\nangry\t3\t2.5\n'
	bad "empty" ""
}

@test "gnuplot missing: a clear message and exit 1" {
	mkdir bin
	# keep valgrind reachable when the suite runs programs under it (Debian's
	# valgrind is a script that runs valgrind.bin beside itself)
	for v in valgrind valgrind.bin; do
		p=$(command -v $v) && ln -s "$p" bin/$v
	done
	plot=$(command -v ser-plot)
	run --separate-stderr env PATH="$T/bin" "$plot" -o x.png happy.tsv
	[ "$status" -eq 1 ]
	[ "$stderr" = "ser-plot: gnuplot not found on PATH (install gnuplot-nox)" ]
	[ ! -e x.png ]
}

@test "gnuplot failing: its stderr is passed on, exit 1, no file and no temporary left" {
	mkdir fake
	printf '#!/bin/sh\ncat >/dev/null\necho "gnuplot says: boom" >&2\nexit 3\n' >fake/gnuplot
	chmod +x fake/gnuplot
	mkdir out
	PATH=$T/fake:$PATH run --separate-stderr ser-plot -o out/x.png happy.tsv
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"gnuplot says: boom"* ]]
	[[ "$stderr" == *"exit status 3"* ]]
	[ -z "$(ls -A out)" ]
}

@test "-o writes atomically: the old file stays whole until the new one is renamed over it" {
	mkdir out
	echo old >out/c.png
	ser-plot -o out/c.png happy.tsv
	[ "$(pngsize out/c.png)" = "1000 420" ]
	[ "$(ls -A out)" = c.png ]
	# an unwritable directory: exit 1, nothing created
	run ser-plot -o nodir/c.png happy.tsv
	[ "$status" -eq 1 ]
	[[ "$output" == *"nodir/c.png"* ]]
}

@test "bad options are usage errors (exit 2)" {
	for args in "-k donut" "-f gif" "-s 10x10" "-s 800" "-s 800x9000" "-s 0x0x0" "-s 80.5x100" \
		"-o x%y.png" "--palette happy.tsv" "-o" "happy.tsv happy.tsv" "--no-such"; do
		# shellcheck disable=SC2086
		run ser-plot $args
		[ "$status" -eq 2 ] || { echo "'$args': status $status: $output"; return 1; }
	done
	run ser-plot -i a.wav cm.tsv -o x.png
	[ "$status" -eq 2 ]
}

@test "ser-eval --confusion's matrix is drawn as a heat map (auto-detected, or --confusion)" {
	command -v ser-eval >/dev/null || skip "no ser-eval built"
	printf 'id\tlabel\na.wav\thappy\nb.wav\tneutral\n' >labels.tsv
	ser-eval -l labels.tsv --confusion two.tsv >cm-eval.tsv
	head -1 cm-eval.tsv | grep -q $'^id\tangry\t'
	ser-plot -o e.png cm-eval.tsv
	[ "$(pngsize e.png)" = "680 600" ]
	ser-plot --confusion -s 300x300 -o e2.png <cm-eval.tsv
	[ "$(pngsize e2.png)" = "300 300" ]
}

@test "titles reach the chart exactly as written (read back from the SVG)" {
	t=$'<0.1% 50"7 `x` \\1234 @a $b \'q\' \xc3\xa4rger;'
	ser-plot -f svg -t "$t" -o t.svg happy.tsv
	grep -F '<text>&lt;0.1% 50"7 `x` \1234 @a $b '"'q'"' ärger;</text>' t.svg
	# and a long id keeps its end
	id=/very/long/directory/name/that/goes/on/and/on/and/on/and/on/and/on/and/on/until/the/recording.wav
	printf '%s\n%s\t%s\n' "$HDR" "$id" $'happy\t0.6\t0.15\t0.05\t0.10\t0.60\t0.05\t0.03\t0.02' >long.tsv
	ser-plot -k bar -f svg -o l.svg long.tsv
	grep -q '<text>\.\.\..*/until/the/recording\.wav</text>' l.svg
}

@test "an image is not written to a terminal (exit 2); a data: URI is" {
	command -v script >/dev/null || skip "no script(1)"
	plot=$(command -v ser-plot)
	run script -qec "$plot happy.tsv" /dev/null
	[ "$status" -eq 2 ]
	[[ "$output" == *"not writing an image to a terminal"* ]]
	run script -qec "$plot --data-uri -s 100x100 happy.tsv" /dev/null
	[ "$status" -eq 0 ]
	[[ "$output" == data:image/png* ]]
}

@test "gnuplot runs without initialisation files: a ~/.gnuplot is not read" {
	mkdir home
	printf 'system("touch %s/rc-ran")\nset terminal dumb\n' "$T" >home/.gnuplot
	HOME=$T/home ser-plot -o rc.png happy.tsv
	[ "$(pngsize rc.png)" = "1000 420" ]
	[ ! -e rc-ran ]
	# the same .gnuplot is read by a plain gnuplot, so the test can fail
	echo 'print 1' | HOME=$T/home gnuplot >/dev/null 2>&1 || true
	[ -e rc-ran ]
}

@test "the id '-' (ser-features' name for stdin) gives no title, as --title ''" {
	printf '%s\n%s\n' "$HDR" $'-\tsad\t0.7\t0.05\t0.05\t0.05\t0.05\t0.05\t0.7\t0.05' >dash.tsv
	ser-plot -s 900x400 -o d1.png dash.tsv
	ser-plot -s 900x400 -t '' -o d2.png sad.tsv
	cmp d1.png d2.png
	read -r x y < <("$B/tools/plot-bar-pixel" both 900 400 7 5 0.7 notitle)
	[ "$(pixel d1.png "$x" "$y")" = 0072B2 ]
}

# share of each class colour among the pixels of the seven colours
shares() {
	convert "$1" -format %c histogram:info: | awk -v cols="$(ser-plot --palette | cut -f2 | tr '\n' ' ')" '
		BEGIN { n = split(cols, c, " "); for (i = 1; i <= n; i++) want[c[i]] = i }
		{ for (i = 1; i <= NF; i++) if ($i in want) { cnt[want[$i]] += $1 + 0; tot += $1 } }
		END { for (i = 1; i <= n; i++) printf "%.4f ", cnt[i] / tot; print "" }'
}

@test "picture: the pie's wedges cover areas in proportion to the probabilities" {
	ser-plot -k pie -o pie.png happy.tsv
	read -r -a got < <(shares pie.png)
	want=(0.15 0.05 0.10 0.60 0.05 0.03 0.02)
	for i in 0 1 2 3 4 5 6; do
		awk -v g="${got[$i]}" -v w="${want[$i]}" 'BEGIN { d = g - w; exit !(d < 0.03 && d > -0.03) }' ||
			{ echo "class $i: share ${got[$i]}, probability ${want[$i]}"; return 1; }
	done
}

@test "picture: a class of probability 1 fills the whole ring" {
	printf '%s\n%s\n' "$HDR" $'full.wav\tsad\t1\t0\t0\t0\t0\t0\t1\t0' >full.tsv
	ser-plot -k pie -o full.png full.tsv
	n=$(convert full.png -format %c histogram:info: | awk '/#0072B2/ { print $1 + 0 }')
	[ "${n:-0}" -gt 40000 ]
}
