#!/usr/bin/env bash
# Times the fastest Python-installable feed parsers (feedparser-rs, fastfeedparser) on the same
# generated feeds `campaignwatch-bench parse` measures, for comparison. Development tool only:
# the product and its tests need no Python.
#
#   scripts/bench-python-feed-parsers.sh [MEGABYTES]
set -euo pipefail
cd "$(dirname "$0")/.."
megabytes="${1:-50}"
venv=/tmp/campaignwatch-feedparser-bench-venv
feeds=/tmp/campaignwatch-bench-feeds

if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --upgrade pip
    "$venv/bin/pip" install --quiet feedparser-rs fastfeedparser
fi

swift build -c release --product campaignwatch-bench >/dev/null
echo "== campaignwatch (Swift, libxml2 SAX)"
.build/release/campaignwatch-bench parse --megabytes "$megabytes" --formats rss,atom --write-to "$feeds"

echo "== Python parsers on the same files"
for parser in feedparser_rs fastfeedparser; do
    for file in feed.rss.xml feed.atom.xml; do
        "$venv/bin/python" scripts/bench-python-feed-parsers.py "$parser" "$feeds/$file"
    done
done
