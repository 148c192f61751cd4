#include "modspec.h"

#include <fftw3.h>
#include <math.h>
#include <stdlib.h>

#define FLOOR 1e-3

struct ser_modspec {
	double *in;            /* SER_MODSPEC_SEG, fftw_malloc'd */
	fftw_complex *out;     /* SER_MODSPEC_SEG / 2 + 1 */
	double pw[SER_MODSPEC_SEG / 2 + 1];
	size_t k_lo[SER_MODSPEC_BANDS], k_hi[SER_MODSPEC_BANDS]; /* bins [k_lo, k_hi) */
	fftw_plan plan;
};

double
ser_modspec_band_lo(size_t b)
{
	return ldexp(1.0, (int)b);
}

ser_modspec *
ser_modspec_new(double frame_rate_hz, ser_error *e)
{
	ser_modspec *m;
	size_t b;

	if (!(frame_rate_hz >= 64 && frame_rate_hz <= 1000))
		return ser_error_set(e, "modulation spectrum: frame rate %g Hz out of 64..1000",
		                     frame_rate_hz),
		       NULL;
	if ((m = calloc(1, sizeof *m)) == NULL)
		return ser_error_set(e, "out of memory"), NULL;
	m->in = fftw_malloc(SER_MODSPEC_SEG * sizeof *m->in);
	m->out = fftw_malloc((SER_MODSPEC_SEG / 2 + 1) * sizeof *m->out);
	if (m->in == NULL || m->out == NULL) {
		ser_modspec_free(m);
		return ser_error_set(e, "out of memory"), NULL;
	}
	m->plan = fftw_plan_dft_r2c_1d(SER_MODSPEC_SEG, m->in, m->out, FFTW_ESTIMATE);
	if (m->plan == NULL) {
		ser_modspec_free(m);
		return ser_error_set(e, "FFTW could not plan a transform of %d points",
		                     SER_MODSPEC_SEG),
		       NULL;
	}
	/* bin k is at k rate / SEG Hz */
	for (b = 0; b < SER_MODSPEC_BANDS; b++) {
		double lo = ser_modspec_band_lo(b), hz = frame_rate_hz / SER_MODSPEC_SEG;
		m->k_lo[b] = (size_t)ceil(lo / hz);
		m->k_hi[b] = (size_t)ceil(2.0 * lo / hz);
		if (m->k_hi[b] > SER_MODSPEC_SEG / 2 + 1)
			m->k_hi[b] = SER_MODSPEC_SEG / 2 + 1;
	}
	return m;
}

void
ser_modspec_free(ser_modspec *m)
{
	if (m == NULL)
		return;
	if (m->plan != NULL)
		fftw_destroy_plan(m->plan);
	fftw_free(m->in);
	fftw_free(m->out);
	free(m);
}

/* add segment y[0..len)'s normalised power spectrum to m->pw */
static void
segment(ser_modspec *m, const double *y, size_t len)
{
	size_t t, k;
	double mean = 0, ww = 0;

	for (t = 0; t < len; t++)
		mean += y[t];
	mean /= (double)len;
	for (t = 0; t < len; t++) {
		double w = len > 1 ? 0.5 - 0.5 * cos(2.0 * M_PI * (double)t / (double)(len - 1)) : 0;
		m->in[t] = w * (y[t] - mean);
		ww += w * w;
	}
	for (; t < SER_MODSPEC_SEG; t++)
		m->in[t] = 0;
	if (!(ww > 0))
		return;
	fftw_execute(m->plan);
	for (k = 0; k <= SER_MODSPEC_SEG / 2; k++)
		m->pw[k] += (m->out[k][0] * m->out[k][0] + m->out[k][1] * m->out[k][1]) / ww;
}

void
ser_modspec_run(ser_modspec *m, const double *y, size_t n, double *band_db)
{
	size_t b, k, nseg = 0;
	double band[SER_MODSPEC_BANDS], total = 0;

	for (k = 0; k <= SER_MODSPEC_SEG / 2; k++)
		m->pw[k] = 0;
	if (n <= SER_MODSPEC_SEG) {
		if (n > 0) {
			segment(m, y, n);
			nseg = 1;
		}
	} else {
		/* half-overlapping segments, the last one ending at the end */
		size_t hop = SER_MODSPEC_SEG / 2, st = 0;
		for (;;) {
			segment(m, y + st, SER_MODSPEC_SEG);
			nseg++;
			if (st + SER_MODSPEC_SEG == n)
				break;
			st = st + hop + SER_MODSPEC_SEG <= n ? st + hop : n - SER_MODSPEC_SEG;
		}
	}
	for (b = 0; b < SER_MODSPEC_BANDS; b++) {
		double p = 0;
		for (k = m->k_lo[b]; k < m->k_hi[b]; k++)
			p += m->pw[k];
		if (nseg > 0)
			p /= (double)nseg;
		band[b] = isfinite(p) ? p + FLOOR : FLOOR;
		total += band[b];
	}
	for (b = 0; b < SER_MODSPEC_BANDS; b++)
		band_db[b] = 10.0 * log10(band[b] / total);
}
