package gate

import (
	"context"
	"slices"

	"github.com/ftgate/ftgate/stats"
)

// resampling is the bootstrap of one decision (methods.md §3 and §7): the
// cost test, every tier's cost per accepted outcome and the latency
// intervals register their statistics with it, the draws are made once for
// all of them (stats.Resampler), and each result is filled in after the
// draws by the functions registered with after.
//
// With more than bootstrapMaxClusters clusters (cost.method auto), or
// cost.method delta, nothing is resampled: every statistic uses its
// linearisation instead, the delta method for the ratios and Woodruff's
// interval for the latency quantiles. That is the one large-G rule of the
// run.
type resampling struct {
	ctx   context.Context
	pol   Policy
	on    bool // resample at all
	rs    *stats.Resampler
	ran   bool
	after []func()
	// progress reports the draws made (Input.Progress).
	progress func(draws int)
	// eager resamples each statistic when it is asked for, with a fixed
	// number of draws: for a Decision built by hand (Decision.bootstrap).
	eager bool
}

// bootstrap returns the decision's resampling. A Decision built by hand,
// as tests do to run one check, gets one for the G clusters of that check
// that resamples each statistic at once, with statistics.resamples draws
// (or statistics.max_resamples when adaptive).
func (d *Decision) bootstrap(pol Policy, G int) *resampling {
	if d.res == nil {
		d.res = &resampling{ctx: d.ctx, pol: pol, on: costMethod(G, pol) == "bootstrap", eager: true}
	}
	return d.res
}

// clusterCount is the number of clusters of a cluster index (0..G−1).
func clusterCount(cluster []int) int { return slices.Max(append([]int{-1}, cluster...)) + 1 }

// newResampling returns the bootstrap of a decision over G clusters.
func newResampling(ctx context.Context, G int, pol Policy) *resampling {
	r := &resampling{ctx: ctx, pol: pol, on: costMethod(G, pol) == "bootstrap"}
	if r.on {
		r.rs = stats.NewResampler(G)
	}
	return r
}

// A ratioStat is a cost ratio registered with the bootstrap.
type ratioStat struct {
	res *resampling
	s   *stats.RatioStat // nil when registered after the draws
	d   stats.RatioData
}

// ratio registers the ratio of d. After the draws, a ratio of arms
// already resampled is read from the same draws; any other is computed
// from its own draws with the same seed and number, which are the same
// draws (they depend only on the seed and the clusters).
func (r *resampling) ratio(d stats.RatioData) *ratioStat {
	h := &ratioStat{res: r, d: d}
	switch {
	case !r.on || r.eager:
	case !r.ran:
		h.s = r.rs.Ratio(d)
	default:
		h.s = r.rs.Existing(d)
	}
	return h
}

// decides makes adaptive resampling wait until the Monte Carlo error of
// h's p-value for H1 ρ < null cannot move it across any threshold.
func (r *resampling) decides(h *ratioStat, null float64, thresholds ...float64) {
	if h.s != nil && !r.ran {
		r.rs.Decides(h.s, null, thresholds...)
	}
}

// result returns the BCa bootstrap test of the ratio, after the draws.
func (h *ratioStat) result(level, null float64) stats.BootstrapResult {
	if h.s != nil {
		return h.s.Result(level, null)
	}
	return stats.BootstrapRatio(h.d, stats.BootstrapOptions{Resamples: h.res.resamples(), Seed: h.res.pol.Statistics.Seed,
		Level: level, NullRatio: null, Context: h.res.ctx})
}

// A quantileStat is the p95 of both arms' samples registered with the
// bootstrap.
type quantileStat struct {
	res    *resampling
	b, c   *stats.QuantileStat
	sb, sc stats.Samples
}

// p95 registers the 95th percentiles of both arms' samples.
func (r *resampling) p95(sb, sc stats.Samples) *quantileStat {
	h := &quantileStat{res: r, sb: sb, sc: sc}
	if r.on && !r.eager {
		h.b, h.c = r.rs.Quantile(sb, 0.95), r.rs.Quantile(sc, 0.95)
	}
	return h
}

// result returns the quantiles with percentile-bootstrap intervals at
// level, or Woodruff's intervals under the large-G rule, after the draws.
func (h *quantileStat) result(level float64) stats.QuantileResult {
	switch r := h.res; {
	case !r.on:
		return stats.WoodruffQuantiles(h.sb, h.sc, 0.95, level)
	case r.eager:
		return stats.BootstrapQuantiles(h.sb, h.sc, 0.95, stats.BootstrapOptions{Resamples: r.resamples(),
			Seed: r.pol.Statistics.Seed, Level: level, Context: r.ctx})
	}
	return h.res.rs.Quantiles(h.b, h.c, level)
}

// afterDraws registers f to run once the draws are made, in order (at
// once when resampling eagerly).
func (r *resampling) afterDraws(f func()) {
	if r.eager {
		f()
		return
	}
	r.after = append(r.after, f)
}

// run makes the draws (adaptive unless statistics.resamples fixes their
// number) and then runs the functions registered with afterDraws. It
// returns the context's error when the context is done first.
func (r *resampling) run() error {
	r.ran = true
	if r.on {
		st := r.pol.Statistics
		if err := r.rs.Run(stats.ResampleOptions{Seed: st.Seed, Resamples: st.Resamples, MaxResamples: st.MaxResamples,
			Context: r.ctx, Progress: r.progress}); err != nil {
			return err
		}
	}
	for _, f := range r.after {
		f()
	}
	return nil
}

// resamples returns the number of draws made (0 without resampling).
func (r *resampling) resamples() int {
	switch st := r.pol.Statistics; {
	case !r.on:
		return 0
	case r.eager && st.Resamples > 0:
		return st.Resamples
	case r.eager && st.MaxResamples > 0:
		return st.MaxResamples
	case r.eager:
		return stats.DefaultResamples
	case !r.ran:
		return 0
	}
	return r.rs.Resamples()
}

// mode names how the number of draws was chosen: "adaptive" or "fixed",
// or "" without resampling.
func (r *resampling) mode() string {
	switch {
	case !r.on:
		return ""
	case r.pol.Statistics.Resamples > 0 || r.eager:
		return ResamplingFixed
	}
	return ResamplingAdaptive
}

// The ways the number of bootstrap draws is chosen (Cost.Resampling).
const (
	ResamplingAdaptive = "adaptive"
	ResamplingFixed    = "fixed"
)
