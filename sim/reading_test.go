package sim

import (
	"encoding/json"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"scalesim/topology"
)

// closedMixed is a closed workload of users thinking between requests,
// with a cache and a database, whose integrals move with every request.
const closedMixed = `
name: closed
seed: 11
workload:
  users: 60
  think: exp(50ms)
  requests:
    - {steps: [{cpu: exp(3ms)}, {cache: {miss: [{db: exp(4ms)}]}}, {io: exp(10ms)}]}
app: {nodes: 2, cores: 2, workers: 4, backlog: 20, timeout: 400ms}
db: {cores: 2}
cache: {keys: {count: 2000, zipf: 0.8, capacity: 300}}
`

// wide has three million worker slots, an odd number: its integral of
// servers over time passes 2^53 ns within three seconds, beyond which a
// float sum taken in two parts can differ from the sum taken at once, so
// that a read that advanced the integrals would show.
const wide = `
name: wide
workload: {rate: 2000, requests: [{steps: [{cpu: exp(1ms)}, {io: exp(20ms)}]}]}
app: {nodes: 9, cores: 4, workers: 333, model: threads, concurrency: 1001, gil: false}
`

// opsMixed changes itself as it runs: an autoscaler adds nodes that
// boot, nodes fail and recover at random, and clients time out and
// retry.
const opsMixed = `
name: ops
seed: 3
workload:
  rate: 600
  requests:
    - steps: [{cpu: exp(6ms)}, {io: exp(10ms)}]
      client: {timeout: 200ms, retry: {attempts: 3, backoff: 20ms, multiplier: 2, max_backoff: 200ms}, budget: {tokens: 10, ratio: 0.1}}
app: {nodes: 1, cores: 2, workers: 4, backlog: 30}
autoscale: {min: 1, max: 5, metric: cpu, target: 0.5, interval: 1s, boot: 1500ms}
failures: {nodes: {mtbf: 3s, mttr: 1s}}
`

// readingCases are the topologies the reading tests run: the playbook's
// presets that exercise every tier, and a closed workload.
func readingCases(t *testing.T) map[string]*topology.Topology {
	t.Helper()
	out := map[string]*topology.Topology{"closed": parse(t, closedMixed), "mixed": parse(t, mixed), "wide": parse(t, wide), "ops": parse(t, opsMixed)}
	for _, f := range []string{"07-redis-cache.yaml", "08-nginx-nodes.yaml", "11-flash-sale-naive.yaml",
		"13-flash-sale-optimistic.yaml", "15-flash-sale-redis.yaml", "16-read-replicas.yaml", "19-connection-pooler.yaml"} {
		top, err := topology.Load(filepath.Join("..", "presets", f))
		if err != nil {
			t.Fatal(err)
		}
		out[f] = top
	}
	return out
}

// readout is everything a reader can see of a run, as bytes.
func readout(t *testing.T, s *Sim, rows []Second) string {
	t.Helper()
	snap := s.Snapshot()
	snap.Topology = nil // shared, compared by pointer below
	b, err := json.Marshal(struct {
		Summary Summary
		Snap    Snapshot
		Rows    []Second
	}{s.Summary(), snap, rows})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestReadingNeverWrites: the same run advanced in one call, and in
// thousands of small slices with a Snapshot, a Summary and the closed
// seconds read after each, ends byte-identical: the summary, the
// snapshot (series, log, nodes) and every per-second row.
func TestReadingNeverWrites(t *testing.T) {
	end := 12 * time.Second
	if testing.Short() {
		end = 4 * time.Second
	}
	for name, top := range readingCases(t) {
		t.Run(name, func(t *testing.T) {
			var wholeRows, rows []Second
			whole, err := New(top, Options{Warmup: time.Second, OnSecond: func(r Second) { wholeRows = append(wholeRows, r) }})
			if err != nil {
				t.Fatal(err)
			}
			whole.Advance(end)
			want := readout(t, whole, wholeRows)

			sliced, err := New(top, Options{Warmup: time.Second, OnSecond: func(r Second) { rows = append(rows, r) }})
			if err != nil {
				t.Fatal(err)
			}
			rng := rand.New(rand.NewPCG(5, 6))
			calls := 0
			for sliced.Now() < end || !sliced.AdvanceBudget(end, 0) {
				calls++
				if rng.IntN(3) == 0 {
					sliced.AdvanceBudget(min(end, sliced.Now()+2*time.Millisecond), uint64(1+rng.IntN(300)))
				} else {
					sliced.Advance(min(end, sliced.Now()+time.Duration(rng.IntN(3000))*time.Microsecond))
				}
				_ = sliced.Snapshot()
				_ = sliced.Summary()
			}
			if got := readout(t, sliced, rows); got != want {
				t.Fatalf("sliced in %d calls, read after each, the run differs:\n%s\none call:\n%s", calls, got, want)
			}
			if calls < 1000 {
				t.Fatalf("only %d slices", calls)
			}
			if len(rows) != int(end/time.Second) {
				t.Fatalf("%d rows for %v", len(rows), end)
			}
			if a, b := whole.Snapshot().Topology, sliced.Snapshot().Topology; a == nil || b == nil {
				t.Fatal("a snapshot without its topology")
			}
		})
	}
}

// TestSnapshotTopologyIsTheOneInForce: snapshots share the topology in
// force until a change replaces it; a change the simulation makes by
// itself (a timeline event) shows in the next snapshot, and the old
// topology, which a reader may still hold, is left as it was.
func TestSnapshotTopologyIsTheOneInForce(t *testing.T) {
	s, err := New(parse(t, `
workload: {rate: 100, requests: [{steps: [{cpu: exp(2ms)}]}]}
app: {workers: 2}
events:
  - {at: 2s, set: {app.workers: 5}}
`), Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Advance(time.Second)
	a, b := s.Snapshot().Topology, s.Snapshot().Topology
	if a != b {
		t.Fatal("two snapshots with no change between them hold different topologies")
	}
	s.Advance(3 * time.Second)
	c := s.Snapshot().Topology
	if c == a || c.App.Workers != 5 || a.App.Workers != 2 {
		t.Fatalf("after the timeline's change: the snapshot has %d workers, the one before %d", c.App.Workers, a.App.Workers)
	}
}
