"""Build data/stroke_order.txt, the 姓氏笔画 table, from two permissively licensed sources.

- The order of the 20,897 characters of the basic block (stroke count, then the stroke order
  横竖撇点折 of GB 13000.1, then a fixed tie-break between characters of the same strokes):
  the ``stroke_increment_level`` rank of the ``cn-sort`` package's ``all_word.json`` (MIT).
- Stroke counts for every other ideograph (CJK Extensions A–H, the rest of the basic block,
  compatibility ideographs): ``kTotalStrokes`` of the Unicode Han Database (Unicode licence),
  as Debian's ``unicode-data`` package ships it. Where a character has two counts, the first
  (the one for simplified Chinese) is used.

Output: one line per (stroke count, tier): ``count<TAB>tier<TAB>characters``. Tier 0 holds the
basic characters of that count in stroke order; tier 1 the others, in code-point order. The
file order is the sort order; ufdesk.store.sortkeys numbers the characters as it reads them.

    python scripts/build_stroke_table.py --cn-sort path/to/all_word.json
"""

from __future__ import annotations

import argparse
import bz2
import json
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UNIHAN = "/usr/share/unicode/Unihan_IRGSources.txt.bz2"


def unihan_strokes(path: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    with bz2.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            if "\tkTotalStrokes\t" in line:
                cp, _, value = line.rstrip("\n").split("\t")
                counts[chr(int(cp[2:], 16))] = int(value.split()[0])
    return counts


def basic_ranks(path: str) -> dict[str, int]:
    entries = json.loads(Path(path).read_text(encoding="utf-8"))["all_word"]
    ranks: dict[str, int] = {}
    for e in entries:
        ch = e["chinese"]
        if len(ch) == 1 and "\u4e00" <= ch <= "\u9fff":
            ranks.setdefault(ch, e["stroke_increment_level"])
    return ranks


def smoothed_counts(order: list[str], counts: dict[str, int]) -> list[int]:
    """The stroke count of each character along the ranked basic block. The rank already
    orders by count; where Unihan's count disagrees with the rank (about 30 characters such
    as 达), the count of the rank's neighbourhood (the median of seven) is kept, and counts
    never go down along the rank."""
    raw = [counts.get(ch, 0) for ch in order]
    out: list[int] = []
    for i, own in enumerate(raw):
        floor = out[-1] if out else 0
        if floor <= own <= min(raw[i + 1:i + 4], default=own):
            out.append(own)  # in line with the rank: Unihan's count stands
            continue
        window = sorted(raw[max(0, i - 3):i + 4])
        out.append(max(window[len(window) // 2], floor))
    return out


def build(cn_sort: str, unihan: str) -> str:
    counts = unihan_strokes(unihan)
    ranks = basic_ranks(cn_sort)
    order = sorted(ranks, key=ranks.__getitem__)
    groups: dict[tuple[int, int], list[str]] = defaultdict(list)
    for ch, n in zip(order, smoothed_counts(order, counts), strict=True):
        groups[n, 0].append(ch)
    for ch in sorted(counts, key=ord):
        if ch not in ranks:
            groups[counts[ch], 1].append(ch)
    head = ("# 姓氏笔画 order: stroke count, tier (0 = basic block in GB 13000.1 stroke order, "
            "1 = other ideographs by code point), characters.\n"
            "# Built by scripts/build_stroke_table.py from cn-sort (MIT) and Unihan kTotalStrokes "
            "(Unicode licence); see LICENSE-stroke-order.txt.\n")
    lines = [f"{n}\t{tier}\t{''.join(chars)}" for (n, tier), chars in sorted(groups.items())]
    return head + "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cn-sort", required=True, help="cn_sort/res/all_word.json")
    ap.add_argument("--unihan", default=UNIHAN)
    ap.add_argument("--out", default=str(ROOT / "data" / "stroke_order.txt"))
    args = ap.parse_args()
    Path(args.out).write_text(build(args.cn_sort, args.unihan), encoding="utf-8")


if __name__ == "__main__":
    main()
