/*
 * mkbadaudio - write hand-made bad (and a few good control) WAV files into
 * DIR, one per case, for the decoder's bad-input table
 * (tests/cli/decode-bad.tsv). Each case names the field it breaks. Cases
 * that need a real encoder (ADPCM, GSM, truncated FLAC/MP3/Ogg/M4A, hours
 * of compressed silence) are made by tests/tools/mkbadaudio.sh, which also
 * runs this program.
 *
 *   mkbadaudio DIR     write the files
 *   mkbadaudio -l      list "name<TAB>what it breaks"
 *   mkbadaudio -m SEED IN OUT   write a mutated copy of IN (up to 128 KiB):
 *                      1-8 random byte changes, half the time also cut at a
 *                      random length (for tests/tools/decode-mutate.sh)
 *
 * Deterministic: the only randomness is a fixed-seed xorshift.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../cmd/cli.h"

typedef struct buf {
	unsigned char d[1 << 17];
	size_t n;
} buf;

static buf b;

static void
put(const void *p, size_t n)
{
	if (b.n + n > sizeof b.d)
		cli_die(1, "case too large");
	memcpy(b.d + b.n, p, n);
	b.n += n;
}

static void
u16(unsigned v)
{
	unsigned char x[2] = { (unsigned char)v, (unsigned char)(v >> 8) };
	put(x, 2);
}

static void
u32(uint32_t v)
{
	unsigned char x[4] = { (unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
	                       (unsigned char)(v >> 24) };
	put(x, 4);
}

static void
tag(const char *t)
{
	put(t, 4);
}

typedef struct fmt {
	unsigned format, channels, block_align, bits;
	uint32_t rate, byte_rate;
} fmt;

static fmt
pcm16(void)
{
	fmt f = { 1, 1, 2, 16, 16000, 32000 };
	return f;
}

static void
riff_start(void)
{
	b.n = 0;
	tag("RIFF");
	u32(0); /* patched by riff_end */
	tag("WAVE");
}

static void
riff_end(void)
{
	uint32_t n = (uint32_t)(b.n - 8);
	b.d[4] = (unsigned char)n, b.d[5] = (unsigned char)(n >> 8);
	b.d[6] = (unsigned char)(n >> 16), b.d[7] = (unsigned char)(n >> 24);
}

static void
fmt_chunk(fmt f, uint32_t size)
{
	tag("fmt ");
	u32(size);
	u16(f.format);
	u16(f.channels);
	u32(f.rate);
	u32(f.byte_rate);
	u16(f.block_align);
	u16(f.bits);
}

/* A 440 Hz tone of n 16-bit samples. */
static void
tone16(size_t n)
{
	for (size_t i = 0; i < n; i++)
		u16((unsigned)(int16_t)lrint(8000 * sin(2 * M_PI * 440 * (double)i / 16000)) & 0xFFFF);
}

static void
data16(size_t n)
{
	tag("data");
	u32((uint32_t)(2 * n));
	tone16(n);
}

static void
simple(fmt f)
{
	riff_start();
	fmt_chunk(f, 16);
	data16(1600);
	riff_end();
}

static uint64_t rng = 0x9E3779B97F4A7C15u;

