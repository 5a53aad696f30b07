"""python -m sample --out DIR: write the sample files and list them in load order."""
from __future__ import annotations

import argparse
import time
from pathlib import Path

from sample.generate import write_sample


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m sample", description=__doc__)
    ap.add_argument("--out", required=True, type=Path, help="output directory")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    files = write_sample(args.out)
    for path, kind in files:
        print(f"{kind:13s} {path}")
    print(f"{len(files)} archivos en {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
