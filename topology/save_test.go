package topology

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"
)

func mustMarshal(t *testing.T, top *Topology) string {
	t.Helper()
	out, err := Marshal(top)
	if err != nil {
		t.Fatalf("Marshal: %v", err)
	}
	return string(out)
}

// assertRoundTrip checks that Parse(Marshal(top)) equals top and that
// marshalling again gives the same text.
func assertRoundTrip(t *testing.T, top *Topology) {
	t.Helper()
	out, err := Marshal(top)
	if err != nil {
		t.Fatalf("Marshal: %v", err)
	}
	back, err := Parse("roundtrip.yaml", out)
	if err != nil {
		t.Fatalf("Parse(Marshal(t)): %v\n%s", err, out)
	}
	if !reflect.DeepEqual(back, top) {
		again, _ := Marshal(back)
		t.Fatalf("round trip changed the topology\nbefore: %+v\nafter:  %+v\nwritten:\n%s\nrewritten:\n%s", top, back, out, again)
	}
	again, err := Marshal(back)
	if err != nil || !bytes.Equal(again, out) {
		t.Fatalf("Marshal is not stable (%v):\n%s\nthen\n%s", err, out, again)
	}
}

func TestMarshalMinimal(t *testing.T) {
	top, err := Load("testdata/good/minimal.yaml")
	if err != nil {
		t.Fatal(err)
	}
	const want = `name: minimal
description: ""
seed: 1
workload:
  rate: 10
  requests:
    - name: class1
      share: 1
      steps:
        - cpu: 10ms
app:
  nodes: 1
  cores: 1
  workers: 1
  model: sync
  concurrency: 1
  backlog: 100
  timeout: 0s
  respawn: 1s
  memory: 0B
  worker_memory: 120MiB
  slot_memory: 512KiB
  speed: 1
  gil: true
  switch_interval: 5ms
  scheduler: linux
  slice: auto
  tick: 4ms
  switch_cost: 50us
lb:
  policy: round_robin
  latency: 0s
db:
  cores: 4
  latency: 0s
  replicas: 0
  replication_lag: 0s
  shards: 1
  max_connections: 0
  connections: per_request
  scheduler: linux
  slice: auto
  tick: 4ms
  switch_cost: 50us
`
	if got := mustMarshal(t, top); got != want {
		t.Errorf("Marshal(minimal):\n%s\nwant:\n%s", got, want)
	}
}

func TestMarshalSections(t *testing.T) {
	top := validTopology()
	top.Workload = Workload{
		Users: 50,
		Think: Dist{Kind: Exp, Mean: 5 * time.Second},
		Requests: []RequestClass{{Name: "page", Share: 1, Steps: []Step{
			{Kind: StepCache},
			{Kind: StepOffload, Dist: Dist{Kind: Const, Mean: time.Millisecond}},
			{Kind: StepRead, Dist: Dist{Kind: Exp, Mean: time.Millisecond}},
			{Kind: StepWrite, Dist: Dist{Kind: Const, Mean: 2 * time.Millisecond}},
			{Kind: StepBuy, Dist: Dist{Kind: Exp, Mean: 5 * time.Millisecond}},
		}}},
	}
	top.App.Backlog = Unlimited
	top.DB = DB{Cores: 8, Latency: 500 * time.Microsecond, Replicas: 2, ReplicationLag: 100 * time.Millisecond,
		Shards: 3, MaxConnections: 100, Connections: Persistent, Pool: DefaultPool()}
	top.Cache = &Cache{Latency: Dist{Kind: Const, Mean: 100 * time.Microsecond}, Keys: &KeySpace{Count: 10, Zipf: 1, Capacity: 2}}
	top.Offload = DefaultOffload()
	top.Stock = DefaultStock(1000)
	top.Stock.Strategy = RowLock
	got := mustMarshal(t, top)
	for _, want := range []string{
		"  users: 50\n  think: exp(5s)\n  requests:",
		"        - cache:\n            miss: []\n        - offload: 1ms\n        - read: exp(1ms)\n        - write: 2ms\n        - buy: exp(5ms)\n",
		"  backlog: unlimited\n",
		"db:\n  cores: 8\n  latency: 500us\n  replicas: 2\n  replication_lag: 100ms\n  shards: 3\n  max_connections: 100\n  connections: persistent\n  pool:\n    size: 20\n",
		"cache:\n  enabled: true\n  latency: 100us\n  net_latency: 0s\n  keys:\n    count: 10\n    zipf: 1\n    capacity: 2\n    ttl: 0s\n",
		"offload:\n  nodes: 1\n  cores: 4\n  policy: round_robin\n  speed: 1\n  latency: 0s\nstock:\n  items: 1\n  quantity: 1000\n  strategy: row_lock\n  query: 1ms\n  retries: 3\n  consumers: 4\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("Marshal output lacks %q:\n%s", want, got)
		}
	}
	for _, absent := range []string{"rate:", "hit_ratio"} {
		if strings.Contains(got, absent) {
			t.Errorf("Marshal output has %q:\n%s", absent, got)
		}
	}
	assertRoundTrip(t, top)
}

