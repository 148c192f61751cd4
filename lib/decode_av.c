/*
 * decode_av.c - the libavformat/libavcodec half of the decoder: M4A/MP4
 * (ISO BMFF, demuxer "mov") and ADTS ("aac"), codecs AAC and ALAC only.
 *
 * The demuxer is named explicitly (never probed), reads through a custom
 * AVIOContext over the ser_src (pread; no file name reaches libavformat),
 * and the decoder runs single-threaded with AV_EF_EXPLODE so that damaged
 * packets are errors, not concealment. A stream that ends before the
 * packet count its index promises is reported as truncated.
 * libav* logging is silenced (av_log_set_level is process-wide: ser's
 * programs never want libav* to print).
 *
 * Loading. The programs are not linked with libav*: their dependency tree
 * (some 130 shared objects) cost every process ~8 MB of RSS and tens of
 * milliseconds of start-up, WAV or not. ser_av_open dlopen()s the three
 * libraries by the sonames of the headers this file was compiled against
 * (so the struct layouts used below are the loaded ones) and resolves the
 * functions it calls into a table inside the ser_av object; every call goes
 * through that table. No global state: each decoder holds its own handles
 * and closes them in ser_av_close. The handles are opened RTLD_NODELETE:
 * the loader refcounts them, a second decoder in the same process costs a
 * lookup, and the code is never unmapped, so nothing libav* or its
 * dependencies set up at load time (constructors, thread-local
 * destructors, allocations kept in their globals) outlives its code. The
 * headers' static inline functions are not used (they would need the
 * symbols at link time, which the link would catch).
 */
#include <dlfcn.h>
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/avutil.h>

#include "decode_int.h"

enum { LIB_FORMAT, LIB_CODEC, LIB_UTIL, NLIB };

/* name, soname and Debian package of each library, from the headers'
 * major versions */
#define AV_LIB(name, major) { #name, #name ".so." AV_STRINGIFY(major), #name AV_STRINGIFY(major) }
static const struct {
	const char *name, *soname, *package;
} av_libs[NLIB] = {
	[LIB_FORMAT] = AV_LIB(libavformat, LIBAVFORMAT_VERSION_MAJOR),
	[LIB_CODEC] = AV_LIB(libavcodec, LIBAVCODEC_VERSION_MAJOR),
	[LIB_UTIL] = AV_LIB(libavutil, LIBAVUTIL_VERSION_MAJOR),
};
#undef AV_LIB

/* Every libav* function this file calls: (library, name). Each becomes a
 * member of avfn whose type is the header's own prototype (__typeof__ of
 * the declaration; an unevaluated use, so no link-time reference). */
#define AV_FUNCS(X) \
	X(LIB_UTIL, av_log_set_level) \
	X(LIB_UTIL, av_strerror) \
	X(LIB_UTIL, av_malloc) \
	X(LIB_UTIL, av_free) \
	X(LIB_UTIL, av_freep) \
	X(LIB_UTIL, av_frame_alloc) \
	X(LIB_UTIL, av_frame_free) \
	X(LIB_UTIL, av_frame_unref) \
	X(LIB_UTIL, av_sample_fmt_is_planar) \
	X(LIB_UTIL, av_get_packed_sample_fmt) \
	X(LIB_CODEC, avcodec_get_name) \
	X(LIB_CODEC, avcodec_find_decoder) \
	X(LIB_CODEC, avcodec_alloc_context3) \
	X(LIB_CODEC, avcodec_parameters_to_context) \
	X(LIB_CODEC, avcodec_open2) \
	X(LIB_CODEC, avcodec_send_packet) \
	X(LIB_CODEC, avcodec_receive_frame) \
	X(LIB_CODEC, avcodec_free_context) \
	X(LIB_CODEC, av_packet_alloc) \
	X(LIB_CODEC, av_packet_free) \
	X(LIB_CODEC, av_packet_unref) \
	X(LIB_FORMAT, av_find_input_format) \
	X(LIB_FORMAT, avio_alloc_context) \
	X(LIB_FORMAT, avio_context_free) \
	X(LIB_FORMAT, avformat_alloc_context) \
	X(LIB_FORMAT, avformat_open_input) \
	X(LIB_FORMAT, avformat_find_stream_info) \
	X(LIB_FORMAT, av_find_best_stream) \
	X(LIB_FORMAT, av_read_frame) \
	X(LIB_FORMAT, avformat_close_input)

typedef struct avfn {
	void *lib[NLIB]; /* dlopen handles (NULL: not open) */
#define AV_MEMBER(l, f) __typeof__(&f) f;
	AV_FUNCS(AV_MEMBER)
#undef AV_MEMBER
} avfn;

