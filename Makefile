# ser - speech emotion recognition toolkit.  See README.md.
#
#   make            build the library, the programs and the test programs
#   make check      run every test; ends with "N passed, N failed"
#   make asan       the same suite built with -fsanitize=address,undefined
#   make valgrind   the same suite with every program under valgrind
#   make bench      benchmarks (tests/bench/)
#   make install    PREFIX=/usr/local DESTDIR= ; make uninstall
#
# Areas add their own targets in mk/*.mk (model, serve, fuzz, charts...).

PREFIX  ?= /usr/local
BINDIR   = $(PREFIX)/bin
MANDIR   = $(PREFIX)/share/man/man1
DATADIR  = $(PREFIX)/share/ser
DESTDIR ?=

# B is the build directory; the sanitizer run builds into its own.
B       ?= build
CC      ?= cc
CFLAGS  ?= -O2 -g
PKGS     = sndfile libavformat libavcodec libavutil soxr fftw3 fftw3f libseccomp
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
# libav* are compiled against (headers) but not linked: lib/decode_av.c
# dlopen()s them when an M4A/AAC file arrives (dlopen is in glibc >= 2.34).
PKG_LIBS   := $(shell pkg-config --libs $(filter-out libavformat libavcodec libavutil,$(PKGS)) 2>/dev/null)
WARN     = -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
           -Wmissing-prototypes -Wformat=2 -Wvla -Wno-unused-parameter
SER_CPPFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
           -DSER_DATADIR='"$(DATADIR)"' -iquote lib -I/usr/include/libsvm $(PKG_CFLAGS)
SER_LIBS = $(PKG_LIBS) -lsvm -lm -lpthread
SAN      =

LIB_SRC  := $(wildcard lib/*.c)
LIB_OBJ  := $(LIB_SRC:%.c=$(B)/%.o)
CLI_SRC  := $(filter-out cmd/ser-%.c,$(wildcard cmd/*.c))
CLI_OBJ  := $(CLI_SRC:%.c=$(B)/%.o)
PROGS    := $(patsubst cmd/%.c,$(B)/bin/%,$(wildcard cmd/ser-*.c))
SCRIPTS  := $(wildcard scripts/ser-*)
UNIT     := $(patsubst tests/unit/%.c,$(B)/tests/%,$(wildcard tests/unit/test_*.c))
TOOLS    := $(patsubst tests/tools/%.c,$(B)/tools/%,$(wildcard tests/tools/*.c))
MANS     := $(wildcard man/*.1)

all: $(PROGS) $(UNIT) $(TOOLS)

$(B)/libser.a: $(LIB_OBJ)
	@mkdir -p $(@D)
	rm -f $@
	$(AR) rcs $@ $(LIB_OBJ)

$(B)/tests/unit/%.o: tests/unit/%.c
	@mkdir -p $(@D)
	$(CC) $(SER_CPPFLAGS) -Itests/unit $(CPPFLAGS) $(WARN) $(CFLAGS) $(SAN) -MMD -MP -c -o $@ $<

$(B)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(SER_CPPFLAGS) $(CPPFLAGS) $(WARN) $(CFLAGS) $(SAN) -MMD -MP -c -o $@ $<

$(B)/bin/%: $(B)/cmd/%.o $(CLI_OBJ) $(B)/libser.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(SAN) $(LDFLAGS) -o $@ $< $(CLI_OBJ) $(B)/libser.a $(SER_LIBS)

$(B)/tests/%: $(B)/tests/unit/%.o $(B)/libser.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(SAN) $(LDFLAGS) -o $@ $< $(B)/libser.a $(SER_LIBS)

$(B)/tools/%: $(B)/tests/tools/%.o $(CLI_OBJ) $(B)/libser.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(SAN) $(LDFLAGS) -o $@ $< $(CLI_OBJ) $(B)/libser.a $(SER_LIBS)

-include $(shell find $(B) -name '*.d' 2>/dev/null)

check: all
	B=$(B) tests/run

asan:
	$(MAKE) B=build/asan SAN='-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all' CFLAGS='-O1 -g' check

valgrind: all
	B=$(B) SER_VALGRIND=1 tests/run

bench: all
	B=$(B) tests/bench/run

install: $(PROGS)
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR) $(DESTDIR)$(DATADIR)
	for p in $(PROGS); do install -m 755 $$p $(DESTDIR)$(BINDIR)/; done
	for s in $(SCRIPTS); do install -m 755 $$s $(DESTDIR)$(BINDIR)/; done
	for m in $(MANS); do install -m 644 $$m $(DESTDIR)$(MANDIR)/; done
	if [ -d models/default ]; then mkdir -p $(DESTDIR)$(DATADIR)/models && \
	  cp -R models/default $(DESTDIR)$(DATADIR)/models/; fi
	if [ -d web ]; then cp -R web $(DESTDIR)$(DATADIR)/; fi

uninstall:
	for p in $(PROGS) $(SCRIPTS); do rm -f $(DESTDIR)$(BINDIR)/$$(basename $$p); done
	for m in $(MANS); do rm -f $(DESTDIR)$(MANDIR)/$$(basename $$m); done
	rm -rf $(DESTDIR)$(DATADIR)

lint-man:
	mandoc -Tlint -W warning $(MANS)

clean:
	rm -rf build

.SECONDARY:

.PHONY: all check asan valgrind bench install uninstall clean lint-man

-include $(wildcard mk/*.mk)
