/* The vector scanners, written once for a block of W bytes and included by byte_scan.c once per
   width (no include guard on purpose). The includer defines W, VEC (a W-byte vector of uint8_t),
   NAME(x) (the name at this width), TARGET (the function attribute choosing the instruction set)
   and MASK(v) (one bit per byte: the byte's top bit). Comparisons of vectors give 0 or 0xFF per
   byte, which MASK turns into bits. */

#define AS_VEC(x) ((VEC)(x))

static inline TARGET VEC NAME(load)(const uint8_t *p) {
    VEC v;
    memcpy(&v, p, W);
    return v;
}

/* Nonzero when the W bytes at q are not valid UTF-8 in the context of the three bytes before
   them: each byte must be a continuation exactly when a lead byte one, two or three places
   before asks for one; C0, C1 and F5–FF never occur; the second bytes after E0, ED, F0 and F4
   stay in the ranges that exclude overlong forms, surrogates and code points past U+10FFFF. */
static inline TARGET int NAME(utf8_block_bad)(const uint8_t *q) {
    VEC cur = NAME(load)(q), p1 = NAME(load)(q - 1), p3 = NAME(load)(q - 3);
    if (MASK(cur | p3) == 0) return 0; /* ASCII after ASCII */
    VEC continuation = AS_VEC((cur & 0xC0) == 0x80);
    VEC afterLead = AS_VEC(p1 >= 0xC0);
    VEC never = AS_VEC((cur & 0xFE) == 0xC0);
    /* No three- or four-byte lead from q - 3 on (Cyrillic, Kazakh, Latin): only two-byte
       sequences to follow. */
    if (MASK(AS_VEC(cur >= 0xE0) | AS_VEC(p3 >= 0xE0)) == 0) return MASK((continuation ^ afterLead) | never) != 0;
    VEC p2 = NAME(load)(q - 2);
    VEC wanted = afterLead | AS_VEC(p2 >= 0xE0) | AS_VEC(p3 >= 0xF0);
    VEC bad = (continuation ^ wanted) | never | AS_VEC(cur >= 0xF5);
    VEC fromA0 = AS_VEC(cur >= 0xA0), from90 = AS_VEC(cur >= 0x90);
    bad |= ~fromA0 & AS_VEC(p1 == 0xE0);
    bad |= fromA0 & AS_VEC(p1 == 0xED);
    bad |= ~from90 & AS_VEC(p1 == 0xF0);
    bad |= from90 & AS_VEC(p1 == 0xF4);
    return MASK(bad) != 0;
}

static TARGET size_t NAME(utf8_valid_prefix)(const uint8_t *p, size_t i, size_t n) {
    if (n < W || i > n - W) return i;
    /* The first block reads three bytes before it: zeros stand in for them, which is right
       because `i` begins a sequence (nothing before it asks for a continuation). */
    uint8_t first[W + 3] = {0};
    memcpy(first + 3, p + i, W);
    if (NAME(utf8_block_bad)(first + 3)) return i;
    for (i += W; i <= n - W; i += W) {
        if (NAME(utf8_block_bad)(p + i)) return i;
    }
    return i;
}

static inline TARGET uint64_t NAME(html_stops)(VEC v) {
    return MASK(AS_VEC(v < 0x20) | AS_VEC(v == '<') | AS_VEC(v == '&') | AS_VEC(v == 0x7F) | AS_VEC(v == 0xC2)
                | AS_VEC(v == ']'));
}

static TARGET size_t NAME(html_run_end)(const uint8_t *p, size_t j, size_t n) {
    /* W bytes and the byte after them, which says whether a last space may stay. */
    while (n > W && j < n - W) {
        VEC cur = NAME(load)(p + j);
        uint64_t special = NAME(html_stops)(cur), space = MASK(AS_VEC(cur == 0x20));
        uint8_t after = p[j + W];
        uint64_t next = ((special | space) >> 1) | ((uint64_t)(after == 0x20 || html_special(after)) << (W - 1));
        uint64_t stop = special | (space & next);
        if (stop) return j + (size_t)__builtin_ctzll(stop);
        j += W;
    }
    return html_run_end_plain(p, j, n);
}

/* Offset of the first stop in the block at j, adding the line feeds before it; SIZE_MAX and all
   of the block's line feeds when there is none. */
static inline TARGET size_t NAME(stop_in_block)(VEC v, uint64_t stop, size_t j, size_t *lines) {
    uint64_t feeds = MASK(AS_VEC(v == 0x0A));
    if (stop) {
        unsigned at = (unsigned)__builtin_ctzll(stop);
        feeds &= ((uint64_t)1 << at) - 1;
        if (feeds) *lines += (size_t)__builtin_popcountll(feeds);
        return j + at;
    }
    if (feeds) *lines += (size_t)__builtin_popcountll(feeds);
    return SIZE_MAX;
}

static inline TARGET VEC NAME(xml_controls)(VEC v) {
    return AS_VEC(v < 0x20) & ~(AS_VEC(v == 0x09) | AS_VEC(v == 0x0A) | AS_VEC(v == 0x0D));
}

static TARGET size_t NAME(xml_raw_stop)(const uint8_t *p, size_t j, size_t n, uint8_t first, size_t *newlines) {
    while (n >= W && j <= n - W) {
        VEC v = NAME(load)(p + j);
        uint64_t stop = MASK(AS_VEC(v == first) | AS_VEC(v == 0xEF) | NAME(xml_controls)(v));
        size_t at = NAME(stop_in_block)(v, stop, j, newlines);
        if (at != SIZE_MAX) return at;
        j += W;
    }
    return xml_raw_stop_plain(p, j, n, first, newlines);
}

static TARGET size_t NAME(xml_text_stop)(const uint8_t *p, size_t j, size_t n, size_t *newlines) {
    while (n >= W && j <= n - W) {
        VEC v = NAME(load)(p + j);
        uint64_t stop = MASK(AS_VEC(v == '<') | AS_VEC(v == '&') | AS_VEC(v == 0xEF) | NAME(xml_controls)(v));
        size_t at = NAME(stop_in_block)(v, stop, j, newlines);
        if (at != SIZE_MAX) return at;
        j += W;
    }
    return xml_text_stop_plain(p, j, n, newlines);
}

static TARGET size_t NAME(find_either)(const uint8_t *p, size_t j, size_t n, uint8_t a, uint8_t b) {
    while (n >= W && j <= n - W) {
        VEC v = NAME(load)(p + j);
        uint64_t found = MASK(AS_VEC(v == a) | AS_VEC(v == b));
        if (found) return j + (size_t)__builtin_ctzll(found);
        j += W;
    }
    return find_either_plain(p, j, n, a, b);
}

#undef AS_VEC
