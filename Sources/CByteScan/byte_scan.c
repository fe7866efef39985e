#include "byte_scan.h"

#include <string.h>

/* Plain loops: the definition of each scanner, the tail after the last whole block, and the
   whole scan on processors without SSE2. */

static inline int html_special(uint8_t c) {
    return c < 0x20 || c == '<' || c == '&' || c == 0x7F || c == 0xC2 || c == ']';
}

static size_t html_run_end_plain(const uint8_t *p, size_t j, size_t n) {
    while (j < n) {
        uint8_t c = p[j];
        if (c != 0x20 && !html_special(c)) { j += 1; continue; }
        if (c == 0x20 && j + 1 < n && p[j + 1] != 0x20 && !html_special(p[j + 1])) { j += 2; continue; }
        break;
    }
    return j;
}

static inline int xml_control(uint8_t c) { return c < 0x20 && c != 0x09 && c != 0x0A && c != 0x0D; }

static size_t xml_raw_stop_plain(const uint8_t *p, size_t j, size_t n, uint8_t first, size_t *newlines) {
    size_t lines = 0;
    for (; j < n; j++) {
        uint8_t c = p[j];
        if (c == first || c == 0xEF || xml_control(c)) break;
        lines += c == 0x0A;
    }
    *newlines += lines;
    return j;
}

static size_t xml_text_stop_plain(const uint8_t *p, size_t j, size_t n, size_t *newlines) {
    size_t lines = 0;
    for (; j < n; j++) {
        uint8_t c = p[j];
        if (c == '<' || c == '&' || c == 0xEF || xml_control(c)) break;
        lines += c == 0x0A;
    }
    *newlines += lines;
    return j;
}

static size_t find_either_plain(const uint8_t *p, size_t j, size_t n, uint8_t a, uint8_t b) {
    while (j < n && p[j] != a && p[j] != b) j++;
    return j;
}

#if defined(__x86_64__)
#include <immintrin.h>

/* SSE2, which every x86-64 processor has. */
typedef uint8_t bytes16 __attribute__((vector_size(16)));
#define W 16
#define VEC bytes16
#define NAME(x) x##_16
#define TARGET
#define MASK(v) ((uint64_t)(uint32_t)_mm_movemask_epi8((__m128i)(v)))
#include "byte_scan_kernels.h"
#undef W
#undef VEC
#undef NAME
#undef TARGET
#undef MASK

/* AVX2, where the processor has it (chosen per call: the check is one load of a word the C
   runtime fills at start-up). */
typedef uint8_t bytes32 __attribute__((vector_size(32)));
#define W 32
#define VEC bytes32
#define NAME(x) x##_32
#define TARGET __attribute__((target("avx2")))
#define MASK(v) ((uint64_t)(uint32_t)_mm256_movemask_epi8((__m256i)(v)))
#include "byte_scan_kernels.h"
#undef W
#undef VEC
#undef NAME
#undef TARGET
#undef MASK

static inline unsigned widest(void) { return __builtin_cpu_supports("avx2") ? 32 : 16; }

size_t cbs_utf8_valid_prefix_at(unsigned width, const uint8_t *p, size_t start, size_t n) {
    return width == 32 ? utf8_valid_prefix_32(p, start, n) : utf8_valid_prefix_16(p, start, n);
}

size_t cbs_html_run_end_at(unsigned width, const uint8_t *p, size_t start, size_t n) {
    return width == 32 ? html_run_end_32(p, start, n) : html_run_end_16(p, start, n);
}

size_t cbs_xml_raw_stop_at(unsigned width, const uint8_t *p, size_t start, size_t n, uint8_t first, size_t *newlines) {
    return width == 32 ? xml_raw_stop_32(p, start, n, first, newlines) : xml_raw_stop_16(p, start, n, first, newlines);
}

size_t cbs_xml_text_stop_at(unsigned width, const uint8_t *p, size_t start, size_t n, size_t *newlines) {
    return width == 32 ? xml_text_stop_32(p, start, n, newlines) : xml_text_stop_16(p, start, n, newlines);
}

size_t cbs_find_either_at(unsigned width, const uint8_t *p, size_t start, size_t n, uint8_t a, uint8_t b) {
    return width == 32 ? find_either_32(p, start, n, a, b) : find_either_16(p, start, n, a, b);
}

unsigned cbs_widths(void) { return widest() == 32 ? 3 : 1; }

#else

size_t cbs_utf8_valid_prefix_at(unsigned width, const uint8_t *p, size_t start, size_t n) {
    (void)width; (void)p; (void)n;
    return start; /* the caller's own loop reads everything */
}

size_t cbs_html_run_end_at(unsigned width, const uint8_t *p, size_t start, size_t n) {
    (void)width;
    return html_run_end_plain(p, start, n);
}

size_t cbs_xml_raw_stop_at(unsigned width, const uint8_t *p, size_t start, size_t n, uint8_t first, size_t *newlines) {
    (void)width;
    return xml_raw_stop_plain(p, start, n, first, newlines);
}

size_t cbs_xml_text_stop_at(unsigned width, const uint8_t *p, size_t start, size_t n, size_t *newlines) {
    (void)width;
    return xml_text_stop_plain(p, start, n, newlines);
}

size_t cbs_find_either_at(unsigned width, const uint8_t *p, size_t start, size_t n, uint8_t a, uint8_t b) {
    (void)width;
    return find_either_plain(p, start, n, a, b);
}

static inline unsigned widest(void) { return 0; }

unsigned cbs_widths(void) { return 0; }

#endif

size_t cbs_utf8_valid_prefix(const uint8_t *p, size_t start, size_t n) {
    return cbs_utf8_valid_prefix_at(widest(), p, start, n);
}

size_t cbs_html_run_end(const uint8_t *p, size_t start, size_t n) { return cbs_html_run_end_at(widest(), p, start, n); }

size_t cbs_xml_raw_stop(const uint8_t *p, size_t start, size_t n, uint8_t first, size_t *newlines) {
    return cbs_xml_raw_stop_at(widest(), p, start, n, first, newlines);
}

size_t cbs_xml_text_stop(const uint8_t *p, size_t start, size_t n, size_t *newlines) {
    return cbs_xml_text_stop_at(widest(), p, start, n, newlines);
}

size_t cbs_find_either(const uint8_t *p, size_t start, size_t n, uint8_t a, uint8_t b) {
    return cbs_find_either_at(widest(), p, start, n, a, b);
}
