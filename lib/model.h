/*
 * model.h - the model directory (DESIGN.md "Streams and files"):
 *
 *   model.svm        libsvm's own text format (C-SVC, RBF, probability
 *                    estimates), loadable by libsvm's svm-predict
 *   scaler.tsv       id mean sd [weight]: the feature names, in the feature
 *                    table's column order, with their standardisation
 *                    (lib/scaler.h)
 *   classes.tsv      id svm_label: the class names in libsvm label order
 *   description.tsv  id value: how the model was trained (feature set,
 *                    sample rate, corpora, cross-validated metrics, ...)
 *
 * Saving writes a fresh directory beside the target and renames it into
 * place, so a crash never leaves half a model. Loading checks model.svm's
 * structure before libsvm parses it, so a corrupt or hostile file is an
 * error rather than a crash or a huge allocation.
 */
#ifndef SER_MODEL_H
#define SER_MODEL_H

#include <svm.h>

#include "error.h"
#include "scaler.h"
#include "table.h"

typedef struct ser_model {
	struct svm_model *svm;
	ser_scaler scaler;
	size_t k;        /* classes */
	char **classes;  /* k names, libsvm label order (= probability order) */
	ser_ltable desc; /* description.tsv */
} ser_model;

/* Load dir. On a missing directory or model.svm the message says which
 * path was tried. */
int ser_model_load(const char *dir, ser_model *m, ser_error *e);
void ser_model_free(ser_model *m);
/* Value of a description key, or NULL. */
const char *ser_model_info(const ser_model *m, const char *key);

/* Class probabilities of one standardised row (m->scaler.n values) into
 * prob (m->k, libsvm label order, summing to 1). scratch holds
 * m->scaler.n + 1 nodes (caller-owned). Returns the index of the most
 * probable class (the first on a tie). */
size_t ser_model_predict(const ser_model *m, const double *row, struct svm_node *scratch, double *prob);

/* Write a model directory at dir (replacing an existing model directory,
 * refusing any other existing path). names[label - 1] is the class name of
 * libsvm label `label` (labels 1..nnames); keys/vals are the description
 * rows. */
int ser_model_save(const char *dir, const struct svm_model *svm, const ser_scaler *sc,
                   char *const *names, size_t nnames, char *const *keys, char *const *vals,
                   size_t ndesc, ser_error *e);

#endif
