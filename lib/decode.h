/*
 * decode.h - the one decoder path of ser (DESIGN.md "ser-decode"): every
 * accepted container in, mono float32 PCM at a chosen rate out. ser-decode,
 * ser-features (file arguments) and the web endpoint all go through here.
 *
 * The container is decided by content (magic bytes), never by the name.
 * WAV/RF64/FLAC/OGG (Vorbis, Opus)/MP3 go through libsndfile, M4A/AAC through
 * libavformat/libavcodec; only an allow-list of codecs is accepted.
 * Non-seekable input (a pipe) is first copied to an unlinked temporary file,
 * so nothing is ever left on disk. Decoding streams in blocks; memory does
 * not grow with the recording, and nothing is allocated from a size that a
 * header claims. Decoded duration is capped (cfg.max_seconds) by counting
 * decoded samples. NaN/Inf samples are an error.
 */
#ifndef SER_DECODE_H
#define SER_DECODE_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

typedef struct ser_decode_config {
	double rate_hz;     /* output rate in Hz; 0 keeps the input's rate. Default 16000. */
	double max_seconds; /* cap on decoded duration, in seconds of input. Default 3600. */
} ser_decode_config;

void ser_decode_config_default(ser_decode_config *c);

typedef struct ser_audio_info {
	char container[16]; /* "wav", "rf64", "flac", "ogg", "mp3", "m4a" */
	char codec[32];     /* "pcm_s16", "pcm_f32", "alaw", "ulaw", "flac", "vorbis", "opus", "mp3", "aac", ... */
	double rate_hz;     /* the input's sample rate */
	int channels;       /* the input's channel count (output is always mono) */
	int64_t frames;     /* input frames decoded so far (exact once ser_decoder_read returned 0) */
} ser_audio_info;

/* Name the container that buf (the first n bytes of a file) starts with, or
 * NULL if it is none that ser accepts. 64 bytes are enough. Pure. */
const char *ser_audio_sniff(const unsigned char *buf, size_t n);

typedef struct ser_decoder ser_decoder;

/* Open fd (a file or a pipe; not closed by the decoder) whose name, for
 * messages, is name. Returns NULL with e set ("reason", without the name)
 * when the content is not accepted audio. */
ser_decoder *ser_decoder_open(int fd, const char *name, const ser_decode_config *c, ser_error *e);
const ser_audio_info *ser_decoder_info(const ser_decoder *d);
/* Output rate in Hz (cfg rate, or the input's when cfg rate is 0). */
double ser_decoder_rate(const ser_decoder *d);
/* Read up to n mono samples at the output rate into buf. Returns the count
 * (> 0), 0 at the end, or -1 with e set (corrupt data, NaN/Inf, duration cap). */
long ser_decoder_read(ser_decoder *d, float *buf, size_t n, ser_error *e);
void ser_decoder_close(ser_decoder *d);

/* Decode a whole file (path) into a malloc'd buffer *out of *n samples,
 * bounded by c->max_seconds. info may be NULL. 0 or -1 with e set. */
int ser_decode_file(const char *path, const ser_decode_config *c, float **out, size_t *n,
                    ser_audio_info *info, ser_error *e);

#endif
