/*
 * ser-features - audio in, feature table out (DESIGN.md "Feature table").
 *
 * Inputs: raw float32 LE mono PCM on stdin (or "-"), audio files named as
 * arguments, or listed one per line in -T FILE; many per process. Output:
 * one TSV row per utterance (id, then the set's columns), or per analysis
 * frame (--frames), or per window of a long recording (--window/--hop,
 * streaming: memory holds one window); or, with --learn-codebook, a
 * codebook for the word columns learnt from every active frame of the
 * inputs (lib/words.h). All the analysis is lib/featset.c and lib/words.c;
 * this is options, inputs and output. A bad input is reported as
 * "ser-features: NAME: reason" and skipped; the exit status is then 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../lib/decode.h"
#include "../lib/featset.h"
#include "../lib/num.h"
#include "../lib/words.h"
#include "cli.h"

static const char usage_text[] =
	"usage: ser-features [-r hz] [--set name] [--codebook file] [--frames] [-T list]\n"
	"                    [file ...]\n"
	"       ser-features [-r hz] [--set name] --window sec [--hop sec] [file ...]\n"
	"       ser-features [-r hz] [--set name] --learn-codebook n [--seed s] [-T list]\n"
	"                    [file ...]\n"
	"       ser-features [--set name] [--frames] --list\n"
	"       ser-features -h | --help | --version\n"
	"\n"
	"Other options: --id name (the id of standard input), --max-duration sec,\n"
	"-T list with --window, --codebook file with --window or --list.\n"
	"See ser-features(1).\n";

enum { OPT_SET = 256, OPT_FRAMES, OPT_ID, OPT_LIST, OPT_WINDOW, OPT_HOP, OPT_MAXDUR,
       OPT_PROFILE, OPT_CODEBOOK, OPT_LEARN, OPT_SEED, OPT_VERSION };

static const struct option longopts[] = {
	{ "rate", required_argument, NULL, 'r' },
	{ "set", required_argument, NULL, OPT_SET },
	{ "frames", no_argument, NULL, OPT_FRAMES },
	{ "id", required_argument, NULL, OPT_ID },
	{ "list", no_argument, NULL, OPT_LIST },
	{ "window", required_argument, NULL, OPT_WINDOW },
	{ "hop", required_argument, NULL, OPT_HOP },
	{ "max-duration", required_argument, NULL, OPT_MAXDUR },
	{ "profile", no_argument, NULL, OPT_PROFILE },
	{ "codebook", required_argument, NULL, OPT_CODEBOOK },
	{ "learn-codebook", required_argument, NULL, OPT_LEARN },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 },
};

typedef struct opts {
	double rate;
	const char *set;
	int frames;
	const char *id;     /* id for stdin PCM */
	double window_s, hop_s, max_s;
	int profile;
	const char *codebook; /* --codebook FILE */
	size_t learn_n;       /* --learn-codebook N (0: not learning) */
	int64_t seed;         /* --seed S */
	int seed_set;
} opts;

static ser_features *fx;
static ser_words_learner *learner; /* --learn-codebook */
static double *row;
static size_t nframes_total;

/* A source of mono float samples: raw PCM on a stream, or a decoder. */
typedef struct source {
	FILE *fp;           /* raw PCM (stdin) */
	ser_decoder *dec;   /* or a decoded file */
	int fd;
	const char *name;
	uint64_t nread;     /* samples so far */
	uint64_t cap;       /* samples allowed */
	double max_s;
} source;

static int
src_open(source *s, const char *name, const opts *o, ser_error *e)
{
	memset(s, 0, sizeof *s);
	s->name = name;
	s->fd = -1;
	s->cap = (uint64_t)floor(o->max_s * o->rate);
	s->max_s = o->max_s;
	if (strcmp(name, "-") == 0) {
		s->fp = stdin;
		return 0;
	}
	if ((s->fd = open(name, O_RDONLY | O_CLOEXEC)) < 0)
		return ser_error_set(e, "%s", strerror(errno));
	{
		ser_decode_config dc;
		ser_decode_config_default(&dc);
		dc.rate_hz = o->rate;
		dc.max_seconds = o->max_s;
		if ((s->dec = ser_decoder_open(s->fd, name, &dc, e)) == NULL) {
			close(s->fd);
			s->fd = -1;
			return -1;
		}
	}
	return 0;
}

