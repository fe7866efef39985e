#!/usr/bin/env python3
"""Context for `campaignwatch-bench match`: how fast a plain Aho-Corasick automaton (the Rust
aho-corasick crate, through PyPI's `ahocorasick-rs`) scans the same generated text for the same
literal words, with no normalisation, no word boundaries and no rule logic.

    swift build -c release --product campaignwatch-bench
    .build/release/campaignwatch-bench match --dump /tmp/cw-bench
    pip install ahocorasick-rs
    python3 scripts/bench-ahocorasick.py /tmp/cw-bench

The text is scanned as UTF-8 bytes (`BytesAhoCorasick`), so the binding spends no time turning
byte offsets into character offsets; each automaton the crate offers is timed, best of 3.
"""
import pathlib
import sys
import time

import ahocorasick_rs

directory = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/cw-bench")
words = [w.encode("utf-8") for w in (directory / "words.txt").read_text(encoding="utf-8").split("\n") if w]
text = (directory / "text.txt").read_bytes()
size = len(text)
# Chunks of about 1 MB on line boundaries, so the Python side stays out of the figure.
chunks, start = [], 0
while start < size:
    end = text.find(b"\n", min(start + 1_000_000, size))
    end = size if end < 0 else end + 1
    chunks.append(text[start:end])
    start = end

for name in ("DFA", "ContiguousNFA", "NoncontiguousNFA"):
    implementation = getattr(ahocorasick_rs.Implementation, name)
    began = time.perf_counter()
    automaton = ahocorasick_rs.BytesAhoCorasick(words, implementation=implementation)
    built = time.perf_counter() - began
    best, found = None, 0
    for _ in range(3):
        began = time.perf_counter()
        found = sum(len(automaton.find_matches_as_indexes(chunk, overlapping=False)) for chunk in chunks)
        elapsed = time.perf_counter() - began
        best = elapsed if best is None else min(best, elapsed)
    print(f"ahocorasick-rs {name}: {len(words)} literal words built in {built * 1000:.0f} ms; "
          f"scanned {size / 1e6:.1f} MB in {best:.2f} s: {size / 1e6 / best:.0f} MB/s ({found} matches)")
