package sim

import (
	"math"
	"strings"
	"testing"
	"time"

	"scalesim/theory"
)

// queueOf finds the station named name among sum's queues.
func queueOf(t testing.TB, sum Summary, name string) QueueStat {
	t.Helper()
	for _, q := range sum.Queues {
		if q.Name == name {
			return q
		}
	}
	t.Fatalf("no queue %q in %+v", name, sum.Queues)
	return QueueStat{}
}

// meanSE is the mean of xs and its standard error.
func meanSE(xs []float64) (mean, se float64) {
	for _, x := range xs {
		mean += x
	}
	mean /= float64(len(xs))
	v := 0.0
	for _, x := range xs {
		v += (x - mean) * (x - mean)
	}
	return mean, math.Sqrt(v / float64(len(xs)-1) / float64(len(xs)))
}

// Each station the sim calls M/M/c (or M/M/c/K, M/G/1) agrees with its
// model's prediction from the measured arrival rate and mean service
// time. Each file runs over 5 fixed seeds; a figure's mean over them
// must lie within 5 of its standard errors of the prediction (Student's
// t with 4 degrees of freedom leaves 0.4% beyond 5), or within 0.5% of
// it, the floor for figures whose seeds agree to the digit.
func TestQueuesAgreeWithTheory(t *testing.T) {
	long(t)
	cases := []struct {
		name, text, station, model string
		// approx is, for an approximation, its error allowed
		approx float64
	}{
		{"sync workers on cores", `
workload: {rate: 3200, requests: [{steps: [{cpu: exp(1ms)}]}]}
app: {workers: 4, cores: 4, backlog: unlimited}
`, "app", theory.NameMMc, 0},
		{"a finite backlog", `
workload: {rate: 3000, requests: [{steps: [{cpu: exp(1ms)}]}]}
app: {workers: 2, cores: 2, backlog: 3}
`, "app", theory.NameMMcK, 0},
		{"database cores", `
workload: {rate: 3200, requests: [{steps: [{db: exp(1ms)}]}]}
app: {workers: 1, model: gevent, concurrency: 100000, cores: 1, backlog: unlimited}
db: {cores: 4, scheduler: run_to_completion, switch_cost: 0s}
`, "primary", theory.NameMMc, 0},
		{"the pooler", `
workload: {rate: 3200, requests: [{steps: [{db: exp(1ms)}]}]}
app: {workers: 1, model: gevent, concurrency: 100000, cores: 1, backlog: unlimited}
db: {cores: 8, pool: {size: 4}, scheduler: run_to_completion, switch_cost: 0s}
`, "pool:primary", theory.NameMMc, 0},
		// time-sliced cores, no switch cost: processor sharing, whose
		// number inside and response time are M/M/c's (the wait is not
		// defined, and not compared)
		{"time-sliced database cores", `
workload: {rate: 3200, requests: [{steps: [{db: exp(1ms)}]}]}
app: {workers: 1, model: gevent, concurrency: 100000, cores: 1, backlog: unlimited}
db: {cores: 4, scheduler: linux, switch_cost: 0s}
`, "primary", theory.NameMMcPS, 0},
		{"the offload service", `
workload: {rate: 1500, requests: [{steps: [{offload: exp(2ms)}]}]}
app: {workers: 1, model: gevent, concurrency: 100000, cores: 1, backlog: unlimited}
offload: {cores: 4}
`, "offload", theory.NameMMc, 0},
		{"the cache", `
workload: {rate: 4000, requests: [{steps: [{cache: {miss: [{io: 1ms}]}}]}]}
app: {workers: 1, model: gevent, concurrency: 100000, cores: 1, backlog: unlimited}
cache: {latency: 100us, keys: {count: 1000, capacity: 1000}}
`, "cache", theory.NameMG1, 0},
		// Allen and Cunneen's approximation: within 5% here at cv 0.2
		// (ρ = 0.8, c = 4) and 1% at cv 0.58 (c = 2); the literature
		// puts it within about 10% at such loads and cv ≤ 1 (beyond, a
		// heavy tail, it drifts: 6% to 12% at lognormal cv 2 by seed)
		{"not exponential, cv 0.2", `
workload: {rate: 3200, requests: [{steps: [{db: 'erlang(25, 1ms)'}]}]}
app: {workers: 1, model: gevent, concurrency: 100000, cores: 1, backlog: unlimited}
db: {cores: 4, scheduler: run_to_completion, switch_cost: 0s}
`, "primary", theory.NameMGc, 0.10},
		{"not exponential, cv 0.58", `
workload: {rate: 1600, requests: [{steps: [{db: 'uniform(0s, 2ms)'}]}]}
app: {workers: 1, model: gevent, concurrency: 100000, cores: 1, backlog: unlimited}
db: {cores: 2, scheduler: run_to_completion, switch_cost: 0s}
`, "primary", theory.NameMGc, 0.10},
	}
	type figure struct {
		name string
		meas func(QueueStat) float64
		pred func(*theoryPrediction) float64
	}
	figures := []figure{
		{"wait (ms)", func(q QueueStat) float64 { return q.WaitMs }, func(p *theoryPrediction) float64 { return p.wq.Seconds() * 1e3 }},
		{"queue", func(q QueueStat) float64 { return q.QueueMean }, func(p *theoryPrediction) float64 { return p.lq }},
		{"inside", func(q QueueStat) float64 { return q.InsideMean }, func(p *theoryPrediction) float64 { return p.l }},
		{"response (ms)", func(q QueueStat) float64 { return q.ResponseMs }, func(p *theoryPrediction) float64 { return p.w.Seconds() * 1e3 }},
		{"utilisation", func(q QueueStat) float64 { return q.Utilization }, func(p *theoryPrediction) float64 { return p.util }},
		{"refused", func(q QueueStat) float64 { return q.Refused }, func(p *theoryPrediction) float64 { return p.refused }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			top := parse(t, tc.text)
			meas := make([][]float64, len(figures))
			pred := make([][]float64, len(figures))
			for seed := uint64(1); seed <= seeds(5); seed++ {
				top.Seed = seed
				s := simulate(t, top, 10*time.Second, 120*time.Second)
				q := queueOf(t, s.Summary(), tc.station)
				if q.Model != tc.model {
					t.Fatalf("%s: model %q (%s), want %s", tc.station, q.Model, q.Why, tc.model)
				}
				p := predictOf(t, q)
				for i, f := range figures {
					if !p.wait && (f.name == "wait (ms)" || f.name == "queue") {
						continue // processor sharing: the model has no wait
					}
					meas[i] = append(meas[i], f.meas(q))
					pred[i] = append(pred[i], f.pred(p))
				}
			}
			for i, f := range figures {
				m, se := meanSE(meas[i])
				want, _ := meanSE(pred[i])
				if want == 0 && m == 0 {
					continue
				}
				d := math.Abs(m - want)
				if tc.approx > 0 {
					if d > tc.approx*math.Abs(want) {
						t.Errorf("%s %s: measured %.5g, %s approximates %.5g: off by more than %.0f%%", tc.station, f.name, m, tc.model, want, 100*tc.approx)
					}
					continue
				}
				if d > 5*se && d > 0.005*math.Abs(want) {
					t.Errorf("%s %s: measured %.5g ± %.2g, %s predicts %.5g", tc.station, f.name, m, se, tc.model, want)
				}
			}
		})
	}
}

