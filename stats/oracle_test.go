package stats

import (
	"fmt"
	"math"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	oracletable "github.com/ftgate/ftgate/internal/oracle"
)

// The oracle files are written by testdata/oracle/make_oracle.R (base R) and
// make_oracle.py (scipy); see testdata/oracle/README.md. CI has neither tool:
// these tests only read the recorded values.

const oracleDir = "../testdata/oracle"

// Tolerances. Closed forms: 1e-9, as |got − want| <= 1e-9·max(1, |want|)
// (absolute for values up to 1, relative beyond) and, for p-values, also
// relative to want, so tiny tail probabilities are checked to 9 digits.
// Holm: 1e-12.
const (
	tolClosed = 1e-9
	tolHolm   = 1e-12
)

type oracle oracletable.Table

func oracleKey(dataset, quantity, param string) string {
	return oracletable.Key(dataset, quantity, param)
}

func readOracle(t *testing.T, name string) oracle {
	t.Helper()
	return oracle(oracletable.Read(t, filepath.Join(oracleDir, name)))
}

// get returns the value of (dataset, quantity, param); ok is false when absent.
func (o oracle) get(t *testing.T, dataset, quantity, param string) (float64, bool) {
	t.Helper()
	s, ok := o[oracleKey(dataset, quantity, param)]
	if !ok {
		return 0, false
	}
	if s == "NA" || s == "nan" {
		return math.NaN(), true
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("oracle %s/%s/%s: %v", dataset, quantity, param, err)
	}
	return v, true
}

func (o oracle) must(t *testing.T, dataset, quantity, param string) float64 {
	t.Helper()
	v, ok := o.get(t, dataset, quantity, param)
	if !ok {
		t.Fatalf("oracle value %s/%s/%s missing", dataset, quantity, param)
	}
	return v
}

// params returns the sorted params recorded for (dataset, quantity).
func (o oracle) params(dataset, quantity string) []string {
	var ps []string
	prefix := dataset + "|" + quantity + "|"
	for k := range o {
		if strings.HasPrefix(k, prefix) {
			ps = append(ps, strings.TrimPrefix(k, prefix))
		}
	}
	sort.Strings(ps)
	return ps
}

func close9(got, want, tol float64) bool {
	if math.IsNaN(want) {
		return math.IsNaN(got)
	}
	if got == want {
		return true
	}
	d := math.Abs(got - want)
	return d <= tol*math.Max(1, math.Abs(want))
}

// closeP checks a probability both absolutely and relative to want.
func closeP(got, want, tol float64) bool {
	return close9(got, want, tol) && math.Abs(got-want) <= tol*math.Abs(want)+1e-300
}

func checkClose(t *testing.T, what string, got, want, tol float64) {
	t.Helper()
	if !close9(got, want, tol) {
		t.Errorf("%s = %.17g, want %.17g (diff %.3g, tol %g)", what, got, want, got-want, tol)
	}
}

func checkP(t *testing.T, what string, got, want float64) {
	t.Helper()
	if !closeP(got, want, tolClosed) {
		t.Errorf("%s = %.17g, want %.17g (rel diff %.3g)", what, got, want, (got-want)/want)
	}
}