/* Immutable: where each function's pointer goes in avfn. */
static const struct {
	int lib;
	const char *name;
	size_t off;
} av_syms[] = {
#define AV_SYM(l, f) { l, #f, offsetof(avfn, f) },
	AV_FUNCS(AV_SYM)
#undef AV_SYM
};

/* dlsym's object pointer is stored into function pointers by memcpy
 * (POSIX requires the two to convert; ISO C has no cast between them). */
_Static_assert(sizeof(void *) == sizeof(void (*)(void)), "function pointers are not data-sized");

/* Open the libraries and fill t. On failure t's handles are closed again
 * and e says which library is missing (with dlerror's text). */
static int
avfn_load(avfn *t, ser_error *e)
{
	size_t i;
	int l;

	memset(t, 0, sizeof *t);
	/* libavformat first: it needs the other two, so its failure names the
	 * real cause (dlerror says which file is missing) */
	for (l = 0; l < NLIB; l++) {
		const char *why;
		/* RTLD_LAZY as the dynamic linker does for linked programs:
		 * binding every PLT slot of the ~130 objects up front
		 * (RTLD_NOW) costs ~2.5 ms per M4A; the functions called here
		 * are checked by dlsym below */
		t->lib[l] = dlopen(av_libs[l].soname, RTLD_LAZY | RTLD_LOCAL | RTLD_NODELETE);
		if (t->lib[l] == NULL) {
			why = dlerror();
			ser_error_set(e, "M4A/AAC support needs %s (%s): %s", av_libs[l].name,
			              av_libs[l].package, why != NULL ? why : "dlopen failed");
			goto fail;
		}
	}
	for (i = 0; i < sizeof av_syms / sizeof av_syms[0]; i++) {
		void *p = dlsym(t->lib[av_syms[i].lib], av_syms[i].name);
		if (p == NULL) {
			const char *why = dlerror();
			ser_error_set(e, "M4A/AAC support: %s lacks %s: %s", av_libs[av_syms[i].lib].soname,
			              av_syms[i].name, why != NULL ? why : "symbol not found");
			goto fail;
		}
		/* POSIX: a data pointer from dlsym converts to a function pointer */
		memcpy((char *)t + av_syms[i].off, &p, sizeof p);
	}
	return 0;
fail:
	for (l = 0; l < NLIB; l++)
		if (t->lib[l] != NULL)
			dlclose(t->lib[l]);
	memset(t, 0, sizeof *t);
	return -1;
}

static void
avfn_unload(avfn *t)
{
	int l;

	for (l = 0; l < NLIB; l++)
		if (t->lib[l] != NULL)
			dlclose(t->lib[l]);
	memset(t, 0, sizeof *t);
}

#define AVIO_BUF 32768

struct ser_av {
	avfn fn;         /* the loaded libraries and their functions */
	ser_src *src;
	AVIOContext *io;
	AVFormatContext *fmt;
	AVCodecContext *dec;
	AVPacket *pkt;
	AVFrame *frame;
	int stream;
	int channels;
	int64_t packets, want_packets;
	int frame_off;   /* frames of frame already returned; -1: none held */
	int draining, done;
};

static int
io_read(void *u, uint8_t *buf, int n)
{
	ser_src *s = u;
	long r = ser_src_read_at(s, s->pos, buf, (size_t)n);

	if (r < 0)
		return AVERROR(EIO);
	if (r == 0)
		return AVERROR_EOF;
	s->pos += r;
	return (int)r;
}

static int64_t
io_seek(void *u, int64_t off, int whence)
{
	ser_src *s = u;
	int64_t p;

	switch (whence & ~AVSEEK_FORCE) {
	case AVSEEK_SIZE: return s->size;
	case SEEK_SET: p = off; break;
	case SEEK_CUR: p = s->pos + off; break;
	case SEEK_END: p = s->size + off; break;
	default: return AVERROR(EINVAL);
	}
	if (p < 0)
		return AVERROR(EINVAL);
	s->pos = p;
	return p;
}

static const char *
averr(const avfn *av, int err, char *buf, size_t n)
{
	if (av->av_strerror(err, buf, n) < 0)
		snprintf(buf, n, "error %d", err);
	return buf;
}

