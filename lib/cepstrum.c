#include "cepstrum.h"

#include <fftw3.h>
#include <math.h>
#include <stdlib.h>

struct ser_cpp {
	size_t nb;       /* n_fft/2 + 1 spectrum bins = cepstrum quefrencies 0..n_fft/2 */
	double n_fft;
	size_t q_lo, q_hi; /* peak search, samples */
	size_t q_fit;      /* the line is fitted over q_fit..q_hi */
	double *in, *out;  /* nb each, fftw_malloc'd */
	fftw_plan plan;
};

ser_cpp *
ser_cpp_new(double rate_hz, size_t n_fft, double f0_min, double f0_max, ser_error *e)
{
	ser_cpp *c;

	if (!(rate_hz > 0) || n_fft < 16 || n_fft > 65536)
		return ser_error_set(e, "cepstrum: bad rate %g Hz or n_fft %zu", rate_hz, n_fft), NULL;
	if (!(f0_min >= 40 && f0_min < f0_max && f0_max <= rate_hz / 8))
		return ser_error_set(e, "cepstrum: F0 range %g..%g Hz out of 40..%g", f0_min, f0_max,
		                     rate_hz / 8),
		       NULL;
	if ((double)n_fft / rate_hz < 2.0 / f0_min)
		return ser_error_set(e, "cepstrum: %zu points at %g Hz hold fewer than two periods of %g Hz",
		                     n_fft, rate_hz, f0_min),
		       NULL;
	if ((c = calloc(1, sizeof *c)) == NULL)
		return ser_error_set(e, "out of memory"), NULL;
	c->nb = n_fft / 2 + 1;
	c->n_fft = (double)n_fft;
	c->q_lo = (size_t)ceil(rate_hz / f0_max);
	c->q_hi = (size_t)floor(rate_hz / f0_min);
	c->q_fit = (size_t)ceil(0.001 * rate_hz);
	if (c->q_fit >= c->q_lo)
		c->q_fit = c->q_lo > 1 ? c->q_lo - 1 : 0;
	c->in = fftw_malloc(c->nb * sizeof *c->in);
	c->out = fftw_malloc(c->nb * sizeof *c->out);
	if (c->in == NULL || c->out == NULL) {
		ser_cpp_free(c);
		return ser_error_set(e, "out of memory"), NULL;
	}
	/* the power spectrum of a real frame is even: its inverse DFT is
	 * the type-I DCT of the n_fft/2 + 1 bins, over n_fft */
	c->plan = fftw_plan_r2r_1d((int)c->nb, c->in, c->out, FFTW_REDFT00, FFTW_ESTIMATE);
	if (c->plan == NULL) {
		size_t nb = c->nb;
		ser_cpp_free(c);
		return ser_error_set(e, "FFTW could not plan a transform of %zu points", nb), NULL;
	}
	return c;
}

void
ser_cpp_free(ser_cpp *c)
{
	if (c == NULL)
		return;
	if (c->plan != NULL)
		fftw_destroy_plan(c->plan);
	fftw_free(c->in);
	fftw_free(c->out);
	free(c);
}

double
ser_cpp_run(ser_cpp *c, const double *power)
{
	size_t k, q, best;
	double top = 0, sq = 0, sc = 0, sqq = 0, sqc = 0, n, slope, icpt, qp, y0, ym, yp, d;

	for (k = 0; k < c->nb; k++)
		if (power[k] > top)
			top = power[k];
	if (!(top > 0) || !isfinite(top))
		return 0;
	for (k = 0; k < c->nb; k++)
		c->in[k] = 10.0 * log10(power[k] > 1e-10 * top ? power[k] / top : 1e-10);
	fftw_execute(c->plan);
	for (q = 0; q < c->nb; q++)
		c->out[q] /= c->n_fft;
	for (q = c->q_fit; q <= c->q_hi; q++) {
		sq += (double)q;
		sc += c->out[q];
		sqq += (double)q * (double)q;
		sqc += (double)q * c->out[q];
	}
	n = (double)(c->q_hi - c->q_fit + 1);
	d = n * sqq - sq * sq;
	slope = d > 0 ? (n * sqc - sq * sc) / d : 0;
	icpt = (sc - slope * sq) / n;
	for (best = c->q_lo, q = c->q_lo + 1; q <= c->q_hi; q++)
		if (c->out[q] > c->out[best])
			best = q;
	/* parabolic vertex through the peak and its neighbours */
	y0 = c->out[best];
	ym = c->out[best - 1];
	yp = best + 1 < c->nb ? c->out[best + 1] : y0;
	qp = (double)best;
	d = ym - 2.0 * y0 + yp;
	if (d < 0) {
		double off = 0.5 * (ym - yp) / d;
		if (off > -1 && off < 1) {
			qp += off;
			y0 -= 0.25 * (ym - yp) * off;
		}
	}
	return y0 - (icpt + slope * qp);
}
