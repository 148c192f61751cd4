#include "functionals.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const names[SER_F_COUNT] = {
	"mean", "std", "p20", "p50", "p80", "range", "slope", "skew", "kurt",
	"trend", "curve", "hipos", "lopos", "head", "tail",
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

#define BIT(f) (1u << (f))
#define PCT_MASK                                                                                  \
	(BIT(SER_F_P20) | BIT(SER_F_P50) | BIT(SER_F_P80) | BIT(SER_F_RANGE) | BIT(SER_F_HIPOS) |   \
	 BIT(SER_F_LOPOS) | BIT(SER_F_HEAD) | BIT(SER_F_TAIL))

/* value i's position u in 0..1 between the first and the last frame */
static double
upos(const size_t *idx, size_t n, size_t i)
{
	double a = idx ? (double)idx[0] : 0, z = idx ? (double)idx[n - 1] : (double)(n - 1);
	return z > a ? ((idx ? (double)idx[i] : (double)i) - a) / (z - a) : 0.5;
}

/* The least-squares line and quadratic in u (the quadratic's u^2
 * coefficient by Frisch-Waugh: u^2 made orthogonal to u, then regressed). */
static void
shape_fit(const double *v, const size_t *idx, size_t n, double mean, double *trend, double *curve)
{
	double um = 0, qm = 0, suu = 0, suy = 0, suq = 0, b, srr = 0, sry = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		double u = upos(idx, n, i);
		um += u;
		qm += u * u;
	}
	um /= (double)n;
	qm /= (double)n;
	for (i = 0; i < n; i++) {
		double u = upos(idx, n, i), x = u - um, q = u * u - qm;
		suu += x * x;
		suy += x * (v[i] - mean);
		suq += x * q;
	}
	*trend = suu > 0 ? suy / suu : 0;
	b = suu > 0 ? suq / suu : 0;
	for (i = 0; i < n; i++) {
		double u = upos(idx, n, i), r = u * u - qm - b * (u - um);
		srr += r * r;
		sry += r * (v[i] - mean);
	}
	/* a residual this small is rounding: over two frames u^2 is a line */
	*curve = srr > 1e-12 * (double)n ? sry / srr : 0;
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
	if (mask & PCT_MASK) {
		double p20, p50, p80;
		memcpy(scratch, v, n * sizeof *v);
		qsort(scratch, n, sizeof *scratch, ser_cmp_double);
		p20 = pct(scratch, n, 20);
		p50 = pct(scratch, n, 50);
		p80 = pct(scratch, n, 80);
		if (mask & (1u << SER_F_P20))
			out[SER_F_P20] = p20;
		if (mask & (1u << SER_F_P50))
			out[SER_F_P50] = p50;
		if (mask & (1u << SER_F_P80))
			out[SER_F_P80] = p80;
		if (mask & (1u << SER_F_RANGE))
			out[SER_F_RANGE] = p80 - p20;
		if (mask & (BIT(SER_F_HIPOS) | BIT(SER_F_LOPOS))) {
			double hs = 0, ls = 0;
			size_t hn = 0, ln = 0;
			for (i = 0; i < n; i++) {
				if (v[i] >= p80) {
					hs += upos(idx, n, i);
					hn++;
				}
				if (v[i] <= p20) {
					ls += upos(idx, n, i);
					ln++;
				}
			}
			/* p20 and p80 lie within the values, so hn, ln >= 1 */
			if (mask & BIT(SER_F_HIPOS))
				out[SER_F_HIPOS] = hs / (double)hn;
			if (mask & BIT(SER_F_LOPOS))
				out[SER_F_LOPOS] = ls / (double)ln;
		}
		if (mask & (BIT(SER_F_HEAD) | BIT(SER_F_TAIL))) {
			size_t k = (n + 2) / 5 ? (n + 2) / 5 : 1; /* round(n / 5), at least 1 */
			double hs = 0, ts = 0;
			for (i = 0; i < k; i++) {
				hs += v[i];
				ts += v[n - k + i];
			}
			if (mask & BIT(SER_F_HEAD))
				out[SER_F_HEAD] = hs / (double)k - p50;
			if (mask & BIT(SER_F_TAIL))
				out[SER_F_TAIL] = ts / (double)k - p50;
		}
	}
	if (mask & (BIT(SER_F_TREND) | BIT(SER_F_CURVE))) {
		double tr, cu;
		shape_fit(v, idx, n, mean, &tr, &cu);
		if (mask & BIT(SER_F_TREND))
			out[SER_F_TREND] = tr;
		if (mask & BIT(SER_F_CURVE))
			out[SER_F_CURVE] = cu;
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
