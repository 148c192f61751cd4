/*
 * strv.h - arrays of owned strings, as the table readers hold class names
 * and ids: free one, and check that its strings are distinct.
 */
#ifndef SER_STRV_H
#define SER_STRV_H

#include <stddef.h>

#include "error.h"

/* Free v[0..n-1] and v itself; v may be NULL. */
void ser_strv_free(char **v, size_t n);

/*
 * 0 if the strings v[0..n-1] are pairwise distinct; else -1 with e set to
 * "NAME: WHAT 'S' appears twice" (S the duplicated string, at most 64 bytes
 * of it), or "NAME: out of memory".
 */
int ser_strv_distinct(char *const *v, size_t n, const char *name, const char *what,
                      ser_error *e);

#endif
