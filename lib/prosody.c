/*
 * prosody.c - per-frame F0, voicing, HNR, jitter, shimmer and formants.
 * See prosody.h for the method and the units of every output.
 */
#include "prosody.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#define NCAND 6     /* F0 candidates kept per frame */
#define BLK 8       /* samples per difference-function block at fs4 */
#define NSTATE (NCAND + 1)
#define UNV NCAND   /* the unvoiced state's index */
#define MAX_LPC 24
#define SF_N 1024 /* beta_sf table resolution */
#define MAX_BW 400.0 /* Hz: wider poles are not formants */
#define PI 3.14159265358979323846
#define HARM_PERIODS 3.0 /* window of the harmonic levels, in periods */

/* pYIN threshold priors Beta(2, b), mean 2 / (2 + b): strict for picking
 * the candidate, lenient for the voicing probability */
#ifndef BETA_PICK
#define BETA_PICK 11.333333 /* mean 0.15 */
#endif
#ifndef BETA_VOICE
#define BETA_VOICE 3.0 /* mean 0.40 */
#endif
#ifndef WIN_PERIODS
#define WIN_PERIODS 1.0
#endif
/* Viterbi costs (natural log units) */
#define LOG_STAY (-0.01005033585) /* log(0.99) */
#define LOG_SWITCH (-4.605170186) /* log(0.01) */
#define JUMP_COST_PER_ST 0.35     /* per semitone of F0 change per 10 ms */
#ifndef BIG_JUMP_COST_PER_ST
#define BIG_JUMP_COST_PER_ST 1.0 /* more per semitone beyond BIG_JUMP_ST */
#endif
#define BIG_JUMP_ST 3.0

struct ser_prosody {
	ser_prosody_config c;
	size_t m8;       /* input -> fs8 decimation factor */
	double fs8, fs4; /* analysis rates */
	float *h8;       /* low-pass for m8 (l8 taps, odd; unused when m8 == 1) */
	size_t l8;
	float *h4; /* low-pass for fs8 -> fs4 (l4 taps) */
	size_t l4;
	long *tap_off; /* fir_decimate scratch: max(l8, l4) taps */
	float *tap_c;
	float *ph; /* fir_decimate polyphase scratch */
	size_t tau_min4, tau_max4; /* F0 lag range at fs4 (samples) */
	size_t ts;                 /* row stride: multiple of 8, > tau_max4 + 1 */
	size_t w4, nb;             /* YIN window at fs4, in samples and blocks */
	size_t w8;                 /* refinement window at fs8 (samples) */
	size_t tau_max8;
	long min_cycle8; /* shortest cycle track_cycles accepts (fs8 samples) */
	double *cc;      /* track_cycles correlations: ncc */
	size_t ncc;
	size_t pad8, pad4; /* zeros before and after the decimated signals */
	size_t lpc_n, lpc_p;
	double preemph;
	double jump_cost;     /* per semitone, scaled to the hop */
	size_t fm_step;       /* formants analysed every fm_step frames */
	double big_jump_cost; /* per semitone beyond BIG_JUMP_ST, scaled */
	float sf_pick[SF_N + 2], sf_voice[SF_N + 2]; /* beta_sf tables on [0, 1] */
	/* fixed scratch */
	float *ham;     /* lpc_n */
	float *lpcbuf;  /* lpc_n */
	float *dsum;    /* ts */
	float *cmnd;    /* ts */
	float *ring;    /* (nb + 1) * ts block rows */
	long long *tag; /* nb + 1: which block each ring slot holds */
	double *hwin;   /* nhwin: a windowed frame for the harmonic levels */
	size_t nhwin;
	/* per-run scratch, grown as needed (one block, carved) */
	unsigned char *arena;
	size_t arena_cap;
};

/* Carved per-run arrays. */
typedef struct run_scratch {
	float *x8, *x4;   /* padded decimated signals */
	float *cand_lag;  /* nf * NCAND, fs4 samples */
	float *cand_p;    /* nf * NCAND */
	float *energy;    /* nf, mean square at fs4 */
	float *voicing;   /* nf */
	unsigned char *ncand;
	unsigned char *back; /* nf * NSTATE */
	int *state;          /* nf: chosen state */
	double *lag8;        /* nf: refined lag at fs8, 0 if unvoiced */
	size_t *run_id;      /* nf: first frame of the voiced run */
	double *pt;          /* pulse times (fs8 samples, unpadded) */
	float *pa;           /* cycle peak-to-peak amplitudes */
	double *pp;          /* cycle lengths (fs8 samples) */
	size_t *pseg;        /* pulse voiced-run id */
	size_t pcap;
} run_scratch;

void
ser_prosody_config_default(ser_prosody_config *c, double rate_hz, size_t hop)
{
	c->rate_hz = rate_hz;
	c->hop = hop;
	c->f0_min_hz = 55.0;
	c->f0_max_hz = 600.0;
	c->formant_step_s = 0.02;
}

size_t
ser_prosody_frames_for(size_t n_samples, size_t hop)
{
	if (hop == 0)
		return 0;
	return 1 + n_samples / hop;
}

static double
bessel_i0(double x)
{
	double sum = 1.0, term = 1.0, q = x * x / 4.0;
	int k;

	for (k = 1; k < 60; k++) {
		term *= q / ((double)k * k);
		sum += term;
		if (term < 1e-12 * sum)
			break;
	}
	return sum;
}

/* Kaiser-windowed sinc low-pass for decimation by m: cutoff 0.5/m cycles
 * per input sample (a Nyquist-m filter: the taps at nonzero multiples of m
 * from the centre are exactly zero, and fir_decimate skips them), length l
 * (odd), unit DC gain. */
static void
design_lowpass(float *h, size_t l, size_t factor)
{
	double fc = 0.5 / (double)factor;
	double beta = 6.0, i0b = bessel_i0(beta), sum = 0.0;
	size_t k, half = (l - 1) / 2;

	for (k = 0; k < l; k++) {
		double m = (double)k - (double)half;
		double s = m == 0.0 ? 2.0 * fc : sin(2.0 * PI * fc * m) / (PI * m);
		double u = m / (double)(half ? half : 1);
		double w = bessel_i0(beta * sqrt(fmax(0.0, 1.0 - u * u))) / i0b;
		if (factor > 1 && k != half && ((k > half ? k - half : half - k) % factor) == 0)
			s = 0.0;
		h[k] = (float)(s * w);
		sum += s * w;
	}
	for (k = 0; k < l; k++)
		h[k] = (float)(h[k] / sum);
}

/* Probability that a threshold drawn from Beta(2, b) exceeds v. */
static double
beta_sf(double v, double b)
{
	if (v <= 0.0)
		return 1.0;
	if (v >= 1.0)
		return 0.0;
	return pow(1.0 - v, b) * (1.0 + b * v);
}

static size_t fir_stride(size_t m, size_t l);

void
ser_prosody_free(ser_prosody *p)
{
	if (!p)
		return;
	free(p->h8);
	free(p->h4);
	free(p->tap_off);
	free(p->tap_c);
	free(p->ph);
	free(p->cc);
	free(p->ham);
	free(p->lpcbuf);
	free(p->dsum);
	free(p->cmnd);
	free(p->ring);
	free(p->tag);
	free(p->hwin);
	free(p->arena);
	free(p);
}

