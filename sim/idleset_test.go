package sim

import (
	"strconv"
	"testing"
	"time"
)

// checkIdleSets asserts that every scheduler's set of idle cores is the
// cores that are usable and not busy, and its count their number.
func checkIdleSets(t *testing.T, s *Sim, when string) {
	t.Helper()
	check := func(what string, cs *cpuSched) {
		n := 0
		for i := range cs.cores[:cs.usable] {
			in := cs.idleSet[i/64]&(1<<(i%64)) != 0
			if in == cs.cores[i].busy {
				t.Fatalf("%s: %s core %d: busy %v but in the idle set %v", when, what, i, cs.cores[i].busy, in)
			}
			if in {
				n++
			}
		}
		if n != cs.idle {
			t.Fatalf("%s: %s: %d idle cores counted, %d in the set", when, what, cs.idle, n)
		}
	}
	for ni, n := range s.nodes {
		check("node "+strconv.Itoa(ni+1), &n.cs)
	}
	for i := range s.stations {
		if st := &s.stations[i]; i >= sidDB {
			check(st.name, &st.db.cs)
		}
	}
}

// TestIdleCoreSets runs threads workers under the GIL on time-sliced
// cores, and a time-sliced database, through changes of their cores,
// a node down and back and a database failure, checking the sets of
// idle cores after every event.
func TestIdleCoreSets(t *testing.T) {
	s, err := New(parse(t, `
workload: {rate: 30000, requests: [{steps: [{cpu: exp(40us)}, {db: exp(30us)}, {cpu: exp(20us)}]}]}
app: {nodes: 2, workers: 3, cores: 70, model: threads, concurrency: 6, switch_interval: 50us, slice: 20us, tick: 0s, switch_cost: 2us, backlog: unlimited}
db: {cores: 3, slice: 20us, tick: 0s}
events:
  - {at: 20ms, set: {app.cores: 2}}
  - {at: 40ms, for: 20ms, node_down: 1}
  - {at: 70ms, set: {app.cores: 66}}
  - {at: 80ms, set: {db.cores: 1}}
  - {at: 85ms, primary: down, failover: 5ms}
`), Options{})
	if err != nil {
		t.Fatal(err)
	}
	end := 100 * time.Millisecond
	for !s.AdvanceBudget(end, 1) {
		checkIdleSets(t, s, s.Now().String())
	}
	checkIdleSets(t, s, "the end")
	if s.Events() < 5000 {
		t.Fatalf("only %d events: the test exercised little", s.Events())
	}
}
