#include "plot.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "emotion.h"
#include "num.h"
#include "strv.h"
#include "tsv.h"

int
ser_plot_quote(ser_buf *b, const char *s, int fmt)
{
	const unsigned char *p;
	char oct[8];
	int escaped = 0; /* the last byte written was an octal escape */

	ser_buf_add(b, "\"", 1);
	for (p = (const unsigned char *)s; *p; p++) {
		unsigned c = *p;
		int digit = c >= '0' && c <= '9';
		/* gnuplot reads "\0740" as one escape: a digit after an escape
		 * is escaped too */
		if (((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (digit && !escaped) ||
		     (c != '\0' && strchr(" _-.,:/+=()#", (int)c) != NULL))) {
			ser_buf_add(b, p, 1);
			escaped = 0;
		} else if (c == '%' && fmt) {
			ser_buf_add(b, "%%", 2);
			escaped = 0;
		} else {
			snprintf(oct, sizeof oct, "\\%03o", c);
			ser_buf_add(b, oct, 4);
			escaped = 1;
		}
	}
	return ser_buf_add(b, "\"", 1);
}

int
ser_plot_timeline_id(const char *id, size_t *namelen, double *seconds)
{
	const char *at = strrchr(id, '@');
	double s;

	if (at == NULL || ser_parse_double(at + 1, 0, 1e9, &s, NULL) != 0)
		return -1;
	*namelen = (size_t)(at - id);
	*seconds = s;
	return 0;
}

/* ---- confusion matrices ------------------------------------------------ */

void
ser_confusion_free(ser_confusion *c)
{
	if (c == NULL)
		return;
	ser_strv_free(c->rows, c->nrows);
	ser_strv_free(c->cols, c->ncols);
	free(c->counts);
	memset(c, 0, sizeof *c);
}

int
ser_confusion_read(FILE *fp, const char *name, ser_confusion *out, ser_error *e)
{
	ser_tsv *t;
	int rc;

	memset(out, 0, sizeof *out);
	t = ser_tsv_open(fp, name, e);
	if (t == NULL)
		return -1;
	rc = ser_confusion_from_tsv(t, out, e);
	ser_tsv_close(t);
	return rc;
}

int
ser_confusion_from_tsv(ser_tsv *t, ser_confusion *out, ser_error *e)
{
	const char *name = ser_tsv_name(t);
	ser_confusion C;
	size_t ncols, k;
	int r;

	memset(out, 0, sizeof *out);
	memset(&C, 0, sizeof C);
	ncols = ser_tsv_ncols(t);
	if (ncols < 2) {
		ser_error_set(e, "%s:1: a confusion matrix needs a class column and at least one "
		                 "count column", name);
		goto fail;
	}
	if (ncols - 1 > SER_PLOT_CLASSES_MAX) {
		ser_error_set(e, "%s:1: %zu predicted classes; at most %d can be drawn", name,
		              ncols - 1, SER_PLOT_CLASSES_MAX);
		goto fail;
	}
	C.ncols = ncols - 1;
	C.cols = calloc(C.ncols, sizeof *C.cols);
	C.rows = calloc(SER_PLOT_CLASSES_MAX, sizeof *C.rows);
	C.counts = calloc((size_t)SER_PLOT_CLASSES_MAX * C.ncols, sizeof *C.counts);
	if (C.cols == NULL || C.rows == NULL || C.counts == NULL)
		goto oom;
	for (k = 0; k < C.ncols; k++)
		if ((C.cols[k] = strdup(ser_tsv_colname(t, k + 1))) == NULL)
			goto oom;
	while ((r = ser_tsv_next(t, e)) == 1) {
		unsigned long line = ser_tsv_lineno(t);
		const char *cls = ser_tsv_field(t, 0);

		if (ser_tsv_check_id(t, cls, e) != 0)
			goto fail;
		if (C.nrows >= SER_PLOT_CLASSES_MAX) {
			ser_error_set(e, "%s:%lu: more than %d true classes", name, line,
			              SER_PLOT_CLASSES_MAX);
			goto fail;
		}
		for (k = 0; k < C.ncols; k++) {
			int64_t v;
			if (ser_parse_i64(ser_tsv_field(t, k + 1), 0, SER_PLOT_COUNT_MAX, &v, e) != 0) {
				char where[160];
				snprintf(where, sizeof where, "%s:%lu: column '%.64s'", name, line,
				         C.cols[k]);
				ser_error_prefix(e, where);
				goto fail;
			}
			C.counts[C.nrows * C.ncols + k] = v;
		}
		if ((C.rows[C.nrows] = strdup(cls)) == NULL)
			goto oom;
		C.nrows++;
	}
	if (r < 0)
		goto fail;
	if (C.nrows == 0) {
		ser_error_set(e, "%s: no rows: nothing to draw", name);
		goto fail;
	}
	if (ser_strv_distinct(C.cols, C.ncols, name, "predicted class", e) != 0 ||
	    ser_strv_distinct(C.rows, C.nrows, name, "true class", e) != 0)
		goto fail;
	*out = C;
	return 0;
oom:
	ser_error_set(e, "%s: out of memory", name);
fail:
	ser_confusion_free(&C);
	return -1;
}

/* ---- colours and layout ------------------------------------------------ */

/* Paul Tol's "muted" scheme, for classes outside the seven. */
static const uint32_t extra_colors[] = {
	0x332288, 0x88CCEE, 0x44AA99, 0x117733, 0x999933, 0xDDCC77, 0xCC6677, 0x882255, 0xAA4499,
	0x661100, 0x6699CC, 0x000000,
};

uint32_t
ser_plot_class_color(const char *name, size_t index)
{
	int i = ser_emotion_index(name);

	if (i >= 0)
		return (uint32_t)strtoul(ser_emotion_colors[i] + 1, NULL, 16);
	return extra_colors[index % (sizeof extra_colors / sizeof *extra_colors)];
}

/* c blended toward white: a = 0 keeps c, a = 1 gives white. */
static uint32_t
tint(uint32_t c, double a)
{
	uint32_t out = 0;
	int s;

	for (s = 16; s >= 0; s -= 8) {
		double v = (double)(c >> s & 0xFF);
		v += (255.0 - v) * a;
		out |= (uint32_t)lround(v) << s;
	}
	return out;
}

/* Text colour readable on background c. */
static uint32_t
ink_on(uint32_t c)
{
	double l = 0.299 * (c >> 16 & 0xFF) + 0.587 * (c >> 8 & 0xFF) + 0.114 * (c & 0xFF);

	return l > 150 ? 0x1A1A1A : 0xFFFFFF;
}

void
ser_plot_default_size(int kind, int *width, int *height)
{
	switch (kind) {
	case SER_PLOT_BAR: *width = 640; *height = 420; break;
	case SER_PLOT_PIE: *width = 600; *height = 420; break;
	case SER_PLOT_CONFUSION: *width = 680; *height = 600; break;
	case SER_PLOT_TIMELINE: *width = 1000; *height = 440; break;
	default: *width = 1000; *height = 420; break;
	}
}

/* Base font size as the terminal takes it. */
static double
font_size(const ser_plot_opts *o)
{
	double fs = fmin(o->height / 42.0, o->width / 64.0);

	fs = fmax(6, fmin(24, round(fs)));
	/* gnuplot's svg terminal sizes text in pixels, the cairo terminals in
	 * points (4/3 larger): the same chart wants larger numbers in SVG */
	return o->format == SER_PLOT_SVG ? round(fs * 4 / 3) : fs;
}

static int
has_title(const ser_plot_opts *o)
{
	return !(o->title && o->title[0] == '\0');
}

/* The font family: fontconfig names for cairo, a CSS generic family for SVG
 * (whose terminal has no bold: emphasis there is size and colour). */
static const char *
fam(const ser_plot_opts *o, int bold)
{
	if (o->format == SER_PLOT_SVG)
		return "sans-serif";
	return bold ? "Sans:Bold" : "Sans";
}

/* Pixels at the top taken by the title. */
static double
title_room(const ser_plot_opts *o)
{
	double fs = font_size(o);

	return has_title(o) ? 3.0 * fs : 1.0 * fs;
}

/* Class names longer than this are cut (with "...") in legends and tics. */
#define NAME_MAX_SHOWN 14

/* Split of the width between the bar and pie halves of a "both" chart. */
#define BOTH_SPLIT 0.54
/* The bar chart's y axis runs from 0 to this (room for the labels on top). */
#define BAR_YMAX 1.12

struct frame {
	double l, r, b, t; /* screen fractions */
};

/* Bar charts of more classes than this have their names slanted. */
#define BAR_SLANT_OVER 9

static struct frame
bar_frame(const ser_plot_opts *o, size_t nclass)
{
	double fs = font_size(o), W = o->width, H = o->height;
	double right = o->kind == SER_PLOT_BOTH ? BOTH_SPLIT : 1.0;
	struct frame f;

	f.l = 6.5 * fs / W;
	f.r = right - 1.5 * fs / W;
	f.b = (nclass > BAR_SLANT_OVER ? 2.2 + NAME_MAX_SHOWN * 0.62 * 0.65 : 3.4) * fs / H;
	f.t = 1 - (title_room(o) + 0.5 * fs) / H;
	if (f.r <= f.l + 0.05)
		f.r = f.l + 0.05;
	if (f.t <= f.b + 0.05)
		f.t = f.b + 0.05;
	return f;
}

void
ser_plot_bar_pixel(const ser_plot_opts *o, size_t nclass, size_t index, double prob, int *x,
                   int *y)
{
	struct frame f = bar_frame(o, nclass);
	double sx = f.l + (f.r - f.l) * ((double)index + 0.5) / (double)nclass;
	double sy = f.b + (f.t - f.b) * (prob / 2) / BAR_YMAX;

	*x = (int)lround(sx * (o->width - 1));
	*y = (int)lround((1 - sy) * (o->height - 1));
}

/* ---- script pieces ------------------------------------------------------ */

static void
frame_margins(ser_buf *b, struct frame f)
{
	ser_buf_printf(b,
	                    "set lmargin at screen %.6f\nset rmargin at screen %.6f\n"
	                    "set bmargin at screen %.6f\nset tmargin at screen %.6f\n",
	                    f.l, f.r, f.b, f.t);
}

/* Terminal, fonts, and the title (drawn once, as a screen label, so every
 * panel of the multiplot can place its frame freely). */
static void
preamble(const ser_plot_opts *o, const char *deftitle, ser_buf *b)
{
	double fs = font_size(o);
	const char *title = o->title ? o->title : deftitle;

	ser_buf_printf(b, "reset\nset encoding utf8\n");
	if (o->format == SER_PLOT_SVG)
		ser_buf_printf(b, "set terminal svg size %d,%d fixed font \"sans-serif,%g\" noenhanced "
		                       "background rgb \"#FFFFFF\"\n", o->width, o->height, fs);
	else
		ser_buf_printf(b, "set terminal pngcairo size %d,%d font \"Sans,%g\" noenhanced "
		                       "background rgb \"#FFFFFF\"\n", o->width, o->height, fs);
	ser_buf_printf(b, "set multiplot\nunset key\n");
	if (has_title(o) && title) {
		/* A long title is set smaller; if it still does not fit, its end
		 * is kept (ids are paths: the file name matters most), cut at a
		 * UTF-8 character boundary. */
		double tfs = round(fs * 1.25);
		size_t n = strlen(title), max = (size_t)fmax(8, (o->width - 2 * fs) / (0.8 * tfs));
		ser_buf cut = {0};
		if (n > max) {
			tfs = fs;
			max = (size_t)fmax(8, (o->width - 2 * fs) / (0.8 * tfs));
		}
		if (n > max) {
			const char *s = title + (n - max + 3);
			while ((*(const unsigned char *)s & 0xC0) == 0x80)
				s++;
			ser_buf_add(&cut, "...", 3);
			ser_buf_add(&cut, s, strlen(s));
		} else
			ser_buf_add(&cut, title, n);
		ser_buf_printf(b, "set label 1 ");
		ser_plot_quote(b, cut.failed ? "" : cut.data, 0);
		ser_buf_printf(b, " at screen 0.5, screen %.6f center font \"%s,%g\" "
		                       "tc rgb \"#222222\"\n",
		                    1 - 1.7 * fs / o->height, fam(o, 1), tfs);
		if (cut.failed)
			b->failed = 1;
		ser_buf_free(&cut);
	}
}

/* Append s to b as a quoted string, cut to max bytes (at a UTF-8 character
 * boundary) with "..." when longer. */
static void
quote_short(ser_buf *b, const char *s, size_t max, int fmt)
{
	ser_buf cut = {0};
	size_t k = max - 3;

	if (strlen(s) <= max) {
		ser_plot_quote(b, s, fmt);
		return;
	}
	while (k > 0 && (((const unsigned char *)s)[k] & 0xC0) == 0x80)
		k--;
	ser_buf_add(&cut, s, k);
	ser_buf_add(&cut, "...", 3);
	ser_plot_quote(b, cut.failed ? "" : cut.data, fmt);
	if (cut.failed)
		b->failed = 1;
	ser_buf_free(&cut);
}

/* Legend width in pixels for these class names: square, name, value. */
static double
legend_width(double fs, char *const *names, size_t n)
{
	size_t i, m = 0;

	for (i = 0; i < n; i++)
		m = strlen(names[i]) > m ? strlen(names[i]) : m;
	if (m > NAME_MAX_SHOWN)
		m = NAME_MAX_SHOWN;
	return fmax(11.5, (double)m * 0.66 + 7.0) * fs;
}

/* One legend entry: a colour square and a label (and an optional value,
 * right-aligned at xr), in screen pixels from the bottom left. */
static void
legend_entry(const ser_plot_opts *o, ser_buf *b, int *obj, double x, double y, double xr,
             uint32_t color, const char *label, const char *value, int bold)
{
	double fs = font_size(o), W = o->width, H = o->height;

	++*obj;
	ser_buf_printf(b, "set object %d rectangle from screen %.6f, screen %.6f to screen "
	                       "%.6f, screen %.6f fc rgb \"#%06X\" fs solid 1.0 noborder front\n",
	                    *obj, x / W, (y - 0.45 * fs) / H, (x + 0.9 * fs) / W,
	                    (y + 0.45 * fs) / H, (unsigned)color);
	ser_buf_printf(b, "set label ");
	quote_short(b, label, NAME_MAX_SHOWN, 0);
	ser_buf_printf(b, " at screen %.6f, screen %.6f left front font \"%s,%g\" "
	                       "tc rgb \"#222222\"\n",
	                    (x + 1.5 * fs) / W, y / H, fam(o, bold), fs);
	if (value) {
		ser_buf_printf(b, "set label ");
		ser_plot_quote(b, value, 0);
		ser_buf_printf(b, " at screen %.6f, screen %.6f right front font \"%s,%g\" "
		                       "tc rgb \"#222222\"\n",
		                    xr / W, y / H, fam(o, bold), fs);
	}
}

/* "60%" or, below 10%, "4.5%"; "<0.1%" for what would round to 0. */
static void
fmt_percent(char *buf, size_t n, double p)
{
	double pc = 100 * p;

	if (pc > 0 && pc < 0.05)
		snprintf(buf, n, "<0.1%%");
	else if (pc < 9.95)
		snprintf(buf, n, "%.1f%%", pc);
	else
		snprintf(buf, n, "%.0f%%", pc);
}

/* Tic labels "name" position, for `set xtics (...)`. */
static void
class_tics(ser_buf *b, char *const *names, size_t n)
{
	size_t i;

	ser_buf_printf(b, "(");
	for (i = 0; i < n; i++) {
		quote_short(b, names[i], NAME_MAX_SHOWN, 1);
		ser_buf_printf(b, " %zu%s", i, i + 1 < n ? ", " : ")");
	}
}

static void
bar_panel(const ser_plot_opts *o, const ser_probs *P, size_t row, ser_buf *b)
{
	const double *p = P->p + row * P->nclass;
	struct frame f = bar_frame(o, P->nclass);
	double fs = font_size(o);
	size_t i, n = P->nclass;
	int pred = P->predicted[row];
	char pc[32];

	ser_buf_printf(b, "$bars << EOD\n");
	for (i = 0; i < n; i++) {
		uint32_t c = ser_plot_class_color(P->classes[i], i);
		ser_buf_printf(b, "%zu %.9g %u\n", i, p[i],
		                    (unsigned)((int)i == pred ? c : tint(c, 0.55)));
	}
	ser_buf_printf(b, "EOD\n$pred << EOD\n%d %.9g\nEOD\n", pred, p[pred]);
	frame_margins(b, f);
	ser_buf_printf(b,
	                    "set xrange [-0.5:%zu.5]\nset yrange [0:%g]\n"
	                    "set border 3 lc rgb \"#444444\"\nset tics nomirror\n"
	                    "set ytics (\"0%%%%\" 0, \"20%%%%\" 0.2, \"40%%%%\" 0.4, \"60%%%%\" 0.6, "
	                    "\"80%%%%\" 0.8, \"100%%%%\" 1) out\n"
	                    "set grid ytics back lt 1 lc rgb \"#E4E4E4\" lw 1\n"
	                    "set ylabel \"probability\" offset %g,0\n"
	                    "set boxwidth 0.72\nset xtics scale 0 out offset 0,-0.2 ",
	                    n - 1, BAR_YMAX, fs / 10.0 * 0.5);
	class_tics(b, P->classes, n);
	ser_buf_printf(b, "\n");
	if (n > BAR_SLANT_OVER)
		ser_buf_printf(b, "set xtics rotate by 40 right\n");
	for (i = 0; i < n; i++) {
		fmt_percent(pc, sizeof pc, p[i]);
		ser_buf_printf(b, "set label %zu \"%s\" at %zu, %.9g center offset 0,0.7 front "
		                       "font \"%s,%g\" tc rgb \"%s\"\n",
		                    i + 2, pc, i, p[i], fam(o, (int)i == pred),
		                    (int)i == pred ? fs + 1 : fs, (int)i == pred ? "#111111" : "#555555");
	}
	ser_buf_printf(b,
	                    "plot $bars using 1:2:3 with boxes fs solid 1.0 noborder lc rgb variable, "
	                    "\\\n  $pred using 1:2 with boxes fs empty lc rgb \"#1A1A1A\" lw %g\n"
	                    "unset label\nunset object\nunset grid\nunset ylabel\n",
	                    fmax(1.5, fs / 6));
}

static void
pie_panel(const ser_plot_opts *o, const ser_probs *P, size_t row, ser_buf *b)
{
	const double *p = P->p + row * P->nclass;
	double fs = font_size(o), W = o->width, H = o->height;
	double x0 = o->kind == SER_PLOT_BOTH ? BOTH_SPLIT * W : 0, wr = W - x0;
	double top = H - title_room(o) - 0.5 * fs, bot = 1.0 * fs, gap = 2 * fs;
	double lw = legend_width(fs, P->classes, P->nclass);
	double d = fmin(top - bot, wr - lw - gap - 2 * fs), gx, cx, cy, cum = 0, ly, step;
	size_t i, n = P->nclass;
	int pred = P->predicted[row], obj = 0, lab = 2;
	long full = -1; /* a class of probability 1: a whole disc */
	char pc[32];
	struct frame f;

	if (d < 2 * fs)
		d = 2 * fs;
	gx = x0 + (wr - (d + gap + lw)) / 2;
	if (gx < x0 + fs)
		gx = x0 + fs;
	cx = gx + d / 2;
	cy = bot + (top - bot) / 2;
	f.l = (cx - d / 2) / W;
	f.r = (cx + d / 2) / W;
	f.b = (cy - d / 2) / H;
	f.t = (cy + d / 2) / H;
	frame_margins(b, f);
	ser_buf_printf(b, "set xrange [-1.1:1.1]\nset yrange [-1.1:1.1]\n"
	                       "unset border\nunset tics\nunset grid\n");

	/* Wedges clockwise from 12 o'clock; the predicted one pulled out. */
	ser_buf_printf(b, "$pie << EOD\n");
	for (i = 0; i < n; i++) {
		double a1 = 90 - 360 * cum, a0 = 90 - 360 * (cum + p[i]), mid = (a0 + a1) / 2 * M_PI / 180;
		double dx = (int)i == pred ? 0.07 * cos(mid) : 0, dy = (int)i == pred ? 0.07 * sin(mid) : 0;
		uint32_t c = ser_plot_class_color(P->classes[i], i);
		cum += p[i];
		if (p[i] < 1e-6)
			continue;
		if (p[i] > 1 - 1e-6) /* gnuplot draws nothing from 90 to -270 */
			full = (long)i;
		else
			ser_buf_printf(b, "%.6f %.6f 1 %.6f %.6f %u\n", dx, dy, a0, a1,
			                    (unsigned)c);
	}
	ser_buf_printf(b, "EOD\n$hole << EOD\n0 0 0.5\nEOD\n");
	if (full >= 0)
		ser_buf_printf(b, "$full << EOD\n0 0 1 %u\nEOD\n",
		                    (unsigned)ser_plot_class_color(P->classes[full], (size_t)full));
	cum = 0;
	for (i = 0; i < n; i++) {
		double mid = (90 - 360 * (cum + p[i] / 2)) * M_PI / 180, r = 0.76;
		uint32_t c = ser_plot_class_color(P->classes[i], i);
		cum += p[i];
		if (p[i] < 0.04 || (long)i == full)
			continue;
		if ((int)i == pred)
			r += 0.07;
		fmt_percent(pc, sizeof pc, p[i]);
		ser_buf_printf(b, "set label %d \"%s\" at %.6f, %.6f center front font \"%s,%g\" "
		                       "tc rgb \"#%06X\"\n",
		                    lab++, pc, r * cos(mid), r * sin(mid),
		                    fam(o, (int)i == pred), fs, (unsigned)ink_on(c));
	}
	/* The predicted class in the hole. */
	fmt_percent(pc, sizeof pc, p[pred]);
	ser_buf_printf(b, "set label %d ", lab++);
	quote_short(b, P->classes[pred], 12, 0);
	ser_buf_printf(b, " at 0, 0.13 center front font \"%s,%g\" tc rgb \"#%06X\"\n",
	                    fam(o, 1), round(fs * 1.3), (unsigned)ser_plot_class_color(P->classes[pred], (size_t)pred));
	ser_buf_printf(b, "set label %d \"%s\" at 0, -0.13 center front font \"%s,%g\" "
	                       "tc rgb \"#333333\"\n", lab++, pc, fam(o, 0), round(fs * 1.2));

	/* Legend, right of the pie. */
	step = 1.75 * fs;
	if (step * (double)n > top - bot)
		step = (top - bot) / (double)n;
	ly = cy + step * ((double)n - 1) / 2;
	for (i = 0; i < n; i++) {
		fmt_percent(pc, sizeof pc, p[i]);
		legend_entry(o, b, &obj, cx + d / 2 + gap, ly - step * (double)i, cx + d / 2 + gap + lw,
		             ser_plot_class_color(P->classes[i], i), P->classes[i], pc, (int)i == pred);
	}
	ser_buf_printf(b, "plot %s$pie using 1:2:3:4:5:6 with circles fs solid 1.0 border "
	                       "lc rgb \"#FFFFFF\" lw %g lc rgb variable, \\\n"
	                       "  $hole using 1:2:3 with circles fs solid 1.0 noborder "
	                       "fc rgb \"#FFFFFF\"\nunset label\nunset object\n",
	                    full >= 0 ? "$full using 1:2:3:4 with circles fs solid 1.0 noborder "
	                                "lc rgb variable, " : "",
	                    fmax(1, fs / 7));
}

static int
finish(ser_buf *b, ser_error *e)
{
	ser_buf_printf(b, "unset multiplot\n");
	if (b->failed)
		return ser_error_set(e, "out of memory building the gnuplot script");
	return 0;
}

int
ser_plot_probs_script(const ser_plot_opts *o, const ser_probs *p, size_t row, ser_buf *b,
                      ser_error *e)
{
	ser_plot_opts q;

	if (row >= p->nrows)
		return ser_error_set(e, "no row %zu to draw", row + 1);
	if (o->kind != SER_PLOT_BAR && o->kind != SER_PLOT_PIE && o->kind != SER_PLOT_BOTH)
		return ser_error_set(e, "a probability table is drawn as bar, pie or both");
	q = *o;
	/* "-" (what ser-features calls standard input) says nothing: no title */
	if (q.title == NULL && strcmp(p->ids[row], "-") == 0)
		q.title = "";
	preamble(&q, p->ids[row], b);
	if (q.kind & SER_PLOT_BAR)
		bar_panel(&q, p, row, b);
	if (q.kind & SER_PLOT_PIE)
		pie_panel(&q, p, row, b);
	return finish(b, e);
}

int
ser_plot_timeline_script(const ser_plot_opts *o, const ser_probs *P, const size_t *rows,
                         const double *seconds, size_t n, const char *name, ser_buf *b,
                         ser_error *e)
{
	double fs = font_size(o), W = o->width, H = o->height, lw = 7.5 * fs;
	double strip = 1.4 * fs, xmin, xmax, hop, ly, step;
	size_t i, k, nc = P->nclass;
	struct frame main, st;
	int obj = 0;

	if (n == 0)
		return ser_error_set(e, "a timeline needs at least one window");
	for (i = 1; i < n; i++)
		if (!(seconds[i] > seconds[i - 1]))
			return ser_error_set(e, "timeline windows must start at increasing times");
	hop = n > 1 ? (seconds[n - 1] - seconds[0]) / (double)(n - 1) : 1.0;
	xmin = seconds[0];
	xmax = seconds[n - 1] + hop;
	preamble(o, name, b);

	ser_buf_printf(b, "$tl << EOD\n");
	for (i = 0; i < n; i++) {
		const double *p = P->p + rows[i] * nc;
		int pr = P->predicted[rows[i]];
		double end = i + 1 < n ? seconds[i + 1] : seconds[i] + hop;
		ser_buf_printf(b, "%.9g", seconds[i]);
		for (k = 0; k < nc; k++)
			ser_buf_printf(b, " %.6g", p[k]);
		ser_buf_printf(b, " %.9g %.9g %u\n", seconds[i], end,
		                    (unsigned)ser_plot_class_color(P->classes[pr], (size_t)pr));
	}
	ser_buf_printf(b, "EOD\n");

	st.l = main.l = 7.5 * fs / W;
	st.r = main.r = 1 - (lw + 2.5 * fs) / W;
	st.b = 4.4 * fs / H;
	st.t = st.b + strip / H;
	main.b = st.t + 0.6 * fs / H;
	main.t = 1 - (title_room(o) + 0.5 * fs) / H;
	if (main.t <= main.b + 0.05)
		main.t = main.b + 0.05;
	if (main.r <= main.l + 0.05)
		main.r = main.l + 0.05;

	/* Legend right of the frame. */
	step = 1.75 * fs;
	if (step * (double)nc > (main.t - main.b) * H)
		step = (main.t - main.b) * H / (double)nc;
	ly = (main.t * H + main.b * H) / 2 + step * ((double)nc - 1) / 2;
	for (k = 0; k < nc; k++)
		legend_entry(o, b, &obj, main.r * W + 1.5 * fs, ly - step * (double)k, 0,
		             ser_plot_class_color(P->classes[k], k), P->classes[k], NULL, 0);

	frame_margins(b, main);
	ser_buf_printf(b,
	                    "set xrange [%.9g:%.9g]\nset yrange [0:1]\n"
	                    "set border 3 lc rgb \"#444444\"\nset tics nomirror out\n"
	                    "set ytics (\"0%%%%\" 0, \"25%%%%\" 0.25, \"50%%%%\" 0.5, \"75%%%%\" 0.75, "
	                    "\"100%%%%\" 1)\nset format x \"\"\n"
	                    "set grid xtics ytics back lt 1 lc rgb \"#E4E4E4\" lw 1\n"
	                    "set ylabel \"probability\"\nplot ",
	                    xmin, xmax);
	for (k = 0; k < nc; k++)
		ser_buf_printf(b, "%s$tl using 1:%zu with %s lw %g lc rgb \"#%06X\"", k ? ", " : "",
		                    k + 2, n <= 60 ? "linespoints pt 7 ps 0.6" : "lines",
		                    fmax(1.5, fs / 5), (unsigned)ser_plot_class_color(P->classes[k], k));
	ser_buf_printf(b, "\nunset label\nunset object\nunset grid\nunset ylabel\n");

	frame_margins(b, st);
	ser_buf_printf(b,
	                    "set yrange [0:1]\nunset ytics\nset format x \"%%g\"\n"
	                    "set border 1 lc rgb \"#444444\"\n"
	                    "set label \"time (s)\" at screen %.6f, screen %.6f center "
	                    "tc rgb \"#222222\"\n"
	                    "set label \"predicted\" at screen %.6f, screen %.6f right "
	                    "tc rgb \"#444444\"\n"
	                    "plot $tl using (($%zu+$%zu)/2):(0.5):%zu:%zu:(0):(1):%zu with boxxyerror "
	                    "fs solid 1.0 noborder lc rgb variable\n",
	                    (st.l + st.r) / 2, 1.1 * fs / H, st.l - 0.5 * fs / W,
	                    (st.b + st.t) / 2, nc + 2, nc + 3, nc + 2, nc + 3,
	                    nc + 4);
	return finish(b, e);
}

/* The utterances of true class i (cells are at most SER_PLOT_COUNT_MAX and
 * there are at most SER_PLOT_CLASSES_MAX of them: no overflow). */
static int64_t
row_total(const ser_confusion *c, size_t i)
{
	int64_t rs = 0;
	size_t j;

	for (j = 0; j < c->ncols; j++)
		rs += c->counts[i * c->ncols + j];
	return rs;
}

int
ser_plot_confusion_script(const ser_plot_opts *o, const ser_confusion *c, ser_buf *b,
                          ser_error *e)
{
	double fs = font_size(o), W = o->width, H = o->height, side, lfs;
	size_t i, j, maxr = 0, maxc = 0, nr = c->nrows, nc = c->ncols;
	int64_t diag = 0, total = 0;
	char deftitle[128];
	struct frame f;
	double left, bottom, right, top, aw, ah;
	int rot = 0;
	ser_buf lab = {0};

	for (i = 0; i < nr; i++) {
		maxr = strlen(c->rows[i]) > maxr ? strlen(c->rows[i]) : maxr;
		for (j = 0; j < nc; j++) {
			int64_t v = c->counts[i * nc + j];
			if (v > SER_PLOT_COUNT_MAX || total > INT64_MAX - v)
				return ser_error_set(e, "confusion matrix counts too large");
			total += v;
			if (strcmp(c->rows[i], c->cols[j]) == 0)
				diag += v;
		}
	}
	for (j = 0; j < nc; j++)
		maxc = strlen(c->cols[j]) > maxc ? strlen(c->cols[j]) : maxc;
	if (maxr > 24)
		maxr = 24;
	if (maxc > 24)
		maxc = 24;
	if (total > 0)
		snprintf(deftitle, sizeof deftitle, "%lld utterances, accuracy %.1f%%",
		         (long long)total, 100.0 * (double)diag / (double)total);
	else
		snprintf(deftitle, sizeof deftitle, "Confusion matrix (empty)");
	preamble(o, deftitle, b);

	left = (double)maxr * 0.62 * fs + 4.5 * fs;
	right = 7.5 * fs; /* colour box */
	top = title_room(o) + 0.5 * fs;
	aw = W - left - right;
	rot = (double)maxc * 0.62 * fs > aw / (double)nc * 0.95;
	bottom = (rot ? (double)maxc * 0.62 * fs * 0.7 + 1.5 * fs : 1.5 * fs) + 2.5 * fs;
	ah = H - top - bottom;
	side = fmin(aw / (double)nc, ah / (double)nr);
	if (side < 1)
		side = 1;
	f.l = left / W;
	f.r = (left + side * (double)nc) / W;
	f.t = 1 - top / H;
	f.b = f.t - side * (double)nr / H;
	frame_margins(b, f);
	lfs = fmax(5, fmin(fs, round(side / 3.6)));

	/* one pass: the recall of each cell into the datablock, its label
	 * (count and percentage) into lab, written after the datablock */
	ser_buf_printf(b, "$m << EOD\n");
	for (i = 0; i < nr; i++) {
		int64_t rs = row_total(c, i);
		for (j = 0; j < nc; j++) {
			int64_t v = c->counts[i * nc + j];
			double rec = rs > 0 ? (double)v / (double)rs : 0;
			char pc[32];
			ser_buf_printf(b, "%zu %zu %.6f\n", j, i, rec);
			if (rs > 0)
				snprintf(pc, sizeof pc, "\\n%.0f%%", 100 * rec);
			else
				pc[0] = '\0';
			ser_buf_printf(&lab, "set label \"%lld%s\" at %zu, %zu center front font \"%s,%g\" "
			                     "tc rgb \"%s\"\n",
			               (long long)v, side >= 2.6 * lfs * 1.2 ? pc : "", j, i,
			               fam(o, strcmp(c->rows[i], c->cols[j]) == 0), lfs,
			               rec > 0.5 ? "#FFFFFF" : "#222222");
		}
	}
	ser_buf_printf(b, "EOD\n");
	ser_buf_add(b, lab.data, lab.len);
	if (lab.failed)
		b->failed = 1;
	ser_buf_free(&lab);
	ser_buf_printf(b,
	                    "set xrange [-0.5:%zu.5]\nset yrange [%zu.5:-0.5]\nset cbrange [0:1]\n"
	                    "set palette defined (0 \"#F7FBFF\", 0.35 \"#9ECAE1\", 0.7 \"#3182BD\", "
	                    "1 \"#08306B\")\n"
	                    "set colorbox user origin screen %.6f, screen %.6f size screen %.6f, screen %.6f\n"
	                    "set cbtics (\"0%%%%\" 0, \"25%%%%\" 0.25, \"50%%%%\" 0.5, \"75%%%%\" 0.75, "
	                    "\"100%%%%\" 1) out nomirror\nset cblabel \"recall (share of the row)\"\n"
	                    "set border 15 lc rgb \"#444444\"\nset tics scale 0\n"
	                    "set xlabel \"predicted\"\nset ylabel \"true\"\nset xtics ",
	                    nc - 1, nr - 1, f.r + 1.2 * fs / W, f.b, 1.2 * fs / W, f.t - f.b);
	class_tics(b, c->cols, nc);
	ser_buf_printf(b, "%s\nset ytics ", rot ? " rotate by 40 right" : "");
	class_tics(b, c->rows, nr);
	ser_buf_printf(b, "\nplot $m using 1:2:3 with image pixels\n");
	return finish(b, e);
}
