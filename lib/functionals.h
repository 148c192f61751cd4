/*
 * functionals.h - statistics of one descriptor over an utterance (or a
 * window): the functionals that turn a frame sequence into table columns.
 * Every result is finite: an empty or constant sequence gives 0 for the
 * statistics it leaves undefined.
 */
#ifndef SER_FUNCTIONALS_H
#define SER_FUNCTIONALS_H

#include <stddef.h>

enum ser_func {
	SER_F_MEAN,  /* arithmetic mean */
	SER_F_STD,   /* population standard deviation (numpy's np.std, ddof=0) */
	SER_F_P20,   /* percentiles with linear interpolation (numpy's default) */
	SER_F_P50,
	SER_F_P80,
	SER_F_RANGE, /* p80 - p20 (a robust range, as eGeMAPS' pctlrange0-2) */
	SER_F_SLOPE, /* least-squares slope against time, units per second */
	SER_F_SKEW,  /* skewness m3 / m2^1.5 (0 when m2 is 0) */
	SER_F_KURT,  /* excess kurtosis m4 / m2^2 - 3 (0 when m2 is 0) */
	/* The contour's shape in time. u is a value's position from 0 (the
	 * first value's frame) to 1 (the last's), so these do not depend on
	 * the utterance's length; u = 0.5 throughout when the values span one
	 * frame. */
	SER_F_TREND, /* least-squares slope against u: units per utterance */
	SER_F_CURVE, /* coefficient of u^2 in the least-squares quadratic in u */
	SER_F_HIPOS, /* mean u of the values >= p80: where the high part lies */
	SER_F_LOPOS, /* mean u of the values <= p20: where the low part lies */
	SER_F_HEAD,  /* mean of the first fifth of the values (by count) - p50 */
	SER_F_TAIL,  /* mean of the last fifth of the values (by count) - p50 */
	SER_F_COUNT
};
#define SER_F_LEVEL_COUNT (SER_F_KURT + 1) /* the functionals of level and spread */

/* qsort comparator for doubles, ascending (no NaN here: every descriptor
 * is finite). */
int ser_cmp_double(const void *a, const void *b);

/* Column-name suffix of a functional ("mean", "std", "p20", ...). */
const char *ser_func_name(int f);

/* Compute the functionals of v[0..n) selected by mask (bit f = 1u << f)
 * into out[SER_F_COUNT] (unselected ones are left alone). t_step_s is the
 * time between frames (for the slope); idx, if not NULL, gives each value's
 * frame index, ascending (for a subset of frames, e.g. voiced ones); scratch
 * holds n doubles (for sorting). */
void ser_functionals(const double *v, const size_t *idx, size_t n, double t_step_s, unsigned mask,
                     double *scratch, double *out);

#endif
