#!/usr/bin/env bats
# ser-cgi driven directly as a web server would: CGI environment, the body on
# stdin (a regular file and a pipe). Each bad request asserts the status, the
# JSON body, the exit status, the time taken, and that nothing of the request
# is left in the temporary directory (TMPDIR is per test).

bats_require_minimum_version 1.5.0

setup() {
	export GATEWAY_INTERFACE=CGI/1.1 SERVER_PROTOCOL=HTTP/1.1 SERVER_SOFTWARE=bats
	export TMPDIR=$BATS_TEST_TMPDIR/tmp
	mkdir -p "$TMPDIR"
	# The framing tests fail before the model is read: a model directory
	# that only has to exist keeps them independent of models/default.
	mkdir -p "$BATS_TEST_TMPDIR/model"
	: >"$BATS_TEST_TMPDIR/model/model.svm"
	export SER_MODEL=$BATS_TEST_TMPDIR/model SER_BINDIR=$B/bin SER_CGI_TIMEOUT=2
	export REQUEST_METHOD=POST CONTENT_TYPE='multipart/form-data; boundary=XyZ'
	# valgrind (make valgrind) keeps no vgdb pipes in our TMPDIR, and gets
	# more time
	export VALGRIND_OPTS=--vgdb=no
	slow=1
	[ "${SER_VALGRIND:-0}" = 1 ] && slow=8
	unset CONTENT_LENGTH
	A=$SER_TOP/testdata/audio
	W=$BATS_TEST_TMPDIR
	fifo_fd=
}

teardown() {
	[ -n "$fifo_fd" ] && exec 7>&- || true
}

# mkpart NAME FILENAME FILE: one part of boundary XyZ (FILENAME "-" for none)
mkpart() {
	printf -- '--XyZ\r\n'
	if [ "$2" = - ]; then
		printf 'Content-Disposition: form-data; name="%s"\r\n' "$1"
	else
		printf 'Content-Disposition: form-data; name="%s"; filename="%s"\r\n' "$1" "$2"
	fi
	printf 'Content-Type: application/octet-stream\r\n\r\n'
	cat "$3"
	printf '\r\n'
}
close_delim() { printf -- '--XyZ--\r\n'; }

# body1 FILE [FILENAME]: a one-file form into $W/body
body1() {
	{ mkpart file "${2:-upload.wav}" "$1"; close_delim; } >"$W/body"
}

# cgi MODE [BODY]: run ser-cgi with the body as a regular file (MODE file),
# a pipe (MODE pipe), or a pipe never written (MODE stall); CONTENT_LENGTH
# defaults to the body's size unless CL is set ("unset" removes it).
cgi() {
	local mode=$1 body=${2:-$W/body} t0 t1
	if [ "${CL-}" = unset ]; then
		unset CONTENT_LENGTH
	elif [ -n "${CL+x}" ]; then
		export CONTENT_LENGTH=$CL
	else
		export CONTENT_LENGTH=$(stat -c %s "$body")
	fi
	t0=$(date +%s%N)
	case $mode in
	file) ser-cgi <"$body" >"$W/out" 2>"$W/err" && rc=0 || rc=$? ;;
	pipe) cat "$body" | ser-cgi >"$W/out" 2>"$W/err" && rc=0 || rc=${PIPESTATUS[1]} ;;
	stall)
		mkfifo "$W/fifo"
		exec 7<>"$W/fifo"
		fifo_fd=7
		# (at most a pipe's buffer: nobody reads it until ser-cgi starts)
		if [ -s "$body" ]; then cat "$body" >&7; fi
		ser-cgi <"$W/fifo" >"$W/out" 2>"$W/err" && rc=0 || rc=$?
		exec 7>&-
		fifo_fd=
		rm -f "$W/fifo" ;;
	esac
	t1=$(date +%s%N)
	ms=$(((t1 - t0) / 1000000))
	status_line=$(head -n 1 "$W/out" | tr -d '\r')
	json=$(sed '1,/^\r$/d' "$W/out")
}

