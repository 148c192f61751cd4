#!/usr/bin/env bats
# web/index.html: the same colour per class as lib/emotion.h (through
# ser-plot --palette), self-contained (works offline: no external script,
# style, font or image), and the server configurations beside it are sane.

bats_require_minimum_version 1.5.0

setup() {
	cd "$SER_TOP"
}

@test "the page's palette is ser-plot --palette, class by class" {
	run ser-plot --palette
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 7 ]
	for l in "${lines[@]}"; do
		name=${l%%$'\t'*} colour=${l#*$'\t'}
		[[ "$colour" =~ ^#[0-9A-Fa-f]{6}$ ]]
		grep -Eq "^[[:space:]]*$name: \"$colour\",\$" web/index.html ||
			{ echo "web/index.html: $name is not $colour"; return 1; }
	done
	# and no other class in the PALETTE block
	n=$(sed -n '/^const PALETTE = {/,/^};/p' web/index.html | grep -Ec '^[[:space:]]*[a-z]+: "#[0-9A-Fa-f]{6}",$')
	[ "$n" -eq 7 ]
}

@test "the page loads nothing from elsewhere" {
	run ! grep -Eqi '(src|href)=["'"'"']?(https?:)?//' web/index.html
	run ! grep -Eqi '@import|url\(["'"'"']?(https?:)?//' web/index.html
	run ! grep -Eqi '<link[^>]+stylesheet|<script[^>]+src=' web/index.html
	grep -q "default-src 'none'" web/index.html
}

@test "the page uploads field 'file' to a relative 'upload' with progress events" {
	grep -q 'fd.append("file", file' web/index.html
	grep -q 'xhr.open("POST", "upload")' web/index.html
	grep -q 'xhr.upload.addEventListener("progress"' web/index.html
	# server data never goes through innerHTML
	run ! grep -q 'innerHTML' web/index.html
}

@test "web/lighttpd-conf fills every placeholder and lighttpd accepts the result" {
	run web/lighttpd-conf 5999 /opt/ser/bin /opt/ser/models/default /var/tmp/ser /dev/stderr
	[ "$status" -eq 0 ]
	# no placeholder (@NAME@) left outside the comments (a bare `! ... | grep -q`
	# would never fail the test)
	# shellcheck disable=SC2143
	[ -z "$(printf '%s\n' "$output" | grep -v '^#' | grep @)" ]
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/l.conf"
	run lighttpd -tt -f "$BATS_TEST_TMPDIR/l.conf"
	echo "$output"
	[ "$status" -eq 0 ]
	run web/lighttpd-conf 59x /a /b /c /d
	[ "$status" -eq 2 ]
	run web/lighttpd-conf 5999 relative /b /c /d
	[ "$status" -eq 2 ]
	run web/lighttpd-conf 5999 '/a"b' /b /c /d
	[ "$status" -eq 2 ]
}

@test "the nginx and Apache configurations name the endpoint and its environment" {
	for f in web/nginx.conf web/apache.conf; do
		[ -f "$f" ]
		grep -q '/upload' "$f"
		grep -q 'SER_MODEL' "$f"
		grep -q 'SER_CGI_TMPDIR' "$f"
	done
	grep -q 'fcgiwrap' web/nginx.conf
	grep -q 'ScriptAlias' web/apache.conf
}
