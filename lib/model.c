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

#define MODEL_FILE_MAX ((size_t)512 << 20) /* bytes of model.svm */
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

/* model.svm whole into a NUL-terminated buffer. The size is fstat's (a
 * regular file's real size, capped), so nothing a header claims is
 * allocated. */
static int
read_whole(const char *path, char **out, size_t *len, ser_error *e)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK); /* a FIFO must not block */
	struct stat st;
	size_t n = 0, want;
	char *buf;

	if (fd < 0)
		return ser_error_set(e, "%s: %s", path, strerror(errno));
	if (fstat(fd, &st) != 0) {
		int err = errno;
		close(fd);
		return ser_error_set(e, "%s: %s", path, strerror(err));
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return ser_error_set(e, "%s: not a regular file", path);
	}
	if (st.st_size < 0 || (uintmax_t)st.st_size > MODEL_FILE_MAX) {
		close(fd);
		return ser_error_set(e, "%s: larger than %zu MB", path, MODEL_FILE_MAX >> 20);
	}
	want = (size_t)st.st_size;
	if ((buf = malloc(want + 1)) == NULL) {
		close(fd);
		return ser_error_set(e, "out of memory");
	}
	while (n < want) {
		ssize_t r = read(fd, buf + n, want - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int err = errno;
			free(buf);
			close(fd);
			return ser_error_set(e, "%s: read error: %s", path, strerror(err));
		}
		if (r == 0)
			break; /* shrank under us: what is there is parsed (and checked) */
		n += (size_t)r;
	}
	close(fd);
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return 0;
}

/* Grow *p (cap elements of size elem) to hold need; overflow-checked. */
static int
grow(void **p, size_t *cap, size_t need, size_t elem, ser_error *e)
{
	size_t nc = *cap ? *cap : 1024;
	void *q;

	if (need <= *cap)
		return 0;
	while (nc < need) {
		if (nc > SIZE_MAX / 2)
			return ser_error_set(e, "out of memory");
		nc *= 2;
	}
	if (nc > SIZE_MAX / elem || (q = realloc(*p, nc * elem)) == NULL)
		return ser_error_set(e, "out of memory");
	*p = q;
	*cap = nc;
	return 0;
}

/* The reader's position: one line [s, eol) at a time. */
typedef struct svm_reader {
	const char *path;
	unsigned long lineno;
	ser_error *e;
} svm_reader;

/* Next space-separated word of [*s, end) into [*w, *w + *len); 0 if none. */
static int
next_word(const char **s, const char *end, const char **w, size_t *len)
{
	const char *p = *s;

	while (p < end && *p == ' ')
		p++;
	if (p == end)
		return 0;
	*w = p;
	while (p < end && *p != ' ')
		p++;
	*len = (size_t)(p - *w);
	*s = p;
	return 1;
}

/* Exactly want numbers in [s, end): finite doubles into dv, or (dv NULL)
 * integers in [lo, hi] into iv. */
static int
get_numbers(const svm_reader *r, const char *s, const char *end, long want, double *dv, int *iv, long lo, long hi,
            const char *key)
{
	const char *w;
	size_t len;
	long n = 0;
	ser_error sub;

	while (next_word(&s, end, &w, &len)) {
		if (n >= want)
			return ser_error_set(r->e, "%s:%lu: '%s' has more than %ld values", r->path, r->lineno, key, want);
		if (dv != NULL) {
			if (ser_parse_double_n(w, len, -DBL_MAX, DBL_MAX, &dv[n], &sub) != 0)
				return ser_error_set(r->e, "%s:%lu: '%s': %s", r->path, r->lineno, key, sub.msg);
		} else {
			int64_t v;
			if (ser_parse_i64_n(w, len, lo, hi, &v, &sub) != 0)
				return ser_error_set(r->e, "%s:%lu: '%s': %s", r->path, r->lineno, key, sub.msg);
			iv[n] = (int)v;
		}
		n++;
	}
	if (n != want)
		return ser_error_set(r->e, "%s:%lu: '%s' has %ld values, expected %ld", r->path, r->lineno, key, n, want);
	return 0;
}

