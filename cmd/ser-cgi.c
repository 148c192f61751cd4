/*
 * ser-cgi - the web endpoint: POST /upload as a CGI/1.1 program (RFC 3875).
 *
 * The request body, multipart/form-data (RFC 7578), is read by a child
 * process under rlimits and seccomp that streams the field "file" into a
 * private temporary directory. The file's type is decided by its content
 * (415 otherwise); then the toolkit's own programs run on it, one after the
 * other, through pipes (fork/exec, never a shell, never a word of the request
 * in an argument): ser-decode | ser-features | ser-scale | ser-predict, and
 * ser-plot --data-uri draws the chart. The answer is the JSON of DESIGN.md
 * "The web endpoint" with a Status: header, or {"error": "..."} with the
 * fitting status. The temporary directory is removed on every path,
 * signals included. One line per request goes to stderr (the server's log).
 *
 * Configuration comes from the environment the server sets (see ser-cgi(1)),
 * never from the request.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <seccomp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../lib/buf.h"
#include "../lib/decode.h"
#include "../lib/emotion.h"
#include "../lib/json.h"
#include "../lib/multipart.h"
#include "../lib/num.h"
#include "../lib/probs.h"
#include "../lib/tsv.h"
#include "cli.h"

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif
#ifndef UNDER_ASAN
#define UNDER_ASAN 0
#endif
/* Under valgrind (make valgrind), an address-space limit or a seccomp
 * filter would stop valgrind itself, not the program it runs. */
#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define UNDER_VALGRIND() (RUNNING_ON_VALGRIND != 0)
#endif
#endif
#ifndef UNDER_VALGRIND
#define UNDER_VALGRIND() 0
#endif

#define BODY_MAX_DEFAULT (16 * 1024 * 1024)
#define SAMPLE_RATE 16000 /* unless the model's description says otherwise */
#define MIN_SECONDS 0.25

/* ------------------------------------------------------------------ */
/* Configuration (environment of the server, not of the request).     */

typedef struct config {
	char model[PATH_MAX];
	char bindir[PATH_MAX];
	char tmproot[PATH_MAX];
	int64_t body_max;     /* bytes */
	int64_t timeout_s;    /* wall clock for the whole request */
	double max_duration;  /* seconds of decoded audio */
	int sandbox;          /* seccomp in the parsing child */
	char feature_set[33]; /* the model's (description.tsv feature_set), default "default" */
	int64_t rate_hz;      /* the model's analysis rate (description.tsv sample_rate) */
} config;

/* ------------------------------------------------------------------ */
/* State the signal handler needs: paths to remove, a child to kill,   */
/* canned answers. Written before the handler can run, read by it.     */

enum { PH_BODY, PH_WORK, PH_DONE };

static struct {
	char dir[PATH_MAX];
	char upload[PATH_MAX + 16];
	volatile sig_atomic_t have_dir, have_upload;
	volatile pid_t child;
	volatile sig_atomic_t phase;
	volatile sig_atomic_t answered;
	char r408[512], r503t[512], r503s[512];
} g;

static void
cleanup_fs(void)
{
	if (g.have_upload) {
		unlink(g.upload);
		g.have_upload = 0;
	}
	if (g.have_dir) {
		rmdir(g.dir);
		g.have_dir = 0;
	}
}

static void
write_all_raw(int fd, const char *s, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, s, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		s += w;
		n -= (size_t)w;
	}
}

/* Async-signal-safe: kill the running child, remove the temporary files,
 * answer if nothing was answered yet (408 while the body is read, 503
 * otherwise), say so in the log, exit. */
static void
on_signal(int sig)
{
	const char *r, *msg;

	/* Answered and logged already: servers may stop a CGI program once
	 * the answer is complete (lighttpd does). */
	if (g.phase == PH_DONE)
		_exit(0);
	if (g.child > 0)
		kill(g.child, SIGKILL);
	cleanup_fs();
	if (sig == SIGALRM && g.phase == PH_BODY)
		r = g.r408, msg = "ser-cgi: status=408 the request body did not arrive in time\n";
	else if (sig == SIGALRM)
		r = g.r503t, msg = "ser-cgi: status=503 the request took too long\n";
	else
		r = g.r503s, msg = "ser-cgi: status=503 stopped by a signal\n";
	if (!g.answered) {
		g.answered = 1;
		write_all_raw(1, r, strlen(r));
	}
	write_all_raw(2, msg, strlen(msg));
	_exit(1);
}

static const char *
reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 400: return "Bad Request";
	case 405: return "Method Not Allowed";
	case 408: return "Request Timeout";
	case 411: return "Length Required";
	case 413: return "Content Too Large";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Content";
	case 503: return "Service Unavailable";
	default: return "Internal Server Error";
	}
}

