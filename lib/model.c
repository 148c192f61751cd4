#include "model.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <float.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "num.h"

#define MODEL_LINE_MAX (8u << 20) /* bytes per line of model.svm */
#define MODEL_CLASSES_MAX 1000
#define MODEL_SV_MAX 10000000L

static const char *const model_files[] = {
	"model.svm", "scaler.tsv", "classes.tsv", "description.tsv",
};
#define N_MODEL_FILES (sizeof model_files / sizeof model_files[0])

/* "dir/file" into a fresh string, or NULL. */
static char *
join_path(const char *dir, const char *file)
{
	size_t a = strlen(dir), b = strlen(file);
	char *p = malloc(a + b + 2);

	if (p == NULL)
		return NULL;
	memcpy(p, dir, a);
	p[a] = '/';
	memcpy(p + a + 1, file, b + 1);
	return p;
}

/* One line of fp into *buf (grown up to MODEL_LINE_MAX), without '\n'.
 * 1 = a line, 0 = EOF, -1 = error (e set). */
static int
get_line(FILE *fp, char **buf, size_t *cap, const char *path, unsigned long lineno, ser_error *e)
{
	size_t n = 0;
	int c;

	for (;;) {
		c = getc(fp);
		if (c == EOF) {
			if (ferror(fp))
				return ser_error_set(e, "%s:%lu: read error", path, lineno);
			if (n == 0)
				return 0;
			break;
		}
		if (c == '\n')
			break;
		if (c == '\0')
			return ser_error_set(e, "%s:%lu: NUL byte", path, lineno);
		if (n + 1 >= *cap) {
			size_t nc = *cap ? *cap * 2 : 4096;
			char *p;
			if (nc > MODEL_LINE_MAX)
				return ser_error_set(e, "%s:%lu: line too long", path, lineno);
			if ((p = realloc(*buf, nc)) == NULL)
				return ser_error_set(e, "out of memory");
			*buf = p;
			*cap = nc;
		}
		(*buf)[n++] = (char)c;
	}
	if (*buf == NULL) {
		if ((*buf = malloc(16)) == NULL)
			return ser_error_set(e, "out of memory");
		*cap = 16;
	}
	(*buf)[n] = '\0';
	return 1;
}


/* Parse the space-separated numbers of s: exactly want of them, each a
 * finite double (ints: integers in [lo, hi]). Sum of ints into *sum. */
static int
check_numbers(const char *s, long want, int ints, long lo, long hi, long *vals, const char *path,
              unsigned long lineno, const char *key, ser_error *e)
{
	long n = 0;
	ser_error sub;

	while (*s) {
		const char *w;
		size_t len;

		while (*s == ' ')
			s++;
		if (*s == '\0')
			break;
		w = s;
		while (*s && *s != ' ')
			s++;
		len = (size_t)(s - w);
		if (n >= want)
			return ser_error_set(e, "%s:%lu: '%s' has more than %ld values", path, lineno, key, want);
		if (ints) {
			int64_t v;
			if (ser_parse_i64_n(w, len, lo, hi, &v, &sub) != 0)
				return ser_error_set(e, "%s:%lu: '%s': %s", path, lineno, key, sub.msg);
			if (vals)
				vals[n] = (long)v;
		} else {
			double d;
			if (ser_parse_double_n(w, len, -DBL_MAX, DBL_MAX, &d, &sub) != 0)
				return ser_error_set(e, "%s:%lu: '%s': %s", path, lineno, key, sub.msg);
		}
		n++;
	}
	if (n != want)
		return ser_error_set(e, "%s:%lu: '%s' has %ld values, expected %ld", path, lineno, key, n, want);
	return 0;
}

/*
 * Check that path is a libsvm model of the kind ser writes (c_svc, rbf,
 * probability estimates) whose counts agree with its body, whose support
 * vectors have k-1 coefficients and indices 1..nfeat ascending. libsvm's
 * own loader trusts the header's counts; this is what makes it safe.
 * *k_out is nr_class.
 */
