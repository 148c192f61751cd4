/* boaw N A SEED ITER PREFIX... < lld > hist.tsv : bag of audio words.
 * Codebook: N frames drawn at random from the utterances whose id starts
 * with a PREFIX, ITER k-means iterations; LLDs standardised on those frames.
 * Each frame votes for its A nearest codewords; histogram / frames. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#define D 25
static unsigned long long rs;
static unsigned long long rnd(void) { rs ^= rs << 13; rs ^= rs >> 7; rs ^= rs << 17; return rs; }
int main(int argc, char **argv) {
	int N = atoi(argv[1]), A = atoi(argv[2]), IT = atoi(argv[4]);
	rs = 88172645463325252ULL + atoll(argv[3]);
	size_t cap = 1 << 20, n = 0, nu = 0, ucap = 8192;
	float *x = malloc(cap * D * sizeof *x);
	int *ut = malloc(cap * sizeof *ut);
	char **uid = malloc(ucap * sizeof *uid);
	char line[8192], prev[1024] = "";
	while (fgets(line, sizeof line, stdin)) {
		char *tab = strchr(line, '\t'); *tab = 0;
		if (strcmp(line, prev)) { strcpy(prev, line); if (nu == ucap) uid = realloc(uid, (ucap *= 2) * sizeof *uid); uid[nu++] = strdup(line); }
		if (n == cap) { cap *= 2; x = realloc(x, cap * D * sizeof *x); ut = realloc(ut, cap * sizeof *ut); }
		char *p = tab + 1;
		for (int d = 0; d < D; d++) x[n * D + d] = strtof(p, &p);
		ut[n++] = nu - 1;
	}
	char *incb = calloc(nu, 1);
	for (size_t u = 0; u < nu; u++) for (int k = 5; k < argc; k++) if (!strncmp(uid[u], argv[k], strlen(argv[k]))) incb[u] = 1;
	double mu[D] = {0}, sd[D] = {0}; size_t ncb = 0;
	for (size_t i = 0; i < n; i++) if (incb[ut[i]]) { ncb++; for (int d = 0; d < D; d++) mu[d] += x[i * D + d]; }
	for (int d = 0; d < D; d++) mu[d] /= ncb;
	for (size_t i = 0; i < n; i++) if (incb[ut[i]]) for (int d = 0; d < D; d++) { double v = x[i * D + d] - mu[d]; sd[d] += v * v; }
	for (int d = 0; d < D; d++) sd[d] = sqrt(sd[d] / ncb) + 1e-9;
	for (size_t i = 0; i < n; i++) for (int d = 0; d < D; d++) x[i * D + d] = (x[i * D + d] - mu[d]) / sd[d];
	size_t *cbi = malloc(ncb * sizeof *cbi), m = 0;
	for (size_t i = 0; i < n; i++) if (incb[ut[i]]) cbi[m++] = i;
	float *cw = malloc((size_t)N * D * sizeof *cw);
	for (int j = 0; j < N; j++) { size_t i = cbi[rnd() % ncb]; memcpy(cw + j * D, x + i * D, D * sizeof *cw); }
	for (int it = 0; it < IT; it++) { /* k-means on a sample of codebook frames */
		double *acc = calloc((size_t)N * D, sizeof *acc); long *cnt = calloc(N, sizeof *cnt);
		for (size_t s = 0; s < 200000; s++) {
			size_t i = cbi[rnd() % ncb]; int best = 0; float bd = 1e30f;
			for (int j = 0; j < N; j++) { float dd = 0; for (int d = 0; d < D; d++) { float v = x[i * D + d] - cw[j * D + d]; dd += v * v; } if (dd < bd) { bd = dd; best = j; } }
			cnt[best]++; for (int d = 0; d < D; d++) acc[best * D + d] += x[i * D + d];
		}
		for (int j = 0; j < N; j++) if (cnt[j]) for (int d = 0; d < D; d++) cw[j * D + d] = acc[j * D + d] / cnt[j];
		free(acc); free(cnt);
	}
	printf("id"); for (int j = 0; j < N; j++) printf("\tboaw%d", j); printf("\n");
	double *h = malloc(N * sizeof *h); float *dist = malloc(N * sizeof *dist);
	size_t i = 0;
	for (size_t u = 0; u < nu; u++) {
		memset(h, 0, N * sizeof *h); size_t nf = 0;
		for (; i < n && ut[i] == (int)u; i++, nf++) {
			for (int j = 0; j < N; j++) { float dd = 0; for (int d = 0; d < D; d++) { float v = x[i * D + d] - cw[j * D + d]; dd += v * v; } dist[j] = dd; }
			for (int a = 0; a < A; a++) { int best = 0; for (int j = 1; j < N; j++) if (dist[j] < dist[best]) best = j; h[best] += 1; dist[best] = 1e30f; }
		}
		printf("%s", uid[u]); for (int j = 0; j < N; j++) printf("\t%.5g", log1p(100.0 * h[j] / (nf ? nf : 1))); printf("\n");
	}
	return 0;
}
