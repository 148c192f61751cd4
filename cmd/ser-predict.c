/*
 * ser-predict - class probabilities for every row of a standardised
 * feature table, from a model directory: the probability table (id,
 * predicted, confidence, one column per class in the model's order), or
 * JSON Lines in the web response's shape. See man/ser-predict.1.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "model.h"
#include "num.h"
#include "table.h"
#include "tsv.h"

static void
usage(FILE *fp)
{
	fputs("usage: ser-predict -m dir [--json] [file]\n"
	      "\n"
	      "  file              standardised feature table (ser-scale -m dir); stdin if absent\n"
	      "  -m, --model dir   model directory (ser-train; 'make model' makes models/default)\n"
	      "  -j, --json        JSON Lines: {\"id\", \"predicted_emotion\", \"confidence\",\n"
	      "                    \"probabilities\": {class: p, ...}} per row\n"
	      "  -h, --help        this text\n"
	      "      --version     print the version\n",
	      fp);
}

/* A JSON string (RFC 8259 section 7): quote, backslash and control
 * characters escaped; other bytes as they are. */
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

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"model", required_argument, NULL, 'm'},
		{"json", no_argument, NULL, 'j'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	const char *mdir = NULL, *name = "<stdin>";
	int json = 0, c, rc, status = 0;
	FILE *in = stdin;
	ser_model m;
	ser_error e;
	ser_tsv *tsv;
	ser_idmap seen;
	char **ids = NULL, buf[40];
	size_t nids = 0, cap = 0, j;
	double *row, *prob;
	struct svm_node *nodes;

	cli_init("ser-predict");
	while ((c = getopt_long(argc, argv, "m:jh", longopts, NULL)) != -1) {
		switch (c) {
		case 'm': mdir = optarg; break;
		case 'j': json = 1; break;
		case 'h': usage(stdout); return cli_close_stdout(0);
		case 'V': cli_version();
		default: cli_usage_error("unknown option");
		}
	}
	if (mdir == NULL)
		cli_usage_error("-m dir is required (the shipped model is models/default)");
	if (argc - optind > 1)
		cli_usage_error("one table at most");
	if (ser_model_load(mdir, &m, &e) != 0)
		cli_die(EXIT_DATA, "no usable model in %s: %s (make one with 'make model', or name one with -m)", mdir,
		        e.msg);
	if (optind < argc && strcmp(argv[optind], "-") != 0) {
		name = argv[optind];
		if ((in = fopen(name, "r")) == NULL)
			cli_die(EXIT_DATA, "%s: %s", name, strerror(errno));
	}
	if ((tsv = ser_tsv_open(in, name, &e)) == NULL)
		cli_die(EXIT_DATA, "%s", e.msg);
	if (ser_check_columns(tsv, m.scaler.names, m.scaler.n, &e) != 0)
		cli_die(EXIT_DATA, "%s (the table's feature columns must be the model's, in its order)", e.msg);
	row = calloc(m.scaler.n, sizeof *row);
	prob = calloc(m.k, sizeof *prob);
	nodes = calloc(m.scaler.n + 1, sizeof *nodes);
	if (row == NULL || prob == NULL || nodes == NULL)
		cli_die(EXIT_DATA, "out of memory");
	ser_idmap_init(&seen);
	if (!json) {
		fputs("id\tpredicted\tconfidence", stdout);
		for (j = 0; j < m.k; j++)
			printf("\t%s", m.classes[j]);
		putchar('\n');
	}
	while ((rc = ser_tsv_next(tsv, &e)) == 1) {
		const char *id = ser_tsv_field(tsv, 0);
		size_t best, old;
		int r;

		if (ser_tsv_check_id(tsv, id, &e) != 0)
			break;
		for (j = 0; j < m.scaler.n; j++)
			if (ser_tsv_double(tsv, j + 1, &row[j], &e) != 0)
				break;
		if (j < m.scaler.n)
			break;
		if (nids == cap) {
			char **p;
			cap = cap ? cap * 2 : 256;
			if ((p = realloc(ids, cap * sizeof *ids)) == NULL) {
				ser_error_set(&e, "out of memory");
				break;
			}
			ids = p;
		}
		if ((ids[nids] = strdup(id)) == NULL) {
			ser_error_set(&e, "out of memory");
			break;
		}
		r = ser_idmap_put(&seen, ids[nids], nids, &old, &e);
		nids++;
		if (r != 0) {
			if (r == 1)
				ser_error_set(&e, "%s:%lu: duplicate id '%.128s'", ser_tsv_name(tsv), ser_tsv_lineno(tsv), id);
			break;
		}
		best = ser_model_predict(&m, row, nodes, prob);
		if (json) {
			fputs("{\"id\": ", stdout);
			json_str(id);
			fputs(", \"predicted_emotion\": ", stdout);
			json_str(m.classes[best]);
			printf(", \"confidence\": %s, \"probabilities\": {", ser_fmt_float(buf, sizeof buf, prob[best]));
			for (j = 0; j < m.k; j++) {
				fputs(j ? ", " : "", stdout);
				json_str(m.classes[j]);
				printf(": %s", ser_fmt_float(buf, sizeof buf, prob[j]));
			}
			fputs("}}\n", stdout);
		} else {
			printf("%s\t%s\t%s", id, m.classes[best], ser_fmt_float(buf, sizeof buf, prob[best]));
			for (j = 0; j < m.k; j++)
				printf("\t%s", ser_fmt_float(buf, sizeof buf, prob[j]));
			putchar('\n');
		}
	}
	if (rc != 0) {
		cli_warn("%s", e.msg);
		status = EXIT_DATA;
	}
	for (j = 0; j < nids; j++)
		free(ids[j]);
	free(ids);
	ser_idmap_free(&seen);
	free(row);
	free(prob);
	free(nodes);
	ser_tsv_close(tsv);
	if (in != stdin)
		fclose(in);
	ser_model_free(&m);
	return cli_close_stdout(status);
}
