#include "spectral.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "functionals.h"

struct ser_spectral {
	double rate_hz;
	size_t n_fft, nb;
	double *freq;  /* nb */
	double *mag;   /* nb scratch */
	double *prev;  /* nb: previous normalised magnitude */
	double *sortbuf;
	int have_prev;
	unsigned want;   /* SER_SPEC_* */
	/* bin ranges */
	size_t s0_lo, s0_hi, s1_lo, s1_hi;      /* slope bands */
	size_t a_lo, a_mid, a_hi;               /* alpha: [a_lo,a_mid) [a_mid,a_hi) */
	size_t h_lo, h_mid, h_hi;               /* hammarberg */
	double s0_sxx, s1_sxx, s0_fm, s1_fm;    /* slope regression precomputations */
	size_t c_lo[SER_CONTRAST_BANDS], c_hi[SER_CONTRAST_BANDS]; /* sub-band rows [lo,hi) */
	size_t c_q[SER_CONTRAST_BANDS];         /* quantile count idx */
};

static size_t
bin_at_or_above(const ser_spectral *s, double hz)
{
	size_t k = (size_t)ceil(hz * (double)s->n_fft / s->rate_hz);
	return k > s->nb ? s->nb : k;
}

static void
slope_prep(const ser_spectral *s, size_t lo, size_t hi, double *fm, double *sxx)
{
	double m = 0, v = 0;
	size_t k;

	for (k = lo; k < hi; k++)
		m += s->freq[k];
	m = hi > lo ? m / (double)(hi - lo) : 0;
	for (k = lo; k < hi; k++)
		v += (s->freq[k] - m) * (s->freq[k] - m);
	*fm = m;
	*sxx = v;
}

ser_spectral *
ser_spectral_new(double rate_hz, size_t n_fft, ser_error *e)
{
	ser_spectral *s;
	double octa[SER_CONTRAST_BANDS + 1];
	size_t k, b;

	if (!(rate_hz >= 1000 && rate_hz <= 384000))
		return ser_error_set(e, "sample rate %g Hz out of range", rate_hz), NULL;
	if (n_fft < 16 || n_fft > 65536)
		return ser_error_set(e, "n_fft %zu out of range 16..65536", n_fft), NULL;
	if ((s = calloc(1, sizeof *s)) == NULL)
		return ser_error_set(e, "out of memory"), NULL;
	s->rate_hz = rate_hz;
	s->want = SER_SPEC_ALL;
	s->n_fft = n_fft;
	s->nb = n_fft / 2 + 1;
	s->freq = malloc(s->nb * sizeof *s->freq);
	s->mag = malloc(s->nb * sizeof *s->mag);
	s->prev = malloc(s->nb * sizeof *s->prev);
	s->sortbuf = malloc(s->nb * sizeof *s->sortbuf);
	if (!s->freq || !s->mag || !s->prev || !s->sortbuf) {
		ser_spectral_free(s);
		return ser_error_set(e, "out of memory"), NULL;
	}
	for (k = 0; k < s->nb; k++)
		s->freq[k] = (double)k * rate_hz / (double)n_fft;
	s->s0_lo = 0;
	s->s0_hi = bin_at_or_above(s, 500.0 + 1e-9);
	s->s1_lo = s->s0_hi;
	s->s1_hi = bin_at_or_above(s, 1500.0 + 1e-9);
	slope_prep(s, s->s0_lo, s->s0_hi, &s->s0_fm, &s->s0_sxx);
	slope_prep(s, s->s1_lo, s->s1_hi, &s->s1_fm, &s->s1_sxx);
	s->a_lo = bin_at_or_above(s, 50.0);
	s->a_mid = bin_at_or_above(s, 1000.0);
	s->a_hi = bin_at_or_above(s, 5000.0 + 1e-9);
	s->h_lo = 0;
	s->h_mid = bin_at_or_above(s, 2000.0);
	s->h_hi = bin_at_or_above(s, 5000.0 + 1e-9);
	/* librosa spectral_contrast: octa = [0, 200, 400, ..., 200*2^6];
	 * band k = bins with octa[k] <= f <= octa[k+1], plus the bin below
	 * for k > 0, plus everything above for the last; all but the last
	 * band drop their top row. Bands past Nyquist are empty (count 0). */
	octa[0] = 0;
	for (b = 1; b <= SER_CONTRAST_BANDS; b++)
		octa[b] = 200.0 * pow(2.0, (double)(b - 1));
	for (b = 0; b < SER_CONTRAST_BANDS; b++) {
		size_t lo = s->nb, hi = 0, cnt;
		for (k = 0; k < s->nb; k++)
			if (s->freq[k] >= octa[b] && s->freq[k] <= octa[b + 1]) {
				if (k < lo)
					lo = k;
				hi = k + 1;
			}
		if (hi <= lo) {
			s->c_lo[b] = s->c_hi[b] = 0;
			s->c_q[b] = 0;
			continue;
		}
		if (b > 0 && lo > 0)
			lo--;
		if (b == SER_CONTRAST_BANDS - 1)
			hi = s->nb;
		cnt = hi - lo; /* sum(current_band) */
		s->c_q[b] = (size_t)nearbyint(0.02 * (double)cnt);
		if (s->c_q[b] < 1)
			s->c_q[b] = 1;
		if (b < SER_CONTRAST_BANDS - 1)
			hi--;
		s->c_lo[b] = lo;
		s->c_hi[b] = hi;
	}
	return s;
}

