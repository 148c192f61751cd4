/*
 * plot-bar-pixel - where ser-plot draws a bar, for picture tests.
 *
 * usage: plot-bar-pixel bar|both WIDTH HEIGHT NCLASS INDEX PROB [notitle]
 *
 * Prints "X Y": the pixel column of the centre of bar INDEX (0-based) of a
 * bar chart of NCLASS bars drawn at WIDTHxHEIGHT, and the pixel row (from the
 * top) of the middle of a bar of height PROB (up to 2, so that tests can
 * look above a bar); "notitle" for a chart drawn with --title ''. Computed by lib/plot's ser_plot_bar_pixel, the layout
 * ser-plot itself uses.
 */
#include <stdio.h>
#include <string.h>

#include "../../cmd/cli.h"
#include "plot.h"

int
main(int argc, char **argv)
{
	ser_plot_opts o;
	int x, y;

	cli_init("plot-bar-pixel");
	if (argc != 7 && argc != 8)
		cli_usage_error("usage: plot-bar-pixel bar|both WIDTH HEIGHT NCLASS INDEX PROB [notitle]");
	memset(&o, 0, sizeof o);
	if (strcmp(argv[1], "bar") == 0)
		o.kind = SER_PLOT_BAR;
	else if (strcmp(argv[1], "both") == 0)
		o.kind = SER_PLOT_BOTH;
	else
		cli_usage_error("kind must be bar or both");
	o.width = (int)cli_opt_int("WIDTH", argv[2], SER_PLOT_SIZE_MIN, SER_PLOT_SIZE_MAX);
	o.height = (int)cli_opt_int("HEIGHT", argv[3], SER_PLOT_SIZE_MIN, SER_PLOT_SIZE_MAX);
	if (argc == 8) {
		if (strcmp(argv[7], "notitle") != 0)
			cli_usage_error("the last argument can only be 'notitle'");
		o.title = "";
	}
	{
		size_t n = (size_t)cli_opt_int("NCLASS", argv[4], 1, SER_PLOT_CLASSES_MAX);
		size_t i = (size_t)cli_opt_int("INDEX", argv[5], 0, (int64_t)n - 1);
		double p = cli_opt_double("PROB", argv[6], 0, 2);
		ser_plot_bar_pixel(&o, n, i, p, &x, &y);
	}
	printf("%d %d\n", x, y);
	return cli_close_stdout(0);
}
