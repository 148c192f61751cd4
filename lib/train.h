/*
 * train.h - training libsvm C-SVC (RBF kernel) for ser: folds grouped by
 * speaker, a grid search over C and gamma scored by UAR, run on worker
 * threads, and the final model with probability estimates.
 *
 * The grid search trains without probability estimates (libsvm's
 * probability training calls rand(), a process-wide generator, so it must
 * not run on several threads); every job is deterministic, so the result
 * does not depend on the number of threads. Inside each fold the training
 * rows are standardised again with their own mean and standard deviation,
 * so no statistic of the held-out speakers reaches the model that scores
 * them.
 *
 * libsvm prints through a process-wide function; callers silence it with
 * svm_set_print_string_function() before calling in here.
 */
#ifndef SER_TRAIN_H
#define SER_TRAIN_H

#include <stdint.h>
#include <svm.h>

#include "error.h"
#include "metrics.h"

typedef struct ser_train_data {
	size_t n, d;      /* rows, features */
	const double *x;  /* n * d, row-major */
	const int *y;     /* class index 0..k-1 of each row; every class occurs */
	size_t k;         /* classes */
	const int *group; /* group (speaker) index 0.. of each row, or NULL */
} ser_train_data;

typedef struct ser_train_config {
	double log2c[3];  /* first, last, step of log2(C) */
	double log2g[3];  /* first, last, step of log2(gamma) */
	int folds;        /* cross-validation folds, >= 2 */
	uint64_t seed;    /* fold assignment */
	int threads;      /* worker threads, >= 1 */
	int balance;      /* weight class c by n / (k * n_c) */
	double cache_mb;  /* libsvm kernel cache per job */
	/* called after each finished job from a worker (serialised) */
	void (*progress)(void *arg, size_t done, size_t total);
	void *progress_arg;
} ser_train_config;

typedef struct ser_cv_point {
	double log2c, log2g;
	ser_metrics m;          /* over the pooled held-out predictions */
} ser_cv_point;

typedef struct ser_train_result {
	size_t npoints;
	ser_cv_point *points;
	size_t best;            /* highest UAR; the first (smallest C, then gamma) on a tie */
	int nfolds;             /* folds actually used */
	size_t ngroups_used;    /* distinct groups (0 without groups) */
	unsigned long *confusion; /* k * k of the best point */
} ser_train_result;

/* Assign every row a fold 0..*nfolds-1. With groups, a group never spans
 * two folds: with at most `folds` groups each group is its own fold
 * (leave-one-group-out), else groups are dealt, largest first, to the
 * fold with fewest rows. Without groups, rows are dealt class by class.
 * Deterministic for a seed. */
int ser_train_folds(const ser_train_data *data, int folds, uint64_t seed, int *fold_of_row, int *nfolds,
                    ser_error *e);

/* Cross-validated grid search. */
int ser_train_grid(const ser_train_config *cfg, const ser_train_data *data, ser_train_result *res,
                   ser_error *e);
void ser_train_result_free(ser_train_result *res);

/* The final model on all rows, with probability estimates. The model
 * points into fit's nodes: free both with ser_svm_fit_free. libsvm draws
 * from rand(): call srand() first for a repeatable model. Rows are given to
 * libsvm grouped by class so its label order is class index order: label
 * c+1 is class c. */
typedef struct ser_svm_fit {
	struct svm_problem prob;
	struct svm_node *nodes;
	struct svm_parameter param;
	struct svm_model *model;
} ser_svm_fit;

int ser_train_final(const ser_train_config *cfg, const ser_train_data *data, double log2c, double log2g,
                    ser_svm_fit *fit, ser_error *e);
void ser_svm_fit_free(ser_svm_fit *fit);

#endif