func TestMarshalErrors(t *testing.T) {
	if _, err := Marshal(nil); err == nil {
		t.Error("Marshal(nil) succeeded")
	}
	for name, edit := range map[string]func(*Topology){
		"model":       func(t *Topology) { t.App.Model = 7 },
		"policy":      func(t *Topology) { t.LB.Policy = -1 },
		"step":        func(t *Topology) { t.Workload.Requests[0].Steps[0].Kind = 9 },
		"dist":        func(t *Topology) { t.Workload.Requests[0].Steps[0].Dist.Kind = 9 },
		"connections": func(t *Topology) { t.DB.Connections = 2 },
		"strategy":    func(t *Topology) { t.Stock = DefaultStock(1); t.Stock.Strategy = 5 },
		"query":       func(t *Topology) { t.Stock = DefaultStock(1); t.Stock.Query.Kind = -1 },
	} {
		top := validTopology()
		edit(top)
		if _, err := Marshal(top); err == nil {
			t.Errorf("%s: Marshal of an unknown value succeeded", name)
		}
	}
}

func TestRoundTripTable(t *testing.T) {
	ms := time.Millisecond
	tests := map[string]func(*Topology){
		"rate 0.1":    func(t *Topology) { t.Workload.Rate = 0.1 },
		"rate 33.333": func(t *Topology) { t.Workload.Rate = 33.333 },
		"rate 1/3":    func(t *Topology) { t.Workload.Rate = 1.0 / 3 },
		"rate tiny":   func(t *Topology) { t.Workload.Rate = 1e-9 },
		"rate max":    func(t *Topology) { t.Workload.Rate = 1e7 },
		"share 0 and 1e-300": func(t *Topology) {
			t.Workload.Requests = append(t.Workload.Requests, RequestClass{Name: "b", Share: 1e-300, Steps: t.Workload.Requests[0].Steps})
			t.Workload.Requests[0].Share = 0
		},
		"odd durations": func(t *Topology) {
			t.App.Timeout = 1234567891
			t.LB.Latency = 1
			t.DB.Latency = 90 * time.Minute
			t.App.SwitchInterval = 1500 * time.Nanosecond
		},
		"every dist": func(t *Topology) {
			t.Workload.Requests[0].Steps = []Step{
				{Kind: StepCPU, Dist: Dist{Kind: Exp, Mean: 15 * ms}},
				{Kind: StepIO, Dist: Dist{Kind: Uniform, Min: 0, Max: 3 * ms}},
				{Kind: StepDB, Dist: Dist{Kind: LogNormal, Mean: 8 * ms, CV: 0.1 + 0.2}},
				{Kind: StepCPU, Dist: Dist{Kind: Erlang, K: 1000, Mean: 1}},
				{Kind: StepIO, Dist: Dist{Kind: Pareto, Mean: 2 * time.Hour, Alpha: 2.0000001}},
				{Kind: StepDB, Dist: Dist{Kind: Const}},
			}
		},
		"sizes": func(t *Topology) {
			t.App.Memory = 1e9
			t.App.WorkerMemory = 123456789
			t.App.SlotMemory = 0
		},
		"strings": func(t *Topology) {
			t.Name = "yes"
			t.Description = "line one\nline two: with colon\n\n  indented # not a comment\n"
			t.Workload.Requests[0].Name = "~"
		},
		"closed": func(t *Topology) {
			t.Workload.Rate, t.Workload.Users = 0, 1_000_000
			t.Workload.Think = Dist{Kind: Uniform, Min: time.Second, Max: time.Second}
		},
		"seed max": func(t *Topology) { t.Seed = 1<<64 - 1 },
		"db limits": func(t *Topology) {
			t.DB = DB{Cores: 1024, Latency: time.Nanosecond, Replicas: 63, ReplicationLag: 90 * time.Minute,
				Shards: 1, MaxConnections: 1_000_000, Connections: Persistent, Pool: &Pool{Size: 1_000_000}}
		},
		"db sharded, pool without limit": func(t *Topology) {
			t.DB.Shards, t.DB.Pool = 64, &Pool{Size: 1}
		},
		"stock limits": func(t *Topology) {
			t.Cache = DefaultCache()
			t.Stock = &Stock{Items: 1_000_000, Quantity: 1_000_000_000, Strategy: Redis,
				Query: Dist{Kind: Erlang, K: 3, Mean: ms}, Retries: 100, Consumers: 10_000}
			t.Workload.Requests[0].Steps = append(t.Workload.Requests[0].Steps, Step{Kind: StepBuy})
		},
		"stock zero": func(t *Topology) {
			t.Stock = &Stock{Items: 1, Quantity: 0, Strategy: Atomic, Query: Dist{}, Retries: 0, Consumers: 1}
		},
		"threads": func(t *Topology) { t.App.Model, t.App.Concurrency, t.App.GIL = Threads, 100000, false },
	}
	for name, edit := range tests {
		t.Run(name, func(t *testing.T) {
			top := validTopology()
			edit(top)
			if err := top.Validate(); err != nil {
				t.Fatalf("test topology is invalid: %v", err)
			}
			assertRoundTrip(t, top)
		})
	}
}

