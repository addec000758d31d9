#!/usr/bin/env python3
"""Independent check of the example scenarios in examples/.

ftgate's own statistics are written in Go; this script recomputes, from the
scorecard files alone and with numpy/scipy, the tests of docs/methods.md
that decide each example's verdict, and checks that the intended verdict
holds by a wide margin (p-values far below alpha where a test must pass,
intervals far from the boundary where it must fail).

Run from the repository root (needs numpy and scipy):

    /usr/bin/python3 examples/check_examples.py [--record testdata/oracle/examples_scipy.csv] [examples]

Exit status 0 when every example holds its intended verdict, 1 otherwise.
With --record, the deciding numbers are also written to a CSV that
gate/examples_oracle_test.go compares with the gate's own (CI runs that
test; it needs neither numpy nor scipy).

The rules are those of docs/methods.md: the clustered quality test is met
when CR2 with Satterthwaite degrees of freedom and the restricted wild
cluster bootstrap (Webb weights) both reject; the cost test when the BCa
bootstrap and the delta method (Student t, G - 1 df) both reject; the
baseline's schema-valid interval is Wilson's at the effective sample size
with Korn and Graubard's factor.
"""

import json
import math
import os
import sys

import numpy as np
from scipy import stats

ALPHA = 0.05
RESAMPLES = 10000
SEED = 20261128


def load(path):
    """Returns (header, cases) of a native JSONL scorecard."""
    header, cases = None, []
    with open(path) as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            obj = json.loads(line)
            if n == 1 and "scorecard" in obj:
                header = obj
                continue
            cases.append(obj)
    return header, cases


class Arm:
    """One scorecard's cases in a fixed case order."""

    def __init__(self, cases, order=None):
        by_id = {c["id"]: c for c in cases}
        ids = order if order is not None else [c["id"] for c in cases]
        cs = [by_id[i] for i in ids]
        self.ids = ids
        self.acc = np.array([1.0 if c["accepted"] else 0.0 for c in cs])
        self.cost = np.array([c["cost_usd"] for c in cs])
        self.lat = np.array([c["latency_ms"] for c in cs], dtype=float)
        self.valid = np.array([1.0 if c["schema_valid"] else 0.0 for c in cs])
        self.workflow = np.array([c["workflow"] for c in cs])
        self.cluster = [c["cluster"] for c in cs]

    def cpa(self, mask=None):
        m = np.ones(len(self.acc), bool) if mask is None else mask
        return self.cost[m].sum() / self.acc[m].sum()

    def take(self, mask, other):
        """A copy with the cases in mask replaced by other's."""
        out = Arm.__new__(Arm)
        for k in ("acc", "cost", "lat", "valid"):
            setattr(out, k, np.where(mask, getattr(other, k), getattr(self, k)))
        out.ids, out.workflow, out.cluster = self.ids, self.workflow, self.cluster
        return out


def cluster_index(names):
    uniq = {}
    return np.array([uniq.setdefault(x, len(uniq)) for x in names]), len(uniq)


def mcnemar_exact(b_arm, c_arm):
    b = int(((c_arm.acc == 1) & (b_arm.acc == 0)).sum())
    c = int(((b_arm.acc == 1) & (c_arm.acc == 0)).sum())
    p = 1.0 if b + c == 0 else float(stats.binom.sf(b - 1, b + c, 0.5))
    return b, c, p


def cluster_t(d, g, G, margin=0.0, lower=False):
    """methods.md section 2 cluster-t: returns (delta, p, lo, hi)."""
    n = len(d)
    delta = d.mean()
    D = np.bincount(g, weights=d - delta, minlength=G)
    se = math.sqrt(G / (G - 1) * (D ** 2).sum()) / n
    if se == 0:
        return delta, (0.0 if (delta < margin if lower else delta > margin) else 1.0), delta, delta
    t = (delta - margin) / se
    p = stats.t.cdf(t, G - 1) if lower else stats.t.sf(t, G - 1)
    q = stats.t.ppf(1 - ALPHA, G - 1)
    return delta, float(p), delta - q * se, delta + q * se


