package topology

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"
)

func TestValidateValid(t *testing.T) {
	if err := validTopology().Validate(); err != nil {
		t.Fatal(err)
	}
	if err := (*Topology)(nil).Validate(); err == nil {
		t.Error("nil topology is valid")
	}
}

func TestValidate(t *testing.T) {
	ms := time.Millisecond
	cpu := Step{Kind: StepCPU, Dist: Dist{Kind: Const, Mean: ms}}
	tests := []struct {
		name string
		edit func(*Topology)
		want string
	}{
		{"nodes 0", func(t *Topology) { t.App.Nodes = 0 }, "app.nodes: must be between 1 and 1000, got 0"},
		{"nodes 1001", func(t *Topology) { t.App.Nodes = 1001 }, "app.nodes: must be between 1 and 1000, got 1001"},
		{"cores", func(t *Topology) { t.App.Cores = 2000 }, "app.cores: must be between 1 and 1024, got 2000"},
		{"workers", func(t *Topology) { t.App.Workers = -1 }, "app.workers: must be between 1 and 10000, got -1"},
		{"concurrency", func(t *Topology) { t.App.Model, t.App.Concurrency = Gevent, 100001 }, "app.concurrency: must be between 1 and 100000, got 100001"},
		{"concurrency sync", func(t *Topology) { t.App.Concurrency = 2 }, "app.concurrency: must be 1 with model sync, got 2; use model: threads or gevent"},
		{"slots", func(t *Topology) { t.App.Model, t.App.Workers, t.App.Concurrency = Threads, 1000, 10001 },
			"app: nodes × workers × concurrency is 10001000; at most 10000000 are allowed; use fewer nodes, workers or threads"},
		{"processes", func(t *Topology) { t.App.Nodes, t.App.Workers = 1000, 10000 },
			"app: nodes × workers is 1000 × 10000 = 10000000 worker processes, about 2000 MB of simulated state; at most 1000000 are allowed; use fewer nodes or workers (more threads or greenlets per worker cost no memory)"},
		{"processes at the limit", func(t *Topology) { t.App.Nodes, t.App.Workers = 100, 10000 }, ""},
		{"model", func(t *Topology) { t.App.Model = 3 }, "app.model: unknown model 3; allowed: sync, threads, gevent"},
		{"backlog", func(t *Topology) { t.App.Backlog = -2 }, "app.backlog: must be between 0 and 100000000, or unlimited, got -2"},
		{"backlog max", func(t *Topology) { t.App.Backlog = 100_000_001 }, "app.backlog: must be between 0 and 100000000, or unlimited, got 100000001"},
		{"timeout", func(t *Topology) { t.App.Timeout = -time.Second }, "app.timeout: must not be negative, got -1s"},
		{"sizes", func(t *Topology) { t.App.WorkerMemory, t.App.SlotMemory = -1, -1024 },
			"app.worker_memory: must not be negative, got -1B\napp.slot_memory: must not be negative, got -1KiB"},
		{"memory", func(t *Topology) { t.App.Memory = 100 << 20 },
			"app.memory: 100MiB is smaller than one worker; one worker needs worker_memory 120MiB + concurrency 1 × slot_memory 512KiB = 123392KiB; set memory to at least that, or 0 to not model memory"},
		{"memory overflow", func(t *Topology) {
			t.App.Model, t.App.Concurrency, t.App.Memory, t.App.SlotMemory = Gevent, 100000, 1<<40, math.MaxInt64/1000
		}, "app.memory: 1TiB is smaller than one worker; lower worker_memory, slot_memory or concurrency"},
		{"memory exact", func(t *Topology) { t.App.Memory = 120<<20 + 512<<10 }, ""},
		{"speed", func(t *Topology) { t.App.Speed = 0 }, "app.speed: must be a number greater than 0, got 0"},
		{"speed inf", func(t *Topology) { t.App.Speed = math.Inf(1) }, "app.speed: must be a number greater than 0, got .inf"},
		{"slow cpu stretches draws", func(t *Topology) {
			t.App.Speed = 0.01
			t.Workload.Requests[0].Steps = []Step{{Kind: StepCPU, Dist: Dist{Kind: Exp, Mean: 3 * time.Hour}}}
		}, "workload.requests[0].steps[0].cpu: at speed 0.01, exp(3h) would lose 45% of its mean to draws longer than 240h, the longest the simulator draws; use a smaller mean"},
		{"slow cpu stretches a constant", func(t *Topology) {
			t.App.Speed = 0.5
			t.Workload.Requests[0].Steps = []Step{{Kind: StepCPU, Dist: Dist{Kind: Const, Mean: 200 * time.Hour}}}
		}, "workload.requests[0].steps[0].cpu: at speed 0.5, 200h takes 400h, longer than 240h, the longest duration the simulator draws"},
		{"switch interval", func(t *Topology) { t.App.SwitchInterval = time.Nanosecond }, "app.switch_interval: must be at least 1us, got 1ns; Python's default is 5ms"},
		{"policy", func(t *Topology) { t.LB.Policy = 4 }, "lb.policy: unknown policy 4; allowed: round_robin, least_conn, random, p2c"},
		{"lb latency", func(t *Topology) { t.LB.Latency = -1 }, "lb.latency: must not be negative, got -1ns"},
		{"db cores", func(t *Topology) { t.DB.Cores = 0 }, "db.cores: must be between 1 and 1024, got 0"},
		{"db replicas", func(t *Topology) { t.DB.Replicas = -1 }, "db.replicas: must be between 0 and 64, got -1"},
		{"db replicas max", func(t *Topology) { t.DB.Replicas = 65 }, "db.replicas: must be between 0 and 64, got 65"},
		{"db shards", func(t *Topology) { t.DB.Shards = 0 }, "db.shards: must be between 1 and 64, got 0"},
		{"db shards max", func(t *Topology) { t.DB.Shards = 65 }, "db.shards: must be between 1 and 64, got 65"},
		{"db servers", func(t *Topology) { t.DB.Shards, t.DB.Replicas = 2, 32 },
			"db: shards × (1 + replicas) is 2 × 33 = 66; at most 64 database servers are allowed; use fewer shards or replicas"},
		{"db servers max", func(t *Topology) { t.DB.Shards, t.DB.Replicas = 4, 15 }, ""},
		{"db replicas max alone", func(t *Topology) { t.DB.Replicas = 63 }, ""},
		{"lag without replicas", func(t *Topology) { t.DB.ReplicationLag = time.Second },
			"db.replication_lag: replication_lag needs replicas; set replicas to 1 or more, or remove replication_lag"},
		{"lag negative", func(t *Topology) { t.DB.ReplicationLag = -ms }, "db.replication_lag: must not be negative, got -1ms"},
		{"lag", func(t *Topology) { t.DB.Replicas, t.DB.ReplicationLag = 1, time.Second }, ""},
		{"max connections", func(t *Topology) { t.DB.MaxConnections = -1 }, "db.max_connections: must be between 0 and 1000000, got -1"},
		{"max connections max", func(t *Topology) { t.DB.MaxConnections = 1_000_001 }, "db.max_connections: must be between 0 and 1000000, got 1000001"},
		{"connections", func(t *Topology) { t.DB.Connections = 2 }, "db.connections: unknown connections policy 2; allowed: per_request, persistent"},
		{"pool size", func(t *Topology) { t.DB.Pool = &Pool{} }, "db.pool.size: must be between 1 and 1000000, got 0"},
		{"pool above limit", func(t *Topology) { t.DB.MaxConnections, t.DB.Pool = 10, &Pool{Size: 11} },
			"db.pool.size: 11 is more than max_connections 10; a pooler never opens more server connections than the limit; lower size or raise max_connections"},
		{"pool at limit", func(t *Topology) { t.DB.MaxConnections, t.DB.Pool = 10, &Pool{Size: 10} }, ""},
		{"pool without limit", func(t *Topology) { t.DB.Pool = &Pool{Size: 1_000_000} }, ""},
		{"stock", func(t *Topology) {
			t.Stock = &Stock{Items: 0, Quantity: -1, Strategy: 5, Query: Dist{Kind: Exp}, Retries: -1, Consumers: 0}
		},
			"stock.items: must be between 1 and 1000000, got 0\n" +
				"stock.quantity: negative stock, got -1; quantity is the units of each item on sale, 0 or more\n" +
				"stock.strategy: unknown strategy 5; allowed: naive, row_lock, optimistic, atomic, redis\n" +
				"stock.query: exp mean must be positive, got 0s; e.g. exp(15ms)\n" +
				"stock.retries: must be between 0 and 100, got -1\n" +
				"stock.consumers: must be between 1 and 10000, got 0"},
		{"stock max", func(t *Topology) {
			t.Stock = &Stock{Items: 1_000_001, Quantity: 1_000_000_001, Retries: 101, Consumers: 10_001}
		}, "stock.items: must be between 1 and 1000000, got 1000001\n" +
			"stock.quantity: must be between 0 and 1000000000, got 1000000001\n" +
			"stock.retries: must be between 0 and 100, got 101\n" +
			"stock.consumers: must be between 1 and 10000, got 10001"},
		{"stock default", func(t *Topology) { t.Stock = DefaultStock(0) }, ""},
		{"redis without cache", func(t *Topology) { t.Stock = DefaultStock(10); t.Stock.Strategy = Redis },
			"stock.strategy: the redis strategy needs a cache section; add a top-level cache: section for the Redis server, e.g. cache: {}"},
		{"redis with cache", func(t *Topology) { t.Stock, t.Cache = DefaultStock(10), DefaultCache(); t.Stock.Strategy = Redis }, ""},
		{"buy without stock", func(t *Topology) { t.Workload.Requests[0].Steps[0].Kind = StepBuy },
			"workload.requests[0].steps[0].buy: a buy step needs a stock section; add a top-level stock: section, e.g. stock: {quantity: 1000}"},
		{"buy dist", func(t *Topology) {
			t.Stock = DefaultStock(1)
			t.Workload.Requests[0].Steps = []Step{{Kind: StepBuy, Dist: Dist{Kind: Pareto, Mean: ms, Alpha: 1}}}
		}, "workload.requests[0].steps[0].buy: pareto alpha must be greater than 1, got 1; alpha ≤ 1 has no finite mean; e.g. pareto(10ms, 2.5)"},
		{"read and write dists", func(t *Topology) {
			t.Workload.Requests[0].Steps = []Step{{Kind: StepRead, Dist: Dist{Kind: Const, Mean: -1}}, {Kind: StepWrite, Dist: Dist{Kind: Exp, Mean: ms, CV: 1}}}
		}, "workload.requests[0].steps[0].read: must not be negative, got -1ns\n" +
			"workload.requests[0].steps[1].write: exp distribution has CV set, which it does not use"},
		{"miss on read", func(t *Topology) {
			t.Workload.Requests[0].Steps[0].Kind, t.Workload.Requests[0].Steps[0].Miss = StepRead, []Step{cpu}
		},
			"workload.requests[0].steps[0].read: only cache steps have miss steps"},
		{"read and write in miss", func(t *Topology) {
			t.Cache = DefaultCache()
			t.Workload.Requests[0].Steps = []Step{{Kind: StepCache, Miss: []Step{{Kind: StepRead}, {Kind: StepWrite}, {Kind: StepDB}}}}
		}, ""},
		{"buy in miss", func(t *Topology) {
			t.Cache, t.Stock = DefaultCache(), DefaultStock(1)
			t.Workload.Requests[0].Steps = []Step{{Kind: StepCache, Miss: []Step{cpu, {Kind: StepBuy}}}}
		}, "workload.requests[0].steps[0].cache.miss[1].buy: buy steps cannot be inside a cache miss; move it to the request class's own steps (a miss may read and write, not buy)"},
		{"both", func(t *Topology) { t.Workload.Users = 5 },
			"workload: set either rate (open workload) or users (closed workload), not both; remove one of them"},
		{"neither", func(t *Topology) { t.Workload.Rate = 0 },
			"workload: set rate (open workload) or users (closed workload); e.g. rate: 100 for 100 requests per second, or users: 50"},
		{"rate max", func(t *Topology) { t.Workload.Rate = 1e7 + 1 },
			"workload.rate: must be greater than 0 and at most 10000000 requests per second, got 10000001"},
		{"users", func(t *Topology) { t.Workload.Rate, t.Workload.Users = 0, -4 }, "workload.users: must be between 1 and 1000000, got -4"},
		{"think", func(t *Topology) { t.Workload.Think = Dist{Kind: Exp, Mean: time.Second} },
			"workload.think: think time applies only to a closed workload (users); remove think, or use users instead of rate"},
		{"think dist", func(t *Topology) {
			t.Workload.Rate, t.Workload.Users, t.Workload.Think = 0, 3, Dist{Kind: Exp}
		}, "workload.think: exp mean must be positive, got 0s; e.g. exp(15ms)"},
		{"no classes", func(t *Topology) { t.Workload.Requests = nil },
			"workload.requests: at least one request class is needed; e.g. requests: [{steps: [{cpu: 10ms}]}]"},
		{"too many classes", func(t *Topology) {
			c := t.Workload.Requests[0]
			t.Workload.Requests = nil
			for range 1001 {
				t.Workload.Requests = append(t.Workload.Requests, c)
			}
		}, "workload.requests: 1001 request classes; at most 1000 are allowed"},
		{"share NaN", func(t *Topology) { t.Workload.Requests[0].Share = math.NaN() }, "workload.requests[0].share: must be a number from 0 up, got .nan"},
		{"shares inf sum", func(t *Topology) {
			t.Workload.Requests = append(t.Workload.Requests, t.Workload.Requests[0])
			t.Workload.Requests[1].Name = "b"
			t.Workload.Requests[0].Share, t.Workload.Requests[1].Share = math.MaxFloat64, math.MaxFloat64
		}, "workload.requests: the shares add up to .inf; give at least one class a positive share"},
		{"name", func(t *Topology) { t.Workload.Requests[0].Name = "" }, "workload.requests[0].name: must not be empty"},
		{"utf8", func(t *Topology) { t.Name, t.Workload.Requests[0].Name = "\xff", "\xfe" },
			"name: is not valid UTF-8\nworkload.requests[0].name: is not valid UTF-8"},
		{"no steps", func(t *Topology) { t.Workload.Requests[0].Steps = nil },
			"workload.requests[0].steps: a request class needs at least one step; e.g. steps: [{cpu: 10ms}]"},
		{"too many steps", func(t *Topology) {
			t.Cache = DefaultCache()
			t.Workload.Requests[0].Steps = []Step{{Kind: StepCache, Miss: make([]Step, 1000)}}
		}, "workload.requests[0].steps: 1001 steps (counting cache miss steps); at most 1000 are allowed; split the class into several classes"},
		{"too many steps in all", func(t *Topology) {
			c := RequestClass{Share: 1, Steps: make([]Step, 1000)}
			t.Workload.Requests = nil
			for i := range 101 {
				c.Name = fmt.Sprint(i)
				t.Workload.Requests = append(t.Workload.Requests, c)
			}
		}, "workload.requests: 101000 steps in all request classes; at most 100000 are allowed"},
		{"step kind", func(t *Topology) { t.Workload.Requests[0].Steps[0].Kind = 99 }, "workload.requests[0].steps[0]: unknown step kind 99"},
		{"step dist", func(t *Topology) { t.Workload.Requests[0].Steps[0].Dist.Mean = -ms }, "workload.requests[0].steps[0].cpu: must not be negative, got -1ms"},
		{"miss on cpu", func(t *Topology) { t.Workload.Requests[0].Steps[0].Miss = []Step{cpu} }, "workload.requests[0].steps[0].cpu: only cache steps have miss steps"},
		{"cache dist", func(t *Topology) {
			t.Cache = DefaultCache()
			t.Workload.Requests[0].Steps = []Step{{Kind: StepCache, Dist: cpu.Dist}}
		}, "workload.requests[0].steps[0].cache: a cache step has no duration of its own; the cache section's latency applies"},
		{"nested cache", func(t *Topology) {
			t.Cache = DefaultCache()
			t.Workload.Requests[0].Steps = []Step{{Kind: StepCache, Miss: []Step{cpu, {Kind: StepCache, Miss: []Step{cpu}}}}}
		}, "workload.requests[0].steps[0].cache.miss[1].cache: cache steps cannot be nested inside a cache miss; move it to the request class's own steps"},
		{"miss dist", func(t *Topology) {
			t.Cache = DefaultCache()
			t.Workload.Requests[0].Steps = []Step{{Kind: StepCache, Miss: []Step{{Kind: StepDB, Dist: Dist{Kind: Erlang, Mean: ms}}}}}
		}, "workload.requests[0].steps[0].cache.miss[0].db: erlang k must be between 1 and 1000, got 0; e.g. erlang(3, 10ms)"},
		{"offload step", func(t *Topology) { t.Workload.Requests[0].Steps[0].Kind = StepOffload },
			"workload.requests[0].steps[0].offload: an offload step needs an offload section; add a top-level offload: section, e.g. offload: {speed: 20}"},
		{"cache latency", func(t *Topology) { t.Cache = DefaultCache(); t.Cache.Latency = Dist{Kind: Uniform, Min: 2, Max: 1} },
			"cache.latency: uniform min 2ns is greater than max 1ns; write uniform(MIN, MAX) with MIN ≤ MAX"},
		{"cache net latency", func(t *Topology) { t.Cache = DefaultCache(); t.Cache.NetLatency = -ms }, "cache.net_latency: must not be negative, got -1ms"},
		{"hit ratio", func(t *Topology) { t.Cache = DefaultCache(); t.Cache.HitRatio = math.NaN() }, "cache.hit_ratio: must be between 0 and 1, got .nan"},
		{"keys", func(t *Topology) {
			t.Cache = &Cache{Keys: &KeySpace{Count: 0, Capacity: 10_000_001, Zipf: -1, TTL: -time.Second}}
		}, "cache.keys.count: must be between 1 and 100000000, got 0\ncache.keys.capacity: must be between 1 and 10000000, got 10000001\ncache.keys.zipf: must be a number from 0 up, got -1; 0 is uniform, 0.99 is typical\ncache.keys.ttl: must not be negative, got -1s"},
		{"keys count max", func(t *Topology) { t.Cache = &Cache{Keys: DefaultKeySpace(100_000_001)} },
			"cache.keys.count: must be between 1 and 100000000, got 100000001"},
		{"offload", func(t *Topology) { t.Offload = &Offload{Nodes: 0, Cores: 1025, Speed: -1, Latency: -1} },
			"offload.nodes: must be between 1 and 1000, got 0\noffload.cores: must be between 1 and 1024, got 1025\noffload.speed: must be a number greater than 0, got -1\noffload.latency: must not be negative, got -1ns"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			top := validTopology()
			tt.edit(top)
			err := top.Validate()
			if tt.want == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("no error, want %s", tt.want)
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tt.want)
			}
			var es Errors
			if !errors.As(err, &es) {
				t.Fatalf("error is %T, want Errors", err)
			}
			for _, e := range es {
				if e.Path == "" && !strings.HasPrefix(e.Msg, "no topology") {
					t.Errorf("error without a path: %v", e)
				}
				if e.File != "" || e.Line != 0 {
					t.Errorf("Validate error has a position: %v", e)
				}
			}
		})
	}
}

