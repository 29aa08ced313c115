package sim

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"scalesim/topology"
)

// flashSale is a burst of buyers far above the stock of one hot item.
func flashSale(strategy, app string, rate float64) string {
	return fmt.Sprintf(`
workload:
  rate: %g
  requests:
    - name: buy
      steps:
        - cpu: exp(2ms)
        - buy: exp(5ms)
app: %s
db: {cores: 8, latency: 500us}
cache: {latency: 50us}
stock: {items: 1, quantity: 500, strategy: %s, query: exp(1ms), retries: 3, consumers: 4}
`, rate, app, strategy)
}

const manyWorkers = "{cores: 4, workers: 8, model: gevent, concurrency: 50, backlog: unlimited}"

func stockOf(t *testing.T, text string, seed uint64, d time.Duration) *StockSummary {
	t.Helper()
	s, err := New(parse(t, text), Options{Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	s.Advance(d)
	checkConservation(t, s)
	st := s.Summary().Stock
	if st == nil {
		t.Fatal("no stock in the summary")
	}
	return st
}

func TestNaiveOversellsWhenBuyersInterleave(t *testing.T) {
	st := stockOf(t, flashSale("naive", manyWorkers, 2000), 1, 10*time.Second)
	if st.Oversold == 0 {
		t.Fatalf("naive with 400 concurrent buyers sold %d of %d and oversold none", st.Sold, st.Initial)
	}
	if st.Sold <= uint64(st.Initial) {
		t.Fatalf("sold %d of %d, expected more than the stock", st.Sold, st.Initial)
	}
}

func TestNaiveNeverOversellsWithOneSyncWorker(t *testing.T) {
	for seed := uint64(1); seed <= 5; seed++ {
		st := stockOf(t, flashSale("naive", "{cores: 4, workers: 1, backlog: unlimited}", 200), seed, 20*time.Second)
		if st.Oversold != 0 {
			t.Fatalf("seed %d: one sync worker oversold %d", seed, st.Oversold)
		}
		if st.Sold != uint64(st.Initial) || st.Left != 0 {
			t.Fatalf("seed %d: sold %d, left %d of %d", seed, st.Sold, st.Left, st.Initial)
		}
	}
}

func TestConsistentStrategiesNeverOversell(t *testing.T) {
	// a property over many seeds and two shapes of app tier
	for _, strategy := range []string{"row_lock", "optimistic", "atomic", "redis"} {
		for seed := uint64(1); seed <= 12; seed++ {
			app := manyWorkers
			if seed%2 == 0 {
				app = "{nodes: 3, cores: 2, workers: 4, model: threads, concurrency: 16, backlog: 200, timeout: 2s}"
			}
			st := stockOf(t, flashSale(strategy, app, 3000), seed, 8*time.Second)
			if st.Oversold != 0 || st.Sold > uint64(st.Initial) {
				t.Fatalf("%s seed %d: sold %d of %d (oversold %d)", strategy, seed, st.Sold, st.Initial, st.Oversold)
			}
			if st.Left < 0 {
				t.Fatalf("%s seed %d: negative stock %d", strategy, seed, st.Left)
			}
		}
	}
}

func TestRowLockThroughputIsOneOverHoldTime(t *testing.T) {
	// One hot row, a stock that never runs out: buyers queue on the lock,
	// which is held from the SELECT's start to the UPDATE's commit: the
	// SELECT (1 ms), its answer's hop back (0.5 ms), the app code (5 ms),
	// the UPDATE's hop (0.5 ms) and the UPDATE (1 ms). 1/8ms = 125 sales
	// a second, whatever the offered load; atomic and redis do many times
	// better.
	text := func(strategy string) string {
		return fmt.Sprintf(`
workload: {rate: 1500, requests: [{steps: [{buy: 5ms}]}]}
app: {cores: 16, workers: 16, model: gevent, concurrency: 100, backlog: unlimited}
db: {cores: 8, latency: 500us}
cache: {latency: 50us}
stock: {quantity: 100000000, strategy: %s, query: 1ms}
`, strategy)
	}
	s := simulate(t, parse(t, text("row_lock")), 5*time.Second, 30*time.Second)
	st := s.Summary().Stock
	expectNear(t, "row_lock sales/s", st.SalesPerSec, 1/0.008, 0.02)
	expectNear(t, "lock hold (ms)", st.LockHoldMs, 8, 0.01)
	if st.LockQueueMean < 10 {
		t.Errorf("lock queue %.1f: buyers should pile up on the row", st.LockQueueMean)
	}
	for _, fast := range []string{"atomic", "redis"} {
		f := simulate(t, parse(t, text(fast)), 5*time.Second, 30*time.Second).Summary().Stock
		if f.SalesPerSec < 10*st.SalesPerSec {
			t.Errorf("%s: %.0f sales/s, want over 10x row_lock's %.0f", fast, f.SalesPerSec, st.SalesPerSec)
		}
	}
}

func TestOptimisticRetriesGrowWithContention(t *testing.T) {
	var prev float64
	for i, rate := range []float64{20, 100, 400} {
		st := stockOf(t, fmt.Sprintf(`
workload: {rate: %g, requests: [{steps: [{buy: exp(5ms)}]}]}
app: {cores: 8, workers: 8, model: gevent, concurrency: 100, backlog: unlimited}
db: {cores: 8}
stock: {quantity: 100000000, strategy: optimistic, query: exp(1ms), retries: 100}
`, rate), 1, 30*time.Second)
		perSale := float64(st.Retries) / float64(st.Sold)
		if i > 0 && perSale <= prev {
			t.Errorf("rate %g: %.3f retries per sale, not above %.3f at the lower rate", rate, perSale, prev)
		}
		prev = perSale
	}
}

func TestReplicasTakeTheReads(t *testing.T) {
	// 80% reads, 20% writes; the reads spread over the replicas, so the
	// primary serves only the writes.
	text := `
workload:
  rate: 1000
  requests:
    - {name: read, share: 4, steps: [{read: exp(2ms)}]}
    - {name: write, share: 1, steps: [{write: exp(2ms)}]}
app: {cores: 8, workers: 4, model: gevent, concurrency: 100, backlog: unlimited}
db: {cores: 4, replicas: %d, replication_lag: %s}
`
	for _, replicas := range []int{0, 1, 3} {
		lag := "50ms"
		if replicas == 0 {
			lag = "0s"
		}
		sum := simulate(t, parse(t, fmt.Sprintf(text, replicas, lag)), 5*time.Second, 60*time.Second).Summary()
		var primary, replicaTotal float64
		for _, sv := range sum.DB.Servers {
			if sv.Role == "primary" {
				primary += sv.ThroughputRPS
			} else {
				replicaTotal += sv.ThroughputRPS
				expectNear(t, fmt.Sprintf("%d replicas: one replica's reads", replicas), sv.ThroughputRPS, 800/float64(replicas), 0.05)
			}
		}
		want := 1000.0
		if replicas > 0 {
			want = 200
			if sum.DB.StaleReads == 0 {
				t.Errorf("%d replicas behind by 50 ms under 200 writes/s served no stale read", replicas)
			}
		}
		expectNear(t, fmt.Sprintf("%d replicas: primary queries/s", replicas), primary, want, 0.05)
	}
}

func TestShardsDivideWrites(t *testing.T) {
	text := `
workload: {rate: 2000, requests: [{steps: [{write: exp(1ms)}]}]}
app: {cores: 8, workers: 4, model: gevent, concurrency: 200, backlog: unlimited}
db: {cores: 4, shards: %d}
`
	for _, shards := range []int{1, 2, 4} {
		sum := simulate(t, parse(t, fmt.Sprintf(text, shards)), 5*time.Second, 60*time.Second).Summary()
		if len(sum.DB.Servers) != shards {
			t.Fatalf("%d shards: %d servers", shards, len(sum.DB.Servers))
		}
		for _, sv := range sum.DB.Servers {
			expectNear(t, fmt.Sprintf("%d shards: %s writes/s", shards, sv.Name), sv.ThroughputRPS, 2000/float64(shards), 0.05)
		}
	}
}

func TestConnectionLimitRefusesExactlyBeyondIt(t *testing.T) {
	// 3 workers x 100 greenlets, each holding its connection for a
	// request's 200 ms of I/O after one query: about 300 want a
	// connection at once against max_connections 100.
	text := `
workload: {rate: 1400, requests: [{steps: [{db: exp(1ms)}, {io: 200ms}]}]}
app: {cores: 4, workers: 3, model: gevent, concurrency: 100, backlog: unlimited}
db: {cores: 8, max_connections: 100, connections: %s}
`
	for _, policy := range []string{"per_request", "persistent"} {
		s := simulate(t, parse(t, fmt.Sprintf(text, policy)), 2*time.Second, 20*time.Second)
		sum := s.Summary()
		if sum.DB.Refused == 0 || sum.Requests.Failed == 0 {
			t.Errorf("%s: no connection refused: %+v", policy, sum.DB)
		}
		if sum.DB.Connections > 100 {
			t.Errorf("%s: %d connections open, limit 100", policy, sum.DB.Connections)
		}
	}
	// the pooler keeps 20 server connections and queues transactions
	pooled := simulate(t, parse(t, `
workload: {rate: 1400, requests: [{steps: [{db: exp(1ms)}, {io: 200ms}]}]}
app: {cores: 4, workers: 3, model: gevent, concurrency: 100, backlog: unlimited}
db: {cores: 8, max_connections: 100, pool: {size: 20}}
`), 2*time.Second, 20*time.Second).Summary()
	if pooled.DB.Refused != 0 || pooled.Requests.Failed != 0 {
		t.Errorf("with a pooler: %d refused, %d failed", pooled.DB.Refused, pooled.Requests.Failed)
	}
	expectNear(t, "throughput with a pooler", pooled.ThroughputRPS, 1400, 0.03)
}

func TestConnectionLimitCountsExactly(t *testing.T) {
	// 150 users send at once; each request holds its connection for 10 s
	// of I/O after a query. Exactly 100 get a connection and 50 are
	// refused, then wait their 1 s think time.
	sum := simulate(t, parse(t, `
workload: {users: 150, think: 1s, requests: [{steps: [{db: 1ms}, {io: 10s}]}]}
app: {cores: 4, workers: 1, model: gevent, concurrency: 1000, backlog: unlimited}
db: {cores: 8, max_connections: 100}
`), 0, 1500*time.Millisecond).Summary()
	if sum.DB.Refused != 50 || sum.DB.Connections != 100 || sum.Requests.Failed != 50 {
		t.Fatalf("refused %d, open %d, failed %d; want 50, 100, 50", sum.DB.Refused, sum.DB.Connections, sum.Requests.Failed)
	}
}

func TestEveryStrategyDrains(t *testing.T) {
	// no buyer is ever stuck: in a lock queue, a pooler's queue, Redis or
	// the order queue
	for _, strategy := range []string{"naive", "row_lock", "optimistic", "atomic", "redis"} {
		text := flashSale(strategy, "{cores: 4, workers: 4, model: gevent, concurrency: 50, backlog: 100, timeout: 2s}", 2000) +
			"\n" // and through a pooler with few connections
		text = strings.Replace(text, "db: {cores: 8, latency: 500us}", "db: {cores: 8, latency: 500us, max_connections: 30, pool: {size: 10}}", 1)
		s, err := New(parse(t, text), Options{})
		if err != nil {
			t.Fatal(err)
		}
		s.Advance(10 * time.Second)
		checkActivities(t, s)
		drain(t, s)
		if t.Failed() {
			t.Fatalf("strategy %s", strategy)
		}
	}
}

func TestLockQueueCostsNoMoreThanItsWaiters(t *testing.T) {
	// 100k buyers pile up on one row lock held 1 s at a time: the queue
	// holds a 4-byte id per waiter, in a ring at most twice their number.
	s := simulate(t, parse(t, `
workload: {rate: 100000, requests: [{steps: [{buy: 1s}]}]}
app: {cores: 1, workers: 1, model: gevent, concurrency: 100000, backlog: 0, speed: 1000}
db: {cores: 1}
stock: {quantity: 1000000, strategy: row_lock, query: 1s}
`), 0, 1500*time.Millisecond)
	q := &s.stock.lockQ[0]
	if q.len() < 99000 {
		t.Fatalf("only %d waiters", q.len())
	}
	if bytes := 4 * cap(q.buf); bytes > 2*4*q.len() {
		t.Fatalf("%d waiters in a %d-byte queue", q.len(), bytes)
	}
}

func TestSwitchingToRedisLoadsTheStockIntoRedis(t *testing.T) {
	// a sale that starts naive (and loses updates), then moves to Redis:
	// Redis starts from what the database counts, so from then on
	// nothing more is sold than the database had
	s, err := New(parse(t, flashSale("atomic", manyWorkers, 1000)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Advance(200 * time.Millisecond)
	before := s.Summary().Stock
	next := s.Topology()
	next.Stock.Strategy = topology.Redis
	if err := s.Apply(next); err != nil {
		t.Fatal(err)
	}
	s.Advance(20 * time.Second)
	st := s.Summary().Stock
	if st.Oversold != 0 || st.Left != 0 || st.Sold != uint64(st.Initial) {
		t.Fatalf("before the switch %+v\nafter %+v", before, st)
	}
	if st.LostUpdates != 0 {
		t.Fatalf("%d lost updates counted under atomic then redis", st.LostUpdates)
	}
}

func TestStaleReadsPerRow(t *testing.T) {
	// Writes of 100 rows arrive as a Poisson stream of 200 a second; a
	// replica is 50 ms behind. A read of a row is stale when the row was
	// written in the last 50 ms: 1 - exp(-200 * 0.05 / 100) = 9.5% of
	// reads. Over 80k reads the binomial standard error is about 1% of
	// that; the tolerance is 5%.
	sum := simulate(t, parse(t, `
workload:
  rate: 1000
  requests:
    - {name: read, share: 4, steps: [{read: exp(1ms)}]}
    - {name: write, share: 1, steps: [{write: exp(1ms)}]}
app: {cores: 8, workers: 4, model: gevent, concurrency: 100, backlog: unlimited}
db: {cores: 8, replicas: 1, replication_lag: 50ms, rows: 100}
`), 5*time.Second, 100*time.Second).Summary()
	got := float64(sum.DB.StaleReads) / float64(sum.DB.ReplicaReads)
	expectNear(t, "stale fraction", got, 1-math.Exp(-200*0.05/100), 0.05)
}
