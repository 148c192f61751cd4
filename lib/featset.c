#include "featset.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cepstrum.h"
#include "chroma.h"
#include "featset_default.h"
#include "functionals.h"
#include "mel.h"
#include "modspec.h"
#include "num.h"
#include "prosody.h"
#include "spectral.h"
#include "stft.h"
#include "tempo.h"
#include "words.h"

/* Descriptor families: what must be computed for a descriptor. */
enum {
	FAM_STFT = 1u << 0,
	FAM_MEL = 1u << 1,      /* mel power, dB, MFCC, mel bands, loudness */
	FAM_DELTA = 1u << 2,
	FAM_SPECTRAL = 1u << 3, /* centroid ... hammarberg */
	FAM_CONTRAST = 1u << 4,
	FAM_ZCR = 1u << 5,
	FAM_RMS = 1u << 6,
	FAM_CHROMA = 1u << 7,
	FAM_TEMPO = 1u << 8,
	FAM_F0 = 1u << 9, /* F0, voicing, HNR, voiced segments */
	FAM_JS = 1u << 10, /* jitter, shimmer */
	FAM_FMT = 1u << 11, /* formants */
	FAM_CEPS = 1u << 12, /* a longer window's spectrum, its cepstrum */
	FAM_MOD = 1u << 13   /* modulation spectra of band levels */
};

#define N_MFCC 13
/* cepstral peak prominence: a 40 ms window (two periods of 50 Hz), F0 60..400 Hz */
#define CEPS_WIN_S 0.040
#define CEPS_F0_MIN 60.0
#define CEPS_F0_MAX 400.0
#define MAX_MELS 128

/* Per-frame descriptor layout (indices into the LLD table). */
enum {
	L_MFCC = 0,
	L_DMFCC = L_MFCC + N_MFCC,
	L_MELB = L_DMFCC + N_MFCC, /* n_mels of them; the table leaves MAX_MELS slots */
	L_LOUD = L_MELB + MAX_MELS,
	L_LOUDREL,
	L_RMS,
	L_ZCR,
	L_CENT,
	L_BW,
	L_ROLL,
	L_FLAT,
	L_FLUX,
	L_CONTR,
	L_SL0 = L_CONTR + SER_CONTRAST_BANDS,
	L_SL1,
	L_ALPHA,
	L_HAMM,
	L_CHROMA,
	L_F0 = L_CHROMA + 12,
	L_VOICING,
	L_HNR,
	L_JIT,
	L_SHIM,
	L_F1,
	L_F2,
	L_F3,
	L_B1,
	L_B2,
	L_B3,
	L_SHIMDB, /* prosody output 11 */
	L_H1H2,   /* prosody output 12 */
	L_H1A3,   /* prosody output 13 */
	L_DLOUDREL, /* loudness_rel_delta: over the active frames */
	L_DF0,      /* f0_semitone_delta: within each run of voiced frames */
	L_CPP,      /* cepstral peak prominence, voiced frames */
	L_CPPA,     /* the same, every active frame */
	L_COUNT
};

/* Scalars (one value per utterance). */
enum {
	S_TEMPO,
	S_VRATIO,
	S_VSEGS,
	S_VSEGLEN,
	S_UVSEGLEN,
	S_VSEGSD,
	S_UVSEGSD,
	S_LPEAKS,
	S_MOD, /* MOD_GROUPS x SER_MODSPEC_BANDS: mel slices 0-4, frame energy, F0 */
	S_COUNT = S_MOD + 7 * SER_MODSPEC_BANDS
};
#define MOD_GROUPS 7
#define MOD_F0 6
#define MOD_NAMES(g)                                                                              \
	"mod" g "_1_2hz", "mod" g "_2_4hz", "mod" g "_4_8hz", "mod" g "_8_16hz", "mod" g "_16_32hz"
static const char *const scalar_names[S_COUNT] = {
	"tempo", "voiced_ratio", "voiced_segments_per_s", "voiced_segment_mean_s",
	"unvoiced_segment_mean_s", "voiced_segment_std_s", "unvoiced_segment_std_s",
	"loudness_peaks_per_s",
	MOD_NAMES("mel0"), MOD_NAMES("mel1"), MOD_NAMES("mel2"), MOD_NAMES("mel3"),
	MOD_NAMES("mel4"), MOD_NAMES("energy"), MOD_NAMES("f0"),
};
static const unsigned scalar_fam[S_MOD] = {FAM_TEMPO, FAM_F0, FAM_F0, FAM_F0,
                                           FAM_F0,    FAM_F0, FAM_F0, FAM_MEL};

/* What scalar `which` needs computed. */
static unsigned
scalar_family(int which)
{
	if (which >= S_MOD + MOD_F0 * SER_MODSPEC_BANDS)
		return FAM_MOD | FAM_F0;
	return which >= S_MOD ? FAM_MOD : scalar_fam[which];
}

#define ALL_F ((1u << SER_F_LEVEL_COUNT) - 1) /* level and spread */
#define SHAPE_F (((1u << SER_F_COUNT) - 1) & ~ALL_F) /* the contour's shape in time */
#define MEANSTD ((1u << SER_F_MEAN) | (1u << SER_F_STD))

typedef struct lld_def {
	char name[32];
	unsigned fam;
	unsigned funcs;   /* functionals in `full` */
	int voiced_only;  /* functionals over voiced frames only */
	int positive_only;/* ... and only frames where the value is > 0 (formants) */
	int exists;       /* in this engine */
} lld_def;

#define COL_SCALAR (-1)
#define COL_WORD (-2)
typedef struct col {
	int lld;   /* descriptor, or COL_SCALAR, or COL_WORD */
	int which; /* functional, scalar or word index */
} col;

enum { P_STFT, P_MEL, P_SPECTRAL, P_CONTRAST, P_ZCR_RMS, P_CEPS, P_CHROMA, P_TEMPO, P_PROSODY,
       P_MOD, P_WORDS, P_FUNC, P_COUNT };
static const char *const prof_names[P_COUNT] = {
	"stft",          "mel+mfcc+loudness", "spectral", "contrast", "zcr+rms", "cepstrum",
	"chroma+tuning", "tempo",             "prosody",  "modulation", "words",
	"functionals",
};

struct ser_features {
	int seed;         /* librosa-default engine */
	double rate_hz;
	size_t n_fft, hop, win, n_mels, zcr_len;
	unsigned fam;     /* families computed */
	lld_def lld[L_COUNT];
	col *cols;
	char (*colname)[48];
	size_t ncols;
	unsigned lld_mask[L_COUNT]; /* the functionals the columns ask of each
	                             * descriptor (0: not used) */
	double fout[L_COUNT][SER_F_COUNT]; /* a run's functionals, per descriptor */
	unsigned char fdone[L_COUNT];      /* ... computed in this run */
	size_t *lld_list; /* used descriptors, in layout order */
	size_t n_lld_used;

	ser_stft *stft;
	ser_stft *lstft;  /* CEPS_WIN_S window, for the cepstrum */
	ser_cpp *cpp;
	ser_modspec *mod;
	double *lpower;   /* its power spectrum */
	ser_mel *mel;
	ser_dct *dct;
	ser_spectral *spec;
	ser_chroma *chroma;
	ser_tempo *tempo;
	ser_prosody *pros;

