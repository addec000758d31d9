"""Woodruff intervals for quantiles from cluster samples, for ftgate's stats package.

/usr/bin/python3 make_oracle_woodruff.py   (writes oracle_woodruff.csv; see README.md)

For each dataset and arm: the type-7 quantile q of every latency sample
(numpy's default "linear" method), the share F of samples at or below q,
the cluster-robust standard error of that share (cluster totals of the
centred indicators, with the G/(G-1) factor), and the interval
[Q(p - z se), Q(p + z se)], z the normal quantile at (1 + level)/2
(Woodruff 1952; Francisco and Fuller 1991). Written from the formulas, not
from the Go code.
"""
import numpy as np
import scipy
from scipy import stats

DATASETS = ["single", "clustered"]
PROBS = [0.5, 0.95]
LEVELS = [0.9, 0.95]


def woodruff(x, cluster, p, level):
    q = np.quantile(x, p)
    ind = (x <= q).astype(float)
    F = ind.mean()
    ids = np.unique(cluster)
    e = np.array([(ind[cluster == g] - F).sum() for g in ids])
    G = len(ids)
    se = np.sqrt(G / (G - 1) * (e ** 2).sum()) / len(x)
    z = stats.norm.ppf((1 + level) / 2)
    lo = np.quantile(x, min(1.0, max(0.0, p - z * se)))
    hi = np.quantile(x, min(1.0, max(0.0, p + z * se)))
    return q, se, lo, hi


with open("oracle_woodruff.csv", "w") as out:
    out.write(f"# numpy {np.__version__}, scipy {scipy.__version__}\n")
    out.write("dataset,quantity,param,value\n")
    for name in DATASETS:
        d = np.genfromtxt(f"{name}.csv", delimiter=",", names=True)
        for arm in "bc":
            for p in PROBS:
                for level in LEVELS:
                    q, se, lo, hi = woodruff(d[f"lat_{arm}"], d["cluster"], p, level)
                    tag = f"{arm}_p{int(round(p * 100))}"
                    out.write(f"{name},{tag}_est,{level},{q!r}\n")
                    out.write(f"{name},{tag}_se,{level},{se!r}\n")
                    out.write(f"{name},{tag}_lo,{level},{lo!r}\n")
                    out.write(f"{name},{tag}_hi,{level},{hi!r}\n")
