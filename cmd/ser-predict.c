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
#include "json.h"
#include "model.h"
#include "num.h"
#include "table.h"

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

/* One JSON Lines row in the web response's shape (DESIGN.md), through the
 * one JSON writer. */
static int
json_row(const ser_model *m, const char *id, size_t best, const double *prob, ser_error *e)
{
	ser_json j;
	size_t i;
	int rc;

	ser_json_init(&j);
	ser_json_raw(&j, "{\"id\": ");
	ser_json_str(&j, id);
	ser_json_raw(&j, ", \"predicted_emotion\": ");
	ser_json_str(&j, m->classes[best]);
	ser_json_raw(&j, ", \"confidence\": ");
	ser_json_num(&j, prob[best]);
	ser_json_raw(&j, ", \"probabilities\": {");
	for (i = 0; i < m->k; i++) {
		ser_json_raw(&j, i ? ", " : "");
		ser_json_str(&j, m->classes[i]);
		ser_json_raw(&j, ": ");
		ser_json_num(&j, prob[i]);
	}
	ser_json_raw(&j, "}}\n");
	if ((rc = ser_json_finish(&j, e)) == 0)
		fwrite(j.out.data, 1, j.out.len, stdout);
	ser_json_free(&j);
	return rc;
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
	ser_fstream *fs;
	const char *id;
	char buf[40];
	size_t j;
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
	if ((fs = ser_fstream_open(in, name, m.scaler.names, m.scaler.n, "the model's", &e)) == NULL)
		cli_die(EXIT_DATA, "%s", e.msg);
	prob = calloc(m.k, sizeof *prob);
	nodes = calloc(m.scaler.n + 1, sizeof *nodes);
	if (prob == NULL || nodes == NULL)
		cli_die(EXIT_DATA, "out of memory");
	if (!json) {
		fputs("id\tpredicted\tconfidence", stdout);
		for (j = 0; j < m.k; j++)
			printf("\t%s", m.classes[j]);
		putchar('\n');
	}
	while ((rc = ser_fstream_next(fs, &id, &row, &e)) == 1) {
		size_t best = ser_model_predict(&m, row, nodes, prob);
		if (json) {
			if (json_row(&m, id, best, prob, &e) != 0) {
				rc = -1;
				break;
			}
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
	free(prob);
	free(nodes);
	ser_fstream_close(fs);
	if (in != stdin)
		fclose(in);
	ser_model_free(&m);
	return cli_close_stdout(status);
}
