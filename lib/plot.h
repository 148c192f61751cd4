/*
 * plot.h - the tables ser-plot draws and the gnuplot scripts that draw them.
 *
 * Three inputs (DESIGN.md "Streams and files"):
 *   - a probability table: id, predicted, confidence, then one column per
 *     class, each row summing to 1 (ser-predict's output);
 *   - a timeline: the same table whose ids are "NAME@SECONDS" (windowed
 *     predictions of one long recording);
 *   - a confusion matrix: first column the true class, then one column per
 *     predicted class holding counts (ser-eval's matrix).
 * Probability tables are read by lib/probs; the confusion matrix reader is
 * here. The readers go through lib/tsv (the one TSV reader) and lib/num.
 *
 * The script builders write a complete gnuplot 5 script that draws one chart
 * to gnuplot's standard output (no `set output`, so no file name ever reaches
 * gnuplot), with every number inline in a datablock. Text that comes from a
 * table (ids, class names) or from the user (--title) reaches gnuplot only
 * through ser_plot_quote(), which lets through letters, digits and a few
 * harmless punctuation marks and writes every other byte as a \ooo octal
 * escape inside a double-quoted string: no quote, backquote, '@', '$' or
 * newline of the input ever appears raw in the script, so nothing from the
 * input can end the string, substitute a command or expand a macro.
 * Enhanced-text markup is off (noenhanced), so labels show as written.
 *
 * Nothing here prints, exits or keeps global state.
 */
#ifndef SER_PLOT_H
#define SER_PLOT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "buf.h"
#include "error.h"
#include "probs.h"
#include "tsv.h"

/* class columns / matrix rows and columns: every probability table
 * lib/probs accepts can be drawn */
#define SER_PLOT_CLASSES_MAX SER_PROBS_CLASSES_MAX
#define SER_PLOT_SIZE_MIN 64         /* pixels, each side */
#define SER_PLOT_SIZE_MAX 8192
#define SER_PLOT_COUNT_MAX 1000000000000LL /* a confusion matrix cell */

/*
 * Append s to b as a gnuplot double-quoted string literal (with the quotes).
 * [A-Za-z0-9], space and "_-.,:/+=()#" are written as they are, every other
 * byte as \ooo (and a digit right after such an escape too, since gnuplot
 * would read it as part of the escape). With fmt set, '%' is doubled, for strings gnuplot uses as a
 * printf format (tic labels). Returns 0, or -1 when out of memory.
 */
int ser_plot_quote(ser_buf *b, const char *s, int fmt);

/*
 * A timeline id is "NAME@SECONDS" (the last '@'), SECONDS a finite number
 * >= 0 (lib/num). Returns 0 and sets *namelen (bytes of NAME, may be 0) and
 * *seconds, or -1 when id is not of that form.
 */
int ser_plot_timeline_id(const char *id, size_t *namelen, double *seconds);

/* A confusion matrix: counts[i * ncols + j] = utterances of true class
 * rows[i] predicted as cols[j]. */
typedef struct ser_confusion {
	size_t nrows, ncols;
	char **rows, **cols;
	int64_t *counts;
} ser_confusion;

/*
 * Read a confusion matrix: a header whose first cell is any name (e.g.
 * "true") and then the predicted classes; each row a true class followed by
 * one count per predicted class (decimal integers in [0, 1e12]). Class names
 * distinct within the header and within the first column; 1 to
 * SER_PLOT_CLASSES_MAX of each. Returns 0, or -1 with e set.
 */
int ser_confusion_read(FILE *fp, const char *name, ser_confusion *out, ser_error *e);
int ser_confusion_from_tsv(ser_tsv *t, ser_confusion *out, ser_error *e);
void ser_confusion_free(ser_confusion *c);

/* The colour of a class, 0xRRGGBB: the fixed colour of lib/emotion for the
 * seven classes, else a fixed extra colour chosen by the column index. */
uint32_t ser_plot_class_color(const char *name, size_t index);

enum ser_plot_kind {
	SER_PLOT_BAR = 1,
	SER_PLOT_PIE = 2,
	SER_PLOT_BOTH = 3,       /* bar and pie side by side */
	SER_PLOT_CONFUSION = 4,
	SER_PLOT_TIMELINE = 5,
};

enum ser_plot_format { SER_PLOT_PNG, SER_PLOT_SVG };

typedef struct ser_plot_opts {
	int kind;          /* enum ser_plot_kind */
	int format;        /* enum ser_plot_format */
	int width, height; /* pixels, in [SER_PLOT_SIZE_MIN, SER_PLOT_SIZE_MAX] */
	const char *title; /* NULL: a default title; "": no title */
} ser_plot_opts;

/* The default width and height in pixels of a chart kind. */
void ser_plot_default_size(int kind, int *width, int *height);

/*
 * Where bar `index` of a bar chart of nclass bars (kind SER_PLOT_BAR or
 * SER_PLOT_BOTH) stands: the pixel column of its centre and the pixel row
 * (from the top) of the middle of a bar of height `prob`. Exposed so tests
 * can look at the right pixels.
 */
void ser_plot_bar_pixel(const ser_plot_opts *o, size_t nclass, size_t index, double prob,
                        int *x, int *y);

/* The script of a bar, pie or both chart of row `row` of p. */
int ser_plot_probs_script(const ser_plot_opts *o, const ser_probs *p, size_t row,
                          ser_buf *b, ser_error *e);

/*
 * The script of a timeline: the probabilities of rows[0..n-1] of p over
 * time, seconds[k] the window start of rows[k] (ascending), and under it a
 * strip coloured by the predicted class. name labels the recording (it goes
 * through ser_plot_quote).
 */
int ser_plot_timeline_script(const ser_plot_opts *o, const ser_probs *p, const size_t *rows,
                             const double *seconds, size_t n, const char *name,
                             ser_buf *b, ser_error *e);

/* The script of a heat map of c: each cell coloured by the row-normalised
 * recall, labelled with its count and that percentage. */
int ser_plot_confusion_script(const ser_plot_opts *o, const ser_confusion *c,
                              ser_buf *b, ser_error *e);

#endif