def cr2(d, g, G, margin=0.0, lower=False):
    """CR2 (Bell-McCaffrey) standard error and Satterthwaite df for a mean,
    in closed form: returns (p, lo, hi, df)."""
    n = len(d)
    delta = d.mean()
    D = np.bincount(g, weights=d - delta, minlength=G)
    ng = np.bincount(g, minlength=G).astype(float)
    c2 = n / (n - ng)
    se = math.sqrt((c2 * D ** 2).sum()) / n
    df = n * n / ((c2 ** 2 * ng ** 2 * (1 - 2 * ng / n)).sum() + ((c2 * ng ** 2).sum() / n) ** 2)
    t = (delta - margin) / se
    p = stats.t.cdf(t, df) if lower else stats.t.sf(t, df)
    q = stats.t.ppf(1 - ALPHA, df)
    return float(p), delta - q * se, delta + q * se, df


WEBB = np.array([-math.sqrt(1.5), -1, -math.sqrt(0.5), math.sqrt(0.5), 1, math.sqrt(1.5)])


def wild(d, g, G, margin=0.0, lower=False, B=RESAMPLES):
    """Restricted wild cluster bootstrap of the clustered t statistic (CR1
    standard error) with Webb's six-point weights: (1 + #{t* beyond t}) / (1 + B)."""
    n = len(d)
    U = np.bincount(g, weights=d - margin, minlength=G)
    ng = np.bincount(g, minlength=G).astype(float)

    def tstat(W):
        mean = (W * U).sum(axis=-1) / n
        Dst = W * U - np.multiply.outer(mean, ng)
        return mean / (np.sqrt(G / (G - 1) * (Dst ** 2).sum(axis=-1)) / n)

    t0 = float(tstat(np.ones(G)))
    rng = np.random.default_rng(SEED)
    ts = np.concatenate([tstat(WEBB[rng.integers(0, 6, size=(min(1000, B - k), G))]) for k in range(0, B, 1000)])
    tol = 1e-12 * max(1.0, abs(t0))
    hits = (ts <= t0 + tol).sum() if lower else (ts >= t0 - tol).sum()
    return float((1 + hits) / (1 + B))


def clustered_quality(d, g, G, margin=0.0, lower=False):
    """The gate's clustered test: the larger of the CR2 and wild-bootstrap p-values."""
    p2, lo, hi, df = cr2(d, g, G, margin, lower)
    pw = wild(d, g, G, margin, lower)
    return max(p2, pw), p2, pw, lo, hi


def wilson_clustered(x, g, G, level=1 - 2 * ALPHA):
    """Wilson's interval at N* = (N/deff)(z/t_{G-1})^2."""
    N, p = len(x), x.mean()
    z = stats.norm.ppf((1 + level) / 2)
    if G == N:
        neff = N
    else:
        if p in (0.0, 1.0):
            neff = G
        else:
            V = G / (G - 1) * (np.bincount(g, weights=x - p, minlength=G) ** 2).sum() / N ** 2
            neff = N / max(1.0, V / (p * (1 - p) / N))
        neff *= (z / stats.t.ppf((1 + level) / 2, G - 1)) ** 2
    k = p * neff
    centre = (k + z * z / 2) / (neff + z * z)
    half = z / (neff + z * z) * math.sqrt(k * (neff - k) / neff + z * z / 4)
    return max(0.0, centre - half) if k > 0 else 0.0, min(1.0, centre + half) if k < neff else 1.0