func atof(t *testing.T, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// dataset is one oracle input: per-sample rows and per-case means.
type dataset struct {
	// per sample
	sampleCluster           []int
	latB, latC, accCSamples []float64
	// per case, in case order
	cluster                  []int
	accB, accC, costB, costC []float64
	single                   bool // one sample per case
}

func readDataset(t *testing.T, name string) dataset {
	t.Helper()
	var d dataset
	d.single = true
	type acc struct {
		n              int
		ab, ac, cb, cc float64
		cluster        int
	}
	var order []int
	cases := map[int]*acc{}
	for _, r := range oracletable.Rows(t, filepath.Join(oracleDir, name+".csv")) {
		a := cases[r.Case]
		if a == nil {
			a = &acc{cluster: r.Cluster}
			cases[r.Case] = a
			order = append(order, r.Case)
		} else {
			d.single = false
		}
		a.n++
		a.ab += r.AccB
		a.ac += r.AccC
		a.cb += r.CostB
		a.cc += r.CostC
		d.sampleCluster = append(d.sampleCluster, r.Cluster)
		d.latB = append(d.latB, r.LatB)
		d.latC = append(d.latC, r.LatC)
		d.accCSamples = append(d.accCSamples, r.AccC)
	}
	sort.Ints(order)
	for _, id := range order {
		a := cases[id]
		k := float64(a.n)
		d.cluster = append(d.cluster, a.cluster)
		d.accB = append(d.accB, a.ab/k)
		d.accC = append(d.accC, a.ac/k)
		d.costB = append(d.costB, a.cb/k)
		d.costC = append(d.costC, a.cc/k)
	}
	return d
}

func (d dataset) ratio() RatioData {
	return RatioData{CostB: d.costB, AccB: d.accB, CostC: d.costC, AccC: d.accC, Cluster: d.cluster}
}

var datasets = []string{"single", "clustered", "zero_discordant", "small"}

func TestOracleBinom(t *testing.T) {
	t.Parallel()
	o := readOracle(t, "oracle_r.csv")
	ps := o.params("binom", "mcnemar_upper")
	if len(ps) < 10 {
		t.Fatalf("only %d binom cases in oracle", len(ps))
	}
	for _, p := range ps {
		var b, c int
		if _, err := fmt.Sscanf(p, "%d:%d", &b, &c); err != nil {
			t.Fatal(err)
		}
		checkP(t, fmt.Sprintf("McNemarUpper(%d, %d)", b, c), McNemarUpper(b, c), o.must(t, "binom", "mcnemar_upper", p))
		checkP(t, fmt.Sprintf("McNemarLower(%d, %d)", b, c), McNemarLower(b, c), o.must(t, "binom", "mcnemar_lower", p))
	}
}

func TestOracleHolm(t *testing.T) {
	t.Parallel()
	o := readOracle(t, "oracle_r.csv")
	for _, k := range []string{"a", "b", "c", "d", "e"} {
		var p, want []float64
		for j := 1; ; j++ {
			v, ok := o.get(t, "holm", "p_"+k, strconv.Itoa(j))
			if !ok {
				break
			}
			p = append(p, v)
			want = append(want, o.must(t, "holm", "adj_"+k, strconv.Itoa(j)))
		}
		if len(p) == 0 {
			t.Fatalf("holm vector %s missing", k)
		}
		got := Holm(p)
		for j := range got {
			checkClose(t, fmt.Sprintf("Holm(%s)[%d]", k, j), got[j], want[j], tolHolm)
		}
	}
}

func TestOracleQuantile7(t *testing.T) {
	t.Parallel()
	o := readOracle(t, "oracle_r.csv")
	for _, k := range []string{"ten", "five", "norm", "one"} {
		var x []float64
		for j := 1; ; j++ {
			v, ok := o.get(t, "quantile", "x_"+k, strconv.Itoa(j))
			if !ok {
				break
			}
			x = append(x, v)
		}
		ps := o.params("quantile", "q_"+k)
		if len(x) == 0 || len(ps) == 0 {
			t.Fatalf("quantile vector %s missing", k)
		}
		for _, p := range ps {
			checkClose(t, fmt.Sprintf("Quantile7(%s, %s)", k, p), Quantile7(x, atof(t, p)), o.must(t, "quantile", "q_"+k, p), tolClosed)
		}
	}
}

func TestOracleWilson(t *testing.T) {
	t.Parallel()
	o := readOracle(t, "oracle_r.csv")
	ps := o.params("wilson", "lo")
	if len(ps) == 0 {
		t.Fatal("no wilson cases")
	}
	for _, p := range ps {
		var x, n int
		var level float64
		if _, err := fmt.Sscanf(strings.ReplaceAll(p, ":", " "), "%d %d %g", &x, &n, &level); err != nil {
			t.Fatal(err)
		}
		lo, hi := Wilson(x, n, level)
		checkClose(t, "Wilson lo "+p, lo, o.must(t, "wilson", "lo", p), tolClosed)
		checkClose(t, "Wilson hi "+p, hi, o.must(t, "wilson", "hi", p), tolClosed)
	}
}

func splitFloats(t *testing.T, p string) []float64 {
	t.Helper()
	var v []float64
	for _, s := range strings.Split(p, ":") {
		v = append(v, atof(t, s))
	}
	return v
}

func TestOraclePower(t *testing.T) {
	t.Parallel()
	o := readOracle(t, "oracle_r.csv")
	for _, q := range []string{"connor_n", "connor_mde", "connor_n_margin", "connor_mde_margin", "cluster_n", "cluster_mde", "cluster_power"} {
		ps := o.params("power", q)
		if len(ps) == 0 {
			t.Fatalf("no %s cases", q)
		}
		for _, p := range ps {
			v := splitFloats(t, p)
			var got float64
			switch q {
			case "connor_n":
				got = ConnorN(v[0], v[1], v[2], v[3])
			case "connor_mde":
				got = ConnorMDE(v[0], int(v[1]), v[2], v[3])
			case "connor_n_margin":
				got = ConnorNMargin(v[0], v[1], v[2], v[3], v[4])
				if v[2] == 0 && got != ConnorN(v[0], v[1], v[3], v[4]) {
					t.Errorf("ConnorNMargin %s = %v differs from ConnorN at m = 0", p, got)
				}
				if pw := ConnorPowerMargin(v[0], v[1], v[2], int(math.Ceil(got)), v[3]); pw < v[4] {
					t.Errorf("ConnorPowerMargin at ⌈ConnorNMargin⌉ %s = %v, below %v", p, pw, v[4])
				}
			case "connor_mde_margin":
				got = ConnorMDEMargin(v[0], int(v[1]), v[2], v[3], v[4])
			case "cluster_n":
				got = ClusterN(v[0], v[1], v[2], v[3], v[4])
			case "cluster_mde":
				got = ClusterMDE(v[0], v[1], int(v[2]), v[3], v[4])
			case "cluster_power":
				got = ClusterPower(v[0], v[1], v[2], int(v[3]), v[4])
			}
			checkClose(t, q+" "+p, got, o.must(t, "power", q, p), tolClosed)
		}
	}
}

func TestOracleTango(t *testing.T) {
	t.Parallel()
	o := readOracle(t, "oracle_r.csv")
	zs := o.params("tango", "z")
	if len(zs) < 20 {
		t.Fatalf("only %d tango z cases", len(zs))
	}
	for _, p := range zs {
		v := splitFloats(t, p)
		got := TangoZ(int(v[0]), int(v[1]), int(v[2]), v[3])
		checkClose(t, "TangoZ "+p, got, o.must(t, "tango", "z", p), tolClosed)
	}
	for _, p := range o.params("tango", "lo") {
		v := splitFloats(t, p)
		lo, hi := TangoInterval(int(v[0]), int(v[1]), int(v[2]), v[3])
		checkClose(t, "TangoInterval lo "+p, lo, o.must(t, "tango", "lo", p), tolClosed)
		checkClose(t, "TangoInterval hi "+p, hi, o.must(t, "tango", "hi", p), tolClosed)
	}
}

func TestOracleDatasets(t *testing.T) {
	t.Parallel()
	o := readOracle(t, "oracle_r.csv")
	for _, name := range datasets {
		t.Run(name, func(t *testing.T) {
			d := readDataset(t, name)
			n := len(d.cluster)
			if want := o.must(t, name, "n", ""); float64(n) != want {
				t.Fatalf("n = %d, oracle %v", n, want)
			}
			diff := make([]float64, n)
			for i := range diff {
				diff[i] = d.accC[i] - d.accB[i]
			}
			if d.single {
				var b, c int
				for i := range diff {
					switch diff[i] {
					case 1:
						b++
					case -1:
						c++
					}
				}
				checkClose(t, "b", float64(b), o.must(t, name, "b", ""), 0)
				checkClose(t, "c", float64(c), o.must(t, name, "c", ""), 0)
				if want, ok := o.get(t, name, "mcnemar_upper", ""); ok {
					checkP(t, "McNemarUpper", McNemarUpper(b, c), want)
					checkP(t, "McNemarLower", McNemarLower(b, c), o.must(t, name, "mcnemar_lower", ""))
				}
			}
			nct := 0
			for _, m := range o.params(name, "ct_se") {
				nct++
				r := ClusterT(diff, d.cluster, atof(t, m), 0.9)
				if len(r.Warnings) != 0 {
					t.Errorf("ClusterT m=%s warnings %v", m, r.Warnings)
				}
				for _, c := range []struct {
					q   string
					got float64
				}{
					{"delta", r.Delta}, {"se", r.SE}, {"df", float64(r.DF)}, {"t", r.T},
					{"lo", r.Lo}, {"hi", r.Hi},
				} {
					checkClose(t, "ClusterT "+c.q+" m="+m, c.got, o.must(t, name, "ct_"+c.q, m), tolClosed)
				}
				checkP(t, "ClusterT p_upper m="+m, r.PUpper, o.must(t, name, "ct_p_upper", m))
				checkP(t, "ClusterT p_lower m="+m, r.PLower, o.must(t, name, "ct_p_lower", m))
			}
			if name != "zero_discordant" && nct != 2 {
				t.Errorf("%d cluster-t cases in oracle, want 2", nct)
			}
			for _, rr := range []string{"1", "0.8"} {
				r := DeltaRatio(d.ratio(), atof(t, rr), 0.9)
				for _, c := range []struct {
					q   string
					got float64
				}{
					{"L", r.L}, {"se", r.SE}, {"t", r.T}, {"df", float64(r.DF)}, {"lo", r.Lo}, {"hi", r.Hi},
				} {
					checkClose(t, "DeltaRatio "+c.q+" r="+rr, c.got, o.must(t, name, "delta_"+c.q, rr), tolClosed)
				}
				checkP(t, "DeltaRatio p r="+rr, r.P, o.must(t, name, "delta_p", rr))
			}
			x := 0
			for _, v := range d.accCSamples {
				x += int(v)
			}
			for _, level := range []string{"0.9", "0.95"} {
				lo, hi := Wilson(x, len(d.accCSamples), atof(t, level))
				checkClose(t, "Wilson lo "+level, lo, o.must(t, name, "wilson_c_lo", level), tolClosed)
				checkClose(t, "Wilson hi "+level, hi, o.must(t, name, "wilson_c_hi", level), tolClosed)
			}
			for _, p := range []string{"0.5", "0.95"} {
				for arm, x := range map[string][]float64{"b": d.latB, "c": d.latC} {
					s := append([]float64(nil), x...)
					sort.Float64s(s)
					checkClose(t, "Quantile7 lat_"+arm+" "+p, Quantile7(s, atof(t, p)), o.must(t, name, "lat_"+arm+"_q7", p), tolClosed)
				}
			}
		})
	}
}

// WilsonClustered against make_oracle_cluster.R on small hand cases: a
// clustered mixed rate (design effect above 1), an all-success rate (one
// unit per cluster), a rate whose clusters vary less than binomially
// (design effect floored at 1) and unclustered units (plain Wilson).
func TestOracleWilsonClustered(t *testing.T) {
	t.Parallel()
	o := readOracle(t, "oracle_cluster.csv")
	hand := map[string]struct {
		x  []float64
		cl []int
	}{
		"a": {[]float64{1, 1, 0, 1, 1, 1, 0, 0, 1, 1}, []int{0, 0, 0, 1, 1, 2, 2, 2, 3, 3}},
		"b": {[]float64{1, 1, 1, 1, 1, 1}, []int{0, 0, 1, 1, 2, 2}},
		"c": {[]float64{1, 0, 1, 0, 1, 0, 1, 1}, []int{0, 0, 1, 1, 2, 2, 3, 3}},
		"d": {[]float64{1, 0, 1, 1, 0}, []int{0, 1, 2, 3, 4}},
	}
	for k, h := range hand {
		r := WilsonClustered(h.x, h.cl, 0.9)
		checkClose(t, "rate "+k, r.Rate, o.must(t, "wilson_clustered", "rate", k), tolClosed)
		checkClose(t, "deff "+k, r.DEff, o.must(t, "wilson_clustered", "deff", k), tolClosed)
		checkClose(t, "lo "+k, r.Lo, o.must(t, "wilson_clustered", "lo", k), tolClosed)
		checkClose(t, "hi "+k, r.Hi, o.must(t, "wilson_clustered", "hi", k), tolClosed)
	}
	// One cluster holding several units carries no information about the
	// spread between clusters.
	if r := WilsonClustered([]float64{1, 0, 1}, []int{4, 4, 4}, 0.9); r.Lo != 0 || r.Hi != 1 {
		t.Errorf("one cluster: [%v, %v], want [0, 1]", r.Lo, r.Hi)
	}
}

func TestOracleRatioPlan(t *testing.T) {
	t.Parallel()
	o := readOracle(t, "oracle_cluster.csv")
	ps := o.params("power", "ratio_n")
	if len(ps) < 4 {
		t.Fatalf("%d ratio_n cases", len(ps))
	}
	for _, p := range ps {
		v := splitFloats(t, p)
		checkClose(t, "RatioN "+p, RatioN(v[0], v[1], v[2], v[3], v[4]), o.must(t, "power", "ratio_n", p), tolClosed)
	}
	for _, p := range o.params("power", "ratio_power") {
		v := splitFloats(t, p)
		checkClose(t, "RatioPower "+p, RatioPower(v[0], v[1], v[2], int(v[3]), v[4]), o.must(t, "power", "ratio_power", p), tolClosed)
	}
	if !math.IsInf(RatioN(1, 1, 1, 0.05, 0.9), 1) || RatioPower(1, 1.2, 1, 100, 0.05) != 0.05 {
		t.Error("a ratio at or above the limit cannot be planned for")
	}
}

// TangoExactUpper against make_oracle_exact.py, which enumerates every
// outcome and searches the nuisance on a grid of 4001 points refined by
// Brent's method.
func TestOracleTangoExact(t *testing.T) {
	t.Parallel()
	o := readOracle(t, "oracle_exact.csv")
	ps := o.params("tango_exact", "upper")
	if len(ps) < 10 {
		t.Fatalf("%d cases", len(ps))
	}
	for _, p := range ps {
		v := splitFloats(t, p)
		b, c, n, m := int(v[0]), int(v[1]), int(v[2]), v[3]
		want := o.must(t, "tango_exact", "upper", p)
		if got := TangoExactUpper(b, c, n, m); math.Abs(got-want) > 1e-9 {
			t.Errorf("TangoExactUpper(%s) = %.12g, enumeration %.12g", p, got, want)
		}
		// The lower tail is the same test with the arms swapped.
		if got := TangoExactLower(c, b, n, -m); math.Abs(got-want) > 1e-9 {
			t.Errorf("TangoExactLower(%d, %d, %d, %v) = %.12g, want %.12g", c, b, n, -m, got, want)
		}
	}
}

// smallSampleCases are the hand datasets of make_oracle_cluster.R: two
// with one cluster holding half the cases, one with eight equal clusters.
var smallSampleCases = map[string]struct {
	d  []float64
	cl []int
}{
	"u4": {[]float64{1, 0, 1, 1, 0, 1, -1, 0, 1, 0.5, 0.5, 0}, []int{0, 0, 0, 0, 0, 0, 1, 1, 2, 2, 3, 3}},
	"u3": {[]float64{0.5, 1, 0, 1, 0, -0.5, 1}, []int{0, 0, 0, 0, 1, 1, 2}},
	"b8": {[]float64{1, 0, 0, 1, -1, 0, 1, 1, 0, 0, 1, 0, 0, -1, 1, 1}, []int{0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7}},
}

// ClusterCR2 against clubSandwich's coef_test(vcov = "CR2", test =
// "Satterthwaite"); WildClusterT against R: exactly when it enumerates all
// 6^G Webb weight vectors (u4, u3), within Monte Carlo error of 10⁶ R draws
// otherwise (b8); EffectiveClusters against the formula.
func TestOracleSmallSampleClustered(t *testing.T) {
	t.Parallel()
	o := readOracle(t, "oracle_cluster.csv")
	for k, c := range smallSampleCases {
		for _, m := range []float64{0, 0.1} {
			key := fmt.Sprintf("%s:%v", k, m)
			r := ClusterCR2(c.d, c.cl, m, 0.9)
			for _, q := range []struct {
				name string
				got  float64
			}{{"se", r.SE}, {"df", r.DF}, {"t", r.T}, {"p_upper", r.PUpper}, {"p_lower", r.PLower}, {"lo", r.Lo}, {"hi", r.Hi}} {
				checkClose(t, "CR2 "+q.name+" "+key, q.got, o.must(t, "cr2", q.name, key), tolClosed)
			}
			const B = 200000
			w := WildClusterT(c.d, c.cl, m, BootstrapOptions{Resamples: B, Seed: 7, Level: 0.9})
			wantUp, wantDown := o.must(t, "wild", "p_upper", key), o.must(t, "wild", "p_lower", key)
			enumerated := o.must(t, "wild", "draws", key) < 1e6
			if w.Enumerated != enumerated {
				t.Errorf("wild %s: enumerated %v, R %v", key, w.Enumerated, enumerated)
			}
			tol := 1e-12
			if !enumerated {
				tol = 4.5 * (math.Sqrt(wantUp*(1-wantUp)/B) + math.Sqrt(wantUp*(1-wantUp)/1e6))
			}
			checkClose(t, "wild upper "+key, w.PUpper, wantUp, tol)
			checkClose(t, "wild lower "+key, w.PLower, wantDown, tol)
		}
		checkClose(t, "effective clusters "+k, EffectiveClusters(c.cl), o.must(t, "effective_clusters", "g", k), tolClosed)
	}
}
