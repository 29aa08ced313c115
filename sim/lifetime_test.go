package sim

import (
	"testing"
	"time"

	"scalesim/presets"
)

// TestLifetimeNeverGoesBackwards: the whole run's counters survive the
// end of the warm-up, ResetStats and a live edit (the cache turned off),
// and add up to the run's totals.
func TestLifetimeNeverGoesBackwards(t *testing.T) {
	p, _ := presets.Get("redis-cache")
	top, err := p.Load()
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(top, Options{Warmup: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	var prev Lifetime
	for step := 1; step <= 4; step++ {
		s.Advance(time.Duration(step) * 10 * time.Second)
		switch step {
		case 2:
			s.ResetStats()
		case 3:
			off := s.topo.Clone()
			off.Cache.Disabled = true
			if err := s.Apply(off); err != nil {
				t.Fatal(err)
			}
			s.ResetStats()
		}
		snap := s.Snapshot()
		l := snap.Life
		if l.Latency.Count != snap.Totals.Logical.Goodput {
			t.Errorf("step %d: latency histogram counts %d, the run answered %d", step, l.Latency.Count, snap.Totals.Logical.Goodput)
		}
		var sum, classes uint64
		for _, b := range l.Latency.Buckets {
			sum += b
		}
		for _, c := range l.Classes {
			classes += c.Completed
			if c.Name != "product" {
				t.Errorf("class named %q, want product", c.Name)
			}
		}
		if sum != l.Latency.Count || classes != l.Latency.Count {
			t.Errorf("step %d: buckets add up to %d, classes to %d, count %d", step, sum, classes, l.Latency.Count)
		}
		if l.Latency.SumS < prev.Latency.SumS || l.Latency.Count <= prev.Latency.Count {
			t.Errorf("step %d: latency went from %d (%.3fs) to %d (%.3fs)", step, prev.Latency.Count, prev.Latency.SumS, l.Latency.Count, l.Latency.SumS)
		}
		for i, st := range l.Stations {
			if i < len(prev.Stations) {
				p := prev.Stations[i]
				if st.Name != p.Name || st.Completions < p.Completions || st.Dropped < p.Dropped ||
					st.BusySeconds < p.BusySeconds || st.QueueSeconds < p.QueueSeconds || st.ServerSeconds <= p.ServerSeconds {
					t.Errorf("step %d: station went backwards: %+v then %+v", step, p, st)
				}
			}
			if st.BusySeconds > st.ServerSeconds {
				t.Errorf("step %d: %s busy %.1fs of %.1f server-seconds", step, st.Name, st.BusySeconds, st.ServerSeconds)
			}
		}
		prev = l
	}
	names := ""
	for _, st := range prev.Stations {
		names += st.Name + " "
	}
	if names != "app cpu db cache " {
		t.Errorf("stations %q, want app cpu db cache", names)
	}
	if len(prev.DBServers) != 1 || prev.DBServers[0].Completions != prev.Stations[2].Completions || prev.DBServers[0].Completions == 0 {
		t.Errorf("db servers %+v, db station %+v", prev.DBServers, prev.Stations[2])
	}
}

// TestLatencyBucketsBounds: a latency equal to a bound counts in that
// bound's bucket (le is "less or equal"), one just above in the next.
func TestLatencyBucketsBounds(t *testing.T) {
	var h LatencyHistogram
	for _, v := range []int64{int64(10 * time.Millisecond), int64(10*time.Millisecond) + 1, int64(2 * time.Minute)} {
		h.record(histIndex(v), v)
	}
	i := 3 // 0.01
	if LatencyBounds[i] != 0.01 || h.Buckets[i] != 1 || h.Buckets[i+1] != 1 || h.Buckets[len(LatencyBounds)] != 1 || h.Count != 3 {
		t.Errorf("buckets %v", h.Buckets)
	}
}
