#include "metrics.h"

#include <string.h>

void
ser_metrics_compute(const unsigned long *m, size_t k, ser_metrics *out, double *precision,
                    double *recall, double *f1, unsigned long *support)
{
	size_t t, p;
	unsigned long total = 0, correct = 0;
	double sp = 0, sr = 0, sf = 0;

	memset(out, 0, sizeof *out);
	for (t = 0; t < k; t++) {
		unsigned long sup = 0, pred = 0, tp = m[t * k + t];
		double pr, rc, f;

		for (p = 0; p < k; p++) {
			sup += m[t * k + p];
			pred += m[p * k + t];
		}
		total += sup;
		correct += tp;
		pr = pred ? (double)tp / (double)pred : 0;
		rc = sup ? (double)tp / (double)sup : 0;
		f = pr + rc > 0 ? 2 * pr * rc / (pr + rc) : 0;
		if (precision)
			precision[t] = pr;
		if (recall)
			recall[t] = rc;
		if (f1)
			f1[t] = f;
		if (support)
			support[t] = sup;
		if (sup > 0) {
			out->classes_present++;
			sp += pr;
			sr += rc;
			sf += f;
		}
	}
	out->n = total;
	out->accuracy = total ? (double)correct / (double)total : 0;
	if (out->classes_present) {
		out->macro_precision = sp / (double)out->classes_present;
		out->macro_recall = sr / (double)out->classes_present;
		out->macro_f1 = sf / (double)out->classes_present;
	}
	out->uar = out->macro_recall;
}
