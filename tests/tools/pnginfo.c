/*
 * pnginfo - check that a file is a well-formed PNG and print "WIDTH HEIGHT".
 *
 * usage: pnginfo [file]      (stdin when no file or "-")
 *
 * Checks (PNG spec, ISO/IEC 15948): the 8-byte signature; every chunk's
 * length (< 2^31), type (four ASCII letters) and CRC-32; IHDR first with
 * length 13, non-zero width and height, a valid bit depth/colour type pair;
 * at least one IDAT; IEND last with nothing after it. Reads in bounded
 * pieces: no chunk length is trusted for an allocation. Exit 0 if valid,
 * 1 with a message if not, 2 on usage error.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../../cmd/cli.h"

static uint32_t crc_table[256];

static void
crc_init(void)
{
	uint32_t c, n, k;

	for (n = 0; n < 256; n++) {
		c = n;
		for (k = 0; k < 8; k++)
			c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
		crc_table[n] = c;
	}
}

static uint32_t
crc_update(uint32_t crc, const unsigned char *p, size_t n)
{
	while (n--)
		crc = crc_table[(crc ^ *p++) & 0xFF] ^ (crc >> 8);
	return crc;
}

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int
read_full(FILE *fp, unsigned char *buf, size_t n)
{
	return fread(buf, 1, n, fp) == n;
}

int
main(int argc, char **argv)
{
	static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
	unsigned char hdr[8], buf[4096], ihdr[13], crcb[4];
	const char *name = "<stdin>";
	FILE *fp = stdin;
	uint32_t width = 0, height = 0;
	unsigned long nchunks = 0, nidat = 0;
	int c, end = 0;

	cli_init("pnginfo");
	if (argc > 2)
		cli_usage_error("usage: pnginfo [file]");
	if (argc == 2 && strcmp(argv[1], "-") != 0) {
		name = argv[1];
		fp = fopen(name, "rb");
		if (fp == NULL)
			cli_die(1, "%s: cannot open", name);
	}
	crc_init();
	if (!read_full(fp, hdr, 8) || memcmp(hdr, sig, 8) != 0)
		cli_die(1, "%s: not a PNG (bad signature)", name);
	while (!end) {
		uint32_t len, crc, left;
		char type[5];
		int k;

		if (!read_full(fp, hdr, 8))
			cli_die(1, "%s: truncated (no IEND)", name);
		len = be32(hdr);
		memcpy(type, hdr + 4, 4);
		type[4] = '\0';
		if (len > 0x7FFFFFFFu)
			cli_die(1, "%s: chunk length %lu too large", name, (unsigned long)len);
		for (k = 0; k < 4; k++)
			if (!((type[k] >= 'A' && type[k] <= 'Z') || (type[k] >= 'a' && type[k] <= 'z')))
				cli_die(1, "%s: bad chunk type", name);
		if (nchunks == 0 && (strcmp(type, "IHDR") != 0 || len != 13))
			cli_die(1, "%s: first chunk is not a 13-byte IHDR", name);
		crc = crc_update(0xFFFFFFFFu, hdr + 4, 4);
		for (left = len; left > 0;) {
			size_t n = left < sizeof buf ? left : sizeof buf;
			if (!read_full(fp, buf, n))
				cli_die(1, "%s: truncated %s chunk", name, type);
			if (nchunks == 0)
				memcpy(ihdr, buf, 13);
			crc = crc_update(crc, buf, n);
			left -= (uint32_t)n;
		}
		if (!read_full(fp, crcb, 4))
			cli_die(1, "%s: truncated %s chunk", name, type);
		if ((crc ^ 0xFFFFFFFFu) != be32(crcb))
			cli_die(1, "%s: CRC mismatch in %s chunk", name, type);
		if (nchunks == 0) {
			static const struct { int ct; unsigned depths; } ok[] = {
				{0, 1 | 2 | 4 | 8 | 16}, {2, 8 | 16}, {3, 1 | 2 | 4 | 8}, {4, 8 | 16}, {6, 8 | 16}};
			int depth = ihdr[8], ct = ihdr[9], good = 0;
			size_t i;
			width = be32(ihdr);
			height = be32(ihdr + 4);
			if (width == 0 || height == 0 || width > 0x7FFFFFFFu || height > 0x7FFFFFFFu)
				cli_die(1, "%s: bad IHDR size", name);
			for (i = 0; i < sizeof ok / sizeof *ok; i++)
				if (ok[i].ct == ct && (ok[i].depths & (unsigned)depth))
					good = 1;
			if (!good || ihdr[10] != 0 || ihdr[11] != 0 || ihdr[12] > 1)
				cli_die(1, "%s: bad IHDR fields", name);
		} else if (strcmp(type, "IHDR") == 0)
			cli_die(1, "%s: second IHDR", name);
		if (strcmp(type, "IDAT") == 0)
			nidat++;
		if (strcmp(type, "IEND") == 0)
			end = 1;
		nchunks++;
	}
	if (nidat == 0)
		cli_die(1, "%s: no IDAT chunk", name);
	if ((c = getc(fp)) != EOF)
		cli_die(1, "%s: bytes after IEND", name);
	if (fp != stdin)
		fclose(fp);
	printf("%lu %lu\n", (unsigned long)width, (unsigned long)height);
	return cli_close_stdout(0);
}
