# mk/decode.mk - ser-decode's extra targets.
#   make decode-corpora   decode all of ../shared/corpora with ser-decode (minutes)
#   make testdata         regenerate testdata/audio (espeak-ng, sox, ffmpeg)

decode-corpora: $(B)/bin/ser-decode
	B=$(B) tests/tools/decode-corpora.sh

testdata:
	scripts/make-testdata

.PHONY: decode-corpora testdata

# mutation fuzz (use an ASan build: make decode-mutate B=build/asan SAN=...)
decode-mutate: $(B)/bin/ser-decode $(B)/tools/mkbadaudio
	B=$(B) tests/tools/decode-mutate.sh $(N)

.PHONY: decode-mutate
