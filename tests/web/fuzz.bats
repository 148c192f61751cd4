#!/usr/bin/env bats
# The multipart parser under libFuzzer (the same function ser-cgi calls),
# briefly: its seed corpus and 2000 mutated inputs must not crash it or
# break one of the promises the fuzz target checks. `make fuzz` runs it long.

setup() {
	cd "$SER_TOP"
}

@test "fuzz target builds with clang -fsanitize=fuzzer,address" {
	run make -s B="$B" "$B/fuzz/fuzz_multipart"
	echo "$output"
	[ "$status" -eq 0 ]
	[ -x "$B/fuzz/fuzz_multipart" ]
}

@test "the seed corpus and 2000 mutations run without a crash" {
	make -s B="$B" "$B/fuzz/fuzz_multipart"
	[ "$(ls tests/fuzz/corpus | wc -l)" -ge 5 ]
	mkdir -p "$BATS_TEST_TMPDIR/corpus"
	run "$B/fuzz/fuzz_multipart" -runs=2000 -seed=1 -max_len=8192 -timeout=10 \
		-artifact_prefix="$BATS_TEST_TMPDIR/" "$BATS_TEST_TMPDIR/corpus" tests/fuzz/corpus
	echo "$output" | tail -20
	[ "$status" -eq 0 ]
	[[ "$output" == *"Done 2000 runs"* ]]
	[ -z "$(ls "$BATS_TEST_TMPDIR" | grep -E '^(crash|leak|timeout|oom)-')" ]
}
