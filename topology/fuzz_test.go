package topology

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// FuzzParse checks that Parse never panics, and that whatever it accepts
// is valid and survives Marshal and Parse unchanged. The seed corpus (the
// testdata files and the inline seeds) runs in every plain go test.
func FuzzParse(f *testing.F) {
	for _, dir := range []string{"testdata/good", "testdata/bad"} {
		files, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
		if err != nil {
			f.Fatal(err)
		}
		for _, path := range files {
			data, err := os.ReadFile(path)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data)
		}
	}
	for _, seed := range []string{
		"",
		"{}",
		"[]",
		"~",
		"workload: {rate: 10, requests: [{steps: [{cpu: 10ms}]}]}\napp: {}",
		"workload: {users: 3, think: uniform(0, 1s), requests: [{name: a, steps: [{cache: {miss: [{db: 1ms}]}}]}]}\napp: {model: gevent, concurrency: 50}\ncache:\n",
		"workload: &w {rate: 1, requests: [{steps: &s [{cpu: 1ms}]}, {steps: *s}]}\napp: {backlog: unlimited}",
		"workload: {rate: 1, requests: [{steps: [{cache: &c {miss: [{cache: *c}]}}]}]}\napp: {}\ncache: {}",
		"a: &a [*a]",
		"workload: {rate: 1e-300, requests: [{share: 1e308, steps: [{io: 1ns}]}]}\napp: {memory: 8EiB}",
		"name: \"\\n\"\ndescription: |+\n\n\nworkload: {rate: 1, requests: [{name: \"\\u2028\", steps: [{cpu: 0}]}]}\napp: {}",
		"workload: {rate: 1, requests: [{steps: [{cpu: pareto(1ms, 1.0000000001)}]}]}\napp: {}\nseed: 0x10",
		"workload: {rate: 1, requests: [{steps: [{read: 1ms}, {write: exp(2ms)}, {buy: 5ms}]}]}\napp: {}\nstock: {quantity: 0}",
		"workload: {rate: 1, requests: [{steps: [{cache: {miss: [{read: 1ms}, {write: 1ms}, {buy: 1ms}]}}]}]}\napp: {}\ncache:\nstock: {quantity: 1, strategy: redis}",
		"workload: {rate: 1, requests: [{steps: [{read: 1ms}]}]}\napp: {}\ndb: {replicas: 63, replication_lag: 1s, shards: 1, max_connections: 1000000, connections: persistent, pool: {size: 1000000}}",
		"workload: {rate: 1, requests: [{steps: [{db: 1ms}]}]}\napp: {}\ndb: {shards: 64, pool: ~}",
		"workload: {rate: 1, requests: [{steps: [{cache: {}}]}]}\napp: {nodes: 2}\ncache: {}\nevents: [{at: 2m, say: b}, {at: 1m, for: 30s, node_down: 2, slow: {db: 2}, set: {app.nodes: 3, workload.requests[0].share: 2}}, {at: 0, cache: stop}, {at: 1s, primary: down, failover: 1s}]",
		"workload: {rate: 1, requests: [{steps: [{cpu: 1ms}]}]}\napp: {}\nevents: [{at: 1s, set: {workload: {users: 3}, workload.rate: ~, offload: null}}, {at: 2s, set: {'workload.requests[x]': 1}}]",
		"workload: {rate: 1, requests: [{steps: [{buy: 1ms}]}]}\napp: {}\nstock: &s {items: 1000000, quantity: 1000000000, strategy: optimistic, query: 'uniform(0, 1ms)', retries: 100, consumers: 10000}",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		top, err := Parse("fuzz.yaml", data)
		if err != nil {
			if top != nil {
				t.Fatal("Parse returned a topology with an error")
			}
			if err.Error() == "" {
				t.Fatal("empty error message")
			}
			return
		}
		if err := top.Validate(); err != nil {
			t.Fatalf("Parse accepted an invalid topology: %v", err)
		}
		out, err := Marshal(top)
		if err != nil {
			t.Fatalf("Marshal of a parsed topology: %v", err)
		}
		back, err := Parse("fuzz.yaml", out)
		if err != nil {
			t.Fatalf("Parse(Marshal(t)): %v\n%s", err, out)
		}
		if !reflect.DeepEqual(back, top) {
			t.Fatalf("round trip changed the topology\nbefore: %+v\nafter:  %+v\n%s", top, back, out)
		}
		if c := top.Clone(); !reflect.DeepEqual(c, top) {
			t.Fatal("Clone differs")
		}
	})
}