// theoryPrediction is a model's figures for a measured station.
type theoryPrediction struct {
	wq, w                time.Duration
	lq, l, util, refused float64
	wait                 bool // the model defines the wait and the queue
}

func predictOf(t *testing.T, q QueueStat) *theoryPrediction {
	t.Helper()
	f, err := q.Predict()
	if err != nil {
		t.Fatal(err)
	}
	if !f.Stable {
		t.Fatalf("%+v is unstable", q)
	}
	return &theoryPrediction{wq: f.Wq, w: f.W, lq: f.Lq, l: f.L, util: f.Utilisation, refused: f.Refused, wait: f.Wait}
}

// A station with non-exponential service times and several servers has
// only an approximation, and says why.
func TestQueuesApproximateWhenNotExponential(t *testing.T) {
	s := simulate(t, parse(t, `
workload: {rate: 500, requests: [{steps: [{cpu: 'erlang(25, 1ms)'}]}]}
app: {workers: 2, cores: 2, backlog: unlimited}
`), time.Second, 20*time.Second)
	q := queueOf(t, s.Summary(), "app")
	if q.Model != theory.NameMGc || !strings.Contains(q.Why, "service time not exponential (cv 0.2)") {
		t.Errorf("model %q, why %q; want M/G/c, approximate because the service time is not exponential (cv 0.2)", q.Model, q.Why)
	}
}

