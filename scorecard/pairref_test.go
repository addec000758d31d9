package scorecard

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

type refCaseInfo struct {
	workflow, cluster string
	line              int
	samples           []*Sample
}

// pairReference is Pair as it was written first (a map per arm): the
// differential test checks the faster Pair against it. It matches the cases of the given scorecards by id. A case's workflow
// and cluster must agree across its samples and across scorecards. Cases
// missing from some scorecard are an error unless o.AllowUnmatched.
func pairReference(arms []*Scorecard, o PairOptions) (*Paired, error) {
	if len(arms) < 2 {
		return nil, fmt.Errorf("pairing needs at least two scorecards, got %d", len(arms))
	}
	var errs ErrorList
	byArm := make([]map[string]*refCaseInfo, len(arms))
	for a, sc := range arms {
		m := make(map[string]*refCaseInfo, len(sc.Samples))
		for i := range sc.Samples {
			s := &sc.Samples[i]
			ci, ok := m[s.ID]
			if !ok {
				m[s.ID] = &refCaseInfo{workflow: s.Workflow, cluster: s.Cluster, line: s.Line, samples: []*Sample{s}}
				continue
			}
			if s.Workflow != ci.workflow || s.Cluster != ci.cluster {
				errs = append(errs, Errorf(sc.Source, s.Line, "case %q sample %d has workflow %q and cluster %q, but its sample at line %d has %q and %q; every sample of a case belongs to the same workflow and cluster",
					s.ID, s.Sample, s.Workflow, s.Cluster, ci.line, ci.workflow, ci.cluster))
			}
			ci.samples = append(ci.samples, s)
		}
		byArm[a] = m
	}
	if len(errs) > 0 {
		return nil, errs
	}

	count := o.AllowUnmatched && o.CountMissing && o.Candidate >= 0 && o.Candidate < len(arms)
	// missingOnly reports whether id is in every arm but the candidate's
	// and missing from it: such a case is kept as a candidate failure.
	missingOnly := func(id string) bool {
		if !count {
			return false
		}
		if _, ok := byArm[o.Candidate][id]; ok {
			return false
		}
		for a := range arms {
			if _, ok := byArm[a][id]; !ok && a != o.Candidate {
				return false
			}
		}
		return true
	}
	// The ids present in every arm, and those kept as candidate failures.
	var common, missing []string
	refArm := 0 // an arm that has every kept case
	if count && o.Candidate == 0 {
		refArm = 1
	}
	for id := range byArm[refArm] {
		switch {
		case refInAllArms(byArm, id):
			common = append(common, id)
		case missingOnly(id):
			common = append(common, id)
			missing = append(missing, id)
		}
	}
	sort.Strings(common)
	sort.Strings(missing)
	if len(common) == len(missing) {
		groups := refGroups(arms)
		return nil, unmatchedError(arms, groups, allIDs(groups), 0, o)
	}

	p := &Paired{Arms: arms, Unmatched: make([]int, len(arms)), MissingCost: math.NaN()}
	var unmatched []string
	onlyOf := make([][]string, len(arms))
	for a := range arms {
		var only []string
		for id := range byArm[a] {
			if !refInAllArms(byArm, id) && !missingOnly(id) {
				only = append(only, id)
			}
		}
		sort.Strings(only)
		onlyOf[a] = only
		p.Unmatched[a] = len(only)
		if len(only) > 0 {
			unmatched = append(unmatched, unmatchedClause(arms, a, o, only, len(byArm[a])))
		}
	}
	if len(unmatched) > 0 || len(missing) > 0 {
		if !o.AllowUnmatched {
			return nil, unmatchedError(arms, refGroups(arms), onlyOf, len(common)-len(missing), o)
		}
	}
	if len(missing) > 0 {
		cand := arms[o.Candidate]
		p.CountedMissing = len(missing)
		p.MissingCost = refHighestCaseCost(byArm[o.Candidate])
		p.Warnings = append(p.Warnings, countedMissingWarning(cand.Source, missing, p.MissingCost))
		for _, id := range missing {
			info := byArm[refArm][id]
			s := &Sample{ID: id, Workflow: info.workflow, Cluster: info.cluster, FailureClass: MissingClass,
				Error: "missing from the candidate's scorecard"}
			if !math.IsNaN(p.MissingCost) {
				c := p.MissingCost
				s.CostUSD = &c
			}
			byArm[o.Candidate][id] = &refCaseInfo{workflow: info.workflow, cluster: info.cluster, line: info.line, samples: []*Sample{s}}
		}
	}
	if len(unmatched) > 0 {
		p.Warnings = append(p.Warnings, "unmatched cases dropped: "+strings.Join(unmatched, "; "))
	}

	clusterIdx := map[string]int{}
	for _, id := range common {
		ref := byArm[refArm][id]
		for a := range arms {
			ci := byArm[a][id]
			if a == refArm {
				continue
			}
			if ci.workflow != ref.workflow {
				errs = append(errs, Errorf(arms[a].Source, ci.line, "case %q has workflow %q here but %q in %s:%d; a case must have the same workflow in every scorecard",
					id, ci.workflow, ref.workflow, arms[refArm].Source, ref.line))
			}
			if ci.cluster != ref.cluster {
				errs = append(errs, Errorf(arms[a].Source, ci.line, "case %q has cluster %q here but %q in %s:%d; a case must have the same cluster in every scorecard",
					id, ci.cluster, ref.cluster, arms[refArm].Source, ref.line))
			}
		}
		if len(errs) >= maxErrors {
			break
		}
		key := "case\x00" + id
		name := id
		if ref.cluster != "" {
			key, name = "cluster\x00"+ref.cluster, ref.cluster
		}
		ci, ok := clusterIdx[key]
		if !ok {
			ci = len(p.Clusters)
			clusterIdx[key] = ci
			p.Clusters = append(p.Clusters, name)
		}
		c := Case{ID: id, Workflow: ref.workflow, Cluster: ci, Arms: make([]ArmCase, len(arms))}
		for a := range arms {
			info := byArm[a][id]
			sort.Slice(info.samples, func(i, j int) bool { return info.samples[i].Sample < info.samples[j].Sample })
			c.Arms[a] = summarise(info.samples)
			p.MaxSamples = max(p.MaxSamples, len(info.samples))
		}
		p.Cases = append(p.Cases, c)
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return p, nil
}

// highestCaseCost returns the largest per-case mean cost of an arm, or NaN
// when some sample has no cost.
func refHighestCaseCost(cases map[string]*refCaseInfo) float64 {
	top := math.NaN()
	for _, ci := range cases {
		c := summarise(ci.samples).Cost
		if math.IsNaN(c) {
			return math.NaN()
		}
		if !(c <= top) {
			top = c
		}
	}
	return top
}

func refInAllArms(byArm []map[string]*refCaseInfo, id string) bool {
	for _, m := range byArm {
		if _, ok := m[id]; !ok {
			return false
		}
	}
	return true
}

// refGroups groups each arm's cases for the words of the pairing error,
// which the reference shares with Pair.
func refGroups(arms []*Scorecard) []armCases {
	groups := make([]armCases, len(arms))
	for a, sc := range arms {
		groups[a], _ = groupCases(sc)
	}
	return groups
}