	/* per-clip buffers, grown to the longest clip */
	size_t cap;       /* frames */
	double *power;    /* nbins */
	double *melpow;   /* cap x n_mels: mel power in dB (clipped after the loop) */
	double *v[L_COUNT]; /* cap each, only for used descriptors */
	const double *vview[L_COUNT];
	double *scratch, *vals;  /* cap */
	size_t *idx;      /* cap */
	float *pf[14];    /* prosody outputs (L_F0 + i order), cap */
	unsigned char *voiced;
	double *edb;      /* frame energy in dB (not in the seed engine) */
	unsigned char *active; /* the frames functionals and scalars are taken over */
	size_t nactive;
	float *frame;     /* zcr/rms frame */
	double scal[S_COUNT];
	int want_peaks; /* a column is loudness_peaks_per_s */

	/* the bag of audio words (lib/words.h) */
	const ser_codebook *cb; /* the compiled-in one, or &cb_own */
	ser_codebook cb_own;
	size_t nwordcols;  /* word columns in the set */
	int word_llds;     /* the word descriptors are computed */
	double *wf;        /* active frames x SER_WORDS_DIM descriptors */
	size_t wf_cap;     /* frames wf holds */
	double *whist;     /* cb->n: a run's histogram */

	int profile;
	double prof[P_COUNT];
};

static const char *const set_names[] = {"seed", "default", "full", "words", NULL};

const char *const *
ser_features_set_names(void)
{
	return set_names;
}

static void
define_llds(ser_features *f)
{
	size_t i;
	lld_def *d = f->lld;

#define DEF(ix, nm, fm, fu, vo)                                                                 \
	do {                                                                                      \
		snprintf(d[ix].name, sizeof d[ix].name, "%s", nm);                              \
		d[ix].fam = (fm);                                                                \
		d[ix].funcs = (fu);                                                              \
		d[ix].voiced_only = (vo);                                                        \
		d[ix].exists = 1;                                                                \
	} while (0)
	for (i = 0; i < N_MFCC; i++) {
		char nm[32];
		snprintf(nm, sizeof nm, "mfcc%zu", i);
		DEF(L_MFCC + i, nm, FAM_MEL, ALL_F, 0);
		snprintf(nm, sizeof nm, "mfcc%zu_delta", i);
		DEF(L_DMFCC + i, nm, FAM_MEL | FAM_DELTA, MEANSTD, 0);
	}
	for (i = 0; i < f->n_mels; i++) {
		char nm[32];
		snprintf(nm, sizeof nm, "melband%zu_db", i);
		DEF(L_MELB + i, nm, FAM_MEL, MEANSTD, 0);
	}
	DEF(L_LOUD, "loudness", FAM_MEL, ALL_F, 0);
	/* loudness over its utterance mean: recording-gain-free dynamics (its
	 * mean is 1, so no mean column) */
	DEF(L_LOUDREL, "loudness_rel", FAM_MEL, (ALL_F & ~(1u << SER_F_MEAN)) | SHAPE_F, 0);
	DEF(L_RMS, "rms", FAM_RMS, ALL_F, 0);
	DEF(L_ZCR, "zcr", FAM_ZCR, ALL_F, 0);
	DEF(L_CENT, "centroid", FAM_SPECTRAL, ALL_F, 0);
	DEF(L_BW, "bandwidth", FAM_SPECTRAL, ALL_F, 0);
	DEF(L_ROLL, "rolloff", FAM_SPECTRAL, ALL_F, 0);
	DEF(L_FLAT, "flatness", FAM_SPECTRAL, ALL_F, 0);
	DEF(L_FLUX, "flux", FAM_SPECTRAL, ALL_F, 0);
	for (i = 0; i < SER_CONTRAST_BANDS; i++) {
		char nm[32];
		snprintf(nm, sizeof nm, "contrast%zu", i);
		DEF(L_CONTR + i, nm, FAM_CONTRAST, MEANSTD, 0);
	}
	DEF(L_SL0, "slope_0_500", FAM_SPECTRAL, ALL_F | SHAPE_F, 0);
	DEF(L_SL1, "slope_500_1500", FAM_SPECTRAL, ALL_F, 0);
	DEF(L_ALPHA, "alpha_ratio", FAM_SPECTRAL, ALL_F | SHAPE_F, 0);
	DEF(L_HAMM, "hammarberg", FAM_SPECTRAL, ALL_F | SHAPE_F, 0);
	for (i = 0; i < 12; i++) {
		char nm[32];
		snprintf(nm, sizeof nm, "chroma%zu", i);
		DEF(L_CHROMA + i, nm, FAM_CHROMA, MEANSTD, 0);
	}
	DEF(L_F0, "f0_semitone", FAM_F0, ALL_F | SHAPE_F, 1);
	DEF(L_VOICING, "voicing", FAM_F0, ALL_F, 0);
	DEF(L_HNR, "hnr_db", FAM_F0, ALL_F | SHAPE_F, 1);
	DEF(L_JIT, "jitter", FAM_F0 | FAM_JS, ALL_F, 1);
	DEF(L_SHIM, "shimmer", FAM_F0 | FAM_JS, ALL_F, 1);
	DEF(L_F1, "f1_hz", FAM_F0 | FAM_FMT, ALL_F, 1);
	DEF(L_F2, "f2_hz", FAM_F0 | FAM_FMT, ALL_F, 1);
	DEF(L_F3, "f3_hz", FAM_F0 | FAM_FMT, ALL_F, 1);
	DEF(L_B1, "b1_hz", FAM_F0 | FAM_FMT, ALL_F, 1);
	DEF(L_B2, "b2_hz", FAM_F0 | FAM_FMT, ALL_F, 1);
	DEF(L_B3, "b3_hz", FAM_F0 | FAM_FMT, ALL_F, 1);
	DEF(L_SHIMDB, "shimmer_db", FAM_F0 | FAM_JS, ALL_F, 1);
	DEF(L_H1H2, "h1h2_db", FAM_F0, ALL_F, 1);
	DEF(L_H1A3, "h1a3_db", FAM_F0 | FAM_FMT, ALL_F, 1);
	/* how fast loudness and pitch move (per frame): the contour's shape
	 * beside its level and spread (models/README.md has the measurements) */
	DEF(L_DLOUDREL, "loudness_rel_delta", FAM_MEL, ALL_F, 0);
	DEF(L_DF0, "f0_semitone_delta", FAM_F0, ALL_F, 1);
	/* how harmonic the spectrum is (lib/cepstrum.h): over the voiced
	 * frames, and over every active frame */
	DEF(L_CPP, "cpp_db", FAM_CEPS | FAM_F0, ALL_F | SHAPE_F, 1);
	DEF(L_CPPA, "cpp_all_db", FAM_CEPS, ALL_F | SHAPE_F, 0);
#undef DEF
	for (i = L_F1; i <= L_B3; i++)
		d[i].positive_only = 1;
}

