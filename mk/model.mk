# mk/model.mk - the corpus recipes: `make model` and `make evaluate`.
#
#   make model      extract features of ../shared/corpora (incrementally:
#                   one shard per corpus speaker, remade only when its audio
#                   or ser-features changes; make -j2 uses both cores),
#                   train on the three corpora pooled, write models/default
#   make evaluate   the speaker-independent protocols (scripts/corpus-evaluate
#                   -b): the published figures beside ours, as shipped
#                   (per-utterance features only) and with each speaker
#                   standardised on its own unlabelled recordings
#   make evaluate-channel  train on RAVDESS + TESS, test on EMO-DB clean,
#                   through a telephone band and with noise
#                   (scripts/corpus-channel; needs sox)
#   make codebook   learn the bag of audio words' codebook from every
#                   recording of the corpora (ser-features --learn-codebook,
#                   CODEBOOK_WORDS words, seed CODEBOOK_SEED) and write it
#                   into lib/words_default.h, the one ser-features compiles
#                   in (then `make model` retrains on the new words)
#
# Labels: EMO-DB `boredom` is dropped (no counterpart among the seven
# classes), and so is RAVDESS `calm`: measured against mapping it to
# `neutral`, dropping it recognised the other corpora better (train on two
# corpora, test on the third: EMO-DB UAR 0.394 vs 0.308, TESS 0.298 vs
# 0.276). MODEL_LABELMAP changes it.
# Variables: CORPORA, FEATSET, MODEL_DIR, MODEL_LOG2C, MODEL_LOG2G, MODEL_FOLDS
# (the grid is also what `make evaluate` searches for every protocol, and
# the folds for the pooled and cross-corpus ones), MODEL_WORD_WEIGHT (what
# ser-scale --fit --weight multiplies the standardised word columns by, so
# they count MODEL_WORD_WEIGHT^2 of a column in the kernel's distance; only
# for a set with word columns; `make evaluate` uses the same).

CORPORA        ?= ../shared/corpora
FEATSET        ?= default
MODEL_DIR      ?= models/default
MODEL_LABELMAP ?= --drop calm --drop boredom
MODEL_LOG2C    ?= -3:7:2
MODEL_LOG2G    ?= -13:-5:2
MODEL_FOLDS    ?= 5
MODEL_SEED     ?= 1
MODEL_RATE      = 16000
MODEL_WORD_WEIGHT ?= 0.577
CODEBOOK_WORDS  ?= 200
CODEBOOK_SEED   ?= 1

FEATDIR     = $(B)/features/$(FEATSET)
CORPUS_LABELS = $(B)/features/labels.tsv
CORPUS_AUDIO  = $(B)/features/audio.tsv
# a set with word columns: their weight for ser-scale --fit, and the
# recordings corpus-evaluate -a remakes them from, fold by fold (read when
# a recipe runs, once ser-features is built)
SET_HAS_WORDS = $(filter word0,$(shell $(B)/bin/ser-features --set $(FEATSET) --list 2>/dev/null))
MODEL_SCALE   = $(if $(SET_HAS_WORDS),--weight word=$(MODEL_WORD_WEIGHT))
EVAL_WORDS    = $(if $(SET_HAS_WORDS),-a $(CORPUS_AUDIO))
# corpus/speaker directories, e.g. emodb/03 ravdess/Actor_01 tess/OAF
CORPUS_SPEAKERS := $(patsubst $(CORPORA)/%/,%,$(sort $(dir $(wildcard $(CORPORA)/*/*/*.flac))))
CORPUS_SHARDS   := $(CORPUS_SPEAKERS:%=$(FEATDIR)/%.tsv)

# One shard per speaker: ids are CORPUS/SPEAKER/FILE (ser-features is run
# inside $(CORPORA) on relative names), matching scripts/corpus-labels.
define corpus_shard_rule
$(FEATDIR)/$(1).tsv: $(wildcard $(CORPORA)/$(1)/*.flac) $(B)/bin/ser-features
	@mkdir -p $$(@D)
	cd $(CORPORA) && printf '%s\n' $(1)/*.flac | \
	  nice $(abspath $(B)/bin/ser-features) --set $(FEATSET) -T - >$(abspath $$@).tmp
	mv $$@.tmp $$@
endef
$(foreach s,$(CORPUS_SPEAKERS),$(eval $(call corpus_shard_rule,$(s))))

# All shards, one header.
$(FEATDIR)/all.tsv: $(CORPUS_SHARDS)
	@test -n "$(firstword $(CORPUS_SHARDS))" || { echo "no corpora under $(CORPORA)" >&2; exit 1; }
	awk 'FNR == 1 { if (NR == 1) h = $$0; else if ($$0 != h) { print FILENAME ": other columns" >"/dev/stderr"; exit 1 } else next } { print }' \
	  $(CORPUS_SHARDS) >$@.tmp
	mv $@.tmp $@

$(CORPUS_LABELS): scripts/corpus-labels $(wildcard $(CORPORA)/*/manifest.tsv)
	@mkdir -p $(@D)
	scripts/corpus-labels $(CORPORA) >$@.tmp
	mv $@.tmp $@