static void
src_close(source *s)
{
	if (s->dec)
		ser_decoder_close(s->dec);
	if (s->fd >= 0)
		close(s->fd);
	s->dec = NULL;
	s->fd = -1;
}

/* Read up to n samples. Returns the count, 0 at the end, -1 with e set. */
static long
src_read(source *s, float *buf, size_t n, ser_error *e)
{
	if (s->dec) {
		long r = ser_decoder_read(s->dec, buf, n, e);
		if (r > 0)
			s->nread += (uint64_t)r;
		return r;
	}
	{
		unsigned char *b = (unsigned char *)buf;
		size_t want = n * 4, got = 0, i;
		while (got < want) {
			size_t r = fread(b + got, 1, want - got, s->fp);
			if (r == 0)
				break;
			got += r;
		}
		if (ferror(s->fp))
			return ser_error_set(e, "read error: %s", strerror(errno));
		if (got % 4 != 0)
			return ser_error_set(e, "trailing partial sample (%zu byte%s after sample %llu)",
			                     got % 4, got % 4 == 1 ? "" : "s",
			                     (unsigned long long)(s->nread + got / 4));
		for (i = 0; i < got / 4; i++) {
			uint32_t u = (uint32_t)b[4 * i] | (uint32_t)b[4 * i + 1] << 8 |
			             (uint32_t)b[4 * i + 2] << 16 | (uint32_t)b[4 * i + 3] << 24;
			float v;
			memcpy(&v, &u, 4);
			if (!isfinite(v))
				return ser_error_set(e, "sample %llu is not a finite number",
				                     (unsigned long long)(s->nread + i));
			buf[i] = v;
		}
		s->nread += got / 4;
		if (s->nread > s->cap)
			return ser_error_set(e, "longer than the %g s cap (--max-duration)",
			                     s->max_s);
		return (long)(got / 4);
	}
}

/* The id of an input: the path as given, or --id for stdin. Refuses what
 * cannot be a table key. */
static const char *
input_id(const char *name, const opts *o, ser_error *e)
{
	const char *id = strcmp(name, "-") == 0 && o->id ? o->id : name;

	if (*id == '\0' || strpbrk(id, "\t\n\r") != NULL) {
		ser_error_set(e, "a name with a tab or newline (or an empty one) cannot be a table id");
		return NULL;
	}
	return id;
}

static void
put_num(double v)
{
	char buf[40];

	putchar('\t');
	fputs(ser_fmt_float(buf, sizeof buf, isfinite(v) ? v : 0.0), stdout);
}

static void
header(const opts *o)
{
	size_t i;

	fputs("id", stdout);
	if (o->frames) {
		fputs("\ttime_s", stdout);
		for (i = 0; i < ser_features_nllds(fx); i++)
			printf("\t%s", ser_features_lldname(fx, i));
	} else {
		for (i = 0; i < ser_features_ncols(fx); i++)
			printf("\t%s", ser_features_colname(fx, i));
	}
	putchar('\n');
}

/* Whole-input modes (utterance rows, frame rows). */
static int
do_whole(const char *name, const opts *o)
{
	ser_error e;
	source s;
	float *x = NULL;
	size_t n = 0, cap = 0, i, t;
	long r;
	const char *id = input_id(name, o, &e);

	if (id == NULL || src_open(&s, name, o, &e) != 0) {
		cli_warn("%s: %s", name, e.msg);
		return EXIT_DATA;
	}
	for (;;) {
		if (n == cap) {
			size_t nc = cap ? cap * 2 : 65536;
			float *nx;
			if (nc > SIZE_MAX / sizeof *x || (nx = realloc(x, nc * sizeof *x)) == NULL) {
				ser_error_set(&e, "out of memory");
				r = -1;
				break;
			}
			x = nx;
			cap = nc;
		}
		if ((r = src_read(&s, x + n, cap - n, &e)) <= 0)
			break;
		n += (size_t)r;
	}
	src_close(&s);
	if (r == 0 && n == 0) {
		ser_error_set(&e, "no samples");
		r = -1;
	}
	if (r == 0 && learner != NULL) {
		const double *wf;
		size_t nw;
		if (ser_features_word_frames(fx, x, n, &wf, &nw, &e) != 0)
			r = -1;
		else
			ser_words_learner_add(learner, wf, nw);
	} else if (r == 0 && !o->frames) {
		if (ser_features_run(fx, x, n, row, &e) != 0) {
			r = -1;
		} else {
			fputs(id, stdout);
			for (i = 0; i < ser_features_ncols(fx); i++)
				put_num(row[i]);
			putchar('\n');
		}
	} else if (r == 0) {
		const double *const *lld;
		size_t nf, nl = ser_features_nllds(fx);
		double hop_s = ser_features_hop_s(fx);
		if (ser_features_frames(fx, x, n, &lld, &nf, &e) != 0) {
			r = -1;
		} else {
			for (t = 0; t < nf; t++) {
				fputs(id, stdout);
				put_num((double)t * hop_s);
				for (i = 0; i < nl; i++)
					put_num(lld[i][t]);
				putchar('\n');
			}
		}
	}
	if (r == 0)
		nframes_total += (size_t)(1 + (double)n / (ser_features_hop_s(fx) * o->rate));
	free(x);
	if (r != 0) {
		cli_warn("%s: %s", name, e.msg);
		return EXIT_DATA;
	}
	return 0;
}