static int
check_svm_file(const char *path, size_t nfeat, size_t *k_out, ser_error *e)
{
	FILE *fp;
	char *line = NULL;
	size_t cap = 0;
	unsigned long lineno = 0;
	long k = 0, total = -1, nsv_sum = 0, nsv_lines = 0, labels[MODEL_CLASSES_MAX], nsv[MODEL_CLASSES_MAX];
	int seen_svm_type = 0, seen_kernel = 0, seen_gamma = 0, seen_rho = 0, seen_label = 0,
	    seen_proba = 0, seen_probb = 0, seen_nrsv = 0, in_sv = 0, rc;
	ser_error sub;

	if ((fp = fopen(path, "r")) == NULL)
		return ser_error_set(e, "%s: %s", path, strerror(errno));
	while ((rc = get_line(fp, &line, &cap, path, lineno + 1, e)) == 1) {
		char *sp, *key = line, *rest;

		lineno++;
		if (in_sv) {
			const char *s = line;
			long w = 0, prev = 0;

			nsv_lines++;
			if (nsv_lines > total) {
				ser_error_set(e, "%s:%lu: more support vectors than total_sv %ld", path, lineno, total);
				goto fail;
			}
			while (*s) {
				const char *wd, *colon;
				size_t len;
				while (*s == ' ')
					s++;
				if (*s == '\0')
					break;
				wd = s;
				while (*s && *s != ' ')
					s++;
				len = (size_t)(s - wd);
				if (w < k - 1) {
					double d;
					if (ser_parse_double_n(wd, len, -DBL_MAX, DBL_MAX, &d, &sub) != 0) {
						ser_error_set(e, "%s:%lu: coefficient: %s", path, lineno, sub.msg);
						goto fail;
					}
				} else {
					int64_t idx;
					double d;
					colon = memchr(wd, ':', len);
					if (colon == NULL ||
					    ser_parse_i64_n(wd, (size_t)(colon - wd), prev + 1, (int64_t)nfeat, &idx, &sub) != 0 ||
					    ser_parse_double_n(colon + 1, len - (size_t)(colon - wd) - 1, -DBL_MAX, DBL_MAX, &d,
					                       &sub) != 0) {
						ser_error_set(e, "%s:%lu: bad support vector element '%.*s' (need index:value, "
						              "indices ascending in 1..%zu)", path, lineno, (int)(len > 40 ? 40 : len),
						              wd, nfeat);
						goto fail;
					}
					prev = (long)idx;
				}
				w++;
			}
			if (w < k - 1) {
				ser_error_set(e, "%s:%lu: support vector with fewer than %ld coefficients", path, lineno, k - 1);
				goto fail;
			}
			continue;
		}
		sp = strchr(line, ' ');
		rest = sp ? sp + 1 : line + strlen(line);
		if (sp)
			*sp = '\0';
		if (strcmp(key, "SV") == 0 && sp == NULL) {
			in_sv = 1;
			if (k == 0 || total < 0 || !seen_rho || !seen_label || !seen_nrsv || !seen_gamma ||
			    !seen_svm_type || !seen_kernel) {
				ser_error_set(e, "%s:%lu: incomplete header", path, lineno);
				goto fail;
			}
			if (!seen_proba || !seen_probb) {
				ser_error_set(e, "%s: the model has no probability estimates (probA/probB)", path);
				goto fail;
			}
			if (nsv_sum != total) {
				ser_error_set(e, "%s: nr_sv sums to %ld, total_sv is %ld", path, nsv_sum, total);
				goto fail;
			}
			continue;
		}
		if (sp == NULL) {
			ser_error_set(e, "%s:%lu: '%.40s' without a value", path, lineno, key);
			goto fail;
		}
#define ONCE(flag)                                                                                  \
	do {                                                                                        \
		if (flag) {                                                                         \
			ser_error_set(e, "%s:%lu: '%s' given twice", path, lineno, key);            \
			goto fail;                                                                  \
		}                                                                                   \
		flag = 1;                                                                           \
	} while (0)
#define NEED_K()                                                                                    \
	do {                                                                                        \
		if (k == 0) {                                                                       \
			ser_error_set(e, "%s:%lu: '%s' before nr_class", path, lineno, key);        \
			goto fail;                                                                  \
		}                                                                                   \
	} while (0)
		if (strcmp(key, "svm_type") == 0) {
			ONCE(seen_svm_type);
			if (strcmp(rest, "c_svc") != 0) {
				ser_error_set(e, "%s:%lu: svm_type '%.20s', expected c_svc", path, lineno, rest);
				goto fail;
			}
		} else if (strcmp(key, "kernel_type") == 0) {
			ONCE(seen_kernel);
			if (strcmp(rest, "rbf") != 0) {
				ser_error_set(e, "%s:%lu: kernel_type '%.20s', expected rbf", path, lineno, rest);
				goto fail;
			}
		} else if (strcmp(key, "gamma") == 0) {
			ONCE(seen_gamma);
			if (check_numbers(rest, 1, 0, 0, 0, NULL, path, lineno, key, e) != 0)
				goto fail;
		} else if (strcmp(key, "nr_class") == 0) {
			long v;
			if (k != 0) {
				ser_error_set(e, "%s:%lu: 'nr_class' given twice", path, lineno);
				goto fail;
			}
			if (check_numbers(rest, 1, 1, 2, MODEL_CLASSES_MAX, &v, path, lineno, key, e) != 0)
				goto fail;
			k = v;
		} else if (strcmp(key, "total_sv") == 0) {
			long v;
			if (total >= 0) {
				ser_error_set(e, "%s:%lu: 'total_sv' given twice", path, lineno);
				goto fail;
			}
			if (check_numbers(rest, 1, 1, 1, MODEL_SV_MAX, &v, path, lineno, key, e) != 0)
				goto fail;
			total = v;
		} else if (strcmp(key, "rho") == 0) {
			NEED_K();
			ONCE(seen_rho);
			if (check_numbers(rest, k * (k - 1) / 2, 0, 0, 0, NULL, path, lineno, key, e) != 0)
				goto fail;
		} else if (strcmp(key, "probA") == 0 || strcmp(key, "probB") == 0) {
			NEED_K();
			if (key[4] == 'A')
				ONCE(seen_proba);
			else
				ONCE(seen_probb);
			if (check_numbers(rest, k * (k - 1) / 2, 0, 0, 0, NULL, path, lineno, key, e) != 0)
				goto fail;
		} else if (strcmp(key, "label") == 0) {
			long i, j;
			NEED_K();
			ONCE(seen_label);
			if (check_numbers(rest, k, 1, 1, MODEL_CLASSES_MAX, labels, path, lineno, key, e) != 0)
				goto fail;
			for (i = 0; i < k; i++)
				for (j = 0; j < i; j++)
					if (labels[i] == labels[j]) {
						ser_error_set(e, "%s:%lu: label %ld twice", path, lineno, labels[i]);
						goto fail;
					}
		} else if (strcmp(key, "nr_sv") == 0) {
			long i;
			NEED_K();
			ONCE(seen_nrsv);
			if (check_numbers(rest, k, 1, 0, MODEL_SV_MAX, nsv, path, lineno, key, e) != 0)
				goto fail;
			for (i = 0; i < k; i++)
				nsv_sum += nsv[i];
		} else {
			ser_error_set(e, "%s:%lu: unexpected '%.40s'", path, lineno, key);
			goto fail;
		}
#undef ONCE
#undef NEED_K
	}
	if (rc < 0)
		goto fail;
	if (!in_sv) {
		ser_error_set(e, "%s: no 'SV' section (truncated?)", path);
		goto fail;
	}
	if (nsv_lines != total) {
		ser_error_set(e, "%s: %ld support vectors, total_sv says %ld (truncated?)", path, nsv_lines, total);
		goto fail;
	}
	free(line);
	fclose(fp);
	*k_out = (size_t)k;
	return 0;
fail:
	free(line);
	fclose(fp);
	return -1;
}

