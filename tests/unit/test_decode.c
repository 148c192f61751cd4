/*
 * test_decode - lib/decode.c through its API: sniffing, whole-file decode,
 * streaming reads of any size, pipes (spooled), the duration cap, NaN,
 * config validation, and the speed of ser_decode_file on short files.
 * Runs from the repository root (tests/run does).
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "decode.h"
#include "t.h"

#define AUD "testdata/audio/"

static void
test_sniff(void)
{
	static const struct {
		const char *bytes;
		size_t n;
		const char *want;
	} c[] = {
		{ "RIFF\x24\0\0\0WAVEfmt ", 16, "wav" },
		{ "RF64\xff\xff\xff\xffWAVEds64", 16, "rf64" },
		{ "BW64\xff\xff\xff\xffWAVEds64", 16, "rf64" },
		{ "fLaC\0\0\0\x22", 8, "flac" },
		{ "OggS\0\x02\0\0", 8, "ogg" },
		{ "ID3\x04\0\0\0\0\0\x0a", 10, "mp3" },
		{ "\xff\xfb\x90\x00", 4, "mp3" },      /* MPEG-1 layer III 128k 44.1k */
		{ "\xff\xf3\x88\xc4", 4, "mp3" },      /* MPEG-2 layer III */
		{ "\0\0\0\x20" "ftypM4A \0\0\0\0", 16, "m4a" },
		{ "\xff\xf1\x50\x80\x02\x1f\xfc", 7, "aac" },
		{ "RIFF\x24\0\0\0AVI ", 12, NULL },    /* RIFF, not WAVE */
		{ "RIFF", 4, NULL },                   /* too short */
		{ "ID3\xff\0\0\0\0\0\x0a", 10, NULL },  /* bad ID3 version */
		{ "ID3\x04\0\0\x80\0\0\x0a", 10, NULL },/* size not syncsafe */
		{ "\xff\xff\xff\xff", 4, NULL },       /* bad bitrate index */
		{ "\xff\xfa\x00\x00", 4, NULL },       /* free-format bitrate */
		{ "<!DOCTYPE html>", 15, NULL },
		{ "hello world\n", 12, NULL },
		{ "", 0, NULL },
		{ "\x1a\x45\xdf\xa3", 4, NULL },       /* Matroska/WebM */
	};

	for (size_t i = 0; i < sizeof c / sizeof *c; i++) {
		const char *got = ser_audio_sniff((const unsigned char *)c[i].bytes, c[i].n);
		CHECK((got == NULL && c[i].want == NULL) ||
		              (got != NULL && c[i].want != NULL && strcmp(got, c[i].want) == 0),
		      "sniff case %zu: %s (want %s)", i, got ? got : "NULL",
		      c[i].want ? c[i].want : "NULL");
	}
}

