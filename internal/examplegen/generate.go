package examplegen

import (
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"strconv"
)

// A Case is one generated case of one scorecard. Cost is already rounded to
// the 7 decimals written, so sums over Cases equal sums over the file.
type Case struct {
	ID, Workflow, Cluster string
	Accepted              bool
	Score                 float64 // rounded to 2 decimals
	CostUSD               float64 // rounded to 7 decimals
	Model                 string
	InputTokens           int64 // including the cached ones
	OutputTokens          int64
	CachedInputTokens     int64
	LatencyMS             int64
	SchemaValid           bool
	FailureClass          string
	Error                 string
}

// A Scorecard is one generated scorecard: the header and the cases of one
// system.
type Scorecard struct {
	System *System
	// Dataset is the scenario's dataset name, written in the run header.
	Dataset string
	Cases   []Case
}

// A Set is a generated scenario: one scorecard per system, in the order of
// [Scenario.Systems].
type Set struct {
	Scenario   Scenario
	Scale      int
	Scorecards []Scorecard
}

// Generate draws every scorecard of the scenario with each workflow's case
// count multiplied by scale (at least 1).
func Generate(sc Scenario, scale int) (*Set, error) {
	if err := checkScale(&sc, scale); err != nil {
		return nil, err
	}
	set := &Set{Scenario: sc, Scale: scale, Scorecards: make([]Scorecard, len(sc.Systems))}
	set.Scenario.Systems = append([]System(nil), sc.Systems...)
	gens := make([]*systemGen, len(sc.Systems))
	n := sc.Cases(scale)
	for i := range set.Scenario.Systems {
		y := &set.Scenario.Systems[i]
		gens[i] = newSystemGen(&sc, y)
		set.Scorecards[i] = Scorecard{System: y, Dataset: sc.Dataset, Cases: make([]Case, 0, n)}
	}
	sk := newSkeleton(&sc, scale)
	for {
		k, ok := sk.next()
		if !ok {
			break
		}
		for i, g := range gens {
			set.Scorecards[i].Cases = append(set.Scorecards[i].Cases, g.draw(k))
		}
	}
	return set, nil
}

func checkScale(sc *Scenario, scale int) error {
	if scale < 1 {
		return fmt.Errorf("scale %d: want at least 1", scale)
	}
	if err := sc.Validate(); err != nil {
		return err
	}
	if n := sc.Cases(1); n > 0 && scale > math.MaxInt32/n {
		return fmt.Errorf("scale %d: %d cases per scorecard is too many", scale, n*scale)
	}
	return nil
}

// stream returns a PCG-backed generator for one named purpose of a
// scenario, so that each system has a stream of its own.
func stream(seed uint64, name string) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(name))
	return rand.New(rand.NewPCG(seed, h.Sum64()))
}

// A skel is the part of a case that every system shares.
type skel struct {
	id, cluster string
	wf          *Workflow
	latent      float64 // uniform on [0, 1): the case's difficulty
}

// skeleton yields the cases of a scenario in order: workflows in order,
// ids in order within each, clusters contiguous.
type skeleton struct {
	sc         *Scenario
	rng        *rand.Rand
	scale      int
	w, i, n    int // current workflow, next case index in it, its case count
	width      int // digits of the case number
	left       int // cases left in the current cluster
	cluster    string
	clusterU   float64
	nextTicket int
}

func newSkeleton(sc *Scenario, scale int) *skeleton {
	s := &skeleton{sc: sc, rng: stream(sc.Seed, "cases"), scale: scale, w: -1, nextTicket: 48000}
	return s
}

func (s *skeleton) next() (skel, bool) {
	for s.w < 0 || s.i >= s.n {
		s.w++
		if s.w >= len(s.sc.Workflows) {
			return skel{}, false
		}
		s.i, s.n, s.left = 0, s.sc.Workflows[s.w].Cases*s.scale, 0
		s.width = max(4, len(strconv.Itoa(s.n)))
	}
	wf := &s.sc.Workflows[s.w]
	if s.left == 0 {
		s.left = wf.MinCluster + s.rng.IntN(wf.MaxCluster-wf.MinCluster+1)
		s.nextTicket += 1 + s.rng.IntN(3)
		s.cluster = wf.ClusterPrefix + "-" + strconv.Itoa(s.nextTicket)
		s.clusterU = s.rng.Float64()
	}
	s.left--
	s.i++
	latent := s.rng.Float64()
	if s.rng.Float64() < wf.ClusterCoupling {
		latent = s.clusterU
	}
	id := strconv.Itoa(s.i)
	for len(id) < s.width {
		id = "0" + id
	}
	return skel{id: wf.IDPrefix + "-" + id, cluster: s.cluster, wf: wf, latent: latent}, true
}