ser_prosody *
ser_prosody_new(const ser_prosody_config *c, ser_error *e)
{
	ser_prosody *p;
	size_t k;
	double hop_s;

	if (!c) {
		ser_error_set(e, "prosody: no configuration");
		return NULL;
	}
	if (!(c->rate_hz >= 6000.0 && c->rate_hz <= 384000.0)) {
		ser_error_set(e, "prosody: sample rate %g Hz is outside 6000..384000", c->rate_hz);
		return NULL;
	}
	if (c->hop < 1 || (double)c->hop > c->rate_hz * 10.0) {
		ser_error_set(e, "prosody: hop %zu samples is outside 1..10 s", c->hop);
		return NULL;
	}
	if (!(c->formant_step_s >= 0.0 && c->formant_step_s <= 1.0)) {
		ser_error_set(e, "prosody: formant step %g s is outside 0..1", c->formant_step_s);
		return NULL;
	}
	p = calloc(1, sizeof *p);
	if (!p) {
		ser_error_set(e, "prosody: out of memory");
		return NULL;
	}
	p->c = *c;
	p->m8 = (size_t)floor(c->rate_hz / 8000.0 + 0.5);
	if (p->m8 < 1)
		p->m8 = 1;
	p->fs8 = c->rate_hz / (double)p->m8;
	p->fs4 = p->fs8 / 2.0;
	if (!(c->f0_min_hz >= 30.0 && c->f0_max_hz <= p->fs4 / 5.0 &&
	      c->f0_min_hz * 1.5 <= c->f0_max_hz)) {
		ser_error_set(e,
		              "prosody: F0 range %g..%g Hz is not within 30..%g Hz with max >= 1.5 min",
		              c->f0_min_hz, c->f0_max_hz, p->fs4 / 5.0);
		ser_prosody_free(p);
		return NULL;
	}
	p->tau_min4 = (size_t)floor(p->fs4 / c->f0_max_hz);
	p->tau_max4 = (size_t)ceil(p->fs4 / c->f0_min_hz);
	p->ts = (p->tau_max4 + 2 + 7) / 8 * 8;
	p->nb = (size_t)ceil(WIN_PERIODS * (double)p->tau_max4 / BLK);
	if (p->nb < 4)
		p->nb = 4;
	p->w4 = p->nb * BLK;
	p->w8 = 2 * p->w4;
	p->tau_max8 = 2 * p->tau_max4 + 2;
	/* refined lags are >= 2 tau_min4 - 3.5; cycles >= 0.85 of that */
	p->min_cycle8 = (long)floor(0.85 * (2.0 * (double)p->tau_min4 - 3.5));
	if (p->min_cycle8 < 2)
		p->min_cycle8 = 2;
	p->lpc_n = (size_t)floor(0.025 * p->fs8 + 0.5);
	p->lpc_p = 2 + (size_t)floor(p->fs8 / 1000.0 + 0.5);
	if (p->lpc_p > MAX_LPC)
		p->lpc_p = MAX_LPC;
	p->preemph = exp(-2.0 * PI * 50.0 / p->fs8);
	hop_s = (double)c->hop / c->rate_hz;
	p->jump_cost = JUMP_COST_PER_ST * fmin(1.0, 0.01 / hop_s);
	p->fm_step = (size_t)floor(c->formant_step_s / hop_s + 0.5);
	if (p->fm_step < 1)
		p->fm_step = 1;
	p->big_jump_cost = BIG_JUMP_COST_PER_ST * fmin(1.0, 0.01 / hop_s);

	for (k = 0; k <= SF_N + 1; k++) {
		p->sf_pick[k] = (float)beta_sf((double)k / SF_N, BETA_PICK);
		p->sf_voice[k] = (float)beta_sf((double)k / SF_N, BETA_VOICE);
	}
	p->l8 = p->m8 > 1 ? 20 * p->m8 + 1 : 1;
	p->l4 = 33;
	/* Enough zeros around the decimated signals for every window: the YIN
	 * span plus a block of rounding plus a row of lags, and the pulse and
	 * LPC windows at fs8. */
	p->pad4 = p->w4 + 2 * p->ts + 4 * BLK + p->l4;
	p->pad8 = 2 * p->pad4 + p->lpc_n + 2 * p->tau_max8 + 16;

	p->h8 = calloc(p->l8, sizeof *p->h8);
	p->h4 = calloc(p->l4, sizeof *p->h4);
	p->tap_off = calloc(p->l8 > p->l4 ? p->l8 : p->l4, sizeof *p->tap_off);
	p->tap_c = calloc(p->l8 > p->l4 ? p->l8 : p->l4, sizeof *p->tap_c);
	{
		size_t a8 = p->m8 * fir_stride(p->m8, p->l8), a4 = 2 * fir_stride(2, p->l4);
		p->ph = malloc((a8 > a4 ? a8 : a4) * sizeof *p->ph);
	}
	p->ham = malloc(p->lpc_n * sizeof *p->ham);
	p->lpcbuf = malloc(p->lpc_n * sizeof *p->lpcbuf);
	p->dsum = malloc(p->ts * sizeof *p->dsum);
	p->cmnd = malloc(p->ts * sizeof *p->cmnd);
	p->ring = malloc((p->nb + 1) * p->ts * sizeof *p->ring);
	p->tag = malloc((p->nb + 1) * sizeof *p->tag);
	/* lags 0.85..1.15 of a refined lag <= tau_max8 + 0.5 */
	p->ncc = (size_t)ceil(0.3 * (double)(p->tau_max8 + 1)) + 8;
	p->cc = malloc(p->ncc * sizeof *p->cc);
	/* HARM_PERIODS of the longest refined lag, and the rounding */
	p->nhwin = (size_t)ceil(HARM_PERIODS * (double)(p->tau_max8 + 1)) + 4;
	p->hwin = malloc(p->nhwin * sizeof *p->hwin);
	if (!p->h8 || !p->h4 || !p->ham || !p->lpcbuf || !p->dsum || !p->cmnd || !p->ring ||
	    !p->tag || !p->tap_off || !p->tap_c || !p->ph || !p->cc || !p->hwin) {
		ser_error_set(e, "prosody: out of memory");
		ser_prosody_free(p);
		return NULL;
	}
	if (p->m8 > 1)
		design_lowpass(p->h8, p->l8, p->m8);
	else
		p->h8[0] = 1.0f;
	design_lowpass(p->h4, p->l4, 2);
	for (k = 0; k < p->lpc_n; k++)
		p->ham[k] = (float)(0.54 - 0.46 * cos(2.0 * PI * (double)k / (double)(p->lpc_n - 1)));
	return p;
}

/* y[i] = sum_k h[k] x[i*m + k - (l-1)/2], i = 0..n_out-1, skipping zero
 * taps, where x[j] is taken as 0 outside 0..nx-1 and where it is not
 * finite. The work goes in chunks of FIR_CHUNK outputs: the input span of a
 * chunk is split into its m polyphase components (p->ph, m * stride floats)
 * so that each tap reads a contiguous run and four outputs are made at once
 * (SSE2). */
