#ifndef CAMPAIGNWATCH_BYTE_SCAN_H
#define CAMPAIGNWATCH_BYTE_SCAN_H

/* Byte scanners of the feed parser's hot loops, sixteen or thirty-two bytes at a time.

   Swift's SIMD types are not turned into vector instructions here (a SIMD16 compare loop ran
   several times slower than eight-byte arithmetic on UInt64), so the few loops that read every
   byte of a feed are written once in C with SSE2 (every x86-64 processor) or AVX2 (chosen at run
   time). Each function has the same result as a plain loop over the bytes, which is what other
   processors run and what the tests compare against. Pure functions: bytes in, an offset out. */

#include <stddef.h>
#include <stdint.h>

/* An offset r >= start such that the bytes p[start..<r] are valid UTF-8, except that the last
   sequence may continue past r. `start` must be at the start of a sequence. The scan stops at
   the first block that holds an ill-formed sequence, or where fewer than a block of bytes is
   left: the caller reads on from the start of the sequence holding r. */
size_t cbs_utf8_valid_prefix(const uint8_t *p, size_t start, size_t n);

/* The end of a run of text the HTML renderer copies as it is: bytes that are not whitespace,
   '<', '&', DEL, 0xC2 (the lead byte of U+00A0) or ']', and single spaces each followed by such
   a byte. */
size_t cbs_html_run_end(const uint8_t *p, size_t start, size_t n);

/* The first byte at or after `start` that the XML input repair must look at inside a comment,
   CDATA section or processing instruction: `first` (the terminator's first byte), 0xEF (the
   lead byte of U+FFFE and U+FFFF) or a control character other than tab, line feed and carriage
   return. Adds the line feeds before it to *newlines. n when there is none. */
size_t cbs_xml_raw_stop(const uint8_t *p, size_t start, size_t n, uint8_t first, size_t *newlines);

/* The same for text and markup between tags: '<', '&', 0xEF or a control character other than
   tab, line feed and carriage return. */
size_t cbs_xml_text_stop(const uint8_t *p, size_t start, size_t n, size_t *newlines);

/* The first byte at or after `start` that is `a` or `b`; n when there is none. */
size_t cbs_find_either(const uint8_t *p, size_t start, size_t n, uint8_t a, uint8_t b);

/* The same scans at a chosen block width, 16 (SSE2) or 32 (AVX2, only where cbs_widths() says
   the processor has it), so that tests cover both on any machine. */
size_t cbs_utf8_valid_prefix_at(unsigned width, const uint8_t *p, size_t start, size_t n);
size_t cbs_html_run_end_at(unsigned width, const uint8_t *p, size_t start, size_t n);
size_t cbs_xml_raw_stop_at(unsigned width, const uint8_t *p, size_t start, size_t n, uint8_t first, size_t *newlines);
size_t cbs_xml_text_stop_at(unsigned width, const uint8_t *p, size_t start, size_t n, size_t *newlines);
size_t cbs_find_either_at(unsigned width, const uint8_t *p, size_t start, size_t n, uint8_t a, uint8_t b);

/* Block widths this processor runs: bit 0 for 16 bytes, bit 1 for 32; 0 where the plain loops
   run. */
unsigned cbs_widths(void);

#endif
