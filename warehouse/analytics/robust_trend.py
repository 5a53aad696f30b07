"""Theil-Sen trend and its bootstrap prediction interval (the forecast to target's fit).

x is in years (float), y the series value. Deterministic: the bootstrap uses a fixed seed.
"""
from __future__ import annotations

import numpy as np

METHOD = "Theil-Sen (mediana de pendientes) con intervalo bootstrap del 80 %"
LEVEL = 0.80
BOOTSTRAP = 200


def theil_sen(x, y) -> tuple[float, float]:
    """Slope = median of the pairwise slopes (pairs with distinct x); intercept = median(y − slope·x)."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    i, j = np.triu_indices(len(x), k=1)
    dx = x[j] - x[i]
    keep = dx != 0
    if not keep.any():
        raise ValueError("Theil-Sen needs two distinct x")
    slope = float(np.median((y[j] - y[i])[keep] / dx[keep]))
    return slope, float(np.median(y - slope * x))


def predict_sum(x, y, targets, base: float = 0.0, *, level: float = LEVEL, draws: int = BOOTSTRAP,
                seed: int = 13) -> tuple[float, float, float, float, float]:
    """Forecast `base + Σ trend(t) for t in targets` (one target: a level; several: a flow's
    remaining periods) with a bootstrap interval: resample the points, refit, add a resampled
    residual per target. Returns (point, low, high, slope, intercept)."""
    x, y, targets = np.asarray(x, float), np.asarray(y, float), np.asarray(targets, float)
    slope, intercept = theil_sen(x, y)
    point = base + float(np.sum(intercept + slope * targets))
    residuals = y - (intercept + slope * x)
    rng = np.random.default_rng(seed)
    sims = []
    for _ in range(draws):
        idx = rng.integers(0, len(x), len(x))
        if np.unique(x[idx]).size < 2:
            continue
        b, a = theil_sen(x[idx], y[idx])
        noise = rng.choice(residuals, size=len(targets)) if len(targets) else 0.0
        sims.append(base + float(np.sum(a + b * targets + noise)))
    tail = (1 - level) / 2
    low, high = (np.quantile(sims, [tail, 1 - tail]) if sims else (point, point))
    return point, float(min(low, point)), float(max(high, point)), slope, intercept
