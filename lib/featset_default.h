/*
 * featset_default.h - the columns of the `default` feature set (the one the
 * shipped model uses), as names of `full` columns, in output order.
 * Data only: lib/featset.c checks at ser_features_new that every name
 * exists in `full` (tests/unit/test_featset.c too).
 *
 * First choice (eGeMAPS-like): MFCC 1-12 mean/std and delta std, loudness
 * and F0 (semitones, voiced frames) distributions, voicing, HNR, jitter,
 * shimmer, formants, spectral slopes, alpha ratio, Hammarberg index, flux,
 * centroid, ZCR, and the rhythm of voiced segments. Owned by the model
 * (H4) after 06:40 UTC, who may rewrite it from measurements.
 */
#ifndef SER_FEATSET_DEFAULT_H
#define SER_FEATSET_DEFAULT_H

static const char *const ser_featset_default[] = {
	"mfcc1_mean", "mfcc2_mean", "mfcc3_mean", "mfcc4_mean", "mfcc5_mean", "mfcc6_mean",
	"mfcc7_mean", "mfcc8_mean", "mfcc9_mean", "mfcc10_mean", "mfcc11_mean", "mfcc12_mean",
	"mfcc1_std", "mfcc2_std", "mfcc3_std", "mfcc4_std", "mfcc5_std", "mfcc6_std",
	"mfcc7_std", "mfcc8_std", "mfcc9_std", "mfcc10_std", "mfcc11_std", "mfcc12_std",
	"mfcc1_delta_std", "mfcc2_delta_std", "mfcc3_delta_std", "mfcc4_delta_std",
	"mfcc5_delta_std", "mfcc6_delta_std", "mfcc7_delta_std", "mfcc8_delta_std",
	"mfcc9_delta_std", "mfcc10_delta_std", "mfcc11_delta_std", "mfcc12_delta_std",
	"loudness_mean", "loudness_std", "loudness_p20", "loudness_p50", "loudness_p80",
	"loudness_range", "loudness_slope",
	"f0_semitone_mean", "f0_semitone_std", "f0_semitone_p20", "f0_semitone_p50",
	"f0_semitone_p80", "f0_semitone_range", "f0_semitone_slope",
	"voicing_mean", "voicing_std",
	"hnr_db_mean", "hnr_db_std",
	"jitter_mean", "jitter_std", "shimmer_mean", "shimmer_std",
	"f1_hz_mean", "f1_hz_std", "f2_hz_mean", "f2_hz_std", "f3_hz_mean", "f3_hz_std",
	"b1_hz_mean", "b2_hz_mean", "b3_hz_mean",
	"slope_0_500_mean", "slope_0_500_std", "slope_500_1500_mean", "slope_500_1500_std",
	"alpha_ratio_mean", "alpha_ratio_std", "hammarberg_mean", "hammarberg_std",
	"flux_mean", "flux_std", "centroid_mean", "centroid_std", "rolloff_mean",
	"zcr_mean", "zcr_std", "rms_mean", "rms_std",
	"voiced_ratio", "voiced_segments_per_s", "voiced_segment_mean_s",
	"unvoiced_segment_mean_s",
};

#endif
