/*
 * feat-bench - features-only throughput: decode the given files once, then
 * run one feature set over them again and again in one process until at
 * least -t seconds of audio were analysed; print the speed as a multiple
 * of real time (CPU time of this process, one core), and a second pass
 * with per-family profiling: each family's share of the time (wall-clock
 * timers around each family) times the CPU time of that pass, per frame.
 *
 *   feat-bench [-s set] [-t audio_seconds] file ...
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../cmd/cli.h"
#include "../../lib/decode.h"
#include "../../lib/featset.h"

static double
cpu_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int
main(int argc, char **argv)
{
	const char *set = "default";
	double want = 600, audio = 0, t0, t1, rate = 16000, total;
	float **x;
	size_t *n, nfiles, i, runs = 0, frames = 0;
	ser_features *f;
	ser_error e;
	ser_decode_config dc;
	double *row;
	int ch;

	cli_init("feat-bench");
	while ((ch = getopt(argc, argv, "s:t:")) != -1) {
		switch (ch) {
		case 's': set = optarg; break;
		case 't': want = cli_opt_double("-t", optarg, 0.001, 1e7); break;
		default: cli_usage_error("usage: feat-bench [-s set] [-t audio_seconds] file ...");
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		cli_usage_error("usage: feat-bench [-s set] [-t audio_seconds] file ...");
	nfiles = (size_t)argc;
	x = calloc(nfiles, sizeof *x);
	n = calloc(nfiles, sizeof *n);
	ser_decode_config_default(&dc);
	dc.rate_hz = rate;
	for (i = 0; i < nfiles; i++)
		if (ser_decode_file(argv[i], &dc, &x[i], &n[i], NULL, &e) != 0)
			cli_die(1, "%s: %s", argv[i], e.msg);
	if ((f = ser_features_new(set, rate, &e)) == NULL)
		cli_die(1, "%s", e.msg);
	row = malloc(ser_features_ncols(f) * sizeof *row);
	/* warm-up: grow the scratch once */
	for (i = 0; i < nfiles; i++)
		if (ser_features_run(f, x[i], n[i], row, &e) != 0)
			cli_die(1, "%s: %s", argv[i], e.msg);
	t0 = cpu_s();
	while (audio < want) {
		for (i = 0; i < nfiles; i++) {
			if (ser_features_run(f, x[i], n[i], row, &e) != 0)
				cli_die(1, "%s: %s", argv[i], e.msg);
			audio += (double)n[i] / rate;
			frames += (size_t)(1 + (double)n[i] / (ser_features_hop_s(f) * rate));
			runs++;
		}
	}
	t1 = cpu_s();
	printf("set %s: %zu columns, %zu utterances (%zu files), %.1f s of audio in %.3f s CPU: %.0fx real time, %.2f us/frame, %.1f us/utterance\n",
	       set, ser_features_ncols(f), runs, nfiles, audio, t1 - t0, audio / (t1 - t0),
	       1e6 * (t1 - t0) / (double)frames, 1e6 * (t1 - t0) / (double)runs);
	/* profiled pass (timers cost a little) */
	ser_features_set_profile(f, 1);
	frames = 0;
	audio = 0;
	t0 = cpu_s();
	while (audio < want / 4) {
		for (i = 0; i < nfiles; i++) {
			ser_features_run(f, x[i], n[i], row, &e);
			audio += (double)n[i] / rate;
			frames += (size_t)(1 + (double)n[i] / (ser_features_hop_s(f) * rate));
		}
	}
	t1 = cpu_s();
	{
		const char *names[16];
		double sec[16];
		size_t k, nf = ser_features_profile(f, names, sec, 16);
		total = 0;
		for (k = 0; k < nf; k++)
			total += sec[k];
		/* the timers measure wall time, which on a busy machine includes
		 * other processes; preemption falls on the families in proportion
		 * to their time, so take the shares from the timers and the
		 * absolute cost from this pass's CPU time */
		for (k = 0; k < nf; k++)
			if (sec[k] > 0)
				printf("  %-18s %8.3f us/frame %5.1f%%\n", names[k],
				       1e6 * (t1 - t0) * (sec[k] / total) / (double)frames,
				       100 * sec[k] / total);
	}
	for (i = 0; i < nfiles; i++)
		free(x[i]);
	free(x);
	free(n);
	free(row);
	ser_features_free(f);
	return cli_close_stdout(0);
}
