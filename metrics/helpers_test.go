package metrics

import (
	"testing"
	"time"

	"scalesim/presets"
	"scalesim/sim"
	"scalesim/topology"
)

// newSim starts a simulation of the preset name.
func newSim(t testing.TB, name string) *sim.Sim {
	t.Helper()
	p, ok := presets.Get(name)
	if !ok {
		t.Fatalf("no preset %s", name)
	}
	top, err := p.Load()
	if err != nil {
		t.Fatal(err)
	}
	s, err := sim.New(top, sim.Options{SeriesLen: 10})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// surge is one CPU-bound node under more than it can take, with
// clients that time out and retry and an autoscaler on CPU: every family
// that is there only where present.
const surge = `
name: surge
workload:
  rate: 150
  requests:
    - name: page
      steps: [{cpu: exp(10ms)}]
      client: {timeout: 250ms, retry: {attempts: 3, backoff: 20ms}}
app: {nodes: 1, cores: 1, workers: 2, backlog: 50}
autoscale: {min: 1, max: 6, metric: p99, target: 100ms, boot: 30s}
`

// surgeAt runs surge for d and returns its snapshot.
func surgeAt(t testing.TB, d time.Duration) sim.Snapshot {
	t.Helper()
	top, err := topology.Parse("surge.yaml", []byte(surge))
	if err != nil {
		t.Fatal(err)
	}
	s, err := sim.New(top, sim.Options{SeriesLen: 10})
	if err != nil {
		t.Fatal(err)
	}
	s.Advance(d)
	return s.Snapshot()
}

// snapshotAt runs the preset name for d and returns its snapshot.
func snapshotAt(t testing.TB, name string, d time.Duration) sim.Snapshot {
	t.Helper()
	s := newSim(t, name)
	s.Advance(d)
	return s.Snapshot()
}