// systemGen draws one system's outcome on each case, from its own stream.
type systemGen struct {
	sys *System
	rng *rand.Rand
	// failures caches, per workflow, the class names and their cumulative
	// weights after the system's bias.
	failures map[*Workflow]cumulative
}

type cumulative struct {
	names []string
	cum   []float64
}

func newSystemGen(sc *Scenario, y *System) *systemGen {
	g := &systemGen{sys: y, rng: stream(sc.Seed, "system/"+y.File), failures: map[*Workflow]cumulative{}}
	for i := range sc.Workflows {
		wf := &sc.Workflows[i]
		var c cumulative
		total := 0.0
		for _, f := range wf.Failures {
			m, ok := y.FailureBias[f.Name]
			if !ok {
				m = 1
			}
			total += f.Weight * m
			c.names = append(c.names, f.Name)
			c.cum = append(c.cum, total)
		}
		g.failures[wf] = c
	}
	return g
}

// timeoutMS is the latency recorded for an infrastructure timeout.
const timeoutMS = 30000

// draw generates the system's outcome on one case. Every call consumes
// the same number of draws, so changing one parameter (an acceptance
// rate, say) leaves the tokens and latencies of every case as they were.
func (g *systemGen) draw(k skel) Case {
	y, r := g.sys, g.rng
	uCouple, uOwn := r.Float64(), r.Float64()
	zContext, zOutput, zLatency := r.NormFloat64(), r.NormFloat64(), r.NormFloat64()
	uCache, uError, uInvalid, uClass, uLabel, uScore := r.Float64(), r.Float64(), r.Float64(), r.Float64(), r.Float64(), r.Float64()

	x := k.latent
	if uCouple >= y.Coupling {
		x = uOwn
	}
	p := y.Acceptance[k.wf.Name]
	c := Case{ID: k.id, Workflow: k.wf.Name, Cluster: k.cluster, Model: y.Model, Accepted: x < p, SchemaValid: true}

	context := int64(math.Round(k.wf.ContextTokens * y.ContextScale * math.Exp(y.TokenSigma*zContext)))
	c.InputTokens = int64(y.PrefixTokens) + context
	if y.PrefixTokens >= 1024 && uCache < y.CacheHitRate {
		c.CachedInputTokens = int64(y.PrefixTokens / 128 * 128)
	}
	c.OutputTokens = max(1, int64(math.Round(k.wf.OutputTokens*y.OutputScale*math.Exp(y.TokenSigma*zOutput))))
	latency := y.LatencyMS*math.Exp(y.LatencySigma*zLatency) + y.MSPerOutputToken*float64(c.OutputTokens)

	switch {
	case uError < y.ErrorRate:
		c.Accepted, c.SchemaValid = false, false
		c.Error = "upstream timeout after 30s"
		c.OutputTokens = 0
		latency = timeoutMS + 10*uScore
	case !c.Accepted:
		// Invalid outputs come from the not-accepted share, so that the
		// overall valid rate is SchemaValidRate and acceptance stays p.
		if uInvalid*(1-p) < 1-y.SchemaValidRate {
			c.SchemaValid = false
			c.FailureClass = "format"
		} else if uLabel >= y.UnlabelledRate {
			f := g.failures[k.wf]
			target := uClass * f.cum[len(f.cum)-1]
			i := 0
			for i < len(f.cum)-1 && target >= f.cum[i] {
				i++
			}
			c.FailureClass = f.names[i]
		}
	}
	switch {
	case c.Error != "":
	case c.Accepted:
		c.Score = round(0.70+0.30*uScore, 2)
	default:
		c.Score = round(0.69*uScore, 2)
	}
	c.LatencyMS = int64(math.Round(latency))
	uncached := float64(c.InputTokens - c.CachedInputTokens)
	cost := (uncached*y.Price.InputPerMTok+float64(c.CachedInputTokens)*y.Price.CachedInputPerMTok+
		float64(c.OutputTokens)*y.Price.OutputPerMTok)/1e6 + y.PerRequestUSD
	c.CostUSD = round(cost, costDecimals)
	return c
}

// costDecimals is the number of decimals of cost_usd in the files.
const costDecimals = 7

func round(x float64, decimals int) float64 {
	m := math.Pow10(decimals)
	return math.Round(x*m) / m
}
