#include "mel.h"

#include <math.h>
#include <stdlib.h>

struct ser_mel {
	ser_mel_config c;
	size_t nbins;
	double *center; /* n_mels */
	size_t *lo, *hi; /* nonzero weights of band b are bins [lo[b], hi[b]) */
	double **w;      /* w[b][k - lo[b]] */
};

/* librosa.hz_to_mel / mel_to_hz, htk=False (Slaney) */
static double
hz_to_mel(double f)
{
	const double f_sp = 200.0 / 3, min_log_hz = 1000.0, min_log_mel = 1000.0 / f_sp;
	const double logstep = log(6.4) / 27.0;

	if (f >= min_log_hz)
		return min_log_mel + log(f / min_log_hz) / logstep;
	return f / f_sp;
}

static double
mel_to_hz(double m)
{
	const double f_sp = 200.0 / 3, min_log_hz = 1000.0, min_log_mel = 1000.0 / f_sp;
	const double logstep = log(6.4) / 27.0;

	if (m >= min_log_mel)
		return min_log_hz * exp(logstep * (m - min_log_mel));
	return f_sp * m;
}

ser_mel *
ser_mel_new(const ser_mel_config *c, ser_error *e)
{
	ser_mel *m;
	double *mel_f = NULL, fhi, mlo, mhi;
	size_t b, k, nb, np;

	fhi = c->fmax_hz > 0 ? c->fmax_hz : c->rate_hz / 2;
	if (!(c->rate_hz >= 1000 && c->rate_hz <= 384000))
		return ser_error_set(e, "sample rate %g Hz out of range", c->rate_hz), NULL;
	if (c->n_fft < 16 || c->n_fft > 65536)
		return ser_error_set(e, "n_fft %zu out of range 16..65536", c->n_fft), NULL;
	if (c->n_mels < 1 || c->n_mels > 512)
		return ser_error_set(e, "n_mels %zu out of range 1..512", c->n_mels), NULL;
	if (!(c->fmin_hz >= 0 && c->fmin_hz < fhi && fhi <= c->rate_hz / 2))
		return ser_error_set(e, "mel range %g..%g Hz is not inside 0..%g Hz", c->fmin_hz,
		                     fhi, c->rate_hz / 2),
		       NULL;
	if ((m = calloc(1, sizeof *m)) == NULL)
		return ser_error_set(e, "out of memory"), NULL;
	m->c = *c;
	nb = m->nbins = c->n_fft / 2 + 1;
	np = c->n_mels + 2;
	mel_f = malloc(np * sizeof *mel_f);
	m->center = malloc(c->n_mels * sizeof *m->center);
	m->lo = calloc(c->n_mels, sizeof *m->lo);
	m->hi = calloc(c->n_mels, sizeof *m->hi);
	m->w = calloc(c->n_mels, sizeof *m->w);
	if (!mel_f || !m->center || !m->lo || !m->hi || !m->w)
		goto oom;
	/* mel_frequencies: np.linspace(mel(fmin), mel(fmax), n_mels+2) -> Hz */
	mlo = hz_to_mel(c->fmin_hz);
	mhi = hz_to_mel(fhi);
	for (b = 0; b < np; b++)
		mel_f[b] = mel_to_hz(b + 1 == np ? mhi : mlo + (double)b * ((mhi - mlo) / (double)(np - 1)));
	for (b = 0; b < c->n_mels; b++) {
		double fd0 = mel_f[b + 1] - mel_f[b], fd1 = mel_f[b + 2] - mel_f[b + 1];
		double enorm = 2.0 / (mel_f[b + 2] - mel_f[b]);
		size_t lo = nb, hi = 0;

		m->center[b] = mel_f[b + 1];
		for (k = 0; k < nb; k++) {
			double f = (double)k * c->rate_hz / (double)c->n_fft;
			double lower = (f - mel_f[b]) / fd0, upper = (mel_f[b + 2] - f) / fd1;
			if (fmin(lower, upper) > 0) {
				if (k < lo)
					lo = k;
				hi = k + 1;
			}
		}
		if (hi <= lo)
			lo = hi = 0; /* an empty filter (too many bands for n_fft) */
		m->lo[b] = lo;
		m->hi[b] = hi;
		if ((m->w[b] = malloc((hi - lo + 1) * sizeof **m->w)) == NULL)
			goto oom;
		for (k = lo; k < hi; k++) {
			double f = (double)k * c->rate_hz / (double)c->n_fft;
			double lower = (f - mel_f[b]) / fd0, upper = (mel_f[b + 2] - f) / fd1;
			m->w[b][k - lo] = fmax(0.0, fmin(lower, upper)) * enorm;
		}
	}
	free(mel_f);
	return m;
oom:
	free(mel_f);
	ser_mel_free(m);
	ser_error_set(e, "out of memory");
	return NULL;
}

