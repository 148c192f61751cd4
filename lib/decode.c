/*
 * decode.c - the one decoder path of ser (see decode.h).
 *
 * Stages, each bounded:
 *   1. source: a regular file is read in place with pread; anything else (a
 *      pipe) is spooled into an unlinked tmpfile(), at most spool_cap() bytes.
 *   2. sniff: the container is decided by the first bytes, never the name.
 *   3. validate before any decoder library sees the bytes:
 *      WAV/RF64 by our own RIFF chunk walker (allow-listed fmt, sizes inside
 *      the file, exactly one fmt before data); FLAC by its STREAMINFO; Ogg by
 *      its last page (must end the file and carry end-of-stream); MP3 by a
 *      walk of the frame headers (the last frame must be whole).
 *   4. decode: libsndfile (virtual I/O over the source) or libavformat /
 *      libavcodec (decode_av.c), in blocks of at most BLOCK_SAMPLES floats.
 *   5. downmix (mean of channels, in double), refuse NaN/Inf, count input
 *      frames against the duration cap, resample with libsoxr (SOXR_HQ,
 *      streaming, one thread) when the output rate differs.
 */
#include "decode.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sndfile.h>
#include <soxr.h>

#include "decode_int.h"

#define BLOCK_SAMPLES 16384 /* interleaved floats decoded per block */
#define SNIFF_BYTES 4096
#define MAX_CHUNKS 4096 /* RIFF chunks walked before giving up */

enum backend { BE_SNDFILE, BE_AV };

struct ser_decoder {
	ser_src src;
	ser_audio_info info;
	ser_decode_config cfg;
	double out_rate;
	int64_t cap_frames;   /* input frames allowed by cfg.max_seconds */
	int64_t want_frames;  /* frames the container promises, -1 if unknown */
	enum backend be;
	SNDFILE *sf;
	ser_av *av;
	soxr_t soxr;          /* NULL when no resampling is needed */
	float *block;         /* BLOCK_SAMPLES interleaved input floats */
	float *mono;          /* mono input awaiting the resampler */
	size_t mono_len, mono_off;
	int in_eof;           /* the decoder returned its last frame */
	int flushed;          /* the resampler has been drained */
	int failed;
};

void
ser_decode_config_default(ser_decode_config *c)
{
	c->rate_hz = 16000;
	c->max_seconds = 3600;
}

/* ---------- byte source ---------- */

long
ser_src_read_at(const ser_src *s, int64_t off, void *buf, size_t n)
{
	size_t got = 0;

	if (off < 0 || off >= s->size)
		return 0;
	if ((int64_t)n > s->size - off)
		n = (size_t)(s->size - off);
	while (got < n) {
		ssize_t r = pread(s->fd, (char *)buf + got, n - got, (off_t)(s->base + off + (int64_t)got));
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (long)got;
}

/* Bytes a pipe may spool: enough for max_seconds of 8-channel 32-bit audio
 * at 96 kHz (3 MB/s), at least 64 MiB. No accepted file within the duration
 * cap is larger, so the cap never refuses good input, while a pipe that
 * never ends cannot fill the disk. */
static int64_t
spool_cap(const ser_decode_config *c)
{
	double b = c->max_seconds * 96000.0 * 8 * 4;

	if (b < 64.0 * 1048576)
		b = 64.0 * 1048576;
	if (b > 64.0 * 1073741824)
		b = 64.0 * 1073741824;
	return (int64_t)b;
}

static int
src_open(ser_src *s, int fd, const ser_decode_config *c, ser_error *e)
{
	struct stat st;
	off_t here;
	char buf[65536];
	int64_t total = 0, cap = spool_cap(c);

	memset(s, 0, sizeof *s);
	s->fd = -1;
	if (fstat(fd, &st) != 0)
		return ser_error_set(e, "cannot examine input: %s", strerror(errno));
	if (S_ISDIR(st.st_mode))
		return ser_error_set(e, "is a directory");
	if (S_ISREG(st.st_mode) && (here = lseek(fd, 0, SEEK_CUR)) >= 0 && here <= st.st_size) {
		s->fd = fd;
		s->base = here;
		s->size = st.st_size - here;
		return 0;
	}
	s->spool = tmpfile();
	if (s->spool == NULL)
		return ser_error_set(e, "cannot create a temporary file for piped input: %s",
		                     strerror(errno));
	s->fd = fileno(s->spool);
	for (;;) {
		ssize_t r = read(fd, buf, sizeof buf);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return ser_error_set(e, "read error: %s", strerror(errno));
		}
		if (r == 0)
			break;
		if (total + r > cap)
			return ser_error_set(e, "piped input larger than %lld bytes",
			                     (long long)cap);
		for (ssize_t w = 0; w < r;) {
			ssize_t k = write(s->fd, buf + w, (size_t)(r - w));
			if (k < 0) {
				if (errno == EINTR)
					continue;
				return ser_error_set(e, "cannot spool piped input: %s", strerror(errno));
			}
			w += k;
		}
		total += r;
	}
	s->size = total;
	return 0;
}