static void
test_whole_files(void)
{
	ser_decode_config c;
	ser_audio_info in;
	ser_error e;
	float *wav = NULL, *flac = NULL, *s48 = NULL;
	size_t nw = 0, nf = 0, n48 = 0, diff = 0;
	double maxd = 0;

	ser_decode_config_default(&c);
	CHECK(c.rate_hz == 16000 && c.max_seconds == 3600, "defaults are 16000 Hz, 3600 s");
	CHECK(ser_decode_file(AUD "speech.wav", &c, &wav, &nw, &in, &e) == 0, "decode speech.wav");
	CHECK(nw == 51278, "speech.wav: %zu samples", nw);
	CHECK(strcmp(in.container, "wav") == 0 && strcmp(in.codec, "pcm_s16") == 0 &&
	              in.rate_hz == 16000 && in.channels == 1 && in.frames == 51278,
	      "speech.wav info: %s %s %g %d %lld", in.container, in.codec, in.rate_hz, in.channels,
	      (long long)in.frames);
	CHECK(ser_decode_file(AUD "speech.flac", &c, &flac, &nf, &in, &e) == 0, "decode speech.flac");
	for (size_t i = 0; i < nw && i < nf; i++)
		diff += wav[i] != flac[i];
	CHECK(nf == nw && diff == 0, "FLAC samples identical to the WAV's (%zu differ)", diff);
	CHECK(ser_decode_file(AUD "speech-stereo48k.wav", &c, &s48, &n48, &in, &e) == 0,
	      "decode the 48 kHz stereo file");
	CHECK(in.channels == 2 && in.rate_hz == 48000 && in.frames == 153834,
	      "stereo info: %d ch %g Hz %lld frames", in.channels, in.rate_hz, (long long)in.frames);
	CHECK(n48 >= nw - 2 && n48 <= nw + 2, "resampled to %zu samples (~%zu)", n48, nw);
	for (size_t i = 0; i < nw && i < n48; i++)
		maxd = fmax(maxd, fabs(0.75 * wav[i] - s48[i]));
	CHECK(maxd < 0.02, "stereo downmix = 0.75 x the reference (max abs diff %g)", maxd);
	free(wav);
	free(flac);
	free(s48);

	CHECK(ser_decode_file(AUD "no-such-file.wav", &c, &wav, &nw, NULL, &e) == -1 &&
	              strstr(e.msg, "No such file") != NULL,
	      "missing file: %s", e.msg);
	CHECK(wav == NULL && nw == 0, "failure leaves *out NULL");
	c.max_seconds = 1;
	CHECK(ser_decode_file(AUD "speech.wav", &c, &wav, &nw, NULL, &e) == -1 &&
	              strstr(e.msg, "duration cap of 1 s") != NULL,
	      "a 3.2 s file with a 1 s cap: %s", e.msg);
	c.max_seconds = 3600;
	c.rate_hz = 5;
	CHECK(ser_decode_file(AUD "speech.wav", &c, &wav, &nw, NULL, &e) == -1 &&
	              strstr(e.msg, "output rate") != NULL,
	      "rate 5 Hz refused: %s", e.msg);
	c.rate_hz = 16000;
	c.max_seconds = 0;
	CHECK(ser_decode_file(AUD "speech.wav", &c, &wav, &nw, NULL, &e) == -1,
	      "cap 0 refused: %s", e.msg);
}

/* Reading in tiny and odd sizes gives the same samples as one big read,
 * with and without resampling. */
static void
test_read_sizes(void)
{
	static const double rates[] = { 16000, 22050 };
	ser_decode_config c;
	ser_error e;

	ser_decode_config_default(&c);
	for (size_t r = 0; r < 2; r++) {
		float *all = NULL, *step = malloc(200000 * sizeof *step);
		size_t n = 0, k = 0, bad = 0;
		long got;
		FILE *f = fopen(AUD "speech.ogg", "rb");
		ser_decoder *d;

		c.rate_hz = rates[r];
		CHECK(ser_decode_file(AUD "speech.ogg", &c, &all, &n, NULL, &e) == 0, "decode ogg at %g",
		      c.rate_hz);
		d = f ? ser_decoder_open(fileno(f), "speech.ogg", &c, &e) : NULL;
		CHECK(d != NULL, "open ogg");
		if (d == NULL || step == NULL) {
			free(all);
			free(step);
			if (f)
				fclose(f);
			continue;
		}
		CHECK(ser_decoder_rate(d) == c.rate_hz, "output rate %g", ser_decoder_rate(d));
		for (size_t want = 1; k < 200000; want = want % 997 + 1) {
			got = ser_decoder_read(d, step + k, want, &e);
			if (got <= 0)
				break;
			k += (size_t)got;
		}
		CHECK(got == 0, "reads of 1..997 samples end cleanly");
		CHECK(ser_decoder_read(d, step, 10, &e) == 0, "a read after the end returns 0 again");
		for (size_t i = 0; i < n && i < k; i++)
			bad += step[i] != all[i];
		CHECK(k == n && bad == 0, "rate %g: %zu samples in small reads vs %zu at once, %zu differ",
		      c.rate_hz, k, n, bad);
		CHECK(ser_decoder_info(d)->frames == 51278, "frames %lld",
		      (long long)ser_decoder_info(d)->frames);
		ser_decoder_close(d);
		fclose(f);
		free(all);
		free(step);
	}
}