#define FIR_CHUNK 2048

static size_t
fir_stride(size_t m, size_t l)
{
	return FIR_CHUNK + 2 * ((l - 1) / 2 / m + 1) + 8;
}

static void
fir_decimate(ser_prosody *p, const float *x, size_t nx, size_t n_out, size_t m, const float *h,
             size_t l, float *y)
{
	long half = (long)(l - 1) / 2, qmin = -(half / (long)m) - 1, d, q, pp;
	size_t stride = fir_stride(m, l), i, i0, j, k, nt = 0;
	float *ph = p->ph;

	for (k = 0; k < l; k++) {
		if (h[k] == 0.0f)
			continue;
		d = (long)k - half;
		pp = ((d % (long)m) + (long)m) % (long)m;
		q = (d - pp) / (long)m;
		p->tap_off[nt] = pp * (long)stride + (q - qmin);
		p->tap_c[nt] = h[k];
		nt++;
	}
	for (i0 = 0; i0 < n_out; i0 += FIR_CHUNK) {
		size_t cnt = n_out - i0 < FIR_CHUNK ? n_out - i0 : FIR_CHUNK;
		long base = ((long)i0 + qmin) * (long)m; /* input index of ph[0] */

		for (pp = 0; pp < (long)m; pp++) {
			float *dst = ph + (size_t)pp * stride;
			long at = base + pp;
			if (at >= 0 && at + (long)((stride - 1) * m) < (long)nx) {
				const float *src = x + at;
				for (j = 0; j < stride; j++) {
					float v = src[j * m];
					dst[j] = isfinite(v) ? v : 0.0f;
				}
			} else {
				for (j = 0; j < stride; j++, at += (long)m) {
					float v = at >= 0 && at < (long)nx ? x[at] : 0.0f;
					dst[j] = isfinite(v) ? v : 0.0f;
				}
			}
		}
		i = 0;
#if defined(__SSE2__)
		/* eight outputs per pass: each tap's coefficient is broadcast once */
		for (; i + 8 <= cnt; i += 8) {
			__m128 a0 = _mm_setzero_ps(), a1 = _mm_setzero_ps();
			const float *b = ph + i;
			for (k = 0; k < nt; k++) {
				__m128 c = _mm_set1_ps(p->tap_c[k]);
				const float *src = b + p->tap_off[k];
				a0 = _mm_add_ps(a0, _mm_mul_ps(c, _mm_loadu_ps(src)));
				a1 = _mm_add_ps(a1, _mm_mul_ps(c, _mm_loadu_ps(src + 4)));
			}
			_mm_storeu_ps(y + i0 + i, a0);
			_mm_storeu_ps(y + i0 + i + 4, a1);
		}
#endif
		for (; i < cnt; i++) {
			float acc = 0;
			for (k = 0; k < nt; k++)
				acc += p->tap_c[k] * ph[p->tap_off[k] + (long)i];
			y[i0 + i] = acc;
		}
	}
}

/* row[tau] = sum_{j<BLK} (x[j] - x[j+tau])^2 for tau = 1..ts-1 and
 * row[0] = sum x[j]^2 (the block energy); ts is a multiple of 8. */
static void
block_row(const float *x, size_t ts, float *row)
{
	size_t j, t0;
	float en = 0;

	for (j = 0; j < BLK; j++)
		en += x[j] * x[j];
	for (t0 = 0; t0 < ts; t0 += 8) {
#if defined(__SSE2__)
		__m128 a0 = _mm_setzero_ps(), a1 = _mm_setzero_ps();

		for (j = 0; j < BLK; j++) {
			__m128 xj = _mm_set1_ps(x[j]);
			__m128 d0 = _mm_sub_ps(xj, _mm_loadu_ps(x + j + t0));
			__m128 d1 = _mm_sub_ps(xj, _mm_loadu_ps(x + j + t0 + 4));
			a0 = _mm_add_ps(a0, _mm_mul_ps(d0, d0));
			a1 = _mm_add_ps(a1, _mm_mul_ps(d1, d1));
		}
		_mm_storeu_ps(row + t0, a0);
		_mm_storeu_ps(row + t0 + 4, a1);
#else
		size_t k;
		for (k = 0; k < 8; k++) {
			float acc = 0;
			for (j = 0; j < BLK; j++) {
				float d = x[j] - x[j + t0 + k];
				acc += d * d;
			}
			row[t0 + k] = acc;
		}
#endif
	}
	row[0] = en;
}

static double
lag_to_semitone(double fs, double lag)
{
	return 12.0 * log2(fs / lag / 27.5);
}

static int
reserve(ser_prosody *p, size_t need, ser_error *e)
{
	unsigned char *a;

	if (need <= p->arena_cap)
		return 0;
	a = realloc(p->arena, need);
	if (!a)
		return ser_error_set(e, "prosody: out of memory for %zu bytes of scratch", need);
	p->arena = a;
	p->arena_cap = need;
	return 0;
}

/* Add count*size bytes (aligned to 16) to *total; -1 on overflow. */
static int
add_size(size_t *total, size_t count, size_t size)
{
	size_t b;

	if (size && count > (SIZE_MAX - 64) / size)
		return -1;
	b = (count * size + 15) / 16 * 16;
	if (*total > SIZE_MAX - b)
		return -1;
	*total += b;
	return 0;
}

static void *
carve(unsigned char **at, size_t count, size_t size)
{
	void *r = *at;

	*at += (count * size + 15) / 16 * 16;
	return r;
}

/* beta_sf from a table (linear interpolation; v clamped to [0, 1]) */
static double
sf_lookup(const float *tab, double v)
{
	double u;
	size_t i;

	if (!(v > 0.0))
		return tab[0];
	if (v >= 1.0)
		return 0.0;
	u = v * SF_N;
	i = (size_t)u;
	return tab[i] + (u - (double)i) * (tab[i + 1] - tab[i]);
}

/* ---- F0 candidates (fs4) -------------------------------------------------- */

