"""Run the benchmark harness: ``python -m benchmarks [--duration 30] [--smoke]``."""

from __future__ import annotations

import os

# One BLAS/OpenMP thread, set before numpy loads: the in-process figures are per core.
for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

from benchmarks.bench import main  # noqa: E402 - after the thread limits

main()
