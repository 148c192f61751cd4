# frames TSV (ser-features --frames, default set) -> active frames, id + 25 LLDs:
# mfcc1..12 minus the utterance's active mean, mfcc1..12 deltas, loudness_rel
BEGIN { FS = OFS = "\t" }
NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
function flush(   t, k, e, s, n, v, srt, p95, m, na, line) {
	if (nr == 0) return
	for (t = 1; t <= nr; t++) {
		split(buf[t], f, "\t"); s = 0
		for (k = 0; k < 40; k++) s += 10 ^ (f[c["melband" k "_db"]] / 10)
		E[t] = 10 * log(s + 1e-20) / log(10); srt[t] = E[t]
	}
	n = nr
	for (t = 2; t <= n; t++) { v = srt[t]; for (k = t - 1; k >= 1 && srt[k] > v; k--) srt[k + 1] = srt[k]; srt[k + 1] = v }
	p95 = srt[int(0.95 * (n - 1)) + 1]
	na = 0
	for (k = 1; k <= 12; k++) m[k] = 0
	for (t = 1; t <= nr; t++) if (E[t] >= p95 - 30) {
		split(buf[t], f, "\t"); na++
		for (k = 1; k <= 12; k++) m[k] += f[c["mfcc" k]]
	}
	for (k = 1; k <= 12; k++) m[k] /= na
	for (t = 1; t <= nr; t++) if (E[t] >= p95 - 30) {
		split(buf[t], f, "\t"); line = cur
		for (k = 1; k <= 12; k++) line = line OFS sprintf("%.4g", f[c["mfcc" k]] - m[k])
		for (k = 1; k <= 12; k++) line = line OFS f[c["mfcc" k "_delta"]]
		line = line OFS f[c["loudness_rel"]]
		print line
	}
	nr = 0; delete buf; delete E
}
$1 != cur { flush(); cur = $1 }
{ buf[++nr] = $0 }
END { flush() }
