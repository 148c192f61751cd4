/*
 * test_decode_av - the on-demand libav* loading of lib/decode_av.c through
 * the decoder API: every M4A decoder opens its own library handles, so
 * decoders that overlap, and a decoder that outlives another's close, must
 * decode exactly what a lone decoder does; opening and closing many in one
 * process must keep working (the loader refcounts the handles). The "no
 * libav*" path is in tests/cli/decode-lazy.bats (it needs LD_LIBRARY_PATH).
 * Runs from the repository root (tests/run does).
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "decode.h"
#include "t.h"

#define M4A "testdata/audio/speech.m4a"
#define WAV "testdata/audio/speech.wav"
#define CAP 200000 /* samples; speech.m4a is ~51k at 16 kHz */

typedef struct stream {
	int fd;
	ser_decoder *d;
	float *buf;
	size_t n;
	int done;
} stream;

static int
stream_open(stream *s, const char *path, ser_error *e)
{
	ser_decode_config c;

	memset(s, 0, sizeof *s);
	s->fd = -1;
	ser_decode_config_default(&c);
	s->buf = malloc(CAP * sizeof *s->buf);
	s->fd = open(path, O_RDONLY);
	if (s->buf == NULL || s->fd < 0)
		return -1;
	s->d = ser_decoder_open(s->fd, path, &c, e);
	return s->d == NULL ? -1 : 0;
}

/* Read up to k samples; 1 while more may come, 0 at the end, -1 on error. */
static int
stream_step(stream *s, size_t k, ser_error *e)
{
	long r;

	if (s->done)
		return 0;
	if (s->n + k > CAP)
		return -1;
	r = ser_decoder_read(s->d, s->buf + s->n, k, e);
	if (r < 0)
		return -1;
	if (r == 0) {
		s->done = 1;
		return 0;
	}
	s->n += (size_t)r;
	return 1;
}

static void
stream_close(stream *s)
{
	if (s->d != NULL)
		ser_decoder_close(s->d);
	if (s->fd >= 0)
		close(s->fd);
	free(s->buf);
	memset(s, 0, sizeof *s);
	s->fd = -1;
}

static int
same(const float *a, size_t na, const float *b, size_t nb)
{
	return na == nb && memcmp(a, b, na * sizeof *a) == 0;
}

int
main(void)
{
	ser_decode_config c;
	ser_error e = { "" };
	float *ref = NULL;
	size_t nref = 0;
	stream a, b, w;
	int i, ra = 1, rb = 1, ok;

	ser_decode_config_default(&c);
	ok = ser_decode_file(M4A, &c, &ref, &nref, NULL, &e) == 0;
	CHECK(ok && nref > 40000, "reference decode of speech.m4a: %zu samples (%s)", nref, e.msg);
	if (!ok)
		return t_done();

	/* two M4A decoders and a WAV decoder open at once, read in turns */
	ok = stream_open(&a, M4A, &e) == 0;
	CHECK(ok, "open first m4a decoder (%s)", e.msg);
	ok = ok && stream_open(&b, M4A, &e) == 0;
	CHECK(ok, "open second m4a decoder while the first is open (%s)", e.msg);
	ok = ok && stream_open(&w, WAV, &e) == 0;
	CHECK(ok, "open a wav decoder beside them (%s)", e.msg);
	while (ok && (ra > 0 || rb > 0)) {
		ra = stream_step(&a, 1000, &e);
		rb = stream_step(&b, 777, &e);
		if (ra < 0 || rb < 0 || stream_step(&w, 500, &e) < 0)
			ok = 0;
	}
	CHECK(ok, "interleaved reads (%s)", e.msg);
	CHECK(same(a.buf, a.n, ref, nref), "first decoder: %zu samples equal the reference", a.n);
	CHECK(same(b.buf, b.n, ref, nref), "second decoder: %zu samples equal the reference", b.n);
	stream_close(&a);
	stream_close(&b);
	stream_close(&w);

	/* a decoder that outlives the close of another (its handles dropped) */
	ok = stream_open(&a, M4A, &e) == 0 && stream_open(&b, M4A, &e) == 0;
	CHECK(ok, "open two m4a decoders again (%s)", e.msg);
	ok = ok && stream_step(&a, 4096, &e) > 0 && stream_step(&b, 4096, &e) > 0;
	stream_close(&a);
	while (ok && (rb = stream_step(&b, 3000, &e)) > 0)
		;
	CHECK(ok && rb == 0, "the second decodes on after the first is closed (%s)", e.msg);
	CHECK(same(b.buf, b.n, ref, nref), "and its %zu samples equal the reference", b.n);
	stream_close(&b);

	/* many open/close cycles in one process, each decoding a little */
	ok = 1;
	for (i = 0; i < 25 && ok; i++) {
		ok = stream_open(&a, M4A, &e) == 0 && stream_step(&a, 2048, &e) > 0 &&
		     memcmp(a.buf, ref, a.n * sizeof *ref) == 0;
		stream_close(&a);
	}
	CHECK(ok, "%d open/decode/close cycles (%s)", i, e.msg);

	free(ref);
	return t_done();
}
