/*
 * Context for `campaignwatch-bench match`: the least a word-based matcher does, on this machine.
 * Cuts the benchmark's text into runs of letters (ASCII letters and two-byte Cyrillic), folds
 * ASCII case, and finds each run of up to 32 bytes in an open-addressing hash table of 64-byte
 * entries (the word cache's layout, adding the runs it has not seen, up to 32,768), nothing
 * more: no normalisation, no readings, no rule words, no rule logic. Prints MB/s (thread CPU
 * time), best of 3.
 *
 *     swift build -c release --product campaignwatch-bench
 *     .build/release/campaignwatch-bench match --dump /tmp/cw-bench
 *     cc -O2 -o /tmp/bench-word-lookup scripts/bench-word-lookup.c
 *     /tmp/bench-word-lookup /tmp/cw-bench/text.txt
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { ENTRIES = 1 << 15, SLOTS = ENTRIES * 2 };

typedef struct {
    uint64_t word[4];
    uint32_t length;
    uint32_t value;
    uint64_t rest[3];
} Entry;

static double thread_seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static uint64_t hash(const uint64_t w[4], uint64_t length) {
    const uint64_t k = 0x9E3779B97F4A7C15ULL;
    uint64_t h = (length ^ w[0]) * k;
    h = (h ^ (h >> 29) ^ w[1]) * k;
    h = (h ^ (h >> 29) ^ w[2]) * k;
    h = (h ^ (h >> 29) ^ w[3]) * k;
    return h ^ (h >> 32);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s TEXT-FILE\n", argv[0]);
        return 64;
    }
    FILE *file = fopen(argv[1], "rb");
    if (!file) {
        perror(argv[1]);
        return 66;
    }
    fseek(file, 0, SEEK_END);
    long size = ftell(file);
    fseek(file, 0, SEEK_SET);
    unsigned char *text = malloc((size_t)size + 64);
    if (!text || fread(text, 1, (size_t)size, file) != (size_t)size) {
        fprintf(stderr, "%s: cannot read\n", argv[1]);
        return 66;
    }
    fclose(file);

    unsigned char letter[256] = {0};
    for (int c = 'a'; c <= 'z'; c++) letter[c] = letter[c - 32] = 1;
    for (int c = 0x80; c < 0xC0; c++) letter[c] = 1;  /* continuation bytes */
    for (int c = 0xD0; c <= 0xD3; c++) letter[c] = 1; /* leads of U+0400–U+04FF */

    double best = 0;
    long words = 0, found = 0, entries = 0;
    for (int round = 0; round < 3; round++) {
        Entry *table = aligned_alloc(64, sizeof(Entry) * ENTRIES);
        uint32_t *slots = calloc(SLOTS, sizeof(uint32_t));
        entries = 0;
        words = 0;
        found = 0;
        double began = thread_seconds();
        long i = 0;
        while (i < size) {
            while (i < size && !letter[text[i]]) i++;
            long start = i;
            while (i < size && letter[text[i]]) i++;
            long length = i - start;
            if (length == 0) break;
            words++;
            if (length > 32) continue;
            uint64_t w[4] = {0, 0, 0, 0};
            unsigned char *bytes = (unsigned char *)w;
            /* ASCII capitals to lower case; the bytes of Cyrillic letters stay as they are. */
            for (long k = 0; k < length; k++) {
                unsigned char b = text[start + k];
                bytes[k] = (unsigned char)(b - 'A') < 26 ? b | 0x20 : b;
            }
            uint64_t h = hash(w, (uint64_t)length);
            uint32_t slot = (uint32_t)(h >> 32) & (SLOTS - 1), tag = (uint32_t)h & 0xFFFF;
            for (;;) {
                uint32_t s = slots[slot];
                if (s == 0) {
                    if (entries < ENTRIES - 1) {
                        Entry *e = &table[entries];
                        memcpy(e->word, w, sizeof w);
                        e->length = (uint32_t)length;
                        e->value = (uint32_t)entries;
                        slots[slot] = tag << 16 | (uint32_t)(entries + 1);
                        entries++;
                    }
                    break;
                }
                if (s >> 16 == tag) {
                    Entry *e = &table[(s & 0xFFFF) - 1];
                    if (e->length == (uint32_t)length && memcmp(e->word, w, sizeof w) == 0) {
                        found++;
                        break;
                    }
                }
                slot = (slot + 1) & (SLOTS - 1);
            }
        }
        double elapsed = thread_seconds() - began;
        if (round == 0 || elapsed < best) best = elapsed;
        free(table);
        free(slots);
    }
    printf("word lookup floor: %.1f MB in %.3f s of CPU: %.0f MB/s (%ld runs of letters, %ld found, %ld distinct kept)\n",
           (double)size / 1e6, best, (double)size / 1e6 / best, words, found, entries);
    return 0;
}
