#!/usr/bin/env bash
# 50-load - the upload endpoint under load: lighttpd on a free loopback port
# (tests/web/server.bash), wrk with 16 connections for LOAD_SECONDS (default
# 60) each POSTing a 3.2 s WAV as multipart/form-data (tests/bench/upload.lua).
# Prints requests, failures (any status but 200, socket errors, timeouts),
# throughput, p50/p90/p99 latency with the chart, the server-side stage times
# (median of ser-cgi's log lines), and checks no temporary file is left.
# Exit 1 on a failed request or a leftover file. Traffic stays on 127.0.0.1.
set -u
cd "$(dirname "$0")/../.." || exit 2
: "${B:=build}" "${SER_TOP:=$(pwd)}"
export B SER_TOP
secs=${LOAD_SECONDS:-60}
conns=${LOAD_CONNECTIONS:-16}
threads=2
[ "$conns" -lt 2 ] && threads=1
model=${SER_TEST_MODEL:-$SER_TOP/models/default}
wav=$SER_TOP/testdata/audio/speech.wav

if [ ! -f "$model/model.svm" ]; then
	echo "50-load: no model in $model (make model); skipped"
	exit 0
fi
command -v wrk >/dev/null || { echo "50-load: wrk is not installed"; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/ser-load.XXXXXX")
. "$SER_TOP/tests/web/server.bash"
trap 'stop_server; rm -rf "$work"' EXIT
start_server "$work" "$model" || { echo "50-load: lighttpd did not start"; cat "$work/error.log"; exit 1; }

# one request first: the endpoint works at all
code=$(curl -s -o "$work/one.json" -w '%{http_code}' -F "file=@$wav" "$SER_URL/upload")
[ "$code" = 200 ] || { echo "50-load: a single upload answered $code: $(cat "$work/one.json")"; exit 1; }

# unloaded latency first: one connection, a few seconds
UPLOAD_FILE=$wav nice wrk -t1 -c1 -d5s --timeout 60s -s "$SER_TOP/tests/bench/upload.lua" "$SER_URL/upload" 2>&1 |
	sed -n 's/^ser-load: /one connection, 5 s: /p'

echo "wrk -t$threads -c$conns -d${secs}s --timeout 60s --latency -s tests/bench/upload.lua $SER_URL/upload ($(basename "$wav"), $(stat -c %s "$wav") bytes)"
UPLOAD_FILE=$wav nice wrk -t"$threads" -c"$conns" -d"${secs}s" --timeout 60s --latency \
	-s "$SER_TOP/tests/bench/upload.lua" "$SER_URL/upload" >"$work/wrk.out" 2>&1
st=$?
sed -n '/Latency Distribution/,/requests in/p' "$work/wrk.out"
grep -E 'Requests/sec|Socket errors|Non-2xx' "$work/wrk.out"
grep '^ser-load:' "$work/wrk.out"
sleep 0.5

# server-side figures: the median of each field of ser-cgi's log lines
grep -o 'ser-cgi: status=200 .*' "$work/error.log" >"$work/lines"
line="server medians ($(wc -l <"$work/lines") requests):"
for key in audio parse decode features scale predict plot total; do
	med=$(grep -o " $key=[0-9.]*" "$work/lines" | cut -d= -f2 | sort -n |
		awk '{ v[NR] = $1 } END { if (NR) print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
	[ -n "$med" ] && line="$line $key=$med$([ $key = audio ] && echo s || echo ms)"
done
echo "$line"

fail=0
[ $st -eq 0 ] || { echo "50-load: wrk exited $st"; fail=1; }
bad=$(sed -n 's/^ser-load: failed=\([0-9]*\).*/\1/p' "$work/wrk.out")
[ "${bad:-1}" = 0 ] || { echo "50-load: $bad failed requests"; fail=1; }
if grep -q 'Socket errors' "$work/wrk.out"; then fail=1; fi
left=$(find "$work/tmp" -mindepth 1 | wc -l)
echo "temporary files left: $left"
[ "$left" -eq 0 ] || fail=1
exit $fail