static void
frame_candidates(ser_prosody *p, run_scratch *s, size_t t, double c4)
{
	const size_t R = p->nb + 1, ts = p->ts;
	double span = (double)(p->w4 + p->tau_max4);
	double sp = c4 - span / 2.0 + (double)p->pad4;
	long long kb = (long long)floor(sp / BLK + 0.5), k;
	size_t tau, i, nc = 0;
	float lag[NCAND], val[NCAND];
	double run, prevmin;

	memset(p->dsum, 0, ts * sizeof *p->dsum);
	for (k = kb; k < kb + (long long)p->nb; k++) {
		size_t slot = (size_t)k % R;
		const float *row = p->ring + slot * ts;
		float *ds = p->dsum;

		if (p->tag[slot] != k) {
			block_row(s->x4 + (size_t)k * BLK, ts, p->ring + slot * ts);
			p->tag[slot] = k;
		}
#if defined(__SSE2__)
		for (tau = 0; tau < ts; tau += 4)
			_mm_storeu_ps(ds + tau, _mm_add_ps(_mm_loadu_ps(ds + tau), _mm_loadu_ps(row + tau)));
#else
		for (tau = 0; tau < ts; tau++)
			ds[tau] += row[tau];
#endif
	}
	s->energy[t] = p->dsum[0] / (float)p->w4;

	p->cmnd[0] = 1.0f;
	run = 0.0;
	for (tau = 1; tau <= p->tau_max4 + 1; tau++) {
		run += p->dsum[tau];
		p->cmnd[tau] = run > 1e-30 ? (float)(p->dsum[tau] * (double)tau / run) : 1.0f;
	}
	for (tau = p->tau_min4; tau <= p->tau_max4; tau++) {
		float a = p->cmnd[tau - 1], b = p->cmnd[tau], cc = p->cmnd[tau + 1];
		double den, dl, v;

		if (!(b < a && b <= cc && b < 1.0f))
			continue;
		den = (double)a - 2.0 * b + cc;
		dl = den > 0 ? 0.5 * ((double)a - cc) / den : 0.0;
		if (dl > 0.5)
			dl = 0.5;
		if (dl < -0.5)
			dl = -0.5;
		v = b - 0.25 * ((double)a - cc) * dl;
		if (v < 0)
			v = 0;
		if (nc < NCAND) {
			lag[nc] = (float)((double)tau + dl);
			val[nc] = (float)v;
			nc++;
		} else {
			/* replace the worst kept dip if this one is better, keeping lag order */
			size_t w = 0;
			for (i = 1; i < NCAND; i++)
				if (val[i] > val[w])
					w = i;
			if (v < val[w]) {
				for (i = w; i + 1 < NCAND; i++) {
					lag[i] = lag[i + 1];
					val[i] = val[i + 1];
				}
				lag[NCAND - 1] = (float)((double)tau + dl);
				val[NCAND - 1] = (float)v;
			}
		}
	}
	/* pYIN: candidate i is the first dip below threshold s when
	 * val[i] < s <= min_{j<i} val[j]; with a strict threshold prior this
	 * picks among the candidates (favouring the shortest period, against
	 * octave-down errors). The voicing probability comes from a lenient
	 * prior on the lowest dip, and is shared out in those proportions. */
	prevmin = 2.0;
	{
		double sum = 0.0, pv = 0.0, vmin = 2.0;
		size_t imin = 0;
		float pr[NCAND];

		for (i = 0; i < nc; i++) {
			pr[i] = val[i] < prevmin ? (float)(sf_lookup(p->sf_pick, val[i]) -
			                                   sf_lookup(p->sf_pick, prevmin))
			                         : 0.0f;
			sum += pr[i];
			if (val[i] < prevmin)
				prevmin = val[i];
			if (val[i] < vmin) {
				vmin = val[i];
				imin = i;
			}
		}
		if (nc)
			pv = sf_lookup(p->sf_voice, vmin);
		for (i = 0; i < nc; i++) {
			s->cand_lag[t * NCAND + i] = lag[i];
			if (sum > 1e-12)
				s->cand_p[t * NCAND + i] = (float)(pr[i] / sum * pv);
			else
				s->cand_p[t * NCAND + i] = i == imin ? (float)pv : 0.0f;
		}
		s->voicing[t] = (float)pv;
	}
	s->ncand[t] = (unsigned char)nc;
}

/* Viterbi over {candidates, unvoiced}; writes s->state. */
static void
viterbi(ser_prosody *p, run_scratch *s, size_t nf)
{
	double prev[NSTATE], cur[NSTATE], st_prev[NSTATE], st_cur[NSTATE];
	size_t t, i, j, np = 0;
	int best;

	for (t = 0; t < nf; t++) {
		size_t nc = s->ncand[t];
		double pv = s->voicing[t];

		for (j = 0; j < nc; j++)
			st_cur[j] = lag_to_semitone(p->fs4, s->cand_lag[t * NCAND + j]);
		for (j = 0; j < NSTATE; j++) {
			double em, bestv = -INFINITY;
			int arg = UNV;

			if (j < nc)
				em = log(s->cand_p[t * NCAND + j] + 1e-6);
			else if (j == UNV)
				em = log(1.0 - pv + 1e-6);
			else {
				cur[j] = -INFINITY;
				s->back[t * NSTATE + j] = UNV;
				continue;
			}
			if (t == 0) {
				cur[j] = em;
				s->back[t * NSTATE + j] = UNV;
				continue;
			}
			for (i = 0; i < NSTATE; i++) {
				double tr, v;

				if (i < np) {
					double dst = fabs(st_cur[j] - st_prev[i]);
					tr = j == UNV ? LOG_SWITCH
					              : LOG_STAY - p->jump_cost * dst -
					                    p->big_jump_cost * fmax(0.0, dst - BIG_JUMP_ST);
				} else if (i == UNV) {
					tr = j == UNV ? LOG_STAY : LOG_SWITCH;
				} else
					continue;
				v = prev[i] + tr;
				if (v > bestv) {
					bestv = v;
					arg = (int)i;
				}
			}
			cur[j] = bestv + em;
			s->back[t * NSTATE + j] = (unsigned char)arg;
		}
		memcpy(prev, cur, sizeof prev);
		memcpy(st_prev, st_cur, sizeof st_prev);
		np = nc;
	}
	best = UNV;
	for (j = 0; j < NSTATE; j++)
		if (prev[j] > prev[best])
			best = (int)j;
	for (t = nf; t-- > 0;) {
		s->state[t] = best;
		best = s->back[t * NSTATE + (size_t)best];
	}
}

/* sum a[j] b[j] and sum (a[j] - b[j])^2 over j < n (float accumulation in
 * four lanes, returned as double). */
static double
dot(const float *a, const float *b, size_t n)
{
	size_t j = 0;
	float t = 0;
#if defined(__SSE2__)
	__m128 acc = _mm_setzero_ps();
	float l[4];

	for (; j + 4 <= n; j += 4)
		acc = _mm_add_ps(acc, _mm_mul_ps(_mm_loadu_ps(a + j), _mm_loadu_ps(b + j)));
	_mm_storeu_ps(l, acc);
	t = (l[0] + l[1]) + (l[2] + l[3]);
#endif
	for (; j < n; j++)
		t += a[j] * b[j];
	return t;
}

static double
sqdiff(const float *a, const float *b, size_t n)
{
	size_t j = 0;
	float t = 0;
#if defined(__SSE2__)
	__m128 acc = _mm_setzero_ps();
	float l[4];

	for (; j + 4 <= n; j += 4) {
		__m128 d = _mm_sub_ps(_mm_loadu_ps(a + j), _mm_loadu_ps(b + j));
		acc = _mm_add_ps(acc, _mm_mul_ps(d, d));
	}
	_mm_storeu_ps(l, acc);
	t = (l[0] + l[1]) + (l[2] + l[3]);
#endif
	for (; j < n; j++)
		t += (a[j] - b[j]) * (a[j] - b[j]);
	return t;
}

/* Refine the fs4 lag on the fs8 signal; returns the lag in fs8 samples and
 * the normalised autocorrelation at it in *r. */
