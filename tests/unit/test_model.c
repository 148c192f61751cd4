/*
 * test_model - the model library: tables joined by id, the scaler, label
 * maps, metrics, folds grouped by speaker, the grid search, and the model
 * directory's round trip and refusals.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "labelmap.h"
#include "metrics.h"
#include "model.h"
#include "scaler.h"
#include "t.h"
#include "table.h"
#include "train.h"

static FILE *
text(const char *s)
{
	return fmemopen((void *)s, strlen(s), "r");
}

static int
starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static void
silent(const char *s)
{
	(void)s;
}

static void
test_idmap(void)
{
	ser_idmap m;
	char keys[300][16];
	size_t i, old = 0;
	int ok = 1;

	ser_idmap_init(&m);
	for (i = 0; i < 300; i++) {
		snprintf(keys[i], sizeof keys[i], "k%zu", i);
		ok &= ser_idmap_put(&m, keys[i], i, NULL, NULL) == 0;
	}
	CHECK(ok, "idmap: 300 distinct keys go in (through growth)");
	for (i = 0, ok = 1; i < 300; i++)
		ok &= ser_idmap_get(&m, keys[i]) == (long)i;
	CHECK(ok, "idmap: every key finds its row");
	CHECK(ser_idmap_get(&m, "k300") == -1, "idmap: an absent key is -1");
	CHECK(ser_idmap_put(&m, "k17", 999, &old, NULL) == 1 && old == 17, "idmap: a duplicate says where the first was");
	ser_idmap_free(&m);
}

static void
test_ftable(void)
{
	ser_ftable t;
	ser_error e = {{0}};
	FILE *fp;
	int rc;
	static const struct {
		const char *in, *want;
	} bad[] = {
		{"key\ta\nx\t1\n", "first column must be 'id'"},
		{"id\na\n", "no feature columns"},
		{"id\ta\nx\t1\nx\t2\n", "duplicate id 'x' (first on line 2)"},
		{"id\ta\n\t1\n", "empty id"},
		{"id\ta\nx\tnan\n", "t.tsv:2: column 'a'"},
		{"id\ta\nx\t1e999\n", "t.tsv:2: column 'a'"},
		{"id\ta\nx\t\n", "t.tsv:2: column 'a'"},
		{"id\ta\nx\t1\t2\n", "more fields"},
		{"", "empty table"},
	};
	size_t i;

	fp = text("id\ta\tb\nu1\t1\t2.5\nu2\t-3\t4e-3\n");
	rc = ser_ftable_read(fp, "t.tsv", &t, &e);
	fclose(fp);
	CHECK(rc == 0 && t.nrows == 2 && t.ncols == 2, "ftable: 2 rows, 2 features");
	if (rc == 0) {
		CHECK(strcmp(t.names[1], "b") == 0 && strcmp(t.ids[1], "u2") == 0, "ftable: names and ids kept");
		CHECK(t.x[1] == 2.5 && t.x[2] == -3 && t.x[3] == 4e-3, "ftable: values parsed");
		CHECK(ser_idmap_get(&t.map, "u2") == 1 && t.lines[1] == 3, "ftable: id map and line numbers");
		ser_ftable_free(&t);
	}
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		fp = text(bad[i].in);
		if (fp == NULL) { /* fmemopen of an empty buffer */
			fp = fopen("/dev/null", "r");
		}
		rc = ser_ftable_read(fp, "t.tsv", &t, &e);
		fclose(fp);
		CHECK(rc == -1 && strstr(e.msg, bad[i].want) != NULL, "ftable refuses %zu: '%s' (got '%s')", i,
		      bad[i].want, rc ? e.msg : "success");
		if (rc == 0)
			ser_ftable_free(&t);
	}
}

static void
test_ltable(void)
{
	ser_ltable t;
	ser_error e = {{0}};
	FILE *fp = text("id\tlabel\tspeaker\na\thappy\ts1\nb\tsad\ts2\n");
	int rc = ser_ltable_read(fp, "l.tsv", &t, &e);

	fclose(fp);
	CHECK(rc == 0, "ltable reads");
	if (rc != 0)
		return;
	CHECK(ser_ltable_col(&t, "speaker") == 1 && ser_ltable_col(&t, "nope") == -1, "ltable: columns by name");
	CHECK(strcmp(ser_ltable_get(&t, "b", 0), "sad") == 0 && ser_ltable_get(&t, "c", 0) == NULL,
	      "ltable: cells by id; an absent id is NULL");
	ser_ltable_free(&t);
}