static int
add_col(ser_features *f, size_t *cap, int lld, int which, ser_error *e)
{
	if (f->ncols == *cap) {
		size_t nc = *cap ? *cap * 2 : 64;
		col *c = realloc(f->cols, nc * sizeof *c);
		char(*n)[48];
		if (c == NULL)
			return ser_error_set(e, "out of memory");
		f->cols = c;
		if ((n = realloc(f->colname, nc * sizeof *n)) == NULL)
			return ser_error_set(e, "out of memory");
		f->colname = n;
		*cap = nc;
	}
	f->cols[f->ncols].lld = lld;
	f->cols[f->ncols].which = which;
	if (lld >= 0)
		snprintf(f->colname[f->ncols], sizeof *f->colname, "%s_%s", f->lld[lld].name,
		         ser_func_name(which));
	else if (lld == COL_WORD)
		snprintf(f->colname[f->ncols], sizeof *f->colname, "word%d", which);
	else
		snprintf(f->colname[f->ncols], sizeof *f->colname, "%s", scalar_names[which]);
	f->ncols++;
	return 0;
}

/* Find a column of `full` by name: lld/functional, scalar or word (of the
 * codebook's: word0 .. word{n-1}). */
static int
lookup(const ser_features *f, const char *name, int *lld, int *which)
{
	size_t i;
	int fn;
	int64_t w;

	if (strncmp(name, "word", 4) == 0 &&
	    ser_parse_i64(name + 4, 0, (int64_t)f->cb->n - 1, &w, NULL) == 0) {
		char canon[32];
		snprintf(canon, sizeof canon, "word%lld", (long long)w);
		if (strcmp(canon, name) == 0) { /* not word007 */
			*lld = COL_WORD;
			*which = (int)w;
			return 0;
		}
	}
	for (i = 0; i < S_COUNT; i++)
		if (strcmp(name, scalar_names[i]) == 0) {
			*lld = COL_SCALAR;
			*which = (int)i;
			return 0;
		}
	for (i = 0; i < L_COUNT; i++) {
		size_t ln = strlen(f->lld[i].name);
		if (!f->lld[i].exists || strncmp(name, f->lld[i].name, ln) != 0 || name[ln] != '_')
			continue;
		for (fn = 0; fn < SER_F_COUNT; fn++)
			if ((f->lld[i].funcs & (1u << fn)) && strcmp(name + ln + 1, ser_func_name(fn)) == 0) {
				*lld = (int)i;
				*which = fn;
				return 0;
			}
	}
	return -1;
}

static int
make_columns(ser_features *f, const char *set, ser_error *e)
{
	size_t cap = 0, i;
	int fn;

	if (strcmp(set, "seed") == 0) {
		static const int spec[] = {L_CENT, L_BW, L_ROLL, L_ZCR};
		for (fn = SER_F_MEAN; fn <= SER_F_STD; fn++)
			for (i = 0; i < N_MFCC; i++)
				if (add_col(f, &cap, (int)(L_MFCC + i), fn, e))
					return -1;
		for (i = 0; i < 4; i++)
			for (fn = SER_F_MEAN; fn <= SER_F_STD; fn++)
				if (add_col(f, &cap, spec[i], fn, e))
					return -1;
		for (i = 0; i < 12; i++)
			if (add_col(f, &cap, (int)(L_CHROMA + i), SER_F_MEAN, e))
				return -1;
		return add_col(f, &cap, COL_SCALAR, S_TEMPO, e);
	}
	if (strcmp(set, "full") == 0) {
		for (i = 0; i < L_COUNT; i++) {
			if (!f->lld[i].exists)
				continue;
			for (fn = 0; fn < SER_F_COUNT; fn++)
				if ((f->lld[i].funcs & (1u << fn)) && add_col(f, &cap, (int)i, fn, e))
					return -1;
		}
		for (i = 0; i < S_COUNT; i++)
			if (add_col(f, &cap, COL_SCALAR, (int)i, e))
				return -1;
		for (i = 0; i < f->cb->n; i++)
			if (add_col(f, &cap, COL_WORD, (int)i, e))
				return -1;
		return 0;
	}
	/* words: the codebook's words alone; default: the columns named in
	 * featset_default.h, then the codebook's words */
	if (strcmp(set, "default") == 0)
		for (i = 0; i < sizeof ser_featset_default / sizeof *ser_featset_default; i++) {
			int l, w;
			size_t j;
			if (lookup(f, ser_featset_default[i], &l, &w) != 0)
				return ser_error_set(e, "featset_default.h: no column '%s' in the full set",
				                     ser_featset_default[i]);
			if (l == COL_WORD)
				return ser_error_set(e, "featset_default.h: '%s': the words come from the codebook",
				                     ser_featset_default[i]);
			for (j = 0; j < f->ncols; j++)
				if (f->cols[j].lld == l && f->cols[j].which == w)
					return ser_error_set(e, "featset_default.h: column '%s' listed twice",
					                     ser_featset_default[i]);
			if (add_col(f, &cap, l, w, e))
				return -1;
		}
	for (i = 0; i < f->cb->n; i++)
		if (add_col(f, &cap, COL_WORD, (int)i, e))
			return -1;
	return 0;
}

ser_features *
ser_features_new(const char *set, double rate_hz, ser_error *e)
{
	return ser_features_new_cb(set, rate_hz, NULL, e);
}

/* Is descriptor i one of those the word descriptors are made from? */
static int
word_lld(size_t i)
{
	return (i >= L_MFCC + 1 && i < L_MFCC + N_MFCC) || (i >= L_DMFCC + 1 && i < L_DMFCC + N_MFCC) ||
	       i == L_LOUDREL;
}