void
ser_spectral_free(ser_spectral *s)
{
	if (s == NULL)
		return;
	free(s->freq);
	free(s->mag);
	free(s->prev);
	free(s->sortbuf);
	free(s);
}

void
ser_spectral_reset(ser_spectral *s)
{
	s->have_prev = 0;
}

void
ser_spectral_select(ser_spectral *s, unsigned want)
{
	s->want = want & SER_SPEC_ALL;
}

static double
band_slope(const ser_spectral *s, const double *power, size_t lo, size_t hi, double fm, double sxx)
{
	double sxy = 0;
	size_t k;

	if (hi < lo + 2 || sxx <= 0)
		return 0;
	for (k = lo; k < hi; k++)
		sxy += (s->freq[k] - fm) * log(power[k] > 1e-10 ? power[k] : 1e-10);
	return (10.0 / M_LN10) * sxy / sxx; /* dB per Hz */
}

void
ser_spectral_run(ser_spectral *s, const double *power, ser_spectral_frame *out)
{
	const double tiny = 1.1754943508222875e-38; /* np.finfo(float32).tiny */
	double s0 = 0, s1 = 0, s2 = 0, norm, cen, bw, cum, thr, flux = 0;
	double ea = 0, eb = 0, ha = 0, hb = 0, inv;
	const double *f = s->freq;
	double *mag = s->mag;
	size_t k, nb = s->nb;

	/* pass 1: magnitudes and their moments, in two interleaved partial sums
	 * so the additions do not wait on each other (a frame is ~257 bins) */
	{
		double a0 = 0, a1 = 0, a2 = 0, b0 = 0, b1 = 0, b2 = 0;
		for (k = 0; k + 1 < nb; k += 2) {
			double m = sqrt(power[k]), n = sqrt(power[k + 1]);
			double fm = f[k] * m, fn = f[k + 1] * n;
			mag[k] = m;
			mag[k + 1] = n;
			a0 += m;
			b0 += n;
			a1 += fm;
			b1 += fn;
			a2 += f[k] * fm;
			b2 += f[k + 1] * fn;
		}
		for (; k < nb; k++) {
			double m = sqrt(power[k]);
			mag[k] = m;
			a0 += m;
			a1 += f[k] * m;
			a2 += f[k] * f[k] * m;
		}
		s0 = a0 + b0;
		s1 = a1 + b1;
		s2 = a2 + b2;
	}
	/* librosa normalises each column by its sum unless below float32 tiny */
	norm = s0 < tiny ? 1.0 : s0;
	cen = s1 / norm;
	/* sum m (f - c)^2 = s2 - 2 c s1 + c^2 s0 (double: the cancellation
	 * costs ~3 of 16 digits for a pure tone) */
	bw = (s2 - 2.0 * cen * s1 + cen * cen * s0) / norm;
	out->centroid_hz = cen;
	out->bandwidth_hz = bw > 0 ? sqrt(bw) : 0;
	/* flatness: exp(mean log p) / mean p, p = max(1e-10, |X|^2); the sum
	 * of logs as logs of products of 8 (factors are >= 1e-10; a product
	 * that leaves [1e-300, 1e300], as full-scale float input of ~1e38 can
	 * make it, is redone as a sum of logs) */
	out->flatness = 0;
	if (s->want & SER_SPEC_FLATNESS) {
		double lsum = 0, psum = 0;
		size_t k0;
		for (k0 = 0; k0 < nb; k0 += 8) {
			size_t end = k0 + 8 < nb ? k0 + 8 : nb;
			double prod = 1, part = 0;
			for (k = k0; k < end; k++) {
				double pf = power[k] > 1e-10 ? power[k] : 1e-10;
				part += pf;
				prod *= pf;
			}
			psum += part;
			if (prod > 1e-300 && prod < 1e300) {
				lsum += log(prod);
			} else {
				for (k = k0; k < end; k++)
					lsum += log(power[k] > 1e-10 ? power[k] : 1e-10);
			}
		}
		out->flatness = exp(lsum / (double)nb) / (psum / (double)nb);
	}
	/* pass 2: rolloff (first bin whose cumulative sum reaches 0.85 of the
	 * total; an all-zero frame gives bin 0) and flux */
	thr = 0.85 * s0;
	cum = 0;
	out->rolloff_hz = f[nb - 1];
	for (k = 0; k < nb; k++) {
		cum += mag[k];
		if (!(cum < thr)) {
			out->rolloff_hz = f[k];
			break;
		}
	}
	out->flux = 0;
	if (s->want & SER_SPEC_FLUX) {
		inv = s0 > 0 ? 1.0 / s0 : 0;
		if (s->have_prev) {
			for (k = 0; k < nb; k++) {
				double v = mag[k] * inv, d = v - s->prev[k];
				flux += d * d;
				s->prev[k] = v;
			}
		} else {
			for (k = 0; k < nb; k++)
				s->prev[k] = mag[k] * inv;
		}
		out->flux = flux;
		s->have_prev = 1;
	}
	out->slope_0_500 = out->slope_500_1500 = 0;
	if (s->want & SER_SPEC_SLOPES) {
		out->slope_0_500 = band_slope(s, power, s->s0_lo, s->s0_hi, s->s0_fm, s->s0_sxx);
		out->slope_500_1500 = band_slope(s, power, s->s1_lo, s->s1_hi, s->s1_fm, s->s1_sxx);
	}
	for (k = s->a_lo; k < s->a_mid; k++)
		ea += power[k];
	for (k = s->a_mid; k < s->a_hi; k++)
		eb += power[k];
	out->alpha_ratio_db = 10.0 * log10((ea > 1e-10 ? ea : 1e-10) / (eb > 1e-10 ? eb : 1e-10));
	for (k = s->h_lo; k < s->h_mid; k++)
		if (power[k] > ha)
			ha = power[k];
	for (k = s->h_mid; k < s->h_hi; k++)
		if (power[k] > hb)
			hb = power[k];
	out->hammarberg_db = 10.0 * log10((ha > 1e-10 ? ha : 1e-10) / (hb > 1e-10 ? hb : 1e-10));
	for (k = 0; k < SER_CONTRAST_BANDS; k++)
		out->contrast_db[k] = 0;
}

