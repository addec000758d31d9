// Package stats holds the statistics behind ftgate's release decision:
// paired tests of a quality difference (exact McNemar, Tango's score test,
// a clustered paired t), tests of a cost-per-accepted-outcome ratio (a
// clustered BCa bootstrap and the delta method), Holm's step-down adjustment,
// Wilson intervals, type-7 quantiles with clustered percentile-bootstrap
// intervals, and the power formulas that say how many cases would settle an
// inconclusive result.
//
// The package never prints and never reads files. Each function returns plain
// numbers or a plain struct; conditions a reader should know about (a zero
// standard error, too few clusters, an arm with no accepted outcome) are
// reported as values in a Warnings field, comparable with errors.Is against
// the sentinel errors declared here. Arguments that only a programming error
// can produce (slices of different lengths, a level outside (0, 1)) make the
// functions panic, as gonum's distributions do.
//
// The methods and their references are described in docs/methods.md,
// sections 2, 3, 5, 6 and 7.
package stats

import "errors"

// Sentinel conditions carried, possibly wrapped, in the Warnings of results.
var (
	// ErrZeroSE reports a standard error of exactly zero: every cluster's
	// centred total is zero (for example all differences are equal), so the
	// test statistic is infinite or undefined and the p-value is its limit.
	ErrZeroSE = errors.New("standard error is zero")

	// ErrFewClusters reports fewer than two clusters: no standard error can
	// be estimated, and the result carries no evidence (p = 1).
	ErrFewClusters = errors.New("fewer than 2 clusters")

	// ErrNoAccepted reports an arm with no accepted outcome in the data, so
	// its cost per accepted outcome is infinite.
	ErrNoAccepted = errors.New("an arm has no accepted outcome")

	// ErrZeroCost reports an arm whose total cost is zero.
	ErrZeroCost = errors.New("an arm has zero total cost")

	// ErrDegenerateJackknife reports a leave-one-cluster-out estimate that is
	// not finite, so the BCa acceleration is set to 0.
	ErrDegenerateJackknife = errors.New("jackknife estimate not finite; BCa acceleration set to 0")

	// ErrEmpty reports empty input.
	ErrEmpty = errors.New("no cases")
)