static void
test_scaler(void)
{
	ser_ftable t;
	ser_scaler s, r;
	ser_error e = {{0}};
	FILE *fp = text("id\ta\tc\nu1\t1\t7\nu2\t2\t7\nu3\t3\t7\nu4\t6\t7\n");
	double row[2] = {3, 9};
	char *buf = NULL;
	size_t len = 0;
	int rc;

	rc = ser_ftable_read(fp, "t", &t, &e);
	fclose(fp);
	CHECK(rc == 0 && ser_scaler_fit(&t, &s, &e) == 0, "scaler fits");
	if (rc != 0)
		return;
	CHECK_NEAR(s.mean[0], 3, 0, 1e-12, "scaler: mean");
	CHECK_NEAR(s.sd[0], sqrt(3.5), 1e-12, 0, "scaler: population sd");
	CHECK(s.sd[1] == 0, "scaler: a constant column has sd 0");
	ser_scaler_apply(&s, row);
	CHECK(row[0] == 0 && row[1] == 2 && isfinite(row[1]), "scaler: a constant column is only centred");
	fp = open_memstream(&buf, &len);
	CHECK(ser_scaler_write(fp, &s, &e) == 0, "scaler writes");
	fclose(fp);
	fp = text(buf);
	CHECK(ser_scaler_read(fp, "s", &r, &e) == 0 && r.n == 2 && r.mean[0] == s.mean[0] && r.sd[0] == s.sd[0],
	      "scaler round-trips exactly");
	fclose(fp);
	ser_scaler_free(&r);
	free(buf);
	fp = text("id\tmean\tsd\na\t0\t-1\n");
	CHECK(ser_scaler_read(fp, "s", &r, &e) == -1, "scaler: a negative sd is refused (%s)", e.msg);
	fclose(fp);
	fp = text("id\tmean\na\t0\n");
	CHECK(ser_scaler_read(fp, "s", &r, &e) == -1, "scaler: columns other than id mean sd are refused");
	fclose(fp);
	ser_scaler_free(&s);
	ser_ftable_free(&t);
}

/* --weight's library half: prefixes, the order they win in, z * w, the
 * 3- and 4-column file forms, and weights a file may not hold. */