/* The whole CGI answer (header lines, blank line, body) into out. */
static void
format_answer(char *out, size_t n, int status, const char *body)
{
	snprintf(out, n,
	         "Status: %d %s\r\n"
	         "Content-Type: application/json\r\n"
	         "Cache-Control: no-store\r\n"
	         "X-Content-Type-Options: nosniff\r\n"
	         "%s"
	         "Content-Length: %zu\r\n"
	         "\r\n%s",
	         status, reason(status), status == 405 ? "Allow: POST\r\n" : "", strlen(body), body);
}

static void
error_body(ser_json *j, const char *msg)
{
	ser_json_raw(j, "{\"error\": ");
	ser_json_str(j, msg);
	ser_json_raw(j, "}\n");
}

static void
canned(char *out, size_t n, int status, const char *msg)
{
	ser_json j;

	ser_json_init(&j);
	error_body(&j, msg);
	format_answer(out, n, status, j.out.data != NULL && !j.out.failed ? j.out.data : "{}\n");
	ser_json_free(&j);
}

/* ------------------------------------------------------------------ */

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* A request's outcome: status, message, and the figures for the log. */
typedef struct result {
	int status;
	char msg[600];     /* for the client: a fixed sentence, never user input */
	char detail[9000]; /* for the log only */
	ser_json json;     /* the 200 answer */
	int64_t body_bytes, file_bytes;
	double seconds;    /* decoded duration */
	double t_parse, t_decode, t_features, t_scale, t_predict, t_plot;
} result;

static int
fail(result *r, int status, const char *msg)
{
	r->status = status;
	snprintf(r->msg, sizeof r->msg, "%s", msg);
	return -1;
}

static int
env_i64(const char *name, int64_t lo, int64_t hi, int64_t dflt, int64_t *out, result *r)
{
	const char *s = getenv(name);
	ser_error e;

	*out = dflt;
	if (s == NULL || *s == '\0')
		return 0;
	if (ser_parse_i64(s, lo, hi, out, &e) != 0) {
		snprintf(r->detail, sizeof r->detail, "%s: %s", name, e.msg);
		return fail(r, 500, "the server is misconfigured");
	}
	return 0;
}

static int
load_config(config *c, result *r)
{
	const char *s;
	char self[PATH_MAX], *slash;
	ssize_t n;
	int64_t md;

	s = getenv("SER_MODEL");
	if (s == NULL || *s == '\0')
		s = SER_DATADIR "/models/default";
	if (snprintf(c->model, sizeof c->model, "%s", s) >= (int)sizeof c->model)
		return fail(r, 500, "the server is misconfigured");
	s = getenv("SER_BINDIR");
	if (s != NULL && *s != '\0') {
		if (snprintf(c->bindir, sizeof c->bindir, "%s", s) >= (int)sizeof c->bindir)
			return fail(r, 500, "the server is misconfigured");
	} else {
		n = readlink("/proc/self/exe", self, sizeof self - 1);
		if (n <= 0) {
			snprintf(r->detail, sizeof r->detail, "cannot find my own directory; set SER_BINDIR");
			return fail(r, 500, "the server is misconfigured");
		}
		self[n] = '\0';
		slash = strrchr(self, '/');
		if (slash == NULL)
			return fail(r, 500, "the server is misconfigured");
		*slash = '\0';
		snprintf(c->bindir, sizeof c->bindir, "%s", self[0] ? self : "/");
	}
	s = getenv("SER_CGI_TMPDIR");
	if (s == NULL || *s == '\0')
		s = getenv("TMPDIR");
	if (s == NULL || *s == '\0')
		s = "/tmp";
	if (s[0] != '/' || snprintf(c->tmproot, sizeof c->tmproot, "%s", s) >= (int)sizeof c->tmproot - 32) {
		snprintf(r->detail, sizeof r->detail, "the temporary directory must be an absolute path");
		return fail(r, 500, "the server is misconfigured");
	}
	if (env_i64("SER_CGI_MAX_BYTES", 1024, BODY_MAX_DEFAULT, BODY_MAX_DEFAULT, &c->body_max, r) != 0 ||
	    env_i64("SER_CGI_TIMEOUT", 1, 3600, 60, &c->timeout_s, r) != 0 ||
	    env_i64("SER_CGI_MAX_DURATION", 1, 600, 60, &md, r) != 0)
		return -1;
	c->max_duration = (double)md;
	s = getenv("SER_CGI_SANDBOX");
	c->sandbox = !(s != NULL && strcmp(s, "0") == 0);
	return 0;
}

/* ------------------------------------------------------------------ */
/* The parsing child: reads exactly CONTENT_LENGTH bytes of stdin,      */
/* streams the "file" field into ufd, and reports through a pipe.      */

