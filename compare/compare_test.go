package compare

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"scalesim/sweep"
	"scalesim/topology"
)

// web is a small open workload on sync workers that queue enough to make
// the number of workers matter.
func web(t *testing.T, workers int) *topology.Topology {
	t.Helper()
	top, err := topology.Parse("web.yaml", []byte(fmt.Sprintf(`
seed: 7
workload:
  rate: 150
  requests:
    - name: page
      steps: [{cpu: exp(10ms)}, {io: exp(15ms)}]
app: {workers: %d, cores: 2, backlog: 30}
`, workers)))
	if err != nil {
		t.Fatal(err)
	}
	return top
}

func seeds(n int) []uint64 {
	out := make([]uint64, n)
	for i := range out {
		out[i] = uint64(i + 1)
	}
	return out
}

var short = sweep.Run{Warmup: 2 * time.Second, Duration: 10 * time.Second}

// Two copies of one design, run on the same seeds, differ by exactly
// zero in every figure, with the interval [0, 0], and the verdict says
// so; even though the seeds themselves give different figures.
func TestSameDesignDiffersByExactlyZero(t *testing.T) {
	a := web(t, 4)
	res, err := Run(a, a.Clone(), seeds(4), short, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rows) != len(Figures) {
		t.Fatalf("%d rows, want %d", len(res.Rows), len(Figures))
	}
	for _, r := range res.Rows {
		if r.Diff.Mean != 0 || r.Diff.Lo() != 0 || r.Diff.Hi() != 0 {
			t.Errorf("%s: B−A = %v ± %v, want exactly 0 ± 0", r.Name, r.Diff.Mean, r.Diff.Half)
		}
		if r.A != r.B {
			t.Errorf("%s: A %+v, B %+v", r.Name, r.A, r.B)
		}
		if r.Significant() || r.Verdict() != "same" {
			t.Errorf("%s: significant %v, verdict %q", r.Name, r.Significant(), r.Verdict())
		}
	}
	// the check above would pass on runs that all gave the same
	// figures: the seeds must differ
	tp := Figures[0]
	if tp.Value(&res.A[0]) == tp.Value(&res.A[1]) {
		t.Errorf("seeds 1 and 2 gave the same throughput %v: the seeds are not used", tp.Value(&res.A[0]))
	}
}

// B with more workers runs on the traffic A runs on: per seed, the same
// number of arrivals in the window (an open workload), though they serve
// it differently; and B is better where it should be.
func TestMoreWorkersSameTraffic(t *testing.T) {
	a, b := web(t, 2), web(t, 6)
	res, err := Run(a, b, seeds(5), short, 2)
	if err != nil {
		t.Fatal(err)
	}
	if !res.SameWorkload {
		t.Error("two worker counts of one workload: not the same workload")
	}
	for k := range res.Seeds {
		wa, wb := res.A[k].Sum.Window, res.B[k].Sum.Window
		if wa.Arrived != wb.Arrived {
			t.Errorf("seed %d: %d arrivals with 2 workers, %d with 6", res.Seeds[k], wa.Arrived, wb.Arrived)
		}
		if wa.Dropped <= wb.Dropped {
			t.Errorf("seed %d: 2 workers dropped %d, 6 dropped %d: the designs do not differ", res.Seeds[k], wa.Dropped, wb.Dropped)
		}
	}
	row := func(name string) Row {
		for _, r := range res.Rows {
			if r.Name == name {
				return r
			}
		}
		t.Fatalf("no row %s", name)
		return Row{}
	}
	for _, name := range []string{"throughput_rps", "p99_ms", "drops"} {
		if r := row(name); !r.Better() || r.Verdict() != "B better" {
			t.Errorf("%s: B−A %v ± %v, verdict %q; want B significantly better", name, r.Diff.Mean, r.Diff.Half, r.Verdict())
		}
	}
	// pairing by seed cancels the luck of the traffic: the paired
	// interval of the throughput is narrower than the one of two
	// independent samples would be
	tp := row("throughput_rps")
	if unpaired := math.Hypot(tp.A.Half, tp.B.Half); !(tp.Diff.Half < unpaired) {
		t.Errorf("paired half-width %v, not below the unpaired %v", tp.Diff.Half, unpaired)
	}
}

