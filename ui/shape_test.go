package ui

import (
	"testing"

	"scalesim/topology"
)

// TestLoadKeysScaleAShape: + and - on a shaped workload step its peak
// along the ladder and scale the whole shape with it, and say so.
func TestLoadKeysScaleAShape(t *testing.T) {
	top, err := topology.Parse("shape.yaml", []byte(`
workload:
  rate: 100
  spike: {at: 10s, to: 4000, for: 5s}
  requests: [{steps: [{cpu: 1ms}]}]
app: {}
`))
	if err != nil {
		t.Fatal(err)
	}
	msg, err := editLoad(+1)(top)
	if err != nil {
		t.Fatal(err)
	}
	w := top.Workload
	if msg != "load shape ×1.25: peak 4000 → 5000 req/s" || w.Rate != 125 || w.Peak() != 5000 {
		t.Fatalf("+ said %q: rate %g, peak %g", msg, w.Rate, w.Peak())
	}
	if err := top.Validate(); err != nil {
		t.Fatal(err)
	}
	users, err := topology.Parse("users.yaml", []byte(`
workload:
  users: 2
  think: 1s
  stages: [{duration: 10s, target: 4}]
  requests: [{steps: [{cpu: 1ms}]}]
app: {}
`))
	if err != nil {
		t.Fatal(err)
	}
	msg, err = editLoad(-1)(users)
	if err != nil {
		t.Fatal(err)
	}
	if msg != "load shape ×0.75: peak 4 → 3 users" || users.Workload.Users != 2 || users.Workload.Stages[0].Target != 3 {
		t.Fatalf("- said %q: users %d, target %g", msg, users.Workload.Users, users.Workload.Stages[0].Target)
	}
}
