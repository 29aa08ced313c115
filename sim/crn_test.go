package sim

import (
	"fmt"
	"testing"
	"time"
)

// TestRandomNumbersFollowTheRequest runs the same workload on 3 and on 8
// sync workers with a backlog of 20: the first drops many requests, the
// second few, so the two runs' events interleave differently from the
// first second on. Every request both runs serve must still draw the same
// class and the same CPU demand at every step, since its draws are keyed
// by its serial number, not by the order of events.
func TestRandomNumbersFollowTheRequest(t *testing.T) {
	type step struct {
		serial uint64
		pc     int32
	}
	run := func(workers int) (map[step]int64, Counts) {
		top := parse(t, fmt.Sprintf(`
workload:
  rate: 300
  requests:
    - name: page
      share: 3
      steps: [{cpu: exp(8ms)}, {io: exp(5ms)}, {cpu: "lognormal(4ms, 1.5)"}]
    - name: search
      share: 1
      steps: [{cpu: "uniform(1ms, 30ms)"}, {db: exp(3ms)}]
app: {workers: %d, cores: 4, backlog: 20}
`, workers))
		s, err := New(top, Options{})
		if err != nil {
			t.Fatal(err)
		}
		seen := map[step]int64{}
		s.testDemand = func(serial uint64, pc int32, ns int64) { seen[step{serial, pc}] = ns }
		s.Advance(20 * time.Second)
		checkConservation(t, s)
		return seen, s.Totals()
	}
	few, fewC := run(3)
	many, manyC := run(8)
	if fewC.Dropped < manyC.Dropped+200 {
		t.Fatalf("3 workers dropped %d, 8 dropped %d: the runs do not differ enough to test anything", fewC.Dropped, manyC.Dropped)
	}
	if fewC.Arrived != manyC.Arrived {
		t.Errorf("arrivals differ: %d with 3 workers, %d with 8", fewC.Arrived, manyC.Arrived)
	}
	common := 0
	for k, d := range few {
		d8, ok := many[k]
		if !ok {
			// a request served by 3 workers must be one 8 served too,
			// with the same steps (the same class)
			if _, any := many[step{k.serial, 0}]; any {
				t.Fatalf("request %d ran step %d with 3 workers and not with 8: its class differs", k.serial, k.pc)
			}
			continue
		}
		common++
		if d != d8 {
			t.Fatalf("request %d step %d: CPU demand %dns with 3 workers, %dns with 8", k.serial, k.pc, d, d8)
		}
	}
	if common < 2000 {
		t.Fatalf("only %d CPU steps in common: too few to compare", common)
	}
}
