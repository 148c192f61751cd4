# mk/features.mk - ser-features targets.
#   make check-features   only the feature tests: librosa parity of every
#                         descriptor, the feature sets, the CLI
#   make bench-features   only tests/bench/20-features.sh

check-features: all
	B=$(B) TESTS="$(B)/tests/test_parity $(B)/tests/test_featset $(B)/tests/test_featfunc $(B)/tests/test_words tests/cli/features.bats" tests/run

bench-features: all
	B=$(B) BENCH=20-features tests/bench/run

.PHONY: check-features bench-features