ser_features *
ser_features_new_cb(const char *set, double rate_hz, const ser_codebook *cb, ser_error *e)
{
	ser_features *f;
	size_t i;
	int known = 0;

	for (i = 0; set_names[i]; i++)
		known |= strcmp(set, set_names[i]) == 0;
	if (!known)
		return ser_error_set(e, "unknown feature set '%.40s' (seed, default, full, words)", set),
		       NULL;
	if (!(rate_hz >= 8000 && rate_hz <= 192000))
		return ser_error_set(e, "sample rate %g Hz out of range 8000..192000", rate_hz), NULL;
	if (cb != NULL && ser_codebook_check(cb, e) != 0)
		return ser_error_prefix(e, "codebook"), NULL;
	if ((f = calloc(1, sizeof *f)) == NULL)
		return ser_error_set(e, "out of memory"), NULL;
	f->cb = ser_codebook_default();
	if (cb != NULL) {
		if (ser_codebook_copy(&f->cb_own, cb, e) != 0) {
			free(f);
			return NULL;
		}
		f->cb = &f->cb_own;
	}
	f->rate_hz = rate_hz;
	f->seed = strcmp(set, "seed") == 0;
	if (f->seed) {
		/* librosa defaults at the load rate */
		f->n_fft = 2048;
		f->hop = 512;
		f->win = 2048;
		f->n_mels = 128;
	} else {
		/* speech analysis: 25 ms Hann, 10 ms hop, 40 mel bands */
		f->win = (size_t)lround(0.025 * rate_hz);
		f->hop = (size_t)lround(0.010 * rate_hz);
		for (f->n_fft = 16; f->n_fft < f->win; f->n_fft *= 2)
			;
		f->n_mels = 40;
	}
	f->zcr_len = f->n_fft;
	define_llds(f);
	if (make_columns(f, set, e) != 0)
		goto fail;
	/* what the columns need */
	f->lld_list = calloc(L_COUNT, sizeof *f->lld_list);
	if (!f->lld_list) {
		ser_error_set(e, "out of memory");
		goto fail;
	}
	for (i = 0; i < f->ncols; i++) {
		if (f->cols[i].lld >= 0) {
			f->lld_mask[f->cols[i].lld] |= 1u << f->cols[i].which;
			f->fam |= f->lld[f->cols[i].lld].fam;
		} else if (f->cols[i].lld == COL_WORD) {
			f->nwordcols++;
		} else {
			f->fam |= scalar_family(f->cols[i].which);
			f->want_peaks |= f->cols[i].which == S_LPEAKS;
		}
	}
	/* the word descriptors: for a set with word columns, and free for a
	 * set that computes their parts anyway (ser_features_word_frames) */
	if (f->nwordcols > 0) {
		f->fam |= FAM_MEL | FAM_DELTA;
		f->word_llds = 1;
	} else if (!f->seed && (f->fam & FAM_DELTA)) {
		f->word_llds = 1;
		for (i = 0; i < L_COUNT; i++)
			if (word_lld(i) && i >= L_DMFCC + 1 && !f->lld_mask[i])
				f->word_llds = 0;
	}
	if (f->nwordcols > 0 && (f->whist = malloc(f->cb->n * sizeof *f->whist)) == NULL) {
		ser_error_set(e, "out of memory");
		goto fail;
	}
	if (f->fam & (FAM_TEMPO | FAM_MOD))
		f->fam |= FAM_MEL;
	if (f->fam & (FAM_MEL | FAM_SPECTRAL | FAM_CONTRAST | FAM_CHROMA))
		f->fam |= FAM_STFT;
	for (i = 0; i < L_COUNT; i++)
		if (f->lld_mask[i])
			f->lld_list[f->n_lld_used++] = i;
	{
		ser_stft_config sc = {f->n_fft, f->hop, f->win};
		if ((f->stft = ser_stft_new(&sc, e)) == NULL)
			goto fail;
	}
	if (f->fam & FAM_MEL) {
		ser_mel_config mc = {rate_hz, f->n_fft, f->n_mels, 0, 0};
		if ((f->mel = ser_mel_new(&mc, e)) == NULL ||
		    (f->dct = ser_dct_new(f->n_mels, N_MFCC, e)) == NULL)
			goto fail;
	}
	if ((f->fam & (FAM_SPECTRAL | FAM_CONTRAST)) &&
	    (f->spec = ser_spectral_new(rate_hz, f->n_fft, e)) == NULL)
		goto fail;
	if (f->spec)
		ser_spectral_select(f->spec, (f->lld_mask[L_FLAT] ? SER_SPEC_FLATNESS : 0u) |
		                                     (f->lld_mask[L_FLUX] ? SER_SPEC_FLUX : 0u) |
		                                     (f->lld_mask[L_SL0] || f->lld_mask[L_SL1]
		                                              ? SER_SPEC_SLOPES
		                                              : 0u));
	if ((f->fam & FAM_CHROMA) && (f->chroma = ser_chroma_new(rate_hz, f->n_fft, e)) == NULL)
		goto fail;
	if (f->fam & FAM_CEPS) {
		size_t lw = (size_t)lround(CEPS_WIN_S * rate_hz), ln;
		ser_stft_config lc;
		for (ln = 16; ln < lw; ln *= 2)
			;
		lc.n_fft = ln;
		lc.hop = f->hop;
		lc.win_length = lw;
		if ((f->lstft = ser_stft_new(&lc, e)) == NULL ||
		    (f->cpp = ser_cpp_new(rate_hz, ln, CEPS_F0_MIN, CEPS_F0_MAX, e)) == NULL)
			goto fail;
		if ((f->lpower = malloc((ln / 2 + 1) * sizeof *f->lpower)) == NULL) {
			ser_error_set(e, "out of memory");
			goto fail;
		}
	}
	if ((f->fam & FAM_MOD) && (f->mod = ser_modspec_new(rate_hz / (double)f->hop, e)) == NULL)
		goto fail;
	if ((f->fam & FAM_TEMPO) && (f->tempo = ser_tempo_new(rate_hz, f->hop, e)) == NULL)
		goto fail;
	if (f->fam & FAM_F0) {
		ser_prosody_config pc;
		ser_prosody_config_default(&pc, rate_hz, f->hop);
		if ((f->pros = ser_prosody_new(&pc, e)) == NULL)
			goto fail;
	}
	f->power = malloc((f->n_fft / 2 + 1) * sizeof *f->power);
	f->frame = malloc(f->zcr_len * sizeof *f->frame);
	if (f->power == NULL || f->frame == NULL) {
		ser_error_set(e, "out of memory");
		goto fail;
	}
	return f;
fail:
	ser_features_free(f);
	return NULL;
}

void
ser_features_free(ser_features *f)
{
	size_t i;

	if (f == NULL)
		return;
	ser_stft_free(f->stft);
	ser_stft_free(f->lstft);
	ser_cpp_free(f->cpp);
	ser_modspec_free(f->mod);
	free(f->lpower);
	ser_mel_free(f->mel);
	ser_dct_free(f->dct);
	ser_spectral_free(f->spec);
	ser_chroma_free(f->chroma);
	ser_tempo_free(f->tempo);
	ser_prosody_free(f->pros);
	free(f->cols);
	free(f->colname);
	free(f->lld_list);
	free(f->power);
	free(f->melpow);
	for (i = 0; i < L_COUNT; i++)
		free(f->v[i]);
	free(f->scratch);
	free(f->vals);
	free(f->idx);
	for (i = 0; i < 14; i++)
		free(f->pf[i]);
	free(f->voiced);
	free(f->edb);
	free(f->active);
	free(f->frame);
	free(f->wf);
	free(f->whist);
	ser_codebook_free(&f->cb_own);
	free(f);
}

size_t
ser_features_ncols(const ser_features *f)
{
	return f->ncols;
}

const char *
ser_features_colname(const ser_features *f, size_t i)
{
	return i < f->ncols ? f->colname[i] : NULL;
}

size_t
ser_features_nllds(const ser_features *f)
{
	return f->n_lld_used;
}

const char *
ser_features_lldname(const ser_features *f, size_t j)
{
	return j < f->n_lld_used ? f->lld[f->lld_list[j]].name : NULL;
}

double
ser_features_hop_s(const ser_features *f)
{
	return (double)f->hop / f->rate_hz;
}

void
ser_features_set_profile(ser_features *f, int on)
{
	f->profile = on;
}

