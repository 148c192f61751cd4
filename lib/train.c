#include "train.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define GRID_MAX 4096

/* splitmix64: a small seeded generator owned by the caller. */
static uint64_t
next_rand(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static void
shuffle(size_t *v, size_t n, uint64_t *s)
{
	size_t i;

	for (i = n; i > 1; i--) {
		size_t j = (size_t)(next_rand(s) % i), t = v[i - 1];
		v[i - 1] = v[j];
		v[j] = t;
	}
}

int
ser_train_folds(const ser_train_data *data, int folds, uint64_t seed, int *fold_of_row, int *nfolds, ser_error *e)
{
	uint64_t s = seed;
	size_t i, ng = 0;

	if (folds < 2)
		return ser_error_set(e, "need at least 2 folds");
	if (data->n < 2)
		return ser_error_set(e, "need at least 2 rows to cross-validate");
	if (data->group != NULL) {
		size_t *count, *order, *load;
		size_t a, b;

		for (i = 0; i < data->n; i++)
			if ((size_t)data->group[i] + 1 > ng)
				ng = (size_t)data->group[i] + 1;
		if (ng < 2)
			return ser_error_set(e, "need at least 2 groups (speakers) for grouped folds");
		count = calloc(ng, sizeof *count);
		order = calloc(ng, sizeof *order);
		load = calloc((size_t)folds, sizeof *load);
		if (count == NULL || order == NULL || load == NULL) {
			free(count);
			free(order);
			free(load);
			return ser_error_set(e, "out of memory");
		}
		for (i = 0; i < data->n; i++)
			count[data->group[i]]++;
		if (ng <= (size_t)folds) {
			*nfolds = (int)ng;
			for (i = 0; i < data->n; i++)
				fold_of_row[i] = data->group[i];
		} else {
			*nfolds = folds;
			for (i = 0; i < ng; i++)
				order[i] = i;
			shuffle(order, ng, &s);
			/* insertion sort by count, descending; stable on the shuffle */
			for (a = 1; a < ng; a++) {
				size_t v = order[a];
				for (b = a; b > 0 && count[order[b - 1]] < count[v]; b--)
					order[b] = order[b - 1];
				order[b] = v;
			}
			for (a = 0; a < ng; a++) {
				size_t best = 0, f;
				for (f = 1; f < (size_t)folds; f++)
					if (load[f] < load[best])
						best = f;
				load[best] += count[order[a]];
				count[order[a]] = best; /* reuse: group -> fold */
			}
			for (i = 0; i < data->n; i++)
				fold_of_row[i] = (int)count[data->group[i]];
		}
		free(count);
		free(order);
		free(load);
		return 0;
	}
	/* rows: dealt class by class after a seeded shuffle */
	{
		size_t *idx = malloc(data->n * sizeof *idx), m, c, deal = 0;

		if (idx == NULL)
			return ser_error_set(e, "out of memory");
		*nfolds = (size_t)folds < data->n ? folds : (int)data->n;
		for (c = 0; c < data->k; c++) {
			m = 0;
			for (i = 0; i < data->n; i++)
				if ((size_t)data->y[i] == c)
					idx[m++] = i;
			shuffle(idx, m, &s);
			for (i = 0; i < m; i++)
				fold_of_row[idx[i]] = (int)(deal++ % (size_t)*nfolds);
		}
		free(idx);
	}
	return 0;
}

static void
base_param(struct svm_parameter *p, const ser_train_config *cfg, double log2c, double log2g)
{
	memset(p, 0, sizeof *p);
	p->svm_type = C_SVC;
	p->kernel_type = RBF;
	p->gamma = exp2(log2g);
	p->C = exp2(log2c);
	p->cache_size = cfg->cache_mb > 0 ? cfg->cache_mb : 100;
	p->eps = 1e-3;
	p->shrinking = 1;
	p->probability = 0;
}

/* Class weights n/(k*n_c) over the rows with use[i] != 0 (all when use is NULL). */
static int
set_weights(struct svm_parameter *p, const ser_train_data *data, const int *use, ser_error *e)
{
	size_t i, c, n = 0, present = 0;
	size_t *cnt = calloc(data->k, sizeof *cnt);

	p->weight_label = calloc(data->k, sizeof *p->weight_label);
	p->weight = calloc(data->k, sizeof *p->weight);
	if (cnt == NULL || p->weight_label == NULL || p->weight == NULL) {
		free(cnt);
		return ser_error_set(e, "out of memory");
	}
	for (i = 0; i < data->n; i++)
		if (use == NULL || use[i]) {
			cnt[data->y[i]]++;
			n++;
		}
	for (c = 0; c < data->k; c++)
		present += cnt[c] > 0;
	p->nr_weight = 0;
	for (c = 0; c < data->k; c++)
		if (cnt[c] > 0) {
			p->weight_label[p->nr_weight] = (int)c + 1;
			p->weight[p->nr_weight] = (double)n / ((double)present * (double)cnt[c]);
			p->nr_weight++;
		}
	free(cnt);
	return 0;
}

/*
 * Standardise rows of data into libsvm nodes (d+1 per row) with the mean
 * and sd of the rows with use[i] != 0 (use NULL: all rows). nodes has
 * n*(d+1) entries.
 */
static int
make_nodes(const ser_train_data *data, const int *use, struct svm_node *nodes, ser_error *e)
{
	size_t i, j, d = data->d, m = 0;
	double *mean = calloc(d ? d : 1, sizeof *mean), *sd = calloc(d ? d : 1, sizeof *sd);

	if (mean == NULL || sd == NULL) {
		free(mean);
		free(sd);
		return ser_error_set(e, "out of memory");
	}
	for (i = 0; i < data->n; i++)
		if (use == NULL || use[i]) {
			m++;
			for (j = 0; j < d; j++)
				mean[j] += data->x[i * d + j];
		}
	for (j = 0; j < d; j++)
		mean[j] /= (double)(m ? m : 1);
	for (i = 0; i < data->n; i++)
		if (use == NULL || use[i])
			for (j = 0; j < d; j++) {
				double t = data->x[i * d + j] - mean[j];
				sd[j] += t * t;
			}
	for (j = 0; j < d; j++) {
		sd[j] = sqrt(sd[j] / (double)(m ? m : 1));
		if (!(sd[j] > 1e-12))
			sd[j] = 1;
	}
	for (i = 0; i < data->n; i++) {
		struct svm_node *row = nodes + i * (d + 1);
		for (j = 0; j < d; j++) {
			row[j].index = (int)j + 1;
			row[j].value = (data->x[i * d + j] - mean[j]) / sd[j];
		}
		row[d].index = -1;
		row[d].value = 0;
	}
	free(mean);
	free(sd);
	return 0;
}

/* Fill prob with the rows with use[i] != 0, grouped by class. */
static int
make_problem(const ser_train_data *data, const int *use, struct svm_node *nodes, struct svm_problem *prob,
             ser_error *e)
{
	size_t i, c, m = 0;

	prob->y = malloc((data->n ? data->n : 1) * sizeof *prob->y);
	prob->x = malloc((data->n ? data->n : 1) * sizeof *prob->x);
	if (prob->y == NULL || prob->x == NULL) {
		free(prob->y);
		free(prob->x);
		prob->y = NULL;
		prob->x = NULL;
		return ser_error_set(e, "out of memory");
	}
	for (c = 0; c < data->k; c++)
		for (i = 0; i < data->n; i++)
			if ((use == NULL || use[i]) && (size_t)data->y[i] == c) {
				prob->y[m] = (double)c + 1;
				prob->x[m] = nodes + i * (data->d + 1);
				m++;
			}
	prob->l = (int)m;
	return 0;
}

struct grid_ctx {
	const ser_train_config *cfg;
	const ser_train_data *data;
	const int *fold;
	int nfolds;
	size_t npoints, njobs;
	double *lc, *lg;         /* per point */
	unsigned long *conf;     /* njobs * k * k */
	pthread_mutex_t mu;
	size_t next, done;
	int failed;
	ser_error err;
};

/* One (grid point, fold) job: train on the other folds, count predictions. */
static int
run_job(struct grid_ctx *g, size_t job, ser_error *e)
{
	const ser_train_data *data = g->data;
	size_t point = job / (size_t)g->nfolds, i, k = data->k;
	int f = (int)(job % (size_t)g->nfolds);
	int *use = malloc(data->n * sizeof *use);
	struct svm_node *nodes = NULL;
	struct svm_problem prob = {0};
	struct svm_parameter par;
	struct svm_model *model = NULL;
	unsigned long *conf = g->conf + job * k * k;
	const char *msg;
	int rc = -1;

	base_param(&par, g->cfg, g->lc[point], g->lg[point]);
	if (use == NULL) {
		ser_error_set(e, "out of memory");
		goto out;
	}
	for (i = 0; i < data->n; i++)
		use[i] = g->fold[i] != f;
	if (data->n > SIZE_MAX / (data->d + 1) / sizeof *nodes ||
	    (nodes = malloc(data->n * (data->d + 1) * sizeof *nodes)) == NULL) {
		ser_error_set(e, "out of memory");
		goto out;
	}
	if (make_nodes(data, use, nodes, e) != 0 || make_problem(data, use, nodes, &prob, e) != 0)
		goto out;
	if (g->cfg->balance && set_weights(&par, data, use, e) != 0)
		goto out;
	if ((msg = svm_check_parameter(&prob, &par)) != NULL) {
		ser_error_set(e, "libsvm: %s", msg);
		goto out;
	}
	if ((model = svm_train(&prob, &par)) == NULL) {
		ser_error_set(e, "libsvm: training failed");
		goto out;
	}
	for (i = 0; i < data->n; i++)
		if (!use[i]) {
			double lab = svm_predict(model, nodes + i * (data->d + 1));
			int p = (int)lab - 1;
			if (p >= 0 && (size_t)p < k)
				conf[(size_t)data->y[i] * k + (size_t)p]++;
		}
	rc = 0;
out:
	if (model != NULL)
		svm_free_and_destroy_model(&model);
	svm_destroy_param(&par);
	free(prob.x);
	free(prob.y);
	free(nodes);
	free(use);
	return rc;
}

static void *
worker(void *arg)
{
	struct grid_ctx *g = arg;
	ser_error e;

	for (;;) {
		size_t job;

		pthread_mutex_lock(&g->mu);
		if (g->failed || g->next == g->njobs) {
			pthread_mutex_unlock(&g->mu);
			return NULL;
		}
		job = g->next++;
		pthread_mutex_unlock(&g->mu);
		if (run_job(g, job, &e) != 0) {
			pthread_mutex_lock(&g->mu);
			if (!g->failed) {
				g->failed = 1;
				g->err = e;
			}
			pthread_mutex_unlock(&g->mu);
			return NULL;
		}
		pthread_mutex_lock(&g->mu);
		g->done++;
		if (g->cfg->progress)
			g->cfg->progress(g->cfg->progress_arg, g->done, g->njobs);
		pthread_mutex_unlock(&g->mu);
	}
}

/* Number of grid values first..last by step (step > 0, first <= last). */
static int
grid_count(const double *r, size_t *n, const char *what, ser_error *e)
{
	double c;

	if (!(r[2] > 0) || !(r[0] <= r[1]))
		return ser_error_set(e, "%s grid: need first <= last and step > 0", what);
	c = floor((r[1] - r[0]) / r[2] + 1e-9) + 1;
	if (c > GRID_MAX)
		return ser_error_set(e, "%s grid: more than %d values", what, GRID_MAX);
	*n = (size_t)c;
	return 0;
}

int
ser_train_grid(const ser_train_config *cfg, const ser_train_data *data, ser_train_result *res, ser_error *e)
{
	struct grid_ctx g;
	size_t nc, ng, i, j, p, k = data->k, t, nthreads;
	pthread_t *th = NULL;
	int *fold = NULL, rc = -1;

	memset(res, 0, sizeof *res);
	memset(&g, 0, sizeof g);
	if (grid_count(cfg->log2c, &nc, "C", e) != 0 || grid_count(cfg->log2g, &ng, "gamma", e) != 0)
		return -1;
	if (nc * ng > GRID_MAX)
		return ser_error_set(e, "grid: more than %d points", GRID_MAX);
	if ((fold = malloc(data->n * sizeof *fold)) == NULL)
		return ser_error_set(e, "out of memory");
	if (ser_train_folds(data, cfg->folds, cfg->seed, fold, &g.nfolds, e) != 0)
		goto out;
	if (data->group != NULL) {
		for (i = 0; i < data->n; i++)
			if ((size_t)data->group[i] + 1 > res->ngroups_used)
				res->ngroups_used = (size_t)data->group[i] + 1;
	}
	g.cfg = cfg;
	g.data = data;
	g.fold = fold;
	g.npoints = nc * ng;
	g.njobs = g.npoints * (size_t)g.nfolds;
	g.lc = calloc(g.npoints, sizeof *g.lc);
	g.lg = calloc(g.npoints, sizeof *g.lg);
	g.conf = calloc(g.njobs * k * k, sizeof *g.conf);
	res->points = calloc(g.npoints, sizeof *res->points);
	res->confusion = calloc(k * k, sizeof *res->confusion);
	if (g.lc == NULL || g.lg == NULL || g.conf == NULL || res->points == NULL || res->confusion == NULL) {
		ser_error_set(e, "out of memory");
		goto out;
	}
	for (i = 0; i < nc; i++)
		for (j = 0; j < ng; j++) {
			g.lc[i * ng + j] = cfg->log2c[0] + (double)i * cfg->log2c[2];
			g.lg[i * ng + j] = cfg->log2g[0] + (double)j * cfg->log2g[2];
		}
	pthread_mutex_init(&g.mu, NULL);
	nthreads = cfg->threads < 1 ? 1 : (size_t)cfg->threads;
	if (nthreads > g.njobs)
		nthreads = g.njobs;
	if ((th = calloc(nthreads, sizeof *th)) == NULL) {
		pthread_mutex_destroy(&g.mu);
		ser_error_set(e, "out of memory");
		goto out;
	}
	for (t = 0; t < nthreads; t++)
		if (pthread_create(&th[t], NULL, worker, &g) != 0)
			break;
	if (t == 0) {
		pthread_mutex_destroy(&g.mu);
		ser_error_set(e, "cannot start a thread");
		goto out;
	}
	nthreads = t;
	for (t = 0; t < nthreads; t++)
		pthread_join(th[t], NULL);
	pthread_mutex_destroy(&g.mu);
	if (g.failed) {
		*e = g.err;
		goto out;
	}
	res->npoints = g.npoints;
	res->nfolds = g.nfolds;
	for (p = 0; p < g.npoints; p++) {
		unsigned long *sum = calloc(k * k, sizeof *sum);
		int f;

		if (sum == NULL) {
			ser_error_set(e, "out of memory");
			goto out;
		}
		for (f = 0; f < g.nfolds; f++)
			for (i = 0; i < k * k; i++)
				sum[i] += g.conf[(p * (size_t)g.nfolds + (size_t)f) * k * k + i];
		res->points[p].log2c = g.lc[p];
		res->points[p].log2g = g.lg[p];
		ser_metrics_compute(sum, k, &res->points[p].m, NULL, NULL, NULL, NULL);
		if (p == 0 || res->points[p].m.uar > res->points[res->best].m.uar) {
			res->best = p;
			memcpy(res->confusion, sum, k * k * sizeof *sum);
		}
		free(sum);
	}
	rc = 0;
out:
	free(th);
	free(g.lc);
	free(g.lg);
	free(g.conf);
	free(fold);
	if (rc != 0)
		ser_train_result_free(res);
	return rc;
}

void
ser_train_result_free(ser_train_result *res)
{
	free(res->points);
	free(res->confusion);
	memset(res, 0, sizeof *res);
}

int
ser_train_final(const ser_train_config *cfg, const ser_train_data *data, double log2c, double log2g,
                ser_svm_fit *fit, ser_error *e)
{
	const char *msg;

	memset(fit, 0, sizeof *fit);
	base_param(&fit->param, cfg, log2c, log2g);
	fit->param.probability = 1;
	if (data->n > SIZE_MAX / (data->d + 1) / sizeof *fit->nodes ||
	    (fit->nodes = malloc(data->n * (data->d + 1) * sizeof *fit->nodes)) == NULL) {
		ser_error_set(e, "out of memory");
		goto fail;
	}
	{
		/* the input is standardised already: the model sees it as given */
		size_t i, j;
		for (i = 0; i < data->n; i++) {
			struct svm_node *row = fit->nodes + i * (data->d + 1);
			for (j = 0; j < data->d; j++) {
				row[j].index = (int)j + 1;
				row[j].value = data->x[i * data->d + j];
			}
			row[data->d].index = -1;
			row[data->d].value = 0;
		}
	}
	if (make_problem(data, NULL, fit->nodes, &fit->prob, e) != 0)
		goto fail;
	if (cfg->balance && set_weights(&fit->param, data, NULL, e) != 0)
		goto fail;
	if ((msg = svm_check_parameter(&fit->prob, &fit->param)) != NULL) {
		ser_error_set(e, "libsvm: %s", msg);
		goto fail;
	}
	if ((fit->model = svm_train(&fit->prob, &fit->param)) == NULL) {
		ser_error_set(e, "libsvm: training failed");
		goto fail;
	}
	return 0;
fail:
	ser_svm_fit_free(fit);
	return -1;
}

void
ser_svm_fit_free(ser_svm_fit *fit)
{
	if (fit->model != NULL)
		svm_free_and_destroy_model(&fit->model);
	svm_destroy_param(&fit->param);
	free(fit->prob.x);
	free(fit->prob.y);
	free(fit->nodes);
	memset(fit, 0, sizeof *fit);
}
