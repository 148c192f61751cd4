/*
 * metrics.h - classification metrics from a confusion matrix.
 *
 * m[t * k + p] counts utterances of true class t predicted as p. Macro
 * averages (precision, recall, F1) are taken over the classes that occur
 * in the truth (support > 0); a class never predicted has precision 0.
 * UAR (unweighted average recall) is the macro recall, the metric of the
 * emotion-recognition literature (Schuller et al.).
 */
#ifndef SER_METRICS_H
#define SER_METRICS_H

#include <stddef.h>

typedef struct ser_metrics {
	size_t n;               /* utterances counted */
	size_t classes_present; /* classes with support > 0 */
	double accuracy;
	double macro_precision, macro_recall, macro_f1;
	double uar;             /* = macro_recall */
} ser_metrics;

/* Fill out from m (k x k). Per-class arrays (each k long) may be NULL. */
void ser_metrics_compute(const unsigned long *m, size_t k, ser_metrics *out, double *precision,
                         double *recall, double *f1, unsigned long *support);

#endif