static double
refine_lag(ser_prosody *p, const float *x8, double c8, double lag4, double *r)
{
	double dd[5], e0 = 0, el[5];
	long li = (long)floor(2.0 * lag4 + 0.5), lo, L, lm;
	double span, a, b, cc, den, dl, dmin, rr;
	size_t s;

	if (li < 3)
		li = 3;
	if (li > (long)p->tau_max8)
		li = (long)p->tau_max8;
	lo = li - 2;
	span = (double)p->w8 + (double)li;
	s = (size_t)floor(c8 - span / 2.0 + (double)p->pad8);
	e0 = dot(x8 + s, x8 + s, p->w8);
	for (L = 0; L < 5; L++) {
		const float *xb = x8 + s + (size_t)(lo + L);

		dd[L] = sqdiff(x8 + s, xb, p->w8);
		el[L] = dot(xb, xb, p->w8);
	}
	lm = 1;
	for (L = 2; L <= 3; L++)
		if (dd[L] < dd[lm])
			lm = L;
	a = dd[lm - 1];
	b = dd[lm];
	cc = dd[lm + 1];
	den = a - 2.0 * b + cc;
	dl = den > 0 ? 0.5 * (a - cc) / den : 0.0;
	if (dl > 0.5)
		dl = 0.5;
	if (dl < -0.5)
		dl = -0.5;
	dmin = b - 0.25 * (a - cc) * dl;
	if (dmin < 0)
		dmin = 0;
	rr = 0.0;
	if (e0 > 1e-20 && el[lm] > 1e-20)
		rr = (e0 + el[lm] - dmin) / (2.0 * sqrt(e0 * el[lm]));
	*r = rr;
	return (double)(lo + lm) + dl;
}

/* ---- pulses, jitter, shimmer (fs8) ---------------------------------------- */

static double
run_lag_at(const ser_prosody *p, const run_scratch *s, double pos8, size_t ta, size_t tb)
{
	double f = pos8 * (double)p->m8 / (double)p->c.hop;
	size_t t;

	if (f < (double)ta)
		t = ta;
	else if (f > (double)tb)
		t = tb;
	else
		t = (size_t)floor(f + 0.5);
	if (t > tb)
		t = tb;
	return s->lag8[t];
}

/* Follow the glottal cycles of the voiced run ta..tb on the fs8 signal:
 * from an anchor (the dominant-polarity peak in the first period), the next
 * cycle starts at the lag in 0.85..1.15 local periods that maximises the
 * normalised cross-correlation of one period of waveform with the next
 * (parabolic sub-sample lag). Appends per cycle its start (s->pt, fs8
 * samples), length (s->pp) and peak-to-peak amplitude (s->pa). */
static size_t
track_cycles(ser_prosody *p, run_scratch *s, size_t n8, size_t ta, size_t tb, size_t np)
{
	const float *x = s->x8 + p->pad8;
	double hop8 = (double)p->c.hop / (double)p->m8;
	double a = (double)ta * hop8 - hop8 / 2.0, b = (double)tb * hop8 + hop8 / 2.0;
	long lo, hi, k, pos, best;
	float mx = 0, mn = 0, sg;

	if (a < 0)
		a = 0;
	if (b > (double)n8 - 1)
		b = (double)n8 - 1;
	lo = (long)ceil(a);
	hi = (long)floor(b);
	if (hi - lo < 4)
		return np;
	for (k = lo; k <= hi; k++) {
		if (x[k] > mx)
			mx = x[k];
		if (x[k] < mn)
			mn = x[k];
	}
	sg = mx >= -mn ? 1.0f : -1.0f;
	{
		long end = lo + (long)ceil(run_lag_at(p, s, (double)lo, ta, tb));
		if (end > hi)
			end = hi;
		best = lo;
		for (k = lo; k <= end; k++)
			if (sg * x[k] > sg * x[best])
				best = k;
	}
	pos = best;
	while (np < s->pcap) {
		double lag = run_lag_at(p, s, (double)pos, ta, tb), e0, e1, cbest = -2.0, cprev, cnext;
		double *cc = p->cc, dl = 0.0, per;
		long w = (long)floor(lag + 0.5), l0 = (long)floor(0.85 * lag), l1 = (long)ceil(1.15 * lag);
		long st, nl, bi = 0;
		float vmax, vmin;

		if (w < 4 || l0 < p->min_cycle8 || (size_t)(l1 - l0 + 1) > p->ncc)
			break;
		st = pos - w / 2;
		/* cycles start inside the run; their waveforms may reach past it
		 * but not past the signal */
		if (pos > hi || st < 0 || st + l1 + w > (long)n8)
			break;
		e0 = dot(x + st, x + st, (size_t)w);
		nl = l1 - l0 + 1;
		e1 = dot(x + st + l0, x + st + l0, (size_t)w);
		for (k = 0; k < nl; k++) {
			const float *y = x + st + l0 + k;
			double c = dot(x + st, y, (size_t)w);
			if (k > 0) /* slide the energy window by one sample */
				e1 += (double)y[w - 1] * y[w - 1] - (double)y[-1] * y[-1];
			cc[k] = e0 > 0 && e1 > 1e-12 * e0 ? c / sqrt(e0 * e1) : 0.0;
			if (cc[k] > cbest) {
				cbest = cc[k];
				bi = k;
			}
		}
		if (cbest < 0.3)
			break; /* no longer periodic here */
		if (bi > 0 && bi + 1 < nl) {
			double den;
			cprev = cc[bi - 1];
			cnext = cc[bi + 1];
			den = cprev - 2.0 * cbest + cnext;
			if (den < 0) {
				dl = 0.5 * (cprev - cnext) / den;
				if (dl > 0.5)
					dl = 0.5;
				if (dl < -0.5)
					dl = -0.5;
			}
		}
		per = (double)(l0 + bi) + dl;
		vmax = vmin = x[pos];
		for (k = pos; k < pos + l0 + bi; k++) {
			if (x[k] > vmax)
				vmax = x[k];
			if (x[k] < vmin)
				vmin = x[k];
		}
		s->pt[np] = (double)pos;
		s->pp[np] = per;
		s->pa[np] = sg > 0 ? vmax : -vmin;
		s->pseg[np] = ta;
		np++;
		pos += l0 + bi;
	}
	return np;
}

/* ---- formants (fs8) ------------------------------------------------------- */

/* One Bairstow factor x^2 - r x - s of the ascending-coefficient polynomial
 * a[0..n] (n >= 3). On success the quotient (degree n-2) is in q[0..n-2]. */
