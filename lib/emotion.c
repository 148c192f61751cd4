#include "emotion.h"

#include <string.h>

const char *const ser_emotion_names[SER_N_EMOTIONS] = {
	"angry", "disgust", "fear", "happy", "neutral", "sad", "surprise",
};

/* Okabe & Ito (2008), "Color Universal Design". */
const char *const ser_emotion_colors[SER_N_EMOTIONS] = {
	"#D55E00", /* angry: vermillion */
	"#009E73", /* disgust: bluish green */
	"#CC79A7", /* fear: reddish purple */
	"#E69F00", /* happy: orange */
	"#999999", /* neutral: grey */
	"#0072B2", /* sad: blue */
	"#56B4E9", /* surprise: sky blue */
};

int
ser_emotion_index(const char *name)
{
	int i;

	for (i = 0; i < SER_N_EMOTIONS; i++)
		if (strcmp(ser_emotion_names[i], name) == 0)
			return i;
	return -1;
}