static void
test_scaler_weight(void)
{
	ser_ftable t;
	ser_scaler s, r;
	ser_error e = {{0}};
	FILE *fp = text("id\tword0\tword1\tx\tc\nu1\t1\t2\t3\t5\nu2\t2\t4\t5\t5\nu3\t6\t0\t1\t5\n");
	double row[4] = {4, 1, 6, 7}, row2[4] = {4, 1, 6, 7}, row3[4] = {4, 1, 6, 7};
	double m0 = 3, sd0 = sqrt(14.0 / 3), m1 = 2, sd1 = sqrt(8.0 / 3), m2 = 3, sd2 = sqrt(8.0 / 3);
	char *buf = NULL, *line;
	size_t i, len = 0;
	int rc, ok;
	static const char *const badw[] = {"0", "-1", "NaN", "nan", "inf", "x", "", "1e999", "0.5x", "-0"};

	rc = ser_ftable_read(fp, "t", &t, &e);
	fclose(fp);
	CHECK(rc == 0 && ser_scaler_fit(&t, &s, &e) == 0, "weight: a scaler fits");
	if (rc != 0)
		return;
	CHECK(s.weight == NULL, "weight: a fitted scaler has no weights (all 1)");
	/* refusals leave the scaler as it was */
	CHECK(ser_scaler_weight(&s, "", 2, &e) == -1 && strstr(e.msg, "empty") != NULL, "weight: an empty prefix (%s)",
	      e.msg);
	CHECK(ser_scaler_weight(&s, "nomatch", 2, &e) == -1 && strstr(e.msg, "'nomatch'") != NULL,
	      "weight: a prefix that matches nothing (%s)", e.msg);
	CHECK(ser_scaler_weight(&s, "word", 0, &e) == -1, "weight: 0 is refused");
	CHECK(ser_scaler_weight(&s, "word", -1, &e) == -1, "weight: a negative weight is refused");
	CHECK(ser_scaler_weight(&s, "word", NAN, &e) == -1, "weight: NaN is refused");
	CHECK(ser_scaler_weight(&s, "word", INFINITY, &e) == -1, "weight: Inf is refused");
	CHECK(s.weight == NULL, "weight: refusals leave no weights behind");
	/* all weights 1: still the 3-column form */
	CHECK(ser_scaler_weight(&s, "x", 1, &e) == 1, "weight: 'x' matches one column");
	fp = open_memstream(&buf, &len);
	CHECK(ser_scaler_write(fp, &s, &e) == 0, "weight: writes");
	fclose(fp);
	CHECK(starts(buf, "id\tmean\tsd\nword0\t3\t") && strstr(buf, "weight") == NULL,
	      "weight: weights that are all 1 keep the 3-column form");
	free(buf);
	buf = NULL;
	/* later wins; a constant column is centred then weighted */
	CHECK(ser_scaler_weight(&s, "word", 0.5, &e) == 2, "weight: 'word' matches two columns");
	CHECK(ser_scaler_weight(&s, "word1", 2, &e) == 1, "weight: 'word1' matches one column");
	CHECK(ser_scaler_weight(&s, "c", 1 / sqrt(3), &e) == 1, "weight: 'c' matches the constant column");
	CHECK(s.weight[0] == 0.5 && s.weight[1] == 2 && s.weight[2] == 1 && s.weight[3] == 1 / sqrt(3),
	      "weight: the later prefix wins, unmatched columns stay 1");
	ser_scaler_apply(&s, row);
	CHECK_NEAR(row[0], (4 - m0) / sd0 * 0.5, 1e-12, 1e-15, "weight: z * 0.5 (%.9g)", row[0]);
	CHECK_NEAR(row[1], (1 - m1) / sd1 * 2, 1e-12, 1e-15, "weight: z * 2 (%.9g)", row[1]);
	CHECK_NEAR(row[2], (6 - m2) / sd2, 1e-12, 1e-15, "weight: an unweighted column is plain z (%.9g)", row[2]);
	CHECK_NEAR(row[3], 2 / sqrt(3), 1e-12, 1e-15, "weight: a constant column is centred, then weighted (%.9g)",
	      row[3]);
	/* the 4-column form round-trips exactly */
	fp = open_memstream(&buf, &len);
	CHECK(ser_scaler_write(fp, &s, &e) == 0, "weight: a weighted scaler writes");
	fclose(fp);
	CHECK(starts(buf, "id\tmean\tsd\tweight\nword0\t3\t"), "weight: the 4-column form");
	line = strstr(buf, "\nx\t");
	CHECK(line != NULL && strchr(line + 1, '\n') != NULL && strncmp(strchr(line + 1, '\n') - 2, "\t1", 2) == 0,
	      "weight: an unweighted column is written with weight 1");
	fp = text(buf);
	rc = ser_scaler_read(fp, "s", &r, &e);
	fclose(fp);
	CHECK(rc == 0 && r.n == 4 && r.weight != NULL, "weight: the 4-column form reads (%s)", rc ? e.msg : "");
	if (rc == 0 && r.n == 4 && r.weight != NULL) {
		for (i = 0, ok = 1; i < 4; i++)
			ok &= r.weight[i] == s.weight[i] && r.mean[i] == s.mean[i] && r.sd[i] == s.sd[i];
		CHECK(ok, "weight: means, sds and weights round-trip exactly");
		ser_scaler_apply(&r, row2);
		CHECK(memcmp(row, row2, sizeof row) == 0, "weight: the read scaler standardises bit for bit the same");
	}
	if (rc == 0)
		ser_scaler_free(&r);
	free(buf);
	/* the 3-column form still reads, with no weights */
	fp = text("id\tmean\tsd\nword0\t3\t2\nword1\t1\t0\n");
	rc = ser_scaler_read(fp, "s", &r, &e);
	fclose(fp);
	CHECK(rc == 0 && r.n == 2 && r.weight == NULL, "weight: the 3-column form reads, weights 1");
	if (rc == 0) {
		ser_scaler_apply(&r, row3);
		CHECK(row3[0] == 0.5 && row3[1] == 0, "weight: 3-column apply is plain z");
		ser_scaler_free(&r);
	}
	/* a 4-column file with weight 1 everywhere */
	fp = text("id\tmean\tsd\tweight\nword0\t3\t2\t1\n");
	rc = ser_scaler_read(fp, "s", &r, &e);
	fclose(fp);
	CHECK(rc == 0 && r.weight != NULL && r.weight[0] == 1, "weight: a 4-column file of weights 1 reads");
	if (rc == 0)
		ser_scaler_free(&r);
	/* bad weights name file, line and column */
	for (i = 0; i < sizeof badw / sizeof badw[0]; i++) {
		char in[128];

		snprintf(in, sizeof in, "id\tmean\tsd\tweight\nword0\t3\t2\t1\nword1\t1\t1\t%s\n", badw[i]);
		fp = text(in);
		rc = ser_scaler_read(fp, "bad.tsv", &r, &e);
		fclose(fp);
		CHECK(rc == -1 && strstr(e.msg, "bad.tsv:3: column 'weight'") != NULL, "weight: '%s' is refused (%s)",
		      badw[i], rc ? e.msg : "accepted");
		if (rc == 0)
			ser_scaler_free(&r);
	}
	fp = text("id\tmean\tsd\tfoo\nword0\t3\t2\t1\n");
	CHECK(ser_scaler_read(fp, "s", &r, &e) == -1 && strstr(e.msg, "s:1:") != NULL,
	      "weight: a fourth column other than weight is refused (%s)", e.msg);
	fclose(fp);
	fp = text("id\tmean\tsd\tweight\textra\nword0\t3\t2\t1\t1\n");
	CHECK(ser_scaler_read(fp, "s", &r, &e) == -1, "weight: a fifth column is refused");
	fclose(fp);
	fp = text("id\tmean\tweight\nword0\t3\t1\n");
	CHECK(ser_scaler_read(fp, "s", &r, &e) == -1, "weight: weight without sd is refused");
	fclose(fp);
	ser_scaler_free(&s);
	ser_ftable_free(&t);
}

