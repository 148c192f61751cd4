/*
 * emotion.h - the seven classes of ser, in their fixed order (DESIGN.md
 * "The seven classes"), and the one colour of each, used everywhere a class
 * is drawn: ser-plot, the web page, the docs. The colours are the Okabe-Ito
 * palette (distinguishable with the common colour-vision deficiencies), with
 * grey for neutral.
 */
#ifndef SER_EMOTION_H
#define SER_EMOTION_H

#include <stddef.h>

#define SER_N_EMOTIONS 7

/* "angry", "disgust", "fear", "happy", "neutral", "sad", "surprise" */
extern const char *const ser_emotion_names[SER_N_EMOTIONS];
/* "#RRGGBB" per class, same order */
extern const char *const ser_emotion_colors[SER_N_EMOTIONS];

/* Index of a class name, or -1. */
int ser_emotion_index(const char *name);

#endif
