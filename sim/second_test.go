package sim

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

// fillCounts sets every number in v (a Counts, nested structs included)
// to next(), in field order.
func fillCounts(v reflect.Value, next func() uint64) {
	for i := 0; i < v.NumField(); i++ {
		f := v.Field(i)
		switch f.Kind() {
		case reflect.Struct:
			fillCounts(f, next)
		case reflect.Uint64, reflect.Uint32, reflect.Uint, reflect.Int, reflect.Int64:
			f.SetUint(next())
		case reflect.Float64:
			f.SetFloat(float64(next()))
		default:
			panic("Counts has a field of kind " + f.Kind().String() + ": teach fillCounts and minus about it")
		}
	}
}

// TestCountsMinusCoversEveryField: a count added to Counts is also
// subtracted in the per-second rows (InFlight and Logical.Waiting,
// levels, are kept).
func TestCountsMinusCoversEveryField(t *testing.T) {
	var a, b Counts
	k := uint64(100)
	fillCounts(reflect.ValueOf(&a).Elem(), func() uint64 { k += 3; return k })
	fillCounts(reflect.ValueOf(&b).Elem(), func() uint64 { return 1 })
	d := a.minus(b)
	var want Counts
	k = 100
	fillCounts(reflect.ValueOf(&want).Elem(), func() uint64 { k += 3; return k - 1 })
	want.InFlight, want.Logical.Waiting = a.InFlight, a.Logical.Waiting
	if d != want {
		t.Fatalf("a.minus(b) = %+v, want %+v: a field is not subtracted", d, want)
	}
}

// TestSecondsAddUpToTheRun: the rows of a run, one per simulated second,
// add up to the whole run's counts, each conserves requests with the
// requests in flight at its ends, and a node taken down is counted so.
func TestSecondsAddUpToTheRun(t *testing.T) {
	var rows []Second
	s, err := New(parse(t, mixed), Options{Warmup: 2 * time.Second, OnSecond: func(r Second) { rows = append(rows, r) }})
	if err != nil {
		t.Fatal(err)
	}
	s.Advance(5 * time.Second)
	s.SetNodeUp(1, false)
	s.Advance(10 * time.Second)
	if len(rows) != 10 {
		t.Fatalf("%d rows in 10s", len(rows))
	}
	var sum Counts
	var inFlight uint64
	var busy [5]bool
	for i, r := range rows {
		if r.T != float64(i+1) {
			t.Fatalf("row %d ends at %vs", i, r.T)
		}
		if r.Arrived+inFlight != r.Completed+r.Dropped+r.Failed+r.InFlight {
			t.Fatalf("second %v: %d arrived + %d in flight before != %d completed + %d dropped + %d failed + %d in flight after",
				r.T, r.Arrived, inFlight, r.Completed, r.Dropped, r.Failed, r.InFlight)
		}
		inFlight = r.InFlight
		sum = Counts{Arrived: sum.Arrived + r.Arrived, Completed: sum.Completed + r.Completed,
			Dropped: sum.Dropped + r.Dropped, Failed: sum.Failed + r.Failed,
			FailedBy: FailCauses{NodeDown: sum.FailedBy.NodeDown + r.FailedBy.NodeDown}}
		if r.Completed > 0 && (r.P50Ms <= 0 || r.P99Ms < r.P50Ms) {
			t.Fatalf("second %v: p50 %v p99 %v", r.T, r.P50Ms, r.P99Ms)
		}
		// a second may be idle (harakiri can kill every worker of the
		// node left, respawning for a whole second), but none is more
		// than busy, and each station is busy in some second
		for k, u := range []float64{r.App.Util, r.CPU.Util, r.DB.Util, r.Cache.Util, r.Offload.Util} {
			if u < 0 || u > 1 {
				t.Fatalf("second %v: station %d reads utilisation %v: %+v", r.T, k, u, r)
			}
			busy[k] = busy[k] || u > 0
		}
		up := 2
		if r.T > 5 {
			up = 1
		}
		if r.NodesUp != up || r.NodesBooting != 0 {
			t.Fatalf("second %v: %d nodes up, %d booting; want %d up", r.T, r.NodesUp, r.NodesBooting, up)
		}
	}
	if busy != [5]bool{true, true, true, true, true} {
		t.Errorf("stations (app, cpu, db, cache, offload) busy in some second: %v; all are in the topology", busy)
	}
	tot := s.Totals()
	if sum.Arrived != tot.Arrived || sum.Completed != tot.Completed || sum.Dropped != tot.Dropped || sum.Failed != tot.Failed {
		t.Fatalf("the rows add up to %+v, the run counts %+v", sum, tot)
	}
	if rows[5].FailedBy.NodeDown == 0 || sum.FailedBy.NodeDown != rows[5].FailedBy.NodeDown {
		t.Fatalf("the node's requests failed in the second it went down: %d of %d", rows[5].FailedBy.NodeDown, sum.FailedBy.NodeDown)
	}
	// the dashboard's series are the same rows
	ser := s.Snapshot().Series
	for i, r := range rows {
		if ser.Arrivals[i] != float64(r.Arrived) || ser.P99Ms[i] != r.P99Ms || ser.Stations[0].Queue[i] != r.App.Queue {
			t.Fatalf("second %v: the series and the row differ", r.T)
		}
	}
}

// TestSecondsCarryTheirMarks: a change applied within a second, by the
// timeline or by Do, is in that second's row and no other.
func TestSecondsCarryTheirMarks(t *testing.T) {
	var rows []Second
	s, err := New(parse(t, `
workload: {rate: 100, requests: [{steps: [{cpu: exp(2ms)}]}]}
app: {nodes: 2}
events:
  - {at: 2500ms, set: {workload.rate: 200}}
  - {at: 2700ms, say: the sale opens}
`), Options{OnSecond: func(r Second) { rows = append(rows, r) }})
	if err != nil {
		t.Fatal(err)
	}
	s.Advance(4200 * time.Millisecond)
	s.SetNodeUp(1, false)
	s.Advance(6 * time.Second)
	for i, r := range rows {
		var texts []string
		for _, m := range r.Marks {
			texts = append(texts, m.Text)
		}
		got := strings.Join(texts, " | ")
		want := map[int]string{2: "workload.rate 100 → 200 | the sale opens", 4: "node 2 down: its requests failed"}[i]
		if got != want {
			t.Errorf("second %v: marks %q, want %q", r.T, got, want)
		}
	}
}