static void
test_labelmap(void)
{
	ser_labelmap m;
	ser_error e = {{0}};
	const char *v[] = {"zeta", "sad", "boredom", "angry", "calm"};

	ser_labelmap_init(&m);
	CHECK(ser_labelmap_add_map(&m, "calm=neutral", &e) == 0, "labelmap: calm=neutral");
	CHECK(ser_labelmap_add_map(&m, "calm=sad", &e) == -1, "labelmap: a label mapped twice is refused");
	CHECK(ser_labelmap_add_map(&m, "=x", &e) == -1 && ser_labelmap_add_map(&m, "x=", &e) == -1 &&
	              ser_labelmap_add_map(&m, "x", &e) == -1,
	      "labelmap: malformed maps are refused");
	CHECK(ser_labelmap_add_drop(&m, "boredom", &e) == 0, "labelmap: drop boredom");
	CHECK(strcmp(ser_labelmap_apply(&m, "calm"), "neutral") == 0, "labelmap: maps");
	CHECK(ser_labelmap_apply(&m, "boredom") == NULL, "labelmap: drops");
	CHECK(strcmp(ser_labelmap_apply(&m, "happy"), "happy") == 0, "labelmap: leaves the rest");
	ser_labelmap_free(&m);
	qsort(v, 5, sizeof *v, ser_class_cmp);
	CHECK(strcmp(v[0], "angry") == 0 && strcmp(v[1], "sad") == 0 && strcmp(v[2], "boredom") == 0 &&
	              strcmp(v[3], "calm") == 0 && strcmp(v[4], "zeta") == 0,
	      "class order: the seven first in their order, then the rest by name");
}

