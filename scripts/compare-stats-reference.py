#!/usr/bin/env python3
"""Reference numbers for src/compare/stats.ts, computed independently with scipy.

Writes test/compare/fixtures/stats-reference.json. Run with any Python 3 that has scipy >= 1.11 (Debian's
python3-scipy, or pip's; the file records the versions used):
    python3 scripts/compare-stats-reference.py
The samples are fixed below (some are fd_lenet-like values of three seeds); nothing is random.
"""
import json
import os
import sys

import numpy as np
import scipy
from scipy import special, stats

SAMPLES = {
    "fd_three_seeds_a": [41.3, 44.9, 39.8],
    "fd_three_seeds_b": [47.2, 52.6, 49.0],
    "coverage_a": [1.0, 0.9, 1.0],
    "coverage_b": [0.8, 0.9, 0.7],
    "unequal_n_a": [12.1, 15.4, 9.8, 14.2, 11.0],
    "unequal_n_b": [18.3, 16.7],
    "wide_a": [1.0, 2.0, 3.0, 4.0, 100.0],
    "wide_b": [2.5, 2.6, 2.4, 2.7],
    "two_a": [5.0, 7.0],
    "two_b": [6.0, 6.5],
}
PAIRS = [
    ("fd_three_seeds_a", "fd_three_seeds_b"),
    ("coverage_a", "coverage_b"),
    ("unequal_n_a", "unequal_n_b"),
    ("wide_a", "wide_b"),
    ("two_a", "two_b"),
]


def summary(xs):
    xs = np.asarray(xs, dtype=float)
    n = len(xs)
    m = float(xs.mean())
    s = float(xs.std(ddof=1))
    low, high = stats.t.interval(0.95, n - 1, loc=m, scale=s / np.sqrt(n))
    return {"n": n, "mean": m, "sd": s, "ci95": [float(low), float(high)]}


def welch(a, b):
    r = stats.ttest_ind(a, b, equal_var=False)
    ci = r.confidence_interval(0.95)
    return {
        "diff": float(np.mean(a) - np.mean(b)),
        "t": float(r.statistic),
        "df": float(r.df),
        "p": float(r.pvalue),
        "ci95": [float(ci.low), float(ci.high)],
    }


def main():
    out = {
        "made_by": "scripts/compare-stats-reference.py",
        "scipy": scipy.__version__,
        "numpy": np.__version__,
        "python": sys.version.split()[0],
        "t_quantile_975": [{"df": df, "value": float(stats.t.ppf(0.975, df))}
                           for df in [1, 2, 3, 4, 5, 7, 10, 30, 100, 1.5, 2.7, 4.33, 11.8]],
        "t_quantile": [{"p": p, "df": df, "value": float(stats.t.ppf(p, df))}
                       for p, df in [(0.9, 3), (0.995, 2), (0.025, 4), (0.6, 9.5)]],
        "t_survival": [{"t": t, "df": df, "value": float(stats.t.sf(t, df))}
                       for t, df in [(0.0, 3), (1.0, 1), (2.5, 4), (-1.7, 6.2), (4.3, 2.1), (10.0, 30), (0.3, 1000)]],
        "incomplete_beta": [{"x": x, "a": a, "b": b, "value": float(special.betainc(a, b, x))}
                            for x, a, b in [(0.2, 1.5, 0.5), (0.9, 2.0, 0.5), (0.5, 5.0, 3.0), (0.05, 0.5, 0.5), (0.999, 50.0, 0.5)]],
        "summaries": {name: summary(xs) for name, xs in SAMPLES.items()},
        "welch": [{"a": a, "b": b, **welch(SAMPLES[a], SAMPLES[b])} for a, b in PAIRS],
        "samples": SAMPLES,
    }
    path = os.path.join(os.path.dirname(__file__), "..", "test", "compare", "fixtures", "stats-reference.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print(f"wrote {os.path.normpath(path)}")


if __name__ == "__main__":
    main()