def cost_bootstrap(b_arm, c_arm, g, G, r=1.0):
    """Paired cluster bootstrap (BCa) of log(CPA_C / CPA_B), methods.md section 3."""
    S = np.stack([np.bincount(g, weights=x, minlength=G) for x in (c_arm.cost, c_arm.acc, b_arm.cost, b_arm.acc)], axis=1)
    theta = lambda s: np.log((s[..., 0] / s[..., 1]) / (s[..., 2] / s[..., 3]))
    est = float(theta(S.sum(axis=0)))
    rng = np.random.default_rng(SEED)
    star = np.empty(RESAMPLES)
    for lo in range(0, RESAMPLES, 1000):
        idx = rng.integers(0, G, size=(min(1000, RESAMPLES - lo), G))
        with np.errstate(divide="ignore"):
            star[lo:lo + len(idx)] = theta(S[idx].sum(axis=1))
    z0 = stats.norm.ppf(np.clip((star < est).mean(), 0.5 / RESAMPLES, 1 - 0.5 / RESAMPLES))
    jack = theta(S.sum(axis=0) - S)
    dj = jack.mean() - jack
    a = (dj ** 3).sum() / (6 * ((dj ** 2).sum()) ** 1.5)

    def bca(q):
        z = stats.norm.ppf(q)
        return stats.norm.cdf(z0 + (z0 + z) / (1 - a * (z0 + z)))

    lo, hi = np.quantile(star, [bca(ALPHA), bca(1 - ALPHA)])
    t0 = math.log(r)
    F = ((star < t0).sum() + 0.5 * (star == t0).sum()) / RESAMPLES
    F = min(max(F, 0.5 / RESAMPLES), 1 - 0.5 / RESAMPLES)
    u = stats.norm.ppf(F) - z0
    p = float(stats.norm.cdf(z0 - u / (1 + a * u)))
    # The delta method, Student t with G - 1 df; the rule needs both.
    IF = (c_arm.cost / c_arm.cost.mean() - c_arm.acc / c_arm.acc.mean()) - (b_arm.cost / b_arm.cost.mean() - b_arm.acc / b_arm.acc.mean())
    n = len(IF)
    se = math.sqrt(G / (G - 1) * (np.bincount(g, weights=IF, minlength=G) ** 2).sum()) / n
    q = stats.t.ppf(1 - ALPHA, G - 1)
    delta_p = float(stats.t.cdf((est - t0) / se, G - 1))
    return dict(ratio=math.exp(est), lo=math.exp(lo), hi=math.exp(hi), bca_p=p, p=max(p, delta_p),
                delta_lo=math.exp(est - q * se), delta_hi=math.exp(est + q * se), delta_p=delta_p)


def holm(ps):
    order = sorted(range(len(ps)), key=lambda i: ps[i])
    adj, running = [0.0] * len(ps), 0.0
    for k, i in enumerate(order):
        running = max(running, min(1.0, (len(ps) - k) * ps[i]))
        adj[i] = running
    return adj


def segments(b_arm, c_arm, min_cases=30):
    names = sorted(set(b_arm.workflow))
    rows, ps = [], []
    for w in names:
        m = b_arm.workflow == w
        if m.sum() < min_cases:
            rows.append((w, int(m.sum()), None, None))
            continue
        g, G = cluster_index([x for x, keep in zip(b_arm.cluster, m) if keep])
        d = c_arm.acc[m] - b_arm.acc[m]
        p = clustered_quality(d, g, G, lower=True)[0]
        rows.append((w, int(m.sum()), float(d.mean()), p))
        ps.append(p)
    adj = iter(holm(ps))
    return [(w, n, dl, p, next(adj) if p is not None else None) for w, n, dl, p in rows]


def p95(x):
    return float(np.quantile(x, 0.95))  # numpy's default "linear" is type 7


def p95_lower(x, g, G):
    """Lower end of a cluster-bootstrap percentile interval of the p95."""
    rng = np.random.default_rng(SEED)
    members = [np.flatnonzero(g == k) for k in range(G)]
    vals = []
    for _ in range(2000):
        pick = rng.integers(0, G, size=G)
        vals.append(np.quantile(x[np.concatenate([members[k] for k in pick])], 0.95))
    return float(np.quantile(vals, ALPHA))


class Checker:
    def __init__(self):
        self.failed = []

    def ok(self, scenario, cond, what):
        mark = "ok  " if cond else "FAIL"
        print(f"    [{mark}] {what}")
        if not cond:
            self.failed.append(f"{scenario}: {what}")