static int
bairstow(const double *a, size_t n, double *r, double *s, double *q)
{
	double b[MAX_LPC + 1], c[MAX_LPC + 1];
	int it;
	size_t i;

	for (it = 0; it < 40; it++) {
		double det, dr, ds;

		b[n] = a[n];
		b[n - 1] = a[n - 1] + *r * b[n];
		for (i = n - 1; i-- > 0;)
			b[i] = a[i] + *r * b[i + 1] + *s * b[i + 2];
		c[n] = b[n];
		c[n - 1] = b[n - 1] + *r * c[n];
		for (i = n - 1; i-- > 1;)
			c[i] = b[i] + *r * c[i + 1] + *s * c[i + 2];
		det = c[2] * c[2] - c[3] * c[1];
		if (fabs(det) < 1e-300)
			return -1;
		dr = (-b[1] * c[2] + b[0] * c[3]) / det;
		ds = (-b[0] * c[2] + b[1] * c[1]) / det;
		*r += dr;
		*s += ds;
		if (!isfinite(*r) || !isfinite(*s) || fabs(*r) > 1e6 || fabs(*s) > 1e6)
			return -1;
		if (fabs(dr) + fabs(ds) < 1e-7 * (1.0 + fabs(*r) + fabs(*s))) {
			/* quotient with the final (r, s) */
			b[n] = a[n];
			b[n - 1] = a[n - 1] + *r * b[n];
			for (i = n - 1; i-- > 2;)
				b[i] = a[i] + *r * b[i + 1] + *s * b[i + 2];
			for (i = 0; i + 2 <= n; i++)
				q[i] = b[i + 2];
			return 0;
		}
	}
	return -1;
}

typedef struct formant_state {
	double r[MAX_LPC / 2], s[MAX_LPC / 2]; /* warm-start factors */
	size_t n;
} formant_state;

/* Formants of the frame centred at c8 (fs8 samples); returns how many
 * (<= 3) were written to f[], bw[]. */
static size_t
frame_formants(ser_prosody *p, const float *x8, double c8, formant_state *fs, double *f,
               double *bw)
{
	size_t n = p->lpc_n, P = p->lpc_p, j, k, deg, nq = 0, nfm = 0;
	size_t s0 = (size_t)floor(c8 - (double)n / 2.0 + (double)p->pad8);
	double rr[MAX_LPC + 1], a[MAX_LPC + 1], tmp[MAX_LPC + 1], err;
	double poly[MAX_LPC + 1], quo[MAX_LPC + 1], qr[MAX_LPC / 2 + 1], qs[MAX_LPC / 2 + 1];
	double ff[MAX_LPC], bb[MAX_LPC];
	float *w = p->lpcbuf;
	const float pe = (float)p->preemph;

	for (j = 0; j < n; j++)
		w[j] = p->ham[j] * (x8[s0 + j] - pe * x8[s0 + j - 1]);
	for (k = 0; k <= P; k++)
		rr[k] = dot(w, w + k, n - k);
	if (!(rr[0] > 1e-20))
		return 0;
	rr[0] *= 1.0 + 1e-6; /* white-noise correction at -60 dB */
	/* Levinson-Durbin: A(z) = 1 + sum a[k] z^-k */
	a[0] = 1.0;
	for (k = 1; k <= P; k++)
		a[k] = 0.0;
	err = rr[0];
	for (k = 1; k <= P; k++) {
		double acc = rr[k], kk;

		for (j = 1; j < k; j++)
			acc += a[j] * rr[k - j];
		kk = -acc / err;
		if (!(fabs(kk) < 1.0))
			return 0;
		for (j = 0; j <= k; j++)
			tmp[j] = a[j];
		for (j = 1; j < k; j++)
			a[j] = tmp[j] + kk * tmp[k - j];
		a[k] = kk;
		err *= 1.0 - kk * kk;
		if (!(err > 0))
			return 0;
	}
	/* z^P + a1 z^(P-1) + ... + aP, ascending: poly[i] = a[P - i] */
	for (j = 0; j <= P; j++)
		poly[j] = a[P - j];
	deg = P;
	while (deg >= 3) {
		double r0, sv0;
		int ok = -1, attempt;

		for (attempt = 0; attempt < 4 && ok != 0; attempt++) {
			if (attempt == 0 && nq < fs->n) {
				r0 = fs->r[nq];
				sv0 = fs->s[nq];
			} else {
				double th = PI * ((double)(nq + attempt) + 0.5) / (double)(P / 2 + 1);
				double rho = 0.9;
				r0 = 2.0 * rho * cos(th);
				sv0 = -rho * rho;
			}
			ok = bairstow(poly, deg, &r0, &sv0, quo);
		}
		if (ok != 0)
			break;
		qr[nq] = r0;
		qs[nq] = sv0;
		nq++;
		for (j = 0; j + 2 <= deg; j++)
			poly[j] = quo[j];
		deg -= 2;
	}
	if (deg == 2 && fabs(poly[2]) > 0) {
		/* x^2 + (p1/p2) x + p0/p2 = x^2 - r x - s */
		qr[nq] = -poly[1] / poly[2];
		qs[nq] = -poly[0] / poly[2];
		nq++;
	}
	fs->n = 0;
	for (k = 0; k < nq; k++) {
		double disc = qr[k] * qr[k] + 4.0 * qs[k], re, im, rho, fr, b;

		if (k < MAX_LPC / 2 && deg < 3) {
			fs->r[fs->n] = qr[k];
			fs->s[fs->n] = qs[k];
			fs->n++;
		}
		if (disc >= 0)
			continue;
		re = qr[k] / 2.0;
		im = sqrt(-disc) / 2.0;
		rho = sqrt(re * re + im * im);
		if (!(rho > 0 && rho < 1))
			continue;
		fr = atan2(im, re) * p->fs8 / (2.0 * PI);
		b = -log(rho) * p->fs8 / PI;
		if (fr > 90.0 && fr < p->fs8 / 2.0 - 90.0 && b < MAX_BW) {
			ff[nfm] = fr;
			bb[nfm] = b;
			nfm++;
		}
	}
	/* sort by frequency (insertion; nfm <= P/2) */
	for (j = 1; j < nfm; j++) {
		double vf = ff[j], vb = bb[j];
		k = j;
		while (k > 0 && ff[k - 1] > vf) {
			ff[k] = ff[k - 1];
			bb[k] = bb[k - 1];
			k--;
		}
		ff[k] = vf;
		bb[k] = vb;
	}
	for (j = 0; j < nfm && j < 3; j++) {
		f[j] = ff[j];
		bw[j] = bb[j];
	}
	return nfm < 3 ? nfm : 3;
}

/* ---- harmonic amplitudes (fs8) ------------------------------------------- */

/* Window the frame centred at c8 whose period is lag8 (fs8 samples) into
 * p->hwin: a Hann window of HARM_PERIODS periods, so that the other
 * harmonics of a steady voice fall on its zeros. Returns the first sample's
 * offset from c8 in *t0 and the length. */
static size_t
harmonic_window(ser_prosody *p, const float *x8, size_t x8_len, double c8, double lag8,
                double *t0)
{
	double half = HARM_PERIODS * lag8 / 2.0, cr, ci, sr, si, t;
	long long a = (long long)ceil(c8 - half), b = (long long)floor(c8 + half), n;
	size_t m = 0;

	if (a + (long long)p->pad8 < 0)
		a = -(long long)p->pad8;
	if (b + (long long)p->pad8 >= (long long)x8_len)
		b = (long long)x8_len - (long long)p->pad8 - 1;
	if (b - a + 1 > (long long)p->nhwin)
		b = a + (long long)p->nhwin - 1;
	*t0 = (double)a - c8;
	/* cos(pi (n - c8) / half) by rotation */
	cr = cos(PI * *t0 / half);
	ci = sin(PI * *t0 / half);
	sr = cos(PI / half);
	si = sin(PI / half);
	for (n = a; n <= b; n++) {
		p->hwin[m++] = (0.5 + 0.5 * cr) * x8[(size_t)(n + (long long)p->pad8)];
		t = cr * sr - ci * si;
		ci = cr * si + ci * sr;
		cr = t;
	}
	return m;
}