static int
emit_window(const char *id, double start_s, const float *x, size_t n)
{
	ser_error e;
	char t[40];
	size_t i;

	if (ser_features_run(fx, x, n, row, &e) != 0) {
		cli_warn("%s@%.3f: %s", id, start_s, e.msg);
		return -1;
	}
	snprintf(t, sizeof t, "%.3f", start_s);
	printf("%s@%s", id, t);
	for (i = 0; i < ser_features_ncols(fx); i++)
		put_num(row[i]);
	putchar('\n');
	return 0;
}

/* Window mode: rows for windows [k*hop, k*hop + win) that lie inside the
 * recording (one row for the whole recording when it is shorter than a
 * window). Memory: one window of samples. */
static int
do_windows(const char *name, const opts *o)
{
	ser_error e;
	source s;
	size_t win = (size_t)llround(o->window_s * o->rate);
	size_t hop = (size_t)llround(o->hop_s * o->rate), fill = 0, skip = 0;
	uint64_t start = 0;
	float *buf;
	long r = 0;
	int emitted = 0, status = 0;
	const char *id = input_id(name, o, &e);

	if (win < 1 || hop < 1)
		cli_usage_error("--window and --hop must be at least one sample at %g Hz", o->rate);
	if (id == NULL || src_open(&s, name, o, &e) != 0) {
		cli_warn("%s: %s", name, e.msg);
		return EXIT_DATA;
	}
	if ((buf = malloc(win * sizeof *buf)) == NULL) {
		src_close(&s);
		cli_warn("%s: out of memory for a window of %zu samples", name, win);
		return EXIT_DATA;
	}
	for (;;) {
		if (skip > 0) { /* hop > window: drop the gap between windows */
			float tmp[4096];
			r = src_read(&s, tmp, skip < 4096 ? skip : 4096, &e);
			if (r <= 0)
				break;
			skip -= (size_t)r;
			continue;
		}
		r = src_read(&s, buf + fill, win - fill, &e);
		if (r <= 0)
			break;
		fill += (size_t)r;
		if (fill < win)
			continue;
		if (emit_window(id, (double)start / o->rate, buf, win) != 0)
			status = EXIT_DATA;
		emitted = 1;
		nframes_total += (size_t)(1 + (double)win / (ser_features_hop_s(fx) * o->rate));
		start += hop;
		if (hop < win) {
			memmove(buf, buf + hop, (win - hop) * sizeof *buf);
			fill = win - hop;
		} else {
			fill = 0;
			skip = hop - win;
		}
	}
	src_close(&s);
	if (r < 0) {
		cli_warn("%s: %s", name, e.msg);
		status = EXIT_DATA;
	} else if (!emitted) {
		if (fill == 0) {
			cli_warn("%s: no samples", name);
			status = EXIT_DATA;
		} else if (emit_window(id, 0.0, buf, fill) != 0) {
			status = EXIT_DATA;
		}
	}
	free(buf);
	return status;
}

static int
do_input(const char *name, const opts *o)
{
	return o->window_s > 0 ? do_windows(name, o) : do_whole(name, o);
}

