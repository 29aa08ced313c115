package sim

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"scalesim/topology"
)

const changeBase = `
workload:
  rate: 200
  requests:
    - name: page
      steps: [{cpu: 2ms}, {cache: {miss: [{io: 4ms}]}}, {db: 1ms}, {offload: 1ms}]
app: {nodes: 2, cores: 2, workers: 4}
db: {cores: 4}
cache: {keys: {count: 100, capacity: 100}}
offload: {}
stock: {quantity: 100}
`

func newSim(t *testing.T, text string) *Sim {
	t.Helper()
	s, err := New(parse(t, text), Options{})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func stationService(s *Sim, name string) float64 {
	for _, st := range s.Summary().Stations {
		if st.Name == name {
			return st.ServiceMsMean
		}
	}
	return -1
}

// Do applies each action now, says what it did, marks it, and refuses a
// change it cannot apply without changing anything.
func TestDoEachAction(t *testing.T) {
	s := newSim(t, changeBase)
	s.Advance(2 * time.Second)
	do := func(c topology.Change, want string) {
		t.Helper()
		c.Source = "test"
		got, err := s.Do(c)
		if err != nil {
			t.Fatalf("%s: %v", c, err)
		}
		if !strings.Contains(got, want) {
			t.Errorf("%s: %q, want it to say %q", c, got, want)
		}
		marks := s.Marks()
		if m := marks[len(marks)-1]; m.Text != got || m.At != s.Now() || m.Source != "test" {
			t.Errorf("%s: last mark %+v", c, m)
		}
	}
	do(topology.Change{Action: topology.ActSet, Path: "app.workers", Value: "6"}, "app.workers 4 → 6")
	if s.Topology().App.Workers != 6 {
		t.Error("workers not set")
	}
	do(topology.Change{Action: topology.ActSet, Path: "workload.requests[page].steps[0].cpu", Value: "exp(3ms)"}, "workload.requests[page].steps[0].cpu 2ms → exp(3ms)")
	do(topology.Change{Action: topology.ActNodeDown, Node: 2}, "node 2 down")
	if s.Snapshot().Nodes[1].Up {
		t.Error("node 2 still up")
	}
	do(topology.Change{Action: topology.ActNodeUp, Node: 2}, "node 2 back up")
	do(topology.Change{Action: topology.ActSay, Text: "the sale opens"}, "the sale opens")
	if c := s.Snapshot().Caption; c.Text != "the sale opens" || c.At != s.Now() {
		t.Errorf("caption %+v", c)
	}
	do(topology.Change{Action: topology.ActReconcile}, "stock reconciled")

	// a stopped cache: every read a miss, no cache operation
	s.Advance(4 * time.Second)
	do(topology.Change{Action: topology.ActCacheStop}, "cache stopped")
	s.ResetStats()
	s.Advance(6 * time.Second)
	sum := s.Summary()
	if sum.Cache.Hits != 0 || sum.Cache.Misses == 0 {
		t.Errorf("stopped cache: %d hits, %d misses", sum.Cache.Hits, sum.Cache.Misses)
	}
	for _, st := range sum.Stations {
		if st.Name == "cache" && st.Arrivals != 0 {
			t.Errorf("a stopped cache served %d operations", st.Arrivals)
		}
	}
	do(topology.Change{Action: topology.ActCacheStart}, "cache started, empty")
	s.ResetStats()
	s.Advance(8 * time.Second)
	if sum := s.Summary(); sum.Cache.Hits == 0 {
		t.Error("a started cache never hits")
	}
	do(topology.Change{Action: topology.ActCacheFlush}, "cache flushed")
	if sum := s.Summary(); sum.Cache.Keys != 0 {
		t.Errorf("flushed cache holds %d keys", sum.Cache.Keys)
	}

	// slow: the constant service times of each tier times the factor
	s.Advance(10 * time.Second)
	s.ResetStats()
	s.Advance(14 * time.Second)
	dbBefore, offBefore := stationService(s, "db"), stationService(s, "offload")
	do(topology.Change{Action: topology.ActSlow, Tier: "db", Factor: 3}, "db 3x slower")
	do(topology.Change{Action: topology.ActSlow, Tier: "offload", Factor: 2}, "offload 2x slower")
	s.Advance(16 * time.Second) // let the queries started before drain
	s.ResetStats()
	s.Advance(20 * time.Second)
	if got := stationService(s, "db"); got < 2.99*dbBefore || got > 3.01*dbBefore {
		t.Errorf("db service %.3fms, want 3 × %.3fms", got, dbBefore)
	}
	if got := stationService(s, "offload"); got < 1.99*offBefore || got > 2.01*offBefore {
		t.Errorf("offload service %.3fms, want 2 × %.3fms", got, offBefore)
	}
	do(topology.Change{Action: topology.ActSlow, Tier: "db", Factor: 1}, "db at normal speed")
	checkConservation(t, s)
}

func TestDoRefusesAndChangesNothing(t *testing.T) {
	s := newSim(t, strings.NewReplacer("cache: {keys: {count: 100, capacity: 100}}\n", "", "{cache: {miss: [{io: 4ms}]}}, ", "").Replace(changeBase))
	s.Advance(time.Second)
	before, _ := topology.Marshal(s.Topology())
	marks := len(s.Marks())
	for _, tt := range []struct {
		c    topology.Change
		want string
	}{
		{topology.Change{Action: topology.ActSet, Path: "app.workers", Value: "0"}, "app.workers = 0: must be between 1 and"},
		{topology.Change{Action: topology.ActSet, Path: "app.wrokers", Value: "3"}, `did you mean "workers"?`},
		{topology.Change{Action: topology.ActNodeDown, Node: 3}, "no app node 3: there are 2"},
		{topology.Change{Action: topology.ActCacheFlush}, "there is no cache"},
		{topology.Change{Action: topology.ActSlow, Tier: "cache", Factor: 2}, "there is no cache"},
		{topology.Change{Action: topology.ActSlow, Tier: "disk", Factor: 2}, `unknown tier "disk"`},
		{topology.Change{Action: topology.ActSlow, Tier: "db", Factor: -1}, "greater than 0"},
	} {
		_, err := s.Do(tt.c)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want %q", tt.c, err, tt.want)
		}
	}
	after, _ := topology.Marshal(s.Topology())
	if string(before) != string(after) || len(s.Marks()) != marks {
		t.Error("a refused change changed the simulation")
	}
}