// trickyStrings are names and descriptions that YAML might misread.
var trickyStrings = []string{
	"", "plain", "with: colon", "# hash", "  leading", "trailing ", "yes", "no", "Off",
	"null", "~", "123", "-1.5e3", "0x10", ".inf", "true", "multi\nline", "multi\nline\n",
	"\n", "\n\n", " \n ", "\n x", "tab\there", "quote'single", `quote"double`, "unicode é ✓",
	"emoji 🙂", "[brackets]", "{braces}", "- dash", "-", "&anchor", "*alias", "!tag",
	"%percent", "@at", "`back`", "a\r\nb", "\u2028", "\ufeffbom", "ctl\x01\x7f", "? question",
	"| pipe", "> fold", "a, b", "'", `"`, "\\", "---", "...", "<<", "=",
	strings.Repeat("long words  with two spaces ", 12),
	strings.Repeat("x", 300) + " " + strings.Repeat("y", 100),
	strings.Repeat("quoted: 'long' \"text\" # ", 10) + " ",
	strings.Repeat("line of text that goes on and on\n", 5) + "  indented last line",
	strings.Repeat("tab\tand\x01control ", 20),
}

func TestRoundTripRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	n := 2000
	if testing.Short() {
		n = 200
	}
	for i := 0; i < n; i++ {
		top := randomTopology(r)
		if err := top.Validate(); err != nil {
			t.Fatalf("random topology %d is invalid: %v\n%+v", i, err, top)
		}
		assertRoundTrip(t, top)
	}
}

