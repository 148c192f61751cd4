/*
 * ser-train - train the emotion classifier: join a standardised feature
 * table with a label table by id, map or drop labels, choose C and gamma of
 * an RBF C-SVC by a grid search over folds grouped by speaker (scored by
 * UAR), train the final model with probability estimates and write the
 * model directory. See man/ser-train.1.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "labelmap.h"
#include "model.h"
#include "num.h"
#include "scaler.h"
#include "table.h"
#include "train.h"

#define USAGE_LINES                                                                                     \
	"usage: ser-train -l labels -s scaler -o dir [-c column] [-g column] [--map from=to]\n"         \
	"       [--drop label] [--log2c first:last:step] [--log2g first:last:step] [-k folds]\n"        \
	"       [--seed n] [-j threads] [--no-balance] [--note key=value] [-v] [file]\n"

static void
usage(FILE *fp)
{
	fputs(USAGE_LINES
	      "\n"
	      "  file                 standardised feature table (ser-scale --fit); stdin if absent\n"
	      "  -l, --labels labels  label table (id, label, speaker, ...)\n"
	      "  -s, --scaler scaler  the scaler the features were standardised with\n"
	      "  -o, --output dir     model directory to write (replaced atomically)\n"
	      "  -c, --label-column column  label column (default: label)\n"
	      "  -g, --group-column column  speaker column: no speaker on both sides of a fold\n"
	      "      --map from=to    rename a label (repeatable)\n"
	      "      --drop label     leave out rows with this label, after --map (repeatable)\n"
	      "      --log2c first:last:step  grid of log2(C) (default -1:9:2)\n"
	      "      --log2g first:last:step  grid of log2(gamma) (default -13:-5:2)\n"
	      "  -k, --folds folds    cross-validation folds (default 5)\n"
	      "      --seed n         fold assignment and libsvm's probability training (default 1)\n"
	      "  -j, --threads n      worker threads for the grid search (default: CPUs online)\n"
	      "      --no-balance     do not weight classes against imbalance\n"
	      "      --note key=value  add a line to the model's description (repeatable)\n"
	      "  -v, --verbose        print every grid point's cross-validated UAR on stderr\n"
	      "  -h, --help           this text\n"
	      "      --version        print the version\n",
	      fp);
}

static void
silent(const char *s)
{
	(void)s;
}

static void
progress(void *arg, size_t done, size_t total)
{
	(void)arg;
	fprintf(stderr, "\rser-train: grid search %zu/%zu", done, total);
	if (done == total)
		fputc('\n', stderr);
}

/* "first:last:step" or a single value; each through the number parser. */
static void
parse_range(const char *opt, const char *arg, double *r)
{
	char buf[128], *a, *b;
	ser_error e;

	if (strlen(arg) >= sizeof buf)
		cli_usage_error("option %s: too long", opt);
	strcpy(buf, arg);
	a = strchr(buf, ':');
	if (a == NULL) {
		r[0] = r[1] = cli_opt_double(opt, buf, -60, 60);
		r[2] = 1;
		return;
	}
	*a++ = '\0';
	b = strchr(a, ':');
	if (b == NULL)
		cli_usage_error("option %s: '%s' is not first:last:step", opt, arg);
	*b++ = '\0';
	if (ser_parse_double(buf, -60, 60, &r[0], &e) != 0 || ser_parse_double(a, -60, 60, &r[1], &e) != 0 ||
	    ser_parse_double(b, 1e-3, 120, &r[2], &e) != 0)
		cli_usage_error("option %s: %s", opt, e.msg);
	if (r[0] > r[1])
		cli_usage_error("option %s: first is above last", opt);
}

/* Append a key/value to the description. */
static void
note(char ***keys, char ***vals, size_t *n, const char *k, const char *v)
{
	char **nk = realloc(*keys, (*n + 1) * sizeof *nk), **nv;

	if (nk == NULL)
		cli_die(EXIT_DATA, "out of memory");
	*keys = nk;
	if ((nv = realloc(*vals, (*n + 1) * sizeof *nv)) == NULL)
		cli_die(EXIT_DATA, "out of memory");
	*vals = nv;
	if ((nk[*n] = strdup(k)) == NULL || (nv[*n] = strdup(v)) == NULL)
		cli_die(EXIT_DATA, "out of memory");
	(*n)++;
}

