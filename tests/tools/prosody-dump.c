/*
 * prosody-dump - print lib/prosody's per-frame values for raw float32 LE
 * mono PCM on stdin, for inspection and benchmarking (not an installed
 * program).
 *
 *   prosody-dump [-r rate_hz] [-H hop] [-n repeats] [-o f0|js|fm|all] < pcm > frames.tsv
 *
 * -o limits the outputs requested (F0/voicing/HNR always; js adds jitter and
 * shimmer, fm adds formants), to time each family.
 *
 * With -n N the analysis runs N times and only the time per frame (µs) is
 * printed on stderr.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../../cmd/cli.h"
#include "prosody.h"

int
main(int argc, char **argv)
{
	double rate = 16000;
	size_t hop = 160, n = 0, cap = 0, nf, t;
	int64_t reps = 0;
	float *x = NULL, buf[4096];
	size_t got;
	int c;
	const char *only = "all";
	ser_prosody_config cfg;
	ser_prosody *p;
	ser_prosody_frames o;
	ser_error e = {{0}};
	float *a[12];

	cli_init("prosody-dump");
	while ((c = getopt(argc, argv, "r:H:n:o:")) != -1) {
		switch (c) {
		case 'r': rate = cli_opt_double("-r", optarg, 6000, 384000); break;
		case 'H': hop = (size_t)cli_opt_int("-H", optarg, 1, 1000000); break;
		case 'o': only = optarg; break;
		case 'n': reps = cli_opt_int("-n", optarg, 1, 1000000); break;
		default: cli_usage_error("usage: prosody-dump [-r rate_hz] [-H hop] [-n repeats] [-o f0|js|fm|all]");
		}
	}
	while ((got = fread(buf, sizeof(float), 4096, stdin)) > 0) {
		if (n + got > cap) {
			float *nx;
			cap = (n + got) * 2;
			nx = realloc(x, cap * sizeof *x);
			if (!nx)
				cli_die(1, "out of memory");
			x = nx;
		}
		memcpy(x + n, buf, got * sizeof(float));
		n += got;
	}
	ser_prosody_config_default(&cfg, rate, hop);
	p = ser_prosody_new(&cfg, &e);
	if (!p)
		cli_die(2, "%s", e.msg);
	nf = ser_prosody_frames_for(n, hop);
	for (t = 0; t < 12; t++)
		if (!(a[t] = calloc(nf, sizeof(float))))
			cli_die(1, "out of memory");
	memset(&o, 0, sizeof o);
	o.f0_semitone = a[0]; o.voicing = a[1]; o.hnr_db = a[2]; o.jitter = a[3];
	o.shimmer = a[4]; o.f1_hz = a[5]; o.f2_hz = a[6]; o.f3_hz = a[7];
	o.b1_hz = a[8]; o.b2_hz = a[9]; o.b3_hz = a[10]; o.shimmer_db = a[11];
	o.voiced = calloc(nf, 1);
	if (!o.voiced)
		cli_die(1, "out of memory");
	if (!strcmp(only, "f0") || !strcmp(only, "fm"))
		o.jitter = o.shimmer = o.shimmer_db = NULL;
	if (!strcmp(only, "f0") || !strcmp(only, "js"))
		o.f1_hz = o.f2_hz = o.f3_hz = o.b1_hz = o.b2_hz = o.b3_hz = NULL;
	if (reps > 0) {
		struct timespec t0, t1;
		int64_t r;
		double us;
		clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
		for (r = 0; r < reps; r++)
			if (ser_prosody_run(p, x, n, &o, &e))
				cli_die(1, "%s", e.msg);
		clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t1);
		us = ((double)(t1.tv_sec - t0.tv_sec) * 1e6 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e3) /
		     ((double)reps * (double)nf);
		fprintf(stderr, "prosody: %zu frames, %.3f us/frame (CPU time)\n", nf, us);
	} else {
		if (ser_prosody_run(p, x, n, &o, &e))
			cli_die(1, "%s", e.msg);
		printf("frame\ttime_s\tvoiced\tvoicing\tf0_semitone\tf0_hz\thnr_db\tjitter\tshimmer\t"
		       "f1_hz\tf2_hz\tf3_hz\tb1_hz\tb2_hz\tb3_hz\tshimmer_db\n");
		for (t = 0; t < nf; t++)
			printf("%zu\t%.3f\t%d\t%.3f\t%.3f\t%.1f\t%.2f\t%.4f\t%.4f\t%.0f\t%.0f\t%.0f\t%.0f\t%.0f\t%.0f\t%.3f\n",
			       t, (double)t * (double)hop / rate, o.voiced[t], a[1][t], a[0][t],
			       o.voiced[t] ? 27.5 * pow(2.0, a[0][t] / 12.0) : 0.0, a[2][t], a[3][t],
			       a[4][t], a[5][t], a[6][t], a[7][t], a[8][t], a[9][t], a[10][t], a[11][t]);
	}
	for (t = 0; t < 12; t++)
		free(a[t]);
	free(o.voiced);
	free(x);
	ser_prosody_free(p);
	return cli_close_stdout(0);
}
