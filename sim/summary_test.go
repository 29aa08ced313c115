package sim

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"
)

// checkCauses asserts that the causes of drops and failures add up to
// the drops and failures, over the whole run and in the window.
func checkCauses(t *testing.T, sum Summary) {
	t.Helper()
	for _, c := range []Counts{sum.Requests, sum.Window} {
		d, f := c.DroppedBy, c.FailedBy
		if d.BacklogFull+d.InFlightCap != c.Dropped {
			t.Errorf("drops by cause %+v do not add up to %d", d, c.Dropped)
		}
		if f.Timeout+f.NodeDown+f.NoNodeUp+f.DBRefused+f.DBDown+f.GaveUp != c.Failed {
			t.Errorf("failures by cause %+v do not add up to %d", f, c.Failed)
		}
	}
}

func TestDropsAndFailuresByCause(t *testing.T) {
	run := func(text string, opt Options, d time.Duration, then func(s *Sim)) Summary {
		t.Helper()
		s, err := New(parse(t, text), opt)
		if err != nil {
			t.Fatal(err)
		}
		s.Advance(d)
		if then != nil {
			then(s)
			s.Advance(s.Now() + d)
		}
		checkConservation(t, s)
		sum := s.Summary()
		checkCauses(t, sum)
		return sum
	}
	overload := `
workload: {rate: 1000, requests: [{steps: [{cpu: exp(10ms)}]}]}
app: {cores: 1, workers: 1, backlog: %s}
`
	backlog := run(fmt.Sprintf(overload, "5"), Options{}, 5*time.Second, nil)
	if backlog.Requests.DroppedBy.BacklogFull == 0 || backlog.Requests.DroppedBy.InFlightCap != 0 {
		t.Errorf("a full backlog: %+v", backlog.Requests)
	}
	capped := run(fmt.Sprintf(overload, "unlimited"), Options{MaxInFlight: 100}, 5*time.Second, nil)
	if capped.Requests.DroppedBy.InFlightCap == 0 || capped.Requests.DroppedBy.BacklogFull != 0 || capped.InFlightCap != 100 {
		t.Errorf("the in-flight cap: cap %d, %+v", capped.InFlightCap, capped.Requests)
	}
	if backlog.InFlightCap != DefaultMaxInFlight {
		t.Errorf("default cap %d", backlog.InFlightCap)
	}

	timeouts := run(`
workload: {rate: 50, requests: [{steps: [{io: exp(100ms)}]}]}
app: {cores: 1, workers: 4, model: threads, concurrency: 10, backlog: unlimited, timeout: 100ms}
`, Options{}, 5*time.Second, nil)
	if f := timeouts.Requests.FailedBy; f.Timeout == 0 || f.Timeout != timeouts.Requests.Failed {
		t.Errorf("timeouts: %+v", timeouts.Requests)
	}

	down := run(`
workload: {rate: 200, requests: [{steps: [{io: 100ms}]}]}
app: {cores: 1, workers: 1, model: gevent, concurrency: 100, backlog: unlimited}
`, Options{}, time.Second, func(s *Sim) { s.SetNodeUp(0, false) })
	if f := down.Requests.FailedBy; f.NodeDown == 0 || f.NoNodeUp == 0 {
		t.Errorf("a node down: %+v", down.Requests)
	}

	refused := run(`
workload: {users: 150, think: 1s, requests: [{steps: [{db: 1ms}, {io: 10s}]}]}
app: {cores: 4, workers: 1, model: gevent, concurrency: 1000, backlog: unlimited}
db: {cores: 8, max_connections: 100}
`, Options{}, 1500*time.Millisecond, nil)
	if f := refused.Requests.FailedBy; f.DBRefused != 50 {
		t.Errorf("connections refused: %+v", refused.Requests)
	}

	gaveUp := run(`
workload: {rate: 400, requests: [{steps: [{buy: exp(5ms)}]}]}
app: {cores: 8, workers: 8, model: gevent, concurrency: 100, backlog: unlimited}
db: {cores: 8}
stock: {quantity: 100000000, strategy: optimistic, query: exp(1ms), retries: 0}
`, Options{}, 5*time.Second, nil)
	if f := gaveUp.Requests.FailedBy; f.GaveUp == 0 || f.GaveUp != gaveUp.Stock.GaveUp {
		t.Errorf("optimistic buyers giving up: %+v, stock %d", gaveUp.Requests, gaveUp.Stock.GaveUp)
	}
}

// The log says how many requests were dropped in the second the drops
// began, as a whole number, and why: a full backlog or the in-flight cap.
func TestDropLogSaysHowManyAndWhy(t *testing.T) {
	const overload = `
workload: {rate: 3000000, requests: [{steps: [{cpu: exp(10ms)}]}]}
app: {cores: 1, workers: 1, backlog: %s}
`
	for _, c := range []struct {
		backlog string
		opt     Options
		why     string
	}{
		{"5", Options{}, "(backlog full)"},
		{"unlimited", Options{MaxInFlight: 100}, "(in-flight cap)"},
	} {
		s, err := New(parse(t, fmt.Sprintf(overload, c.backlog)), c.opt)
		if err != nil {
			t.Fatal(err)
		}
		s.Advance(1500 * time.Millisecond)
		var line string
		for _, e := range s.Log() {
			if strings.HasPrefix(e.Text, "dropping requests") {
				line = e.Text
			}
		}
		if !regexp.MustCompile(`^dropping requests: [0-9]+ in the last second ` + regexp.QuoteMeta(c.why) + `$`).MatchString(line) {
			t.Errorf("backlog %s: the log says %q, want a whole count and %s", c.backlog, line, c.why)
		}
	}
}
