"""Print per dataset x split x signal label counts: python -m training.loaders --data DIR."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from training.loaders import DEFAULT_DATASETS, OPTIONAL_DATASETS, load_all
from training.table import count_labels, format_counts


def main(argv: list[str] | None = None) -> int:
    """Load the table and print its label counts."""
    parser = argparse.ArgumentParser(prog="python -m training.loaders", description=__doc__)
    parser.add_argument("--data", type=Path, required=True, help="dataset directory")
    parser.add_argument(
        "--repo",
        type=Path,
        default=Path(__file__).resolve().parents[2],
        help="repository root (for training/annotations)",
    )
    parser.add_argument(
        "--datasets",
        nargs="+",
        choices=[*DEFAULT_DATASETS, *OPTIONAL_DATASETS],
        help="datasets to load (default: all but BioScope)",
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    rows = load_all(args.data, args.repo, args.datasets)
    elapsed = time.perf_counter() - started
    print(format_counts(count_labels(rows)))
    print(f"\n{len(rows)} rows in {elapsed:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