static uint64_t
xorshift(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void
float_with(float bad)
{
	fmt f = { 3, 1, 4, 32, 16000, 64000 };
	riff_start();
	fmt_chunk(f, 16);
	tag("data");
	u32(4 * 1600);
	for (int i = 0; i < 1600; i++) {
		float v = i == 800 ? bad : (float)(0.25 * sin(2 * M_PI * 440 * i / 16000.0));
		uint32_t u;
		memcpy(&u, &v, 4);
		u32(u);
	}
	riff_end();
}

/* Every case: name, what it breaks, how to build it into b. */
static void
c_empty(void)
{
	b.n = 0;
}

static void
c_trunc_riff(void)
{
	simple(pcm16());
	b.n = 7;
}

static void
c_trunc_header(void)
{
	simple(pcm16());
	b.n = 30;
}

static void
c_trunc_data(void)
{
	simple(pcm16());
	b.n = 44 + 1000;
}

static void
c_text(void)
{
	static const char t[] = "This is a plain text file renamed to .wav.\nIt has two lines.\n";
	b.n = 0;
	put(t, sizeof t - 1);
}

static void
c_html(void)
{
	static const char t[] = "<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head>"
	                        "<body><h1>Not Found</h1></body></html>\n";
	b.n = 0;
	put(t, sizeof t - 1);
}

static void
c_random(void)
{
	b.n = 0;
	for (int i = 0; i < 4096 / 8; i++) {
		uint64_t v = xorshift();
		put(&v, 8);
	}
}

static void
c_chan0(void)
{
	fmt f = pcm16();
	f.channels = 0;
	f.block_align = 0;
	simple(f);
}

static void
c_chan65535(void)
{
	fmt f = pcm16();
	f.channels = 65535;
	f.block_align = 2 * 65535 & 0xFFFF;
	simple(f);
}

static void
c_rate0(void)
{
	fmt f = pcm16();
	f.rate = 0;
	f.byte_rate = 0;
	simple(f);
}

static void
c_ratemax(void)
{
	fmt f = pcm16();
	f.rate = 4294967295u;
	f.byte_rate = 4294967294u;
	simple(f);
}

static void
c_bits0(void)
{
	fmt f = pcm16();
	f.bits = 0;
	simple(f);
}

static void
c_bits12(void)
{
	fmt f = pcm16();
	f.bits = 12;
	simple(f);
}

static void
c_blockalign(void)
{
	fmt f = pcm16();
	f.block_align = 3;
	simple(f);
}

static void
c_data_past_end(void)
{
	riff_start();
	fmt_chunk(pcm16(), 16);
	tag("data");
	u32(0x7FFFFFF0u);
	tone16(1600);
	riff_end();
}

static void
c_fmt_past_end(void)
{
	riff_start();
	fmt_chunk(pcm16(), 0x7FFFFFF0u);
	data16(1600);
	riff_end();
}

static void
c_fmt_short(void)
{
	riff_start();
	tag("fmt ");
	u32(8);
	u16(1);
	u16(1);
	u32(16000);
	data16(1600);
	riff_end();
}

static void
c_list_past_end(void)
{
	riff_start();
	fmt_chunk(pcm16(), 16);
	tag("LIST");
	u32(0x40000000u);
	data16(1600);
	riff_end();
}

static void
c_two_fmt(void)
{
	riff_start();
	fmt_chunk(pcm16(), 16);
	fmt_chunk(pcm16(), 16);
	data16(1600);
	riff_end();
}

static void
c_fmt_after_data(void)
{
	riff_start();
	fmt_chunk(pcm16(), 16);
	data16(1600);
	fmt_chunk(pcm16(), 16);
	riff_end();
}

static void
c_no_fmt(void)
{
	riff_start();
	data16(1600);
	riff_end();
}

static void
c_no_data(void)
{
	riff_start();
	fmt_chunk(pcm16(), 16);
	riff_end();
}

static void
c_two_data(void)
{
	riff_start();
	fmt_chunk(pcm16(), 16);
	data16(800);
	data16(800);
	riff_end();
}

static void
c_data_empty(void)
{
	riff_start();
	fmt_chunk(pcm16(), 16);
	tag("data");
	u32(0);
	riff_end();
}

static void
c_odd_data(void)
{
	riff_start();
	fmt_chunk(pcm16(), 16);
	tag("data");
	u32(3201);
	tone16(1600);
	put("\0\0", 2);
	riff_end();
}

static void
c_tag_adpcm(void)
{
	fmt f = { 0x0011, 1, 256, 4, 16000, 8110 };
	simple(f);
}

static void
c_tag_mp3(void)
{
	fmt f = { 0x0055, 1, 1, 0, 16000, 4000 };
	simple(f);
}

static void
c_ext_bad_guid(void)
{
	riff_start();
	tag("fmt ");
	u32(40);
	u16(0xFFFE);
	u16(1);
	u32(16000);
	u32(32000);
	u16(2);
	u16(16);
	u16(22);
	u16(16);
	u32(4);
	put("\x01\x00\x00\x00\xde\xad\xbe\xef\xde\xad\xbe\xef\xde\xad\xbe\xef", 16);
	data16(1600);
	riff_end();
}

static void
c_ext_adpcm(void)
{
	riff_start();
	tag("fmt ");
	u32(40);
	u16(0xFFFE);
	u16(1);
	u32(16000);
	u32(8000);
	u16(256);
	u16(4);
	u16(22);
	u16(4);
	u32(4);
	put("\x11\x00\x00\x00\x00\x00\x10\x00\x80\x00\x00\xaa\x00\x38\x9b\x71", 16);
	data16(1600);
	riff_end();
}

static void
c_rf64_no_ds64(void)
{
	simple(pcm16());
	memcpy(b.d, "RF64", 4);
}

static void
c_many_chunks(void)
{
	riff_start();
	fmt_chunk(pcm16(), 16);
	for (int i = 0; i < 5000; i++) {
		tag("junk");
		u32(0);
	}
	data16(160);
	riff_end();
}

static void
c_nan(void)
{
	float_with(NAN);
}

static void
c_inf(void)
{
	float_with(INFINITY);
}

static void
c_neginf(void)
{
	float_with(-INFINITY);
}

/* Controls: these must decode. */
static void
c_good(void)
{
	simple(pcm16());
}

static void
c_good_stream(void)
{
	/* data size 0xFFFFFFFF, as written by a streaming writer to a pipe */
	simple(pcm16());
	b.d[40] = b.d[41] = b.d[42] = b.d[43] = 0xFF;
	b.d[4] = b.d[5] = b.d[6] = b.d[7] = 0xFF;
}

static void
c_good_trailing(void)
{
	/* bytes after the end of the RIFF chunk are ignored */
	simple(pcm16());
	put("garbage after the RIFF chunk", 28);
}

static const struct {
	const char *name, *what;
	void (*make)(void);
} cases[] = {
	{ "empty.wav", "the whole file: 0 bytes", c_empty },
	{ "trunc-riff.wav", "RIFF header: cut after 7 bytes", c_trunc_riff },
	{ "trunc-header.wav", "fmt chunk: file cut at byte 30, inside fmt", c_trunc_header },
	{ "trunc-data.wav", "data chunk: claims 3200 bytes, 1000 present", c_trunc_data },
	{ "text.wav", "everything: plain text named .wav", c_text },
	{ "html.wav", "everything: an HTML page named .wav", c_html },
	{ "random.wav", "everything: 4096 xorshift bytes (fixed seed)", c_random },
	{ "chan0.wav", "fmt nChannels = 0", c_chan0 },
	{ "chan65535.wav", "fmt nChannels = 65535", c_chan65535 },
	{ "rate0.wav", "fmt nSamplesPerSec = 0", c_rate0 },
	{ "ratemax.wav", "fmt nSamplesPerSec = 4294967295", c_ratemax },
	{ "bits0.wav", "fmt wBitsPerSample = 0", c_bits0 },
	{ "bits12.wav", "fmt wBitsPerSample = 12 with PCM", c_bits12 },
	{ "blockalign.wav", "fmt nBlockAlign = 3 for mono 16-bit", c_blockalign },
	{ "data-past-end.wav", "data chunk size 0x7FFFFFF0, past the end", c_data_past_end },
	{ "fmt-past-end.wav", "fmt chunk size 0x7FFFFFF0, past the end", c_fmt_past_end },
	{ "fmt-short.wav", "fmt chunk size 8 (< 16)", c_fmt_short },
	{ "list-past-end.wav", "LIST chunk size 0x40000000, past the end", c_list_past_end },
	{ "two-fmt.wav", "a second fmt chunk", c_two_fmt },
	{ "fmt-after-data.wav", "a fmt chunk after the data chunk", c_fmt_after_data },
	{ "no-fmt.wav", "no fmt chunk (data first)", c_no_fmt },
	{ "no-data.wav", "no data chunk", c_no_data },
	{ "two-data.wav", "two data chunks", c_two_data },
	{ "data-empty.wav", "data chunk of 0 bytes: no audio", c_data_empty },
	{ "odd-data.wav", "data size 3201: not whole 2-byte frames", c_odd_data },
	{ "tag-ima.wav", "fmt wFormatTag = 0x0011 (IMA ADPCM), hand-made", c_tag_adpcm },
	{ "tag-mp3.wav", "fmt wFormatTag = 0x0055 (MP3 in WAV)", c_tag_mp3 },
	{ "ext-bad-guid.wav", "extensible SubFormat GUID not KSDATAFORMAT", c_ext_bad_guid },
	{ "ext-adpcm.wav", "extensible SubFormat = IMA ADPCM", c_ext_adpcm },
	{ "rf64-no-ds64.wav", "RF64 magic without a ds64 chunk", c_rf64_no_ds64 },
	{ "many-chunks.wav", "5000 empty junk chunks (walker bound 4096)", c_many_chunks },
	{ "nan.wav", "float32 data: sample 800 is NaN", c_nan },
	{ "inf.wav", "float32 data: sample 800 is +Inf", c_inf },
	{ "neginf.wav", "float32 data: sample 800 is -Inf", c_neginf },
	{ "good.wav", "control: a valid 0.1 s tone", c_good },
	{ "good-stream.wav", "control: RIFF and data sizes 0xFFFFFFFF", c_good_stream },
	{ "good-trailing.wav", "control: 28 bytes after the RIFF chunk", c_good_trailing },
};

int
main(int argc, char **argv)
{
	size_t i;

	cli_init("mkbadaudio");
	if (argc == 2 && strcmp(argv[1], "-l") == 0) {
		for (i = 0; i < sizeof cases / sizeof *cases; i++)
			printf("%s\t%s\n", cases[i].name, cases[i].what);
		return cli_close_stdout(0);
	}
	if (argc == 5 && strcmp(argv[1], "-m") == 0) {
		FILE *f = fopen(argv[3], "rb");
		int k;
		rng = (uint64_t)cli_opt_int("-m", argv[2], 1, INT64_MAX) * 0x9E3779B97F4A7C15u;
		if (f == NULL)
			cli_die(1, "%s: %s", argv[3], strerror(errno));
		b.n = fread(b.d, 1, sizeof b.d, f);
		fclose(f);
		if (b.n == 0)
			cli_die(1, "%s: empty", argv[3]);
		for (k = (int)(xorshift() % 8) + 1; k > 0; k--)
			b.d[xorshift() % b.n] = (unsigned char)xorshift();
		if (xorshift() & 1)
			b.n = (size_t)(xorshift() % b.n);
		f = fopen(argv[4], "wb");
		if (f == NULL || fwrite(b.d, 1, b.n, f) != b.n || fclose(f) != 0)
			cli_die(1, "%s: %s", argv[4], strerror(errno));
		return cli_close_stdout(0);
	}
	if (argc != 2)
		cli_usage_error("usage: mkbadaudio DIR | -l | -m SEED IN OUT");
	for (i = 0; i < sizeof cases / sizeof *cases; i++) {
		char path[4096];
		FILE *f;
		snprintf(path, sizeof path, "%s/%s", argv[1], cases[i].name);
		cases[i].make();
		f = fopen(path, "wb");
		if (f == NULL || fwrite(b.d, 1, b.n, f) != b.n || fclose(f) != 0)
			cli_die(1, "%s: %s", path, strerror(errno));
	}
	return cli_close_stdout(0);
}
