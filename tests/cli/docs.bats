#!/usr/bin/env bats
# Every program: a man page that lints clean, --help on stdout with exit 0
# whose usage lines are the man page's SYNOPSIS, --version, and exit 2 for a
# bad option.

bats_require_minimum_version 1.5.0

setup() {
	cd "$SER_TOP"
	progs=()
	for c in cmd/ser-*.c; do [ -e "$c" ] && progs+=("$(basename "$c" .c)"); done
	[ "${#progs[@]}" -gt 0 ]
}

# SYNOPSIS of man/$1.1 as one line of single-spaced words.
synopsis() {
	MANWIDTH=200 mandoc -Tascii "man/$1.1" | col -bx |
		awk '/^SYNOPSIS/{on=1; next} /^[A-Z]/{on=0} on' | tr -s ' \t\n' '   ' | sed 's/^ //; s/ $//'
}

# The usage lines of --help (from "usage:" to the first blank line), same form.
usage_text() {
	"$1" --help | awk 'NR==1 && !/^usage:/ {exit} /^$/{exit} {print}' |
		sed '1s/^usage: *//; s/^ *or: *//' | tr -s ' \t\n' '   ' | sed 's/^ //; s/ $//'
}

@test "every program has a man page" {
	for p in "${progs[@]}"; do
		[ -f "man/$p.1" ] || { echo "no man/$p.1"; return 1; }
	done
}

@test "every man page is clean under mandoc -Tlint" {
	run mandoc -Tlint -W warning man/*.1
	echo "$output"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}

@test "--help exits 0, writes to stdout only, and matches the SYNOPSIS" {
	for p in "${progs[@]}"; do
		out=$("$p" --help 2>"$BATS_TEST_TMPDIR/help-stderr") || { echo "$p --help failed"; return 1; }
		[ ! -s "$BATS_TEST_TMPDIR/help-stderr" ] || { echo "$p --help wrote to stderr"; return 1; }
		want=$(synopsis "$p")
		got=$(usage_text "$p")
		if [ "$want" != "$got" ]; then
			echo "$p: --help usage:  $got"
			echo "$p: man SYNOPSIS:  $want"
			return 1
		fi
	done
}

@test "--version prints the program name and a version" {
	for p in "${progs[@]}"; do
		run "$p" --version
		[ "$status" -eq 0 ] || { echo "$p: status $status"; return 1; }
		[[ "$output" =~ ^$p\ [0-9]+\.[0-9]+ ]] || { echo "$p: '$output'"; return 1; }
	done
}

@test "an unknown option is a usage error: exit 2 and a message on stderr" {
	for p in "${progs[@]}"; do
		run --separate-stderr "$p" --no-such-option
		[ "$status" -eq 2 ] || { echo "$p: status $status"; return 1; }
		[ -z "$output" ] || { echo "$p wrote to stdout: $output"; return 1; }
		[[ "$stderr" == *"$p"* ]] || { echo "$p: stderr '$stderr'"; return 1; }
	done
}
