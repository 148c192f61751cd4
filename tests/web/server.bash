# server.bash - start and stop lighttpd on a free loopback port with a
# configuration generated from web/lighttpd.conf.in, for tests/web/*.bats and
# tests/bench/50-load.sh. Source it; needs SER_TOP and B.

# start_server DIR MODEL: lighttpd serving this tree's page and ser-cgi
# ($B/bin) with MODEL; its scratch directory is DIR/tmp. Sets SER_PORT,
# SER_URL and SER_SERVER_PID. Returns 1 if no port could be had.
start_server() {
	local dir=$1 model=$2 bindir port pid _ try
	bindir=$(cd "$B/bin" && pwd)
	mkdir -p "$dir/tmp"
	chmod 700 "$dir/tmp"
	for try in $(seq 20); do
		port=$((20000 + (RANDOM * 7 + try) % 30000))
		"$SER_TOP/web/lighttpd-conf" "$port" "$bindir" "$model" "$dir/tmp" "$dir/error.log" \
			>"$dir/lighttpd.conf" || return 1
		lighttpd -D -f "$dir/lighttpd.conf" >>"$dir/error.log" 2>&1 3>&- &
		pid=$!
		for _ in $(seq 50); do
			kill -0 "$pid" 2>/dev/null || break
			# our server, not another one that had the port
			if curl -s -o /dev/null -D - "http://127.0.0.1:$port/" 2>/dev/null | grep -qi '^server: ser'; then
				SER_PORT=$port SER_URL=http://127.0.0.1:$port SER_SERVER_PID=$pid
				export SER_PORT SER_URL SER_SERVER_PID
				return 0
			fi
			sleep 0.1
		done
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	return 1
}

stop_server() {
	if [ -n "${SER_SERVER_PID:-}" ]; then
		kill "$SER_SERVER_PID" 2>/dev/null
		wait "$SER_SERVER_PID" 2>/dev/null
		SER_SERVER_PID=
	fi
	return 0
}

# The setup_file/teardown_file of a bats file that needs the server: MODEL is
# SER_TEST_MODEL or the shipped model; without a model nothing is started
# (the file's tests skip or fail on their own terms).
server_setup_file() {
	MODEL=${SER_TEST_MODEL:-$SER_TOP/models/default}
	export MODEL
	[ -f "$MODEL/model.svm" ] || return 0
	export SRV=$BATS_FILE_TMPDIR/srv
	mkdir -p "$SRV"
	start_server "$SRV" "$MODEL"
}

server_teardown_file() {
	stop_server
}