typedef struct report {
	int status;         /* 0 ok, else the HTTP status */
	int64_t body_bytes; /* bytes read */
	int64_t file_bytes; /* bytes of the file field */
	char msg[SER_ERROR_MAX];
} report;

typedef struct pctx {
	int ufd;
	int in_file, seen_file;
	int64_t file_bytes;
	int status;
} pctx;

static int
p_begin(void *ctx, const ser_multipart_part *p, ser_error *e)
{
	pctx *c = ctx;

	if (strcmp(p->name, "file") != 0)
		return 0;
	if (c->seen_file) {
		c->status = 400;
		return ser_error_set(e, "the form has more than one field named file");
	}
	c->seen_file = c->in_file = 1;
	return 0;
}

static int
p_data(void *ctx, const unsigned char *b, size_t n, ser_error *e)
{
	pctx *c = ctx;

	if (!c->in_file)
		return 0;
	while (n > 0) {
		ssize_t w = write(c->ufd, b, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			c->status = 500;
			return ser_error_set(e, "the upload could not be stored");
		}
		b += w;
		n -= (size_t)w;
		c->file_bytes += w;
	}
	return 0;
}

static int
p_end(void *ctx, ser_error *e)
{
	((pctx *)ctx)->in_file = 0;
	return 0;
}

/* Allow only what reading a pipe, writing two fds, malloc and exiting
 * need; anything else (open, socket, execve, ...) kills the child. */
static int
sandbox(void)
{
	static const int allow[] = {
		SCMP_SYS(read), SCMP_SYS(write), SCMP_SYS(close), SCMP_SYS(exit),
		SCMP_SYS(exit_group), SCMP_SYS(brk), SCMP_SYS(mmap), SCMP_SYS(munmap),
		SCMP_SYS(mremap), SCMP_SYS(madvise), SCMP_SYS(rt_sigreturn),
		SCMP_SYS(rt_sigprocmask), SCMP_SYS(futex), SCMP_SYS(fstat),
		SCMP_SYS(newfstatat), SCMP_SYS(getpid), SCMP_SYS(gettid),
		SCMP_SYS(clock_gettime),
	};
	scmp_filter_ctx f = seccomp_init(SCMP_ACT_KILL_PROCESS);
	size_t i;
	int rc = 0;

	if (f == NULL)
		return -1;
	for (i = 0; i < sizeof allow / sizeof allow[0] && rc == 0; i++)
		rc = seccomp_rule_add(f, SCMP_ACT_ALLOW, allow[i], 0);
	if (rc == 0)
		rc = seccomp_load(f);
	seccomp_release(f);
	return rc == 0 ? 0 : -1;
}

static void
limit(int res, rlim_t v)
{
	struct rlimit rl = { v, v };

	setrlimit(res, &rl);
}

static noreturn void
parse_child(int ufd, int rfd, const char *boundary, int64_t clen, int use_sandbox)
{
	static unsigned char buf[65536];
	ser_multipart_callbacks cb = { p_begin, p_data, p_end };
	pctx c = { .ufd = ufd };
	report rep;
	ser_error e = { "" };
	ser_multipart *m;
	int64_t left = clen;

	memset(&rep, 0, sizeof rep);
	limit(RLIMIT_CPU, 20);
	limit(RLIMIT_FSIZE, (rlim_t)clen + 1);
	limit(RLIMIT_NOFILE, 16);
	if (!UNDER_ASAN && !UNDER_VALGRIND())
		limit(RLIMIT_AS, 256u << 20);
	m = ser_multipart_new(boundary, NULL, &cb, &c, &e);
	if (use_sandbox && !UNDER_VALGRIND() && sandbox() != 0) {
		rep.status = 500;
		snprintf(rep.msg, sizeof rep.msg, "the request could not be parsed safely");
		goto out;
	}
	if (m == NULL) {
		rep.status = 400;
		snprintf(rep.msg, sizeof rep.msg, "%s", e.msg);
		goto out;
	}
	while (left > 0) {
		size_t want = left < (int64_t)sizeof buf ? (size_t)left : sizeof buf;
		ssize_t n = read(0, buf, want);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			rep.status = 400;
			snprintf(rep.msg, sizeof rep.msg, "the request body is shorter than its Content-Length");
			goto out;
		}
		left -= n;
		rep.body_bytes += n;
		if (ser_multipart_feed(m, buf, (size_t)n, &e) != 0) {
			rep.status = c.status ? c.status : 400;
			snprintf(rep.msg, sizeof rep.msg, "%s", e.msg);
			goto out;
		}
	}
	if (ser_multipart_finish(m, &e) != 0) {
		rep.status = 400;
		snprintf(rep.msg, sizeof rep.msg, "%s", e.msg);
	} else if (!c.seen_file) {
		rep.status = 400;
		snprintf(rep.msg, sizeof rep.msg, "the form has no field named file");
	} else if (c.file_bytes == 0) {
		rep.status = 400;
		snprintf(rep.msg, sizeof rep.msg, "the uploaded file is empty");
	}
