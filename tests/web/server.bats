#!/usr/bin/env bats
# End to end through lighttpd on a free loopback port: the page at /, and
# curl -F file=@x at /upload for every accepted container, each answered
# with seven probabilities summing to 1 and a PNG chart; errors as JSON; no
# temporary file left.

bats_require_minimum_version 1.5.0

setup_file() {
	. "$SER_TOP/tests/web/server.bash"
	server_setup_file
}

teardown_file() {
	. "$SER_TOP/tests/web/server.bash"
	server_teardown_file
}

setup() {
	[ -f "$MODEL/model.svm" ] || skip "models/default is not there yet"
	[ -n "${SER_URL:-}" ] || { echo "lighttpd did not start: $(cat "$SRV"/*.log 2>/dev/null)"; return 1; }
	A=$SER_TOP/testdata/audio
}

# upload FILE: POST it as field "file"; sets code and json
upload() {
	json=$(curl -s -S --max-time 60 -w '\n%{http_code}' -F "file=@$1" "$SER_URL/upload")
	code=${json##*$'\n'}
	json=${json%$'\n'*}
}

@test "the page is served at /" {
	run curl -s -S -D "$BATS_TEST_TMPDIR/h" "$SER_URL/"
	[ "$status" -eq 0 ]
	grep -qi '^content-type: text/html' "$BATS_TEST_TMPDIR/h"
	[[ "$output" == *"speech emotion recognition"* ]]
	run -0 curl -s -o /dev/null -w '%{http_code}' "$SER_URL/lighttpd.conf.in"
	[ "$output" = 403 ]
}

@test "every container (wav flac ogg mp3 m4a): 200, seven probabilities summing to 1, a PNG chart" {
	for f in speech.wav speech.flac speech.ogg speech.mp3 speech.m4a; do
		upload "$A/$f"
		echo "$f: $code ${json:0:300}"
		[ "$code" = 200 ]
		echo "$json" | jq -e '(.probabilities | keys) == ["angry","disgust","fear","happy","neutral","sad","surprise"]'
		echo "$json" | jq -e '((.probabilities | add) - 1 | fabs) < 1e-4'
		echo "$json" | jq -e '.confidence == (.probabilities | to_entries | max_by(.value) | .value)'
		echo "$json" | jq -e '.probabilities[.predicted_emotion] == .confidence'
		echo "$json" | jq -r .chart_url | sed -n 's/^data:image\/png;base64,//p' | base64 -d >"$BATS_TEST_TMPDIR/chart.png"
		[ "$(head -c 8 "$BATS_TEST_TMPDIR/chart.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ]
		[ "$(stat -c %s "$BATS_TEST_TMPDIR/chart.png")" -gt 1000 ]
	done
	[ -z "$(ls -A "$SRV/tmp")" ]
}

@test "errors come back as JSON with their status" {
	run -0 curl -s -w '\n%{http_code}' "$SER_URL/upload"
	[[ "$output" == *'"error"'*$'\n'405 ]]
	printf 'not audio\n' >"$BATS_TEST_TMPDIR/a.wav"
	upload "$BATS_TEST_TMPDIR/a.wav"
	[ "$code" = 415 ]
	echo "$json" | jq -e '.error | type == "string"'
	json=$(curl -s -w '\n%{http_code}' -F "note=hello" "$SER_URL/upload")
	[[ "$json" == *"no field named file"*$'\n'400 ]]
	head -c $((16 * 1024 * 1024 + 4096)) /dev/zero >"$BATS_TEST_TMPDIR/big.wav"
	upload "$BATS_TEST_TMPDIR/big.wav"
	[ "$code" = 413 ]
	echo "$json" | jq -e '.error | test("16 MiB")'
	[ -z "$(ls -A "$SRV/tmp")" ]
}

@test "four uploads at once all succeed and leave nothing behind" {
	for i in 1 2 3 4; do
		curl -s -o "$BATS_TEST_TMPDIR/r$i" -w '%{http_code}' -F "file=@$A/speech.wav" "$SER_URL/upload" \
			>"$BATS_TEST_TMPDIR/c$i" &
	done
	wait
	for i in 1 2 3 4; do
		[ "$(cat "$BATS_TEST_TMPDIR/c$i")" = 200 ]
		jq -e '.probabilities | length == 7' "$BATS_TEST_TMPDIR/r$i"
	done
	[ -z "$(ls -A "$SRV/tmp")" ]
	grep -c 'ser-cgi: status=200' "$SRV/error.log"
}
