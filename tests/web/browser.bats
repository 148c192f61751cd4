#!/usr/bin/env bats
# The page in headless Chromium (/usr/bin/chromium driven by playwright-core,
# tests/web/package.json; scripts/install-deps runs npm ci): upload a
# recording by file chooser and by drag and drop, find the emotion, the
# confidence, both charts drawn in the page and the gnuplot chart, exact
# values on hover, a clear error for a non-audio file, a phone-width layout.
# Screenshots: tests/web/artifacts/ (git-ignored).

setup_file() {
	. "$SER_TOP/tests/web/server.bash"
	server_setup_file
}

teardown_file() {
	. "$SER_TOP/tests/web/server.bash"
	server_teardown_file
}

@test "playwright-core and Chromium are installed" {
	[ -x /usr/bin/chromium ] || { echo "no /usr/bin/chromium: run scripts/install-deps"; return 1; }
	[ -d "$SER_TOP/tests/web/node_modules/playwright-core" ] ||
		{ echo "no playwright-core: run scripts/install-deps (npm ci in tests/web)"; return 1; }
	grep -q '"playwright-core": "[0-9]' "$SER_TOP/tests/web/package.json"
	[ -f "$SER_TOP/tests/web/package-lock.json" ]
}

@test "an upload through the page shows the emotion, the confidence and both charts" {
	[ -f "$MODEL/model.svm" ] || skip "models/default is not there yet"
	[ -n "${SER_URL:-}" ] || { cat "$SRV/error.log"; return 1; }
	cd "$SER_TOP/tests/web"
	rm -rf artifacts
	run timeout 180 node browser.mjs "$SER_URL" "$SER_TOP/testdata/audio/speech.wav" "$SER_TOP/tests/web/artifacts"
	echo "$output"
	[ "$status" -eq 0 ]
	for f in upload.png upload-hover.png phone.png error.png; do
		[ "$(head -c 8 "artifacts/$f" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ]
	done
	[ -z "$(ls -A "$SRV/tmp")" ]
}
