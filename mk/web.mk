# mk/web.mk - the web page and endpoint (ser-cgi): make serve, make fuzz.
#
#   make serve [PORT=5000] [SER_MODEL=dir]
#       lighttpd in the foreground on 127.0.0.1:PORT: the page at /, the
#       endpoint at /upload, using this tree's build and models/default.
#       The configuration is generated into $(B)/serve/ from web/lighttpd.conf.in.
#   make fuzz [FUZZ_SECONDS=600]
#       the multipart parser under libFuzzer (clang) on tests/fuzz/corpus.

PORT ?= 5000
SERVE_MODEL ?= $(CURDIR)/models/default
FUZZ_SECONDS ?= 600
FUZZ_BIN = $(B)/fuzz/fuzz_multipart

serve: $(B)/bin/ser-cgi $(PROGS)
	@mkdir -p $(B)/serve/tmp
	@chmod 700 $(B)/serve/tmp
	@bindir=$$(cd $(B)/bin && pwd); \
	web/lighttpd-conf $(PORT) "$$bindir" "$(SERVE_MODEL)" "$$(cd $(B)/serve/tmp && pwd)" /dev/stderr \
		>$(B)/serve/lighttpd.conf
	@[ -f "$(SERVE_MODEL)/model.svm" ] || \
		echo "make serve: warning: no model in $(SERVE_MODEL); the endpoint will answer 503" >&2
	@echo "ser: http://127.0.0.1:$(PORT)/  (Ctrl-C stops; config $(B)/serve/lighttpd.conf)"
	lighttpd -D -f $(B)/serve/lighttpd.conf

# The fuzz target calls the same parser the CGI program calls.
$(FUZZ_BIN): tests/fuzz/fuzz_multipart.c lib/multipart.c lib/multipart.h lib/error.c lib/error.h
	@mkdir -p $(@D)
	clang -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Ilib -g -O1 \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-o $@ tests/fuzz/fuzz_multipart.c lib/multipart.c lib/error.c

fuzz: $(FUZZ_BIN)
	@mkdir -p $(B)/fuzz/corpus
	$(FUZZ_BIN) -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -timeout=10 \
		-artifact_prefix=$(B)/fuzz/ $(B)/fuzz/corpus tests/fuzz/corpus

.PHONY: serve fuzz