// The interval of a difference narrows as seeds are added: from 3 seeds
// to 12 the half-width of Student's t shrinks about fourfold (t from
// 4.30 to 2.20, and √n doubles); it must at least halve.
func TestIntervalShrinksWithSeeds(t *testing.T) {
	a, b := web(t, 3), web(t, 4)
	half := func(n int) float64 {
		res, err := Run(a, b, seeds(n), short, 2)
		if err != nil {
			t.Fatal(err)
		}
		r := res.Rows[3] // p99
		if r.Name != "p99_ms" || r.Diff.N != n {
			t.Fatalf("row %s of %d seeds", r.Name, r.Diff.N)
		}
		return r.Diff.Half
	}
	h3, h12 := half(3), half(12)
	if !(h3 > 0) || !(h12 < h3/2) {
		t.Errorf("p99 B−A half-width %v with 3 seeds, %v with 12: want it more than halved", h3, h12)
	}
	if h1 := half(1); !math.IsInf(h1, 1) {
		t.Errorf("one seed: half-width %v, want +Inf (no interval)", h1)
	}
}

// A stock design gets the oversold row; the others do not.
func TestOversoldOnlyWithStock(t *testing.T) {
	res, err := Run(web(t, 2), web(t, 2), seeds(2), short, 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res.Rows {
		if r.Name == "oversold" {
			t.Errorf("an oversold row without stock")
		}
	}
}

// The text fits 80 columns and says what was compared; the JSON
// carries every figure, null where one seed gives no interval.
func TestReportOutput(t *testing.T) {
	res, err := Run(web(t, 2), web(t, 6), seeds(3), short, 2)
	if err != nil {
		t.Fatal(err)
	}
	rep := &Report{A: Side{Source: "web.yaml", Name: "web"}, B: Side{Source: "web.yaml", Name: "web", Changes: []string{"app.workers=6"}},
		Warmup: short.Warmup, Duration: short.Duration, Result: res}
	var b bytes.Buffer
	if err := rep.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	text := b.String()
	for _, want := range []string{"A  web.yaml: web\n", "B  A with app.workers=6\n", "3 seeds, 1 to 3", "throughput", "p99", "B better"} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q:\n%s", want, text)
		}
	}
	for i, l := range strings.Split(text, "\n") {
		if n := len([]rune(l)); n > 80 {
			t.Errorf("line %d is %d wide: %q", i+1, n, l)
		}
	}
	b.Reset()
	if err := rep.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Seeds   []uint64
		Figures []struct {
			Name    string
			BMinusA struct{ Mean, CI95 *float64 } `json:"b_minus_a"`
			Verdict string
		}
		Runs []struct{ Seed uint64 }
	}
	if err := json.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatalf("%v\n%s", err, b.String())
	}
	if len(got.Figures) != len(Figures) || len(got.Runs) != 3 || got.Runs[2].Seed != 3 {
		t.Fatalf("JSON: %d figures, %d runs:\n%s", len(got.Figures), len(got.Runs), b.String())
	}
	if f := got.Figures[0]; f.Name != "throughput_rps" || f.BMinusA.CI95 == nil || f.Verdict != "B better" {
		t.Errorf("JSON throughput row %+v", f)
	}

	one, err := Run(web(t, 2), web(t, 6), seeds(1), short, 1)
	if err != nil {
		t.Fatal(err)
	}
	b.Reset()
	rep.Result = one
	if err := rep.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), `"ci95": null`) {
		t.Errorf("one seed: the JSON gives an interval:\n%s", b.String())
	}
}

func TestNum(t *testing.T) {
	for x, want := range map[float64]string{0: "0", 299.87: "299.9", 13.244: "13.24", 0.5: "0.5", 12345.4: "12345",
		-101.53: "-101.5", 1e-9: "0.000000001", 0.012345: "0.01235"} {
		if got := num(x); got != want {
			t.Errorf("num(%v) = %q, want %q", x, got, want)
		}
	}
}

// A B with another workload is paired by seed too, but the report does
// not call it the same traffic.
func TestOtherWorkloadIsSaidSo(t *testing.T) {
	a := web(t, 4)
	b, err := a.With(topology.Change{Action: topology.ActSet, Path: "workload.rate", Value: "120"})
	if err != nil {
		t.Fatal(err)
	}
	res, err := Run(a, b, seeds(2), short, 1)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	rep := &Report{A: Side{Source: "a"}, B: Side{Source: "b"}, Warmup: short.Warmup, Duration: short.Duration, Result: res}
	if err := rep.WriteText(&out); err != nil {
		t.Fatal(err)
	}
	if res.SameWorkload || !strings.Contains(out.String(), "the same seeds; the workloads differ") || strings.Contains(out.String(), "same traffic") {
		t.Errorf("same workload %v:\n%s", res.SameWorkload, out.String())
	}
}