static void
test_metrics(void)
{
	/* true a: 8 a, 2 b; true b: 3 a, 7 b; true c: none, 0 predicted */
	unsigned long m[9] = {8, 2, 0, 3, 7, 0, 0, 0, 0};
	double p[3], r[3], f[3];
	unsigned long sup[3];
	ser_metrics mt;

	ser_metrics_compute(m, 3, &mt, p, r, f, sup);
	CHECK(mt.n == 20 && mt.classes_present == 2, "metrics: n and classes present");
	CHECK_NEAR(mt.accuracy, 0.75, 0, 1e-12, "metrics: accuracy");
	CHECK_NEAR(mt.uar, (0.8 + 0.7) / 2, 0, 1e-12, "metrics: UAR over classes present");
	CHECK_NEAR(p[0], 8.0 / 11, 0, 1e-12, "metrics: precision");
	CHECK_NEAR(mt.macro_precision, (8.0 / 11 + 7.0 / 9) / 2, 0, 1e-12, "metrics: macro precision");
	CHECK_NEAR(f[1], 2 * (7.0 / 9) * 0.7 / (7.0 / 9 + 0.7), 0, 1e-12, "metrics: F1");
	CHECK(sup[2] == 0 && p[2] == 0 && r[2] == 0, "metrics: an absent class is 0, not NaN");
}

/* A small 3-class problem: 6 speakers x 8 utterances x 3 classes, d = 4,
 * class c shifts feature c; a speaker offset shifts everything. */
enum { NS = 6, NU = 8, NC = 3, D = 4, N = NS * NU * NC };

static void
make_data(double *x, int *y, int *g)
{
	uint64_t s = 12345;
	size_t i = 0, j;
	int sp, u, c;

	for (sp = 0; sp < NS; sp++)
		for (u = 0; u < NU; u++)
			for (c = 0; c < NC; c++, i++) {
				for (j = 0; j < D; j++) {
					s = s * 6364136223846793005ull + 1442695040888963407ull;
					x[i * D + j] = (double)(s >> 11) / 9007199254740992.0 - 0.5 +
					               (j == (size_t)c ? 1.5 : 0) + 0.3 * sp;
				}
				y[i] = c;
				g[i] = sp;
			}
}

static void
test_folds(void)
{
	static double x[N * D];
	static int y[N], g[N], fold[N];
	ser_train_data d = {N, D, x, y, NC, g};
	ser_error e = {{0}};
	int nf, ok = 1, a, b;
	size_t i, j;

	make_data(x, y, g);
	CHECK(ser_train_folds(&d, 4, 1, fold, &nf, &e) == 0 && nf == 4, "folds: 4 grouped folds of 6 speakers");
	for (i = 0; i < N; i++)
		for (j = 0; j < N; j++)
			if (g[i] == g[j] && fold[i] != fold[j])
				ok = 0;
	CHECK(ok, "folds: no speaker on both sides of a fold");
	for (a = 0, ok = 1; a < nf; a++) {
		for (b = 0, i = 0; i < N; i++)
			b += fold[i] == a;
		ok &= b > 0;
	}
	CHECK(ok, "folds: no fold is empty");
	CHECK(ser_train_folds(&d, 10, 1, fold, &nf, &e) == 0 && nf == NS, "folds: more folds than speakers -> one per speaker");
	for (i = 0, ok = 1; i < N; i++)
		ok &= fold[i] == g[i];
	CHECK(ok, "folds: leave-one-speaker-out");
	d.group = NULL;
	CHECK(ser_train_folds(&d, 4, 1, fold, &nf, &e) == 0 && nf == 4, "folds of rows");
	{
		int cnt[4][NC] = {{0}};
		for (i = 0; i < N; i++)
			cnt[fold[i]][y[i]]++;
		for (a = 0, ok = 1; a < 4; a++)
			for (b = 0; b < NC; b++)
				ok &= cnt[a][b] == N / NC / 4;
		CHECK(ok, "folds of rows are stratified by class");
	}
	d.group = g;
	for (i = 0; i < N; i++)
		g[i] = 0;
	CHECK(ser_train_folds(&d, 4, 1, fold, &nf, &e) == -1, "folds: one speaker cannot be grouped (%s)", e.msg);
}

/* Every field of ours (ser_model_load's reader) against libsvm's own
 * svm_load_model of the same file: equal to the last bit. */
