/*
 * test_buf.c - the growable byte buffer (lib/buf.h): growth by many small
 * adds, printf of strings longer than any first guess (and of lengths
 * around the free room, where an off-by-one would cut or overrun), binary
 * bytes, the sticky failure (a size that would overflow; an encoding error)
 * and free.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "buf.h"
#include "t.h"

static void
test_growth(void)
{
	ser_buf b;
	ser_error e = {{0}};
	size_t i, bad = 0;

	ser_buf_init(&b);
	CHECK(b.data == NULL && b.len == 0 && b.failed == 0, "init: empty, no memory");
	for (i = 0; i < 100000; i++)
		ser_buf_add(&b, "0123456789", 10);
	for (i = 0; i < 100000 && b.data; i++)
		bad += memcmp(b.data + i * 10, "0123456789", 10) != 0;
	CHECK(b.len == 1000000 && b.cap > b.len && b.data[b.len] == '\0' && bad == 0,
	      "100000 adds: %zu bytes, every one in place, NUL-terminated", b.len);
	CHECK(ser_buf_check(&b, &e) == 0, "no failure");
	ser_buf_free(&b);
	CHECK(b.data == NULL && b.len == 0 && b.cap == 0, "free empties");

	CHECK(ser_buf_add(&b, NULL, 0) == 0 && b.data != NULL && b.data[0] == '\0' && b.len == 0,
	      "adding nothing still gives a NUL-terminated empty text");
	CHECK(ser_buf_add(&b, "a\0b", 3) == 0 && b.len == 3 && memcmp(b.data, "a\0b", 4) == 0,
	      "binary bytes (a NUL inside) kept");
	ser_buf_free(&b);
}

static void
test_printf(void)
{
	ser_buf b = {0};
	size_t n = 300000, i, k;
	char *big = malloc(n + 1);
	int ok = 1;

	if (big == NULL) {
		CHECK(0, "malloc");
		return;
	}
	for (i = 0; i < n; i++)
		big[i] = (char)('a' + i % 26);
	big[n] = '\0';
	CHECK(ser_buf_printf(&b, "<%s>%d", big, 42) == 0 && b.len == n + 4 && b.data[0] == '<' &&
	          memcmp(b.data + 1, big, n) == 0 && strcmp(b.data + n + 1, ">42") == 0,
	      "printf of a %zu-byte string into an empty buffer", n);
	ser_buf_free(&b);

	/* Fill to every distance from the end of the allocation, then print a
	 * string of a length around the free room. */
	for (k = 0; k < 40 && ok; k++) {
		size_t len;
		ser_buf_add(&b, "x", 1);
		while (b.cap - b.len != 1 + k % 20) /* room for k%20 bytes and the NUL */
			ser_buf_add(&b, "x", 1);
		len = b.len;
		big[k % 20 + k / 20] = '\0';
		ser_buf_printf(&b, "%s", big);
		ok = b.failed == 0 && b.len == len + k % 20 + k / 20 && b.data[b.len] == '\0' &&
		     memcmp(b.data + len, big, k % 20 + k / 20) == 0 && b.data[len - 1] == 'x';
		big[k % 20 + k / 20] = (char)('a' + (k % 20 + k / 20) % 26);
		ser_buf_free(&b);
	}
	CHECK(ok, "printf exactly filling, one short of and one past the free room (k %zu)", k);

	CHECK(ser_buf_printf(&b, "%s", "") == 0 && b.data != NULL && b.len == 0,
	      "printf of nothing");
	CHECK(ser_buf_printf(&b, "%.3f|%5s|%zu", 1.5, "ab", (size_t)7) == 0 &&
	          strcmp(b.data, "1.500|   ab|7") == 0,
	      "printf formats: %s", b.data);
	ser_buf_free(&b);
	free(big);
}

static void
test_failure(void)
{
	ser_buf b = {0};
	ser_error e = {{0}};
	char one = 'z';

	ser_buf_add(&b, "keep", 4);
	CHECK(ser_buf_add(&b, &one, SIZE_MAX) != 0 && b.failed,
	      "a size that would overflow fails (no allocation attempted)");
	CHECK(ser_buf_add(&b, &one, SIZE_MAX - 4) != 0, "len + n + 1 overflowing fails too");
	CHECK(b.len == 4 && strcmp(b.data, "keep") == 0, "the text before the failure stays whole");
	CHECK(ser_buf_add(&b, "x", 1) != 0 && ser_buf_printf(&b, "%d", 1) != 0 && b.len == 4,
	      "the failure is sticky: later adds and printfs fail");
	CHECK(ser_buf_check(&b, &e) != 0 && strstr(e.msg, "out of memory"),
	      "check reports it: %s", e.msg);
	CHECK(ser_buf_check(&b, NULL) != 0, "check without an error record");
	ser_buf_free(&b);
	CHECK(b.failed == 0 && ser_buf_add(&b, "y", 1) == 0 && strcmp(b.data, "y") == 0,
	      "after free the buffer is usable again");

	/* An encoding error: a wide character outside ASCII in the C locale. */
	CHECK(ser_buf_printf(&b, "%lc", (wint_t)0x263A) != 0 && b.failed && b.len == 1 &&
	          strcmp(b.data, "y") == 0,
	      "printf encoding error fails, the text stays NUL-terminated");
	ser_buf_free(&b);
}

int
main(void)
{
	test_growth();
	test_printf();
	test_failure();
	return t_done();
}