def compare(name, b_arm, c_arm, chk, show=True):
    g, G = cluster_index(b_arm.cluster)
    b, c, p_mc = mcnemar_exact(b_arm, c_arm)
    d = c_arm.acc - b_arm.acc
    delta = float(d.mean())
    p_t, p_cr2, p_wild, lo, hi = clustered_quality(d, g, G)
    cost = cost_bootstrap(b_arm, c_arm, g, G)
    segs = segments(b_arm, c_arm)
    if show:
        print(f"    n={len(b_arm.acc)} clusters={G}  acceptance {b_arm.acc.mean():.3f} -> {c_arm.acc.mean():.3f} (delta {delta:+.3f})")
        print(f"    quality: mcnemar b={b} c={c} p={p_mc:.2e}; cluster-t p={p_t:.2e} (CR2 {p_cr2:.2e}, wild {p_wild:.2e}), 90% CR2 CI [{lo:+.3f}, {hi:+.3f}]")
        print(f"    CPA {b_arm.cpa() * 1000:.3f} -> {c_arm.cpa() * 1000:.3f} per 1k; ratio {cost['ratio']:.3f}, "
              f"BCa 90% [{cost['lo']:.3f}, {cost['hi']:.3f}] p={cost['p']:.2e}; delta [{cost['delta_lo']:.3f}, {cost['delta_hi']:.3f}]")
        for w, n, dl, p, padj in segs:
            if p is None:
                print(f"    segment {w}: {n} cases, not tested")
            else:
                print(f"    segment {w}: {n} cases, delta {dl:+.3f}, drop p={p:.2e}, Holm {padj:.2e}")
        print(f"    latency p95 {p95(b_arm.lat):.0f} -> {p95(c_arm.lat):.0f} ms; schema-valid {b_arm.valid.mean():.3f} -> {c_arm.valid.mean():.3f}")
    RECORD.append((name, "q_p_cr2", "", p_cr2))
    RECORD.append((name, "q_p_wild", "", p_wild))
    RECORD.append((name, "q_lo", "", lo))
    RECORD.append((name, "q_hi", "", hi))
    for k in ("ratio", "lo", "hi", "bca_p", "delta_p", "delta_lo", "delta_hi"):
        RECORD.append((name, "cost_" + k, "", cost[k]))
    for w, n, dl, p, padj in segs:
        if p is not None:
            RECORD.append((name, "seg_p", w, p))
            RECORD.append((name, "seg_adj", w, padj))
    RECORD.append((name, "lat_p95_b", "", p95(b_arm.lat)))
    RECORD.append((name, "lat_p95_c", "", p95(c_arm.lat)))
    RECORD.append((name, "valid_b", "", float(b_arm.valid.mean())))
    RECORD.append((name, "valid_c", "", float(c_arm.valid.mean())))
    vlo, vhi = wilson_clustered(b_arm.valid, g, G)
    RECORD.append((name, "valid_b_lo", "", vlo))
    RECORD.append((name, "valid_b_hi", "", vhi))
    return dict(p_t=p_t, lo=lo, hi=hi, cost=cost, segs=segs, g=g, G=G, p_mc=p_mc, valid_hi=vhi)


def constraints_hold(name, b_arm, c_arm, chk):
    chk.ok(name, p95(c_arm.lat) <= 2500 * 0.9, f"candidate p95 latency {p95(c_arm.lat):.0f} ms well under 2500")
    chk.ok(name, p95(c_arm.lat) <= 1.2 * p95(b_arm.lat) * 0.9, "candidate p95 well under 1.2x baseline p95")
    chk.ok(name, c_arm.valid.mean() >= 0.985, f"candidate schema-valid rate {c_arm.valid.mean():.3f} >= 0.98 with margin")


def no_regression(name, r, chk):
    worst = min(padj for _, _, _, p, padj in r["segs"] if p is not None) if any(s[3] is not None for s in r["segs"]) else 1
    chk.ok(name, worst > 0.3, f"no segment regression (smallest Holm-adjusted drop p {worst:.2f} > 0.3)")


def check_pass(name, d, chk):
    b, c = pair(d, "baseline.jsonl")
    r = compare(name, b, c, chk)
    chk.ok(name, r["p_t"] < 1e-4 and r["p_mc"] < 1e-4, "quality met with p < 1e-4")
    chk.ok(name, r["cost"]["p"] < 1e-3 and r["cost"]["hi"] < 0.6, "cost met, ratio interval far below 1")
    no_regression(name, r, chk)
    constraints_hold(name, b, c, chk)


def check_cost_loss(name, d, chk):
    b, c = pair(d, "baseline.jsonl")
    r = compare(name, b, c, chk)
    chk.ok(name, r["p_t"] < 1e-4, "quality met with p < 1e-4")
    chk.ok(name, r["cost"]["lo"] > 1.5 and r["cost"]["delta_lo"] > 1.5, "cost missed: ratio interval entirely above 1 (lower end > 1.5)")
    no_regression(name, r, chk)
    constraints_hold(name, b, c, chk)


