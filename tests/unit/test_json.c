/*
 * test_json.c - the JSON writer (lib/json.h): escaping of quotes,
 * backslashes and control bytes, bytes outside ASCII replaced so the text is
 * always valid UTF-8, numbers in the C locale at float precision, null for
 * non-finite numbers, growth past the first buffer.
 */
#include <math.h>
#include <string.h>

#include "json.h"
#include "t.h"

static int
is(const char *raw_in, const char *want)
{
	ser_json j;
	int ok;

	ser_json_init(&j);
	ser_json_str(&j, raw_in);
	ok = j.out.data != NULL && strcmp(j.out.data, want) == 0;
	if (!ok)
		printf("# got %s, want %s\n", j.out.data ? j.out.data : "(null)", want);
	ser_json_free(&j);
	return ok;
}

int
main(void)
{
	ser_json j;
	ser_error e;
	size_t i;

	CHECK(is("", "\"\""), "empty string");
	CHECK(is("happy", "\"happy\""), "plain text as it is");
	CHECK(is("a\"b\\c", "\"a\\\"b\\\\c\""), "quote and backslash escaped");
	CHECK(is("l1\nl2\tx\r\x01\x1f\x7f", "\"l1\\nl2\\tx\\u000d\\u0001\\u001f\\u007f\""), "control bytes escaped");
	CHECK(is("caf\xc3\xa9 \xff", "\"caf\xc3\xa9 \\ufffd\""), "well-formed UTF-8 passes, a stray byte becomes U+FFFD");
	CHECK(is("\xe2\x82\xac\xf0\x9f\x98\x80", "\"\xe2\x82\xac\xf0\x9f\x98\x80\""), "3- and 4-byte UTF-8 pass");
	CHECK(is("\xc0\x80", "\"\\ufffd\\ufffd\""), "overlong NUL is two U+FFFD");
	CHECK(is("\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\""), "a UTF-16 surrogate is ill-formed");
	CHECK(is("\xf4\x90\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\""), "past U+10FFFF is ill-formed");
	CHECK(is("\xe2\x82", "\"\\ufffd\\ufffd\""), "a sequence cut by the end of the string");
	CHECK(is("</script>", "\"</script>\""), "markup is just text");

	ser_json_init(&j);
	ser_json_raw(&j, "[");
	ser_json_num(&j, 0.1);
	ser_json_raw(&j, ",");
	ser_json_num(&j, 1.0 / 3.0);
	ser_json_raw(&j, ",");
	ser_json_num(&j, -2.5e-12);
	ser_json_raw(&j, ",");
	ser_json_num(&j, NAN);
	ser_json_raw(&j, ",");
	ser_json_num(&j, INFINITY);
	ser_json_raw(&j, "]");
	CHECK(strcmp(j.out.data, "[0.1,0.333333333,-2.5e-12,null,null]") == 0, "numbers: %s", j.out.data);
	CHECK(ser_json_finish(&j, &e) == 0, "no allocation failure");
	ser_json_free(&j);
	CHECK(j.out.data == NULL && j.out.len == 0, "free resets");

	ser_json_init(&j);
	for (i = 0; i < 10000; i++)
		ser_json_str(&j, "0123456789");
	CHECK(j.out.len == 10000 * 12 && strlen(j.out.data) == j.out.len, "grows to %zu bytes", j.out.len);
	ser_json_free(&j);
	return t_done();
}
