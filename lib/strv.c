#include "strv.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void
ser_strv_free(char **v, size_t n)
{
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static int
cmp_str_ptr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
ser_strv_distinct(char *const *v, size_t n, const char *name, const char *what, ser_error *e)
{
	char **s;
	size_t i;
	int rc = 0;

	if (n < 2)
		return 0;
	if (n > SIZE_MAX / sizeof *s)
		return ser_error_set(e, "%s: out of memory", name);
	s = malloc(n * sizeof *s);
	if (s == NULL)
		return ser_error_set(e, "%s: out of memory", name);
	memcpy(s, v, n * sizeof *s);
	qsort(s, n, sizeof *s, cmp_str_ptr);
	for (i = 1; i < n; i++)
		if (strcmp(s[i - 1], s[i]) == 0) {
			rc = ser_error_set(e, "%s: %s '%.64s' appears twice", name, what, s[i]);
			break;
		}
	free(s);
	return rc;
}