static void
note_num(char ***keys, char ***vals, size_t *n, const char *k, double v)
{
	char buf[40];

	snprintf(buf, sizeof buf, "%.4f", v);
	note(keys, vals, n, k, buf);
}

/* Index of s in the string list *v (appending it if absent). */
static int
intern(char ***v, size_t *n, const char *s)
{
	size_t i;
	char **nv;

	for (i = 0; i < *n; i++)
		if (strcmp((*v)[i], s) == 0)
			return (int)i;
	if ((nv = realloc(*v, (*n + 1) * sizeof *nv)) == NULL || (nv[*n] = strdup(s)) == NULL)
		cli_die(EXIT_DATA, "out of memory");
	*v = nv;
	return (int)(*n)++;
}

static void
free_list(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"labels", required_argument, NULL, 'l'},
		{"scaler", required_argument, NULL, 's'},
		{"output", required_argument, NULL, 'o'},
		{"label-column", required_argument, NULL, 'c'},
		{"group-column", required_argument, NULL, 'g'},
		{"map", required_argument, NULL, 'M'},
		{"drop", required_argument, NULL, 'D'},
		{"log2c", required_argument, NULL, 'C'},
		{"log2g", required_argument, NULL, 'G'},
		{"folds", required_argument, NULL, 'k'},
		{"seed", required_argument, NULL, 'S'},
		{"threads", required_argument, NULL, 'j'},
		{"no-balance", no_argument, NULL, 'B'},
		{"note", required_argument, NULL, 'N'},
		{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	const char *lpath = NULL, *spath = NULL, *odir = NULL, *lcol = "label", *gcol = NULL;
	const char *fname = "<stdin>";
	ser_train_config cfg = {
		.log2c = {-1, 9, 2}, .log2g = {-13, -5, 2}, .folds = 5, .seed = 1, .threads = 0,
		.balance = 1, .cache_mb = 200,
	};
	ser_labelmap lm;
	char **nkeys = NULL, **nvals = NULL, **classes = NULL, **groups = NULL, **corpora = NULL;
	size_t nnotes = 0, nclasses = 0, ngroups = 0, ncorpora = 0, i, j, n;
	int verbose = 0, c;
	ser_error e;
	ser_ftable ft;
	ser_ltable lt;
	ser_scaler sc;
	long lc, gc, cc;
	FILE *fp;
	const char **lab;
	double *x;
	int *y, *grp;
	ser_train_data data;
	ser_train_result res;
	ser_svm_fit fit;
	char buf[256];

	cli_init("ser-train");
	ser_labelmap_init(&lm);
	while ((c = getopt_long(argc, argv, "l:s:o:c:g:k:j:vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'l': lpath = optarg; break;
		case 's': spath = optarg; break;
		case 'o': odir = optarg; break;
		case 'c': lcol = optarg; break;
		case 'g': gcol = optarg; break;
		case 'M':
			if (ser_labelmap_add_map(&lm, optarg, &e) != 0)
				cli_usage_error("option --map: %s", e.msg);
			break;
		case 'D':
			if (ser_labelmap_add_drop(&lm, optarg, &e) != 0)
				cli_usage_error("option --drop: %s", e.msg);
			break;
		case 'C': parse_range("--log2c", optarg, cfg.log2c); break;
		case 'G': parse_range("--log2g", optarg, cfg.log2g); break;
		case 'k': cfg.folds = (int)cli_opt_int("--folds", optarg, 2, 1000); break;
		case 'S': cfg.seed = (uint64_t)cli_opt_int("--seed", optarg, 0, INT32_MAX); break;
		case 'j': cfg.threads = (int)cli_opt_int("--threads", optarg, 1, 64); break;
		case 'B': cfg.balance = 0; break;
		case 'N': {
			const char *eq = strchr(optarg, '=');
			if (eq == NULL || eq == optarg || eq[1] == '\0' || strpbrk(optarg, "\t\n") ||
			    (size_t)(eq - optarg) >= sizeof buf)
				cli_usage_error("option --note: '%s' is not key=value", optarg);
			memcpy(buf, optarg, (size_t)(eq - optarg));
			buf[eq - optarg] = '\0';
			note(&nkeys, &nvals, &nnotes, buf, eq + 1);
			break;
		}
		case 'v': verbose = 1; break;
		case 'h': usage(stdout); return cli_close_stdout(0);
		case 'V': cli_version();
		default: cli_usage_error("unknown option");
		}
	}
	if (lpath == NULL || spath == NULL || odir == NULL)
		cli_usage_error("-l labels, -s scaler and -o dir are required");
	if (argc - optind > 1)
		cli_usage_error("one feature table at most");
	if (cfg.threads == 0) {
		long np = sysconf(_SC_NPROCESSORS_ONLN);
		cfg.threads = np < 1 ? 1 : np > 64 ? 64 : (int)np;
	}
	svm_set_print_string_function(silent);

	/* features first: they may come down a pipe from ser-scale --fit, which
	 * writes the scaler before the table */
	fp = stdin;
	if (optind < argc && strcmp(argv[optind], "-") != 0) {
		fname = argv[optind];
		if ((fp = fopen(fname, "r")) == NULL)
			cli_die(EXIT_DATA, "%s: %s", fname, strerror(errno));
	}
	if (ser_ftable_read(fp, fname, &ft, &e) != 0)
		cli_die(EXIT_DATA, "%s", e.msg);
	if (fp != stdin)
		fclose(fp);
	if ((fp = fopen(spath, "r")) == NULL)
		cli_die(EXIT_DATA, "%s: %s", spath, strerror(errno));
	if (ser_scaler_read(fp, spath, &sc, &e) != 0)
		cli_die(EXIT_DATA, "%s", e.msg);
	fclose(fp);
	if (sc.n != ft.ncols)
		cli_die(EXIT_DATA, "%s: %zu features, the scaler %s has %zu", ft.src, ft.ncols, spath, sc.n);
	for (j = 0; j < sc.n; j++)
		if (strcmp(sc.names[j], ft.names[j]) != 0)
			cli_die(EXIT_DATA, "%s:1: column %zu is '%s', the scaler %s has '%s'", ft.src, j + 2, ft.names[j],
			        spath, sc.names[j]);
	if ((fp = fopen(lpath, "r")) == NULL)
		cli_die(EXIT_DATA, "%s: %s", lpath, strerror(errno));
	if (ser_ltable_read(fp, lpath, &lt, &e) != 0)
		cli_die(EXIT_DATA, "%s", e.msg);
	fclose(fp);
	if ((lc = ser_ltable_col(&lt, lcol)) < 0)
		cli_die(EXIT_DATA, "%s:1: no label column '%s' (see -c)", lpath, lcol);
	gc = -1;
	if (gcol != NULL && (gc = ser_ltable_col(&lt, gcol)) < 0)
		cli_die(EXIT_DATA, "%s:1: no group column '%s' (see -g)", lpath, gcol);
	cc = ser_ltable_col(&lt, "corpus");

	/* the join: every feature row needs a label; label rows without
	 * features are ignored (a label table may describe a whole corpus) */
	if (ft.nrows == 0)
		cli_die(EXIT_DATA, "%s: no rows to train on", ft.src);
	if ((lab = calloc(ft.nrows, sizeof *lab)) == NULL)
		cli_die(EXIT_DATA, "out of memory");
	for (i = 0; i < ft.nrows; i++) {
		const char *l = ser_ltable_get(&lt, ft.ids[i], (size_t)lc);
		if (l == NULL)
			cli_die(EXIT_DATA, "%s:%lu: id '%.128s' has no row in the label table %s", ft.src, ft.lines[i],
			        ft.ids[i], lpath);
		if (l[0] == '\0')
			cli_die(EXIT_DATA, "%s:%lu: empty label", lpath,
			        lt.lines[ser_idmap_get(&lt.map, ft.ids[i])]);
		lab[i] = ser_labelmap_apply(&lm, l);
		if (lab[i] != NULL)
			intern(&classes, &nclasses, lab[i]);
	}
	if (nclasses < 2)
		cli_die(EXIT_DATA, "%s: %zu class%s left after --map/--drop; need at least 2", lpath, nclasses,
		        nclasses == 1 ? "" : "es");
	qsort(classes, nclasses, sizeof *classes, ser_class_cmp);

	n = 0;
	for (i = 0; i < ft.nrows; i++)
		n += lab[i] != NULL;
	x = malloc(n * ft.ncols * sizeof *x);
	y = malloc(n * sizeof *y);
	grp = malloc(n * sizeof *grp);
	if (x == NULL || y == NULL || grp == NULL)
		cli_die(EXIT_DATA, "out of memory");
	for (i = 0, j = 0; i < ft.nrows; i++) {
		if (lab[i] == NULL)
			continue;
		memcpy(&x[j * ft.ncols], &ft.x[i * ft.ncols], ft.ncols * sizeof *x);
		for (y[j] = 0; strcmp(classes[y[j]], lab[i]) != 0; y[j]++)
			;
		if (gc >= 0) {
			const char *g = ser_ltable_get(&lt, ft.ids[i], (size_t)gc);
			if (g[0] == '\0')
				cli_die(EXIT_DATA, "%s:%lu: empty %s", lpath, lt.lines[ser_idmap_get(&lt.map, ft.ids[i])],
				        gcol);
			grp[j] = intern(&groups, &ngroups, g);
		}
		if (cc >= 0) {
			const char *co = ser_ltable_get(&lt, ft.ids[i], (size_t)cc);
			if (co[0] != '\0')
				intern(&corpora, &ncorpora, co);
		}
		j++;
	}
	free(lab);
	data.n = n;
	data.d = ft.ncols;
	data.x = x;
	data.y = y;
	data.k = nclasses;
	data.group = gc >= 0 ? grp : NULL;
	if (gc >= 0 && ngroups < 2) {
		cli_warn("%s: one %s only: folds are made of rows, not speakers", lpath, gcol);
		data.group = NULL;
	}

	if (isatty(2)) {
		cfg.progress = progress;
		cfg.progress_arg = NULL;
	}
	if (ser_train_grid(&cfg, &data, &res, &e) != 0)
		cli_die(EXIT_DATA, "%s", e.msg);
	if (verbose)
		for (i = 0; i < res.npoints; i++)
			fprintf(stderr, "ser-train: log2c %g log2g %g: UAR %.4f accuracy %.4f%s\n",
			        res.points[i].log2c, res.points[i].log2g, res.points[i].m.uar,
			        res.points[i].m.accuracy, i == res.best ? "  (best)" : "");

	/* libsvm's probability training shuffles with rand(): one thread, seeded */
	srand((unsigned)cfg.seed);
	if (ser_train_final(&cfg, &data, res.points[res.best].log2c, res.points[res.best].log2g, &fit, &e) != 0)
		cli_die(EXIT_DATA, "%s", e.msg);

	/* the description */
	note(&nkeys, &nvals, &nnotes, "toolkit_version", "ser " SER_VERSION);
	note(&nkeys, &nvals, &nnotes, "classifier", "libsvm C-SVC, RBF kernel, probability estimates");
	{
		char *s = NULL;
		size_t len = 0;
		FILE *ms = open_memstream(&s, &len);

		if (ms == NULL)
			cli_die(EXIT_DATA, "out of memory");
		for (i = 0; i < nclasses; i++)
			fprintf(ms, "%s%s", i ? "," : "", classes[i]);
		fclose(ms);
		note(&nkeys, &nvals, &nnotes, "classes", s);
		free(s);
		s = NULL;
		if ((ms = open_memstream(&s, &len)) == NULL)
			cli_die(EXIT_DATA, "out of memory");
		for (i = 0; i < ncorpora; i++)
			fprintf(ms, "%s%s", i ? "," : "", corpora[i]);
		fclose(ms);
		if (ncorpora)
			note(&nkeys, &nvals, &nnotes, "corpora", s);
		free(s);
		s = NULL;
		if ((ms = open_memstream(&s, &len)) == NULL)
			cli_die(EXIT_DATA, "out of memory");
		for (i = 0; i < lm.nmap; i++)
			fprintf(ms, "%s%s=%s", i ? "," : "", lm.from[i], lm.to[i]);
		for (i = 0; i < lm.ndrop; i++)
			fprintf(ms, "%sdrop %s", i || lm.nmap ? "," : "", lm.drop[i]);
		fclose(ms);
		if (lm.nmap || lm.ndrop)
			note(&nkeys, &nvals, &nnotes, "label_map", s);
		free(s);
	}
	snprintf(buf, sizeof buf, "%zu", n);
	note(&nkeys, &nvals, &nnotes, "utterances", buf);
	snprintf(buf, sizeof buf, "%zu", data.group ? ngroups : 0);
	note(&nkeys, &nvals, &nnotes, "speakers", buf);
	snprintf(buf, sizeof buf, "%zu", ft.ncols);
	note(&nkeys, &nvals, &nnotes, "features", buf);
	snprintf(buf, sizeof buf, "%g", exp2(res.points[res.best].log2c));
	note(&nkeys, &nvals, &nnotes, "C", buf);
	snprintf(buf, sizeof buf, "%g", exp2(res.points[res.best].log2g));
	note(&nkeys, &nvals, &nnotes, "gamma", buf);
	note(&nkeys, &nvals, &nnotes, "class_weights", cfg.balance ? "balanced (n / (k * n_class))" : "none");
	snprintf(buf, sizeof buf, "log2c %g:%g:%g, log2g %g:%g:%g", cfg.log2c[0], cfg.log2c[1], cfg.log2c[2],
	         cfg.log2g[0], cfg.log2g[1], cfg.log2g[2]);
	note(&nkeys, &nvals, &nnotes, "grid", buf);
	snprintf(buf, sizeof buf, "%d folds %s, seed %llu, standardised within each fold", res.nfolds,
	         data.group ? "grouped by speaker" : "of rows", (unsigned long long)cfg.seed);
	note(&nkeys, &nvals, &nnotes, "cv", buf);
	note_num(&nkeys, &nvals, &nnotes, "cv_uar", res.points[res.best].m.uar);
	note_num(&nkeys, &nvals, &nnotes, "cv_accuracy", res.points[res.best].m.accuracy);
	note_num(&nkeys, &nvals, &nnotes, "cv_macro_precision", res.points[res.best].m.macro_precision);
	note_num(&nkeys, &nvals, &nnotes, "cv_macro_f1", res.points[res.best].m.macro_f1);

	{
		/* libsvm label c+1 is class c (rows were given grouped by class) */
		if (ser_model_save(odir, fit.model, &sc, classes, nclasses, nkeys, nvals, nnotes, &e) != 0)
			cli_die(EXIT_DATA, "%s", e.msg);
	}
	if (verbose)
		fprintf(stderr, "ser-train: %s: %zu utterances, %zu classes, C %g gamma %g, cross-validated UAR %.4f "
		        "accuracy %.4f\n", odir, n, nclasses, exp2(res.points[res.best].log2c),
		        exp2(res.points[res.best].log2g), res.points[res.best].m.uar, res.points[res.best].m.accuracy);

	ser_svm_fit_free(&fit);
	ser_train_result_free(&res);
	free(x);
	free(y);
	free(grp);
	free_list(classes, nclasses);
	free_list(groups, ngroups);
	free_list(corpora, ncorpora);
	free_list(nkeys, nnotes);
	free_list(nvals, nnotes);
	ser_scaler_free(&sc);
	ser_ftable_free(&ft);
	ser_ltable_free(&lt);
	ser_labelmap_free(&lm);
	return cli_close_stdout(0);
}
