"""``paraat oxcgrt indices IN.csv -o OUT.csv``: recompute OxCGRT indices of any OxCGRT file.

Pure core, no Django: the ``paraat`` command dispatches here directly so the command starts
fast. Exit status 0 on success, 1 on a malformed file (the message names file, row, column),
2 on wrong usage.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from .csvio import OxcgrtFormatError, compute_file


def build_parser(prog: str = "paraat oxcgrt indices") -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Recompute the OxCGRT indices of an OxCGRT-format CSV file "
        "(compact or full-with-notes, national or subnational).",
    )
    parser.add_argument("input", type=Path, help="OxCGRT CSV file")
    parser.add_argument("-o", "--output", type=Path, required=True, help="CSV file to write")
    parser.add_argument(
        "--extra",
        action="store_true",
        help="also write the _ForDisplay variants and the legacy stringency index",
    )
    return parser


def indices_main(argv: Sequence[str]) -> int:
    args = build_parser().parse_args(list(argv))
    if not args.input.is_file():
        print(f"{args.input}: file not found", file=sys.stderr)
        return 1
    try:
        rows = compute_file(args.input, args.output, extra_columns=args.extra)
    except OxcgrtFormatError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"{args.input} → {args.output}: {rows} rows")
    return 0