/* Open dir/file for reading; the message names the path tried. */
static FILE *
open_in(const char *dir, const char *file, char **path, ser_error *e)
{
	FILE *fp;

	if ((*path = join_path(dir, file)) == NULL) {
		ser_error_set(e, "out of memory");
		return NULL;
	}
	if ((fp = fopen(*path, "r")) == NULL)
		ser_error_set(e, "%s: %s", *path, strerror(errno));
	return fp;
}

int
ser_model_load(const char *dir, ser_model *m, ser_error *e)
{
	char *path = NULL;
	FILE *fp;
	size_t k = 0, i;
	int *labels = NULL;
	long col;
	ser_ltable cl;
	struct stat st;

	memset(m, 0, sizeof *m);
	memset(&cl, 0, sizeof cl);
	if (stat(dir, &st) != 0)
		return ser_error_set(e, "%s: %s", dir, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return ser_error_set(e, "%s: not a directory", dir);

	/* scaler first: it says how many features the SVs may index */
	if ((fp = open_in(dir, "scaler.tsv", &path, e)) == NULL)
		goto fail;
	if (ser_scaler_read(fp, path, &m->scaler, e) != 0) {
		fclose(fp);
		goto fail;
	}
	fclose(fp);
	free(path);

	if ((path = join_path(dir, "model.svm")) == NULL) {
		ser_error_set(e, "out of memory");
		goto fail;
	}
	if (check_svm_file(path, m->scaler.n, &k, e) != 0)
		goto fail;
	if ((m->svm = svm_load_model(path)) == NULL) {
		ser_error_set(e, "%s: libsvm cannot load it", path);
		goto fail;
	}
	if (svm_check_probability_model(m->svm) == 0 || svm_get_svm_type(m->svm) != C_SVC ||
	    (size_t)svm_get_nr_class(m->svm) != k) {
		ser_error_set(e, "%s: not a C-SVC model with probability estimates", path);
		goto fail;
	}
	free(path);

	if ((fp = open_in(dir, "classes.tsv", &path, e)) == NULL)
		goto fail;
	if (ser_ltable_read(fp, path, &cl, e) != 0) {
		fclose(fp);
		goto fail;
	}
	fclose(fp);
	col = ser_ltable_col(&cl, "svm_label");
	if (col < 0 || cl.ncols != 1) {
		ser_error_set(e, "%s:1: the columns must be id, svm_label", path);
		goto fail;
	}
	if (cl.nrows != k) {
		ser_error_set(e, "%s: %zu classes, model.svm has %zu", path, cl.nrows, k);
		goto fail;
	}
	if ((labels = calloc(k, sizeof *labels)) == NULL || (m->classes = calloc(k, sizeof *m->classes)) == NULL) {
		ser_error_set(e, "out of memory");
		goto fail;
	}
	svm_get_labels(m->svm, labels);
	for (i = 0; i < k; i++) {
		int64_t v;
		ser_error sub;

		if (ser_parse_i64(cl.cells[i], INT_MIN, INT_MAX, &v, &sub) != 0) {
			ser_error_set(e, "%s:%lu: %s", path, cl.lines[i], sub.msg);
			goto fail;
		}
		if (v != labels[i]) {
			ser_error_set(e, "%s:%lu: class '%.64s' has label %lld, model.svm's label %zu is %d", path,
			              cl.lines[i], cl.ids[i], (long long)v, i + 1, labels[i]);
			goto fail;
		}
		m->classes[i] = cl.ids[i];
		cl.ids[i] = NULL;
		m->k = i + 1;
	}
	ser_ltable_free(&cl);
	free(labels);
	labels = NULL;
	free(path);

	if ((fp = open_in(dir, "description.tsv", &path, e)) == NULL)
		goto fail;
	if (ser_ltable_read(fp, path, &m->desc, e) != 0) {
		fclose(fp);
		goto fail;
	}
	fclose(fp);
	if (m->desc.ncols != 1) {
		ser_error_set(e, "%s:1: the columns must be id, value", path);
		goto fail;
	}
	free(path);
	return 0;
fail:
	free(path);
	free(labels);
	ser_ltable_free(&cl);
	ser_model_free(m);
	return -1;
}

void
ser_model_free(ser_model *m)
{
	size_t i;

	if (m->svm != NULL)
		svm_free_and_destroy_model(&m->svm);
	ser_scaler_free(&m->scaler);
	if (m->classes != NULL)
		for (i = 0; i < m->k; i++)
			free(m->classes[i]);
	free(m->classes);
	ser_ltable_free(&m->desc);
	memset(m, 0, sizeof *m);
}

const char *
ser_model_info(const ser_model *m, const char *key)
{
	return m->desc.nrows ? ser_ltable_get(&m->desc, key, 0) : NULL;
}

size_t
ser_model_predict(const ser_model *m, const double *row, struct svm_node *x, double *prob)
{
	size_t j, best = 0;

	for (j = 0; j < m->scaler.n; j++) {
		x[j].index = (int)j + 1;
		x[j].value = row[j];
	}
	x[m->scaler.n].index = -1;
	x[m->scaler.n].value = 0;
	svm_predict_probability(m->svm, x, prob);
	for (j = 1; j < m->k; j++)
		if (prob[j] > prob[best])
			best = j;
	return best;
}

/* fsync a file by path (data reaches the disk before the rename). */
static int
sync_path(const char *path, ser_error *e)
{
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return ser_error_set(e, "%s: %s", path, strerror(errno));
	if (fsync(fd) != 0) {
		int err = errno;
		close(fd);
		return ser_error_set(e, "%s: fsync: %s", path, strerror(err));
	}
	close(fd);
	return 0;
}

/* Remove the model files of dir and dir itself (best effort). */
static void
remove_model_dir(const char *dir)
{
	size_t i;

	for (i = 0; i < N_MODEL_FILES; i++) {
		char *p = join_path(dir, model_files[i]);
		if (p != NULL) {
			unlink(p);
			free(p);
		}
	}
	rmdir(dir);
}

/* Is dir (existing) a directory holding only model files? */
static int
is_model_dir(const char *dir, ser_error *e)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t i;

	if (d == NULL)
		return ser_error_set(e, "%s: %s", dir, strerror(errno));
	while ((de = readdir(d)) != NULL) {
		int known = strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0;
		for (i = 0; i < N_MODEL_FILES && !known; i++)
			known = strcmp(de->d_name, model_files[i]) == 0;
		if (!known) {
			ser_error_set(e, "%s: exists and is not a model directory (it holds '%.64s'); not replacing it",
			              dir, de->d_name);
			closedir(d);
			return -1;
		}
	}
	closedir(d);
	return 0;
}