/* |sum_n hwin(n) exp(-2 pi i h (t0 + n) / lag8)|: harmonic h's amplitude. */
static double
harmonic_amp(const ser_prosody *p, size_t m, double t0, double lag8, double h)
{
	double step = 2.0 * PI * h / lag8, re = 0, im = 0, cr, ci, sr, si, t;
	size_t n;

	cr = cos(step * t0);
	ci = -sin(step * t0);
	sr = cos(step);
	si = -sin(step);
	for (n = 0; n < m; n++) {
		re += p->hwin[n] * cr;
		im += p->hwin[n] * ci;
		t = cr * sr - ci * si;
		ci = cr * si + ci * sr;
		cr = t;
	}
	return sqrt(re * re + im * im);
}

/* ---- driver --------------------------------------------------------------- */

static void
put(float *a, size_t t, double v)
{
	if (a)
		a[t] = isfinite(v) ? (float)v : 0.0f;
}

/* F1..F3 then B1..B3 (Hz) into frame t of out. */
static void
put_formants(ser_prosody_frames *out, size_t t, const double *v)
{
	put(out->f1_hz, t, v[0]);
	put(out->f2_hz, t, v[1]);
	put(out->f3_hz, t, v[2]);
	put(out->b1_hz, t, v[3]);
	put(out->b2_hz, t, v[4]);
	put(out->b3_hz, t, v[5]);
}

