/*
 * ser-scale - standardise a feature table: learn each column's mean and
 * standard deviation (--fit, optionally weighting columns by name prefix
 * with --weight), or apply a learned scaler (-s FILE, or the one in a model
 * directory, -m DIR). See man/ser-scale.1.
 */
#include <errno.h>
#include <float.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "num.h"
#include "scaler.h"
#include "table.h"
#include "tsv.h"

static void
usage(FILE *fp)
{
	fputs("usage: ser-scale --fit scaler [--weight prefix=w] [file]\n"
	      "       ser-scale -s scaler [file]\n"
	      "       ser-scale -m dir [file]\n"
	      "\n"
	      "  --fit scaler    learn mean and sd of every column of file, write them to\n"
	      "                  scaler, and write the standardised table on stdout\n"
	      "  --weight prefix=w  with --fit: multiply every column whose name starts\n"
	      "                  with prefix, after standardising, by w (0 < w <= 1000;\n"
	      "                  its share of a squared distance scales by w^2); kept in\n"
	      "                  the scaler; repeatable, a later one wins\n"
	      "  -s, --scaler scaler  standardise with a fitted scaler\n"
	      "  -m, --model dir  standardise with the scaler of a model directory\n"
	      "  -h, --help      this text\n"
	      "      --version   print the version\n",
	      fp);
}

static void
write_row(const char *id, const double *v, size_t n)
{
	char buf[40];
	size_t j;

	fputs(id, stdout);
	for (j = 0; j < n; j++) {
		putchar('\t');
		fputs(ser_fmt_float(buf, sizeof buf, v[j]), stdout);
	}
	putchar('\n');
}

static void
write_header(char *const *names, size_t n)
{
	size_t j;

	fputs("id", stdout);
	for (j = 0; j < n; j++) {
		putchar('\t');
		fputs(names[j], stdout);
	}
	putchar('\n');
}

/* --weight prefix=w options, in command-line order. */
typedef struct weights {
	size_t n;
	char **prefix; /* n, owned */
	double *w;     /* n */
} weights;

/* Split one --weight argument at its last '=' (a column name may hold '=',
 * a number cannot) and check both sides; a usage error if malformed. */
static void
add_weight(weights *ws, const char *arg)
{
	const char *eq = strrchr(arg, '=');
	ser_error e;
	char **p;
	double *w;

	if (eq == NULL)
		cli_usage_error("option --weight: '%s' is not prefix=w", arg);
	if (eq == arg)
		cli_usage_error("option --weight: '%s' has an empty prefix", arg);
	if ((p = realloc(ws->prefix, (ws->n + 1) * sizeof *p)) == NULL)
		cli_die(EXIT_DATA, "out of memory");
	ws->prefix = p;
	if ((w = realloc(ws->w, (ws->n + 1) * sizeof *w)) == NULL)
		cli_die(EXIT_DATA, "out of memory");
	ws->w = w;
	if (ser_parse_double(eq + 1, -DBL_MAX, DBL_MAX, &w[ws->n], &e) != 0)
		cli_usage_error("option --weight: '%s': %s", arg, e.msg);
	if (!(w[ws->n] > 0 && w[ws->n] <= 1000))
		cli_usage_error("option --weight: '%s': the weight must be in (0, 1000]", arg);
	if ((p[ws->n] = strndup(arg, (size_t)(eq - arg))) == NULL)
		cli_die(EXIT_DATA, "out of memory");
	ws->n++;
}

static void
free_weights(weights *ws)
{
	size_t i;

	for (i = 0; i < ws->n; i++)
		free(ws->prefix[i]);
	free(ws->prefix);
	free(ws->w);
}

/* --fit: the whole table in memory, the scaler (weighted as ws says) to
 * path, the result out. A prefix that matches no column is a data error
 * (it depends on the table) and leaves no scaler behind. */