/* Decoding from a pipe (spooled to an unlinked temporary file). */
static void
test_pipe(void)
{
	ser_decode_config c;
	ser_error e;
	int p[2];
	pid_t pid;
	ser_decoder *d;
	float buf[4096];
	long got, total = 0;

	ser_decode_config_default(&c);
	if (pipe(p) != 0) {
		CHECK(0, "pipe");
		return;
	}
	pid = fork();
	if (pid == 0) {
		FILE *f = fopen(AUD "speech.flac", "rb");
		char b[8192];
		size_t n;
		close(p[0]);
		while (f && (n = fread(b, 1, sizeof b, f)) > 0)
			if (write(p[1], b, n) != (ssize_t)n)
				_exit(1);
		_exit(0);
	}
	close(p[1]);
	d = ser_decoder_open(p[0], "pipe", &c, &e);
	CHECK(d != NULL, "open a pipe: %s", d ? "ok" : e.msg);
	while (d && (got = ser_decoder_read(d, buf, 4096, &e)) > 0)
		total += got;
	CHECK(total == 51278, "pipe: %ld samples", total);
	ser_decoder_close(d);
	close(p[0]);
	waitpid(pid, NULL, 0);

	/* a pipe with text in it */
	if (pipe(p) != 0)
		return;
	CHECK(write(p[1], "just some text\n", 15) == 15, "write text");
	close(p[1]);
	d = ser_decoder_open(p[0], "pipe", &c, &e);
	CHECK(d == NULL && strstr(e.msg, "text") != NULL, "text in a pipe: %s", d ? "accepted" : e.msg);
	ser_decoder_close(d);
	close(p[0]);
}

/* A float WAV with a NaN in the first decoded block (sample 5) and in a
 * later one (sample 40000). */
static void
test_nan(void)
{
	static const long where[] = { 5, 40000 };
	ser_decode_config c;
	ser_error e;

	ser_decode_config_default(&c);
	for (size_t w = 0; w < 2; w++) {
		char path[] = "/tmp/test_decode_nanXXXXXX";
		int fd = mkstemp(path);
		FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
		unsigned char h[44];
		uint32_t n = 48000, bytes = n * 4;
		float *s = NULL;
		size_t ns = 0;

		if (f == NULL) {
			CHECK(0, "mkstemp");
			return;
		}
		memcpy(h, "RIFF\0\0\0\0WAVEfmt \x10\0\0\0\x03\0\x01\0\x80\x3e\0\0\0\xfa\0\0\x04\0\x20\0data", 40);
		h[40] = (unsigned char)bytes, h[41] = (unsigned char)(bytes >> 8);
		h[42] = (unsigned char)(bytes >> 16), h[43] = (unsigned char)(bytes >> 24);
		h[4] = (unsigned char)(bytes + 36), h[5] = (unsigned char)((bytes + 36) >> 8);
		h[6] = (unsigned char)((bytes + 36) >> 16), h[7] = 0;
		fwrite(h, 1, 44, f);
		for (uint32_t i = 0; i < n; i++) {
			float v = i == (uint32_t)where[w] ? NAN : 0.1f;
			fwrite(&v, 4, 1, f);
		}
		fclose(f);
		CHECK(ser_decode_file(path, &c, &s, &ns, NULL, &e) == -1 && strstr(e.msg, "NaN") != NULL,
		      "NaN at %ld: %s", where[w], e.msg);
		unlink(path);
	}
}

/* ser-features decodes thousands of short files: measure files/second. */
static void
test_speed(void)
{
	ser_decode_config c;
	ser_error e;
	struct timespec t0, t1;
	int n = 0, ok = 1;
	double dt;

	ser_decode_config_default(&c);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		float *s = NULL;
		size_t ns;
		ok &= ser_decode_file(AUD "speech.flac", &c, &s, &ns, NULL, &e) == 0 && ns == 51278;
		free(s);
		n++;
		clock_gettime(CLOCK_MONOTONIC, &t1);
		dt = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);
	} while (dt < 0.5 && n < 2000);
	CHECK(ok, "repeated decodes all succeed");
	printf("# ser_decode_file: %d x 3.2 s FLAC in %.3f s = %.0f files/s\n", n, dt, n / dt);
	CHECK(n >= 5, "at least 10 files/s even under valgrind (%.0f/s)", n / dt);
}

int
main(void)
{
	test_sniff();
	test_whole_files();
	test_read_sizes();
	test_pipe();
	test_nan();
	test_speed();
	return t_done();
}
