/*
 * ser-plot - draw a probability table, a timeline of windowed predictions,
 * or a confusion matrix through gnuplot, as PNG, SVG or a data: URI.
 * See man/ser-plot.1.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../lib/base64.h"
#include "../lib/emotion.h"
#include "../lib/gnuplot.h"
#include "../lib/num.h"
#include "../lib/plot.h"
#include "../lib/probs.h"
#include "../lib/tsv.h"
#include "cli.h"

static const char usage_text[] =
	"usage: ser-plot [-d] [-f format] [-i id] [-k kind] [-o file] [-s WxH] [-t title]\n"
	"                [file]\n"
	"       ser-plot --palette\n"
	"       ser-plot -h | --help | --version\n"
	"\n"
	"  -k, --kind KIND    bar, pie, both (bar and pie side by side), timeline or\n"
	"                     confusion; default: from the table\n"
	"      --confusion    the same as --kind confusion\n"
	"  -o, --output FILE  write here (- = stdout, the default); %d (row number) or\n"
	"                     %s (id) in FILE make one chart per row\n"
	"  -i, --id ID        draw only the row ID (or the timeline of recording ID)\n"
	"  -f, --format FMT   png or svg (default: by the extension of FILE, else png)\n"
	"  -s, --size WxH     size in pixels (default depends on the kind)\n"
	"  -t, --title TEXT   title (default: the id; '' for none)\n"
	"  -d, --data-uri     write a data:image/png;base64,... URI instead of the image\n"
	"      --palette      print each class and its colour, NAME<TAB>#RRGGBB\n"
	"  -h, --help         this text\n"
	"      --version      the version\n";

/* The temporary file of an atomic write, removed if a signal ends us. */
static char *volatile tmp_path;

static void
on_signal(int sig)
{
	if (tmp_path)
		unlink(tmp_path);
	signal(sig, SIG_DFL);
	raise(sig);
}

/*
 * Write data to path through a temporary file in the same directory and a
 * rename, so readers never see half a chart. Mode 0666 less the umask, as a
 * plain creat() would give.
 */
