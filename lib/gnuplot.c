#include "gnuplot.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

char *
ser_gnuplot_find(const char *path)
{
	const char *p = path, *end;
	struct stat st;

	if (path == NULL || *path == '\0')
		return NULL;
	for (;;) {
		size_t dl;
		char *cand;

		end = strchr(p, ':');
		dl = end ? (size_t)(end - p) : strlen(p);
		cand = malloc(dl + sizeof "/gnuplot" + 1);
		if (cand == NULL)
			return NULL;
		if (dl == 0)
			memcpy(cand, "./gnuplot", sizeof "./gnuplot");
		else {
			memcpy(cand, p, dl);
			memcpy(cand + dl, "/gnuplot", sizeof "/gnuplot");
		}
		if (stat(cand, &st) == 0 && S_ISREG(st.st_mode) && access(cand, X_OK) == 0)
			return cand;
		free(cand);
		if (end == NULL)
			return NULL;
		p = end + 1;
	}
}

static void
close_pipe(int fd[2])
{
	if (fd[0] >= 0)
		close(fd[0]);
	if (fd[1] >= 0)
		close(fd[1]);
	fd[0] = fd[1] = -1;
}

/* In the child, after fork: wire the pipes to 0, 1, 2, close every other
 * descriptor, exec. Only async-signal-safe calls. */
static void
child(const char *exe, int in, int out, int err)
{
	static const char msg[] = "cannot execute gnuplot\n";
	/* -d: no initialisation files (~/.gnuplot, the system gnuplotrc), so
	 * the chart does not depend on whose account runs it */
	char *const argv[] = {(char *)"gnuplot", (char *)"-d", NULL};
	long fd, maxfd;

	if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0)
		_exit(126);
	maxfd = sysconf(_SC_OPEN_MAX);
	if (maxfd < 0 || maxfd > 65536)
		maxfd = 65536;
	for (fd = 3; fd < maxfd; fd++)
		close((int)fd);
	signal(SIGPIPE, SIG_DFL);
	execv(exe, argv);
	if (write(2, msg, sizeof msg - 1) < 0)
		_exit(127);
	_exit(127);
}

int
ser_gnuplot_run(const char *exe, const char *script, size_t n, ser_buf *out,
                ser_buf *err, ser_error *e)
{
	int pin[2] = {-1, -1}, pout[2] = {-1, -1}, perr[2] = {-1, -1};
	size_t off = 0, start = out->len;
	int status, rc = 0, too_big = 0;
	pid_t pid;
	char buf[65536];

	if (pipe(pin) != 0 || pipe(pout) != 0 || pipe(perr) != 0) {
		ser_error_set(e, "cannot make a pipe for gnuplot: %s", strerror(errno));
		close_pipe(pin);
		close_pipe(pout);
		close_pipe(perr);
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		ser_error_set(e, "cannot start gnuplot: %s", strerror(errno));
		close_pipe(pin);
		close_pipe(pout);
		close_pipe(perr);
		return -1;
	}
	if (pid == 0)
		child(exe, pin[0], pout[1], perr[1]);
	close(pin[0]);
	close(pout[1]);
	close(perr[1]);
	pin[0] = pout[1] = perr[1] = -1;
	fcntl(pin[1], F_SETFL, fcntl(pin[1], F_GETFL) | O_NONBLOCK);
	if (n == 0) {
		close(pin[1]);
		pin[1] = -1;
	}

	/* Feed the script and drain both outputs at once, so neither side can
	 * block the other whatever the sizes. */
	while (pout[0] >= 0 || perr[0] >= 0) {
		struct pollfd pf[3];
		int np = 0, iw = -1, io = -1, ie = -1, k;

		if (pin[1] >= 0) {
			pf[np].fd = pin[1], pf[np].events = POLLOUT, iw = np++;
		}
		if (pout[0] >= 0)
			pf[np].fd = pout[0], pf[np].events = POLLIN, io = np++;
		if (perr[0] >= 0)
			pf[np].fd = perr[0], pf[np].events = POLLIN, ie = np++;
		if (poll(pf, (nfds_t)np, -1) < 0) {
			if (errno == EINTR)
				continue;
			rc = ser_error_set(e, "poll: %s", strerror(errno));
			break;
		}
		if (iw >= 0 && pf[iw].revents) {
			ssize_t w = write(pin[1], script + off, n - off);
			if (w > 0)
				off += (size_t)w;
			if ((w < 0 && errno != EAGAIN && errno != EINTR) || off == n) {
				/* EPIPE: gnuplot stopped reading; its status says why. */
				close(pin[1]);
				pin[1] = -1;
			}
		}
		for (k = 0; k < 2; k++) {
			int idx = k == 0 ? io : ie, *fd = k == 0 ? &pout[0] : &perr[0];
			ssize_t r;
			if (idx < 0 || !pf[idx].revents)
				continue;
			r = read(*fd, buf, sizeof buf);
			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0) {
				close(*fd);
				*fd = -1;
				continue;
			}
			if (k == 0) {
				if (out->len - start + (size_t)r > SER_GNUPLOT_OUT_MAX)
					too_big = 1;
				else if (ser_buf_add(out, buf, (size_t)r) != 0)
					too_big = 2;
			} else if (err->len < SER_GNUPLOT_ERR_MAX) {
				size_t keep = (size_t)r;
				if (keep > SER_GNUPLOT_ERR_MAX - err->len)
					keep = SER_GNUPLOT_ERR_MAX - err->len;
				ser_buf_add(err, buf, keep);
			}
		}
	}
	close_pipe(pin);
	close_pipe(pout);
	close_pipe(perr);
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			return ser_error_set(e, "waiting for gnuplot: %s", strerror(errno));
		}
	}
	if (rc != 0)
		return rc;
	if (WIFSIGNALED(status))
		return ser_error_set(e, "gnuplot was killed by signal %d", WTERMSIG(status));
	if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
		return ser_error_set(e, "gnuplot failed (exit status %d)", WEXITSTATUS(status));
	if (too_big == 1)
		return ser_error_set(e, "gnuplot wrote more than %u bytes", SER_GNUPLOT_OUT_MAX);
	if (too_big == 2 || out->failed)
		return ser_error_set(e, "out of memory reading gnuplot's output");
	if (off != n)
		return ser_error_set(e, "gnuplot did not read the whole script");
	return 0;
}
