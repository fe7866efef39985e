#!/usr/bin/env python3
"""Parses one feed file with one Python feed parser and prints MB/s, items/s (CPU time, best of
3) and the process's peak RSS. Run by scripts/bench-python-feed-parsers.sh, one process per
parser and file so peak RSS belongs to that parse alone.

    python bench-python-feed-parsers.py feedparser_rs|fastfeedparser FILE
"""
import importlib
import resource
import sys
import time

name, path = sys.argv[1], sys.argv[2]
module = importlib.import_module(name)
data = open(path, "rb").read()
megabytes = len(data) / 1e6

if name == "feedparser_rs":
    # Its default limits stop at 10,000 entries; lift them so it reads what the others read.
    limits = module.ParserLimits(max_entries=10**7, max_feed_size_bytes=10**9)
    run = lambda: module.parse_with_limits(data, limits=limits)
else:
    run = lambda: module.parse(data)

best = None
count = 0
for _ in range(3):
    start = time.process_time()
    result = run()
    elapsed = time.process_time() - start
    entries = result["entries"] if isinstance(result, dict) else result.entries
    count = len(entries)
    best = elapsed if best is None else min(best, elapsed)
    del result, entries

peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"{name:15} {path.rsplit('/', 1)[-1]:14} {megabytes:.1f} MB, {count} items: {best:.3f} s CPU "
      f"-> {megabytes / best:.1f} MB/s, {count / best:.0f} items/s; peak RSS {peak_mib:.0f} MiB")