static void
compare_models(const struct svm_model *a, const struct svm_model *b)
{
	int i, j, k = b->nr_class, np = k * (k - 1) / 2, ok;

	CHECK(a->param.svm_type == b->param.svm_type && a->param.kernel_type == b->param.kernel_type &&
	      a->param.gamma == b->param.gamma, "reader: svm_type, kernel_type, gamma as libsvm's");
	CHECK(a->nr_class == b->nr_class && a->l == b->l, "reader: nr_class %d, l %d as libsvm's (%d, %d)",
	      a->nr_class, a->l, b->nr_class, b->l);
	if (a->nr_class != b->nr_class || a->l != b->l)
		return;
	CHECK(a->rho && a->probA && a->probB && memcmp(a->rho, b->rho, (size_t)np * sizeof *a->rho) == 0 &&
	      memcmp(a->probA, b->probA, (size_t)np * sizeof *a->probA) == 0 &&
	      memcmp(a->probB, b->probB, (size_t)np * sizeof *a->probB) == 0, "reader: rho, probA, probB bit-equal");
	CHECK(memcmp(a->label, b->label, (size_t)k * sizeof *a->label) == 0 &&
	      memcmp(a->nSV, b->nSV, (size_t)k * sizeof *a->nSV) == 0, "reader: label, nr_sv equal");
	for (i = 0, ok = 1; i < k - 1; i++)
		ok &= memcmp(a->sv_coef[i], b->sv_coef[i], (size_t)a->l * sizeof **a->sv_coef) == 0;
	CHECK(ok, "reader: %d x %d coefficients bit-equal", k - 1, a->l);
	for (i = 0, ok = 1; i < a->l && ok; i++) {
		for (j = 0; a->SV[i][j].index != -1 && ok; j++)
			ok &= a->SV[i][j].index == b->SV[i][j].index &&
			      memcmp(&a->SV[i][j].value, &b->SV[i][j].value, sizeof(double)) == 0;
		ok &= b->SV[i][j].index == -1;
	}
	CHECK(ok, "reader: every support vector's nodes equal, terminated where libsvm's are");
	CHECK(a->free_sv == 1 && a->SV[0] < a->SV[a->l - 1] && a->sv_indices == NULL,
	      "reader: free_sv 1, SV[0] the start of one node block, no sv_indices");
}

