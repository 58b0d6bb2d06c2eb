#!/usr/bin/env python3
"""Derive dict/cameo.tsv from the CAMEO reference facts in ../shared/data/cameo.tsv.

sitrep's table keeps: code, root, goldstein, quad class (GDELT convention:
1 = 01-05, 2 = 06-09, 3 = 10-14, 4 = 15-20), PLOVER 2.0 type and mode, name.
Where the 2021 CAMEO->PLOVER mapping gives no type, sitrep decides:
  01x  -> none (PLOVER drops public statements; sitrep keeps them as 010)
  02x  -> REQUEST (PLOVER 2.0 folds appeals into REQUEST)
  08   -> CONCEDE (root row; its children are mapped)
usage: tools/make_cameo.py ../shared/data/cameo.tsv > dict/cameo.tsv
"""
import csv, sys

FILL = {"02": "REQUEST", "08": "CONCEDE"}

def main(src):
    rows = list(csv.DictReader(open(src, encoding="utf-8"), delimiter="\t"))
    out = sys.stdout
    out.write("# dict/cameo.tsv - CAMEO event codes: the facts sitrep codes with.\n")
    out.write("# Derived by tools/make_cameo.py from the CAMEO codebook 1.1b3 / GDELT tables\n")
    out.write("# (names, Goldstein values) and the 2021 CAMEO->PLOVER mapping; see\n")
    out.write("# docs/DICTIONARIES.md. quad_class uses the GDELT convention\n")
    out.write("# (1 = 01-05 verbal cooperation, 2 = 06-09 material cooperation,\n")
    out.write("# 3 = 10-14 verbal conflict, 4 = 15-20 material conflict).\n")
    out.write("# Columns (TAB-separated): code root goldstein quad plover_type plover_mode name\n")
    for r in rows:
        code, root = r["code"], r["root"]
        ptype = (r["plover_type"] or "").split(";")[0]
        if not ptype:
            ptype = FILL.get(root, "-")
        mode = (r["plover_mode"] or "").split(";")[0] or "-"
        name = r["codebook_name"] or r["name"]
        out.write("\t".join([code, root, r["goldstein"], r["quad_class"], ptype, mode, name]) + "\n")

if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/cameo.tsv")