/* A fresh array of n elements for a header key, refusing a second one. */
static void *
header_array(const svm_reader *r, void *have, long n, size_t elem, const char *key)
{
	void *p;

	if (have != NULL) {
		ser_error_set(r->e, "%s:%lu: '%s' given twice", r->path, r->lineno, key);
		return NULL;
	}
	if ((p = calloc((size_t)n, elem)) == NULL)
		ser_error_set(r->e, "out of memory");
	return p;
}

/*
 * Read path, a libsvm model of the kind ser writes (c_svc, rbf,
 * probability estimates), into a struct svm_model in one pass. Unlike
 * libsvm's own svm_load_model, nothing is sized from the header's counts:
 * the support vectors, their coefficients and nodes grow with what the
 * file holds, and the counts must then agree with it. Every support
 * vector has k-1 finite coefficients and finite values at indices
 * ascending in 1..nfeat. The result has free_sv = 1 with SV[0] the one
 * node block, so svm_free_and_destroy_model frees it as libsvm's own.
 */
static int
read_svm_model(const char *path, size_t nfeat, struct svm_model **out, ser_error *e)
{
	char *buf = NULL;
	const char *p, *end, *nul;
	size_t size = 0, nnodes = 0, capnodes = 0, capcf = 0, capstart = 0, l = 0, i;
	struct svm_node *nodes = NULL;
	double *cf = NULL; /* l tuples of k-1 coefficients, transposed at the end */
	size_t *start = NULL;
	struct svm_model *m = NULL;
	svm_reader r = {path, 0, e};
	long k = 0, total = -1, nsv_sum = 0, npair = 0;
	int seen_svm_type = 0, seen_kernel = 0, seen_gamma = 0, in_sv = 0;
	ser_error sub;
	int64_t maxidx = nfeat > INT_MAX ? INT_MAX : (int64_t)nfeat; /* svm_node.index is an int */

	if (read_whole(path, &buf, &size, e) != 0)
		return -1;
	if ((nul = memchr(buf, '\0', size)) != NULL) {
		for (p = buf, r.lineno = 1; p < nul; p++)
			r.lineno += *p == '\n';
		ser_error_set(e, "%s:%lu: NUL byte", path, r.lineno);
		goto fail;
	}
	if ((m = calloc(1, sizeof *m)) == NULL) {
		ser_error_set(e, "out of memory");
		goto fail;
	}
	m->free_sv = 1;
	m->param.svm_type = C_SVC;
	m->param.kernel_type = RBF;
	end = buf + size;
	for (p = buf; p < end;) {
		const char *eol = memchr(p, '\n', (size_t)(end - p)), *s, *w, *sp, *rest;
		size_t len, klen;

		if (eol == NULL)
			eol = end;
		r.lineno++;
		s = p;
		p = eol + (eol < end);
		if (in_sv) {
			long nw = 0, prev = 0;

			if ((long)l >= total) {
				ser_error_set(e, "%s:%lu: more support vectors than total_sv %ld", path, r.lineno, total);
				goto fail;
			}
			if (grow((void **)&start, &capstart, l + 1, sizeof *start, e) != 0 ||
			    grow((void **)&cf, &capcf, (l + 1) * (size_t)(k - 1), sizeof *cf, e) != 0)
				goto fail;
			start[l] = nnodes;
			while (next_word(&s, eol, &w, &len)) {
				if (nw < k - 1) {
					if (ser_parse_double_n(w, len, -DBL_MAX, DBL_MAX, &cf[l * (size_t)(k - 1) + (size_t)nw],
					                       &sub) != 0) {
						ser_error_set(e, "%s:%lu: coefficient: %s", path, r.lineno, sub.msg);
						goto fail;
					}
				} else {
					const char *colon = memchr(w, ':', len);
					int64_t idx;
					double d;

					if (colon == NULL ||
					    ser_parse_i64_n(w, (size_t)(colon - w), prev + 1, maxidx, &idx, &sub) != 0 ||
					    ser_parse_double_n(colon + 1, len - (size_t)(colon - w) - 1, -DBL_MAX, DBL_MAX, &d,
					                       &sub) != 0) {
						ser_error_set(e, "%s:%lu: bad support vector element '%.*s' (need index:value, "
						              "indices ascending in 1..%zu)", path, r.lineno,
						              (int)(len > 40 ? 40 : len), w, nfeat);
						goto fail;
					}
					/* nnodes + 2 <= total bytes read: cannot overflow */
					if (grow((void **)&nodes, &capnodes, nnodes + 2, sizeof *nodes, e) != 0)
						goto fail;
					nodes[nnodes].index = (int)idx;
					nodes[nnodes].value = d;
					nnodes++;
					prev = (long)idx;
				}
				nw++;
			}
			if (nw < k - 1) {
				ser_error_set(e, "%s:%lu: support vector with fewer than %ld coefficients", path, r.lineno, k - 1);
				goto fail;
			}
			if (grow((void **)&nodes, &capnodes, nnodes + 1, sizeof *nodes, e) != 0)
				goto fail;
			nodes[nnodes].index = -1;
			nodes[nnodes].value = 0;
			nnodes++;
			l++;
			continue;
		}
		sp = memchr(s, ' ', (size_t)(eol - s));
		klen = (size_t)((sp ? sp : eol) - s);
		rest = sp ? sp + 1 : eol;
#define KEY(name) (klen == sizeof name - 1 && memcmp(s, name, klen) == 0)
#define REST(word) ((size_t)(eol - rest) == sizeof word - 1 && memcmp(rest, word, sizeof word - 1) == 0)
#define ONCE(flag)                                                                                  \
	do {                                                                                        \
		if (flag) {                                                                         \
			ser_error_set(e, "%s:%lu: '%.*s' given twice", path, r.lineno, (int)klen, s); \
			goto fail;                                                                  \
		}                                                                                   \
		flag = 1;                                                                           \
	} while (0)
#define NEED_K(key)                                                                                 \
	do {                                                                                        \
		if (k == 0) {                                                                       \
			ser_error_set(e, "%s:%lu: '%s' before nr_class", path, r.lineno, key);      \
			goto fail;                                                                  \
		}                                                                                   \
	} while (0)
		if (KEY("SV") && sp == NULL) {
			in_sv = 1;
			if (k == 0 || total < 0 || m->rho == NULL || m->label == NULL || m->nSV == NULL || !seen_gamma ||
			    !seen_svm_type || !seen_kernel) {
				ser_error_set(e, "%s:%lu: incomplete header", path, r.lineno);
				goto fail;
			}
			if (m->probA == NULL || m->probB == NULL) {
				ser_error_set(e, "%s:%lu: the model has no probability estimates (probA/probB)", path,
				              r.lineno);
				goto fail;
			}
			if (nsv_sum != total) {
				ser_error_set(e, "%s:%lu: nr_sv sums to %ld, total_sv is %ld", path, r.lineno, nsv_sum, total);
				goto fail;
			}
			continue;
		}
		if (sp == NULL) {
			ser_error_set(e, "%s:%lu: '%.*s' without a value", path, r.lineno, (int)(klen > 40 ? 40 : klen), s);
			goto fail;
		}
		if (KEY("svm_type")) {
			ONCE(seen_svm_type);
			if (!REST("c_svc")) {
				ser_error_set(e, "%s:%lu: svm_type '%.*s', expected c_svc", path, r.lineno,
				              (int)(eol - rest > 20 ? 20 : eol - rest), rest);
				goto fail;
			}
		} else if (KEY("kernel_type")) {
			ONCE(seen_kernel);
			if (!REST("rbf")) {
				ser_error_set(e, "%s:%lu: kernel_type '%.*s', expected rbf", path, r.lineno,
				              (int)(eol - rest > 20 ? 20 : eol - rest), rest);
				goto fail;
			}
		} else if (KEY("gamma")) {
			ONCE(seen_gamma);
			if (get_numbers(&r, rest, eol, 1, &m->param.gamma, NULL, 0, 0, "gamma") != 0)
				goto fail;
		} else if (KEY("nr_class")) {
			int v;
			if (k != 0) {
				ser_error_set(e, "%s:%lu: 'nr_class' given twice", path, r.lineno);
				goto fail;
			}
			if (get_numbers(&r, rest, eol, 1, NULL, &v, 2, MODEL_CLASSES_MAX, "nr_class") != 0)
				goto fail;
			k = v;
			npair = k * (k - 1) / 2;
			m->nr_class = v;
		} else if (KEY("total_sv")) {
			int v;
			if (total >= 0) {
				ser_error_set(e, "%s:%lu: 'total_sv' given twice", path, r.lineno);
				goto fail;
			}
			if (get_numbers(&r, rest, eol, 1, NULL, &v, 1, MODEL_SV_MAX, "total_sv") != 0)
				goto fail;
			total = v;
		} else if (KEY("rho") || KEY("probA") || KEY("probB")) {
			double **dst = KEY("rho") ? &m->rho : KEY("probA") ? &m->probA : &m->probB;
			char key[8];
			snprintf(key, sizeof key, "%.*s", (int)klen, s);
			NEED_K(key);
			if ((*dst = header_array(&r, *dst, npair, sizeof **dst, key)) == NULL)
				goto fail;
			if (get_numbers(&r, rest, eol, npair, *dst, NULL, 0, 0, key) != 0)
				goto fail;
		} else if (KEY("label")) {
			long a, b;
			NEED_K("label");
			if ((m->label = header_array(&r, m->label, k, sizeof *m->label, "label")) == NULL)
				goto fail;
			if (get_numbers(&r, rest, eol, k, NULL, m->label, 1, MODEL_CLASSES_MAX, "label") != 0)
				goto fail;
			for (a = 0; a < k; a++)
				for (b = 0; b < a; b++)
					if (m->label[a] == m->label[b]) {
						ser_error_set(e, "%s:%lu: label %d twice", path, r.lineno, m->label[a]);
						goto fail;
					}
		} else if (KEY("nr_sv")) {
			long a;
			NEED_K("nr_sv");
			if ((m->nSV = header_array(&r, m->nSV, k, sizeof *m->nSV, "nr_sv")) == NULL)
				goto fail;
			if (get_numbers(&r, rest, eol, k, NULL, m->nSV, 0, MODEL_SV_MAX, "nr_sv") != 0)
				goto fail;
			for (a = 0; a < k; a++)
				nsv_sum += m->nSV[a]; /* k * MODEL_SV_MAX fits a long */
		} else {
			ser_error_set(e, "%s:%lu: unexpected '%.*s'", path, r.lineno, (int)(klen > 40 ? 40 : klen), s);
			goto fail;
		}
#undef KEY
#undef REST
#undef ONCE
#undef NEED_K
	}
	if (!in_sv) {
		ser_error_set(e, "%s:%lu: no 'SV' section (truncated?)", path, r.lineno);
		goto fail;
	}
	if ((long)l != total) {
		ser_error_set(e, "%s:%lu: %zu support vectors, total_sv says %ld (truncated?)", path, r.lineno, l, total);
		goto fail;
	}
	/* l >= 1 (total_sv >= 1): nodes holds at least l terminators */
	if ((m->SV = malloc(l * sizeof *m->SV)) == NULL) {
		ser_error_set(e, "out of memory");
		goto fail;
	}
	for (i = 0; i < l; i++)
		m->SV[i] = nodes + start[i];
	m->l = (int)l;
	nodes = NULL; /* m->SV[0] owns it now */
	if ((m->sv_coef = calloc((size_t)(k - 1), sizeof *m->sv_coef)) == NULL) {
		ser_error_set(e, "out of memory");
		goto fail;
	}
	for (k--; k > 0; k--) {
		double *row = malloc(l * sizeof *row);
		if ((m->sv_coef[k - 1] = row) == NULL) {
			ser_error_set(e, "out of memory");
			goto fail;
		}
		for (i = 0; i < l; i++)
			row[i] = cf[i * (size_t)(m->nr_class - 1) + (size_t)(k - 1)];
	}
	free(start);
	free(cf);
	free(buf);
	*out = m;
	return 0;
fail:
	free(nodes);
	free(start);
	free(cf);
	free(buf);
	if (m != NULL)
		svm_free_and_destroy_model(&m);
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
	if (read_svm_model(path, m->scaler.n, &m->svm, e) != 0)
		goto fail;
	k = (size_t)m->svm->nr_class;
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
