/*
 * cli.h - what every ser program's thin main() shares: the one error
 * printer (DESIGN.md: "ser-x: file:line: what went wrong" on stderr), option
 * values through the one number parser with a message naming the option, and
 * sbase's habit of checking stdout at exit.
 *
 * Exit statuses (DESIGN.md): 0 success, 1 data or system error, 2 usage.
 * This lives in cmd/, not lib/, because it prints and exits.
 */
#ifndef SER_CLI_H
#define SER_CLI_H

#include <stdint.h>
#include <stdnoreturn.h>

#define SER_VERSION "0.1.0"

enum { EXIT_DATA = 1, EXIT_USAGE = 2 };

/* Set the program name used in messages and line-buffer stderr (so messages
 * from a pipeline of ser programs do not interleave mid-line). */
void cli_init(const char *progname);
const char *cli_progname(void);

/* "ser-x: <message>\n" on stderr. */
void cli_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* cli_warn, then exit(status). */
noreturn void cli_die(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "ser-x: <message>" + "Try 'ser-x --help'." then exit 2. */
noreturn void cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Option values: exit 2 with "ser-x: option --NAME: <why>" when bad. */
double cli_opt_double(const char *optname, const char *arg, double lo, double hi);
int64_t cli_opt_int(const char *optname, const char *arg, int64_t lo, int64_t hi);

/* Print "ser-x VERSION" and exit 0. */
noreturn void cli_version(void);

/* fflush + ferror + fclose of stdout; on failure print why and return 1.
 * Programs end with `return cli_close_stdout(status);`. */
int cli_close_stdout(int status);

#endif