void
ser_mel_free(ser_mel *m)
{
	size_t b;

	if (m == NULL)
		return;
	if (m->w != NULL)
		for (b = 0; b < m->c.n_mels; b++)
			free(m->w[b]);
	free(m->w);
	free(m->lo);
	free(m->hi);
	free(m->center);
	free(m);
}

size_t
ser_mel_nbands(const ser_mel *m)
{
	return m->c.n_mels;
}

double
ser_mel_weight(const ser_mel *m, size_t b, size_t k)
{
	if (b >= m->c.n_mels || k < m->lo[b] || k >= m->hi[b])
		return 0.0;
	return m->w[b][k - m->lo[b]];
}

double
ser_mel_center_hz(const ser_mel *m, size_t b)
{
	return m->center[b];
}

void
ser_mel_apply(const ser_mel *m, const double *power, double *mel)
{
	size_t b, k;

	for (b = 0; b < m->c.n_mels; b++) {
		const double *w = m->w[b];
		double acc = 0.0;
		for (k = m->lo[b]; k < m->hi[b]; k++)
			acc += w[k - m->lo[b]] * power[k];
		mel[b] = acc;
	}
}

double
ser_power_db(double p)
{
	return (10.0 / M_LN10) * log(p > 1e-10 ? p : 1e-10);
}

void
ser_db_clip(double *db, size_t n, double top_db)
{
	double top = -INFINITY, floor_db;
	size_t i;

	if (top_db <= 0 || n == 0)
		return;
	for (i = 0; i < n; i++)
		if (db[i] > top)
			top = db[i];
	floor_db = top - top_db;
	for (i = 0; i < n; i++)
		if (db[i] < floor_db)
			db[i] = floor_db;
}

struct ser_dct {
	size_t n_in, n_out;
	double *m; /* n_out x n_in */
};

ser_dct *
ser_dct_new(size_t n_in, size_t n_out, ser_error *e)
{
	ser_dct *d;
	size_t i, k;

	if (n_in < 1 || n_in > 4096 || n_out < 1 || n_out > n_in)
		return ser_error_set(e, "DCT of %zu coefficients from %zu inputs", n_out, n_in), NULL;
	if ((d = malloc(sizeof *d)) == NULL || (d->m = malloc(n_in * n_out * sizeof *d->m)) == NULL) {
		free(d);
		return ser_error_set(e, "out of memory"), NULL;
	}
	d->n_in = n_in;
	d->n_out = n_out;
	for (k = 0; k < n_out; k++) {
		double f = k == 0 ? sqrt(1.0 / (double)n_in) : sqrt(2.0 / (double)n_in);
		for (i = 0; i < n_in; i++)
			d->m[k * n_in + i] =
			        f * cos(M_PI * (double)k * (2.0 * (double)i + 1.0) / (2.0 * (double)n_in));
	}
	return d;
}

void
ser_dct_free(ser_dct *d)
{
	if (d != NULL)
		free(d->m);
	free(d);
}

void
ser_dct_apply(const ser_dct *d, const double *in, double *out)
{
	size_t i, k;

	for (k = 0; k < d->n_out; k++) {
		const double *row = d->m + k * d->n_in;
		double acc = 0.0;
		for (i = 0; i < d->n_in; i++)
			acc += row[i] * in[i];
		out[k] = acc;
	}
}