# expect STATUS [MESSAGE-SUBSTRING] [MAX-MS]: the last cgi answered STATUS
# with {"error": "..."}, exited 1, in time, logged one line, left nothing.
expect() {
	local want=$1 msg=${2:-} maxms=${3:-5000}
	echo "status line: $status_line; json: $json; rc=$rc; ${ms} ms"
	echo "log: $(cat "$W/err")"
	[[ "$status_line" == "Status: $want "* ]]
	grep -q $'^Content-Type: application/json\r$' "$W/out"
	[[ "$json" =~ ^\{\"error\":\ \"[^\"\\]+\"\}$ ]]
	[ -z "$msg" ] || [[ "$json" == *"$msg"* ]]
	[ "$rc" -eq 1 ]
	[ "$ms" -lt $((maxms * slow)) ]
	[ "$(grep -c "^ser-cgi: status=$want " "$W/err")" -eq 1 ]
	leftover=$(ls -A "$TMPDIR")
	[ -z "$leftover" ]
	# never a path, the temporary directory or the client's words
	[[ "$json" != *"$BATS_TEST_TMPDIR"* && "$json" != *"$SER_TOP"* && "$json" != *"/tmp"* ]]
	[[ "$json" != *passwd* && "$json" != *XyZ* && "$json" != *upload.wav* ]]
}

# both STATUS MSG: the same request as a regular file and as a pipe
both() {
	cgi file
	expect "$@"
	cgi pipe
	expect "$@"
}

@test "methods other than POST: 405 with Allow: POST" {
	body1 "$A/speech.wav"
	for m in GET HEAD PUT DELETE OPTIONS PATCH post ""; do
		REQUEST_METHOD=$m
		cgi file
		expect 405 "only POST"
		grep -q $'^Allow: POST\r$' "$W/out"
	done
	unset REQUEST_METHOD
	cgi file
	expect 405
}

@test "CONTENT_LENGTH missing or empty: 411" {
	body1 "$A/speech.wav"
	CL=unset both 411 "no Content-Length"
	CL= both 411 "no Content-Length"
}

@test "CONTENT_LENGTH negative, non-numeric, padded, hex, zero: 400" {
	body1 "$A/speech.wav"
	for v in -1 abc 12abc ' 100' '100 ' +100 0x10 1e3 1.5; do
		CL=$v both 400 "not a number"
	done
	CL=0 both 400 "empty"
}

@test "CONTENT_LENGTH huge or over 16 MiB: 413 before a byte is read" {
	body1 "$A/speech.wav"
	for v in 99999999999999999999999999 9223372036854775808 9223372036854775807 16777217; do
		CL=$v cgi stall /dev/null
		expect 413 "larger than 16 MiB" 1000
	done
	CL=16777216 cgi stall /dev/null # at the cap: read, then stalled -> 408
	expect 408
}

@test "a body over a configured cap: 413 without reading it" {
	head -c 5000 /dev/urandom >"$W/rand"
	body1 "$W/rand"
	CL=$(stat -c %s "$W/body") SER_CGI_MAX_BYTES=2048 cgi stall /dev/null
	expect 413 "larger than 2048 bytes" 1000
}

@test "CONTENT_LENGTH larger than the body: 400" {
	body1 "$A/speech.wav"
	CL=$(($(stat -c %s "$W/body") + 100)) both 400 "shorter than its Content-Length"
}

@test "CONTENT_LENGTH smaller than the body: only that much is read, 400" {
	body1 "$A/speech.wav"
	CL=$(($(stat -c %s "$W/body") - 20)) both 400 "close delimiter"
}

@test "a stalled body: 408 within the configured deadline" {
	body1 "$A/speech.wav"
	head -c 3000 "$W/body" >"$W/part"
	CL=$(stat -c %s "$W/body") cgi stall "$W/part"
	expect 408 "did not arrive in time" 6000
	[ "$ms" -ge 1500 ]
	CL=1000 cgi stall /dev/null
	expect 408 "" 6000
}

@test "SIGTERM while the body is read: 503, nothing left" {
	body1 "$A/speech.wav"
	export CONTENT_LENGTH=$(stat -c %s "$W/body") SER_CGI_TIMEOUT=30
	mkfifo "$W/fifo"
	exec 7<>"$W/fifo"
	fifo_fd=7
	head -c 3000 "$W/body" >&7
	ser-cgi <"$W/fifo" >"$W/out" 2>"$W/err" &
	pid=$!
	# wait until the parsing child has started writing the upload
	for _ in $(seq 50); do
		[ -n "$(find "$TMPDIR" -name upload -size +0)" ] && break
		sleep 0.1
	done
	[ -n "$(find "$TMPDIR" -name upload -size +0)" ]
	kill -TERM "$pid"
	wait "$pid" && st=0 || st=$?
	[ "$st" -eq 1 ]
	grep -q '^Status: 503 ' "$W/out"
	[ -z "$(ls -A "$TMPDIR")" ]
}

# A bindir whose ser-decode hangs: the deadline and signals must still
# clean up, and kill it.
hanging_bindir() {
	mkdir -p "$W/bin"
	for p in ser-features ser-scale ser-predict ser-plot; do ln -s "$B/bin/$p" "$W/bin/$p"; done
	printf '#!/bin/sh\nexec sleep 47.%s\n' "$$" >"$W/bin/ser-decode"
	chmod +x "$W/bin/ser-decode"
	hang="sleep 47.$$"
}

@test "a program that hangs: 503 at the deadline, the program killed, nothing left" {
	hanging_bindir
	body1 "$A/speech.wav"
	SER_BINDIR=$W/bin both 503 "took too long" 6000
	[ "$ms" -ge 1500 ]
	sleep 0.2
	run ! pgrep -f "$hang"
}

@test "SIGTERM while a program runs: 503, the program killed, nothing left" {
	hanging_bindir
	body1 "$A/speech.wav"
	export CONTENT_LENGTH=$(stat -c %s "$W/body") SER_CGI_TIMEOUT=30 SER_BINDIR=$W/bin
	ser-cgi <"$W/body" >"$W/out" 2>"$W/err" &
	pid=$!
	for _ in $(seq 100); do
		pgrep -f "$hang" >/dev/null && break
		sleep 0.1
	done
	pgrep -f "$hang"
	kill -TERM "$pid"
	wait "$pid" && st=0 || st=$?
	[ "$st" -eq 1 ]
	grep -q '^Status: 503 ' "$W/out"
	[ -z "$(ls -A "$TMPDIR")" ]
	sleep 0.2
	run ! pgrep -f "$hang"
}

@test "a client that went away: nothing left" {
	printf 'just text\n' >"$W/t.txt"
	body1 "$W/t.txt"
	export CONTENT_LENGTH=$(stat -c %s "$W/body")
	ser-cgi <"$W/body" 2>"$W/err" | true
	grep -q '^ser-cgi: status=415 ' "$W/err"
	[ -z "$(ls -A "$TMPDIR")" ]
}

@test "Content-Type not multipart/form-data: 415" {
	body1 "$A/speech.wav"
	for ct in "" "text/plain" "application/x-www-form-urlencoded" "multipart/mixed; boundary=XyZ" \
		"audio/wav"; do
		CONTENT_TYPE=$ct both 415 "must be multipart/form-data"
	done
	unset CONTENT_TYPE
	both 415
}

@test "boundary missing, empty, overlong, duplicated or malformed: 400" {
	body1 "$A/speech.wav"
	long=$(printf 'x%.0s' $(seq 71))
	for ct in "multipart/form-data" "multipart/form-data; boundary=" 'multipart/form-data; boundary=""' \
		"multipart/form-data; boundary=$long" "multipart/form-data; boundary=XyZ; boundary=XyZ" \
		'multipart/form-data; boundary="XyZ' "multipart/form-data; boundary=a;b" \
		'multipart/form-data; boundary="ab "'; do
		CONTENT_TYPE=$ct both 400
		[[ "$json" == *boundary* || "$json" == *"Content-Type parameters"* ]]
	done
}

@test "boundary quoted, not the first parameter, names in any case: accepted" {
	printf 'plain text, not audio\n' >"$W/t.txt"
	body1 "$W/t.txt"
	for ct in 'multipart/form-data; boundary="XyZ"' 'Multipart/Form-Data; charset=utf-8; BOUNDARY=XyZ' \
		'multipart/form-data;boundary=XyZ'; do
		CONTENT_TYPE=$ct both 415 "not audio"
	done
	long=$(printf 'b%.0s' $(seq 70))
	{ printf -- '--%s\r\nContent-Disposition: form-data; name=file\r\n\r\nplain\r\n--%s--\r\n' "$long" "$long"; } >"$W/body"
	CONTENT_TYPE="multipart/form-data; boundary=$long" both 415 "not audio"
}

@test "no close delimiter, zero parts, no delimiter at all: 400" {
	mkpart file a.wav "$A/speech.wav" >"$W/body"
	both 400 "close delimiter"
	close_delim >"$W/body"
	both 400 "no field named file"
	printf 'no multipart here' >"$W/body"
	both 400 "no multipart boundary"
}

@test "a 64 KiB header line: 400" {
	{
		printf -- '--XyZ\r\nContent-Disposition: form-data; name="file"\r\nX-Big: '
		head -c 65536 /dev/zero | tr '\0' a
		printf '\r\n\r\n'
		cat "$A/speech.wav"
		printf '\r\n'
		close_delim
	} >"$W/body"
	both 400 "too long"
}

@test "100000 parts: 400" {
	printf 'x' >"$W/x"
	mkpart note - "$W/x" >"$W/one"
	{
		for _ in $(seq 1000); do cat "$W/one"; done >"$W/k"
		for _ in $(seq 100); do cat "$W/k"; done
		close_delim
	} >"$W/body"
	both 400 "too many parts"
}

@test "no file field, two file fields, an empty file: 400" {
	{ mkpart note - "$A/speech.wav"; close_delim; } >"$W/body"
	both 400 "no field named file"
	{ mkpart file a.wav "$A/speech.wav"; mkpart file b.wav "$A/speech.wav"; close_delim; } >"$W/body"
	both 400 "more than one field named file"
	: >"$W/empty"
	body1 "$W/empty"
	both 400 "empty"
}

@test "a filename like ../../etc/passwd is never a path nor echoed" {
	printf 'root:x:0:0:root:/root:/bin/bash\n' >"$W/pw"
	body1 "$W/pw" "../../etc/passwd"
	both 415 "not audio"
	body1 "$W/pw" '../../../../tmp/evil"; name="x'
	both 400
	[ ! -e "$BATS_TEST_TMPDIR/evil" ]
}

@test "text, HTML and random bytes named .wav: 415" {
	printf 'hello, this is text\n' >"$W/t"
	body1 "$W/t" a.wav
	both 415 "not audio"
	printf '<!doctype html><html><script>alert(1)</script></html>\n' >"$W/h"
	body1 "$W/h" a.wav
	both 415 "not audio"
	[[ "$json" != *script* ]]
	head -c 100000 /dev/urandom >"$W/r"
	body1 "$W/r" a.wav
	both 415 "not audio"
}

@test "truncated audio: 422" {
	head -c 44 "$A/speech.wav" >"$W/hdr.wav"
	body1 "$W/hdr.wav"
	both 422
	head -c 8000 "$A/speech.m4a" >"$W/cut.m4a"
	body1 "$W/cut.m4a"
	both 422 "could not be decoded"
}

@test "audio longer than the configured duration cap: 422" {
	body1 "$A/speech.wav"
	SER_CGI_MAX_DURATION=1 both 422 "longer than 1 s"
	grep -q ' audio=0.00s ' "$W/err"
}

@test "a missing model: 503 before the body is read" {
	body1 "$A/speech.wav"
	CL=$(stat -c %s "$W/body") SER_MODEL=$BATS_TEST_TMPDIR/nothing-here cgi stall /dev/null
	expect 503 "no model" 1000
	grep -q 'detail=' "$W/err"
}

@test "a damaged model description: 500 before the body is read" {
	body1 "$A/speech.wav"
	printf 'id\tvalue\nfeature_set\t--help\n' >"$SER_MODEL/description.tsv"
	CL=$(stat -c %s "$W/body") cgi stall /dev/null
	expect 500 "model is damaged" 1000
	printf 'id\tvalue\nsample_rate\t16k\n' >"$SER_MODEL/description.tsv"
	CL=$(stat -c %s "$W/body") cgi stall /dev/null
	expect 500 "model is damaged" 1000
	printf 'no value column\n' >"$SER_MODEL/description.tsv"
	CL=$(stat -c %s "$W/body") cgi stall /dev/null
	expect 500 "model is damaged" 1000
}

@test "a bad configuration value: 500" {
	body1 "$A/speech.wav"
	SER_CGI_TIMEOUT=soon cgi file
	expect 500 "misconfigured"
	SER_CGI_MAX_DURATION=0 cgi file
	expect 500 "misconfigured"
}

@test "--help, --version, and no options under a server" {
	unset GATEWAY_INTERFACE
	run ser-cgi --help
	[ "$status" -eq 0 ]
	[[ "$output" == "usage: ser-cgi"* ]]
	run ser-cgi --version
	[ "$status" -eq 0 ]
	# Under a server, arguments (RFC 3875 4.4 search strings) are no options.
	export GATEWAY_INTERFACE=CGI/1.1 REQUEST_METHOD=GET
	run --separate-stderr ser-cgi --version
	[ "$status" -eq 1 ]
	[[ "$output" == "Status: 405 "* ]]
}

@test "a WAV upload answers 200 with seven probabilities and a PNG chart" {
	export SER_MODEL=${SER_TEST_MODEL:-$SER_TOP/models/default} SER_CGI_TIMEOUT=60
	[ -f "$SER_MODEL/model.svm" ] || skip "models/default is not there yet"
	body1 "$A/speech.wav"
	cgi pipe
	cat "$W/err"
	[[ "$status_line" == "Status: 200 "* ]]
	[ "$rc" -eq 0 ]
	echo "$json" | jq -e '(.probabilities | length == 7) and
		((.probabilities | add) > 0.999) and ((.probabilities | add) < 1.001) and
		(.probabilities[.predicted_emotion] == .confidence) and
		(.chart_url | startswith("data:image/png;base64,"))'
	echo "$json" | jq -r .chart_url | sed 's/^data:image\/png;base64,//' | base64 -d | head -c 8 | od -An -tx1 |
		grep -q '89 50 4e 47 0d 0a 1a 0a'
	grep -Eq '^ser-cgi: status=200 body=[0-9]+ file=102600 audio=3\.[0-9]+s .*decode=[0-9]+ms' "$W/err"
	[ -z "$(ls -A "$TMPDIR")" ]
}

# A bindir of stand-ins: one second of silence from ser-decode, a line from
# ser-features and ser-scale, $W/table from ser-predict, a tiny PNG data URI
# from ser-plot. It reaches the CGI's own reading of the probability table
# (lib/probs) with tables the real programs would never write.
table_bindir() {
	mkdir -p "$W/bin"
	printf '#!/bin/sh\nhead -c 64000 /dev/zero\n' >"$W/bin/ser-decode"
	printf '#!/bin/sh\ncat >/dev/null\necho x\n' >"$W/bin/ser-features"
	cp "$W/bin/ser-features" "$W/bin/ser-scale"
	printf '#!/bin/sh\ncat >/dev/null\ncat "%s"\n' "$W/table" >"$W/bin/ser-predict"
	printf '#!/bin/sh\ncat >/dev/null\necho "data:image/png;base64,iVBORw0KGgo="\n' >"$W/bin/ser-plot"
	chmod +x "$W"/bin/*
	export SER_BINDIR=$W/bin
	body1 "$A/speech.wav"
}

HDR7=$'id\tpredicted\tconfidence\tangry\tdisgust\tfear\thappy\tneutral\tsad\tsurprise'

@test "the prediction is read by lib/probs: a good table answers in DESIGN.md's shape" {
	table_bindir
	printf '%s\nx\tsad\t0.4\t0.1\t0.1\t0.1\t0.1\t0.1\t0.4\t0.1\n' "$HDR7" >"$W/table"
	cgi file
	cat "$W/err"
	[[ "$status_line" == "Status: 200 "* ]]
	[ "$rc" -eq 0 ]
	echo "$json" | jq -e '(keys == ["chart_url", "confidence", "predicted_emotion", "probabilities"]) and
		(.predicted_emotion == "sad") and (.confidence == 0.4) and
		(.probabilities | keys_unsorted == ["angry", "disgust", "fear", "happy", "neutral", "sad", "surprise"]) and
		(.probabilities.sad == 0.4) and (.probabilities.angry == 0.1) and
		(.chart_url == "data:image/png;base64,iVBORw0KGgo=")'
	[ -z "$(ls -A "$TMPDIR")" ]
}

@test "a prediction table the CGI cannot answer with: 500, the reason in the log" {
	table_bindir
	local -a tables=(
		"$HDR7"$'\nx\tsad\t0.4\t0.1\t0.1\t0.1\t0.1\t0.1\t0.4\t0.3\n'
		$'id\tpredicted\tconfidence\tangry\tcalm\tfear\thappy\tneutral\tsad\tsurprise\nx\tsad\t0.4\t0.1\t0.1\t0.1\t0.1\t0.1\t0.4\t0.1\n'
		$'id\tpredicted\tconfidence\tangry\tfear\thappy\tneutral\tsad\tsurprise\nx\tsad\t0.5\t0.1\t0.1\t0.1\t0.1\t0.5\t0.1\n'
		"$HDR7"$'\n'
		$'id\tpredicted\tconfidence\tangry\tdisgust\tfear\tsad\tneutral\tsad\tsurprise\nx\tsad\t0.4\t0.1\t0.1\t0.1\t0.1\t0.1\t0.4\t0.1\n'
		"$HDR7"$'\nx\thappy\t0.4\t0.1\t0.1\t0.1\t0.1\t0.1\t0.4\t0.1\n'
		"$HDR7"$'\nx\tsad\t0.4\t0.1\t0.1\t0.1\t0.1\t0.1\t0.4\n'
		""
	)
	local -a why=("sum to" "'calm' is not an emotion" "6 classes, not 7" "no rows" "duplicate column"
		"confidence" "probabilities:2" "probabilities")
	local k
	for k in "${!tables[@]}"; do
		printf '%s' "${tables[$k]}" >"$W/table"
		cgi file
		expect 500 "the prediction could not be read"
		grep -q "detail=\"[^\"]*${why[$k]}" "$W/err"
	done
}

@test "a chart that is not a PNG data URI: 500, the reason in the log" {
	table_bindir
	printf '%s\nx\tsad\t0.4\t0.1\t0.1\t0.1\t0.1\t0.1\t0.4\t0.1\n' "$HDR7" >"$W/table"
	printf '#!/bin/sh\ncat >/dev/null\necho "data:image/png;base64,<script>"\n' >"$W/bin/ser-plot"
	cgi file
	expect 500 "the chart could not be drawn"
	grep -q 'detail="ser-plot: not a PNG data URI"' "$W/err"
	printf '#!/bin/sh\ncat >/dev/null\nexit 1\n' >"$W/bin/ser-plot"
	cgi file
	expect 500 "the chart could not be drawn"
	grep -q 'detail="ser-plot: wait status 256"' "$W/err"
}
