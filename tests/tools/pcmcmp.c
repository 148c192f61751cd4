/*
 * pcmcmp - compare two raw float32 LE mono PCM files (a reference and a
 * decoded test), for the decoder tests.
 *
 *   pcmcmp [--max-abs TOL] [--scale S] ref test
 *       lossless: same length and |S*ref[i] - test[i]| <= TOL for every i
 *       (TOL defaults to 0: identical samples).
 *   pcmcmp --min-corr C [--max-lag N] [--scale S] ref test
 *       lossy: the normalised correlation of ref and test, at the best lag
 *       in [-N, N] samples (encoders add delay), must be >= C, and the
 *       overlap must cover at least 90% of ref.
 *
 * Prints one line "n_ref=.. n_test=.. lag=.. corr=.. max_abs=.." and exits
 * 0 when the files match, 1 when they do not (or cannot be read), 2 on
 * usage errors.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../cmd/cli.h"

static float *
load(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	float *buf = NULL;
	size_t cap = 0, len = 0, got;

	if (f == NULL)
		cli_die(1, "%s: %s", path, strerror(errno));
	for (;;) {
		if (len == cap) {
			cap = cap ? cap * 2 : 65536;
			buf = realloc(buf, cap * sizeof *buf);
			if (buf == NULL)
				cli_die(1, "out of memory");
		}
		got = fread(buf + len, sizeof *buf, cap - len, f);
		len += got;
		if (got == 0)
			break;
	}
	if (ferror(f))
		cli_die(1, "%s: read error", path);
	if (fgetc(f) != EOF)
		cli_die(1, "%s: trailing partial sample", path);
	fclose(f);
	*n = len;
	return buf;
}

/* Normalised correlation of a[i] and b[i + lag] over their overlap. */
static double
corr_at(const float *a, size_t na, const float *b, size_t nb, long lag, size_t *overlap)
{
	double sab = 0, saa = 0, sbb = 0;
	long i0 = lag < 0 ? -lag : 0;
	long i1 = (long)na;

	if ((long)nb - lag < i1)
		i1 = (long)nb - lag;
	*overlap = i1 > i0 ? (size_t)(i1 - i0) : 0;
	for (long i = i0; i < i1; i++) {
		double x = a[i], y = b[i + lag];
		sab += x * y;
		saa += x * x;
		sbb += y * y;
	}
	return saa > 0 && sbb > 0 ? sab / sqrt(saa * sbb) : 0;
}

int
main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "max-abs", required_argument, NULL, 'a' },
		{ "min-corr", required_argument, NULL, 'c' },
		{ "max-lag", required_argument, NULL, 'l' },
		{ "scale", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	double tol = 0, min_corr = -2, scale = 1, best = -2, max_abs = 0;
	long max_lag = 4000, best_lag = 0;
	size_t na, nb, ov, best_ov = 0;
	float *a, *b;
	int ch, ok;

	cli_init("pcmcmp");
	while ((ch = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (ch) {
		case 'a': tol = cli_opt_double("--max-abs", optarg, 0, 10); break;
		case 'c': min_corr = cli_opt_double("--min-corr", optarg, -1, 1); break;
		case 'l': max_lag = (long)cli_opt_int("--max-lag", optarg, 0, 1000000); break;
		case 's': scale = cli_opt_double("--scale", optarg, -100, 100); break;
		default: return 2;
		}
	}
	if (argc - optind != 2)
		cli_usage_error("usage: pcmcmp [--max-abs TOL | --min-corr C [--max-lag N]] "
		                "[--scale S] ref test");
	a = load(argv[optind], &na);
	b = load(argv[optind + 1], &nb);
	for (size_t i = 0; i < na; i++)
		a[i] = (float)(a[i] * scale);
	if (min_corr > -2) {
		for (long lag = -max_lag; lag <= max_lag; lag++) {
			double c = corr_at(a, na, b, nb, lag, &ov);
			if (c > best) {
				best = c;
				best_lag = lag;
				best_ov = ov;
			}
		}
		ok = best >= min_corr && (double)best_ov >= 0.9 * (double)na;
	} else {
		best = corr_at(a, na, b, nb, 0, &best_ov);
		ok = na == nb;
		for (size_t i = 0; i < na && i < nb; i++) {
			double d = fabs((double)a[i] - (double)b[i]);
			if (!(d <= max_abs))
				max_abs = d;
		}
		ok = ok && max_abs <= tol;
	}
	printf("n_ref=%zu n_test=%zu lag=%ld corr=%.6f max_abs=%.9g %s\n", na, nb, best_lag, best,
	       max_abs, ok ? "match" : "MISMATCH");
	free(a);
	free(b);
	return cli_close_stdout(ok ? 0 : 1);
}