static int
write_text(const char *dir, const char *file, int (*fn)(FILE *, const void *), const void *arg, ser_error *e)
{
	char *path = join_path(dir, file);
	FILE *fp;
	int bad;

	if (path == NULL)
		return ser_error_set(e, "out of memory");
	if ((fp = fopen(path, "w")) == NULL) {
		ser_error_set(e, "%s: %s", path, strerror(errno));
		free(path);
		return -1;
	}
	bad = fn(fp, arg) != 0;
	bad |= ferror(fp) != 0;
	bad |= fclose(fp) != 0;
	if (bad) {
		ser_error_set(e, "%s: write error", path);
		free(path);
		return -1;
	}
	if (sync_path(path, e) != 0) {
		free(path);
		return -1;
	}
	free(path);
	return 0;
}

static int
put_scaler(FILE *fp, const void *arg)
{
	return ser_scaler_write(fp, arg, NULL);
}

struct classes_arg {
	const struct svm_model *svm;
	char *const *names;
	size_t nnames;
};

static int
put_classes(FILE *fp, const void *arg)
{
	const struct classes_arg *a = arg;
	int k = svm_get_nr_class(a->svm), i, *labels = calloc((size_t)k, sizeof *labels);

	if (labels == NULL)
		return -1;
	svm_get_labels(a->svm, labels);
	fputs("id\tsvm_label\n", fp);
	for (i = 0; i < k; i++) {
		if (labels[i] < 1 || (size_t)labels[i] > a->nnames) {
			free(labels);
			return -1;
		}
		fprintf(fp, "%s\t%d\n", a->names[labels[i] - 1], labels[i]);
	}
	free(labels);
	return 0;
}