static void
test_grid_and_model(void)
{
	static double x[N * D];
	static int y[N], g[N];
	ser_train_data d = {N, D, x, y, NC, g};
	ser_train_config cfg = {{-1, 3, 2}, {-3, 1, 2}, 3, 7, 1, 1, 20, NULL, NULL};
	ser_train_result r1, r2;
	ser_svm_fit fit;
	ser_scaler sc;
	ser_model m;
	ser_error e = {{0}};
	char dir[] = "/tmp/test_model.XXXXXX", path[256], *names[] = {"angry", "sad", "calm"};
	char *keys[] = {"feature_set"}, *vals[] = {"synthetic"};
	double prob[NC], sum;
	struct svm_node nodes[D + 1];
	size_t i, j, best, right = 0;
	int rc;
	FILE *fp;

	make_data(x, y, g);
	svm_set_print_string_function(silent);
	CHECK(ser_train_grid(&cfg, &d, &r1, &e) == 0, "grid search on one thread");
	cfg.threads = 2;
	CHECK(ser_train_grid(&cfg, &d, &r2, &e) == 0, "grid search on two threads");
	CHECK(r1.npoints == 9 && r2.npoints == 9 && r1.nfolds == 3, "grid: 3 x 3 points, 3 folds");
	for (i = 0, rc = 1; i < r1.npoints; i++)
		rc &= r1.points[i].m.uar == r2.points[i].m.uar;
	CHECK(rc && r1.best == r2.best, "grid: the same result whatever the number of threads");
	CHECK(r1.points[r1.best].m.uar > 0.7, "grid: the best point separates the classes (UAR %.3f)",
	      r1.points[r1.best].m.uar);
	for (i = 0; i < r1.npoints; i++)
		CHECK(r1.points[r1.best].m.uar >= r1.points[i].m.uar, "grid: best is the highest UAR (%zu)", i);

	srand(1);
	rc = ser_train_final(&cfg, &d, r1.points[r1.best].log2c, r1.points[r1.best].log2g, &fit, &e);
	CHECK(rc == 0, "final model trains");
	if (rc != 0)
		goto out;
	sc.n = D;
	sc.names = (char *[]){"f1", "f2", "f3", "f4"};
	sc.mean = (double[]){0, 0, 0, 0};
	sc.sd = (double[]){1, 1, 1, 1};
	sc.weight = (double[]){1, 1, 1, 0.25}; /* travels with the model */
	CHECK(mkdtemp(dir) != NULL, "a scratch directory");
	snprintf(path, sizeof path, "%s/m", dir);
	CHECK(ser_model_save(path, fit.model, &sc, names, NC, keys, vals, 1, &e) == 0, "model saves (%s)", e.msg);
	CHECK(ser_model_save(path, fit.model, &sc, names, NC, keys, vals, 1, &e) == 0, "a model replaces a model");
	rc = ser_model_load(path, &m, &e);
	CHECK(rc == 0, "model loads (%s)", rc ? e.msg : "");
	if (rc == 0) {
		struct svm_model *ref;
		snprintf(path, sizeof path, "%s/m/model.svm", dir);
		ref = svm_load_model(path);
		CHECK(ref != NULL, "libsvm's own loader reads the saved model");
		if (ref != NULL) {
			compare_models(m.svm, ref);
			svm_free_and_destroy_model(&ref);
		}
		CHECK(m.k == NC && strcmp(m.classes[0], "angry") == 0 && strcmp(m.classes[2], "calm") == 0,
		      "model: class names in libsvm label order");
		CHECK(strcmp(ser_model_info(&m, "feature_set"), "synthetic") == 0, "model: description");
		CHECK(m.scaler.weight != NULL && m.scaler.weight[0] == 1 && m.scaler.weight[3] == 0.25,
		      "model: the scaler's weights round-trip through the model directory");
		for (i = 0, rc = 1; i < N; i++) {
			best = ser_model_predict(&m, &x[i * D], nodes, prob);
			for (j = 0, sum = 0; j < NC; j++)
				sum += prob[j];
			rc &= fabs(sum - 1) < 1e-6;
			right += best == (size_t)y[i];
		}
		CHECK(rc, "model: probabilities sum to 1");
		CHECK(right > N * 8 / 10, "model: fits its training data (%zu/%d)", right, N);
		ser_model_free(&m);
	}
	/* a lying header: libsvm alone would trust it */
	snprintf(path, sizeof path, "%s/m/model.svm", dir);
	fp = fopen(path, "w");
	fputs("svm_type c_svc\nkernel_type rbf\ngamma 0.5\nnr_class 2\ntotal_sv 100000\nrho 0\nlabel 1 2\n"
	      "probA -1\nprobB 0\nnr_sv 50000 50000\nSV\n1 1:0.5\n",
	      fp);
	fclose(fp);
	snprintf(path, sizeof path, "%s/m", dir);
	CHECK(ser_model_load(path, &m, &e) == -1 && strstr(e.msg, "total_sv") != NULL, "model: a lying total_sv (%s)",
	      e.msg);
	snprintf(path, sizeof path, "%s/nothing", dir);
	CHECK(ser_model_load(path, &m, &e) == -1 && strstr(e.msg, "nothing") != NULL, "model: a missing directory names it");
	snprintf(path, sizeof path, "%s/m/notes", dir);
	fp = fopen(path, "w");
	fclose(fp);
	snprintf(path, sizeof path, "%s/m", dir);
	CHECK(ser_model_save(path, fit.model, &sc, names, NC, keys, vals, 1, &e) == -1,
	      "model: a directory with other files is not replaced");
	snprintf(path, sizeof path, "%s/m/notes", dir);
	unlink(path);
	snprintf(path, sizeof path, "rm -rf '%s'", dir);
	CHECK(system(path) == 0, "scratch removed");
	ser_svm_fit_free(&fit);
out:
	ser_train_result_free(&r1);
	ser_train_result_free(&r2);
}

int
main(void)
{
	test_idmap();
	test_ftable();
	test_ltable();
	test_scaler();
	test_scaler_weight();
	test_labelmap();
	test_metrics();
	test_folds();
	test_grid_and_model();
	return t_done();
}
