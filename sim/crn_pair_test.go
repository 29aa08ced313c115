package sim

import (
	"fmt"
	"slices"
	"testing"
	"time"
)

// TestMoreWorkersSameArrivalsAndDemands is what a comparison of two
// designs rests on: B, with three times A's workers, sees the same
// arrival times, to the nanosecond, and every request both serve asks
// for the same CPU at every step, though A queues and drops what B
// serves at once, so that their events interleave differently.
func TestMoreWorkersSameArrivalsAndDemands(t *testing.T) {
	type step struct {
		serial uint64
		pc     int32
	}
	run := func(workers int) ([]int64, map[step]int64, Counts) {
		top := parse(t, fmt.Sprintf(`
workload:
  rate: 150
  requests:
    - name: page
      steps: [{cpu: exp(10ms)}, {io: exp(15ms)}, {cpu: exp(3ms)}]
app: {workers: %d, cores: 2, backlog: 30}
`, workers))
		s, err := New(top, Options{})
		if err != nil {
			t.Fatal(err)
		}
		var arrivals []int64
		demands := map[step]int64{}
		s.testArrival = func(at int64) { arrivals = append(arrivals, at) }
		s.testDemand = func(serial uint64, pc int32, ns int64) { demands[step{serial, pc}] = ns }
		s.Advance(20 * time.Second)
		return arrivals, demands, s.Totals()
	}
	arrA, demA, cA := run(2)
	arrB, demB, cB := run(6)
	if cA.Dropped < cB.Dropped+100 {
		t.Fatalf("2 workers dropped %d, 6 dropped %d: the designs do not differ enough to test anything", cA.Dropped, cB.Dropped)
	}
	if len(arrA) < 1000 || !slices.Equal(arrA, arrB) {
		t.Fatalf("arrival times differ: %d arrivals with 2 workers, %d with 6", len(arrA), len(arrB))
	}
	common := 0
	for k, d := range demA {
		if dB, ok := demB[k]; ok {
			common++
			if d != dB {
				t.Fatalf("request %d step %d: %dns of CPU with 2 workers, %dns with 6", k.serial, k.pc, d, dB)
			}
		}
	}
	if common < len(demA)*9/10 {
		t.Fatalf("only %d of A's %d CPU steps ran in B too", common, len(demA))
	}
}
