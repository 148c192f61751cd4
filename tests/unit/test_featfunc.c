/*
 * test_featfunc.c - the functionals against values worked out by hand
 * (numpy's percentile with linear interpolation, population moments).
 */
#include <math.h>
#include <stdio.h>

#include "functionals.h"
#include "t.h"

int
main(void)
{
	const double v[5] = {1, 2, 3, 4, 5}, skewed[4] = {0, 0, 0, 4};
	const size_t idx[3] = {0, 5, 10};
	const double sparse[3] = {1, 2, 3};
	double out[SER_F_COUNT], scratch[8];
	unsigned all = (1u << SER_F_COUNT) - 1;
	int f;

	ser_functionals(v, NULL, 5, 0.01, all, scratch, out);
	CHECK_NEAR(out[SER_F_MEAN], 3, 1e-12, 0, "mean 1..5 = 3");
	CHECK_NEAR(out[SER_F_STD], sqrt(2.0), 1e-12, 0, "population std 1..5 = sqrt 2");
	CHECK_NEAR(out[SER_F_P20], 1.8, 1e-12, 0, "p20 = 1.8 (linear)");
	CHECK_NEAR(out[SER_F_P50], 3, 1e-12, 0, "p50 = 3");
	CHECK_NEAR(out[SER_F_P80], 4.2, 1e-12, 0, "p80 = 4.2");
	CHECK_NEAR(out[SER_F_RANGE], 2.4, 1e-12, 0, "range = p80 - p20 = 2.4");
	CHECK_NEAR(out[SER_F_SLOPE], 100, 1e-12, 0, "slope: 1 per 10 ms frame = 100 per s");
	CHECK_NEAR(out[SER_F_SKEW], 0, 0, 1e-12, "symmetric: skew 0");
	CHECK_NEAR(out[SER_F_KURT], -1.3, 1e-12, 0, "uniform 1..5: excess kurtosis -1.3");

	/* 0,0,0,4: mean 1, m2 = 3, m3 = (3*-1 + 27)/4 = 6, m4 = (3 + 81)/4 = 21 */
	ser_functionals(skewed, NULL, 4, 0.01, all, scratch, out);
	CHECK_NEAR(out[SER_F_SKEW], 6 / pow(3, 1.5), 1e-12, 0, "skew = m3/m2^1.5");
	CHECK_NEAR(out[SER_F_KURT], 21.0 / 9 - 3, 1e-12, 0, "kurt = m4/m2^2 - 3");

	/* a subset of frames (voiced only): the slope uses their indices */
	ser_functionals(sparse, idx, 3, 0.01, 1u << SER_F_SLOPE, scratch, out);
	CHECK_NEAR(out[SER_F_SLOPE], 20, 1e-12, 0, "slope over frames 0, 5, 10: 1 per 5 frames = 20 per s");

	/* degenerate: empty and constant sequences give 0, never NaN */
	ser_functionals(v, NULL, 0, 0.01, all, scratch, out);
	for (f = 0; f < SER_F_COUNT; f++)
		CHECK(out[f] == 0, "empty: %s = 0", ser_func_name(f));
	{
		const double c[3] = {7, 7, 7};
		ser_functionals(c, NULL, 3, 0.01, all, scratch, out);
		CHECK(out[SER_F_MEAN] == 7 && out[SER_F_STD] == 0 && out[SER_F_SKEW] == 0 &&
		              out[SER_F_KURT] == 0 && out[SER_F_SLOPE] == 0 && out[SER_F_RANGE] == 0,
		      "constant: mean 7, the rest 0");
		ser_functionals(c, NULL, 1, 0.01, all, scratch, out);
		CHECK(out[SER_F_MEAN] == 7 && out[SER_F_P80] == 7 && out[SER_F_SLOPE] == 0,
		      "one value: mean = percentiles = 7, slope 0");
	}
	/* only what the mask asks for is written */
	out[SER_F_KURT] = 123;
	ser_functionals(v, NULL, 5, 0.01, 1u << SER_F_MEAN, scratch, out);
	CHECK(out[SER_F_KURT] == 123, "unselected functionals are left alone");
	return t_done();
}