double
ser_zcr(const float *x, size_t n)
{
	size_t i, c = 0;

	if (n == 0)
		return 0;
	/* librosa: |x| <= 1e-10 (compared in float32) is set to 0, and 0 is
	 * positive (zero_pos=True): a sample is "negative" iff x < -1e-10 */
	for (i = 1; i < n; i++)
		c += (x[i] < -1e-10f) != (x[i - 1] < -1e-10f);
	return (double)c / (double)n;
}

double
ser_rms(const float *x, size_t n)
{
	double a0 = 0, a1 = 0, a2 = 0, a3 = 0;
	size_t i;

	for (i = 0; i + 4 <= n; i += 4) {
		a0 += (double)x[i] * x[i];
		a1 += (double)x[i + 1] * x[i + 1];
		a2 += (double)x[i + 2] * x[i + 2];
		a3 += (double)x[i + 3] * x[i + 3];
	}
	for (; i < n; i++)
		a0 += (double)x[i] * x[i];
	return n ? sqrt((a0 + a1 + a2 + a3) / (double)n) : 0;
}
void
ser_spectral_contrast(ser_spectral *s, ser_spectral_frame *out)
{
	size_t b;

	for (b = 0; b < SER_CONTRAST_BANDS; b++) {
		const double *m = s->mag + s->c_lo[b];
		size_t n = s->c_hi[b] - s->c_lo[b], q = s->c_q[b], i, j;
		double peak = 0, valley = 0;

		out->contrast_db[b] = 0;
		if (n == 0)
			continue;
		if (q > n)
			q = n;
		if (q == 1) {
			/* the usual case (bands under 75 bins): minimum and
			 * maximum, branch-free */
			double lo = m[0], hi = m[0];
			for (i = 1; i < n; i++) {
				lo = m[i] < lo ? m[i] : lo;
				hi = m[i] > hi ? m[i] : hi;
			}
			valley = lo;
			peak = hi;
		} else if (q <= 4) {
			/* the q smallest and largest by insertion into short lists */
			double lo[4], hi[4];
			size_t nl = 0;
			for (i = 0; i < n; i++) {
				double v = m[i];
				if (nl < q) {
					for (j = nl; j > 0 && lo[j - 1] > v; j--)
						lo[j] = lo[j - 1];
					lo[j] = v;
					for (j = nl; j > 0 && hi[j - 1] < v; j--)
						hi[j] = hi[j - 1];
					hi[j] = v;
					nl++;
					continue;
				}
				if (v < lo[q - 1]) {
					for (j = q - 1; j > 0 && lo[j - 1] > v; j--)
						lo[j] = lo[j - 1];
					lo[j] = v;
				}
				if (v > hi[q - 1]) {
					for (j = q - 1; j > 0 && hi[j - 1] < v; j--)
						hi[j] = hi[j - 1];
					hi[j] = v;
				}
			}
			for (i = 0; i < q; i++) {
				valley += lo[i];
				peak += hi[i];
			}
		} else {
			memcpy(s->sortbuf, m, n * sizeof *s->sortbuf);
			qsort(s->sortbuf, n, sizeof *s->sortbuf, ser_cmp_double);
			for (i = 0; i < q; i++) {
				valley += s->sortbuf[i];
				peak += s->sortbuf[n - 1 - i];
			}
		}
		valley /= (double)q;
		peak /= (double)q;
		out->contrast_db[b] = 10.0 * log10(peak > 1e-10 ? peak : 1e-10) -
		                      10.0 * log10(valley > 1e-10 ? valley : 1e-10);
	}
}