int
ser_prosody_run(ser_prosody *p, const float *x, size_t n, ser_prosody_frames *out, ser_error *e)
{
	size_t nf, n8, n4, x8_len, x4_len, need = 0, t, j;
	run_scratch s;
	unsigned char *at;
	float maxe = 0;
	int want_js, want_fm;

	if (!p || !out)
		return ser_error_set(e, "prosody: no analyser or output");
	if (!x && n > 0)
		return ser_error_set(e, "prosody: no input samples");
	if (n > (size_t)LLONG_MAX / 4 || n >= SIZE_MAX / 2)
		return ser_error_set(e, "prosody: input of %zu samples is too long", n);
	nf = ser_prosody_frames_for(n, p->c.hop);
	for (t = 0; t < nf; t++) {
		put(out->f0_semitone, t, 0);
		put(out->voicing, t, 0);
		put(out->hnr_db, t, 0);
		put(out->jitter, t, 0);
		put(out->shimmer, t, 0);
		put(out->shimmer_db, t, 0);
		put(out->f1_hz, t, 0);
		put(out->f2_hz, t, 0);
		put(out->f3_hz, t, 0);
		put(out->b1_hz, t, 0);
		put(out->b2_hz, t, 0);
		put(out->b3_hz, t, 0);
		put(out->h1h2_db, t, 0);
		put(out->h1a3_db, t, 0);
		if (out->voiced)
			out->voiced[t] = 0;
	}
	/* shorter than one YIN window: nothing can be voiced */
	if (n < p->w4 * 2 * p->m8)
		return 0;

	n8 = (n + p->m8 - 1) / p->m8;
	n4 = (n8 + 1) / 2;
	x8_len = n8 + 2 * p->pad8;
	x4_len = n4 + 2 * p->pad4;
	memset(&s, 0, sizeof s);
	/* each voiced run holds at most its length / min_cycle8 + 1 cycles */
	s.pcap = n8 / (size_t)p->min_cycle8 + nf + 16;
	if (add_size(&need, x8_len, sizeof(float)) ||
	    add_size(&need, x4_len, sizeof(float)) || add_size(&need, nf, NCAND * sizeof(float)) ||
	    add_size(&need, nf, NCAND * sizeof(float)) || add_size(&need, nf, sizeof(float)) ||
	    add_size(&need, nf, sizeof(float)) || add_size(&need, nf, 1) ||
	    add_size(&need, nf, NSTATE) || add_size(&need, nf, sizeof(int)) ||
	    add_size(&need, nf, sizeof(double)) || add_size(&need, nf, sizeof(size_t)) ||
	    add_size(&need, s.pcap, sizeof(double)) || add_size(&need, s.pcap, sizeof(float)) ||
	    add_size(&need, s.pcap, sizeof(double)) ||
	    add_size(&need, s.pcap, sizeof(size_t)))
		return ser_error_set(e, "prosody: input of %zu samples is too long", n);
	if (reserve(p, need, e))
		return -1;
	at = p->arena;
	s.x8 = carve(&at, x8_len, sizeof(float));
	s.x4 = carve(&at, x4_len, sizeof(float));
	s.cand_lag = carve(&at, nf, NCAND * sizeof(float));
	s.cand_p = carve(&at, nf, NCAND * sizeof(float));
	s.energy = carve(&at, nf, sizeof(float));
	s.voicing = carve(&at, nf, sizeof(float));
	s.ncand = carve(&at, nf, 1);
	s.back = carve(&at, nf, NSTATE);
	s.state = carve(&at, nf, sizeof(int));
	s.lag8 = carve(&at, nf, sizeof(double));
	s.run_id = carve(&at, nf, sizeof(size_t));
	s.pt = carve(&at, s.pcap, sizeof(double));
	s.pa = carve(&at, s.pcap, sizeof(float));
	s.pp = carve(&at, s.pcap, sizeof(double));
	s.pseg = carve(&at, s.pcap, sizeof(size_t));

	/* decimate: input -> fs8 (with a DC blocker) -> fs4 */
	/* only the pads need zeros: every other sample is written below */
	memset(s.x8, 0, p->pad8 * sizeof(float));
	memset(s.x8 + p->pad8 + n8, 0, (x8_len - p->pad8 - n8) * sizeof(float));
	memset(s.x4, 0, p->pad4 * sizeof(float));
	memset(s.x4 + p->pad4 + n4, 0, (x4_len - p->pad4 - n4) * sizeof(float));
	if (p->m8 > 1)
		fir_decimate(p, x, n, n8, p->m8, p->h8, p->l8, s.x8 + p->pad8);
	else
		for (j = 0; j < n; j++)
			s.x8[p->pad8 + j] = isfinite(x[j]) ? x[j] : 0.0f;
	{
		float *y = s.x8 + p->pad8, x1 = 0, y1 = 0;
		const float a = (float)exp(-2.0 * PI * 30.0 / p->fs8);
		for (j = 0; j < n8; j++) {
			float v = y[j] - x1 + a * y1;
			x1 = y[j];
			y[j] = y1 = v;
		}
	}
	fir_decimate(p, s.x8 + p->pad8, n8, n4, 2, p->h4, p->l4, s.x4 + p->pad4);

	/* F0 candidates per frame */
	for (j = 0; j <= p->nb; j++)
		p->tag[j] = -1;
	for (t = 0; t < nf; t++) {
		double c8 = (double)t * (double)p->c.hop / (double)p->m8;
		frame_candidates(p, &s, t, c8 / 2.0);
		if (s.energy[t] > maxe)
			maxe = s.energy[t];
	}
	for (t = 0; t < nf; t++) {
		if (s.energy[t] < maxe * 1e-5f || s.energy[t] < 1e-10f) {
			s.ncand[t] = 0;
			s.voicing[t] = 0;
		}
	}
	viterbi(p, &s, nf);

	/* refine, HNR */
	for (t = 0; t < nf; t++) {
		double c8 = (double)t * (double)p->c.hop / (double)p->m8, r, lag8, hnr;
		int st = s.state[t];

		put(out->voicing, t, s.voicing[t]);
		s.lag8[t] = 0;
		if (st == UNV)
			continue;
		lag8 = refine_lag(p, s.x8, c8, s.cand_lag[t * NCAND + (size_t)st], &r);
		if (!(lag8 > 1.0) || !isfinite(lag8))
			continue;
		s.lag8[t] = lag8;
		if (r < 1e-4)
			r = 1e-4;
		if (r > 1.0 - 1e-4)
			r = 1.0 - 1e-4;
		hnr = 10.0 * log10(r / (1.0 - r));
		put(out->f0_semitone, t, lag_to_semitone(p->fs8, lag8));
		put(out->hnr_db, t, hnr);
		if (out->voiced)
			out->voiced[t] = 1;
	}

	/* voiced runs */
	for (t = 0; t < nf; t++)
		s.run_id[t] = s.lag8[t] > 0 ? (t > 0 && s.lag8[t - 1] > 0 ? s.run_id[t - 1] : t) : SIZE_MAX;

	want_js = out->jitter || out->shimmer || out->shimmer_db;
	if (want_js) {
		size_t np = 0, lo = 0;

		for (t = 0; t < nf;) {
			size_t tb = t;
			if (s.lag8[t] <= 0) {
				t++;
				continue;
			}
			while (tb + 1 < nf && s.lag8[tb + 1] > 0)
				tb++;
			np = track_cycles(p, &s, n8, t, tb, np);
			t = tb + 1;
		}
		for (t = 0; t < nf; t++) {
			double sdb = 0;
			double c8 = (double)t * (double)p->c.hop / (double)p->m8, half, sp = 0, sa = 0,
			       sdp = 0, sda = 0, prevp = 0;
			size_t i, npul = 0, nper = 0, ndp = 0, nda = 0;

			if (s.lag8[t] <= 0)
				continue;
			half = fmax(0.015 * p->fs8, 2.0 * s.lag8[t]);
			while (lo < np && s.pt[lo] < c8 - half)
				lo++;
			for (i = lo; i < np && s.pt[i] <= c8 + half; i++) {
				double per = s.pp[i];
				if (s.pseg[i] != s.run_id[t])
					continue;
				sa += s.pa[i];
				sp += per;
				npul++;
				nper++;
				if (npul >= 2) {
					sda += fabs((double)s.pa[i] - s.pa[i - 1]);
					if (s.pa[i] > 0 && s.pa[i - 1] > 0)
						sdb += fabs(20.0 * log10((double)s.pa[i] / s.pa[i - 1]));
					nda++;
					if (per < 1.3 * prevp && prevp < 1.3 * per) {
						sdp += fabs(per - prevp);
						ndp++;
					}
				}
				prevp = per;
			}
			if (npul >= 3 && ndp > 0 && sp > 0)
				put(out->jitter, t, (sdp / (double)ndp) / (sp / (double)nper));
			if (npul >= 3 && sa > 0)
			{
				put(out->shimmer, t, (sda / (double)nda) / (sa / (double)npul));
				put(out->shimmer_db, t, sdb / (double)nda);
			}
		}
	}

	want_fm = out->f1_hz || out->f2_hz || out->f3_hz || out->b1_hz || out->b2_hz || out->b3_hz;
	if (want_fm) {
		formant_state fst;
		size_t ta = 0, tb, tt, u, k;

		/* per voiced run: analyse every fm_step-th frame and the last one,
		 * interpolate linearly between them */
		while (ta < nf) {
			double held[6] = {0, 0, 0, 0, 0, 0}, prevv[6], v[6];
			size_t t0 = SIZE_MAX;

			if (s.lag8[ta] <= 0) {
				ta++;
				continue;
			}
			tb = ta;
			while (tb + 1 < nf && s.lag8[tb + 1] > 0)
				tb++;
			fst.n = 0;
			for (tt = ta;;) {
				double c8 = (double)tt * (double)p->c.hop / (double)p->m8, f[3], bw[3];
				size_t nfm = frame_formants(p, s.x8, c8, &fst, f, bw);

				for (k = 0; k < nfm; k++) {
					held[k] = f[k];
					held[3 + k] = bw[k];
				}
				put_formants(out, tt, held);
				if (t0 != SIZE_MAX)
					for (u = t0 + 1; u < tt; u++) {
						double w = (double)(u - t0) / (double)(tt - t0);
						for (k = 0; k < 6; k++)
							v[k] = prevv[k] == 0 ? held[k]
							     : held[k] == 0 ? prevv[k]
							                    : prevv[k] + w * (held[k] - prevv[k]);
						put_formants(out, u, v);
					}
				memcpy(prevv, held, sizeof prevv);
				t0 = tt;
				if (tt == tb)
					break;
				tt = tt + p->fm_step > tb ? tb : tt + p->fm_step;
			}
			ta = tb + 1;
		}
	}
	if (out->h1h2_db || out->h1a3_db) {
		for (t = 0; t < nf; t++) {
			double c8 = (double)t * (double)p->c.hop / (double)p->m8, lag8 = s.lag8[t];
			double f0, h1, h2, a3 = 0, f3, hh, t0;
			long hk, ha, hb;
			size_t m;

			if (lag8 <= 0)
				continue;
			f0 = p->fs8 / lag8;
			m = harmonic_window(p, s.x8, x8_len, c8, lag8, &t0);
			h1 = harmonic_amp(p, m, t0, lag8, 1.0);
			if (out->h1h2_db) {
				h2 = harmonic_amp(p, m, t0, lag8, 2.0);
				put(out->h1h2_db, t, 20.0 * log10((h1 + 1e-9) / (h2 + 1e-9)));
			}
			f3 = out->f3_hz ? out->f3_hz[t] : 0;
			if (out->h1a3_db && f3 > 0) {
				/* the harmonics within 15% of F3, else the nearest */
				ha = (long)ceil(0.85 * f3 / f0);
				hb = (long)floor(1.15 * f3 / f0);
				if (hb < ha)
					hb = ha = lround(f3 / f0);
				if (ha < 1)
					ha = 1;
				for (hk = ha; hk <= hb && (double)hk * f0 < p->fs8 / 2.0; hk++) {
					hh = harmonic_amp(p, m, t0, lag8, (double)hk);
					if (hh > a3)
						a3 = hh;
				}
				if (a3 > 0)
					put(out->h1a3_db, t, 20.0 * log10((h1 + 1e-9) / (a3 + 1e-9)));
			}
		}
	}
	return 0;
}
