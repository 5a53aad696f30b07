"""python -m sample --out DIR [--scale S]: write the sample files and list them in load order."""
from __future__ import annotations

import argparse
import time
from pathlib import Path

from sample.generate import write_sample
from sample.scale import write_scaled_sample


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m sample", description=__doc__)
    ap.add_argument("--out", required=True, type=Path, help="output directory")
    ap.add_argument("--scale", type=float, default=1.0,
                    help="S veces la muestra (1: la muestra de siempre; 0.1 pequeña; 47: unos 10 M de mediciones)")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    files = write_sample(args.out) if args.scale == 1 else write_scaled_sample(args.out, args.scale)
    for path, kind in files:
        print(f"{kind:13s} {path}")
    print(f"{len(files)} archivos en {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
