/* probs_tables.h - probability tables the unit tests of lib/probs and
 * lib/plot share, and mem(): a string as a FILE. */
#ifndef PROBS_TABLES_H
#define PROBS_TABLES_H

#include <stdio.h>
#include <string.h>

static inline FILE *
mem(const char *s)
{
	return fmemopen((void *)s, strlen(s), "r");
}

#define HDR "id\tpredicted\tconfidence\tangry\tdisgust\tfear\thappy\tneutral\tsad\tsurprise\n"
#define ROW_HAPPY "a.wav\thappy\t0.6\t0.15\t0.05\t0.10\t0.60\t0.05\t0.03\t0.02\n"
#define ROW_SAD "b.wav\tsad\t0.7\t0.05\t0.05\t0.05\t0.05\t0.05\t0.7\t0.05\n"

#endif
