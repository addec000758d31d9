#!/usr/bin/env python3
"""The release gate a team would write with numpy and scipy instead of ftgate.

It computes what ftgate's default policy computes on the benchmark shape
(bench/gen -cases N: one sample per case, one case per cluster, a workflow,
cost and latency per case), with the same number of bootstrap draws:

  quality    exact McNemar test (scipy.stats.binomtest on the discordant
             pairs) and Tango's score interval for the paired difference
  cost       the delta-method test of the cost-per-accepted-outcome ratio
             (Student t, n - 1 df) and scipy.stats.bootstrap's paired BCa
             interval of its logarithm, with the BCa p-value read off the
             same bootstrap distribution
  tiers      each arm's acceptance with Wilson's interval and its cost per
             accepted outcome with a paired BCa interval
  latency    p50 and p95 of each arm (type 7) with percentile-bootstrap
             intervals for the p95
  segments   the exact McNemar regression test per workflow, Holm-adjusted

and prints the numbers as JSON, for bench/run to compare with ftgate's JSON
report. Usage:

  scipy_gate.py BASELINE.jsonl CANDIDATE.jsonl [--resamples 10000] [--seed 1]

The bootstrap uses scipy's defaults for everything but the batch size: the
paired BCa interval's jackknife leaves out one case at a time, so its cost
grows with the square of the number of cases.
"""
import argparse
import json
import sys

import numpy as np
from scipy import optimize, special, stats

ALPHA = 0.05
LEVEL = 1 - 2 * ALPHA  # two-sided interval level: 0.90
BATCH = 200            # resamples per vectorised batch (memory stays bounded)


def read(path):
    """Reads a native JSONL scorecard into {id: (workflow, accepted, cost, latency)}."""
    cases = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            row = json.loads(line)
            if "scorecard" in row:
                continue
            cases[row["id"]] = (row.get("workflow", ""), bool(row["accepted"]),
                                float(row["cost_usd"]), float(row["latency_ms"]))
    return cases


def pair(base, cand):
    ids = sorted(base.keys() & cand.keys())
    if len(ids) != len(base) or len(ids) != len(cand):
        sys.exit("the scorecards do not cover the same cases")
    wf = np.array([base[i][0] for i in ids])
    cols = lambda d, k: np.array([d[i][k] for i in ids], dtype=float)
    return wf, cols(base, 1), cols(base, 2), cols(base, 3), cols(cand, 1), cols(cand, 2), cols(cand, 3)


def tango_z(b, c, n, d):
    """Tango's (1998) score statistic for H0: p_C - p_B = d."""
    qa, qb, qc = 2 * n, -b - c + (2 * n - b + c) * d, -c * d * (1 - d)
    q21 = (np.sqrt(max(qb * qb - 4 * qa * qc, 0)) - qb) / (2 * qa)
    v = n * (2 * q21 + d * (1 - d))
    return (b - c - n * d) / np.sqrt(v)


def tango_interval(b, c, n):
    z = stats.norm.ppf((1 + LEVEL) / 2)
    est = (b - c) / n
    lo = optimize.brentq(lambda d: tango_z(b, c, n, d) - z, -1 + 1e-12, est, xtol=1e-15)
    hi = optimize.brentq(lambda d: tango_z(b, c, n, d) + z, est, 1 - 1e-12, xtol=1e-15)
    return lo, hi


def log_ratio(cb, ab, cc, ac, axis=-1):
    """log of (candidate cost per accepted outcome) / (baseline's)."""
    return np.log((cc.sum(axis) / ac.sum(axis)) / (cb.sum(axis) / ab.sum(axis)))


def log_cpa(c, a, axis=-1):
    return np.log(c.sum(axis) / a.sum(axis))


def bca_p(dist, theta_hat, accel, theta0):
    """One-sided BCa p-value for H1 theta < theta0: the alpha at which the
    BCa interval's upper end reaches theta0 (mid-rank bootstrap CDF)."""
    B = len(dist)
    mid = lambda v: np.clip(((dist < v).sum() + (dist <= v).sum()) / (2 * B), 0.5 / B, 1 - 0.5 / B)
    z0 = special.ndtri(mid(theta_hat))
    u = special.ndtri(mid(theta0)) - z0
    if 1 + accel * u <= 0:
        return 1.0 if u < 0 else 0.0
    return special.ndtr(z0 - u / (1 + accel * u))


def jackknife_accel(cols, stat):
    """BCa acceleration from the leave-one-out estimates: every statistic
    here is a function of column sums, so leaving case i out subtracts it."""
    tot = [c.sum() for c in cols]
    jack = stat(*[(t - c)[:, None] for t, c in zip(tot, cols)], axis=-1)
    d = jack.mean() - jack
    return (d ** 3).sum() / (6 * ((d ** 2).sum()) ** 1.5)


