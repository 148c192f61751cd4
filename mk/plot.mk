# mk/plot.mk - `make charts`: the README's example charts in docs/charts/,
# drawn by the real pipeline (ser-features | ser-scale | ser-predict |
# ser-plot) from the shipped test recordings in testdata/audio/ with the
# shipped model. The PNGs/SVGs are committed; rerun after the model changes.
#
#   docs/charts/speech.png       bar + pie of testdata/audio/speech.wav
#   docs/charts/demo-german.png  bar + pie of demo-german.wav
#   docs/charts/speech-bar.svg   the bar chart of speech.wav as SVG
#   docs/charts/timeline.png     the five recordings back to back, predicted
#                                in 1.5 s windows every 0.25 s
#   docs/charts/confusion.png    the confusion matrix of `make evaluate`'s
#                                pooled protocol (scripts/corpus-evaluate's
#                                pooled.confusion.tsv), when it exists in
#                                $(B)/evaluate/utterance (else left as it is)
#
# Variables: CHART_MODEL (default models/default).

CHART_MODEL ?= models/default
CHART_AUDIO  = testdata/audio
CHART_DEMOS  = speech demo-angry-ish demo-fast demo-german demo-slow
CHART_WORK   = $(B)/charts
CHART_BIN    = $(abspath $(B)/bin)
CHART_PROGS  = $(B)/bin/ser-features $(B)/bin/ser-scale $(B)/bin/ser-predict $(B)/bin/ser-plot
CHART_EVAL   = $(B)/evaluate/utterance/pooled.confusion.tsv
# The model's files as plain prerequisites: mk/model.mk's rule for
# model.svm would retrain the model whenever ser-features is rebuilt, and
# drawing charts must never start a training run.
CHART_MODEL_FILES = $(filter-out %/model.svm,$(wildcard $(CHART_MODEL)/*))
CHART_NEED_MODEL  = @test -f $(CHART_MODEL)/model.svm || \
  { echo "charts: no model in $(CHART_MODEL) (make model)" >&2; exit 1; }
CHART_FILES  = docs/charts/speech.png docs/charts/demo-german.png \
               docs/charts/speech-bar.svg docs/charts/timeline.png \
               $(if $(wildcard $(CHART_EVAL)),docs/charts/confusion.png)

charts: $(CHART_FILES)
	@$(if $(wildcard $(CHART_EVAL)),:,echo "charts: no $(CHART_EVAL) (make evaluate): confusion.png left as it is")

# The feature set the model was trained on (its description.tsv).
CHART_SET = $$(awk -F'\t' '$$1 == "feature_set" { print $$2 }' $(abspath $(CHART_MODEL))/description.tsv | grep . || echo default)

# One probability table for the five recordings (ids are their file names),
# by scripts/ser-analyze, the user's one-command pipeline.
$(CHART_WORK)/probs.tsv: $(CHART_MODEL_FILES) $(CHART_PROGS) scripts/ser-analyze $(CHART_DEMOS:%=$(CHART_AUDIO)/%.wav)
	$(CHART_NEED_MODEL)
	@mkdir -p $(@D)
	cd $(CHART_AUDIO) && PATH="$(CHART_BIN):$$PATH" $(abspath scripts/ser-analyze) \
	  -m $(abspath $(CHART_MODEL)) $(CHART_DEMOS:%=%.wav) >$(abspath $@).tmp
	mv $@.tmp $@

docs/charts/speech.png docs/charts/demo-german.png: docs/charts/%.png: $(CHART_WORK)/probs.tsv
	@mkdir -p $(@D)
	$(CHART_BIN)/ser-plot --id $*.wav -o $@ $(CHART_WORK)/probs.tsv

docs/charts/speech-bar.svg: $(CHART_WORK)/probs.tsv
	@mkdir -p $(@D)
	$(CHART_BIN)/ser-plot -k bar --id speech.wav -o $@ $(CHART_WORK)/probs.tsv

# The recordings back to back, each followed by 0.3 s of silence.
$(CHART_WORK)/talk.wav: $(CHART_DEMOS:%=$(CHART_AUDIO)/%.wav)
	@mkdir -p $(@D)
	sox $(foreach d,$(CHART_DEMOS),"|sox $(CHART_AUDIO)/$(d).wav -p pad 0 0.3") $@

$(CHART_WORK)/windows.tsv: $(CHART_WORK)/talk.wav $(CHART_MODEL_FILES) $(CHART_PROGS)
	$(CHART_NEED_MODEL)
	cd $(CHART_WORK) && $(CHART_BIN)/ser-features --set $(CHART_SET) --window 1.5 --hop 0.25 \
	  talk.wav >windows.feat.tsv
	$(CHART_BIN)/ser-scale -m $(CHART_MODEL) $(CHART_WORK)/windows.feat.tsv >$(CHART_WORK)/windows.scaled.tsv
	$(CHART_BIN)/ser-predict -m $(CHART_MODEL) $(CHART_WORK)/windows.scaled.tsv >$@.tmp
	mv $@.tmp $@

docs/charts/timeline.png: $(CHART_WORK)/windows.tsv
	@mkdir -p $(@D)
	$(CHART_BIN)/ser-plot -k timeline \
	  -t "The five test recordings back to back: 1.5 s windows every 0.25 s" \
	  -o $@ $(CHART_WORK)/windows.tsv

# The pooled protocol: the shipped set-up, 5 folds of speakers (ser-eval's
# matrix as scripts/corpus-evaluate keeps it).
docs/charts/confusion.png: $(CHART_EVAL) $(B)/bin/ser-plot
	@mkdir -p $(@D)
	t=$$(awk -F'\t' 'NR == 1 { for (i = 2; i <= NF; i++) c[i] = $$i; next } \
	  { for (i = 2; i <= NF; i++) { t += $$i; if (c[i] == $$1) d += $$i } } \
	  END { printf "%d utterances, accuracy %.1f%%", t, 100 * d / t }' $(CHART_EVAL)) && \
	$(CHART_BIN)/ser-plot -k confusion -t "Three corpora, 5 speaker folds: $$t" -o $@ $(CHART_EVAL)

.PHONY: charts