// Where a station is not an M/M/c the sim says why, in words a presenter
// can say.
func TestQueuesSayWhyNotMMc(t *testing.T) {
	cases := []struct {
		name, text, station, why string
	}{
		{"the GIL", `
workload: {rate: 100, requests: [{steps: [{cpu: exp(1ms)}]}]}
app: {workers: 1, model: threads, concurrency: 4, cores: 4}
`, "app", "GIL: threads share one interpreter"},
		{"gevent", `
workload: {rate: 100, requests: [{steps: [{cpu: exp(1ms)}]}]}
app: {workers: 1, model: gevent, concurrency: 100, cores: 1}
`, "app", "greenlets share a process"},
		{"time-sliced cores", `
workload: {rate: 100, requests: [{steps: [{cpu: exp(1ms)}]}]}
app: {workers: 8, cores: 2}
`, "app", "time-sliced cores: 8 workers share 2 cores (processor sharing, not FCFS)"},
		{"not exponential, finite backlog", `
workload: {rate: 500, requests: [{steps: [{cpu: 1ms}]}]}
app: {workers: 2, cores: 2, backlog: 10}
`, "app", "finite backlog drops"},
		{"a closed workload", `
workload: {users: 10, think: exp(10ms), requests: [{steps: [{cpu: exp(1ms)}]}]}
app: {workers: 4, cores: 4}
`, "app", "closed workload"},
		{"io steps", `
workload: {rate: 100, requests: [{steps: [{cpu: exp(1ms)}, {io: 5ms}]}]}
app: {workers: 4, cores: 4}
`, "app", "through its io steps too"},
		{"nodes", `
workload: {rate: 100, requests: [{steps: [{cpu: exp(1ms)}]}]}
app: {nodes: 2, workers: 2, cores: 2}
`, "app", "2 nodes behind the balancer"},
		{"a finite source", `
workload: {rate: 100, requests: [{steps: [{db: exp(1ms)}]}]}
app: {workers: 4, cores: 4}
db: {cores: 4}
`, "primary", "the app's worker slots let at most 4 requests at a time reach its 4 servers"},
		{"a full app", `
workload: {rate: 900, requests: [{steps: [{db: exp(1ms)}, {io: 10ms}]}]}
app: {workers: 10, cores: 4, backlog: 100}
db: {cores: 4}
`, "primary", "the app's worker slots were all taken at times"},
		{"one sync worker in front of the cache", `
workload: {rate: 100, requests: [{steps: [{cache: {miss: [{cpu: exp(1ms)}]}}]}]}
app: {workers: 1, cores: 1}
cache: {}
`, "cache", "the app's worker slots let at most 1 request at a time reach its 1 server"},
		{"a cache nothing uses", `
workload: {rate: 900, requests: [{steps: [{cpu: exp(1ms)}, {io: 10ms}]}]}
app: {workers: 10, cores: 4, backlog: 100}
cache: {}
`, "cache", "nothing arrived in the window"},
		{"row locks", `
workload: {rate: 100, requests: [{steps: [{buy: exp(1ms)}]}]}
app: {workers: 1, model: gevent, concurrency: 1000, cores: 1}
db: {cores: 4}
stock: {items: 1, quantity: 100000, strategy: row_lock, query: exp(1ms)}
`, "primary", "row locks hold queries back"},
		{"queries about a slice long", `
workload: {rate: 100, requests: [{steps: [{db: 'lognormal(3ms, 0.2)'}]}]}
app: {workers: 1, model: gevent, concurrency: 1000, cores: 1}
db: {cores: 4}
`, "primary", "time-sliced cores: queries of 3ms (cv 0.2) against a 2.1ms slice"},
		{"offload nodes", `
workload: {rate: 100, requests: [{steps: [{offload: exp(1ms)}]}]}
app: {workers: 1, model: gevent, concurrency: 1000, cores: 1}
offload: {nodes: 2, cores: 2}
`, "offload", "2 offload nodes behind their balancer"},
		{"the pooler over a hop", `
workload: {rate: 100, requests: [{steps: [{db: exp(1ms)}]}]}
app: {workers: 1, model: gevent, concurrency: 1000, cores: 1}
db: {cores: 8, latency: 1ms, pool: {size: 4}}
`, "pool:primary", "over the network hops too"},
		{"a pool larger than the cores", `
workload: {rate: 100, requests: [{steps: [{db: exp(1ms)}]}]}
app: {workers: 1, model: gevent, concurrency: 1000, cores: 1}
db: {cores: 2, pool: {size: 4}}
`, "pool:primary", "4 connections for 2 cores"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := simulate(t, parse(t, tc.text), time.Second, 20*time.Second)
			q := queueOf(t, s.Summary(), tc.station)
			if q.Model != "" || !strings.Contains(q.Why, tc.why) {
				t.Errorf("%s: model %q, why %q; want no model, because %q", tc.station, q.Model, q.Why, tc.why)
			}
		})
	}
}

// Reading the queues changes nothing: two summaries in a row agree, and
// a run read every second ends as one never read.
func TestReadingQueuesChangesNothing(t *testing.T) {
	text := `
workload: {rate: 2000, requests: [{steps: [{cpu: exp(1ms)}]}]}
app: {workers: 4, cores: 4, backlog: unlimited}
`
	a := simulate(t, parse(t, text), time.Second, 10*time.Second)
	b, err := New(parse(t, text), Options{Warmup: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	for sec := 1; sec <= 11; sec++ {
		b.Advance(time.Duration(sec) * time.Second)
		_ = b.Summary()
	}
	qa, qb := a.Summary().Queues, b.Summary().Queues
	if len(qa) != len(qb) || qa[0] != qb[0] {
		t.Errorf("read every second %+v, never read %+v", qb, qa)
	}
}