static int
write_atomic(const char *path, const void *data, size_t n)
{
	size_t pl = strlen(path);
	char *tmp = malloc(pl + sizeof ".XXXXXX");
	mode_t mask;
	int fd, err = 0;
	size_t off = 0;

	if (tmp == NULL)
		cli_die(EXIT_DATA, "out of memory");
	memcpy(tmp, path, pl);
	memcpy(tmp + pl, ".XXXXXX", sizeof ".XXXXXX");
	fd = mkstemp(tmp);
	if (fd < 0) {
		cli_warn("%s: cannot create: %s", path, strerror(errno));
		free(tmp);
		return -1;
	}
	tmp_path = tmp;
	mask = umask(0);
	umask(mask);
	if (fchmod(fd, 0666 & ~mask) != 0)
		err = errno;
	while (!err && off < n) {
		ssize_t w = write(fd, (const char *)data + off, n - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			err = errno;
		else
			off += (size_t)w;
	}
	if (close(fd) != 0 && !err)
		err = errno;
	if (!err && rename(tmp, path) != 0)
		err = errno;
	if (err) {
		unlink(tmp);
		cli_warn("%s: %s", path, strerror(err));
	}
	tmp_path = NULL;
	free(tmp);
	return err ? -1 : 0;
}

/* Does the -o value hold a %d or %s? Exits 2 on any other % sequence. */
static int
is_pattern(const char *s)
{
	int pat = 0;

	for (; *s; s++) {
		if (*s != '%')
			continue;
		s++;
		if (*s == 'd' || *s == 's')
			pat = 1;
		else if (*s != '%')
			cli_usage_error("option --output: only %%d, %%s and %%%% may follow '%%'");
	}
	return pat;
}

/* Expand %d (1-based row number), %s (id with every byte outside
 * [A-Za-z0-9._-] as '_') and %% of pattern. malloc'd. */
static char *
expand(const char *pattern, size_t row, const char *id)
{
	ser_buf b = {0};
	const char *s;

	for (s = pattern; *s; s++) {
		if (*s != '%') {
			ser_buf_add(&b, s, 1);
			continue;
		}
		s++;
		if (*s == 'd')
			ser_buf_printf(&b, "%zu", row + 1);
		else if (*s == 's') {
			const char *p;
			for (p = id; *p; p++) {
				char c = *p;
				if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
				      (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
					c = '_';
				ser_buf_add(&b, &c, 1);
			}
		} else
			ser_buf_add(&b, "%", 1);
	}
	if (ser_buf_add(&b, "", 0) != 0)
		cli_die(EXIT_DATA, "out of memory");
	return b.data;
}

struct job {
	const char *gnuplot;
	ser_plot_opts opts;
	int data_uri;
};

/* Run one script through gnuplot and write the result to out (NULL or "-"
 * = stdout). Returns 0 or 1 (the exit status). */
static int
render(const struct job *j, const ser_buf *script, const char *out)
{
	ser_buf img = {0}, err = {0}, uri = {0};
	const void *data;
	size_t n;
	ser_error e;
	int rc = 0;

	if (ser_gnuplot_run(j->gnuplot, script->data, script->len, &img, &err, &e) != 0) {
		if (err.len)
			fprintf(stderr, "%.*s%s", (int)err.len, err.data,
			        err.data[err.len - 1] == '\n' ? "" : "\n");
		cli_warn("%s", e.msg);
		rc = 1;
		goto done;
	}
	if (img.len == 0) {
		cli_warn("gnuplot drew nothing");
		rc = 1;
		goto done;
	}
	data = img.data;
	n = img.len;
	if (j->data_uri) {
		const char *head = j->opts.format == SER_PLOT_SVG ? "data:image/svg+xml;base64,"
		                                                  : "data:image/png;base64,";
		size_t hl = strlen(head), blen = ser_base64_len(img.len, &e);
		char *u = blen && blen <= SIZE_MAX - hl - 2 ? malloc(hl + blen + 2) : NULL;
		if (u == NULL) {
			cli_warn("out of memory for the data: URI");
			rc = 1;
			goto done;
		}
		memcpy(u, head, hl);
		ser_base64_encode((const unsigned char *)img.data, img.len, u + hl);
		u[hl + blen] = '\n';
		uri.data = u;
		uri.len = uri.cap = hl + blen + 1;
		data = uri.data;
		n = uri.len;
	}
	if (out == NULL || strcmp(out, "-") == 0) {
		if (fwrite(data, 1, n, stdout) != n) {
			cli_warn("error writing standard output: %s", strerror(errno));
			rc = 1;
		}
	} else if (write_atomic(out, data, n) != 0)
		rc = 1;
done:
	ser_buf_free(&img);
	ser_buf_free(&err);
	ser_buf_free(&uri);
	return rc;
}

static int
parse_kind(const char *s)
{
	static const struct {
		const char *name;
		int kind;
	} k[] = {{"bar", SER_PLOT_BAR},           {"pie", SER_PLOT_PIE},
	         {"both", SER_PLOT_BOTH},         {"timeline", SER_PLOT_TIMELINE},
	         {"confusion", SER_PLOT_CONFUSION}};
	size_t i;

	for (i = 0; i < sizeof k / sizeof *k; i++)
		if (strcmp(s, k[i].name) == 0)
			return k[i].kind;
	cli_usage_error("option --kind: '%.32s' is not bar, pie, both, timeline or confusion", s);
}

static void
parse_size(const char *s, int *w, int *h)
{
	const char *x = strchr(s, 'x');
	ser_error e;
	int64_t a, b;

	if (x == NULL)
		cli_usage_error("option --size: '%.32s' is not WIDTHxHEIGHT", s);
	if (ser_parse_i64_n(s, (size_t)(x - s), SER_PLOT_SIZE_MIN, SER_PLOT_SIZE_MAX, &a, &e) != 0 ||
	    ser_parse_i64(x + 1, SER_PLOT_SIZE_MIN, SER_PLOT_SIZE_MAX, &b, &e) != 0)
		cli_usage_error("option --size: %s", e.msg);
	*w = (int)a;
	*h = (int)b;
}

static int
ends_with(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);

	return n >= m && strcasecmp(s + n - m, suf) == 0;
}

/* Charts of a probability table: one per selected row, or one timeline. */
static int
plot_probs(struct job *j, const ser_probs *P, int kind, const char *id, const char *out,
           int sized)
{
	size_t i, *rows = NULL, nsel = 0, namelen = 0, n0 = 0;
	double *secs = NULL, s;
	const char *name = NULL;
	ser_buf script = {0};
	ser_error e;
	int rc = 0, pattern = out && is_pattern(out), all_tl = 1;
	long r;

	/* An exact id match selects one row; else --id may name a recording. */
	r = id ? ser_probs_find(P, id) : -1;
	if (r >= 0 && kind == 0)
		kind = SER_PLOT_BOTH;
	if (kind == 0 || kind == SER_PLOT_TIMELINE) {
		rows = malloc(P->nrows * sizeof *rows);
		secs = malloc(P->nrows * sizeof *secs);
		if (rows == NULL || secs == NULL)
			cli_die(EXIT_DATA, "out of memory");
		for (i = 0; i < P->nrows && all_tl; i++) {
			if (ser_plot_timeline_id(P->ids[i], &namelen, &s) != 0) {
				all_tl = 0;
				break;
			}
			if (id && (namelen != strlen(id) || memcmp(P->ids[i], id, namelen) != 0))
				continue;
			if (nsel == 0) {
				name = P->ids[i];
				n0 = namelen;
			} else if (namelen != n0 || memcmp(P->ids[i], name, n0) != 0)
				all_tl = 0;
			rows[nsel] = i;
			secs[nsel++] = s;
		}
		if (kind == 0)
			kind = all_tl && nsel >= 2 ? SER_PLOT_TIMELINE : SER_PLOT_BOTH;
		else if (!all_tl || nsel == 0) {
			free(rows);
			free(secs);
			cli_die(EXIT_DATA, "a timeline needs ids NAME@SECONDS of one recording%s",
			        id ? " (none match --id)" : "; choose one with --id NAME");
		}
	}
	if (!sized)
		ser_plot_default_size(kind, &j->opts.width, &j->opts.height);
	j->opts.kind = kind;

	if (kind == SER_PLOT_TIMELINE) {
		/* sort the windows by start time (insertion: tables come sorted) */
		size_t a, b;
		char *nm;
		for (a = 1; a < nsel; a++)
			for (b = a; b > 0 && secs[b - 1] > secs[b]; b--) {
				double ts = secs[b];
				size_t tr = rows[b];
				secs[b] = secs[b - 1], rows[b] = rows[b - 1];
				secs[b - 1] = ts, rows[b - 1] = tr;
			}
		nm = strndup(name, n0);
		if (nm == NULL)
			cli_die(EXIT_DATA, "out of memory");
		if (ser_plot_timeline_script(&j->opts, P, rows, secs, nsel, nm, &script, &e) != 0) {
			cli_warn("%s", e.msg);
			rc = 1;
		} else {
			char *path = pattern ? expand(out, 0, nm) : NULL;
			rc = render(j, &script, path ? path : out);
			free(path);
		}
		free(nm);
		goto done;
	}

	if (id && r < 0)
		cli_die(EXIT_DATA, "no row with id '%.200s'", id);
	if (r < 0 && P->nrows > 1 && !pattern)
		cli_die(EXIT_DATA, "%zu rows: choose one with --id, or give --output a pattern with "
		                   "%%d or %%s for one chart per row", P->nrows);
	for (i = r >= 0 ? (size_t)r : 0; i < P->nrows && rc == 0; i++) {
		char *path = pattern ? expand(out, i, P->ids[i]) : NULL;
		script.len = 0;
		if (ser_plot_probs_script(&j->opts, P, i, &script, &e) != 0) {
			cli_warn("%s", e.msg);
			rc = 1;
		} else
			rc = render(j, &script, path ? path : out);
		free(path);
		if (r >= 0)
			break;
	}
done:
	ser_buf_free(&script);
	free(rows);
	free(secs);
	return rc;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"data-uri", no_argument, NULL, 'd'},  {"format", required_argument, NULL, 'f'},
		{"id", required_argument, NULL, 'i'},  {"kind", required_argument, NULL, 'k'},
		{"output", required_argument, NULL, 'o'}, {"size", required_argument, NULL, 's'},
		{"title", required_argument, NULL, 't'}, {"palette", no_argument, NULL, 'P'},
		{"confusion", no_argument, NULL, 'C'},
		{"help", no_argument, NULL, 'h'},      {"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	struct job j;
	const char *out = NULL, *id = NULL, *format = NULL, *inname;
	int c, kind = 0, sized = 0, palette = 0, rc;
	char *path;
	FILE *fp;
	ser_tsv *t;
	ser_error e;

	cli_init("ser-plot");
	memset(&j, 0, sizeof j);
	while ((c = getopt_long(argc, argv, "df:i:k:o:s:t:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'd': j.data_uri = 1; break;
		case 'f': format = optarg; break;
		case 'i': id = optarg; break;
		case 'k': kind = parse_kind(optarg); break;
		case 'o': out = optarg; break;
		case 's': parse_size(optarg, &j.opts.width, &j.opts.height); sized = 1; break;
		case 't': j.opts.title = optarg; break;
		case 'P': palette = 1; break;
		case 'C': kind = SER_PLOT_CONFUSION; break;
		case 'h': fputs(usage_text, stdout); return cli_close_stdout(0);
		case 'V': cli_version();
		default: cli_usage_error("unknown option (see the usage)");
		}
	}
	if (palette) {
		int k;
		if (optind != argc || out || id || format || kind || sized || j.opts.title || j.data_uri)
			cli_usage_error("--palette takes no other option or file");
		for (k = 0; k < SER_N_EMOTIONS; k++)
			printf("%s\t%s\n", ser_emotion_names[k], ser_emotion_colors[k]);
		return cli_close_stdout(0);
	}
	if (argc - optind > 1)
		cli_usage_error("one table at a time");
	if (out && *out == '\0')
		cli_usage_error("option --output: empty file name");
	if (format) {
		if (strcmp(format, "png") == 0)
			j.opts.format = SER_PLOT_PNG;
		else if (strcmp(format, "svg") == 0)
			j.opts.format = SER_PLOT_SVG;
		else
			cli_usage_error("option --format: '%.32s' is not png or svg", format);
	} else
		j.opts.format = out && ends_with(out, ".svg") ? SER_PLOT_SVG : SER_PLOT_PNG;
	if (out && is_pattern(out) && strcmp(out, "-") == 0)
		cli_usage_error("option --output: a pattern cannot be stdout");
	if ((out == NULL || strcmp(out, "-") == 0) && !j.data_uri && isatty(STDOUT_FILENO))
		cli_usage_error("not writing an image to a terminal: use -o FILE or --data-uri");

	path = ser_gnuplot_find(getenv("PATH"));
	if (path == NULL)
		cli_die(EXIT_DATA, "gnuplot not found on PATH (install gnuplot-nox)");
	j.gnuplot = path;
	signal(SIGPIPE, SIG_IGN);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);

	if (optind < argc && strcmp(argv[optind], "-") != 0) {
		inname = argv[optind];
		fp = fopen(inname, "r");
		if (fp == NULL)
			cli_die(EXIT_DATA, "%s: %s", inname, strerror(errno));
	} else {
		inname = "<stdin>";
		fp = stdin;
	}
	t = ser_tsv_open(fp, inname, &e);
	if (t == NULL)
		cli_die(EXIT_DATA, "%s", e.msg);
	if (kind == SER_PLOT_CONFUSION ||
	    (kind == 0 && (ser_tsv_ncols(t) < 2 || strcmp(ser_tsv_colname(t, 1), "predicted") != 0))) {
		ser_confusion C;
		ser_buf script = {0};
		if (ser_confusion_from_tsv(t, &C, &e) != 0)
			cli_die(EXIT_DATA, "%s", e.msg);
		ser_tsv_close(t);
		if (id)
			cli_usage_error("option --id: a confusion matrix is drawn whole");
		j.opts.kind = SER_PLOT_CONFUSION;
		if (!sized)
			ser_plot_default_size(SER_PLOT_CONFUSION, &j.opts.width, &j.opts.height);
		if (ser_plot_confusion_script(&j.opts, &C, &script, &e) != 0) {
			cli_warn("%s", e.msg);
			rc = 1;
		} else {
			char *p = out && is_pattern(out) ? expand(out, 0, "confusion") : NULL;
			rc = render(&j, &script, p ? p : out);
			free(p);
		}
		ser_buf_free(&script);
		ser_confusion_free(&C);
	} else {
		ser_probs P;
		if (ser_probs_from_tsv(t, &P, &e) != 0)
			cli_die(EXIT_DATA, "%s", e.msg);
		ser_tsv_close(t);
		rc = plot_probs(&j, &P, kind, id, out, sized);
		ser_probs_free(&P);
	}
	if (fp != stdin)
		fclose(fp);
	free(path);
	return cli_close_stdout(rc);
}