# id and path of every recording (corpus-evaluate -a)
$(CORPUS_AUDIO): $(wildcard $(CORPORA)/*/*/*.flac)
	@mkdir -p $(@D)
	cd $(CORPORA) && for f in */*/*.flac; do printf '%s\t%s/%s\n' "$$f" "$$(pwd)" "$$f"; done >$(abspath $@).tmp
	mv $@.tmp $@

features: $(FEATDIR)/all.tsv $(CORPUS_LABELS)

# The compiled-in codebook, learned from every recording in a fixed order.
codebook: $(B)/bin/ser-features
	@mkdir -p $(B)
	cd $(CORPORA) && printf '%s\n' */*/*.flac | LC_ALL=C sort | \
	  nice $(abspath $(B)/bin/ser-features) --learn-codebook $(CODEBOOK_WORDS) --seed $(CODEBOOK_SEED) -T - \
	  >$(abspath $(B))/codebook.tsv.tmp
	mv $(B)/codebook.tsv.tmp $(B)/codebook.tsv
	scripts/codebook-header "make codebook CODEBOOK_WORDS=$(CODEBOOK_WORDS) CODEBOOK_SEED=$(CODEBOOK_SEED), that is:" \
	  "cd CORPORA && printf '%s\n' */*/*.flac | LC_ALL=C sort | ser-features --learn-codebook $(CODEBOOK_WORDS) --seed $(CODEBOOK_SEED) -T -" \
	  "(EMO-DB, RAVDESS and TESS: $(words $(wildcard $(CORPORA)/*/*/*.flac)) recordings), then scripts/codebook-header" \
	  <$(B)/codebook.tsv >lib/words_default.h.tmp
	mv lib/words_default.h.tmp lib/words_default.h

# The shipped model: scaler fit on all training data, grid search with
# folds grouped by speaker, final model with probability estimates.
$(MODEL_DIR)/model.svm: $(FEATDIR)/all.tsv $(CORPUS_LABELS) $(B)/bin/ser-scale $(B)/bin/ser-train
	@mkdir -p $(B)/model $(dir $(MODEL_DIR))
	$(B)/bin/ser-scale --fit $(B)/model/scaler.tsv $(MODEL_SCALE) $(FEATDIR)/all.tsv >$(B)/model/scaled.tsv
	nice $(B)/bin/ser-train -l $(CORPUS_LABELS) -s $(B)/model/scaler.tsv -o $(MODEL_DIR) \
	  -g speaker $(MODEL_LABELMAP) --log2c $(MODEL_LOG2C) --log2g $(MODEL_LOG2G) \
	  -k $(MODEL_FOLDS) --seed $(MODEL_SEED) \
	  --note feature_set=$(FEATSET) --note sample_rate=$(MODEL_RATE) \
	  --note "training=EMO-DB, RAVDESS speech and TESS pooled, all speakers" \
	  -v $(B)/model/scaled.tsv

model: $(MODEL_DIR)/model.svm

evaluate: $(FEATDIR)/all.tsv $(CORPUS_LABELS) $(CORPUS_AUDIO) $(PROGS)
	PATH="$(abspath $(B)/bin):$$PATH" EVAL_BIG_LOG2C=$(MODEL_LOG2C) EVAL_BIG_LOG2G=$(MODEL_LOG2G) \
	  EVAL_BIG_FOLDS=$(MODEL_FOLDS) EVAL_SCALE="$(MODEL_SCALE)" \
	  nice scripts/corpus-evaluate -b $(EVAL_WORDS) -o $(B)/evaluate \
	  $(FEATDIR)/all.tsv $(CORPUS_LABELS)

evaluate-channel: $(FEATDIR)/all.tsv $(CORPUS_LABELS) $(PROGS)
	PATH="$(abspath $(B)/bin):$$PATH" EVAL_SCALE="$(MODEL_SCALE)" nice scripts/corpus-channel $(CORPORA) \
	  $(FEATDIR)/all.tsv $(CORPUS_LABELS) $(B)/channel

.PHONY: model evaluate evaluate-channel features codebook
