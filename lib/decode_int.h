/*
 * decode_int.h - internals shared by decode.c and decode_av.c (not an API;
 * nothing outside lib/decode*.c includes this).
 */
#ifndef SER_DECODE_INT_H
#define SER_DECODE_INT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "decode.h"
#include "error.h"

/* Limits on what a header may say; anything outside is refused before a
 * decoder library sees it. */
#define SER_DECODE_MAX_CHANNELS 256
#define SER_DECODE_MIN_RATE 1000.0
#define SER_DECODE_MAX_RATE 768000.0

/* A byte source: a seekable regular file (the caller's fd, read with pread
 * from its offset at open) or a pipe spooled into an unlinked temporary
 * file. size is the exact number of readable bytes. */
typedef struct ser_src {
	int fd;          /* the fd read with pread */
	int64_t base;    /* byte offset of the start of the audio in fd */
	int64_t size;    /* bytes from base to the end */
	int64_t pos;     /* current position for the stream-style callbacks */
	FILE *spool;     /* the unlinked temporary file, or NULL */
} ser_src;

/* pread n bytes at off (relative to base), retrying on EINTR and short
 * reads. Returns the count read (< n only at the end) or -1. */
long ser_src_read_at(const ser_src *s, int64_t off, void *buf, size_t n);

/* libavformat/libavcodec path (M4A/MP4 with AAC or ALAC, ADTS AAC). */
typedef struct ser_av ser_av;

/* container is "m4a" or "aac". Fills info->codec, rate_hz, channels. */
ser_av *ser_av_open(ser_src *src, const char *container, ser_audio_info *info, ser_error *e);
/* Up to max_frames interleaved float frames (info->channels wide) into buf.
 * Returns the frame count, 0 at the end, -1 on a decoding error. */
long ser_av_read(ser_av *a, float *buf, long max_frames, ser_error *e);
void ser_av_close(ser_av *a);

#endif