def check_inconclusive(name, d, chk):
    b, c = pair(d, "baseline.jsonl")
    r = compare(name, b, c, chk)
    chk.ok(name, 0.15 < r["p_t"] < 0.6 and 0.15 < r["p_mc"] < 0.6, "quality not met: p clearly above 0.05")
    chk.ok(name, r["hi"] > 0.05, "quality not missed: interval reaches well above 0")
    chk.ok(name, r["cost"]["p"] < 1e-3, "cost met (so the verdict is INCONCLUSIVE, not FAIL)")
    chk.ok(name, all(s[3] is None for s in r["segs"]), "no segment has 30 cases (none tested)")
    constraints_hold(name, b, c, chk)
    # methods.md section 6, cluster-t: cases needed for a 0.02 gain.
    dd = c.acc - b.acc
    D = np.bincount(r["g"], weights=dd - dd.mean(), minlength=r["G"])
    deff = (D ** 2).sum() / ((dd - dd.mean()) ** 2).sum()
    need = (stats.norm.ppf(0.95) + stats.norm.ppf(0.9)) ** 2 * dd.var(ddof=1) * deff / 0.02 ** 2
    print(f"    cases needed for a 0.02 gain at power 0.9: ~{need:.0f}")


def check_segment(name, d, chk):
    b, c = pair(d, "baseline.jsonl")
    r = compare(name, b, c, chk)
    chk.ok(name, r["p_t"] < 1e-3, "total quality met with p < 1e-3")
    chk.ok(name, r["cost"]["p"] < 1e-3, "cost met")
    segs = {w: (n, padj) for w, n, _, p, padj in r["segs"]}
    chk.ok(name, all(n >= 80 for n, _ in segs.values()), "every workflow has >= 80 cases")
    chk.ok(name, segs["policy-qa"][1] < 1e-3, "policy-qa regresses: Holm-adjusted p < 1e-3")
    chk.ok(name, all(padj > 0.3 for w, (_, padj) in segs.items() if w != "policy-qa"), "no other workflow regresses")
    constraints_hold(name, b, c, chk)


def check_routed(name, d, chk):
    _, cand_cases = load(os.path.join(d, "candidate.jsonl"))
    order = [x["id"] for x in cand_cases]
    c = Arm(cand_cases, order)
    tiers = {t: Arm(load(os.path.join(d, f"baseline-{t}.jsonl"))[1], order) for t in ("small", "medium", "large")}
    routed = tiers["large"]
    choice = {}
    for w in sorted(set(c.workflow)):
        m = c.workflow == w
        accs = {t: a.acc[m].mean() for t, a in tiers.items()}
        best = max(accs.values())
        ok = [t for t in tiers if accs[t] >= best - 0.01 - 1e-12]
        choice[w] = min(ok, key=lambda t: tiers[t].cpa(m))
        runner = sorted(accs.values(), reverse=True)
        print(f"    {w}: " + ", ".join(f"{t} {accs[t]:.3f} (CPA {tiers[t].cpa(m) * 1000:.3f})" for t in tiers) + f" -> {choice[w]}")
        routed = routed.take(m, tiers[choice[w]])
    chk.ok(name, choice == {"order-status": "small", "refund-email": "medium", "policy-qa": "large"}, f"routing {choice}")
    for w in choice:  # the excluded tiers are far outside the 0.01 tolerance
        m = c.workflow == w
        best = max(a.acc[m].mean() for a in tiers.values())
        gaps = [best - a.acc[m].mean() for a in tiers.values() if best - a.acc[m].mean() > 0.01]
        chk.ok(name, all(x > 0.05 for x in gaps), f"{w}: tiers left out are > 0.05 below the best")
    print("  vs small tier:")
    rs = compare(name + "/small", tiers["small"], c, chk)
    chk.ok(name, rs["p_t"] < 1e-4, "candidate beats the small tier on quality (p < 1e-4)")
    print("  vs large tier:")
    rl = compare(name + "/large", tiers["large"], c, chk)
    chk.ok(name, rl["cost"]["hi"] < 0.6 and rl["cost"]["p"] < 1e-3, "candidate beats the large tier on cost")
    print("  vs routed baseline:")
    r = compare(name, routed, c, chk)
    chk.ok(name, r["cost"]["lo"] > 1.1 and r["cost"]["delta_lo"] > 1.1, "cost missed vs routed: ratio interval entirely above 1 (lower end > 1.1)")
    no_regression(name, r, chk)
    constraints_hold(name, routed, c, chk)


