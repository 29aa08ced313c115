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
		for seed := uint64(1); seed <= seeds(12); seed++ {
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
	// the UPDATE's hop (0.5 ms) and the UPDATE (1 ms), and two context
	// switches of 50us: the app core's to the buyer's greenlet, the DB
	// core's to the buyer's backend (its UPDATE finds that core still
	// its own). 1/8.1ms = 123 sales a second, whatever the offered load;
	// atomic and redis do many times better.
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
	const hold = 8 + 2*0.05 // ms
	expectNear(t, "row_lock sales/s", st.SalesPerSec, 1e3/hold, 0.02)
	expectNear(t, "lock hold (ms)", st.LockHoldMs, hold, 0.01)
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
	// a sale that starts atomic, then moves to Redis: Redis starts from
	// what the database counts, less a unit held for each atomic buyer
	// whose UPDATE is still to come. They take theirs from the database,
	// Redis sells the rest, and the sale sells exactly its stock.
	s, err := New(parse(t, flashSale("atomic", twoNodes, 1000)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Advance(200 * time.Millisecond)
	before := s.Summary().Stock
	inFlight := openBuyers(s)[famDB]
	if inFlight == 0 {
		t.Fatal("no atomic buyer in flight at the switch")
	}
	switchStrategy(t, s, topology.Redis)
	if got := s.stock.redis[0]; got != before.Left-inFlight {
		t.Fatalf("Redis loaded with %d; the database counts %d, with %d atomic buyers in flight", got, before.Left, inFlight)
	}
	s.Advance(20 * time.Second)
	st := s.Summary().Stock
	checkPhases(t, st)
	if st.Oversold != 0 || st.Left != 0 || st.Sold != uint64(st.Initial) || st.CounterError != 0 {
		t.Fatalf("%d atomic buyers in flight at the switch\nbefore the switch %+v\nafter %+v", inFlight, before, st)
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
	if sum.DB.StaleUpperBound {
		t.Error("per-row stale reads marked as an upper bound")
	}
}

// switchStrategy makes s run strategy from now on.
func switchStrategy(t *testing.T, s *Sim, strategy topology.Strategy) {
	t.Helper()
	next := s.Topology()
	next.Stock.Strategy = strategy
	if err := s.Apply(next); err != nil {
		t.Fatal(err)
	}
}

// bigSale is a naive flash sale with enough stock to last a while: 400
// greenlets buy at once, far more buyers than the stock, and lost
// updates leave the counter above the real stock.
func bigSale(quantity int) string {
	return strings.Replace(flashSale("naive", twoNodes, 1000), "quantity: 500", fmt.Sprintf("quantity: %d", quantity), 1)
}

// twoNodes are 400 greenlets on 8 cores, busy but not overloaded by a
// thousand buyers a second: the flash-sale presets' app tier.
const twoNodes = "{nodes: 2, cores: 4, workers: 4, model: gevent, concurrency: 50, backlog: 200, timeout: 30s}"

// checkPhases asserts that the phases account for every sale, oversale
// and lost update of the run (none left the phase list here).
func checkPhases(t *testing.T, st *StockSummary) {
	t.Helper()
	var sold, over uint64
	var lost int64
	for _, p := range st.Phases {
		sold += p.Sold
		over += p.OversoldInherited + p.OversoldOwn
		lost += p.LostUpdates
	}
	if sold != st.Sold || over != st.Oversold || lost != int64(st.LostUpdates) {
		t.Errorf("phases count %d sold, %d oversold, %d lost updates; the run %d, %d, %d\n%+v",
			sold, over, lost, st.Sold, st.Oversold, st.LostUpdates, st.Phases)
	}
}

func TestPhasesBlameTheOversellOnTheCorruption(t *testing.T) {
	// naive sells its 2,000 units and more; then row_lock sells again the
	// units the naive phase left in the counter. That overselling is the
	// naive phase's doing: row_lock loses no update and creates no error.
	s, err := New(parse(t, bigSale(2000)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Advance(3 * time.Second)
	before := s.Summary().Stock
	if before.LostUpdates == 0 || before.CounterError <= 0 {
		t.Fatalf("the naive phase lost no update: %+v", before)
	}
	switchStrategy(t, s, topology.RowLock)
	s.Advance(60 * time.Second)
	checkConservation(t, s)
	st := s.Summary().Stock
	checkPhases(t, st)
	if len(st.Phases) != 2 {
		t.Fatalf("%d phases, want naive then row_lock: %+v", len(st.Phases), st.Phases)
	}
	naive, lock := st.Phases[0], st.Phases[1]
	if naive.Strategy != "naive" || lock.Strategy != "row_lock" || lock.StartS != 3 || naive.StartS != 0 {
		t.Fatalf("phases %+v", st.Phases)
	}
	if lock.LostUpdates != 0 || lock.OversoldOwn != 0 {
		t.Errorf("row_lock blamed for %d lost updates and %d oversold units", lock.LostUpdates, lock.OversoldOwn)
	}
	if lock.InheritedError <= 0 {
		t.Errorf("row_lock inherited a counter error of %d, but naive had lost %d updates", lock.InheritedError, before.LostUpdates)
	}
	// row_lock sells every unit the counter claims: the real ones, then
	// the error it inherited (and what naive buyers still finishing added)
	if lock.OversoldInherited < uint64(lock.InheritedError) {
		t.Errorf("row_lock oversold %d inherited units of an error of %d", lock.OversoldInherited, lock.InheritedError)
	}
	if st.CounterError != 0 || st.Left != 0 {
		t.Errorf("sold out, the counter still claims %d too many (%d left)", st.CounterError, st.Left)
	}
}

func TestReconcileStopsTheOversell(t *testing.T) {
	// naive oversells; the switch alone keeps selling the counter's
	// error; a reconcile sets the counter to the real stock, and from
	// then on the consistent strategies sell nothing that does not exist.
	for _, strategy := range []topology.Strategy{topology.RowLock, topology.Optimistic, topology.Atomic, topology.Redis} {
		s, err := New(parse(t, bigSale(1000)), Options{})
		if err != nil {
			t.Fatal(err)
		}
		s.Advance(4 * time.Second)
		switchStrategy(t, s, strategy)
		// naive buyers that read before the switch finish: until then
		// they write back what they read, corrupting the counter again.
		// Under row_lock their UPDATEs wait for the row lock.
		wait := 100 * time.Millisecond
		if strategy == topology.RowLock || strategy == topology.Optimistic {
			wait = time.Second
		}
		s.Advance(s.Now() + wait)
		before := s.Summary().Stock
		if before.CounterError <= 0 || before.Oversold == 0 {
			t.Fatalf("%v: nothing to reconcile: %+v", strategy, before)
		}
		s.ReconcileStock()
		s.Advance(s.Now() + 30*time.Second)
		checkConservation(t, s)
		st := s.Summary().Stock
		checkPhases(t, st)
		last := st.Phases[len(st.Phases)-1]
		if !last.Reconciled || last.Strategy != strategy.String() || last.Corrected <= 0 {
			t.Errorf("%v: last phase %+v", strategy, last)
		}
		// only buyers already past their read when the counter was fixed
		// could still sell a unit that did not exist: a handful at most
		if grew := st.Oversold - before.Oversold; grew > 10 {
			t.Errorf("%v: oversold %d → %d after the reconcile", strategy, before.Oversold, st.Oversold)
		}
		if st.LostUpdates != before.LostUpdates || st.CounterError != 0 || st.Left != 0 || st.RealLeft != 0 {
			t.Errorf("%v: after the reconcile %+v", strategy, st)
		}
		if last.OversoldOwn != 0 || last.LostUpdates != 0 {
			t.Errorf("%v: the reconciled phase oversold %d units of its own, lost %d updates", strategy, last.OversoldOwn, last.LostUpdates)
		}
	}
}

func TestReconcileBeforeSellOutSellsExactlyTheStock(t *testing.T) {
	// naive loses updates while real units remain: the counter is too
	// high but nothing is oversold yet. A switch and a reconcile, and the
	// sale ends with exactly the initial stock sold.
	for _, strategy := range []topology.Strategy{topology.RowLock, topology.Atomic, topology.Redis} {
		s, err := New(parse(t, bigSale(4000)), Options{})
		if err != nil {
			t.Fatal(err)
		}
		s.Advance(2 * time.Second)
		switchStrategy(t, s, strategy)
		s.Advance(s.Now() + time.Second)
		if st := s.Summary().Stock; st.CounterError <= 0 || st.Oversold != 0 {
			t.Fatalf("%v: want a wrong counter and nothing oversold yet: %+v", strategy, st)
		}
		s.ReconcileStock()
		for i := 0; s.Summary().Stock.RealLeft > 0; i++ {
			if i == 60 {
				t.Fatalf("%v: not sold out in 10 minutes: %+v", strategy, s.Summary().Stock)
			}
			s.Advance(s.Now() + 10*time.Second)
		}
		s.Advance(s.Now() + 5*time.Second) // the redis orders land
		checkConservation(t, s)
		st := s.Summary().Stock
		if st.Oversold != 0 || st.Sold != uint64(st.Initial) || st.Left != 0 || st.CounterError != 0 {
			t.Errorf("%v: %+v", strategy, st)
		}
	}
}

func TestNaiveCorruptsAgainAfterAReconcile(t *testing.T) {
	s, err := New(parse(t, bigSale(100000)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Advance(3 * time.Second)
	s.ReconcileStock()
	if st := s.Summary().Stock; st.CounterError > 10 {
		t.Fatalf("just reconciled, the counter is %d too high", st.CounterError)
	}
	s.Advance(6 * time.Second)
	st := s.Summary().Stock
	checkPhases(t, st)
	if last := st.Phases[len(st.Phases)-1]; last.LostUpdates == 0 || st.CounterError <= 0 {
		t.Errorf("naive lost no update after a reconcile: %+v", last)
	}
}

func TestStockPhasesAreBounded(t *testing.T) {
	s, err := New(parse(t, bigSale(100000)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 1000 {
		s.Advance(s.Now() + time.Millisecond)
		if i%2 == 0 {
			s.ReconcileStock()
		} else {
			switchStrategy(t, s, topology.Strategy(i%5))
		}
	}
	if n := len(s.Summary().Stock.Phases); n > maxStockPhases {
		t.Fatalf("%d phases kept", n)
	}
	checkConservation(t, s)
}

// BenchmarkFlashSale runs each strategy on 100 items that never run
// out: the stock's bookkeeping must not allocate.
func BenchmarkFlashSale(b *testing.B) {
	for _, strategy := range []string{"naive", "row_lock", "optimistic", "atomic", "redis"} {
		b.Run(strategy, func(b *testing.B) {
			text := strings.Replace(flashSale(strategy, manyWorkers, 1000), "items: 1, quantity: 500", "items: 100, quantity: 100000000", 1)
			benchRun(b, text)
		})
	}
}

func TestStaleReadsWithoutRowsAreAnUpperBound(t *testing.T) {
	// Without rows, a replica read counts when any write had not yet
	// reached the replica: whether the read's row was written is unknown,
	// so the count is an upper bound, and says so. It is what one row
	// would give (every write hits the row read): 1 - exp(-200 * 0.05)
	// of the reads; with 100 rows the per-row count is far below it.
	text := `
workload:
  rate: 1000
  requests:
    - {name: read, share: 4, steps: [{read: exp(1ms)}]}
    - {name: write, share: 1, steps: [{write: exp(1ms)}]}
app: {cores: 8, workers: 4, model: gevent, concurrency: 100, backlog: unlimited}
db: {cores: 8, replicas: 1, replication_lag: 50ms%s}
`
	frac := func(rows string) (float64, *DBSummary) {
		sum := simulate(t, parse(t, fmt.Sprintf(text, rows)), 5*time.Second, 50*time.Second).Summary()
		return float64(sum.DB.StaleReads) / float64(sum.DB.ReplicaReads), sum.DB
	}
	bound, db := frac("")
	if !db.StaleUpperBound {
		t.Error("without rows, the stale reads are not marked as an upper bound")
	}
	one, db1 := frac(", rows: 1")
	perRow, db100 := frac(", rows: 100")
	if db1.StaleUpperBound || db100.StaleUpperBound {
		t.Error("with rows, the stale reads are marked as an upper bound")
	}
	expectNear(t, "upper bound", bound, 1-math.Exp(-200*0.05), 0.01)
	expectNear(t, "one row", one, bound, 0.01)
	if perRow > bound/5 {
		t.Errorf("100 rows: %.3f of the reads stale, against a bound of %.3f", perRow, bound)
	}
}
