#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/num.h"

static const char *prog = "ser";

void
cli_init(const char *progname)
{
	prog = progname;
	setvbuf(stderr, NULL, _IOLBF, 0);
}

const char *
cli_progname(void)
{
	return prog;
}

static void
vwarn(const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: ", prog);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void
cli_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(fmt, ap);
	va_end(ap);
}

void
cli_die(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(fmt, ap);
	va_end(ap);
	exit(status);
}

void
cli_usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(fmt, ap);
	va_end(ap);
	fprintf(stderr, "Try '%s --help' for more information.\n", prog);
	exit(EXIT_USAGE);
}

double
cli_opt_double(const char *optname, const char *arg, double lo, double hi)
{
	ser_error e;
	double v;

	if (ser_parse_double(arg, lo, hi, &v, &e) != 0)
		cli_usage_error("option %s: %s", optname, e.msg);
	return v;
}

int64_t
cli_opt_int(const char *optname, const char *arg, int64_t lo, int64_t hi)
{
	ser_error e;
	int64_t v;

	if (ser_parse_i64(arg, lo, hi, &v, &e) != 0)
		cli_usage_error("option %s: %s", optname, e.msg);
	return v;
}

void
cli_version(void)
{
	printf("%s %s\n", prog, SER_VERSION);
	exit(cli_close_stdout(0));
}

int
cli_close_stdout(int status)
{
	int bad = 0;

	if (fflush(stdout) != 0 || ferror(stdout))
		bad = errno ? errno : EIO;
	if (fclose(stdout) != 0 && !bad)
		bad = errno ? errno : EIO;
	if (bad) {
		cli_warn("error writing standard output: %s", strerror(bad));
		return status ? status : EXIT_DATA;
	}
	return status;
}