/* -T list: one path per line; empty lines are skipped. */
static int
do_list(const char *list, const opts *o, int *stdin_used)
{
	FILE *fp;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	unsigned long lineno = 0;
	int status = 0;

	if (strcmp(list, "-") == 0) {
		if ((*stdin_used)++)
			cli_usage_error("standard input can be used only once");
		fp = stdin;
	} else if ((fp = fopen(list, "r")) == NULL) {
		cli_warn("%s: %s", list, strerror(errno));
		return EXIT_DATA;
	}
	while ((len = getline(&line, &cap, fp)) != -1) {
		lineno++;
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		if (len == 0)
			continue;
		if (memchr(line, '\0', (size_t)len) != NULL) {
			cli_warn("%s:%lu: a NUL byte in a path", list, lineno);
			status = EXIT_DATA;
			continue;
		}
		if (strcmp(line, "-") == 0) {
			cli_warn("%s:%lu: '-' (standard input) cannot be listed", list, lineno);
			status = EXIT_DATA;
			continue;
		}
		if (do_input(line, o) != 0)
			status = EXIT_DATA;
	}
	if (ferror(fp)) {
		cli_warn("%s: read error: %s", list, strerror(errno));
		status = EXIT_DATA;
	}
	free(line);
	if (fp != stdin)
		fclose(fp);
	return status;
}