out:
	rep.file_bytes = c.file_bytes;
	write_all_raw(rfd, (const char *)&rep, sizeof rep);
	_exit(0);
}

/* Read the body through the parsing child into g.upload. */
static int
read_body(const config *cf, const char *boundary, int64_t clen, result *r)
{
	report rep;
	size_t got = 0;
	int p[2], ufd, st;
	pid_t pid;
	double t0 = now_ms();

	ufd = open(g.upload, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (ufd < 0) {
		snprintf(r->detail, sizeof r->detail, "cannot create the upload file: %s", strerror(errno));
		return fail(r, 500, "the upload could not be stored");
	}
	g.have_upload = 1;
	if (pipe(p) != 0) {
		close(ufd);
		return fail(r, 500, "the server is out of resources");
	}
	pid = fork();
	if (pid < 0) {
		close(ufd), close(p[0]), close(p[1]);
		return fail(r, 503, "the server is out of resources");
	}
	if (pid == 0) {
		signal(SIGALRM, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGINT, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		alarm(0);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		close(p[0]);
		close(1);
		parse_child(ufd, p[1], boundary, clen, cf->sandbox);
	}
	g.child = pid;
	close(ufd);
	close(p[1]);
	while (got < sizeof rep) {
		ssize_t n = read(p[0], (char *)&rep + got, sizeof rep - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(p[0]);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	g.child = 0;
	r->t_parse = now_ms() - t0;
	if (got != sizeof rep) {
		snprintf(r->detail, sizeof r->detail, "the parsing child died (wait status %d)", st);
		return fail(r, 500, "the request could not be parsed");
	}
	r->body_bytes = rep.body_bytes;
	r->file_bytes = rep.file_bytes;
	rep.msg[sizeof rep.msg - 1] = '\0';
	if (rep.status != 0)
		return fail(r, rep.status, rep.msg);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Running one program of the toolkit: in -> argv[0] -> out.           */

/* The environment of the toolkit's programs: nothing of the request. */
static char **
child_env(const char *tmpdir)
{
	static char *env[8];
	static char tmp[PATH_MAX + 8];
	static const char *keep[] = { "ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS" };
	static char kept[3][1024];
	size_t i, k = 0;

	snprintf(tmp, sizeof tmp, "TMPDIR=%s", tmpdir);
	env[k++] = tmp;
	env[k++] = (char *)"PATH=/usr/local/bin:/usr/bin:/bin";
	env[k++] = (char *)"LC_ALL=C";
	for (i = 0; i < 3; i++) {
		const char *v = getenv(keep[i]);
		if (v != NULL && snprintf(kept[i], sizeof kept[i], "%s=%s", keep[i], v) < (int)sizeof kept[i])
			env[k++] = kept[i];
	}
	env[k] = NULL;
	return env;
}

/*
 * Run bindir/argv[0] with in (n bytes, may be NULL) on its stdin and its
 * stdout collected into out, an empty buffer (at most outmax bytes: more kills it and sets
 * *toobig). Its stderr is ours (the server's log). Returns the wait status,
 * or -1 if it could not be started.
 */
static int
run(const config *cf, char *const argv[], const char *in, size_t n, ser_buf *out, size_t outmax,
    int *toobig)
{
	char path[PATH_MAX + 64];
	int pin[2], pout[2], st = 0;
	size_t off = 0;
	pid_t pid;
	struct pollfd fds[2];

	*toobig = 0;
	snprintf(path, sizeof path, "%s/%s", cf->bindir, argv[0]);
	if (pipe(pin) != 0)
		return -1;
	if (pipe(pout) != 0) {
		close(pin[0]), close(pin[1]);
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		close(pin[0]), close(pin[1]), close(pout[0]), close(pout[1]);
		return -1;
	}
	if (pid == 0) {
		sigset_t none;
		int fd;
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		signal(SIGPIPE, SIG_DFL);
		signal(SIGALRM, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGINT, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		dup2(pin[0], 0);
		dup2(pout[1], 1);
		for (fd = 3; fd < 1024; fd++)
			close(fd);
		limit(RLIMIT_CPU, (rlim_t)cf->timeout_s + 1);
		limit(RLIMIT_FSIZE, 64u << 20);
		if (!UNDER_ASAN && !UNDER_VALGRIND())
			limit(RLIMIT_AS, (rlim_t)2 << 30);
		execve(path, argv, child_env(g.dir));
		_exit(127);
	}
	g.child = pid;
	close(pin[0]);
	close(pout[1]);
	fcntl(pin[1], F_SETFL, O_NONBLOCK);
	if (in == NULL || n == 0) {
		close(pin[1]);
		pin[1] = -1;
	}
	for (;;) {
		char tmp[65536];
		ssize_t k;
		fds[0].fd = pout[0];
		fds[0].events = POLLIN;
		fds[1].fd = pin[1];
		fds[1].events = POLLOUT;
		if (poll(fds, pin[1] >= 0 ? 2 : 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pin[1] >= 0 && (fds[1].revents & (POLLOUT | POLLERR | POLLHUP))) {
			k = write(pin[1], in + off, n - off);
			if (k > 0)
				off += (size_t)k;
			if ((k < 0 && errno != EAGAIN && errno != EINTR) || off == n) {
				close(pin[1]);
				pin[1] = -1;
			}
		}
		if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			k = read(pout[0], tmp, sizeof tmp);
			if (k < 0 && errno == EINTR)
				continue;
			if (k <= 0)
				break;
			if ((size_t)k > outmax - out->len || ser_buf_add(out, tmp, (size_t)k) != 0) {
				*toobig = 1;
				kill(pid, SIGKILL);
				break;
			}
		}
	}
	if (pin[1] >= 0)
		close(pin[1]);
	close(pout[0]);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	g.child = 0;
	return st;
}

static int
exited_ok(int st)
{
	return st >= 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

/* One stage of the pipeline: argv[0] from in into out (at most outmax
 * bytes), its time into *ms. A program that could not start, failed or
 * wrote too much is the answer (status, msg), its wait status the detail. */
static int
stage(const config *cf, result *r, char *const argv[], const ser_buf *in, ser_buf *out,
      size_t outmax, double *ms, int status, const char *msg)
{
	double t = now_ms();
	int big, st = run(cf, argv, in->data, in->len, out, outmax, &big);

	*ms = now_ms() - t;
	if (big || !exited_ok(st)) {
		snprintf(r->detail, sizeof r->detail, "%s: wait status %d", argv[0], st);
		return fail(r, status, msg);
	}
	return 0;
}

/* ------------------------------------------------------------------ */

/* The probability table (ser-predict's one row, read and checked by
 * lib/probs) into the 200 answer: the seven emotions, in the table's order. */
static int
answer_json(const ser_buf *probs, const ser_buf *uri, result *r)
{
	FILE *fp;
	ser_probs P;
	ser_error e;
	int found[SER_N_EMOTIONS] = { 0 };
	size_t i;
	ser_json *j = &r->json;

	/* An empty answer never reaches fmemopen: with size 0 (and an empty
	 * ser_buf's NULL data) glibc allocates 0 bytes and writes a NUL
	 * into them (found by valgrind). */
	if (probs->len == 0) {
		snprintf(r->detail, sizeof r->detail, "probabilities: empty table (no header line)");
		return fail(r, 500, "the prediction could not be read");
	}
	if ((fp = fmemopen(probs->data, probs->len, "r")) == NULL)
		return fail(r, 500, "the prediction could not be read");
	if (ser_probs_read(fp, "probabilities", &P, &e) != 0) {
		fclose(fp);
		snprintf(r->detail, sizeof r->detail, "%s", e.msg);
		return fail(r, 500, "the prediction could not be read");
	}
	fclose(fp);
	for (i = 0; i < P.nclass; i++) {
		int k = ser_emotion_index(P.classes[i]);
		if (k < 0 || found[k]) {
			snprintf(r->detail, sizeof r->detail, "class column '%.64s' is not an emotion",
			         P.classes[i]);
			break;
		}
		found[k] = 1;
	}
	if (i < P.nclass || P.nclass != SER_N_EMOTIONS) {
		if (i == P.nclass)
			snprintf(r->detail, sizeof r->detail, "%zu classes, not %d", P.nclass,
			         SER_N_EMOTIONS);
		ser_probs_free(&P);
		return fail(r, 500, "the prediction could not be read");
	}
	ser_json_raw(j, "{\"predicted_emotion\": ");
	ser_json_str(j, P.classes[P.predicted[0]]);
	ser_json_raw(j, ", \"confidence\": ");
	ser_json_num(j, P.p[P.predicted[0]]);
	ser_json_raw(j, ", \"probabilities\": {");
	for (i = 0; i < P.nclass; i++) {
		ser_json_raw(j, i ? ", " : "");
		ser_json_str(j, P.classes[i]);
		ser_json_raw(j, ": ");
		ser_json_num(j, P.p[i]);
	}
	ser_probs_free(&P);
	ser_json_raw(j, "}, \"chart_url\": ");
	ser_json_str(j, uri->data);
	ser_json_raw(j, "}\n");
	if (ser_json_finish(j, &e) != 0)
		return fail(r, 500, "the server is out of memory");
	return 0;
}

/* The chart's URI as ser-plot --data-uri prints it, trailing newline cut. */
static int
check_uri(ser_buf *u)
{
	static const char pre[] = "data:image/png;base64,";
	size_t i;

	while (u->len > 0 && (u->data[u->len - 1] == '\n' || u->data[u->len - 1] == '\r'))
		u->data[--u->len] = '\0';
	if (u->len <= sizeof pre - 1 || memcmp(u->data, pre, sizeof pre - 1) != 0)
		return -1;
	for (i = sizeof pre - 1; i < u->len; i++) {
		char c = u->data[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '+' || c == '/' || c == '='))
			return -1;
	}
	return 0;
}

static int
process(const config *cf, result *r)
{
	static const char *const progs[] = { "ser-decode", "ser-features", "ser-scale", "ser-predict", "ser-plot" };
	char path[PATH_MAX + 64], maxdur[32], model[PATH_MAX], rate[32], set[sizeof cf->feature_set];
	unsigned char head[64];
	ser_buf pcm = { 0 }, feats = { 0 }, scaled = { 0 }, probs = { 0 }, uri = { 0 };
	double t;
	int fd, st, big, rc = -1;
	ssize_t hn;
	size_t i, pcm_max;

	/* What the file is, by its first bytes. */
	fd = open(g.upload, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return fail(r, 500, "the upload could not be read back");
	hn = read(fd, head, sizeof head);
	close(fd);
	if (hn <= 0 || ser_audio_sniff(head, (size_t)hn) == NULL)
		return fail(r, 415, "the file is not audio in a supported format (WAV, FLAC, OGG, MP3, M4A)");

	(void)progs;
	snprintf(model, sizeof model, "%s", cf->model);
	snprintf(set, sizeof set, "%s", cf->feature_set);
	snprintf(maxdur, sizeof maxdur, "%g", cf->max_duration);
	snprintf(path, sizeof path, "%s", g.upload);
	snprintf(rate, sizeof rate, "%lld", (long long)cf->rate_hz);
	pcm_max = (size_t)((cf->max_duration + 1) * (double)cf->rate_hz) * sizeof(float);
	{
		char *argv[] = { (char *)"ser-decode", (char *)"-r", rate, (char *)"--max-duration", maxdur, path, NULL };
		t = now_ms();
		st = run(cf, argv, NULL, 0, &pcm, pcm_max, &big);
		r->t_decode = now_ms() - t;
	}
	/* The upload is no longer needed: remove it now. */
	unlink(g.upload);
	g.have_upload = 0;
	if (st < 0) {
		fail(r, 500, "the server could not run its decoder");
		goto out;
	}
	if (big || !exited_ok(st)) {
		snprintf(r->msg, sizeof r->msg,
		         "the audio could not be decoded (corrupt, an unsupported codec, or longer than %g s)",
		         cf->max_duration);
		r->status = 422;
		snprintf(r->detail, sizeof r->detail, "ser-decode: wait status %d", st);
		goto out;
	}
	if (pcm.len % sizeof(float) != 0) {
		fail(r, 500, "the decoder's output is malformed");
		goto out;
	}
	r->seconds = (double)(pcm.len / sizeof(float)) / (double)cf->rate_hz;
	if (r->seconds < MIN_SECONDS) {
		fail(r, 422, "the audio is too short (less than a quarter of a second)");
		goto out;
	}
	{
		char *argv[] = { (char *)"ser-features", (char *)"-r", rate, (char *)"--set", set, NULL };
		if (stage(cf, r, argv, &pcm, &feats, 4u << 20, &r->t_features, 422,
		          "no features could be computed from the audio") != 0)
			goto out;
	}
	{
		char *argv[] = { (char *)"ser-scale", (char *)"-m", model, NULL };
		if (stage(cf, r, argv, &feats, &scaled, 4u << 20, &r->t_scale, 500,
		          "the features could not be scaled") != 0)
			goto out;
	}
	{
		char *argv[] = { (char *)"ser-predict", (char *)"-m", model, NULL };
		if (stage(cf, r, argv, &scaled, &probs, 1u << 20, &r->t_predict, 500,
		          "the model could not make a prediction") != 0)
			goto out;
	}
	{
		char *argv[] = { (char *)"ser-plot", (char *)"--data-uri", NULL };
		if (stage(cf, r, argv, &probs, &uri, 8u << 20, &r->t_plot, 500,
		          "the chart could not be drawn") != 0)
			goto out;
		if (check_uri(&uri) != 0) {
			snprintf(r->detail, sizeof r->detail, "ser-plot: not a PNG data URI");
			fail(r, 500, "the chart could not be drawn");
			goto out;
		}
	}
	rc = answer_json(&probs, &uri, r);
out:
	(void)i;
	ser_buf_free(&pcm);
	ser_buf_free(&feats);
	ser_buf_free(&scaled);
	ser_buf_free(&probs);
	ser_buf_free(&uri);
	return rc;
}

/* The feature set and analysis rate the model was trained with, from the
 * rows "feature_set" and "sample_rate" of its description.tsv (id, value);
 * absent rows (or file) mean "default" and 16000 Hz. */
static int
model_info(config *cf, result *r)
{
	char path[PATH_MAX + 64];
	FILE *fp;
	ser_tsv *t;
	ser_error e;
	long cval;
	int rc = 0, k;

	snprintf(cf->feature_set, sizeof cf->feature_set, "default");
	cf->rate_hz = SAMPLE_RATE;
	snprintf(path, sizeof path, "%s/description.tsv", cf->model);
	fp = fopen(path, "r");
	if (fp == NULL)
		return 0;
	t = ser_tsv_open(fp, "description.tsv", &e);
	cval = t != NULL ? ser_tsv_find(t, "value") : -1;
	if (t == NULL || cval < 0) {
		snprintf(r->detail, sizeof r->detail, "%s: %s", path, t == NULL ? e.msg : "no value column");
		rc = fail(r, 500, "the server's model is damaged");
		goto out;
	}
	while ((k = ser_tsv_next(t, &e)) == 1) {
		const char *id = ser_tsv_field(t, 0), *v = ser_tsv_field(t, (size_t)cval);
		if (strcmp(id, "feature_set") == 0) {
			size_t n = strlen(v);
			if (n == 0 || n >= sizeof cf->feature_set ||
			    strspn(v, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") != n || v[0] == '-') {
				snprintf(r->detail, sizeof r->detail, "%s: bad feature_set", path);
				rc = fail(r, 500, "the server's model is damaged");
				goto out;
			}
			memcpy(cf->feature_set, v, n + 1);
		} else if (strcmp(id, "sample_rate") == 0 &&
		           ser_parse_i64(v, 4000, 192000, &cf->rate_hz, &e) != 0) {
			snprintf(r->detail, sizeof r->detail, "%s: sample_rate: %s", path, e.msg);
			rc = fail(r, 500, "the server's model is damaged");
			goto out;
		}
	}
	if (k < 0) {
		snprintf(r->detail, sizeof r->detail, "%s", e.msg);
		rc = fail(r, 500, "the server's model is damaged");
	}
out:
	ser_tsv_close(t);
	fclose(fp);
	return rc;
}

/* Everything up to the answer. Returns 0 (200) or -1 (r->status). */
static int
handle(config *cf, result *r)
{
	static const char *const progs[] = { "ser-decode", "ser-features", "ser-scale", "ser-predict", "ser-plot" };
	char boundary[SER_MULTIPART_BOUNDARY_MAX + 1], path[PATH_MAX + 64];
	const char *method = getenv("REQUEST_METHOD"), *cl = getenv("CONTENT_LENGTH");
	int64_t clen;
	ser_error e;
	size_t i;
	int rc;

	if (load_config(cf, r) != 0)
		return -1;
	alarm((unsigned)cf->timeout_s);
	/* our own CPU time too: the deadline bounds wall-clock time, this a loop */
	limit(RLIMIT_CPU, (rlim_t)cf->timeout_s + 5);
	if (method == NULL || strcmp(method, "POST") != 0)
		return fail(r, 405, "only POST is accepted here");
	if (cl == NULL || *cl == '\0')
		return fail(r, 411, "the request has no Content-Length");
	if (strspn(cl, "0123456789") != strlen(cl))
		return fail(r, 400, "the request's Content-Length is not a number");
	if (ser_parse_i64(cl, 0, INT64_MAX, &clen, &e) != 0 || clen > cf->body_max) {
		snprintf(r->msg, sizeof r->msg, "the upload is larger than %lld MiB",
		         (long long)(cf->body_max >> 20));
		if (cf->body_max < (1 << 20))
			snprintf(r->msg, sizeof r->msg, "the upload is larger than %lld bytes", (long long)cf->body_max);
		r->status = 413;
		return -1;
	}
	if (clen == 0)
		return fail(r, 400, "the request body is empty");
	rc = ser_multipart_boundary(getenv("CONTENT_TYPE"), boundary, sizeof boundary, &e);
	if (rc == -1)
		return fail(r, 415, "the request must be multipart/form-data");
	if (rc != 0)
		return fail(r, 400, e.msg);

	/* The server's side, before a byte of the body is read. */
	snprintf(path, sizeof path, "%s/model.svm", cf->model);
	if (access(path, R_OK) != 0) {
		snprintf(r->detail, sizeof r->detail, "no model at %s", cf->model);
		return fail(r, 503, "no model is installed on this server");
	}
	if (model_info(cf, r) != 0)
		return -1;
	for (i = 0; i < sizeof progs / sizeof progs[0]; i++) {
		snprintf(path, sizeof path, "%s/%s", cf->bindir, progs[i]);
		if (access(path, X_OK) != 0) {
			snprintf(r->detail, sizeof r->detail, "%s is missing", path);
			return fail(r, 503, "the server's programs are not installed");
		}
	}
	if ((size_t)snprintf(g.dir, sizeof g.dir, "%s/ser-cgi.XXXXXX", cf->tmproot) >= sizeof g.dir - 16)
		return fail(r, 500, "the server is misconfigured");
	if (mkdtemp(g.dir) == NULL) {
		snprintf(r->detail, sizeof r->detail, "mkdtemp in %s: %s", cf->tmproot, strerror(errno));
		return fail(r, 503, "the server has no room for the upload");
	}
	g.have_dir = 1;
	snprintf(g.upload, sizeof g.upload, "%s/upload", g.dir);

	if (read_body(cf, boundary, clen, r) != 0)
		return -1;
	g.phase = PH_WORK;
	return process(cf, r);
}

static void
usage(FILE *fp)
{
	fprintf(fp, "usage: ser-cgi\n"
	            "\n"
	            "The POST /upload endpoint of ser as a CGI/1.1 program: run it from a web\n"
	            "server (see ser-cgi(1) for lighttpd, nginx with fcgiwrap and Apache).\n"
	            "Environment: SER_MODEL, SER_BINDIR, SER_CGI_TMPDIR, SER_CGI_TIMEOUT,\n"
	            "SER_CGI_MAX_DURATION, SER_CGI_MAX_BYTES, SER_CGI_SANDBOX.\n");
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	static result r;
	static config cf;
	struct sigaction sa;
	double t0 = now_ms();
	char *answer;
	size_t alen;
	int c;

	cli_init("ser-cgi");
	/* Under a server (GATEWAY_INTERFACE set), arguments may come from a
	 * query string (RFC 3875 section 4.4): they are never options. */
	if (getenv("GATEWAY_INTERFACE") == NULL) {
		while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
			switch (c) {
			case 'h':
				usage(stdout);
				return cli_close_stdout(0);
			case 'V':
				cli_version();
			default:
				cli_usage_error("unknown option");
			}
		}
		if (optind < argc)
			cli_usage_error("no operands are accepted");
	}

	canned(g.r408, sizeof g.r408, 408, "the request body did not arrive in time");
	canned(g.r503t, sizeof g.r503t, 503, "the request took too long");
	canned(g.r503s, sizeof g.r503s, 503, "the server stopped the request");
	g.phase = PH_BODY;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigfillset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	/* A client that went away shows as EPIPE on stdout; a toolkit program
	 * that stopped reading shows as EPIPE on its pipe. Neither kills us. */
	signal(SIGPIPE, SIG_IGN);
	limit(RLIMIT_CORE, 0);
	r.status = 200;
	ser_json_init(&r.json);

	if (handle(&cf, &r) != 0 && r.status == 200)
		r.status = 500;
	/* Nothing of the request stays on disk, whatever happened. */
	{
		sigset_t all, old;
		sigfillset(&all);
		sigprocmask(SIG_BLOCK, &all, &old);
		cleanup_fs();
		alarm(0);
		sigprocmask(SIG_SETMASK, &old, NULL);
	}
	{
		char extra[9800] = "";
		if (r.status != 200)
			snprintf(extra, sizeof extra, " error=\"%s\"%s%s%s", r.msg,
			         r.detail[0] ? " detail=\"" : "", r.detail, r.detail[0] ? "\"" : "");
		fprintf(stderr,
		        "ser-cgi: status=%d body=%lld file=%lld audio=%.2fs parse=%.0fms decode=%.0fms "
		        "features=%.0fms scale=%.0fms predict=%.0fms plot=%.0fms total=%.0fms%s\n",
		        r.status, (long long)r.body_bytes, (long long)r.file_bytes, r.seconds, r.t_parse,
		        r.t_decode, r.t_features, r.t_scale, r.t_predict, r.t_plot, now_ms() - t0, extra);
	}
	{
		ser_json ej;
		const char *body;
		ser_json_init(&ej);
		if (r.status != 200) {
			error_body(&ej, r.msg);
			body = ej.out.failed ? NULL : ej.out.data;
		} else {
			body = r.json.out.failed ? NULL : r.json.out.data;
		}
		if (body == NULL) {
			r.status = 500;
			body = "{\"error\": \"the server is out of memory\"}\n";
		}
		alen = strlen(body) + 512;
		answer = malloc(alen);
		if (answer != NULL) {
			format_answer(answer, alen, r.status, body);
			g.answered = 1;
			g.phase = PH_DONE;
			write_all_raw(1, answer, strlen(answer));
			free(answer);
		}
		ser_json_free(&ej);
	}
	ser_json_free(&r.json);
	return r.status == 200 ? 0 : 1;
}