const timelineFile = `
workload:
  rate: 100
  requests: [{steps: [{cpu: exp(2ms)}, {db: exp(1ms)}]}]
app: {nodes: 2, cores: 2, workers: 2}
events:
  - {at: 3s, say: more workers}
  - {at: 1500000001ns, for: 2s, set: {app.workers: 6}}
  - {at: 2s, for: 1s, node_down: 2}
  - {at: 4s, for: 1s, slow: {db: 4}}
`

// A timeline change takes effect at exactly its time, the nanosecond,
// and for: undoes it exactly For later.
func TestTimelineAtItsTime(t *testing.T) {
	s := newSim(t, timelineFile)
	at := time.Duration(1500000001)
	if n := s.Next(); len(n) != 3 || n[0].At != at || n[0].Text != "app.workers = 6" || n[1].Text != "node 2 down" || n[2].Text != "more workers" {
		t.Errorf("Next at the start: %+v", n)
	}
	s.Advance(at - 1)
	if s.topo.App.Workers != 2 || len(s.Marks()) != 0 {
		t.Fatalf("applied before its time: workers %d", s.topo.App.Workers)
	}
	s.Advance(at)
	if s.topo.App.Workers != 6 {
		t.Fatalf("not applied at its time")
	}
	if m := s.Marks(); len(m) != 1 || m[0].At != at || m[0].Source != topology.SourceTimeline || m[0].Text != "app.workers 2 → 6" {
		t.Errorf("marks %+v", m)
	}
	s.Advance(2*time.Second - 1)
	if !s.Snapshot().Nodes[1].Up {
		t.Error("node 2 down early")
	}
	s.Advance(2 * time.Second)
	if s.Snapshot().Nodes[1].Up {
		t.Error("node 2 not down at 2s")
	}
	s.Advance(3*time.Second - 1)
	if s.Snapshot().Nodes[1].Up {
		t.Error("node 2 up early")
	}
	s.Advance(3 * time.Second)
	if !s.Snapshot().Nodes[1].Up || s.Caption().Text != "more workers" {
		t.Error("node 2 not back, or no caption, at 3s")
	}
	s.Advance(at + 2*time.Second - 1)
	if s.topo.App.Workers != 6 {
		t.Error("undone early")
	}
	s.Advance(at + 2*time.Second)
	if s.topo.App.Workers != 2 {
		t.Errorf("not undone at At+For: workers %d", s.topo.App.Workers)
	}
	s.Advance(4 * time.Second)
	if s.tl.slow[tierDB] != 4 {
		t.Error("db not slowed at 4s")
	}
	s.Advance(5 * time.Second)
	if s.tl.slow[tierDB] != 1 {
		t.Error("db not restored at 5s")
	}
	if n := s.Next(); len(n) != 0 {
		t.Errorf("Next after the timeline: %+v", n)
	}
	var texts []string
	for _, m := range s.Marks() {
		texts = append(texts, m.Text)
	}
	// at 3s: the file's own events first, then the undos of for:
	want := "app.workers 2 → 6|node 2 down: its requests failed|more workers|node 2 back up|app.workers 6 → 2|db 4x slower|db at normal speed"
	if got := strings.Join(texts, "|"); got != want {
		t.Errorf("marks\n%s\nwant\n%s", got, want)
	}
	checkConservation(t, s)
}