// validTopology is a small valid topology to edit in tests.
func validTopology() *Topology {
	t := Defaults()
	t.Name = "test"
	t.Workload = Workload{Rate: 10, Requests: []RequestClass{{
		Name: "page", Share: 1,
		Steps: []Step{{Kind: StepCPU, Dist: Dist{Kind: Const, Mean: 10 * time.Millisecond}}},
	}}}
	return t
}

// randomTopology builds a valid topology with every field drawn at
// random, to test the round trip.
func randomTopology(r *rand.Rand) *Topology {
	pick := func(list []string) string { return list[r.IntN(len(list))] }
	dur := func(max time.Duration) time.Duration {
		switch r.IntN(4) {
		case 0:
			return 0
		case 1:
			return time.Duration(r.IntN(1000)) * time.Millisecond
		}
		return time.Duration(r.Int64N(int64(max)))
	}
	pos := func(max time.Duration) time.Duration { return 1 + dur(max) }
	float := func(max float64) float64 {
		switch r.IntN(4) {
		case 0:
			return float64(1 + r.IntN(int(max)))
		case 1:
			return []float64{0.1, 33.333, 1.0 / 3, 2.5, 1e-7, 0.99}[r.IntN(6)]
		}
		return r.Float64() * max
	}
	dist := func() Dist {
		switch DistKind(r.IntN(6)) {
		case Exp:
			return Dist{Kind: Exp, Mean: pos(time.Second)}
		case Uniform:
			a, b := dur(time.Second), dur(time.Second)
			return Dist{Kind: Uniform, Min: min(a, b), Max: max(a, b)}
		case LogNormal:
			return Dist{Kind: LogNormal, Mean: pos(time.Second), CV: float(100)}
		case Erlang:
			return Dist{Kind: Erlang, K: 1 + r.IntN(maxErlangK), Mean: pos(time.Second)}
		case Pareto:
			// below about 1.3 the cut at MaxDraw takes too much of a mean of up to 1s
			return Dist{Kind: Pareto, Mean: pos(time.Second), Alpha: 1.5 + 1e-9 + float(5)}
		}
		return Dist{Kind: Const, Mean: dur(time.Second)}
	}

	t := &Topology{
		Name:        pick(trickyStrings),
		Description: pick(trickyStrings) + pick(trickyStrings),
		Seed:        r.Uint64() >> r.IntN(64),
	}
	if r.IntN(2) == 0 {
		t.Cache = &Cache{Disabled: r.IntN(4) == 0, Latency: dist(), NetLatency: dur(time.Millisecond)}
		if r.IntN(2) == 0 {
			t.Cache.HitRatio = []float64{0, 1, r.Float64()}[r.IntN(3)]
		} else {
			t.Cache.Keys = &KeySpace{
				Count: 1 + r.IntN(maxKeys), Zipf: float(3), Capacity: 1 + r.IntN(maxCapacity),
				TTL: dur(time.Hour),
			}
		}
	}
	if r.IntN(2) == 0 {
		t.Offload = &Offload{Nodes: 1 + r.IntN(maxNodes), Cores: 1 + r.IntN(maxCores), Speed: 0.1 + float(50), Latency: dur(time.Millisecond)}
	}
	if r.IntN(2) == 0 {
		strategy := Strategy(r.IntN(4))
		if t.Cache != nil && r.IntN(2) == 0 {
			strategy = Redis
		}
		t.Stock = &Stock{
			Items:     []int{1, maxItems, 1 + r.IntN(maxItems)}[r.IntN(3)],
			Quantity:  []int{0, maxQuantity, r.IntN(maxQuantity + 1)}[r.IntN(3)],
			Strategy:  strategy,
			Query:     dist(),
			Retries:   r.IntN(maxRetries + 1),
			Consumers: 1 + r.IntN(maxConsumers),
		}
	}

	if r.IntN(2) == 0 {
		t.Workload.Users = 1 + r.IntN(maxUsers)
		if r.IntN(2) == 0 {
			t.Workload.Think = dist()
		}
	} else {
		t.Workload.Rate = 1e-6 + float(1e4)
	}
	dbKinds := []StepKind{StepCPU, StepIO, StepDB, StepRead, StepWrite}
	kinds := dbKinds
	if t.Cache != nil {
		kinds = append(kinds, StepCache)
	}
	if t.Offload != nil {
		kinds = append(kinds, StepOffload)
	}
	if t.Stock != nil {
		kinds = append(kinds, StepBuy)
	}
	steps := func(kinds []StepKind, n int) []Step {
		var out []Step
		for range n {
			out = append(out, Step{Kind: kinds[r.IntN(len(kinds))]})
		}
		return out
	}
	for i := range 1 + r.IntN(5) {
		c := RequestClass{Name: fmt.Sprintf("%s#%d", pick(trickyStrings), i), Share: float(10)}
		c.Steps = steps(kinds, 1+r.IntN(6))
		for j := range c.Steps {
			s := &c.Steps[j]
			if s.Kind == StepCache {
				s.Miss = steps(dbKinds, r.IntN(3))
			}
			for k := range s.Miss {
				s.Miss[k].Dist = dist()
			}
			if s.Kind != StepCache {
				s.Dist = dist()
			}
		}
		t.Workload.Requests = append(t.Workload.Requests, c)
	}
	t.Workload.Requests[0].Share += 1

	a := &t.App
	a.Nodes, a.Cores, a.Workers = 1+r.IntN(10), 1+r.IntN(maxCores), 1+r.IntN(100)
	a.Model = Model(r.IntN(3))
	a.Concurrency = 1
	if a.Model != Sync {
		a.Concurrency = 1 + r.IntN(1000)
	}
	a.Backlog = []int{Unlimited, 0, r.IntN(maxBacklog + 1)}[r.IntN(3)]
	a.Timeout = dur(time.Minute)
	a.WorkerMemory = []int64{0, 120 << 20, r.Int64N(1 << 40)}[r.IntN(3)]
	a.SlotMemory = []int64{0, 512 << 10, r.Int64N(1 << 20)}[r.IntN(3)]
	if r.IntN(2) == 0 {
		a.Memory = a.WorkerMemory + int64(a.Concurrency)*a.SlotMemory + r.Int64N(1<<40)
	}
	a.Speed = 0.1 + float(10) // slower stretches heavy tails past MaxDraw
	a.GIL = r.IntN(2) == 0
	a.SwitchInterval = minSwitchInterval + dur(10*time.Millisecond)
	t.LB = LB{Policy: Policy(r.IntN(4)), Latency: dur(time.Millisecond)}
	d := &t.DB
	d.Cores, d.Latency = 1+r.IntN(64), dur(time.Millisecond)
	d.Shards = []int{1, maxShards, 1 + r.IntN(maxShards)}[r.IntN(3)]
	d.Rows = []int{0, 1, maxRows, r.IntN(maxRows)}[r.IntN(4)]
	if n := maxDBServers/d.Shards - 1; n > 0 && r.IntN(2) == 0 {
		d.Replicas = 1 + r.IntN(n)
		d.ReplicationLag = dur(time.Second)
	}
	d.MaxConnections = []int{0, maxDBConnections, 1 + r.IntN(1000)}[r.IntN(3)]
	d.Connections = ConnPolicy(r.IntN(2))
	if r.IntN(2) == 0 {
		limit := d.MaxConnections
		if limit == 0 {
			limit = maxDBConnections
		}
		d.Pool = &Pool{Size: 1 + r.IntN(limit)}
	}
	return t
}
