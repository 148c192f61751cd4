#include "functionals.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const names[SER_F_COUNT] = {
	"mean", "std", "p20", "p50", "p80", "range", "slope", "skew", "kurt",
};

const char *
ser_func_name(int f)
{
	return f >= 0 && f < SER_F_COUNT ? names[f] : "?";
}

int
ser_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* numpy.percentile(method='linear') of sorted s[0..n) */
static double
pct(const double *s, size_t n, double q)
{
	double pos = q / 100.0 * (double)(n - 1), fr;
	size_t i = (size_t)floor(pos);

	if (i + 1 >= n)
		return s[n - 1];
	fr = pos - (double)i;
	return s[i] + (s[i + 1] - s[i]) * fr;
}

void
ser_functionals(const double *v, const size_t *idx, size_t n, double t_step_s, unsigned mask,
                double *scratch, double *out)
{
	double mean = 0, m2 = 0, m3 = 0, m4 = 0;
	size_t i;
	int f;

	if (n == 0) {
		for (f = 0; f < SER_F_COUNT; f++)
			if (mask & (1u << f))
				out[f] = 0;
		return;
	}
	for (i = 0; i < n; i++)
		mean += v[i];
	mean /= (double)n;
	for (i = 0; i < n; i++) {
		double d = v[i] - mean, d2 = d * d;
		m2 += d2;
		m3 += d2 * d;
		m4 += d2 * d2;
	}
	m2 /= (double)n;
	m3 /= (double)n;
	m4 /= (double)n;
	if (mask & (1u << SER_F_MEAN))
		out[SER_F_MEAN] = mean;
	if (mask & (1u << SER_F_STD))
		out[SER_F_STD] = sqrt(m2);
	/* m2 relative to the mean's scale: below that, rounding noise */
	if (m2 <= 1e-24 * (mean * mean + 1e-300)) {
		m2 = 0;
	}
	if (mask & (1u << SER_F_SKEW))
		out[SER_F_SKEW] = m2 > 0 ? m3 / pow(m2, 1.5) : 0;
	if (mask & (1u << SER_F_KURT))
		out[SER_F_KURT] = m2 > 0 ? m4 / (m2 * m2) - 3.0 : 0;
	if (mask & ((1u << SER_F_P20) | (1u << SER_F_P50) | (1u << SER_F_P80) | (1u << SER_F_RANGE))) {
		double p20, p80;
		memcpy(scratch, v, n * sizeof *v);
		qsort(scratch, n, sizeof *scratch, ser_cmp_double);
		p20 = pct(scratch, n, 20);
		p80 = pct(scratch, n, 80);
		if (mask & (1u << SER_F_P20))
			out[SER_F_P20] = p20;
		if (mask & (1u << SER_F_P50))
			out[SER_F_P50] = pct(scratch, n, 50);
		if (mask & (1u << SER_F_P80))
			out[SER_F_P80] = p80;
		if (mask & (1u << SER_F_RANGE))
			out[SER_F_RANGE] = p80 - p20;
	}
	if (mask & (1u << SER_F_SLOPE)) {
		double tm = 0, sxx = 0, sxy = 0;
		for (i = 0; i < n; i++)
			tm += idx ? (double)idx[i] : (double)i;
		tm /= (double)n;
		for (i = 0; i < n; i++) {
			double dt = (idx ? (double)idx[i] : (double)i) - tm;
			sxx += dt * dt;
			sxy += dt * (v[i] - mean);
		}
		out[SER_F_SLOPE] = sxx > 0 && t_step_s > 0 ? sxy / sxx / t_step_s : 0;
	}
}
