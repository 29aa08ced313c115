package ui

import (
	"strings"
	"testing"
	"time"

	"scalesim/topology"
)

func TestEditBudget(t *testing.T) {
	top, err := topology.Parse("b.yaml", []byte(`
workload:
  rate: 10
  requests:
    - {name: a, steps: [{cpu: 1ms}], client: {timeout: 1s, retry: {}}}
    - {name: b, steps: [{cpu: 1ms}], client: {timeout: 1s}}
    - {name: c, steps: [{cpu: 1ms}]}
app: {}
`))
	if err != nil {
		t.Fatal(err)
	}
	msg, err := editBudget(top)
	if err != nil || !strings.HasPrefix(msg, "retry budget on") {
		t.Fatalf("on: %q, %v", msg, err)
	}
	c := top.Workload.Requests
	if c[0].Client.Budget == nil || *c[0].Client.Budget != *topology.DefaultBudget() || c[1].Client.Budget != nil || c[2].Client != nil {
		t.Fatalf("a budget only for the class that retries: %+v %+v %+v", c[0].Client, c[1].Client, c[2].Client)
	}
	if err := top.Validate(); err != nil {
		t.Fatal(err)
	}
	if msg, err := editBudget(top); err != nil || !strings.HasPrefix(msg, "retry budget off") || c[0].Client.Budget != nil {
		t.Fatalf("off: %q, %v, %+v", msg, err, c[0].Client)
	}
	plain := validPlain(t)
	if _, err := editBudget(plain); err != errNoRetries {
		t.Errorf("a topology without retries: %v", err)
	}
}

func validPlain(t *testing.T) *topology.Topology {
	top, err := topology.Parse("p.yaml", []byte("workload: {rate: 10, requests: [{steps: [{cpu: 1ms}]}]}\napp: {}\n"))
	if err != nil {
		t.Fatal(err)
	}
	return top
}

// TestBudgetKeyEndsARetryStorm: y in a retry storm turns the budget on,
// and the clients get answers again once the backlog drains.
func TestBudgetKeyEndsARetryStorm(t *testing.T) {
	top, err := topology.Parse("storm.yaml", []byte(`
workload:
  rate: 70
  requests:
    - steps: [{cpu: exp(40ms)}]
      client: {timeout: 1s, retry: {attempts: 3, backoff: 100ms, max_backoff: 1s}}
app: {cores: 4, workers: 4, backlog: 300}
`))
	if err != nil {
		t.Fatal(err)
	}
	// the storm is on at the start: the backlog is full at once
	m, _ := newTestModel(t, top, "storm.yaml", 80, 24)
	press(m, "+", "+", "+", "+", "+", "+", "+", "+", "+", "+")
	runFor(m, 20*time.Second)
	press(m, "-", "-", "-", "-", "-", "-", "-", "-", "-", "-")
	runFor(m, 30*time.Second)
	if g := m.frame.Snap.Summary.GoodputRPS; g > 5 {
		t.Fatalf("no storm to end: goodput %.1f/s", g)
	}
	press(m, "y")
	if !strings.Contains(m.status.text, "retry budget on") {
		t.Fatalf("status after y: %q", m.status.text)
	}
	runFor(m, 60*time.Second)
	if g := m.frame.Snap.Summary.GoodputRPS; g < 50 {
		t.Errorf("goodput %.1f/s a minute after the budget went on, want the 70/s offered", g)
	}
}