// The end of a say: with for: clears its caption, not a later one.
func TestSayForKeepsALaterCaption(t *testing.T) {
	s := newSim(t, `
workload: {rate: 10, requests: [{steps: [{cpu: 1ms}]}]}
app: {}
events:
  - {at: 1s, for: 2s, say: first}
  - {at: 4s, for: 2s, say: second}
  - {at: 5s, say: third}
`)
	for _, tt := range []struct {
		at   time.Duration
		want string
	}{{time.Second, "first"}, {3 * time.Second, ""}, {4 * time.Second, "second"}, {5 * time.Second, "third"}, {7 * time.Second, "third"}} {
		s.Advance(tt.at)
		if got := s.Caption().Text; got != tt.want {
			t.Errorf("at %v: caption %q, want %q", tt.at, got, tt.want)
		}
	}
}

// A scheduled change does not restart the measured window.
func TestTimelineKeepsTheWindow(t *testing.T) {
	s, err := New(parse(t, timelineFile), Options{Warmup: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	s.Advance(6 * time.Second)
	if sum := s.Summary(); sum.WarmupS != 1 || sum.DurationS != 5 {
		t.Errorf("window %gs from %gs, want 5s from 1s", sum.DurationS, sum.WarmupS)
	}
}

// The same run with its timeline, advanced in one call or in thousands
// of slices with a snapshot and a summary after each, ends the same.
func TestTimelineSlicingInvariance(t *testing.T) {
	run := func(slices int) []byte {
		s := newSim(t, timelineFile)
		end := 6 * time.Second
		for i := 1; i <= slices; i++ {
			s.Advance(end * time.Duration(i) / time.Duration(slices))
			if slices > 1 {
				_ = s.Snapshot()
				_ = s.Summary()
			}
		}
		snap := s.Snapshot()
		out, err := json.Marshal(struct {
			Sum   Summary
			Ser   Series
			Marks []Mark
			Ph    []Phase
		}{s.Summary(), snap.Series, snap.Marks, s.Phases()})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	one := run(1)
	if many := run(3000); string(one) != string(many) {
		t.Errorf("sliced run differs:\n%s\n%s", one, many)
	}
}

// A primary down fails the queries it holds and refuses new ones while
// reads go on on the replica; after the failover delay the replica takes
// the writes, and the old primary comes back as a replica.
func TestPrimaryDownAndFailover(t *testing.T) {
	s := newSim(t, `
workload:
  rate: 200
  requests:
    - {name: w, steps: [{write: exp(2ms)}]}
    - {name: r, steps: [{read: exp(2ms)}]}
app: {nodes: 1, cores: 4, workers: 16}
db: {cores: 2, replicas: 1}
`)
	s.Advance(2 * time.Second)
	msg, err := s.Do(topology.Change{Action: topology.ActPrimaryDown, Failover: 5 * time.Second, Source: "test"})
	if err != nil || !strings.Contains(msg, "primary down") || !strings.Contains(msg, "a replica takes over in 5s") {
		t.Fatalf("%q, %v", msg, err)
	}
	before := s.Totals()
	s.Advance(7*time.Second - 1)
	down := s.Totals()
	if f := down.FailedBy.DBDown - before.FailedBy.DBDown; f < 400 {
		t.Errorf("%d writes failed in 5s with the primary down, want about 500", f)
	}
	if c := down.Completed - before.Completed; c < 400 || c > 600 {
		t.Errorf("%d requests completed in 5s with the primary down, want the reads: about 500", c)
	}
	s.Advance(7 * time.Second)
	if m := s.Marks(); m[len(m)-1].Text != "failover: primary.replica1 promoted to primary" || m[len(m)-1].At != 7*time.Second {
		t.Errorf("last mark %+v", m[len(m)-1])
	}
	s.Advance(12 * time.Second)
	after := s.Totals()
	if f := after.FailedBy.DBDown - down.FailedBy.DBDown; f > 5 {
		t.Errorf("%d queries failed after the failover", f)
	}
	if c := after.Completed - down.Completed; c < 900 {
		t.Errorf("%d requests completed in the 5s after the failover, want about 1000", c)
	}
	msg, err = s.Do(topology.Change{Action: topology.ActPrimaryUp})
	if err != nil || msg != "primary.replica1 back up" {
		t.Errorf("primary up: %q, %v", msg, err)
	}
	checkConservation(t, s)

	// without a failover, or without a replica, the shard waits
	s2 := newSim(t, "workload: {rate: 50, requests: [{steps: [{write: 1ms}]}]}\napp: {}\n")
	s2.Do(topology.Change{Action: topology.ActPrimaryDown, Failover: time.Second})
	s2.Advance(2 * time.Second)
	if m := s2.Marks(); m[len(m)-1].Text != "failover of shard 1 impossible: no replica is up; it waits for its primary" {
		t.Errorf("marks %+v", m)
	}
	if s2.Totals().Completed != 0 {
		t.Error("a write completed with no primary")
	}
	s2.Do(topology.Change{Action: topology.ActPrimaryUp})
	s2.Advance(3 * time.Second)
	if s2.Totals().Completed < 30 {
		t.Error("writes did not resume with the primary back")
	}
}

// Every stock strategy survives its primary going down and coming back:
// buyers' queries fail, the redis strategy's order writers wait, and
// nothing is lost or counted twice.
func TestPrimaryDownUnderASale(t *testing.T) {
	for _, strategy := range []string{"naive", "row_lock", "optimistic", "atomic", "redis"} {
		s := newSim(t, `
workload: {rate: 300, requests: [{steps: [{cpu: exp(1ms)}, {buy: exp(1ms)}]}]}
app: {cores: 4, workers: 8}
db: {cores: 4, replicas: 1}
cache: {}
stock: {quantity: 100000, strategy: `+strategy+`}
`)
		s.Advance(time.Second)
		s.Do(topology.Change{Action: topology.ActPrimaryDown, Failover: time.Second})
		s.Advance(3 * time.Second)
		s.Do(topology.Change{Action: topology.ActPrimaryDown})
		s.Advance(4 * time.Second)
		s.Do(topology.Change{Action: topology.ActPrimaryUp})
		s.Advance(6 * time.Second)
		checkConservation(t, s)
		st := s.Summary().Stock
		if st == nil {
			t.Fatalf("%s: no stock summary", strategy)
		}
		if strategy != "naive" && strategy != "optimistic" && st.Oversold != 0 {
			t.Errorf("%s: oversold %d across the outage", strategy, st.Oversold)
		}
		if strategy == "redis" && st.OrdersQueued > 100 {
			t.Errorf("redis: %d orders still queued 2s after the primary came back", st.OrdersQueued)
		}
	}
}

// The measured window is cut at the timeline's times; the phases add up
// to the window, and each is labelled with what changed at its start.
func TestPhases(t *testing.T) {
	s, err := New(parse(t, timelineFile), Options{Warmup: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	s.Advance(6 * time.Second)
	ph := s.Phases()
	var got []string
	var sum Counts
	for _, p := range ph {
		got = append(got, strings.TrimSuffix(strings.TrimSuffix(time.Duration(p.FromS*1e9).String(), "0s"), "0s")+" "+p.Label)
		sum.Arrived += p.Requests.Arrived
		sum.Completed += p.Requests.Completed
		sum.Failed += p.Requests.Failed
	}
	want := []string{"1s ", "1.500000001s app.workers 2 → 6", "2s node 2 down: its requests failed", "3s more workers; node 2 back up",
		"3.500000001s app.workers 6 → 2", "4s db 4x slower", "5s db at normal speed"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("phases\n%q\nwant\n%q", got, want)
	}
	if last := ph[len(ph)-1]; last.ToS != 6 {
		t.Errorf("the last phase ends at %gs", last.ToS)
	}
	w := s.Summary().Window
	if sum.Arrived != w.Arrived || sum.Completed != w.Completed || sum.Failed != w.Failed {
		t.Errorf("phases add up to %+v, the window is %+v", sum, w)
	}
	// latency per phase: the db 4x slower phase is slower than the next
	if ph[5].LatencyMs.Mean <= ph[6].LatencyMs.Mean {
		t.Errorf("slow db phase mean %.2fms, after it %.2fms", ph[5].LatencyMs.Mean, ph[6].LatencyMs.Mean)
	}
}

// A change of the Source named by Options.WindowOn starts a new measured
// window where it applies, as a dashboard key does; the timeline's own
// changes do not.
func TestWindowOnSource(t *testing.T) {
	top := parse(t, timelineFile)
	for i := range top.Events {
		for j := range top.Events[i].Changes {
			top.Events[i].Changes[j].Source = "replay"
		}
	}
	var last time.Duration // the last change: an event's, or its undo's
	for _, e := range top.Events {
		last = max(last, e.At+e.For)
	}
	s, err := New(top, Options{WindowOn: "replay"})
	if err != nil {
		t.Fatal(err)
	}
	end := last + 3*time.Second
	s.Advance(end)
	if got, want := s.Summary().DurationS, (end - last).Seconds(); got != want {
		t.Errorf("with WindowOn the window is %gs, want %gs: since the change at %v", got, want, last)
	}
	s, err = New(top, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Advance(end)
	if got := s.Summary().DurationS; got != end.Seconds() {
		t.Errorf("without WindowOn the window is %gs, want the whole %gs", got, end.Seconds())
	}
}