static void
src_close(ser_src *s)
{
	if (s->spool != NULL)
		fclose(s->spool);
	s->spool = NULL;
}

/* ---------- sniffing ---------- */

static uint32_t
le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t
le16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint64_t
le64(const unsigned char *p)
{
	return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

/* An MPEG audio frame header at p (4 bytes): returns the frame length in
 * bytes (0 if it is not a valid header) and the sample rate. Free-format
 * (bitrate index 0) is refused. ISO 11172-3 / 13818-3. */
static unsigned
mpeg_frame(const unsigned char *p, unsigned *rate)
{
	static const unsigned br[2][3][15] = {
		{ /* MPEG-1: layer I, II, III */
		  { 0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448 },
		  { 0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384 },
		  { 0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320 } },
		{ /* MPEG-2/2.5 */
		  { 0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256 },
		  { 0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160 },
		  { 0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160 } } };
	static const unsigned sr[3] = { 44100, 48000, 32000 };
	unsigned ver, layer, bri, sri, pad, kbps, hz, lsf;

	if (p[0] != 0xFF || (p[1] & 0xE0) != 0xE0)
		return 0;
	ver = (p[1] >> 3) & 3;   /* 0: 2.5, 1: reserved, 2: 2, 3: 1 */
	layer = (p[1] >> 1) & 3; /* 1: III, 2: II, 3: I, 0: reserved */
	bri = p[2] >> 4;
	sri = (p[2] >> 2) & 3;
	pad = (p[2] >> 1) & 1;
	if (ver == 1 || layer == 0 || bri == 0 || bri == 15 || sri == 3)
		return 0;
	lsf = ver != 3;
	kbps = br[lsf][3 - layer][bri];
	hz = sr[sri] >> (ver == 3 ? 0 : ver == 2 ? 1 : 2);
	*rate = hz;
	if (layer == 3) /* layer I */
		return (12 * kbps * 1000 / hz + pad) * 4;
	if (layer == 1 && lsf) /* layer III, MPEG-2/2.5 */
		return 72 * kbps * 1000 / hz + pad;
	return 144 * kbps * 1000 / hz + pad;
}

const char *
ser_audio_sniff(const unsigned char *b, size_t n)
{
	unsigned rate;

	if (n >= 12 && memcmp(b + 8, "WAVE", 4) == 0) {
		if (memcmp(b, "RIFF", 4) == 0)
			return "wav";
		if (memcmp(b, "RF64", 4) == 0 || memcmp(b, "BW64", 4) == 0)
			return "rf64";
	}
	if (n >= 4 && memcmp(b, "fLaC", 4) == 0)
		return "flac";
	if (n >= 4 && memcmp(b, "OggS", 4) == 0)
		return "ogg";
	if (n >= 12 && memcmp(b + 4, "ftyp", 4) == 0)
		return "m4a";
	if (n >= 10 && memcmp(b, "ID3", 3) == 0 && b[3] >= 2 && b[3] <= 4 && b[3] != 0xFF &&
	    !(b[6] & 0x80) && !(b[7] & 0x80) && !(b[8] & 0x80) && !(b[9] & 0x80))
		return "mp3";
	if (n >= 4 && mpeg_frame(b, &rate) != 0)
		return "mp3";
	/* ADTS AAC: 12-bit sync, layer 0, a valid sampling index */
	if (n >= 7 && b[0] == 0xFF && (b[1] & 0xF6) == 0xF0 && ((b[2] >> 2) & 15) < 13)
		return "aac";
	return NULL;
}

/* Why buf (the start of a file that sniffing refused) is not audio. */
static void
refuse_reason(const unsigned char *b, size_t n, ser_error *e)
{
	size_t i, text = 0;

	for (i = 0; i < n; i++)
		if ((b[i] >= 0x20 && b[i] < 0x7F) || b[i] == '\n' || b[i] == '\r' || b[i] == '\t' ||
		    b[i] >= 0x80)
			text++;
	if (n >= 1 && text == n) {
		for (i = 0; i < n && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t'); i++)
			;
		if (n - i >= 5 && b[i] == '<' &&
		    (strncasecmp((const char *)b + i, "<!doc", 5) == 0 ||
		     strncasecmp((const char *)b + i, "<html", 5) == 0 ||
		     strncasecmp((const char *)b + i, "<?xml", 5) == 0)) {
			ser_error_set(e, "not audio: looks like HTML/XML text");
			return;
		}
		ser_error_set(e, "not audio: looks like text");
		return;
	}
	if (n >= 4 && (memcmp(b, "RIFF", 4) == 0 || memcmp(b, "RF64", 4) == 0))
		ser_error_set(e, "RIFF file that is not WAVE audio");
	else
		ser_error_set(e, "not a recognised audio format (WAV, RF64, FLAC, Ogg, MP3, M4A)");
}

/* ---------- WAV / RF64 chunk walker ---------- */

typedef struct wav_fmt {
	unsigned tag;      /* the format tag, or the extensible subformat's */
	unsigned channels, bits, block_align;
	uint32_t rate;
	int64_t data_off, data_len; /* data_len -1: to the end of the file */
} wav_fmt;

static const unsigned char ksdata_guid_tail[14] = {
	0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71
};

static const char *
wav_tag_name(unsigned tag)
{
	switch (tag) {
	case 0x0002: return "MS ADPCM";
	case 0x0011: return "IMA ADPCM";
	case 0x0031: return "GSM 6.10";
	case 0x0055: return "MPEG layer 3";
	case 0x0050: return "MPEG";
	case 0x0040: return "G.721 ADPCM";
	case 0x0045: return "G.726 ADPCM";
	case 0x0022: return "TrueSpeech";
	default: return "unknown";
	}
}

static int
wav_parse_fmt(const unsigned char *p, uint32_t len, wav_fmt *f, ser_error *e)
{
	unsigned tag = le16(p), bytes;

	if (len < 16)
		return ser_error_set(e, "fmt chunk too short (%u bytes, 16 needed)", (unsigned)len);
	f->channels = le16(p + 2);
	f->rate = le32(p + 4);
	f->block_align = le16(p + 12);
	f->bits = le16(p + 14);
	if (tag == 0xFFFE) {
		unsigned cb, valid;
		if (len < 40)
			return ser_error_set(e, "fmt chunk: WAVE_FORMAT_EXTENSIBLE needs 40 bytes, has %u",
			                     (unsigned)len);
		cb = le16(p + 16);
		if (cb < 22)
			return ser_error_set(e, "fmt chunk: extensible cbSize %u < 22", cb);
		valid = le16(p + 18);
		if (valid > f->bits)
			return ser_error_set(e, "fmt chunk: %u valid bits in a %u-bit container", valid,
			                     f->bits);
		if (memcmp(p + 26, ksdata_guid_tail, 14) != 0)
			return ser_error_set(e, "fmt chunk: extensible subformat is not a standard "
			                        "KSDATAFORMAT GUID");
		tag = le16(p + 24);
	}
	f->tag = tag;
	switch (tag) {
	case 1: case 3: case 6: case 7: break;
	default:
		return ser_error_set(e, "fmt chunk: unsupported codec 0x%04x (%s); ser accepts PCM, "
		                        "IEEE float, A-law and mu-law", tag, wav_tag_name(tag));
	}
	if (f->channels < 1 || f->channels > SER_DECODE_MAX_CHANNELS)
		return ser_error_set(e, "fmt chunk: %u channels (ser accepts 1 to %d)", f->channels,
		                     SER_DECODE_MAX_CHANNELS);
	if (f->rate < SER_DECODE_MIN_RATE || f->rate > SER_DECODE_MAX_RATE)
		return ser_error_set(e, "fmt chunk: sample rate %lu Hz (ser accepts %.0f to %.0f)",
		                     (unsigned long)f->rate, SER_DECODE_MIN_RATE, SER_DECODE_MAX_RATE);
	if ((tag == 1 && f->bits != 8 && f->bits != 16 && f->bits != 24 && f->bits != 32) ||
	    (tag == 3 && f->bits != 32 && f->bits != 64) || ((tag == 6 || tag == 7) && f->bits != 8))
		return ser_error_set(e, "fmt chunk: %u bits per sample is invalid for %s", f->bits,
		                     tag == 1 ? "PCM" : tag == 3 ? "IEEE float" : "G.711");
	bytes = f->bits / 8;
	if (f->block_align != bytes * f->channels)
		return ser_error_set(e, "fmt chunk: block align %u, expected %u (%u channels x %u bytes)",
		                     f->block_align, bytes * f->channels, f->channels, bytes);
	return 0;
}

/* Walk the chunks of a RIFF/WAVE or RF64 file. Every size is checked
 * against the real file size; nothing is allocated. */
static int
wav_walk(const ser_src *s, int rf64, wav_fmt *f, ser_error *e)
{
	unsigned char h[8], fmt[40];
	int64_t off = 12, end = s->size, ds64_data = -1;
	uint32_t riff = 0;
	int nfmt = 0, n;
	unsigned char hdr[12];

	if (ser_src_read_at(s, 0, hdr, 12) != 12)
		return ser_error_set(e, "truncated inside the RIFF header");
	riff = le32(hdr + 4);
	if (!rf64 && riff >= 4 && (int64_t)riff + 8 <= s->size)
		end = (int64_t)riff + 8; /* ignore trailing bytes after the RIFF */
	memset(f, 0, sizeof *f);
	f->data_off = -1;
	for (n = 0; off < end; n++) {
		int64_t len;
		uint32_t len32;
		long got;

		if (n >= MAX_CHUNKS)
			return ser_error_set(e, "more than %d RIFF chunks", MAX_CHUNKS);
		if (end - off < 8)
			return ser_error_set(e, "truncated inside a chunk header at byte %lld",
			                     (long long)off);
		if (ser_src_read_at(s, off, h, 8) != 8)
			return ser_error_set(e, "read error at byte %lld", (long long)off);
		len32 = le32(h + 4);
		len = len32;
		off += 8;
		if (memcmp(h, "ds64", 4) == 0) {
			unsigned char d[24];
			if (!rf64 || n != 0)
				return ser_error_set(e, "ds64 chunk where none may be");
			if (len < 24 || end - off < 24 || ser_src_read_at(s, off, d, 24) != 24)
				return ser_error_set(e, "ds64 chunk truncated");
			if (le64(d + 8) > (uint64_t)INT64_MAX)
				return ser_error_set(e, "ds64 chunk: data size out of range");
			ds64_data = (int64_t)le64(d + 8);
		} else if (rf64 && n == 0) {
			return ser_error_set(e, "RF64 file without a ds64 chunk first");
		}
		if (memcmp(h, "data", 4) == 0) {
			if (nfmt == 0)
				return ser_error_set(e, "data chunk before any fmt chunk");
			if (f->data_off >= 0)
				return ser_error_set(e, "two data chunks");
			if (rf64 && len32 == 0xFFFFFFFF)
				len = ds64_data;
			f->data_off = off;
			if (!rf64 && len32 == 0xFFFFFFFF) {
				/* a streaming writer that could not seek back: to the end */
				f->data_len = -1;
				break;
			}
			if (len > s->size - off)
				return ser_error_set(e, "data chunk claims %lld bytes but only %lld remain "
				                        "(truncated file)", (long long)len,
				                     (long long)(s->size - off));
			if (len % f->block_align != 0)
				return ser_error_set(e, "data chunk of %lld bytes is not a whole number of "
				                        "%u-byte frames", (long long)len, f->block_align);
			f->data_len = len;
		} else {
			if (len > end - off)
				return ser_error_set(e, "%.*s chunk claims %lld bytes but only %lld remain "
				                        "(truncated or corrupt file)",
				                     h[3] == ' ' ? 3 : 4, (const char *)h, (long long)len,
				                     (long long)(end - off));
			if (memcmp(h, "fmt ", 4) == 0) {
				if (f->data_off >= 0)
					return ser_error_set(e, "fmt chunk after the data chunk");
				if (++nfmt > 1)
					return ser_error_set(e, "two fmt chunks");
				got = ser_src_read_at(s, off, fmt, len < 40 ? (size_t)len : 40);
				if (got < 0 || got < (len < 40 ? len : 40))
					return ser_error_set(e, "read error in the fmt chunk");
				if (wav_parse_fmt(fmt, len32, f, e) != 0)
					return -1;
			}
		}
		if (len > INT64_MAX - off - 1)
			return ser_error_set(e, "chunk size out of range");
		off += len + (len & 1);
	}
	if (nfmt == 0)
		return ser_error_set(e, "no fmt chunk");
	if (f->data_off < 0)
		return ser_error_set(e, "no data chunk");
	if (f->data_len < 0) {
		int64_t rest = s->size - f->data_off;
		f->data_len = rest - rest % f->block_align;
	}
	return 0;
}

/* ---------- FLAC / Ogg / MP3 checks ---------- */

/* STREAMINFO (RFC 9639 8.2): sample rate and total samples (0: unknown). */
static int
flac_check(const ser_src *s, int64_t *total, ser_error *e)
{
	unsigned char b[42];
	unsigned rate, ch;

	if (ser_src_read_at(s, 0, b, 42) != 42)
		return ser_error_set(e, "truncated inside the FLAC header");
	if ((b[4] & 0x7F) != 0 || b[5] != 0 || b[6] != 0 || b[7] != 34)
		return ser_error_set(e, "FLAC file without STREAMINFO first");
	rate = (unsigned)b[18] << 12 | (unsigned)b[19] << 4 | b[20] >> 4;
	ch = ((b[20] >> 1) & 7) + 1;
	if (rate < SER_DECODE_MIN_RATE || rate > SER_DECODE_MAX_RATE)
		return ser_error_set(e, "FLAC STREAMINFO: sample rate %u Hz (ser accepts %.0f to %.0f)",
		                     rate, SER_DECODE_MIN_RATE, SER_DECODE_MAX_RATE);
	(void)ch;
	*total = (int64_t)(b[21] & 15) << 32 | (int64_t)b[22] << 24 | (int64_t)b[23] << 16 |
	         (int64_t)b[24] << 8 | b[25];
	return 0;
}

/* The last Ogg page (RFC 3533) must end exactly at the end of the file and
 * carry the end-of-stream flag: otherwise the file was cut short. */
static int
ogg_check(const ser_src *s, ser_error *e)
{
	enum { TAIL = 65307 + 27 };
	unsigned char *t;
	int64_t start = s->size > TAIL ? s->size - TAIL : 0;
	long n, i;
	int ok = 0, eos = 0;

	t = malloc(TAIL);
	if (t == NULL)
		return ser_error_set(e, "out of memory");
	n = ser_src_read_at(s, start, t, TAIL);
	for (i = n - 27; i >= 0 && !ok; i--) {
		long len, j;
		if (memcmp(t + i, "OggS", 4) != 0 || t[i + 4] != 0 || i + 27 + t[i + 26] > n)
			continue;
		len = 27 + t[i + 26];
		for (j = 0; j < t[i + 26]; j++)
			len += t[i + 27 + j];
		if (i + len == n) {
			ok = 1;
			eos = t[i + 5] & 4;
		}
	}
	free(t);
	if (!ok)
		return ser_error_set(e, "truncated Ogg stream (the last page is incomplete)");
	if (!eos)
		return ser_error_set(e, "truncated Ogg stream (no end-of-stream page)");
	return 0;
}

/* Walk the MPEG audio frames after an ID3v2 tag: they must chain without
 * gaps, and the last one must end inside the file, before an optional
 * ID3v1 / APE / Lyrics3 tag. Reads one 4-byte header per frame. */
static int
mp3_check(const ser_src *s, ser_error *e)
{
	unsigned char h[10];
	int64_t off = 0;
	long frames = 0;
	unsigned rate = 0, first_rate = 0;

	if (ser_src_read_at(s, 0, h, 10) == 10 && memcmp(h, "ID3", 3) == 0) {
		int64_t sz = (int64_t)(h[6] & 0x7F) << 21 | (h[7] & 0x7F) << 14 | (h[8] & 0x7F) << 7 |
		             (h[9] & 0x7F);
		off = 10 + sz + ((h[5] & 0x10) ? 10 : 0);
		/* some writers pad after the tag with zeros */
		for (;;) {
			unsigned char z[4096];
			long got = ser_src_read_at(s, off, z, sizeof z), i = 0;
			while (i < got && z[i] == 0)
				i++;
			off += i;
			if (got <= 0 || i < got)
				break;
		}
	}
	while (off < s->size) {
		long got = ser_src_read_at(s, off, h, 4);
		unsigned len;

		if (got < 0)
			return ser_error_set(e, "read error at byte %lld", (long long)off);
		if (got >= 3 && frames > 0 &&
		    (memcmp(h, "TAG", 3) == 0 || (got == 4 && (memcmp(h, "APET", 4) == 0 ||
		                                               memcmp(h, "LYRI", 4) == 0))))
			break;
		if (got < 4 || (len = mpeg_frame(h, &rate)) == 0) {
			if (frames == 0)
				return ser_error_set(e, "no MPEG audio frame at byte %lld", (long long)off);
			return ser_error_set(e, "MPEG frame sync lost at byte %lld (corrupt or truncated)",
			                     (long long)off);
		}
		if (frames == 0)
			first_rate = rate;
		else if (rate != first_rate)
			return ser_error_set(e, "MPEG sample rate changes at byte %lld", (long long)off);
		if ((int64_t)len > s->size - off)
			return ser_error_set(e, "truncated MPEG frame at byte %lld (%u bytes, %lld remain)",
			                     (long long)off, len, (long long)(s->size - off));
		off += len;
		frames++;
	}
	if (frames == 0)
		return ser_error_set(e, "no MPEG audio frames");
	return 0;
}

/* ---------- libsndfile virtual I/O over the source ---------- */

static sf_count_t
vio_len(void *u)
{
	return ((ser_src *)u)->size;
}

static sf_count_t
vio_seek(sf_count_t off, int whence, void *u)
{
	ser_src *s = u;
	int64_t p = whence == SEEK_SET ? off : whence == SEEK_CUR ? s->pos + off : s->size + off;

	if (p < 0)
		return -1;
	s->pos = p;
	return p;
}

static sf_count_t
vio_read(void *ptr, sf_count_t n, void *u)
{
	ser_src *s = u;
	long r;

	if (n <= 0)
		return 0;
	r = ser_src_read_at(s, s->pos, ptr, (size_t)n);
	if (r < 0)
		return 0;
	s->pos += r;
	return r;
}

static sf_count_t
vio_write(const void *ptr, sf_count_t n, void *u)
{
	(void)ptr, (void)n, (void)u;
	return 0;
}

static sf_count_t
vio_tell(void *u)
{
	return ((ser_src *)u)->pos;
}

static const char *
sf_codec(int fmt)
{
	switch (fmt & SF_FORMAT_SUBMASK) {
	case SF_FORMAT_PCM_S8: return "pcm_s8";
	case SF_FORMAT_PCM_U8: return "pcm_u8";
	case SF_FORMAT_PCM_16: return "pcm_s16";
	case SF_FORMAT_PCM_24: return "pcm_s24";
	case SF_FORMAT_PCM_32: return "pcm_s32";
	case SF_FORMAT_FLOAT: return "pcm_f32";
	case SF_FORMAT_DOUBLE: return "pcm_f64";
	case SF_FORMAT_ULAW: return "ulaw";
	case SF_FORMAT_ALAW: return "alaw";
	case SF_FORMAT_VORBIS: return "vorbis";
	case SF_FORMAT_OPUS: return "opus";
	case SF_FORMAT_MPEG_LAYER_I: return "mp1";
	case SF_FORMAT_MPEG_LAYER_II: return "mp2";
	case SF_FORMAT_MPEG_LAYER_III: return "mp3";
	default: return NULL;
	}
}

static int
open_sndfile(ser_decoder *d, const char *container, ser_error *e)
{
	SF_VIRTUAL_IO vio = { vio_len, vio_seek, vio_read, vio_write, vio_tell };
	SF_INFO si;
	int major, sub, want_major;
	const char *codec;

	memset(&si, 0, sizeof si);
	d->src.pos = 0;
	d->sf = sf_open_virtual(&vio, SFM_READ, &si, &d->src);
	if (d->sf == NULL)
		return ser_error_set(e, "cannot decode %s: %s", container, sf_strerror(NULL));
	major = si.format & SF_FORMAT_TYPEMASK;
	sub = si.format & SF_FORMAT_SUBMASK;
	want_major = strcmp(container, "wav") == 0    ? SF_FORMAT_WAV
	             : strcmp(container, "rf64") == 0 ? SF_FORMAT_RF64
	             : strcmp(container, "flac") == 0 ? SF_FORMAT_FLAC
	             : strcmp(container, "ogg") == 0  ? SF_FORMAT_OGG
	                                              : SF_FORMAT_MPEG;
	if (major == SF_FORMAT_WAVEX)
		major = SF_FORMAT_WAV;
	if (major != want_major)
		return ser_error_set(e, "content is not the %s it starts like", container);
	codec = sf_codec(si.format);
	if (major == SF_FORMAT_FLAC) {
		if (sub != SF_FORMAT_PCM_S8 && sub != SF_FORMAT_PCM_16 && sub != SF_FORMAT_PCM_24)
			return ser_error_set(e, "unsupported FLAC sample format");
		codec = "flac";
	} else if (major == SF_FORMAT_OGG) {
		if (sub != SF_FORMAT_VORBIS && sub != SF_FORMAT_OPUS)
			return ser_error_set(e, "unsupported Ogg codec (ser accepts Vorbis and Opus)");
	} else if (major == SF_FORMAT_MPEG) {
		if (codec == NULL || strncmp(codec, "mp", 2) != 0)
			return ser_error_set(e, "unsupported MPEG codec");
	} else if (codec == NULL || sub == SF_FORMAT_VORBIS || sub == SF_FORMAT_OPUS ||
	           strncmp(codec, "mp", 2) == 0) {
		return ser_error_set(e, "unsupported codec in %s", container);
	}
	if (si.channels < 1 || si.channels > SER_DECODE_MAX_CHANNELS)
		return ser_error_set(e, "%d channels (ser accepts 1 to %d)", si.channels,
		                     SER_DECODE_MAX_CHANNELS);
	if (si.samplerate < SER_DECODE_MIN_RATE || si.samplerate > SER_DECODE_MAX_RATE)
		return ser_error_set(e, "sample rate %d Hz (ser accepts %.0f to %.0f)", si.samplerate,
		                     SER_DECODE_MIN_RATE, SER_DECODE_MAX_RATE);
	snprintf(d->info.codec, sizeof d->info.codec, "%s", codec);
	d->info.rate_hz = si.samplerate;
	d->info.channels = si.channels;
	/* Ogg's frame count comes from the last granule position: a promise we
	 * check; MP3's is an estimate, which we do not. */
	if (major == SF_FORMAT_OGG && si.frames > 0 && si.frames < SF_COUNT_MAX)
		d->want_frames = si.frames;
	return 0;
}

/* ---------- open / read / close ---------- */

static int
check_config(const ser_decode_config *c, ser_error *e)
{
	if (!(c->rate_hz == 0 || (c->rate_hz >= SER_DECODE_MIN_RATE &&
	                          c->rate_hz <= SER_DECODE_MAX_RATE)))
		return ser_error_set(e, "output rate %g Hz out of range (0 or %.0f to %.0f)",
		                     c->rate_hz, SER_DECODE_MIN_RATE, SER_DECODE_MAX_RATE);
	if (!(c->max_seconds > 0 && c->max_seconds <= 1e7))
		return ser_error_set(e, "duration cap %g s out of range (0 to 1e7]", c->max_seconds);
	return 0;
}

/* claimed: the header says so (before decoding); else decoded samples. */
static int
too_long(const ser_decoder *d, int64_t frames, int claimed, ser_error *e)
{
	if (claimed)
		return ser_error_set(e, "longer than the duration cap of %g s (the header claims "
		                        "%lld frames at %g Hz)", d->cfg.max_seconds,
		                     (long long)frames, d->info.rate_hz);
	return ser_error_set(e, "longer than the duration cap of %g s (more than %lld frames "
	                        "decoded at %g Hz)", d->cfg.max_seconds, (long long)d->cap_frames,
	                     d->info.rate_hz);
}

ser_decoder *
ser_decoder_open(int fd, const char *name, const ser_decode_config *c, ser_error *e)
{
	ser_decoder *d;
	unsigned char head[SNIFF_BYTES];
	long n;
	const char *kind;
	wav_fmt wf;
	int64_t flac_total = 0;

	(void)name;
	memset(&wf, 0, sizeof wf);
	if (check_config(c, e) != 0)
		return NULL;
	d = calloc(1, sizeof *d);
	if (d == NULL) {
		ser_error_set(e, "out of memory");
		return NULL;
	}
	d->cfg = *c;
	d->want_frames = -1;
	if (src_open(&d->src, fd, c, e) != 0)
		goto fail;
	if (d->src.size == 0) {
		ser_error_set(e, "empty file");
		goto fail;
	}
	n = ser_src_read_at(&d->src, 0, head, sizeof head);
	if (n < 0) {
		ser_error_set(e, "read error: %s", strerror(errno));
		goto fail;
	}
	kind = ser_audio_sniff(head, (size_t)n);
	if (kind == NULL) {
		if (n < 12 && (memcmp(head, "RIFF", n < 4 ? (size_t)n : 4) == 0 ||
		               memcmp(head, "fLaC", n < 4 ? (size_t)n : 4) == 0 ||
		               memcmp(head, "OggS", n < 4 ? (size_t)n : 4) == 0))
			ser_error_set(e, "truncated inside the header (%ld bytes)", n);
		else
			refuse_reason(head, (size_t)n, e);
		goto fail;
	}
	snprintf(d->info.container, sizeof d->info.container, "%s", kind);
	if (strcmp(kind, "wav") == 0 || strcmp(kind, "rf64") == 0) {
		if (wav_walk(&d->src, strcmp(kind, "rf64") == 0, &wf, e) != 0)
			goto fail;
		d->want_frames = wf.data_len / wf.block_align;
	} else if (strcmp(kind, "flac") == 0) {
		if (flac_check(&d->src, &flac_total, e) != 0)
			goto fail;
		if (flac_total > 0)
			d->want_frames = flac_total;
	} else if (strcmp(kind, "ogg") == 0) {
		if (ogg_check(&d->src, e) != 0)
			goto fail;
	} else if (strcmp(kind, "mp3") == 0) {
		if (mp3_check(&d->src, e) != 0)
			goto fail;
	}
	if (strcmp(kind, "m4a") == 0 || strcmp(kind, "aac") == 0) {
		d->be = BE_AV;
		d->av = ser_av_open(&d->src, kind, &d->info, e);
		if (d->av == NULL)
			goto fail;
	} else {
		int64_t promised = d->want_frames;
		d->be = BE_SNDFILE;
		if (open_sndfile(d, kind, e) != 0)
			goto fail;
		if (promised >= 0)
			d->want_frames = promised;
		/* second line: libsndfile must read the header as our walker did */
		if ((strcmp(kind, "wav") == 0 || strcmp(kind, "rf64") == 0) &&
		    (d->info.channels != (int)wf.channels || d->info.rate_hz != (double)wf.rate)) {
			ser_error_set(e, "header read inconsistently (%d channels at %g Hz vs %u at %lu)",
			              d->info.channels, d->info.rate_hz, wf.channels,
			              (unsigned long)wf.rate);
			goto fail;
		}
	}
	d->cap_frames = (int64_t)floor(c->max_seconds * d->info.rate_hz);
	if (d->want_frames > d->cap_frames) {
		too_long(d, d->want_frames, 1, e);
		goto fail;
	}
	d->out_rate = c->rate_hz == 0 ? d->info.rate_hz : c->rate_hz;
	d->block = malloc(BLOCK_SAMPLES * sizeof *d->block);
	d->mono = malloc(BLOCK_SAMPLES * sizeof *d->mono);
	if (d->block == NULL || d->mono == NULL) {
		ser_error_set(e, "out of memory");
		goto fail;
	}
	if (d->out_rate != d->info.rate_hz) {
		soxr_error_t err;
		soxr_io_spec_t io = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I);
		soxr_quality_spec_t q = soxr_quality_spec(SOXR_HQ, 0);
		soxr_runtime_spec_t rt = soxr_runtime_spec(1);
		d->soxr = soxr_create(d->info.rate_hz, d->out_rate, 1, &err, &io, &q, &rt);
		if (d->soxr == NULL) {
			ser_error_set(e, "resampler: %s", err);
			goto fail;
		}
	}
	return d;
fail:
	ser_decoder_close(d);
	return NULL;
}

const ser_audio_info *
ser_decoder_info(const ser_decoder *d)
{
	return &d->info;
}

double
ser_decoder_rate(const ser_decoder *d)
{
	return d->out_rate;
}

/* Decode one block into d->mono (downmixed). Returns frames, 0 at the end,
 * -1 on error. */
static long
fill_mono(ser_decoder *d, ser_error *e)
{
	int ch = d->info.channels;
	long want = BLOCK_SAMPLES / ch, got, i;
	int k;

	if (d->be == BE_SNDFILE) {
		got = (long)sf_readf_float(d->sf, d->block, want);
		if (sf_error(d->sf) != SF_ERR_NO_ERROR)
			return ser_error_set(e, "decoding error after %lld frames: %s",
			                     (long long)d->info.frames, sf_strerror(d->sf));
	} else {
		got = ser_av_read(d->av, d->block, want, e);
		if (got < 0)
			return -1;
	}
	if (got > d->cap_frames - d->info.frames) {
		too_long(d, d->info.frames + got, 0, e);
		return -1;
	}
	for (i = 0; i < got; i++) {
		const float *f = d->block + (size_t)i * (size_t)ch;
		double sum = 0;
		for (k = 0; k < ch; k++)
			sum += f[k];
		if (!isfinite(sum))
			return ser_error_set(e, "NaN or infinite sample at frame %lld",
			                     (long long)(d->info.frames + i));
		d->mono[i] = (float)(sum / ch);
	}
	d->info.frames += got;
	if (got == 0 && d->info.frames == 0)
		return ser_error_set(e, "no audio (0 frames)");
	if (got == 0 && d->want_frames >= 0 && d->info.frames != d->want_frames)
		return ser_error_set(e, "truncated or corrupt: decoded %lld of %lld frames",
		                     (long long)d->info.frames, (long long)d->want_frames);
	return got;
}

long
ser_decoder_read(ser_decoder *d, float *buf, size_t n, ser_error *e)
{
	if (d->failed)
		return ser_error_set(e, "decoder already failed");
	if (n == 0)
		return ser_error_set(e, "zero-length read");
	for (;;) {
		if (d->mono_off == d->mono_len && !d->in_eof) {
			long got = fill_mono(d, e);
			if (got < 0) {
				d->failed = 1;
				return -1;
			}
			d->mono_len = (size_t)got;
			d->mono_off = 0;
			if (got == 0)
				d->in_eof = 1;
		}
		if (d->soxr == NULL) {
			size_t k = d->mono_len - d->mono_off;
			if (k == 0)
				return 0;
			if (k > n)
				k = n;
			memcpy(buf, d->mono + d->mono_off, k * sizeof *buf);
			d->mono_off += k;
			return (long)k;
		} else {
			size_t idone = 0, odone = 0;
			soxr_error_t err;
			if (d->mono_off < d->mono_len)
				err = soxr_process(d->soxr, d->mono + d->mono_off, d->mono_len - d->mono_off,
				                   &idone, buf, n, &odone);
			else if (!d->flushed)
				err = soxr_process(d->soxr, NULL, 0, NULL, buf, n, &odone);
			else
				return 0;
			if (err != NULL) {
				d->failed = 1;
				return ser_error_set(e, "resampler: %s", err);
			}
			d->mono_off += idone;
			if (odone > 0)
				return (long)odone;
			if (d->in_eof && d->mono_off == d->mono_len) {
				if (d->flushed)
					return 0;
				/* a flush call that produced nothing: drained */
				if (idone == 0)
					d->flushed = 1;
			}
		}
	}
}

void
ser_decoder_close(ser_decoder *d)
{
	if (d == NULL)
		return;
	if (d->sf != NULL)
		sf_close(d->sf);
	if (d->av != NULL)
		ser_av_close(d->av);
	if (d->soxr != NULL)
		soxr_delete(d->soxr);
	src_close(&d->src);
	free(d->block);
	free(d->mono);
	free(d);
}

int
ser_decode_file(const char *path, const ser_decode_config *c, float **out, size_t *n,
                ser_audio_info *info, ser_error *e)
{
	int fd;
	ser_decoder *d;
	float *buf = NULL;
	size_t len = 0, cap = 0;
	long got;

	*out = NULL;
	*n = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return ser_error_set(e, "%s", strerror(errno));
	d = ser_decoder_open(fd, path, c, e);
	if (d == NULL) {
		close(fd);
		return -1;
	}
	for (;;) {
		if (cap - len < 4096) {
			size_t ncap = cap == 0 ? 65536 : cap * 2;
			float *nb;
			if (ncap > SIZE_MAX / sizeof *buf) {
				got = ser_error_set(e, "out of memory");
				break;
			}
			nb = realloc(buf, ncap * sizeof *buf);
			if (nb == NULL) {
				got = ser_error_set(e, "out of memory");
				break;
			}
			buf = nb;
			cap = ncap;
		}
		got = ser_decoder_read(d, buf + len, cap - len, e);
		if (got <= 0)
			break;
		len += (size_t)got;
	}
	if (got == 0 && info != NULL)
		*info = *ser_decoder_info(d);
	ser_decoder_close(d);
	close(fd);
	if (got < 0) {
		free(buf);
		return -1;
	}
	*out = buf;
	*n = len;
	return 0;
}