static int
fit(FILE *in, const char *name, const char *path, const weights *ws)
{
	ser_ftable t;
	ser_scaler s;
	ser_error e;
	size_t i;

	if (ser_ftable_read(in, name, &t, &e) != 0)
		cli_die(EXIT_DATA, "%s", e.msg);
	if (ser_scaler_fit(&t, &s, &e) != 0) {
		ser_ftable_free(&t);
		cli_die(EXIT_DATA, "%s", e.msg);
	}
	for (i = 0; i < ws->n; i++)
		if (ser_scaler_weight(&s, ws->prefix[i], ws->w[i], &e) < 0) {
			cli_warn("%s:1: option --weight: %s", t.src, e.msg);
			ser_ftable_free(&t);
			ser_scaler_free(&s);
			return EXIT_DATA;
		}
	if (ser_scaler_save(path, &s, &e) != 0) {
		ser_ftable_free(&t);
		ser_scaler_free(&s);
		cli_die(EXIT_DATA, "%s", e.msg);
	}
	write_header(t.names, t.ncols);
	for (i = 0; i < t.nrows; i++) {
		ser_scaler_apply(&s, &t.x[i * t.ncols]);
		write_row(t.ids[i], &t.x[i * t.ncols], t.ncols);
	}
	ser_ftable_free(&t);
	ser_scaler_free(&s);
	return 0;
}

/* Apply: stream row by row; ids must be unique. */
static int
apply(FILE *in, const char *name, const ser_scaler *s)
{
	ser_fstream *fs;
	ser_error e;
	const char *id;
	double *row;
	int rc;

	if ((fs = ser_fstream_open(in, name, s->names, s->n, "the scaler's", &e)) == NULL)
		cli_die(EXIT_DATA, "%s", e.msg);
	write_header(s->names, s->n);
	while ((rc = ser_fstream_next(fs, &id, &row, &e)) == 1) {
		ser_scaler_apply(s, row);
		write_row(id, row, s->n);
	}
	ser_fstream_close(fs);
	if (rc != 0) {
		cli_warn("%s", e.msg);
		return EXIT_DATA;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"fit", required_argument, NULL, 'F'},
		{"scaler", required_argument, NULL, 's'},
		{"model", required_argument, NULL, 'm'},
		{"weight", required_argument, NULL, 'W'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	const char *fitpath = NULL, *scpath = NULL, *mdir = NULL, *name = "<stdin>";
	FILE *in = stdin;
	weights ws = {0, NULL, NULL};
	ser_error e;
	int c, status;

	cli_init("ser-scale");
	while ((c = getopt_long(argc, argv, "s:m:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'F': fitpath = optarg; break;
		case 's': scpath = optarg; break;
		case 'm': mdir = optarg; break;
		case 'W': add_weight(&ws, optarg); break;
		case 'h': usage(stdout); return cli_close_stdout(0);
		case 'V': cli_version();
		default: cli_usage_error("unknown option");
		}
	}
	if ((fitpath != NULL) + (scpath != NULL) + (mdir != NULL) != 1)
		cli_usage_error("give exactly one of --fit, -s and -m");
	if (ws.n > 0 && fitpath == NULL)
		cli_usage_error("--weight goes with --fit (-s and -m use the weights in the scaler)");
	if (argc - optind > 1)
		cli_usage_error("one table at most");
	if (optind < argc && strcmp(argv[optind], "-") != 0) {
		name = argv[optind];
		if ((in = fopen(name, "r")) == NULL)
			cli_die(EXIT_DATA, "%s: %s", name, strerror(errno));
	}
	if (fitpath != NULL) {
		status = fit(in, name, fitpath, &ws);
	} else {
		/* a model directory's scaler is its scaler.tsv (see ser_model) */
		char *path = NULL;
		ser_scaler s;
		FILE *fp;

		if (mdir != NULL) {
			size_t n = strlen(mdir);
			if ((path = malloc(n + sizeof "/scaler.tsv")) == NULL)
				cli_die(EXIT_DATA, "out of memory");
			memcpy(path, mdir, n);
			memcpy(path + n, "/scaler.tsv", sizeof "/scaler.tsv");
			scpath = path;
		}
		if ((fp = fopen(scpath, "r")) == NULL)
			cli_die(EXIT_DATA, "%s: %s%s", scpath, strerror(errno),
			        mdir ? " (no model there? make one with 'make model', or name one with -m)" : "");
		if (ser_scaler_read(fp, scpath, &s, &e) != 0)
			cli_die(EXIT_DATA, "%s", e.msg);
		fclose(fp);
		free(path);
		status = apply(in, name, &s);
		ser_scaler_free(&s);
	}
	if (in != stdin)
		fclose(in);
	free_weights(&ws);
	return cli_close_stdout(status);
}
