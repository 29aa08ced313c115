package sim

import (
	"testing"
	"time"
)

func TestHarakiriKillsTheWholeWorker(t *testing.T) {
	// A gevent worker of 100 greenlets holds about ten quick requests
	// (500 ms of io each, 20/s) when a stuck one (10 s of io, one in 20)
	// passes the 2 s timeout: the master kills the process, and every
	// request in it fails with the stuck one. So the requests failed by
	// the timeout are several times the workers killed, where killing the
	// stuck request alone would fail one per kill.
	s := simulate(t, parse(t, `
workload:
  rate: 20
  requests:
    - {name: quick, share: 19, steps: [{io: 500ms}]}
    - {name: stuck, share: 1, steps: [{io: 10s}]}
app: {workers: 1, model: gevent, concurrency: 100, timeout: 2s, respawn: 1s}
`), 10*time.Second, 200*time.Second)
	checkActivities(t, s)
	kills, failed := s.timeouts, s.Totals().FailedBy.Timeout
	t.Logf("%d harakiri kills failed %d requests", kills, failed)
	if kills == 0 {
		t.Fatal("no harakiri")
	}
	if failed < 5*kills {
		t.Errorf("%d harakiri kills failed %d requests: each should take the worker's other requests with it", kills, failed)
	}
	// while it respawns, requests wait in the backlog: the quick ones'
	// p99 is well beyond their 500 ms
	if q := s.Summary().Classes[0].LatencyMs; q.P99 < 600 {
		t.Errorf("quick requests' p99 %.0f ms: the respawn should hold some back", q.P99)
	}
}

func TestHarakiriChecksOnceASecond(t *testing.T) {
	// One sync worker and one user whose request waits 3 s on io; the
	// timeout is 1 s. The master looks once a second, in whole seconds:
	// a request that started at t is killed at the first whole second
	// past t + 1 s, never at the exact deadline, and the worker is back
	// 0.5 s after. (So a request of 1.8 s that started at 0 is not
	// killed at all: it is done before the check at 2 s.)
	s, err := New(parse(t, `
workload: {users: 1, requests: [{steps: [{io: 3s}]}]}
app: {workers: 1, timeout: 1s, respawn: 500ms}
`), Options{})
	if err != nil {
		t.Fatal(err)
	}
	// the first request starts at 0 and is killed at 2s (1s is not past
	// its deadline); the user's next waits for the respawn at 2.5s, is
	// killed at 4s; and so on: one kill every 2 s
	s.Advance(2*time.Second - 1)
	if s.timeouts != 0 {
		t.Fatalf("killed before the master's check at 2s")
	}
	s.Advance(2 * time.Second)
	if s.timeouts != 1 {
		t.Fatalf("%d kills at 2s, want 1", s.timeouts)
	}
	s.Advance(20 * time.Second)
	if s.timeouts != 10 {
		t.Errorf("%d kills in 20s, want 10 (one every 2 s)", s.timeouts)
	}
	checkNodes(t, s)
}