struct desc_arg {
	char *const *keys, *const *vals;
	size_t n;
};

static int
put_desc(FILE *fp, const void *arg)
{
	const struct desc_arg *a = arg;
	size_t i;

	fputs("id\tvalue\n", fp);
	for (i = 0; i < a->n; i++) {
		if (strpbrk(a->keys[i], "\t\n") || strpbrk(a->vals[i], "\t\n") || !a->keys[i][0] || !a->vals[i][0])
			return -1;
		fprintf(fp, "%s\t%s\n", a->keys[i], a->vals[i]);
	}
	return 0;
}

int
ser_model_save(const char *dir, const struct svm_model *svm, const ser_scaler *sc, char *const *names,
               size_t nnames, char *const *keys, char *const *vals, size_t ndesc, ser_error *e)
{
	size_t dl = strlen(dir);
	char *tmp = NULL, *old = NULL, *path = NULL;
	struct classes_arg ca = {svm, names, nnames};
	struct desc_arg da = {keys, vals, ndesc};
	struct stat st;
	int exists;

	while (dl > 1 && dir[dl - 1] == '/')
		dl--;
	if (dl == 0)
		return ser_error_set(e, "empty model directory name");
	exists = stat(dir, &st) == 0;
	if (exists && !S_ISDIR(st.st_mode))
		return ser_error_set(e, "%s: exists and is not a directory", dir);
	if (exists && is_model_dir(dir, e) != 0)
		return -1;
	if ((tmp = malloc(dl + 16)) == NULL || (old = malloc(dl + 16)) == NULL) {
		free(tmp);
		return ser_error_set(e, "out of memory");
	}
	memcpy(tmp, dir, dl);
	strcpy(tmp + dl, ".tmp.XXXXXX");
	memcpy(old, dir, dl);
	strcpy(old + dl, ".old.XXXXXX");
	if (mkdtemp(tmp) == NULL) {
		ser_error_set(e, "%.*s.tmp.XXXXXX: %s", (int)dl, dir, strerror(errno));
		goto fail_nodir;
	}
	chmod(tmp, 0755); /* mkdtemp made it 0700; an installed model is read by others */
	if (write_text(tmp, "scaler.tsv", put_scaler, sc, e) != 0 ||
	    write_text(tmp, "classes.tsv", put_classes, &ca, e) != 0 ||
	    write_text(tmp, "description.tsv", put_desc, &da, e) != 0)
		goto fail;
	if ((path = join_path(tmp, "model.svm")) == NULL) {
		ser_error_set(e, "out of memory");
		goto fail;
	}
	if (svm_save_model(path, svm) != 0) {
		ser_error_set(e, "%s: libsvm could not write it", path);
		goto fail;
	}
	if (sync_path(path, e) != 0)
		goto fail;
	free(path);
	path = NULL;
	if (exists) {
		/* rename onto an empty directory is allowed (POSIX rename) */
		if (mkdtemp(old) == NULL) {
			ser_error_set(e, "%s: %s", old, strerror(errno));
			goto fail;
		}
		if (rename(dir, old) != 0) {
			ser_error_set(e, "%s: cannot move the old model aside: %s", dir, strerror(errno));
			rmdir(old);
			goto fail;
		}
	}
	if (rename(tmp, dir) != 0) {
		ser_error_set(e, "%s: %s", dir, strerror(errno));
		if (exists)
			rename(old, dir);
		goto fail;
	}
	if (exists)
		remove_model_dir(old);
	free(tmp);
	free(old);
	return 0;
fail:
	free(path);
	remove_model_dir(tmp);
fail_nodir:
	free(tmp);
	free(old);
	return -1;
}
