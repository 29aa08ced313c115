package sim

import (
	"slices"
	"testing"
	"time"

	"scalesim/topology"
)

const twoClasses = `
seed: 3
workload:
  rate: 20
  requests:
    - name: short
      steps: [{io: 10ms}]
    - name: long
      steps: [{io: 2s}]
app: {workers: 200, backlog: 100}
`

// classFigures runs top for 20 s, applies edit, runs 20 s more, and
// returns the window's and the whole run's figures by class name.
func classFigures(t *testing.T, edit func(*topology.Topology)) (map[string]ClassSummary, map[string]ClassLifetime) {
	t.Helper()
	top := parse(t, twoClasses)
	s, err := New(top, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Advance(20 * time.Second)
	next := s.Topology().Clone()
	edit(next)
	if err := s.Apply(next); err != nil {
		t.Fatal(err)
	}
	s.Advance(40 * time.Second)
	checkConservation(t, s)
	win, life := map[string]ClassSummary{}, map[string]ClassLifetime{}
	for _, c := range s.Summary().Classes {
		win[c.Name] = c
	}
	for _, c := range s.Snapshot().Life.Classes {
		life[c.Name] = c
	}
	return win, life
}

// TestClassFiguresFollowTheirNames: a live edit that reorders the
// classes must not credit one class with the other's requests, neither
// those completed before the edit nor those in flight across it (about
// 20 long ones: 10 a second for 2 s). Each io step takes exactly its
// time and no worker waits, so every latency of a class is its io time.
func TestClassFiguresFollowTheirNames(t *testing.T) {
	win, life := classFigures(t, func(next *topology.Topology) {
		slices.Reverse(next.Workload.Requests)
	})
	for name, want := range map[string]float64{"short": 10, "long": 2000} {
		c := win[name]
		if c.Completed == 0 || c.LatencyMs.P50 < want*0.99 || c.LatencyMs.Max > want*1.01 {
			t.Errorf("window, class %s: %d completed, p50 %.1f ms, max %.1f ms; want all at %g ms", name, c.Completed, c.LatencyMs.P50, c.LatencyMs.Max, want)
		}
		l := life[name]
		bucket := slices.IndexFunc(LatencyBounds[:], func(b float64) bool { return b*1e3 >= want })
		if l.Completed == 0 || l.Latency.Buckets[bucket] != l.Completed || l.Latency.Count != l.Completed {
			t.Errorf("whole run, class %s: %d completed, buckets %v; want all in the bucket of %g ms", name, l.Completed, l.Latency.Buckets, want)
		}
	}
	if n := win["short"].Completed + win["long"].Completed; n < 700 {
		t.Errorf("only %d completed in the window", n)
	}
}

// TestClassRenamedInPlaceKeepsItsFigures: renaming a class (its old name
// gone, its new one new) keeps its counts; removing a class ends its
// figures, and its requests in flight count in the total only.
func TestClassRenamedInPlaceKeepsItsFigures(t *testing.T) {
	_, life := classFigures(t, func(next *topology.Topology) { next.Workload.Requests[1].Name = "slow" })
	if life["slow"].Completed < 350 || life["short"].Completed < 350 {
		t.Errorf("after a rename: %+v; want the long class's whole run as slow's", life)
	}
	if _, ok := life["long"]; ok {
		t.Errorf("the old name still has figures: %+v", life)
	}
	_, life = classFigures(t, func(next *topology.Topology) { next.Workload.Requests = next.Workload.Requests[:1] })
	if len(life) != 1 || life["short"].Latency.Buckets[3] != life["short"].Completed {
		t.Errorf("after removing long: %+v; want only short, all at 10 ms", life)
	}
}

func TestClassMap(t *testing.T) {
	cl := func(names ...string) []topology.RequestClass {
		var out []topology.RequestClass
		for _, n := range names {
			out = append(out, topology.RequestClass{Name: n})
		}
		return out
	}
	for _, tc := range []struct {
		old, new []string
		want     []int32
	}{
		{[]string{"a", "b"}, []string{"a", "b"}, []int32{0, 1}},
		{[]string{"a", "b"}, []string{"b", "a"}, []int32{1, 0}},
		{[]string{"a", "b"}, []string{"a", "c"}, []int32{0, 1}},                         // b renamed c
		{[]string{"a", "b"}, []string{"b"}, []int32{goneClass, 0}},                      // a removed
		{[]string{"a", "b"}, []string{"c", "a", "b"}, []int32{1, 2}},                    // c added first
		{[]string{"a", "b", "c"}, []string{"b", "x"}, []int32{goneClass, 0, goneClass}}, // x is new: b, still there, was at its place
	} {
		got := classMap(cl(tc.old...), cl(tc.new...))
		if !slices.Equal(got, tc.want) {
			t.Errorf("classMap(%v, %v) = %v, want %v", tc.old, tc.new, got, tc.want)
		}
	}
}

const oneClass = `
seed: 3
workload:
  rate: 20
  requests:
    - name: short
      steps: [{io: 10ms}]
app: {workers: 200, backlog: 100}
`

// TestOneClassSharesTheTotals: with one class, its figures are the
// window's and the whole run's, which it shares rather than recording
// twice; a live edit that adds a class gives it figures of its own from
// then on, in which the class added later counts not at all. Every
// latency of a class is its io time, so a class credited with the
// other's requests shows it in its max.
func TestOneClassSharesTheTotals(t *testing.T) {
	s, err := New(parse(t, oneClass), Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Advance(20 * time.Second)
	sum := s.Summary()
	if c := sum.Classes[0]; c.Completed != sum.Window.Completed || c.LatencyMs != sum.LatencyMs || c.Completed == 0 {
		t.Fatalf("one class: %+v, window %d completed, latency %+v", c, sum.Window.Completed, sum.LatencyMs)
	}
	if l := s.Snapshot().Life; l.Classes[0].Latency != l.Latency || l.Classes[0].Completed != l.Latency.Count {
		t.Fatalf("one class over the run: %+v, total %+v", l.Classes[0], l.Latency)
	}
	before := sum.Window.Completed
	next := s.Topology().Clone()
	next.Workload.Requests = append(next.Workload.Requests, parse(t, twoClasses).Workload.Requests[1])
	if err := s.Apply(next); err != nil {
		t.Fatal(err)
	}
	s.Advance(40 * time.Second)
	sum = s.Summary()
	short, long := sum.Classes[0], sum.Classes[1]
	if short.LatencyMs.Max != 10 || long.LatencyMs.P50 != 2000 || long.LatencyMs.Max != 2000 {
		t.Errorf("short %+v, long %+v: each class's latency must be its io time", short.LatencyMs, long.LatencyMs)
	}
	if short.Completed+long.Completed != sum.Window.Completed || short.Completed <= before || long.Completed == 0 {
		t.Errorf("short %d + long %d completed, window %d (%d before the edit)", short.Completed, long.Completed, sum.Window.Completed, before)
	}
	life := s.Snapshot().Life
	ls, ll := life.Classes[0].Latency, life.Classes[1].Latency
	if ls.Count+ll.Count != life.Latency.Count || ls.Count != short.Completed || ll.Count != long.Completed {
		t.Errorf("over the run: short %d + long %d, total %d", ls.Count, ll.Count, life.Latency.Count)
	}
	for i := range ls.Buckets {
		if ls.Buckets[i]+ll.Buckets[i] != life.Latency.Buckets[i] || (ls.Buckets[i] > 0 && LatencyBounds[i] != 0.01) {
			t.Errorf("bucket %d: short %d + long %d, total %d", i, ls.Buckets[i], ll.Buckets[i], life.Latency.Buckets[i])
		}
	}
}

// TestRemovedClassLeavesTheOneClassAlone: after an edit removes a class
// and a new window begins, the one class left shares the window's
// latencies, until a request of the removed class, in flight across the
// edit, completes: it counts in the window and not in the class.
func TestRemovedClassLeavesTheOneClassAlone(t *testing.T) {
	s, err := New(parse(t, twoClasses), Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Advance(20 * time.Second)
	next := s.Topology().Clone()
	next.Workload.Requests = next.Workload.Requests[:1]
	if err := s.Apply(next); err != nil {
		t.Fatal(err)
	}
	s.ResetStats()
	gone := 0
	for i := range s.reqs {
		// an attempt its client waits for, with a record or its own
		if r := &s.reqs[i]; r.state != stFree && r.lid != -1 && r.class == goneClass {
			gone++
		}
	}
	if gone == 0 {
		t.Fatal("no request of the removed class in flight: the test tests nothing")
	}
	s.Advance(25 * time.Second)
	sum := s.Summary()
	c := sum.Classes[0]
	if c.LatencyMs.Max != 10 || c.Completed+uint64(gone) != sum.Window.Completed || sum.LatencyMs.Max != 2000 {
		t.Errorf("class %+v, %d of the removed class in flight; window %d completed, latency %+v", c, gone, sum.Window.Completed, sum.LatencyMs)
	}
}
