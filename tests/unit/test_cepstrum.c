/* lib/cepstrum.c: cepstral peak prominence on generated spectra. */
#include <math.h>
#include <stdlib.h>

#include "cepstrum.h"
#include "stft.h"
#include "t.h"

#define RATE 16000.0
#define NFFT 1024
#define WIN 640
#define NB (NFFT / 2 + 1)

/* Power spectrum of the middle frame of a signal made by fill(). */
static void
spectrum(float *x, size_t n, double *power)
{
	ser_error e = {0};
	ser_stft_config c = {NFFT, 160, WIN};
	ser_stft *s = ser_stft_new(&c, &e);
	ser_stft_power(s, x, n, n / 2 / 160, power);
	ser_stft_free(s);
}

/* A pulse train at f0 Hz (every harmonic equally strong) plus white noise
 * of the given relative amplitude, times gain. */
static void
fill(float *x, size_t n, double f0, double noise, double gain, unsigned seed)
{
	size_t i;
	double period = RATE / f0, next = 0;

	srand(seed);
	for (i = 0; i < n; i++) {
		double v = 0;
		if ((double)i >= next) {
			v = 1.0;
			next += period;
		}
		v += noise * ((double)rand() / RAND_MAX - 0.5);
		x[i] = (float)(gain * v);
	}
}

int
main(void)
{
	ser_error e = {0};
	ser_cpp *c = ser_cpp_new(RATE, NFFT, 60, 400, &e);
	size_t n = 16000;
	float *x = malloc(n * sizeof *x);
	double p[NB], clean, loud, noisy, noise, low, zero[NB] = {0};

	CHECK(c != NULL, "a 40 ms window at 16 kHz, F0 60..400 Hz");
	fill(x, n, 200, 0.0, 0.5, 1);
	spectrum(x, n, p);
	clean = ser_cpp_run(c, p);
	fill(x, n, 200, 0.0, 0.005, 1);
	spectrum(x, n, p);
	loud = ser_cpp_run(c, p);
	fill(x, n, 200, 0.5, 0.5, 1);
	spectrum(x, n, p);
	noisy = ser_cpp_run(c, p);
	srand(1); /* white noise alone */
	for (size_t i = 0; i < n; i++)
		x[i] = (float)((double)rand() / RAND_MAX - 0.5);
	spectrum(x, n, p);
	noise = ser_cpp_run(c, p);
	fill(x, n, 100, 0.0, 0.5, 1);
	spectrum(x, n, p);
	low = ser_cpp_run(c, p);
	CHECK(clean > 5.0, "a pulse train has a prominent cepstral peak (%.2f dB)", clean);
	CHECK_NEAR(loud, clean, 0, 1e-6, "40 dB less gain, the same CPP (%.6f, %.6f)", loud, clean);
	CHECK(noisy < clean - 1.0 && noisy > noise, "noise lowers it (%.2f < %.2f, > %.2f)", noisy,
	      clean, noise);
	CHECK(noise < 1.5, "white noise has almost none (%.2f dB)", noise);
	CHECK(low > 5.0, "a 100 Hz pulse train too (%.2f dB)", low);
	CHECK(ser_cpp_run(c, zero) == 0.0, "a silent frame gives 0");
	ser_cpp_free(c);

	CHECK(ser_cpp_new(RATE, 256, 60, 400, &e) == NULL, "256 points hold fewer than two 60 Hz periods");
	CHECK(ser_cpp_new(RATE, NFFT, 400, 60, &e) == NULL, "F0 range upside down");
	CHECK(ser_cpp_new(RATE, NFFT, 10, 400, &e) == NULL, "F0 floor below 40 Hz");
	CHECK(ser_cpp_new(0, NFFT, 60, 400, &e) == NULL, "no rate");
	ser_cpp_free(NULL);
	free(x);
	return t_done();
}
