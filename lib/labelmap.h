/*
 * labelmap.h - what a recipe does to corpus labels before training or
 * evaluation: rename some (`calm=neutral`) and drop others (`boredom`), and
 * the order of class names (DESIGN.md "The seven classes" first, in their
 * fixed order, then any other label in byte order).
 */
#ifndef SER_LABELMAP_H
#define SER_LABELMAP_H

#include <stddef.h>

#include "error.h"

typedef struct ser_labelmap {
	size_t nmap, ndrop;
	char **from, **to; /* nmap each */
	char **drop;       /* ndrop */
} ser_labelmap;

void ser_labelmap_init(ser_labelmap *m);
void ser_labelmap_free(ser_labelmap *m);
/* Add "FROM=TO" (both non-empty, no '='/tab/newline in either). */
int ser_labelmap_add_map(ser_labelmap *m, const char *spec, ser_error *e);
/* Add a label to drop (non-empty). */
int ser_labelmap_add_drop(ser_labelmap *m, const char *label, ser_error *e);
/* The label after mapping, or NULL if it is dropped. A label is mapped
 * once (no chains) and dropping is tested after mapping. */
const char *ser_labelmap_apply(const ser_labelmap *m, const char *label);

/* qsort comparator over `const char *` elements: the seven classes first in
 * their fixed order, then the rest by strcmp. */
int ser_class_cmp(const void *a, const void *b);

#endif
