/* lib/modspec.c: modulation spectra of generated contours. */
#include <math.h>
#include <stdlib.h>

#include "modspec.h"
#include "t.h"

#define RATE 100.0 /* frames per second */
#define B SER_MODSPEC_BANDS

/* a sine contour of f Hz: amp sin(2 pi f t) + offset, over n frames */
static void
sine(double *y, size_t n, double f, double amp, double offset)
{
	size_t t;

	for (t = 0; t < n; t++)
		y[t] = offset + amp * sin(2 * M_PI * f * (double)t / RATE);
}

/* the band holding the largest share */
static size_t
top(const double *db)
{
	size_t b, best = 0;

	for (b = 1; b < B; b++)
		if (db[b] > db[best])
			best = b;
	return best;
}

static double
share_sum(const double *db)
{
	size_t b;
	double s = 0;

	for (b = 0; b < B; b++)
		s += pow(10.0, db[b] / 10.0);
	return s;
}

int
main(void)
{
	ser_error e = {0};
	ser_modspec *m = ser_modspec_new(RATE, &e);
	static const double rates[] = {1.5, 3, 6, 12, 24};
	size_t n = 3000, i, b, bad;
	double *y = malloc(n * sizeof *y), a[B], c[B], uni = 10.0 * log10(1.0 / B);

	CHECK(m != NULL, "100 frames per second");
	CHECK(ser_modspec_band_lo(0) == 1.0 && ser_modspec_band_lo(4) == 16.0,
	      "bands start at 1 Hz and end at 32 Hz");
	CHECK(ser_modspec_new(63, &e) == NULL, "63 frames per second refused: %s", e.msg);
	CHECK(ser_modspec_new(1001, &e) == NULL, "1001 refused: %s", e.msg);
	CHECK(ser_modspec_new(NAN, &e) == NULL, "NaN refused: %s", e.msg);

	/* a sine lands in its band, short (one segment) or long (many) */
	for (i = 0; i < sizeof rates / sizeof *rates; i++) {
		size_t len[] = {200, 3000}, k;
		for (k = 0; k < 2; k++) {
			sine(y, len[k], rates[i], 5, 60);
			ser_modspec_run(m, y, len[k], a);
			CHECK(top(a) == i && a[i] > -1.0,
			      "a %g Hz sine over %zu frames: band %zu holds %.2f dB of the power",
			      rates[i], len[k], top(a), a[i]);
			CHECK_NEAR(share_sum(a), 1.0, 0, 1e-9, "the shares add up to 1 (%.12f)",
			           share_sum(a));
		}
	}
	/* a gain (an offset in dB) leaves the shape alone, and so does a
	 * deeper swing in every band that holds power (an empty band's share
	 * is its 1e-3 floor over the total); lengths just past a segment end
	 * exactly at the contour's end */
	for (n = 250; n <= 1030; n += 195) {
		size_t moved = 0;
		for (i = 0; i < n; i++)
			y[i] = 3 * sin(2 * M_PI * 3 * (double)i / RATE) + sin(2 * M_PI * 9 * (double)i / RATE);
		ser_modspec_run(m, y, n, a);
		for (i = 0; i < n; i++)
			y[i] -= 40;
		ser_modspec_run(m, y, n, c);
		for (bad = 0, b = 0; b < B; b++)
			bad += fabs(a[b] - c[b]) > 1e-9;
		for (i = 0; i < n; i++)
			y[i] = 2 * (y[i] + 40);
		ser_modspec_run(m, y, n, c);
		for (b = 0; b < B; b++)
			moved += a[b] > -20 && fabs(a[b] - c[b]) > 0.01;
		CHECK(bad == 0 && moved == 0 && top(a) == 1 && a[3] > -20,
		      "%zu frames: -40 dB moves no band, twice the swing none that holds power "
		      "(3 Hz band %.2f dB, 9 Hz band %.2f dB)",
		      n, a[1], a[3]);
	}
	/* nothing to measure: every band has a fifth */
	for (i = 0; i < 300; i++)
		y[i] = -12.5;
	ser_modspec_run(m, y, 300, a);
	ser_modspec_run(m, y, 1, c);
	for (bad = 0, b = 0; b < B; b++)
		bad += fabs(a[b] - uni) > 1e-9 || fabs(c[b] - uni) > 1e-9;
	ser_modspec_run(m, y, 0, c);
	for (b = 0; b < B; b++)
		bad += fabs(c[b] - uni) > 1e-9;
	CHECK(bad == 0, "a constant, one-frame or empty contour: %.3f dB in every band", uni);
	/* a NaN in the contour gives finite shares */
	sine(y, 300, 6, 5, 0);
	y[17] = NAN;
	ser_modspec_run(m, y, 300, a);
	for (bad = 0, b = 0; b < B; b++)
		bad += !isfinite(a[b]) || a[b] > 0;
	CHECK(bad == 0, "a NaN in the contour: every share finite and <= 0 dB");
	ser_modspec_free(m);
	ser_modspec_free(NULL);
	free(y);
	return t_done();
}