def check_volume(name, d, chk):
    b, c = pair(d, "baseline.jsonl")
    r = compare(name, b, c, chk)
    chk.ok(name, r["p_t"] < 1e-4, "quality met with p < 1e-4")
    chk.ok(name, r["cost"]["p"] < 1e-3, "cost met")
    no_regression(name, r, chk)
    constraints_hold(name, b, c, chk)
    # Economics (economics.md) with the policy's numbers.
    F = 18000 + 9000 + 2500 * 4 + 5000
    M = 3000 + 800 + 1200 + 6000 / 3
    N, H = 5_000_000, 12
    s = b.cpa() - c.cpa()
    s_cons = b.cpa() * (1 - r["cost"]["hi"])
    S = N * s - M
    months = F / S
    n_star_cons = (F / H + M) / s_cons
    print(f"    economics: F={F} M={M:.0f}/month s={s * 1000:.3f}/1k s_cons={s_cons * 1000:.3f}/1k "
          f"S={S:.0f}/month break-even {months:.2f} months; N*(s_cons)={n_star_cons:,.0f}; net 12 months {H * S - F:,.0f}")
    chk.ok(name, 1.5 < months < 6, f"break-even in a few months ({months:.1f})")
    chk.ok(name, N >= 1.5 * n_star_cons, "volume condition met with margin (N >= 1.5 N* at s_cons)")
    lo95 = p95_lower(b.lat, r["g"], r["G"])
    chk.ok(name, lo95 > 1.3 * 2500, f"latency condition: baseline p95 {p95(b.lat):.0f} ms, interval lower end {lo95:.0f} > 2500 with margin")
    wu = r["valid_hi"]
    print(f"    strict format: baseline valid {b.valid.mean():.3f}, clustered Wilson upper {wu:.3f} vs 0.98 -> {'met' if wu < 0.98 else 'not met'}")
    # Plateau: every reading of "newest over the one window=2 runs back" (with or without the current run).
    runs = [Arm(load(os.path.join(d, f"baseline-history-{i}.jsonl"))[1], b.ids) for i in (1, 2, 3)] + [b]
    for newer, older in ((3, 1), (2, 0), (3, 0), (3, 2)):
        delta, _, lo, hi = cluster_t(runs[newer].acc - runs[older].acc, r["g"], r["G"])
        label = f"run {newer + 1} over run {older + 1}"
        print(f"    plateau {label}: gain {delta:+.4f}, 90% CI [{lo:+.4f}, {hi:+.4f}]")
        if (newer, older) in ((3, 1), (2, 0)):
            chk.ok(name, hi < 0.02 * 0.75, f"plateau ({label}): interval upper end {hi:.4f} well below min_gain 0.02")


def pair(d, baseline):
    _, bc = load(os.path.join(d, baseline))
    _, cc = load(os.path.join(d, "candidate.jsonl"))
    order = [x["id"] for x in bc]
    assert sorted(order) == sorted(x["id"] for x in cc), "case ids differ"
    b, c = Arm(bc, order), Arm(cc, order)
    assert b.cluster == c.cluster, "clusters differ"
    return b, c


CHECKS = [
    ("pass", check_pass),
    ("cost-loss", check_cost_loss),
    ("inconclusive", check_inconclusive),
    ("segment-regression", check_segment),
    ("routed", check_routed),
    ("volume", check_volume),
]


RECORD = []


def main():
    args = sys.argv[1:]
    record = None
    if args[:1] == ["--record"]:
        record, args = args[1], args[2:]
    root = args[0] if args else "examples"
    chk = Checker()
    for name, fn in CHECKS:
        d = os.path.join(root, name)
        print(f"== {name}")
        for f in sorted(os.listdir(d)):
            size = os.path.getsize(os.path.join(d, f))
            chk.ok(name, size < 1 << 20, f"{f}: {size} bytes < 1 MB") if size >= 1 << 20 else None
        fn(name, d, chk)
    if record:
        import platform
        import scipy
        with open(record, "w") as f:
            f.write(f"# python {platform.python_version()}, numpy {np.__version__}, scipy {scipy.__version__}\n")
            f.write(f"# generated by examples/check_examples.py --record; B={RESAMPLES}, seed={SEED}\n")
            f.write("dataset,quantity,param,value\n")
            for name, q, param, v in RECORD:
                f.write(f"{name},{q},{param},{float(v)!r}\n")
    if chk.failed:
        print("\nFAILED:\n  " + "\n  ".join(chk.failed))
        return 1
    print("\nall examples hold their intended verdicts")
    return 0


if __name__ == "__main__":
    sys.exit(main())
