#!/usr/bin/env python3
"""Context for `campaignwatch-bench match`: how fast a plain Aho-Corasick automaton (the Rust
aho-corasick crate, through PyPI's `ahocorasick-rs`) scans the same generated text for the same
literal words, with no normalisation, no word boundaries and no rule logic.

    swift build -c release --product campaignwatch-bench
    .build/release/campaignwatch-bench match --dump /tmp/cw-bench
    pip install ahocorasick-rs
    python3 scripts/bench-ahocorasick.py /tmp/cw-bench
"""
import pathlib
import sys
import time

import ahocorasick_rs

directory = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/cw-bench")
words = [w for w in (directory / "words.txt").read_text(encoding="utf-8").split("\n") if w]
text = (directory / "text.txt").read_text(encoding="utf-8")
size = len(text.encode("utf-8"))

start = time.perf_counter()
automaton = ahocorasick_rs.AhoCorasick(words, implementation=ahocorasick_rs.Implementation.DFA)
built = time.perf_counter() - start

# Scan in chunks of about 1 MB on line boundaries so the Python side stays out of the figure.
chunks, current, length = [], [], 0
for line in text.split("\n"):
    current.append(line)
    length += len(line)
    if length > 1_000_000:
        chunks.append("\n".join(current))
        current, length = [], 0
chunks.append("\n".join(current))

start = time.perf_counter()
found = 0
for chunk in chunks:
    found += len(automaton.find_matches_as_indexes(chunk, overlapping=False))
elapsed = time.perf_counter() - start
print(f"ahocorasick-rs {ahocorasick_rs.__version__ if hasattr(ahocorasick_rs, '__version__') else ''}: "
      f"{len(words)} literal words built in {built * 1000:.0f} ms; "
      f"scanned {size / 1e6:.1f} MB in {elapsed:.2f} s: {size / 1e6 / elapsed:.0f} MB/s ({found} matches)")