def delta_ratio(cb, ab, cc, ac, null_ratio=1.0):
    """Delta-method test of the cost ratio (one case per cluster)."""
    n = len(cb)
    L = log_ratio(cb, ab, cc, ac)
    infl = (cc / cc.mean() - ac / ac.mean()) - (cb / cb.mean() - ab / ab.mean())
    se = np.sqrt(n / (n - 1) * (infl ** 2).sum()) / n
    t = (L - np.log(null_ratio)) / se
    q = stats.t.ppf((1 + LEVEL) / 2, n - 1)
    return stats.t.cdf(t, n - 1), np.exp(L - q * se), np.exp(L + q * se)


def bca(cols, stat, B, rng):
    res = stats.bootstrap(cols, stat, paired=True, vectorized=True, n_resamples=B, batch=BATCH,
                          confidence_level=LEVEL, method="BCa", random_state=rng)
    return res


def holm(p):
    p = np.asarray(p, dtype=float)
    order = np.argsort(p)
    adj = np.empty_like(p)
    run = 0.0
    for k, i in enumerate(order):
        run = max(run, min(1.0, (len(p) - k) * p[i]))
        adj[i] = run
    return adj


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("baseline")
    ap.add_argument("candidate")
    ap.add_argument("--resamples", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = np.random.default_rng(args.seed)
    B = args.resamples

    wf, accB, costB, latB, accC, costC, latC = pair(read(args.baseline), read(args.candidate))
    n = len(wf)
    out = {"cases": n, "resamples": B}

    b = int(((accC == 1) & (accB == 0)).sum())
    c = int(((accC == 0) & (accB == 1)).sum())
    lo, hi = tango_interval(b, c, n)
    out["quality"] = {"p_value": stats.binomtest(b, b + c, 0.5, alternative="greater").pvalue,
                      "ci_low": lo, "ci_high": hi, "delta": (b - c) / n}

    cols = (costB, accB, costC, accC)
    dp, dlo, dhi = delta_ratio(*cols)
    res = bca(cols, log_ratio, B, rng)
    theta = log_ratio(*cols)
    p = bca_p(res.bootstrap_distribution, theta, jackknife_accel(cols, log_ratio), 0.0)
    out["cost"] = {"ratio": float(np.exp(theta)),
                   "ci_low": float(np.exp(res.confidence_interval.low)),
                   "ci_high": float(np.exp(res.confidence_interval.high)),
                   "bca_p_value": float(p), "delta_p_value": float(dp),
                   "delta_ci_low": float(dlo), "delta_ci_high": float(dhi),
                   "p_value": float(max(p, dp))}

    tiers = []
    for cost, acc in ((costB, accB), (costC, accC)):
        ci = stats.binomtest(int(acc.sum()), n).proportion_ci(confidence_level=LEVEL, method="wilson")
        r = bca((cost, acc), log_cpa, B, rng)
        tiers.append({"quality": acc.mean(), "quality_ci_low": ci.low, "quality_ci_high": ci.high,
                      "cpa": cost.sum() / acc.sum(),
                      "cpa_ci_low": float(np.exp(r.confidence_interval.low)),
                      "cpa_ci_high": float(np.exp(r.confidence_interval.high))})
    out["tiers"] = tiers

    lat = {}
    for arm, x in (("baseline", latB), ("candidate", latC)):
        r = stats.bootstrap((x,), lambda s, axis=-1: np.percentile(s, 95, axis=axis), vectorized=True,
                            n_resamples=B, batch=BATCH, confidence_level=LEVEL, method="percentile",
                            random_state=rng)
        lat[arm + "_p50_ms"] = float(np.percentile(x, 50))
        lat[arm + "_p95_ms"] = float(np.percentile(x, 95))
        lat[arm + "_p95_ms_ci_low"] = float(r.confidence_interval.low)
        lat[arm + "_p95_ms_ci_high"] = float(r.confidence_interval.high)
    out["latency"] = lat

    names = sorted(set(wf))
    raw = []
    for w in names:
        m = wf == w
        sb = int(((accC[m] == 1) & (accB[m] == 0)).sum())
        sc = int(((accC[m] == 0) & (accB[m] == 1)).sum())
        raw.append(stats.binomtest(sb, sb + sc, 0.5, alternative="less").pvalue if sb + sc else 1.0)
    out["segments"] = [{"name": w, "p_value": p, "p_adjusted": a} for w, p, a in zip(names, raw, holm(raw))]

    json.dump(out, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
