package topology

import (
	"fmt"
	"time"
)

// Defaults are what Parse fills in for whatever a file leaves out. Only
// the workload and app sections are required; lb and db may be left out
// and take their defaults; cache, offload, db.pool and stock exist only
// when written.
//
//	name                  the file's base name without extension (shop.yaml: shop)
//	description           "" (empty)
//	seed                  1
//	workload.rate/users   no default: exactly one must be given
//	workload.think        0 (closed workloads only)
//	requests[i].name      class1, class2, … by position
//	requests[i].share     1
//	app.nodes             1
//	app.cores             1
//	app.workers           1
//	app.model             sync
//	app.concurrency       1
//	app.backlog           100
//	app.timeout           0 (none)
//	app.respawn           1s (a worker killed by harakiri comes back after it)
//	app.memory            0 (memory not modelled)
//	app.worker_memory     120MiB
//	app.slot_memory       512KiB
//	app.speed             1
//	app.gil               true
//	app.switch_interval   5ms
//	app.scheduler         linux (time slices; run_to_completion for FCFS)
//	app.slice             auto (Linux's base slice: 0.70ms × (1 + log2(min(cores, 8))))
//	app.tick              4ms (CONFIG_HZ=250; 0 for exact slices)
//	app.switch_cost       50us
//	lb.policy             round_robin
//	lb.latency            0
//	db.cores              4
//	db.latency            0
//	db.replicas           0 (no read replicas)
//	db.replication_lag    0 (only with replicas)
//	db.shards             1 (not sharded)
//	db.rows               0 (rows not modelled)
//	db.max_connections    0 (no limit)
//	db.connections        per_request
//	db.pool.size          no default: required when pool is given
//	db.scheduler          linux (time slices, as for the app; run_to_completion for FCFS)
//	db.slice              auto (Linux's base slice for db.cores)
//	db.tick               4ms
//	db.switch_cost        50us
//	cache.enabled         true
//	cache.latency         100us (constant)
//	cache.net_latency     0
//	cache.hit_ratio       0.8 (only without keys; with keys it is unused, 0)
//	cache.keys.count      no default: required when keys is given
//	cache.keys.zipf       0.99
//	cache.keys.capacity   count/10, at least 1
//	cache.keys.ttl        0 (never expires)
//	offload.nodes         1
//	offload.cores         4 (each node's)
//	offload.policy        round_robin (the service's own balancer, like lb.policy)
//	offload.speed         1
//	offload.latency       0
//	stock.items           1
//	stock.quantity        no default: required when stock is given
//	stock.strategy        naive
//	stock.query           1ms (constant)
//	stock.retries         3 (used by optimistic only)
//	stock.consumers       4 (used by redis only)
//	autoscale.min         1
//	autoscale.max         no default: required when autoscale is given
//	autoscale.metric      cpu
//	autoscale.target      0.8 for cpu and busy_workers; required for backlog and p99
//	autoscale.interval    15s
//	autoscale.boot        0 (added nodes start at once)
//	autoscale.scale_down_window  5m
//	autoscale.tolerance   0.1
//	failures.*.mtbf/mttr  no default: both required for each kind given
//	failures.db.failover  0 (no replica is promoted)
//
// Defaults returns a topology holding every default above, with an empty
// workload (so it is not valid until a rate or users and a request class
// are added), no cache, no offload, no pool and no stock.
func Defaults() *Topology {
	return &Topology{
		Seed: 1,
		App:  DefaultApp(),
		LB:   LB{Policy: RoundRobin},
		DB:   DB{Cores: 4, Shards: 1, CPU: DefaultCPUSched()},
	}
}

// DefaultApp returns the app section's defaults: one node with one core
// running one sync worker.
func DefaultApp() App {
	return App{
		Nodes:          1,
		Cores:          1,
		Workers:        1,
		Model:          Sync,
		Concurrency:    1,
		Backlog:        100,
		Respawn:        time.Second,
		WorkerMemory:   120 << 20,
		SlotMemory:     512 << 10,
		Speed:          1,
		GIL:            true,
		SwitchInterval: 5 * time.Millisecond,
		CPU:            DefaultCPUSched(),
	}
}

// DefaultCache returns a cache section with its defaults: 100us per
// operation and a fixed hit ratio of 0.8.
func DefaultCache() *Cache {
	return &Cache{
		Latency:  Dist{Kind: Const, Mean: 100 * time.Microsecond},
		HitRatio: 0.8,
	}
}

// DefaultKeySpace returns a key space of count keys with the defaults for
// the rest: Zipf skew 0.99, room for a tenth of the keys (at least one),
// no expiry.
func DefaultKeySpace(count int) *KeySpace {
	return &KeySpace{Count: count, Zipf: 0.99, Capacity: max(count/10, 1)}
}

// DefaultOffload returns an offload section with its defaults: one node
// with four cores, as fast as the app, no network latency.
func DefaultOffload() *Offload {
	return &Offload{Nodes: 1, Cores: 4, Speed: 1}
}

// DefaultPool returns a pool to switch pooling on with: 20 server
// connections per database server, PgBouncer's own default_pool_size.
// A file has no default for it: pool.size is required.
func DefaultPool() *Pool {
	return &Pool{Size: 20}
}

// DefaultStock returns a stock section of quantity units with the
// defaults for the rest: one item, the naive strategy, 1ms per stock
// query, 3 optimistic retries and 4 redis queue consumers.
func DefaultStock(quantity int) *Stock {
	return &Stock{
		Items:     1,
		Quantity:  quantity,
		Strategy:  Naive,
		Query:     Dist{Kind: Const, Mean: time.Millisecond},
		Retries:   3,
		Consumers: 4,
	}
}

// DefaultClassName is the name of the i-th request class (from 0) when
// the file gives none: class1, class2, …
func DefaultClassName(i int) string {
	return fmt.Sprintf("class%d", i+1)
}

// defaultShare is a request class's share when the file gives none.
const defaultShare = 1.0
