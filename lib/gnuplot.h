/*
 * gnuplot.h - run gnuplot over a script held in memory and collect what it
 * draws.
 *
 * gnuplot is found on PATH at run time and started with fork + execv (no
 * shell) as `gnuplot -d` (no initialisation files): the script goes to its standard input through a pipe, the image
 * comes back from its standard output, its standard error is kept for the
 * caller to show when it fails. Nothing touches the file system. The caller
 * should ignore SIGPIPE (a gnuplot that dies early must not kill it).
 */
#ifndef SER_GNUPLOT_H
#define SER_GNUPLOT_H

#include <stddef.h>

#include "error.h"
#include "buf.h"

#define SER_GNUPLOT_OUT_MAX (256u << 20) /* bytes of image accepted */
#define SER_GNUPLOT_ERR_MAX (16u << 10)  /* bytes of stderr kept */

/*
 * The path of an executable regular file named `gnuplot` in the directories
 * of path (a PATH value; NULL or "" means none), malloc'd, or NULL when there
 * is none. Empty PATH entries mean the current directory, as in execvp.
 */
char *ser_gnuplot_find(const char *path);

/*
 * Run the gnuplot at exe over script[0..n-1]. Its standard output is
 * appended to out (at most SER_GNUPLOT_OUT_MAX bytes), the first
 * SER_GNUPLOT_ERR_MAX bytes of its standard error to err. Returns 0 when
 * gnuplot exited with status 0, else -1 with e saying how it ended (err then
 * holds what gnuplot said). Other descriptors of the caller are not passed
 * to gnuplot.
 */
int ser_gnuplot_run(const char *exe, const char *script, size_t n, ser_buf *out,
                    ser_buf *err, ser_error *e);

#endif
