#include "chroma.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct ser_chroma {
	double rate_hz;
	size_t n_fft, nb;
	double *w;         /* 12 x nb */
	float *pitch, *mag; /* tuning candidates */
	size_t ncand, capcand;
	double *tmp;       /* nb scratch: thresholded spectrum */
	float *sorttmp;
	size_t capsort;
};

ser_chroma *
ser_chroma_new(double rate_hz, size_t n_fft, ser_error *e)
{
	ser_chroma *c;

	if (!(rate_hz >= 1000 && rate_hz <= 384000))
		return ser_error_set(e, "sample rate %g Hz out of range", rate_hz), NULL;
	if (n_fft < 16 || n_fft > 65536)
		return ser_error_set(e, "n_fft %zu out of range 16..65536", n_fft), NULL;
	if ((c = calloc(1, sizeof *c)) == NULL)
		return ser_error_set(e, "out of memory"), NULL;
	c->rate_hz = rate_hz;
	c->n_fft = n_fft;
	c->nb = n_fft / 2 + 1;
	c->w = malloc(12 * c->nb * sizeof *c->w);
	c->tmp = malloc(c->nb * sizeof *c->tmp);
	if (c->w == NULL || c->tmp == NULL) {
		ser_chroma_free(c);
		return ser_error_set(e, "out of memory"), NULL;
	}
	ser_chroma_set_tuning(c, 0.0);
	return c;
}

void
ser_chroma_free(ser_chroma *c)
{
	if (c == NULL)
		return;
	free(c->w);
	free(c->tmp);
	free(c->pitch);
	free(c->mag);
	free(c->sorttmp);
	free(c);
}

void
ser_chroma_set_tuning(ser_chroma *c, double tuning)
{
	const int nc = 12;
	double a440 = 440.0 * pow(2.0, tuning / nc);
	size_t nf = c->n_fft, k, p, nb = c->nb;
	double *frq = malloc((nf + 1) * sizeof *frq), prev0;

	if (frq == NULL) { /* keep the old filterbank; only reachable out of memory */
		return;
	}
	/* frequencies = linspace(0, sr, n_fft, endpoint=False)[1:]; frqbins =
	 * 12 * log2(f / (A440/16)); frqbins[0] = frqbins[1] - 1.5*12 */
	for (k = 1; k < nf; k++)
		frq[k] = nc * log2(((double)k * (c->rate_hz / (double)nf)) / (a440 / 16.0));
	prev0 = frq[1] - 1.5 * nc;
	frq[0] = prev0;
	for (k = 0; k < nb; k++) {
		double bw = k + 1 < nf ? fmax(frq[k + 1] - frq[k], 1.0) : 1.0;
		double colnorm = 0, oct;
		double col[12];

		for (p = 0; p < (size_t)nc; p++) {
			double d = frq[k] - (double)p;
			/* np.remainder(D + n2 + 10*nc, nc) - n2, n2 = round(nc/2) = 6 */
			d = fmod(d + 6.0 + 10.0 * nc, (double)nc);
			if (d < 0)
				d += nc;
			d -= 6.0;
			col[p] = exp(-0.5 * (2.0 * d / bw) * (2.0 * d / bw));
			colnorm += col[p] * col[p];
		}
		colnorm = sqrt(colnorm);
		oct = exp(-0.5 * ((frq[k] / nc - 5.0) / 2.0) * ((frq[k] / nc - 5.0) / 2.0));
		for (p = 0; p < (size_t)nc; p++) {
			/* base_c: np.roll(wts, -3): row r takes old row (r + 3) % 12 */
			size_t r = (p + (size_t)nc - 3) % (size_t)nc;
			c->w[r * nb + k] = (colnorm > 0 ? col[p] / colnorm : col[p]) * oct;
		}
	}
	free(frq);
}

double
ser_chroma_weight(const ser_chroma *c, size_t p, size_t k)
{
	return p < 12 && k < c->nb ? c->w[p * c->nb + k] : 0.0;
}

void
ser_chroma_apply(const ser_chroma *c, const double *power, double *chroma)
{
	const double tiny = 1.1754943508222875e-38;
	double mx = 0;
	size_t p, k;

	for (p = 0; p < 12; p++) {
		const double *w = c->w + p * c->nb;
		double acc = 0;
		for (k = 0; k < c->nb; k++)
			acc += w[k] * power[k];
		chroma[p] = acc;
		if (fabs(acc) > mx)
			mx = fabs(acc);
	}
	if (mx >= tiny)
		for (p = 0; p < 12; p++)
			chroma[p] /= mx;
}

void
ser_tuning_reset(ser_chroma *c)
{
	c->ncand = 0;
}