ser_av *
ser_av_open(ser_src *src, const char *container, ser_audio_info *info, ser_error *e)
{
	ser_av *a;
	const AVInputFormat *ifmt;
	const AVCodec *codec = NULL;
	AVStream *st;
	unsigned char *iobuf;
	const avfn *av;
	char eb[128];
	int r;

	a = calloc(1, sizeof *a);
	if (a == NULL) {
		ser_error_set(e, "out of memory");
		return NULL;
	}
	if (avfn_load(&a->fn, e) != 0) {
		free(a);
		return NULL;
	}
	av = &a->fn;
	av->av_log_set_level(AV_LOG_QUIET);
	a->src = src;
	a->frame_off = -1;
	src->pos = 0;
	ifmt = av->av_find_input_format(strcmp(container, "aac") == 0 ? "aac" : "mov");
	iobuf = av->av_malloc(AVIO_BUF);
	if (ifmt == NULL || iobuf == NULL) {
		av->av_free(iobuf);
		ser_error_set(e, "libavformat lacks the %s demuxer", container);
		goto fail;
	}
	a->io = av->avio_alloc_context(iobuf, AVIO_BUF, 0, src, io_read, NULL, io_seek);
	a->fmt = av->avformat_alloc_context();
	a->pkt = av->av_packet_alloc();
	a->frame = av->av_frame_alloc();
	if (a->io == NULL || a->fmt == NULL || a->pkt == NULL || a->frame == NULL) {
		if (a->io == NULL)
			av->av_free(iobuf);
		ser_error_set(e, "out of memory");
		goto fail;
	}
	a->fmt->pb = a->io;
	a->fmt->flags |= AVFMT_FLAG_CUSTOM_IO;
	r = av->avformat_open_input(&a->fmt, NULL, ifmt, NULL);
	if (r < 0) { /* fmt was freed */
		ser_error_set(e, "cannot read %s container: %s", container, averr(av, r, eb, sizeof eb));
		goto fail;
	}
	r = av->avformat_find_stream_info(a->fmt, NULL);
	if (r < 0) {
		ser_error_set(e, "cannot read %s stream info: %s", container, averr(av, r, eb, sizeof eb));
		goto fail;
	}
	a->stream = av->av_find_best_stream(a->fmt, AVMEDIA_TYPE_AUDIO, -1, -1, NULL, 0);
	if (a->stream < 0) {
		ser_error_set(e, "no audio stream in the %s container", container);
		goto fail;
	}
	st = a->fmt->streams[a->stream];
	if (st->codecpar->codec_id != AV_CODEC_ID_AAC && st->codecpar->codec_id != AV_CODEC_ID_ALAC) {
		ser_error_set(e, "unsupported codec %s in %s (ser accepts AAC and ALAC)",
		              av->avcodec_get_name(st->codecpar->codec_id), container);
		goto fail;
	}
	codec = av->avcodec_find_decoder(st->codecpar->codec_id);
	if (codec == NULL) {
		ser_error_set(e, "no decoder for %s", av->avcodec_get_name(st->codecpar->codec_id));
		goto fail;
	}
	a->dec = av->avcodec_alloc_context3(codec);
	if (a->dec == NULL) {
		ser_error_set(e, "out of memory");
		goto fail;
	}
	if (av->avcodec_parameters_to_context(a->dec, st->codecpar) < 0) {
		ser_error_set(e, "bad codec parameters");
		goto fail;
	}
	a->dec->thread_count = 1;
	a->dec->err_recognition |= AV_EF_EXPLODE;
	r = av->avcodec_open2(a->dec, codec, NULL);
	if (r < 0) {
		ser_error_set(e, "cannot open the %s decoder: %s", codec->name, averr(av, r, eb, sizeof eb));
		goto fail;
	}
	a->channels = a->dec->ch_layout.nb_channels;
	if (a->channels < 1 || a->channels > SER_DECODE_MAX_CHANNELS) {
		ser_error_set(e, "%d channels (ser accepts 1 to %d)", a->channels,
		              SER_DECODE_MAX_CHANNELS);
		goto fail;
	}
	if (a->dec->sample_rate < SER_DECODE_MIN_RATE || a->dec->sample_rate > SER_DECODE_MAX_RATE) {
		ser_error_set(e, "sample rate %d Hz (ser accepts %.0f to %.0f)", a->dec->sample_rate,
		              SER_DECODE_MIN_RATE, SER_DECODE_MAX_RATE);
		goto fail;
	}
	a->want_packets = st->nb_frames > 0 ? st->nb_frames : -1;
	snprintf(info->codec, sizeof info->codec, "%s",
	         st->codecpar->codec_id == AV_CODEC_ID_AAC ? "aac" : "alac");
	info->rate_hz = a->dec->sample_rate;
	info->channels = a->channels;
	return a;
fail:
	ser_av_close(a);
	return NULL;
}

/* Copy frames [off, off+k) of the held AVFrame into buf as interleaved
 * floats. Integer formats are scaled to [-1, 1). */