int
main(int argc, char **argv)
{
	opts o = {16000, "default", 0, NULL, 0, 0, 3600, 0, NULL, 0, 1, 0};
	const char *lists[64];
	size_t nlists = 0, i;
	int ch, list = 0, status = 0, stdin_used = 0, hop_set = 0, maxdur_set = 0;
	ser_error e;

	cli_init("ser-features");
	opterr = 0; /* our own messages: "ser-features: ...", whatever argv[0] is */
	while ((ch = getopt_long(argc, argv, ":r:T:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'r':
			o.rate = cli_opt_double("-r", optarg, 8000, 192000);
			break;
		case 'T':
			if (nlists == sizeof lists / sizeof *lists)
				cli_usage_error("too many -T lists (at most 64)");
			lists[nlists++] = optarg;
			break;
		case OPT_SET:
			o.set = optarg;
			break;
		case OPT_FRAMES:
			o.frames = 1;
			break;
		case OPT_ID:
			o.id = optarg;
			break;
		case OPT_LIST:
			list = 1;
			break;
		case OPT_WINDOW:
			o.window_s = cli_opt_double("--window", optarg, 0.05, 86400);
			break;
		case OPT_HOP:
			o.hop_s = cli_opt_double("--hop", optarg, 0.01, 86400);
			hop_set = 1;
			break;
		case OPT_MAXDUR:
			o.max_s = cli_opt_double("--max-duration", optarg, 0.001, 1e7);
			maxdur_set = 1;
			break;
		case OPT_PROFILE:
			o.profile = 1;
			break;
		case OPT_CODEBOOK:
			o.codebook = optarg;
			break;
		case OPT_LEARN:
			o.learn_n = (size_t)cli_opt_int("--learn-codebook", optarg, 1, SER_WORDS_MAX);
			break;
		case OPT_SEED:
			o.seed = cli_opt_int("--seed", optarg, 0, INT64_MAX);
			o.seed_set = 1;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return cli_close_stdout(0);
		case OPT_VERSION:
			cli_version();
		case ':':
			cli_usage_error("option %s needs an argument", argv[optind - 1]);
		default:
			if (optopt > 0 && optopt < 128)
				cli_usage_error("unknown option -%c", optopt);
			cli_usage_error("bad option %s", argv[optind - 1]);
		}
	}
	argc -= optind;
	argv += optind;
	if (hop_set && o.window_s == 0)
		cli_usage_error("--hop needs --window");
	if (o.window_s > 0 && o.frames)
		cli_usage_error("--frames and --window cannot be combined");
	if (o.window_s > 0 && !hop_set)
		o.hop_s = o.window_s;
	if (o.window_s > 0 && !maxdur_set)
		o.max_s = 1e7; /* windows stream: no need to cap the length */
	if (o.id != NULL && (*o.id == '\0' || strpbrk(o.id, "\t\n\r") != NULL))
		cli_usage_error("option --id: an id cannot be empty or hold a tab or newline");
	if (o.seed_set && o.learn_n == 0)
		cli_usage_error("--seed needs --learn-codebook");
	if (o.learn_n > 0 && (o.frames || o.window_s > 0 || list || o.codebook))
		cli_usage_error("--learn-codebook cannot be combined with --%s",
		                o.frames ? "frames" : o.window_s > 0 ? "window" : list ? "list" : "codebook");
	if (o.codebook != NULL && o.frames)
		cli_usage_error("option --codebook: --frames rows have no word columns");
	{
		ser_codebook cb, *cbp = NULL;
		if (o.codebook != NULL) {
			FILE *fp = fopen(o.codebook, "r");
			if (fp == NULL)
				cli_die(EXIT_DATA, "%s: %s", o.codebook, strerror(errno));
			if (ser_codebook_read(fp, o.codebook, &cb, &e) != 0) {
				fclose(fp);
				cli_die(EXIT_DATA, "%s", e.msg);
			}
			fclose(fp);
			cbp = &cb;
		}
		fx = ser_features_new_cb(o.set, o.rate, cbp, &e);
		if (cbp != NULL)
			ser_codebook_free(cbp);
	}
	if (fx == NULL) {
		if (strncmp(e.msg, "unknown feature set", 19) == 0)
			cli_usage_error("option --set: %s", e.msg);
		cli_die(EXIT_DATA, "%s", e.msg);
	}
	if (o.codebook != NULL && ser_features_nwords(fx) == 0)
		cli_usage_error("option --codebook: the set '%s' has no word columns", o.set);
	if (o.learn_n > 0 && !ser_features_has_word_frames(fx))
		cli_usage_error("option --learn-codebook: the set '%s' has no word descriptors", o.set);
	if (list) {
		if (argc > 0 || nlists > 0)
			cli_usage_error("--list takes no input");
		if (o.frames)
			puts("time_s");
		for (i = 0; i < (o.frames ? ser_features_nllds(fx) : ser_features_ncols(fx)); i++)
			puts(o.frames ? ser_features_lldname(fx, i) : ser_features_colname(fx, i));
		ser_features_free(fx);
		return cli_close_stdout(0);
	}
	for (i = 0; i < (size_t)argc; i++)
		if (strcmp(argv[i], "-") == 0 && stdin_used++)
			cli_usage_error("standard input can be used only once");
	for (i = 0; i < nlists; i++)
		if (strcmp(lists[i], "-") == 0 && stdin_used++)
			cli_usage_error("standard input can be used only once");
	stdin_used = 0;
	if ((row = malloc(ser_features_ncols(fx) * sizeof *row)) == NULL)
		cli_die(EXIT_DATA, "out of memory");
	ser_features_set_profile(fx, o.profile);
	if (o.learn_n > 0 && (learner = ser_words_learner_new(o.learn_n, (uint64_t)o.seed, &e)) == NULL)
		cli_die(EXIT_DATA, "%s", e.msg);
	if (learner == NULL)
		header(&o);
	for (i = 0; i < nlists; i++)
		if (do_list(lists[i], &o, &stdin_used) != 0)
			status = EXIT_DATA;
	for (i = 0; i < (size_t)argc; i++)
		if (do_input(argv[i], &o) != 0)
			status = EXIT_DATA;
	if (argc == 0 && nlists == 0 && do_input("-", &o) != 0)
		status = EXIT_DATA;
	if (o.profile) {
		const char *names[16];
		double sec[16], total = 0;
		size_t k, nfam = ser_features_profile(fx, names, sec, 16);
		for (k = 0; k < nfam; k++)
			total += sec[k];
		fprintf(stderr, "ser-features: profile: %zu frames, %.6f s in features\n",
		        nframes_total, total);
		for (k = 0; k < nfam; k++)
			fprintf(stderr, "ser-features: profile: %-18s %9.6f s %8.3f us/frame %5.1f%%\n",
			        names[k], sec[k], nframes_total ? 1e6 * sec[k] / (double)nframes_total : 0,
			        total > 0 ? 100 * sec[k] / total : 0);
	}
	if (learner != NULL) {
		ser_codebook cb;
		if (ser_words_learner_finish(learner, &cb, &e) != 0) {
			cli_warn("%s", e.msg);
			status = EXIT_DATA;
		} else {
			if (ser_codebook_write(stdout, &cb, &e) != 0)
				status = EXIT_DATA; /* cli_close_stdout says why */
			ser_codebook_free(&cb);
		}
		ser_words_learner_free(learner);
	}
	free(row);
	ser_features_free(fx);
	return cli_close_stdout(status);
}