size_t
ser_features_profile(const ser_features *f, const char **names, double *seconds, size_t max)
{
	size_t i;

	for (i = 0; i < P_COUNT && i < max; i++) {
		names[i] = prof_names[i];
		seconds[i] = f->prof[i];
	}
	return i;
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Grow the per-clip buffers to nf frames (overflow-checked). */
static int
reserve(ser_features *f, size_t nf, ser_error *e)
{
	size_t i, nm = f->n_mels;

	if (nf <= f->cap)
		return 0;
	if (nf > SIZE_MAX / sizeof(double) / (nm > 16 ? nm : 16))
		return ser_error_set(e, "input too long (%zu frames)", nf);
#define GROW(p, n)                                                                                \
	do {                                                                                      \
		void *q_ = realloc((p), (n) * sizeof *(p));                                       \
		if (q_ == NULL)                                                                   \
			return ser_error_set(e, "out of memory for %zu frames", nf);              \
		(p) = q_;                                                                         \
	} while (0)
	if (f->fam & FAM_MEL)
		GROW(f->melpow, nf * nm);
	for (i = 0; i < L_COUNT; i++)
		if (f->lld_mask[i] || (i < L_MFCC + N_MFCC && (f->fam & FAM_DELTA)) ||
		    (i == L_LOUDREL && (f->lld_mask[L_DLOUDREL] || f->want_peaks)) ||
		    (f->word_llds && word_lld(i)) ||
		    (i == L_F0 && f->lld_mask[L_DF0]))
			GROW(f->v[i], nf);
	GROW(f->scratch, nf);
	GROW(f->vals, nf);
	GROW(f->idx, nf);
	GROW(f->edb, nf);
	GROW(f->active, nf);
	if (f->fam & FAM_F0) {
		for (i = 0; i < 14; i++)
			GROW(f->pf[i], nf);
		GROW(f->voiced, nf);
	}
#undef GROW
	f->cap = nf;
	return 0;
}

/* librosa.feature.delta(width=9, order=1, mode='interp') for one series:
 * the least-squares slope over 9 frames; the first and last 4 frames take
 * the slope of the first / last 9 (Savitzky-Golay interp edges); shorter
 * series take the slope over all frames. Units: per frame. */
static void
delta(const double *c, size_t nf, double *d)
{
	size_t t;
	int k;

	if (nf >= 9) {
		for (t = 4; t + 4 < nf; t++) {
			double acc = 0;
			for (k = 1; k <= 4; k++)
				acc += k * (c[t + (size_t)k] - c[t - (size_t)k]);
			d[t] = acc / 60.0;
		}
		for (t = 0; t < 4; t++) {
			d[t] = d[4];
			d[nf - 1 - t] = d[nf - 5];
		}
	} else if (nf >= 2) {
		double tm = (double)(nf - 1) / 2, sxx = 0, sxy = 0;
		for (t = 0; t < nf; t++) {
			sxx += ((double)t - tm) * ((double)t - tm);
			sxy += ((double)t - tm) * c[t];
		}
		for (t = 0; t < nf; t++)
			d[t] = sxy / sxx;
	} else {
		d[0] = 0;
	}
}

/* The delta of src over the frames where sel is set, into dst at those
 * frames (the others are left as they are): as one series when joined (a
 * pause drops out: no jump from silence into speech), else run by run (a
 * pitch contour: no jump across an unvoiced gap). */
static void
delta_sel(ser_features *f, const double *src, const unsigned char *sel, size_t nf, int joined,
          double *dst)
{
	size_t t = 0, a, m;

	while (t < nf) {
		for (; t < nf && !sel[t]; t++)
			;
		for (a = t, m = 0; t < nf && (joined || sel[t]); t++)
			if (sel[t])
				f->vals[m++] = src[t];
		if (m == 0)
			break;
		delta(f->vals, m, f->scratch);
		for (m = 0; a < t; a++)
			if (sel[a])
				dst[a] = f->scratch[m++];
	}
}

/* sum over i = a..b of [x[i] and x[i-1] differ in sign], as ser_zcr counts
 * (a >= 1; 0 when b < a) */
static size_t
crossings(const float *x, long long a, long long b)
{
	size_t c = 0;
	long long i;

	for (i = a; i <= b; i++)
		c += (x[i] < -1e-10f) != (x[i - 1] < -1e-10f);
	return c;
}

/* The frames that functionals and scalars are taken over. The seed engine
 * (librosa's) takes every frame. The others take the active frames: those
 * within ACTIVE_DB of the utterance's loud frames (the 95th percentile of
 * frame energy, so that one click does not set the reference), which drops
 * leading and trailing silence and pauses. Without it every functional
 * depends on how much silence a recording happens to hold around the
 * speech: RAVDESS files hold about a second of it, EMO-DB almost none
 * (models/README.md has the measurements). Silence throughout (every frame
 * below the threshold is impossible: the reference is a frame) keeps all. */
#define ACTIVE_DB 30.0
#define ACTIVE_REF_PCT 0.95
static void
find_active(ser_features *f, size_t nf)
{
	size_t t;
	double thr;

	f->nactive = 0;
	if (!f->seed && (f->fam & FAM_STFT)) {
		memcpy(f->scratch, f->edb, nf * sizeof *f->scratch);
		qsort(f->scratch, nf, sizeof *f->scratch, ser_cmp_double);
		thr = f->scratch[(size_t)(ACTIVE_REF_PCT * (double)(nf - 1))] - ACTIVE_DB;
		for (t = 0; t < nf; t++) {
			f->active[t] = f->edb[t] >= thr;
			f->nactive += f->active[t];
		}
	}
	/* the seed engine, a set without the STFT, or no frame at or above
	 * the threshold (only a NaN in the input could do that): every frame */
	if (f->nactive == 0) {
		memset(f->active, 1, nf);
		f->nactive = nf;
	}
}

/* The standard deviation of run lengths: sumsq of the squares of nrun
 * runs totalling sum frames (frames; 0 without a run). */
static double
run_sd(double sumsq, size_t sum, size_t nrun)
{
	double m, v;

	if (nrun == 0)
		return 0;
	m = (double)sum / (double)nrun;
	v = sumsq / (double)nrun - m * m;
	return v > 0 ? sqrt(v) : 0;
}

/* Peaks of loudness per second of active frames, a syllable rate: maxima
 * of the loudness_rel contour over the active frames (joined, as for its
 * delta), smoothed over PEAK_SMOOTH frames, that are the highest within
 * PEAK_HALF frames either side and at least PEAK_MIN of its mean (1). */
#define PEAK_SMOOTH 5
#define PEAK_HALF 5
#define PEAK_MIN 0.5
static double
loudness_peaks(ser_features *f, size_t nf, double hop_s)
{
	size_t t, m = 0, i, j, lo, hi, peaks = 0;
	double *c = f->vals, *sm = f->scratch, acc;

	for (t = 0; t < nf; t++)
		if (f->active[t])
			c[m++] = f->v[L_LOUDREL][t];
	for (i = 0; i < m; i++) {
		lo = i >= PEAK_SMOOTH / 2 ? i - PEAK_SMOOTH / 2 : 0;
		hi = i + PEAK_SMOOTH / 2 < m ? i + PEAK_SMOOTH / 2 : m - 1;
		for (acc = 0, j = lo; j <= hi; j++)
			acc += c[j];
		sm[i] = acc / (double)(hi - lo + 1);
	}
	for (i = 0; i < m; i++) {
		int top = sm[i] >= PEAK_MIN;
		lo = i >= PEAK_HALF ? i - PEAK_HALF : 0;
		hi = i + PEAK_HALF < m ? i + PEAK_HALF : m - 1;
		for (j = lo; j <= hi && top; j++)
			top = j < i ? sm[j] < sm[i] : j == i || sm[j] <= sm[i];
		peaks += top;
	}
	return m ? (double)peaks / ((double)m * hop_s) : 0;
}

/* The cepstral peak prominence (lib/cepstrum.h): cpp_db on the voiced
 * frames (0 elsewhere, as the other voiced-only descriptors), cpp_all_db on
 * every frame. After the prosody, so that a set without cpp_all_db
 * analyses the voiced frames only: the 40 ms spectrum and its cepstrum are
 * the most costly step per frame. */
static void
cepstral_peak(ser_features *f, const float *x, size_t n, size_t nf)
{
	double *vv = f->v[L_CPP], *va = f->v[L_CPPA], t0 = f->profile ? now_s() : 0;
	size_t t;

	for (t = 0; t < nf; t++) {
		double cp;
		int voiced = vv && f->voiced[t];
		if (vv && !voiced)
			vv[t] = 0;
		if (!voiced && !va)
			continue;
		ser_stft_power(f->lstft, x, n, t, f->lpower);
		cp = ser_cpp_run(f->cpp, f->lpower);
		if (voiced)
			vv[t] = cp;
		if (va)
			va[t] = cp;
	}
	if (f->profile)
		f->prof[P_CEPS] += now_s() - t0;
}

/* The modulation spectra (lib/modspec.h) of the level contours from the
 * first to the last active frame (pauses inside are part of the rhythm):
 * the mean dB of each fifth of the mel bands, and the frame energy in dB
 * floored 80 dB below its loudest frame, as the mel bands are. */
static void
modulation(ser_features *f, size_t nf)
{
	size_t a, z, g, t, b, nm = f->n_mels, ng = MOD_F0 - 1;
	double *y = f->vals, t0 = f->profile ? now_s() : 0;

	for (a = 0; a < nf && !f->active[a]; a++)
		;
	for (z = nf; z > a && !f->active[z - 1]; z--)
		;
	for (g = 0; g < ng; g++) {
		size_t lo = g * nm / ng, hi = (g + 1) * nm / ng;
		for (t = a; t < z; t++) {
			double acc = 0;
			for (b = lo; b < hi; b++)
				acc += f->melpow[t * nm + b];
			y[t - a] = acc / (double)(hi - lo);
		}
		ser_modspec_run(f->mod, y, z - a, &f->scal[S_MOD + g * SER_MODSPEC_BANDS]);
	}
	memcpy(y, f->edb + a, (z - a) * sizeof *y);
	ser_db_clip(y, z - a, 80.0);
	ser_modspec_run(f->mod, y, z - a, &f->scal[S_MOD + ng * SER_MODSPEC_BANDS]);
	if (f->fam & FAM_F0) {
		/* F0 in semitones from the first to the last voiced active frame,
		 * straight across unvoiced gaps */
		size_t last = SIZE_MAX, m = 0;
		double y0 = 0;
		for (t = 0; t < nf; t++) {
			if (!f->active[t] || !f->voiced[t])
				continue;
			double v = f->pf[0][t];
			if (!isfinite(v))
				continue;
			if (last != SIZE_MAX)
				for (b = last + 1; b < t; b++)
					y[m++] = y0 + (v - y0) * (double)(b - last) / (double)(t - last);
			y[m++] = y0 = v;
			last = t;
		}
		ser_modspec_run(f->mod, y, m, &f->scal[S_MOD + MOD_F0 * SER_MODSPEC_BANDS]);
	}
	if (f->profile)
		f->prof[P_MOD] += now_s() - t0;
}

static int
analyse(ser_features *f, const float *x, size_t n, size_t *nframes, ser_error *e)
{
	size_t zcnt = 0;
	long long zst = 0;
	int zok = 0;
	size_t nf, t, b, nm = f->n_mels;
	unsigned fam = f->fam;
	double t0 = 0, t1;
	ser_spectral_frame sf;

	if (n == 0)
		return ser_error_set(e, "no samples");
	nf = ser_stft_nframes(f->stft, n);
	if (reserve(f, nf, e) != 0)
		return -1;
	if (f->spec)
		ser_spectral_reset(f->spec);
	if (f->chroma)
		ser_tuning_reset(f->chroma);
	for (t = 0; t < nf; t++) {
		if (f->profile)
			t0 = now_s();
		if (fam & FAM_STFT) {
			ser_stft_power(f->stft, x, n, t, f->power);
			if (!f->seed) {
				double en = 0;
				size_t k, nb = f->n_fft / 2 + 1;
				for (k = 0; k < nb; k++)
					en += f->power[k];
				f->edb[t] = 10.0 * log10(en + 1e-20);
			}
		}
		if (f->profile) {
			t1 = now_s();
			f->prof[P_STFT] += t1 - t0;
			t0 = t1;
		}
		if (fam & FAM_MEL) {
			double *mp = f->melpow + t * nm;
			ser_mel_apply(f->mel, f->power, mp);
			/* dB now (one log per band); loudness from the same log:
			 * sum_b max(mel_b, 1e-10)^0.3 = sum_b 10^(0.03 dB_b) */
			for (b = 0; b < nm; b++)
				mp[b] = ser_power_db(mp[b]);
			if (f->v[L_LOUD] || f->v[L_LOUDREL]) {
				double l = 0;
				for (b = 0; b < nm; b++)
					l += exp(0.03 * M_LN10 * mp[b]);
				if (f->v[L_LOUD])
					f->v[L_LOUD][t] = l;
				if (f->v[L_LOUDREL])
					f->v[L_LOUDREL][t] = l;
			}
		}
		if (f->profile) {
			t1 = now_s();
			f->prof[P_MEL] += t1 - t0;
			t0 = t1;
		}
		if (fam & (FAM_SPECTRAL | FAM_CONTRAST))
			ser_spectral_run(f->spec, f->power, &sf);
		if (f->profile) {
			t1 = now_s();
			f->prof[P_SPECTRAL] += t1 - t0;
			t0 = t1;
		}
		if (fam & FAM_CONTRAST)
			ser_spectral_contrast(f->spec, &sf);
		if (fam & (FAM_SPECTRAL | FAM_CONTRAST)) {
			size_t i;
			if (f->v[L_CENT]) f->v[L_CENT][t] = sf.centroid_hz;
			if (f->v[L_BW]) f->v[L_BW][t] = sf.bandwidth_hz;
			if (f->v[L_ROLL]) f->v[L_ROLL][t] = sf.rolloff_hz;
			if (f->v[L_FLAT]) f->v[L_FLAT][t] = sf.flatness;
			if (f->v[L_FLUX]) f->v[L_FLUX][t] = sf.flux;
			if (f->v[L_SL0]) f->v[L_SL0][t] = sf.slope_0_500;
			if (f->v[L_SL1]) f->v[L_SL1][t] = sf.slope_500_1500;
			if (f->v[L_ALPHA]) f->v[L_ALPHA][t] = sf.alpha_ratio_db;
			if (f->v[L_HAMM]) f->v[L_HAMM][t] = sf.hammarberg_db;
			for (i = 0; i < SER_CONTRAST_BANDS; i++)
				if (f->v[L_CONTR + i])
					f->v[L_CONTR + i][t] = sf.contrast_db[i];
		}
		if (f->profile) {
			t1 = now_s();
			f->prof[P_CONTRAST] += t1 - t0;
			t0 = t1;
		}
		if (fam & (FAM_ZCR | FAM_RMS)) {
			/* interior frames are read in place; edge frames are
			 * padded copies (edge mode for ZCR, zeros for RMS) */
			long long st = (long long)(t * f->hop) - (long long)(f->zcr_len / 2);
			int inside = st >= 0 && (unsigned long long)st + f->zcr_len <= n;
			if ((fam & FAM_ZCR) && inside) {
				/* crossings counted exactly, updated from the previous
				 * interior frame: drop the hop that left, add the hop
				 * that came in */
				long long L = (long long)f->zcr_len;
				if (zok && st - zst < L)
					zcnt = zcnt - crossings(x, zst + 1, st) +
					       crossings(x, zst + L, st + L - 1);
				else
					zcnt = crossings(x, st + 1, st + L - 1);
				zst = st;
				zok = 1;
				f->v[L_ZCR][t] = (double)zcnt / (double)L;
			} else if (fam & FAM_ZCR) {
				ser_frame_centered(x, n, t, f->hop, f->zcr_len, 1, f->frame);
				f->v[L_ZCR][t] = ser_zcr(f->frame, f->zcr_len);
				zok = 0;
			}
			if (fam & FAM_RMS) {
				if (!inside)
					ser_frame_centered(x, n, t, f->hop, f->zcr_len, 0, f->frame);
				f->v[L_RMS][t] = ser_rms(inside ? x + st : f->frame, f->zcr_len);
			}
		}
		if (f->profile) {
			t1 = now_s();
			f->prof[P_ZCR_RMS] += t1 - t0;
			t0 = t1;
		}
		if ((fam & FAM_CHROMA) && ser_tuning_add(f->chroma, f->power, e) != 0)
			return -1;
		if (f->profile)
			f->prof[P_CHROMA] += now_s() - t0;
	}
	find_active(f, nf);
	if (fam & FAM_MEL) {
		double db[MAX_MELS], c[N_MFCC];
		size_t i;
		if (f->profile)
			t0 = now_s();
		ser_db_clip(f->melpow, nf * nm, 80.0);
		for (t = 0; t < nf; t++) {
			memcpy(db, f->melpow + t * nm, nm * sizeof *db);
			for (b = 0; b < nm; b++)
				if (f->v[L_MELB + b])
					f->v[L_MELB + b][t] = db[b];
			ser_dct_apply(f->dct, db, c);
			for (i = 0; i < N_MFCC; i++)
				if (f->v[L_MFCC + i])
					f->v[L_MFCC + i][t] = c[i];
		}
		if (f->v[L_LOUDREL]) {
			double m = 0;
			for (t = 0; t < nf; t++)
				if (f->active[t])
					m += f->v[L_LOUDREL][t];
			m /= (double)f->nactive;
			for (t = 0; t < nf; t++)
				f->v[L_LOUDREL][t] = m > 0 ? f->v[L_LOUDREL][t] / m : 0;
		}
		/* deltas of the active frames are taken over the active frames
		 * only (a pause drops out: no jump from silence into speech) */
		if (fam & FAM_DELTA)
			for (i = 0; i < N_MFCC; i++) {
				double *dv = f->v[L_DMFCC + i];
				if (dv == NULL)
					continue;
				delta(f->v[L_MFCC + i], nf, dv);
				if (f->nactive < nf)
					delta_sel(f, f->v[L_MFCC + i], f->active, nf, 1, dv);
			}
		if (f->v[L_DLOUDREL]) {
			memset(f->v[L_DLOUDREL], 0, nf * sizeof *f->v[L_DLOUDREL]);
			delta_sel(f, f->v[L_LOUDREL], f->active, nf, 1, f->v[L_DLOUDREL]);
		}
		if (f->want_peaks)
			f->scal[S_LPEAKS] = loudness_peaks(f, nf, (double)f->hop / f->rate_hz);
		if (f->profile)
			f->prof[P_MEL] += now_s() - t0;
	}
	if (fam & FAM_TEMPO) {
		if (f->profile)
			t0 = now_s();
		ser_onset_strength(f->melpow, nf, nm, f->n_fft, f->hop, f->scratch);
		if (ser_tempo_run(f->tempo, f->scratch, nf, NULL, &f->scal[S_TEMPO], e) != 0)
			return -1;
		if (f->profile)
			f->prof[P_TEMPO] += now_s() - t0;
	}
	if (fam & FAM_CHROMA) {
		double ch[12];
		size_t i;
		if (f->profile)
			t0 = now_s();
		ser_chroma_set_tuning(f->chroma, ser_tuning_estimate(f->chroma));
		for (t = 0; t < nf; t++) {
			ser_stft_power(f->stft, x, n, t, f->power);
			ser_chroma_apply(f->chroma, f->power, ch);
			for (i = 0; i < 12; i++)
				if (f->v[L_CHROMA + i])
					f->v[L_CHROMA + i][t] = ch[i];
		}
		if (f->profile)
			f->prof[P_CHROMA] += now_s() - t0;
	}
	if (fam & FAM_F0) {
		ser_prosody_frames pf;
		size_t i, nv = 0, vs = 0, uvs = 0, vrun = 0, uvrun = 0, cur = 0;
		double runsq[2] = {0, 0};
		int prev = -1;
		double hop_s = (double)f->hop / f->rate_hz;
		if (f->profile)
			t0 = now_s();
		memset(&pf, 0, sizeof pf);
		pf.f0_semitone = f->pf[0];
		pf.voicing = f->pf[1];
		pf.hnr_db = f->pf[2];
		if (fam & FAM_JS) {
			pf.jitter = f->pf[3];
			pf.shimmer = f->pf[4];
			pf.shimmer_db = f->pf[11];
		}
		if (fam & FAM_FMT) {
			pf.f1_hz = f->pf[5];
			pf.f2_hz = f->pf[6];
			pf.f3_hz = f->pf[7];
			pf.b1_hz = f->pf[8];
			pf.b2_hz = f->pf[9];
			pf.b3_hz = f->pf[10];
		}
		if (f->lld_mask[L_H1H2])
			pf.h1h2_db = f->pf[12];
		if (f->lld_mask[L_H1A3])
			pf.h1a3_db = f->pf[13];
		pf.voiced = f->voiced;
		if (ser_prosody_frames_for(n, f->hop) != nf)
			return ser_error_set(e, "prosody frame grid differs from the STFT's");
		if (ser_prosody_run(f->pros, x, n, &pf, e) != 0)
			return -1;
		for (i = 0; i < 14; i++)
			if (f->v[L_F0 + i] &&
			    (i < 3 || ((i == 3 || i == 4 || i == 11) && (fam & FAM_JS)) ||
			     (i >= 5 && i <= 10 && (fam & FAM_FMT)) || (i == 12 && pf.h1h2_db) ||
			     (i == 13 && pf.h1a3_db)))
				for (t = 0; t < nf; t++)
					f->v[L_F0 + i][t] = isfinite(f->pf[i][t]) ? f->pf[i][t] : 0.0;
		if (f->v[L_DF0]) {
			memset(f->v[L_DF0], 0, nf * sizeof *f->v[L_DF0]);
			delta_sel(f, f->v[L_F0], f->voiced, nf, 0, f->v[L_DF0]);
		}
		/* voiced segments: runs of voiced frames; unvoiced runs between
		 * and around them; over the active frames (a pause drops out, so
		 * the unvoiced runs on either side of it join) */
		for (t = 0; t < nf; t++) {
			int v = f->voiced[t] != 0;
			if (!f->active[t])
				continue;
			if (prev >= 0 && v != prev) {
				runsq[prev] += (double)cur * (double)cur;
				cur = 0;
			}
			cur++;
			nv += v;
			if (v && prev != 1)
				vrun++;
			if (!v && prev != 0)
				uvrun++;
			if (v)
				vs++;
			else
				uvs++;
			prev = v;
		}
		f->scal[S_VRATIO] = (double)nv / (double)f->nactive;
		f->scal[S_VSEGS] = (double)vrun / ((double)f->nactive * hop_s);
		f->scal[S_VSEGLEN] = vrun ? (double)vs / (double)vrun * hop_s : 0;
		f->scal[S_UVSEGLEN] = uvrun ? (double)uvs / (double)uvrun * hop_s : 0;
		if (prev >= 0)
			runsq[prev] += (double)cur * (double)cur;
		f->scal[S_VSEGSD] = run_sd(runsq[1], vs, vrun) * hop_s;
		f->scal[S_UVSEGSD] = run_sd(runsq[0], uvs, uvrun) * hop_s;
		if (f->profile)
			f->prof[P_PROSODY] += now_s() - t0;
	}
	if (fam & FAM_CEPS)
		cepstral_peak(f, x, n, nf);
	if (fam & FAM_MOD)
		modulation(f, nf);
	*nframes = nf;
	return 0;
}

/* The word descriptors (lib/words.h) of the active frames, in order, into
 * f->wf (grown here, so that a set that never asks for them holds none):
 * MFCC 1-12 minus their mean over the active frames, their deltas (over
 * the active frames, as the mfcc*_delta descriptors), loudness_rel. */
static int
word_descriptors(ser_features *f, size_t nf, ser_error *e)
{
	size_t t, i, m = 0, na = f->nactive;
	double mean[N_MFCC - 1] = {0};

	if (na > f->wf_cap) {
		double *w;
		if (na > SIZE_MAX / sizeof *w / SER_WORDS_DIM ||
		    (w = realloc(f->wf, na * SER_WORDS_DIM * sizeof *w)) == NULL)
			return ser_error_set(e, "out of memory for %zu frames", na);
		f->wf = w;
		f->wf_cap = na;
	}
	for (t = 0; t < nf; t++)
		if (f->active[t])
			for (i = 0; i < N_MFCC - 1; i++)
				mean[i] += f->v[L_MFCC + 1 + i][t];
	for (i = 0; i < N_MFCC - 1; i++)
		mean[i] /= (double)na;
	for (t = 0; t < nf; t++) {
		double *w = f->wf + m * SER_WORDS_DIM;
		if (!f->active[t])
			continue;
		for (i = 0; i < N_MFCC - 1; i++) {
			w[i] = f->v[L_MFCC + 1 + i][t] - mean[i];
			w[N_MFCC - 1 + i] = f->v[L_DMFCC + 1 + i][t];
		}
		w[2 * (N_MFCC - 1)] = f->v[L_LOUDREL][t];
		m++;
	}
	return 0;
}

int
ser_features_run(ser_features *f, const float *x, size_t n, double *row, ser_error *e)
{
	size_t nf, i, t;
	double t0 = 0, hop_s = (double)f->hop / f->rate_hz;

	if (analyse(f, x, n, &nf, e) != 0)
		return -1;
	if (f->nwordcols > 0) {
		if (f->profile)
			t0 = now_s();
		if (word_descriptors(f, nf, e) != 0)
			return -1;
		ser_codebook_histogram(f->cb, f->wf, f->nactive, f->whist);
		if (f->profile)
			f->prof[P_WORDS] += now_s() - t0;
	}
	if (f->profile)
		t0 = now_s();
	/* every functional the columns ask of a descriptor at once, wherever
	 * its columns stand in the set (the default set's shape columns come
	 * after the rest) */
	memset(f->fdone, 0, sizeof f->fdone);
	for (i = 0; i < f->ncols; i++) {
		const col *c = &f->cols[i];
		double *out;
		if (c->lld == COL_WORD) {
			row[i] = f->whist[c->which];
			continue;
		}
		if (c->lld == COL_SCALAR) {
			row[i] = f->scal[c->which];
			continue;
		}
		out = f->fout[c->lld];
		if (!f->fdone[c->lld]) {
			const lld_def *d = &f->lld[c->lld];
			const double *v = f->v[c->lld];
			unsigned mask = f->lld_mask[c->lld];
			size_t m = 0;
			if (d->voiced_only || f->nactive < nf) {
				for (t = 0; t < nf; t++)
					if (f->active[t] && (!d->voiced_only ||
					                     (f->voiced[t] && (!d->positive_only || v[t] > 0)))) {
						f->vals[m] = v[t];
						f->idx[m++] = t;
					}
				ser_functionals(f->vals, f->idx, m, hop_s, mask, f->scratch, out);
			} else {
				ser_functionals(v, NULL, nf, hop_s, mask, f->scratch, out);
			}
			f->fdone[c->lld] = 1;
		}
		row[i] = isfinite(out[c->which]) ? out[c->which] : 0.0;
	}
	if (f->profile)
		f->prof[P_FUNC] += now_s() - t0;
	return 0;
}

int
ser_features_frames(ser_features *f, const float *x, size_t n, const double *const **lld,
                    size_t *nframes, ser_error *e)
{
	size_t j;

	if (analyse(f, x, n, nframes, e) != 0)
		return -1;
	for (j = 0; j < f->n_lld_used; j++)
		f->vview[j] = f->v[f->lld_list[j]];
	*lld = f->vview;
	return 0;
}

size_t
ser_features_nwords(const ser_features *f)
{
	return f->nwordcols;
}

int
ser_features_has_word_frames(const ser_features *f)
{
	return f->word_llds;
}

int
ser_features_word_frames(ser_features *f, const float *x, size_t n, const double **frames,
                         size_t *nframes, ser_error *e)
{
	size_t nf;

	if (!f->word_llds)
		return ser_error_set(e, "this feature set does not compute the word descriptors");
	if (analyse(f, x, n, &nf, e) != 0 || word_descriptors(f, nf, e) != 0)
		return -1;
	*frames = f->wf;
	*nframes = f->nactive;
	return 0;
}