static int
push_cand(ser_chroma *c, float pitch, float mag, ser_error *e)
{
	if (c->ncand == c->capcand) {
		size_t cap = c->capcand ? c->capcand * 2 : 1024;
		float *np_ = realloc(c->pitch, cap * sizeof *np_), *nm;
		if (np_ == NULL)
			return ser_error_set(e, "out of memory");
		c->pitch = np_;
		if ((nm = realloc(c->mag, cap * sizeof *nm)) == NULL)
			return ser_error_set(e, "out of memory");
		c->mag = nm;
		c->capcand = cap;
	}
	c->pitch[c->ncand] = pitch;
	c->mag[c->ncand] = mag;
	c->ncand++;
	return 0;
}

int
ser_tuning_add(ser_chroma *c, const double *S, ser_error *e)
{
	size_t k, nb = c->nb;
	double mx = 0, ref;

	for (k = 0; k < nb; k++)
		if (S[k] > mx)
			mx = S[k];
	ref = 0.1 * mx;
	for (k = 0; k < nb; k++)
		c->tmp[k] = S[k] > ref ? S[k] : 0.0;
	for (k = 1; k + 1 < nb; k++) {
		double f = (double)k * c->rate_hz / (double)c->n_fft, a, b, shift, avg;
		float s1, d1;

		if (!(f >= 150.0 && f < 4000.0))
			continue;
		if (!(c->tmp[k] > c->tmp[k - 1] && c->tmp[k] >= c->tmp[k + 1]))
			continue;
		/* _parabolic_interpolation (numba stencil; float32 S) */
		s1 = (float)S[k + 1] + (float)S[k - 1];
		a = (double)s1 - 2.0 * (double)(float)S[k];
		d1 = (float)S[k + 1] - (float)S[k - 1];
		b = (double)d1 / 2.0;
		shift = fabs(b) >= fabs(a) ? 0.0 : (double)(float)(-b / a);
		avg = (S[k + 1] - S[k - 1]) / 2.0; /* np.gradient */
		if (push_cand(c, (float)(((double)k + shift) * c->rate_hz / (double)c->n_fft),
		              (float)(S[k] + 0.5 * avg * shift), e) != 0)
			return -1;
	}
	return 0;
}

static int
cmp_float(const void *a, const void *b)
{
	float x = *(const float *)a, y = *(const float *)b;
	return (x > y) - (x < y);
}

double
ser_tuning_estimate(ser_chroma *c)
{
	size_t i, n = 0, counts[100] = {0}, best;
	float thr;

	for (i = 0; i < c->ncand; i++)
		n += c->pitch[i] > 0;
	if (n == 0)
		return 0.0;
	if (n > c->capsort) {
		float *t = realloc(c->sorttmp, n * sizeof *t);
		if (t == NULL)
			return 0.0; /* out of memory: fall back to no tuning */
		c->sorttmp = t;
		c->capsort = n;
	}
	n = 0;
	for (i = 0; i < c->ncand; i++)
		if (c->pitch[i] > 0)
			c->sorttmp[n++] = c->mag[i];
	qsort(c->sorttmp, n, sizeof *c->sorttmp, cmp_float);
	/* np.median of float32: mean of the middle two, in float32 */
	thr = n % 2 ? c->sorttmp[n / 2] : (c->sorttmp[n / 2 - 1] + c->sorttmp[n / 2]) / 2.0f;
	for (i = 0; i < c->ncand; i++) {
		float f = c->pitch[i], oct, res;
		double r;
		long idx;

		if (!(f > 0) || !(c->mag[i] >= thr))
			continue;
		/* float32 arithmetic as numpy: 12 * log2(f / 27.5) mod 1 */
		oct = log2f(f / 27.5f);
		res = 12.0f * oct;
		res = fmodf(res, 1.0f);
		if (res < 0)
			res += 1.0f;
		if (res >= 0.5f)
			res -= 1.0f;
		r = res;
		/* bins edges[j] = j*0.01 - 0.5; bin j holds edges[j] <= r < edges[j+1] */
		idx = (long)floor((r + 0.5) * 100.0);
		if (idx < 0)
			idx = 0;
		if (idx > 99)
			idx = 99;
		while (idx > 0 && r < (double)idx * 0.01 - 0.5)
			idx--;
		while (idx < 99 && r >= (double)(idx + 1) * 0.01 - 0.5)
			idx++;
		counts[idx]++;
	}
	best = 0;
	for (i = 1; i < 100; i++)
		if (counts[i] > counts[best])
			best = i;
	return (double)best * 0.01 - 0.5;
}
