package presets

import (
	"math"
	"testing"
	"time"

	"scalesim/sim"
)

// runPreset runs preset name for d from the start, and returns its
// per-second rows and the simulation.
func runPreset(t *testing.T, name string, d time.Duration) ([]sim.Second, *sim.Sim) {
	t.Helper()
	p, ok := Get(name)
	if !ok {
		t.Fatalf("no preset %s", name)
	}
	top, err := p.Load()
	if err != nil {
		t.Fatal(err)
	}
	var rows []sim.Second
	s, err := sim.New(top, sim.Options{OnSecond: func(r sim.Second) { rows = append(rows, r) }})
	if err != nil {
		t.Fatal(err)
	}
	s.Advance(d)
	return rows, s
}

// dropped adds up the drops of rows from second from (1-based) on.
func dropped(rows []sim.Second, from int) uint64 {
	var n uint64
	for _, r := range rows[from-1:] {
		n += r.Dropped
	}
	return n
}

// TestFlashSaleSurge: the sale opens at 0:30 (traffic fifty-fold), the
// autoscaler asks for nodes at its next look (0:45), they boot for 90 s
// taking no traffic while the backlogs overflow, and the pool grows by
// steps of one boot to 19 nodes (12 at 95% CPU against a 60% target); with a 5 s boot the same decisions come sooner and far
// fewer requests are refused.
func TestFlashSaleSurge(t *testing.T) {
	if testing.Short() {
		t.Skip("eight simulated minutes of 2,000 requests a second, twice")
	}
	slow, s := runPreset(t, "flash-sale-surge", 8*time.Minute)
	before, after := slow[28].Arrived, slow[40].Arrived // seconds 29 and 41
	if math.Abs(float64(before)-40) > 25 || math.Abs(float64(after)-2000) > 200 {
		t.Errorf("arrivals %d in second 29 and %d in second 41, want about 40 then 2,000", before, after)
	}
	if slow[44].NodesBooting != 0 || slow[45].NodesBooting == 0 {
		t.Errorf("booting nodes: %d in second 45, %d in second 46; want the first boots at 0:45", slow[44].NodesBooting, slow[45].NodesBooting)
	}
	for sec := 46; sec <= 134; sec++ {
		r := slow[sec-1]
		if r.NodesUp != 2 || r.NodesBooting == 0 {
			t.Fatalf("second %d: %d nodes up, %d booting; want 2 up while the first ones boot 90 s", sec, r.NodesUp, r.NodesBooting)
		}
		if r.DroppedBy.BacklogFull == 0 {
			t.Fatalf("second %d: no request refused while 2 nodes take 2,000 a second", sec)
		}
	}
	if up := slow[len(slow)-1].NodesUp; up < 19 {
		t.Errorf("%d nodes up at 8:00, want the 19 the rule reaches", up)
	}
	if st := s.Snapshot().Autoscale; st == nil || st.Desired < 19 {
		t.Errorf("autoscaler state at 8:00: %+v", st)
	}
	fast, _ := runPreset(t, "flash-sale-surge-fast-boot", 8*time.Minute)
	ds, df := dropped(slow, 1), dropped(fast, 1)
	t.Logf("refused in 8 minutes: %d with 90 s boots, %d with 5 s boots", ds, df)
	if df*3 > ds {
		t.Errorf("refused %d with 5 s boots and %d with 90 s: want far fewer with the fast boot", df, ds)
	}
	if dropped(fast, 180) != 0 {
		t.Errorf("the fast-boot pool still refuses requests after 3:00")
	}
}

// TestAutoscalingMetric: for I/O-bound sync workers an autoscaler on CPU
// never adds a node while most requests are refused; on busy workers it
// scales the pool until none is.
func TestAutoscalingMetric(t *testing.T) {
	if testing.Short() {
		t.Skip("six simulated minutes, twice")
	}
	cpu, cs := runPreset(t, "autoscale-cpu-io-bound", 6*time.Minute)
	busy, _ := runPreset(t, "autoscale-busy-workers", 6*time.Minute)
	for _, r := range cpu {
		if r.NodesUp != 2 || r.NodesBooting != 0 {
			t.Fatalf("CPU scaling changed the pool: second %v has %d up, %d booting", r.T, r.NodesUp, r.NodesBooting)
		}
	}
	if st := cs.Snapshot().Autoscale; st.Value > 0.1 || st.Evaluations < 20 {
		t.Errorf("CPU autoscaler: %+v; want 24 looks at cores under 10%% busy", st)
	}
	if up := busy[len(busy)-1].NodesUp; up < 9 {
		t.Errorf("busy-worker scaling reached %d nodes, want at least 9 (150/s × 0.307 s / 8 workers / 0.7)", up)
	}
	dc, db := dropped(cpu, 181), dropped(busy, 181)
	t.Logf("refused in the last 3 minutes: %d scaling on CPU, %d on busy workers", dc, db)
	if dc < 10_000 || db != 0 {
		t.Errorf("refused %d scaling on CPU and %d on busy workers in the last 3 minutes", dc, db)
	}
}

// TestAutoscalingIntoTheDatabase: scaled on busy workers, the pool grows
// to its maximum while throughput stays at what the database's 8 cores
// serve (1,000 queries a second of 8 ms), and latency grows with the
// nodes.
func TestAutoscalingIntoTheDatabase(t *testing.T) {
	if testing.Short() {
		t.Skip("six simulated minutes of 1,500 requests a second")
	}
	rows, _ := runPreset(t, "autoscale-db-saturates", 6*time.Minute)
	last := rows[len(rows)-1]
	if last.NodesUp != 16 {
		t.Errorf("%d nodes up at 6:00, want the maximum of 16", last.NodesUp)
	}
	var done uint64
	for _, r := range rows[240:] {
		done += r.Completed
		if r.DB.Util < 0.97 {
			t.Fatalf("second %v: database %.0f%% busy, want saturated", r.T, 100*r.DB.Util)
		}
	}
	rate := float64(done) / float64(len(rows)-240)
	// the database's capacity, within 3% (Poisson arrivals, exponential
	// queries: the count over 120 s is within about 1% of it)
	if math.Abs(rate-1000) > 30 {
		t.Errorf("throughput %.0f a second with 16 nodes, want the database's 1,000", rate)
	}
	if early, late := rows[90].P99Ms, last.P99Ms; late < 2*early {
		t.Errorf("p99 %.0f ms at 1:31 and %.0f ms at 6:00: want the added nodes to make pages slower", early, late)
	}
}
