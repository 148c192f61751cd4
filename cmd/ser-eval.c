/*
 * ser-eval - score a probability table (ser-predict) against a label
 * table: accuracy, macro precision, recall and F1, UAR, per-class figures
 * and the confusion matrix, as TSV or JSON. See man/ser-eval.1.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "labelmap.h"
#include "metrics.h"
#include "num.h"
#include "table.h"
#include "tsv.h"

static void
usage(FILE *fp)
{
	fputs("usage: ser-eval -l labels [-c column] [--map from=to] [--drop label] [--json]\n"
	      "       [--confusion] [file]\n"
	      "\n"
	      "  file                 probability table (ser-predict); stdin if absent\n"
	      "  -l, --labels labels  label table (id, label, ...)\n"
	      "  -c, --label-column column  label column (default: label)\n"
	      "      --map from=to    rename a true label (repeatable)\n"
	      "      --drop label     leave out rows with this true label, after --map (repeatable)\n"
	      "  -j, --json           one JSON object instead of TSV\n"
	      "      --confusion      print only the confusion matrix table\n"
	      "  -h, --help           this text\n"
	      "      --version        print the version\n",
	      fp);
}

static int
find_class(char *const *v, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return (int)i;
	return -1;
}

static void
add_class(char ***v, size_t *n, const char *s)
{
	char **nv;

	if (find_class(*v, *n, s) >= 0)
		return;
	if ((nv = realloc(*v, (*n + 1) * sizeof *nv)) == NULL || (nv[*n] = strdup(s)) == NULL)
		cli_die(EXIT_DATA, "out of memory");
	*v = nv;
	(*n)++;
}

static void
json_str(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static const char *
num(char *buf, double v)
{
	snprintf(buf, 32, "%.4f", v);
	return buf;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"labels", required_argument, NULL, 'l'},
		{"label-column", required_argument, NULL, 'c'},
		{"map", required_argument, NULL, 'M'},
		{"drop", required_argument, NULL, 'D'},
		{"json", no_argument, NULL, 'j'},
		{"confusion", no_argument, NULL, 'X'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	const char *lpath = NULL, *lcol = "label", *name = "<stdin>";
	int json = 0, only_conf = 0, c;
	ser_labelmap lm;
	ser_error e;
	ser_ltable lt, pt;
	FILE *fp;
	long lc, pc;
	char **classes = NULL, buf[32];
	const char **truth, **pred;
	size_t k = 0, i, j, t, p, n = 0;
	unsigned long *conf, *support;
	double *prec, *rec, *f1;
	ser_metrics mt;

	cli_init("ser-eval");
	ser_labelmap_init(&lm);
	while ((c = getopt_long(argc, argv, "l:c:jh", longopts, NULL)) != -1) {
		switch (c) {
		case 'l': lpath = optarg; break;
		case 'c': lcol = optarg; break;
		case 'M':
			if (ser_labelmap_add_map(&lm, optarg, &e) != 0)
				cli_usage_error("option --map: %s", e.msg);
			break;
		case 'D':
			if (ser_labelmap_add_drop(&lm, optarg, &e) != 0)
				cli_usage_error("option --drop: %s", e.msg);
			break;
		case 'j': json = 1; break;
		case 'X': only_conf = 1; break;
		case 'h': usage(stdout); return cli_close_stdout(0);
		case 'V': cli_version();
		default: cli_usage_error("unknown option");
		}
	}
	if (lpath == NULL)
		cli_usage_error("-l labels is required");
	if (json && only_conf)
		cli_usage_error("--json and --confusion do not go together");
	if (argc - optind > 1)
		cli_usage_error("one probability table at most");

	fp = stdin;
	if (optind < argc && strcmp(argv[optind], "-") != 0) {
		name = argv[optind];
		if ((fp = fopen(name, "r")) == NULL)
			cli_die(EXIT_DATA, "%s: %s", name, strerror(errno));
	}
	if (ser_ltable_read(fp, name, &pt, &e) != 0)
		cli_die(EXIT_DATA, "%s", e.msg);
	if (fp != stdin)
		fclose(fp);
	if ((pc = ser_ltable_col(&pt, "predicted")) < 0)
		cli_die(EXIT_DATA, "%s:1: no 'predicted' column: not a probability table", pt.src);
	if (pt.nrows == 0)
		cli_die(EXIT_DATA, "%s: no rows to evaluate", pt.src);
	if ((fp = fopen(lpath, "r")) == NULL)
		cli_die(EXIT_DATA, "%s: %s", lpath, strerror(errno));
	if (ser_ltable_read(fp, lpath, &lt, &e) != 0)
		cli_die(EXIT_DATA, "%s", e.msg);
	fclose(fp);
	if ((lc = ser_ltable_col(&lt, lcol)) < 0)
		cli_die(EXIT_DATA, "%s:1: no label column '%s' (see -c)", lpath, lcol);

	/* classes: the model's (the probability columns), then any other truth */
	for (j = 0; j < pt.ncols; j++)
		if (strcmp(pt.names[j], "predicted") != 0 && strcmp(pt.names[j], "confidence") != 0)
			add_class(&classes, &k, pt.names[j]);
	truth = calloc(pt.nrows, sizeof *truth);
	pred = calloc(pt.nrows, sizeof *pred);
	if (truth == NULL || pred == NULL)
		cli_die(EXIT_DATA, "out of memory");
	for (i = 0; i < pt.nrows; i++) {
		const char *l = ser_ltable_get(&lt, pt.ids[i], (size_t)lc);

		/* every probability (and the confidence) is a number in [0, 1] */
		for (j = 0; j < pt.ncols; j++) {
			double v;
			if ((long)j != pc && ser_parse_double(pt.cells[i * pt.ncols + j], 0, 1, &v, &e) != 0)
				cli_die(EXIT_DATA, "%s:%lu: column '%s': %s", pt.src, pt.lines[i], pt.names[j], e.msg);
		}

		if (l == NULL)
			cli_die(EXIT_DATA, "%s:%lu: id '%.128s' has no row in the label table %s", pt.src, pt.lines[i],
			        pt.ids[i], lpath);
		if ((l = ser_labelmap_apply(&lm, l)) == NULL)
			continue;
		if (l[0] == '\0')
			cli_die(EXIT_DATA, "%s: id '%.128s': empty label", lpath, pt.ids[i]);
		pred[n] = pt.cells[i * pt.ncols + (size_t)pc];
		if (find_class(classes, k, pred[n]) < 0)
			cli_die(EXIT_DATA, "%s:%lu: predicted class '%.64s' has no probability column", pt.src,
			        pt.lines[i], pred[n]);
		truth[n++] = l;
		add_class(&classes, &k, l);
	}
	if (n == 0)
		cli_die(EXIT_DATA, "%s: every row was dropped", pt.src);
	conf = calloc(k * k, sizeof *conf);
	support = calloc(k, sizeof *support);
	prec = calloc(k, sizeof *prec);
	rec = calloc(k, sizeof *rec);
	f1 = calloc(k, sizeof *f1);
	if (conf == NULL || support == NULL || prec == NULL || rec == NULL || f1 == NULL)
		cli_die(EXIT_DATA, "out of memory");
	for (i = 0; i < n; i++) {
		t = (size_t)find_class(classes, k, truth[i]);
		p = (size_t)find_class(classes, k, pred[i]);
		conf[t * k + p]++;
	}
	ser_metrics_compute(conf, k, &mt, prec, rec, f1, support);

	if (json) {
		printf("{\"n\": %zu, \"accuracy\": %s", mt.n, num(buf, mt.accuracy));
		printf(", \"macro_precision\": %s", num(buf, mt.macro_precision));
		printf(", \"macro_recall\": %s", num(buf, mt.macro_recall));
		printf(", \"macro_f1\": %s", num(buf, mt.macro_f1));
		printf(", \"uar\": %s, \"classes\": [", num(buf, mt.uar));
		for (j = 0; j < k; j++) {
			fputs(j ? ", " : "", stdout);
			json_str(classes[j]);
		}
		fputs("], \"per_class\": {", stdout);
		for (j = 0; j < k; j++) {
			fputs(j ? ", " : "", stdout);
			json_str(classes[j]);
			printf(": {\"support\": %lu, \"precision\": %s", support[j], num(buf, prec[j]));
			printf(", \"recall\": %s", num(buf, rec[j]));
			printf(", \"f1\": %s}", num(buf, f1[j]));
		}
		fputs("}, \"confusion\": [", stdout);
		for (t = 0; t < k; t++) {
			fputs(t ? ", [" : "[", stdout);
			for (p = 0; p < k; p++)
				printf("%s%lu", p ? ", " : "", conf[t * k + p]);
			putchar(']');
		}
		fputs("]}\n", stdout);
	} else {
		if (!only_conf) {
			printf("id\tvalue\n");
			printf("n\t%zu\n", mt.n);
			printf("accuracy\t%s\n", num(buf, mt.accuracy));
			printf("macro_precision\t%s\n", num(buf, mt.macro_precision));
			printf("macro_recall\t%s\n", num(buf, mt.macro_recall));
			printf("macro_f1\t%s\n", num(buf, mt.macro_f1));
			printf("uar\t%s\n", num(buf, mt.uar));
			printf("\nid\tsupport\tprecision\trecall\tf1\n");
			for (j = 0; j < k; j++) {
				printf("%s\t%lu\t%s", classes[j], support[j], num(buf, prec[j]));
				printf("\t%s", num(buf, rec[j]));
				printf("\t%s\n", num(buf, f1[j]));
			}
			putchar('\n');
		}
		/* rows: true class; columns: predicted class */
		fputs("id", stdout);
		for (p = 0; p < k; p++)
			printf("\t%s", classes[p]);
		putchar('\n');
		for (t = 0; t < k; t++) {
			fputs(classes[t], stdout);
			for (p = 0; p < k; p++)
				printf("\t%lu", conf[t * k + p]);
			putchar('\n');
		}
	}
	for (j = 0; j < k; j++)
		free(classes[j]);
	free(classes);
	free(truth);
	free(pred);
	free(conf);
	free(support);
	free(prec);
	free(rec);
	free(f1);
	ser_ltable_free(&pt);
	ser_ltable_free(&lt);
	ser_labelmap_free(&lm);
	return cli_close_stdout(0);
}
