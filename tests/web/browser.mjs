// browser.mjs - upload a recording through ser's page in headless Chromium
// (the system's /usr/bin/chromium, driven by playwright-core) and check what
// a person would see: the emotion, the confidence, the bar and pie charts
// drawn in the page with exact values on hover, the server's gnuplot chart,
// drag and drop, a clear error for a file that is not audio, and a layout
// that fits a phone. Screenshots go to the artefacts directory.
//
// Usage: node browser.mjs URL AUDIO-FILE ARTEFACT-DIR
// Exit 0 when every check passed; 1 with the failed checks on stderr.

import { mkdtempSync, readFileSync, rmSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

const [url, audio, artefacts] = process.argv.slice(2);
if (!url || !audio || !artefacts) {
	console.error("usage: node browser.mjs url audio-file artefact-dir");
	process.exit(2);
}
mkdirSync(artefacts, { recursive: true });
const CLASSES = ["angry", "disgust", "fear", "happy", "neutral", "sad", "surprise"];
const failures = [];
function check(ok, what) {
	console.log(`${ok ? "ok" : "FAILED"} - ${what}`);
	if (!ok) failures.push(what);
}

const profile = mkdtempSync(join(tmpdir(), "ser-chromium-"));
const context = await chromium.launchPersistentContext(profile, {
	executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
	headless: true,
	args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync"],
	viewport: { width: 1200, height: 900 },
});
try {
	const page = context.pages()[0] || await context.newPage();
	const errors = [], foreign = [];
	page.on("pageerror", (e) => errors.push(String(e)));
	// (the browser's own note on a 4xx answer is expected: it is tested)
	page.on("console", (m) => { if (m.type() === "error" && !/^Failed to load resource/.test(m.text())) errors.push(m.text()); });
	// The page must work offline: nothing but our own server is asked.
	await page.route("**/*", (route) => {
		const u = route.request().url();
		if (u.startsWith(url) || u.startsWith("data:")) return route.continue();
		foreign.push(u);
		return route.abort();
	});
	const states = [];
	await page.exposeFunction("serRecordState", (s) => states.push(s));
	await page.goto(url + "/");
	await page.evaluate(() => {
		new MutationObserver(() => window.serRecordState(document.getElementById("progress-state").textContent))
			.observe(document.getElementById("progress-state"), { childList: true, characterData: true, subtree: true });
	});
	check((await page.title()).includes("speech emotion recognition"), "the page loads");

	// 1. The file chooser.
	await page.setInputFiles("#file", audio);
	await page.waitForSelector("#result.on", { timeout: 90000 });
	const emotion = (await page.textContent("#emotion")).trim();
	check(CLASSES.includes(emotion), `the predicted emotion is shown (${emotion})`);
	const conf = (await page.textContent("#confidence-text")).trim();
	check(/^confidence \d{1,3}\.\d %$/.test(conf), `the confidence is shown (${conf})`);
	const bars = await page.$$eval("#bars svg rect.bar", (els) => els.map((e) => [e.dataset.class, e.getAttribute("fill"), +e.getAttribute("width")]));
	check(bars.length === 7 && bars.every((b, i) => b[0] === CLASSES[i]), "the bar chart has the seven classes in order");
	const slices = await page.$$eval("#pie svg .slice", (els) => els.map((e) => e.dataset.class));
	check(slices.length >= 1 && slices.every((c) => CLASSES.includes(c)), `the pie chart has slices (${slices.length})`);
	const legend = await page.$$eval("#legend span", (els) => els.map((e) => e.textContent));
	check(legend.length === 7, "the pie chart has a legend of seven");
	// the widest bar is the predicted class
	const widest = bars.reduce((a, b) => (b[2] > a[2] ? b : a));
	check(widest[0] === emotion, "the longest bar is the predicted emotion");
	const img = await page.$eval("#chart", (e) => ({ src: e.src.slice(0, 22), w: e.naturalWidth, h: e.naturalHeight }));
	check(img.src === "data:image/png;base64," && img.w > 100 && img.h > 50, `the gnuplot chart is shown (${img.w}x${img.h})`);
	check(states.some((s) => /^uploading \d+ %$/.test(s)) && states.includes("done"), `upload progress was shown (${[...new Set(states)].join(", ")})`);

	// Hover: the exact value.
	const box = await page.locator(`#bars rect.bar[data-class="${emotion}"]`).boundingBox();
	await page.mouse.move(box.x + Math.min(box.width / 2, 20), box.y + box.height / 2);
	await page.waitForSelector("#tip", { state: "visible", timeout: 5000 });
	const tip = await page.textContent("#tip");
	check(new RegExp(`^${emotion}: [01]\\.\\d{4} \\(\\d{1,3}\\.\\d %\\)$`).test(tip), `hovering a bar shows the exact value (${tip})`);
	await page.screenshot({ path: join(artefacts, "upload-hover.png"), fullPage: true });
	const pieSlice = page.locator("#pie .slice").first();
	const pbox = await pieSlice.boundingBox();
	await page.mouse.move(pbox.x + pbox.width / 2, pbox.y + pbox.height / 2);
	const ptip = await page.textContent("#tip");
	check(/^[a-z]+: [01]\.\d{4} \(\d{1,3}\.\d %\)$/.test(ptip), `hovering a slice shows the exact value (${ptip})`);
	await page.mouse.move(5, 5);
	await page.screenshot({ path: join(artefacts, "upload.png"), fullPage: true });

	// 2. Phone width: one column, nothing wider than the screen.
	await page.setViewportSize({ width: 390, height: 844 });
	await page.waitForTimeout(200);
	const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
	check(overflow <= 0, `no horizontal scrolling at phone width (overflow ${overflow}px)`);
	await page.screenshot({ path: join(artefacts, "phone.png"), fullPage: true });
	await page.setViewportSize({ width: 1200, height: 900 });

	// 3. Drag and drop, and a file that is not audio: a clear error.
	const textB64 = Buffer.from("this is text, not audio\n").toString("base64");
	const dropFile = async (b64, name, type) => {
		const dt = await page.evaluateHandle(([b, n, t]) => {
			const bytes = Uint8Array.from(atob(b), (c) => c.charCodeAt(0));
			const d = new DataTransfer();
			d.items.add(new File([bytes], n, { type: t }));
			return d;
		}, [b64, name, type]);
		await page.dispatchEvent("#drop", "drop", { dataTransfer: dt });
	};
	await dropFile(textB64, "not-audio.wav", "audio/wav");
	await page.waitForSelector("#error.on", { timeout: 30000 });
	const err = (await page.textContent("#error")).trim();
	check(/not audio/.test(err) && !/<|\{/.test(err), `a dropped text file gives a clear error (${err})`);
	check(!(await page.isVisible("#result.on")), "no stale result beside the error");
	await page.screenshot({ path: join(artefacts, "error.png"), fullPage: true });
	await dropFile(readFileSync(audio).toString("base64"), "speech.wav", "audio/wav");
	await page.waitForSelector("#result.on", { timeout: 90000 });
	check(!(await page.isVisible("#error.on")), "a dropped recording clears the error and shows a result");
	check(CLASSES.includes((await page.textContent("#emotion")).trim()), "the dropped recording's emotion is shown");

	check(errors.length === 0, `no script errors (${errors.join("; ")})`);
	check(foreign.length === 0, `nothing fetched from elsewhere (${foreign.join(", ")})`);
} catch (e) {
	failures.push(String(e));
	console.error(e);
} finally {
	await context.close();
	rmSync(profile, { recursive: true, force: true });
}
if (failures.length) {
	console.error("failed: " + failures.join(" | "));
	process.exit(1);
}
