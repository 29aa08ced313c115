package sim

import (
	"math"
	"testing"
	"time"
)

// TestRecentWindowIsTheLastSeconds: the recent window read at 1m0.5s is
// the run from 50s on, as a run whose measured window starts there
// measures it: the same stations, models and reasons, counts exactly and
// means to rounding; and a window shorter than RecentSecs has none.
func TestRecentWindowIsTheLastSeconds(t *testing.T) {
	for name, text := range map[string]string{
		"M/M/c": "workload: {rate: 3200, requests: [{steps: [{cpu: exp(1ms)}]}]}\napp: {workers: 4, cores: 4, backlog: unlimited}\n",
		"database and pooler": `
workload: {rate: 400, requests: [{steps: [{cpu: exp(1ms)}, {db: exp(5ms)}]}]}
app: {workers: 64, cores: 8}
db: {cores: 4, pool: {size: 4}, scheduler: run_to_completion, switch_cost: 0s}
`,
		"cache": `
workload: {rate: 500, requests: [{steps: [{cache: {miss: [{db: 2ms}]}}]}]}
app: {workers: 64, cores: 4}
cache: {keys: {count: 5000, capacity: 500}}
`,
	} {
		t.Run(name, func(t *testing.T) {
			top := parse(t, text)
			const end = time.Minute + 500*time.Millisecond
			a, err := New(top, Options{})
			if err != nil {
				t.Fatal(err)
			}
			a.Advance(5 * time.Second)
			if r := a.Summary(); r.Recent != nil {
				t.Errorf("a recent window of a 5s run: %+v", r.Recent)
			}
			a.Advance(end)
			got := a.Summary()
			if got.RecentS != 10.5 {
				t.Fatalf("recent window %gs, want 10.5s", got.RecentS)
			}
			b, err := New(top, Options{})
			if err != nil {
				t.Fatal(err)
			}
			b.Advance(50 * time.Second)
			b.ResetStats()
			b.Advance(end)
			want := b.Summary().Queues
			if len(got.Recent) != len(want) || len(want) == 0 {
				t.Fatalf("recent %d stations, the window from 50s %d", len(got.Recent), len(want))
			}
			for i, w := range want {
				g := got.Recent[i]
				if g.Name != w.Name || g.Model != w.Model || g.Why != w.Why || g.Served != w.Served || g.Servers != w.Servers || g.Capacity != w.Capacity {
					t.Errorf("recent %+v\nfrom 50s %+v", g, w)
					continue
				}
				for _, f := range []struct {
					what      string
					got, want float64
				}{
					{"arrivals/s", g.ArrivalRPS, w.ArrivalRPS}, {"service", g.ServiceMs, w.ServiceMs}, {"cv", g.ServiceCV, w.ServiceCV},
					{"util", g.Utilization, w.Utilization}, {"wait", g.WaitMs, w.WaitMs}, {"queue", g.QueueMean, w.QueueMean},
					{"inside", g.InsideMean, w.InsideMean}, {"response", g.ResponseMs, w.ResponseMs}, {"refused", g.Refused, w.Refused},
					{"switch", g.SwitchMs, w.SwitchMs},
				} {
					if math.Abs(f.got-f.want) > 1e-9*math.Max(1, math.Abs(f.want)) {
						t.Errorf("%s %s: recent %v, from 50s %v", w.Name, f.what, f.got, f.want)
					}
				}
			}
			// the measured window is still the whole run's
			if q := got.Queues[0]; q.Served <= got.Recent[0].Served {
				t.Errorf("the measured window served %d, the recent one %d", q.Served, got.Recent[0].Served)
			}
		})
	}
}
