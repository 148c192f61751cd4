#include "labelmap.h"

#include <stdlib.h>
#include <string.h>

#include "emotion.h"

void
ser_labelmap_init(ser_labelmap *m)
{
	memset(m, 0, sizeof *m);
}

void
ser_labelmap_free(ser_labelmap *m)
{
	size_t i;

	for (i = 0; i < m->nmap; i++) {
		free(m->from[i]);
		free(m->to[i]);
	}
	for (i = 0; i < m->ndrop; i++)
		free(m->drop[i]);
	free(m->from);
	free(m->to);
	free(m->drop);
	memset(m, 0, sizeof *m);
}

static int
good_label(const char *s)
{
	return s[0] != '\0' && strpbrk(s, "=\t\n\r") == NULL;
}

/* Append s to *v (n elements); s is copied. */
static int
push(char ***v, size_t n, const char *s, size_t len, ser_error *e)
{
	char **nv = realloc(*v, (n + 1) * sizeof **v);
	char *c;

	if (nv == NULL)
		return ser_error_set(e, "out of memory");
	*v = nv;
	if ((c = malloc(len + 1)) == NULL)
		return ser_error_set(e, "out of memory");
	memcpy(c, s, len);
	c[len] = '\0';
	nv[n] = c;
	return 0;
}

int
ser_labelmap_add_map(ser_labelmap *m, const char *spec, ser_error *e)
{
	const char *eq = strchr(spec, '=');
	size_t i;

	if (eq == NULL || eq == spec || eq[1] == '\0' || !good_label(eq + 1) ||
	    strpbrk(spec, "\t\n\r") != NULL)
		return ser_error_set(e, "'%.64s' is not FROM=TO", spec);
	for (i = 0; i < m->nmap; i++)
		if (strlen(m->from[i]) == (size_t)(eq - spec) && strncmp(m->from[i], spec, (size_t)(eq - spec)) == 0)
			return ser_error_set(e, "label '%s' is mapped twice", m->from[i]);
	if (push(&m->from, m->nmap, spec, (size_t)(eq - spec), e) != 0)
		return -1;
	if (push(&m->to, m->nmap, eq + 1, strlen(eq + 1), e) != 0) {
		free(m->from[m->nmap]);
		return -1;
	}
	m->nmap++;
	return 0;
}

int
ser_labelmap_add_drop(ser_labelmap *m, const char *label, ser_error *e)
{
	if (!good_label(label))
		return ser_error_set(e, "'%.64s' is not a label", label);
	if (push(&m->drop, m->ndrop, label, strlen(label), e) != 0)
		return -1;
	m->ndrop++;
	return 0;
}

const char *
ser_labelmap_apply(const ser_labelmap *m, const char *label)
{
	size_t i;

	for (i = 0; i < m->nmap; i++)
		if (strcmp(m->from[i], label) == 0) {
			label = m->to[i];
			break;
		}
	for (i = 0; i < m->ndrop; i++)
		if (strcmp(m->drop[i], label) == 0)
			return NULL;
	return label;
}

int
ser_class_cmp(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	int ix = ser_emotion_index(x), iy = ser_emotion_index(y);

	if (ix >= 0 && iy >= 0)
		return ix - iy;
	if (ix >= 0)
		return -1;
	if (iy >= 0)
		return 1;
	return strcmp(x, y);
}
