/*
 * ser-decode - any accepted audio file in, raw float32 LE mono PCM out
 * (DESIGN.md "Raw PCM"), or with --info one TSV row per file describing it.
 * All the work is lib/decode.c; this is options, files and output.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../lib/decode.h"
#include "../lib/num.h"
#include "cli.h"

static const char usage_text[] =
	"usage: ser-decode [-r rate] [--max-duration seconds] [file]\n"
	"       ser-decode --info [--max-duration seconds] [file ...]\n"
	"       ser-decode -h | --help | --version\n";

enum { OPT_INFO = 256, OPT_MAXDUR, OPT_VERSION };

static const struct option longopts[] = {
	{ "rate", required_argument, NULL, 'r' },
	{ "info", no_argument, NULL, OPT_INFO },
	{ "max-duration", required_argument, NULL, OPT_MAXDUR },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 },
};

/* Open name ("-" is stdin). Returns the fd or -1 after printing why. */
static int
open_input(const char *name)
{
	int fd;

	if (strcmp(name, "-") == 0)
		return STDIN_FILENO;
	fd = open(name, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		cli_warn("%s: %s", name, strerror(errno));
	return fd;
}

static void
close_input(int fd)
{
	if (fd != STDIN_FILENO)
		close(fd);
}

/* Write n floats as little-endian float32. Returns 0 or -1. */
static int
write_pcm(const float *buf, size_t n)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	for (size_t i = 0; i < n; i++) {
		unsigned char b[4];
		uint32_t u;
		memcpy(&u, &buf[i], 4);
		b[0] = u, b[1] = u >> 8, b[2] = u >> 16, b[3] = u >> 24;
		if (fwrite(b, 1, 4, stdout) != 4)
			return -1;
	}
	return 0;
#else
	return fwrite(buf, sizeof *buf, n, stdout) == n ? 0 : -1;
#endif
}

/* Decode name to stdout. Returns the exit status. */
static int
decode_pcm(const char *name, const ser_decode_config *c)
{
	static float buf[8192];
	ser_error e;
	ser_decoder *d;
	long n;
	int fd = open_input(name), status = 0;

	if (fd < 0)
		return EXIT_DATA;
	d = ser_decoder_open(fd, name, c, &e);
	if (d == NULL) {
		cli_warn("%s: %s", name, e.msg);
		close_input(fd);
		return EXIT_DATA;
	}
	while ((n = ser_decoder_read(d, buf, sizeof buf / sizeof *buf, &e)) > 0)
		if (write_pcm(buf, (size_t)n) != 0) {
			cli_warn("write error: %s", strerror(errno));
			status = EXIT_DATA;
			break;
		}
	if (n < 0) {
		cli_warn("%s: %s", name, e.msg);
		status = EXIT_DATA;
	}
	ser_decoder_close(d);
	close_input(fd);
	return status;
}

/* Decode name fully (no resampling) and print its TSV row. */
static int
info_row(const char *name, const ser_decode_config *c)
{
	static float buf[16384];
	ser_error e;
	ser_decoder *d;
	const ser_audio_info *in;
	char rate[32], dur[32];
	long n;
	int fd;

	if (strpbrk(name, "\t\n") != NULL) {
		cli_warn("%s: a file name with a tab or newline cannot be a table id", name);
		return EXIT_DATA;
	}
	if ((fd = open_input(name)) < 0)
		return EXIT_DATA;
	d = ser_decoder_open(fd, name, c, &e);
	if (d == NULL) {
		cli_warn("%s: %s", name, e.msg);
		close_input(fd);
		return EXIT_DATA;
	}
	while ((n = ser_decoder_read(d, buf, sizeof buf / sizeof *buf, &e)) > 0)
		;
	if (n == 0) {
		in = ser_decoder_info(d);
		printf("%s\t%s\t%s\t%s\t%d\t%lld\t%s\n", name, in->container, in->codec,
		       ser_fmt_float(rate, sizeof rate, in->rate_hz), in->channels,
		       (long long)in->frames,
		       ser_fmt_float(dur, sizeof dur, (double)in->frames / in->rate_hz));
	} else {
		cli_warn("%s: %s", name, e.msg);
	}
	ser_decoder_close(d);
	close_input(fd);
	return n == 0 ? 0 : EXIT_DATA;
}

int
main(int argc, char **argv)
{
	ser_decode_config cfg;
	int ch, info = 0, rate_set = 0, status = 0, nstdin = 0;

	cli_init("ser-decode");
	ser_decode_config_default(&cfg);
	while ((ch = getopt_long(argc, argv, "r:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'r':
			cfg.rate_hz = cli_opt_double("-r", optarg, 1000, 768000);
			rate_set = 1;
			break;
		case OPT_INFO:
			info = 1;
			break;
		case OPT_MAXDUR:
			cfg.max_seconds = cli_opt_double("--max-duration", optarg, 0.001, 1e7);
			break;
		case 'h':
			fputs(usage_text, stdout);
			return cli_close_stdout(0);
		case OPT_VERSION:
			cli_version();
		default:
			fputs(usage_text, stderr);
			return EXIT_USAGE;
		}
	}
	argc -= optind;
	argv += optind;
	for (int i = 0; i < argc; i++)
		nstdin += strcmp(argv[i], "-") == 0;
	if (nstdin > 1)
		cli_usage_error("standard input can be named only once");
	if (info) {
		if (rate_set)
			cli_usage_error("-r has no effect with --info");
		cfg.rate_hz = 0;
		printf("id\tcontainer\tcodec\trate_hz\tchannels\tframes\tduration_s\n");
		if (argc == 0)
			status = info_row("-", &cfg);
		for (int i = 0; i < argc; i++)
			if (info_row(argv[i], &cfg) != 0)
				status = EXIT_DATA;
		return cli_close_stdout(status);
	}
	if (argc > 1)
		cli_usage_error("PCM output takes one input file (use --info for many)");
	if (isatty(STDOUT_FILENO))
		cli_usage_error("refusing to write binary PCM to a terminal; redirect or pipe stdout");
	status = decode_pcm(argc == 1 ? argv[0] : "-", &cfg);
	return cli_close_stdout(status);
}
