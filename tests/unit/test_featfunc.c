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

	/* the contour's shape: in u, 0 at the first value's frame, 1 at the last's */
	ser_functionals(v, NULL, 5, 0.01, all, scratch, out);
	CHECK_NEAR(out[SER_F_TREND], 4, 1e-12, 0, "trend 1..5: 4 per utterance");
	CHECK_NEAR(out[SER_F_CURVE], 0, 0, 1e-12, "a line has no curve");
	CHECK_NEAR(out[SER_F_HIPOS], 1, 1e-12, 0, "1..5: the value >= p80 (5) is at u = 1");
	CHECK_NEAR(out[SER_F_LOPOS], 0, 0, 1e-12, "1..5: the value <= p20 (1) is at u = 0");
	CHECK_NEAR(out[SER_F_HEAD], -2, 1e-12, 0, "head: first fifth (1) - p50 (3)");
	CHECK_NEAR(out[SER_F_TAIL], 2, 1e-12, 0, "tail: last fifth (5) - p50 (3)");
	ser_functionals(sparse, idx, 3, 0.01, all, scratch, out);
	CHECK_NEAR(out[SER_F_TREND], 2, 1e-12, 0, "trend over frames 0, 5, 10: 2 per utterance");
	CHECK_NEAR(out[SER_F_HIPOS], 1, 1e-12, 0, "frames 0, 5, 10: the top is at u = 1");
	{
		/* 3 + 2u + 5u^2, and 1 - 4(u - 1/2)^2, on 11 and on 101 frames (the
		 * same shape at any length), the second at frames 100..110 */
		double q[101], hill[11];
		size_t hidx[11];
		int i, len[2] = {11, 101};
		for (f = 0; f < 2; f++) {
			for (i = 0; i < len[f]; i++) {
				double u = (double)i / (len[f] - 1);
				q[i] = 3 + 2 * u + 5 * u * u;
			}
			double sc[101];
			ser_functionals(q, NULL, (size_t)len[f], 0.01, all, sc, out);
			CHECK_NEAR(out[SER_F_CURVE], 5, 1e-9, 0, "%d frames: u^2 coefficient 5", len[f]);
			/* u^2 = (u - 1/2)^2 + u - 1/4 and (u - 1/2)^2 has no trend */
			CHECK_NEAR(out[SER_F_TREND], 7, 1e-9, 0, "%d frames: trend 2 + 5", len[f]);
		}
		for (i = 0; i < 11; i++) {
			double u = i / 10.0;
			hill[i] = 1 - 4 * (u - 0.5) * (u - 0.5);
			hidx[i] = 100 + (size_t)i;
		}
		ser_functionals(hill, hidx, 11, 0.01, all, q, out); /* q as scratch */
		CHECK_NEAR(out[SER_F_CURVE], -4, 1e-9, 0, "a hill: curve -4");
		CHECK_NEAR(out[SER_F_TREND], 0, 0, 1e-12, "a symmetric hill: no trend");
		CHECK_NEAR(out[SER_F_HIPOS], 0.5, 1e-12, 0, "a symmetric hill: the top in the middle");
		CHECK_NEAR(out[SER_F_LOPOS], 0.5, 1e-12, 0, "a symmetric hill: the low part at both ends");
		CHECK(out[SER_F_HEAD] < 0 && fabs(out[SER_F_HEAD] - out[SER_F_TAIL]) < 1e-12,
		      "a symmetric hill: head = tail < 0 (%g, %g)", out[SER_F_HEAD], out[SER_F_TAIL]);
	}
	{
		/* 1..10: round(10 / 5) = 2 values at each end, p50 5.5 */
		const double ten[10] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
		double sc[10];
		ser_functionals(ten, NULL, 10, 0.01, (1u << SER_F_HEAD) | (1u << SER_F_TAIL), sc, out);
		CHECK_NEAR(out[SER_F_HEAD], -4, 1e-12, 0, "head of 1..10: 1.5 - 5.5");
		CHECK_NEAR(out[SER_F_TAIL], 4, 1e-12, 0, "tail of 1..10: 9.5 - 5.5");
	}

	/* degenerate: empty and constant sequences give 0, never NaN */
	ser_functionals(v, NULL, 0, 0.01, all, scratch, out);
	for (f = 0; f < SER_F_COUNT; f++)
		CHECK(out[f] == 0, "empty: %s = 0", ser_func_name(f));
	{
		const double c[3] = {7, 7, 7};
		ser_functionals(c, NULL, 3, 0.01, all, scratch, out);
		CHECK(out[SER_F_MEAN] == 7 && out[SER_F_STD] == 0 && out[SER_F_SKEW] == 0 &&
		              out[SER_F_KURT] == 0 && out[SER_F_SLOPE] == 0 && out[SER_F_RANGE] == 0 &&
		              out[SER_F_TREND] == 0 && out[SER_F_CURVE] == 0 && out[SER_F_HEAD] == 0 &&
		              out[SER_F_TAIL] == 0,
		      "constant: mean 7, the rest 0");
		CHECK(out[SER_F_HIPOS] == 0.5 && out[SER_F_LOPOS] == 0.5,
		      "constant: every value is high and low, centred at u = 0.5");
		ser_functionals(c, NULL, 2, 0.01, all, scratch, out);
		CHECK(out[SER_F_CURVE] == 0, "two values: no curve");
		ser_functionals(c, NULL, 1, 0.01, all, scratch, out);
		CHECK(out[SER_F_MEAN] == 7 && out[SER_F_P80] == 7 && out[SER_F_SLOPE] == 0 &&
		              out[SER_F_TREND] == 0 && out[SER_F_CURVE] == 0 &&
		              out[SER_F_HIPOS] == 0.5 && out[SER_F_HEAD] == 0,
		      "one value: mean = percentiles = 7, slope, trend, curve and head 0, at u = 0.5");
	}
	/* only what the mask asks for is written */
	out[SER_F_KURT] = 123;
	ser_functionals(v, NULL, 5, 0.01, 1u << SER_F_MEAN, scratch, out);
	CHECK(out[SER_F_KURT] == 123, "unselected functionals are left alone");
	return t_done();
}