func TestValidateCapsErrors(t *testing.T) {
	top := validTopology()
	c := top.Workload.Requests[0]
	top.Workload.Requests = nil
	for i := range 250 {
		c.Name = fmt.Sprint(i)
		c.Steps = []Step{{Kind: StepIO, Dist: Dist{Kind: Exp}}}
		top.Workload.Requests = append(top.Workload.Requests, c)
	}
	var es Errors
	if !errors.As(top.Validate(), &es) {
		t.Fatal("no Errors")
	}
	if len(es) != maxErrors+1 || es[maxErrors].Error() != "150 more errors not shown" {
		t.Errorf("got %d errors, last %v", len(es), es[len(es)-1])
	}
}

// TestValidatePositions checks that Parse places Validate's errors on the
// value, or on the nearest key written in the file.
func TestValidatePositions(t *testing.T) {
	src := `workload:
  rate: 10
  requests:
    - steps:
        - cpu: 1ms
app:
  model: threads
  concurrency: 4
  memory: 1MiB
cache:
  keys: {count: 100}
`
	_, err := Parse("pos.yaml", []byte(src))
	want := "pos.yaml:9:11: app.memory: 1MiB is smaller than one worker; one worker needs worker_memory 120MiB + concurrency 4 × slot_memory 512KiB = 122MiB; set memory to at least that, or 0 to not model memory"
	if err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}

	// capacity is not written; its error goes to the keys line.
	src = strings.Replace(src, "memory: 1MiB", "memory: 0", 1)
	src = strings.Replace(src, "count: 100}", "count: 100, zipf: -1}", 1)
	_, err = Parse("pos.yaml", []byte(src))
	want = "pos.yaml:11:28: cache.keys.zipf: must be a number from 0 up, got -1; 0 is uniform, 0.99 is typical"
	if err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
	src = strings.Replace(src, "count: 100, zipf: -1}", "count: 200000000}", 1)
	_, err = Parse("pos.yaml", []byte(src))
	want = "pos.yaml:11:3: cache.keys.capacity: must be between 1 and 10000000, got 20000000\n" +
		"pos.yaml:11:17: cache.keys.count: must be between 1 and 100000000, got 200000000"
	if err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
}