static void
convert(const avfn *av, const AVFrame *f, int ch, int off, int k, float *buf)
{
	int planar = av->av_sample_fmt_is_planar(f->format);
	enum AVSampleFormat pk = av->av_get_packed_sample_fmt(f->format);
	int i, c;

	for (i = 0; i < k; i++)
		for (c = 0; c < ch; c++) {
			int plane = planar ? c : 0;
			size_t idx = planar ? (size_t)(off + i) : (size_t)(off + i) * (size_t)ch + (size_t)c;
			const uint8_t *p = f->extended_data[plane];
			float v;
			switch (pk) {
			case AV_SAMPLE_FMT_U8: v = ((float)p[idx] - 128.0f) / 128.0f; break;
			case AV_SAMPLE_FMT_S16: v = (float)((const int16_t *)p)[idx] / 32768.0f; break;
			case AV_SAMPLE_FMT_S32: v = (float)((double)((const int32_t *)p)[idx] / 2147483648.0); break;
			case AV_SAMPLE_FMT_FLT: v = ((const float *)p)[idx]; break;
			case AV_SAMPLE_FMT_DBL: v = (float)((const double *)p)[idx]; break;
			default: v = 0; break;
			}
			buf[(size_t)i * (size_t)ch + (size_t)c] = v;
		}
}

static int
known_format(const avfn *av, int fmt)
{
	switch (av->av_get_packed_sample_fmt(fmt)) {
	case AV_SAMPLE_FMT_U8: case AV_SAMPLE_FMT_S16: case AV_SAMPLE_FMT_S32:
	case AV_SAMPLE_FMT_FLT: case AV_SAMPLE_FMT_DBL:
		return 1;
	default:
		return 0;
	}
}

long
ser_av_read(ser_av *a, float *buf, long max_frames, ser_error *e)
{
	const avfn *av = &a->fn;
	char eb[128];
	int r;

	for (;;) {
		if (a->frame_off >= 0) {
			int k = a->frame->nb_samples - a->frame_off;
			if (k > max_frames)
				k = (int)max_frames;
			if (k > 0) {
				convert(av, a->frame, a->channels, a->frame_off, k, buf);
				a->frame_off += k;
				return k;
			}
			av->av_frame_unref(a->frame);
			a->frame_off = -1;
		}
		if (a->done)
			return 0;
		r = av->avcodec_receive_frame(a->dec, a->frame);
		if (r == 0) {
			if (a->frame->ch_layout.nb_channels != a->channels ||
			    a->frame->sample_rate != a->dec->sample_rate)
				return ser_error_set(e, "channel count or sample rate changes mid-stream");
			if (!known_format(av, a->frame->format))
				return ser_error_set(e, "decoder produced an unsupported sample format");
			a->frame_off = 0;
			continue;
		}
		if (r == AVERROR_EOF) {
			if (a->want_packets >= 0 && a->packets < a->want_packets)
				return ser_error_set(e, "truncated: %lld of %lld packets present",
				                     (long long)a->packets, (long long)a->want_packets);
			a->done = 1;
			return 0;
		}
		if (r != AVERROR(EAGAIN))
			return ser_error_set(e, "decoding error: %s", averr(av, r, eb, sizeof eb));
		if (a->draining)
			return ser_error_set(e, "decoder stalled while draining");
		/* the decoder wants input */
		for (;;) {
			r = av->av_read_frame(a->fmt, a->pkt);
			if (r == AVERROR_EOF) {
				a->draining = 1;
				r = av->avcodec_send_packet(a->dec, NULL);
				break;
			}
			if (r < 0)
				return ser_error_set(e, "container error after %lld packets: %s",
				                     (long long)a->packets, averr(av, r, eb, sizeof eb));
			if (a->pkt->stream_index != a->stream) {
				av->av_packet_unref(a->pkt);
				continue;
			}
			a->packets++;
			r = av->avcodec_send_packet(a->dec, a->pkt);
			av->av_packet_unref(a->pkt);
			break;
		}
		if (r < 0 && r != AVERROR_EOF)
			return ser_error_set(e, "decoding error in packet %lld: %s", (long long)a->packets,
			                     averr(av, r, eb, sizeof eb));
	}
}

void
ser_av_close(ser_av *a)
{
	const avfn *av;

	if (a == NULL)
		return;
	av = &a->fn;
	av->avcodec_free_context(&a->dec);
	av->av_frame_free(&a->frame);
	av->av_packet_free(&a->pkt);
	if (a->fmt != NULL)
		av->avformat_close_input(&a->fmt);
	if (a->io != NULL) {
		av->av_freep(&a->io->buffer);
		av->avio_context_free(&a->io);
	}
	avfn_unload(&a->fn);
	free(a);
}
