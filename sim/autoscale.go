package sim

import (
	"fmt"
	"math"
	"time"

	"scalesim/topology"
)

// autoscaler is the app tier's horizontal autoscaler. Every interval it
// measures its metric over the interval just ended, on the nodes that
// take traffic, asks the HPA's rule (hpa.go) for a node count, and
// scales the pool to it. Its measurements read the whole run's
// integrals, which warm-ups and the dashboard's resets leave alone.
type autoscaler struct {
	on   bool
	cfg  topology.Autoscale
	rule hpaRule
	gen  uint32 // counts evaluation loops; an event of an older one is stale

	// the integrals at the start of the interval, at markAt
	markAt                        int64
	cpuBusy, cpuServers           float64
	appBusy, appServers, appQueue float64
	// lat holds the latencies completed since the last evaluation, for
	// the p99 metric (nil for the others)
	lat *Histogram

	state AutoscaleState
}

// AutoscaleState is the autoscaler as of its last evaluation, for
// display.
type AutoscaleState struct {
	Metric string `json:"metric"`
	// Value is the metric at the last evaluation and Target its target,
	// in the metric's unit: a utilisation from 0 to 1 for cpu and
	// busy_workers, requests waiting per node for backlog, milliseconds
	// for p99. Measured is false until an evaluation could measure it.
	Value    float64 `json:"value"`
	Target   float64 `json:"target"`
	Measured bool    `json:"measured"`
	// Current is the nodes taking traffic now, Booting those starting,
	// and Desired the nodes the pool should have (the app's node count:
	// what the autoscaler, or a person, last asked for).
	Current int `json:"current"`
	Booting int `json:"booting"`
	Desired int `json:"desired"`
	// Recommended is what the rule's formula gave at the last
	// evaluation, before the scale-down window, the scale-up limit and
	// the bounds; Limit says which of them made Desired differ from it
	// ("" when none did).
	Recommended int    `json:"recommended"`
	Limit       string `json:"limit,omitempty"`
	Min         int    `json:"min"`
	Max         int    `json:"max"`
	// Evaluations counts the evaluations so far; LastAt and NextAt are
	// the simulated times of the last and the next.
	// BootLeft is how long until the next booting node takes traffic
	// (0 when none boots).
	BootLeft    time.Duration `json:"boot_left"`
	Evaluations int           `json:"evaluations"`
	LastAt      time.Duration `json:"last_at"`
	NextAt      time.Duration `json:"next_at"`
}

// limitText says what a limit means, for the dashboard and the log.
var limitText = [...]string{
	limitNone:       "",
	limitWindow:     "scale-down window",
	limitScaleUp:    "scale-up limit",
	limitMax:        "max",
	limitMin:        "min",
	limitNoMetric:   "no metric",
	limitOutOfRange: "back within min..max",
}

// configureAutoscaler follows the autoscale section a (nil: none). A new
// section, or a new interval, starts the evaluation loop afresh one
// interval from now; other edits apply from the next evaluation. The
// rule's memory (recommendations, scale events) survives edits, as an
// HPA's does when its object is edited.
func (s *Sim) configureAutoscaler(a *topology.Autoscale) {
	sc := &s.ops.scaler
	if a == nil {
		if sc.on {
			sc.on = false
			sc.gen++
		}
		return
	}
	restart := !sc.on || sc.cfg.Interval != a.Interval
	sc.cfg = *a
	sc.rule.window = int64(a.ScaleDownWindow)
	if a.Metric == topology.MetricP99 && sc.lat == nil {
		sc.lat = new(Histogram)
	} else if a.Metric != topology.MetricP99 {
		sc.lat = nil
	}
	sc.state.Metric, sc.state.Min, sc.state.Max = a.Metric.String(), a.Min, a.Max
	sc.state.Target = targetValue(a)
	if !restart {
		return
	}
	sc.on = true
	sc.gen++
	s.markAutoscaler()
	next := s.in(int64(a.Interval))
	sc.state.NextAt = time.Duration(next)
	s.scheduleOps(next, opsEvaluate, 0, sc.gen)
}

// targetValue is a's target in the unit of AutoscaleState.
func targetValue(a *topology.Autoscale) float64 {
	if a.Metric == topology.MetricP99 {
		return float64(a.TargetLatency) / 1e6
	}
	return a.Target
}

// markAutoscaler starts a new measurement interval now.
func (s *Sim) markAutoscaler() {
	sc := &s.ops.scaler
	sc.markAt = s.now
	_, sc.cpuBusy, sc.cpuServers = s.cpu.lifeAreas(s.now)
	sc.appQueue, sc.appBusy, sc.appServers = s.app.lifeAreas(s.now)
	if sc.lat != nil {
		sc.lat.Reset()
	}
}

// observeLatency records a completed request's latency ns, in
// Histogram bucket i, for the p99 metric.
func (s *Sim) observeLatency(i int, ns int64) {
	if lat := s.ops.scaler.lat; lat != nil {
		lat.record(i, ns)
	}
}

// readyNodes counts the nodes of the pool that take traffic.
func (s *Sim) readyNodes() int { return s.readySince(never) }

// readySince counts the nodes of the pool that take traffic and had
// finished booting by time t.
func (s *Sim) readySince(t int64) int {
	k := 0
	for ni := 0; ni < s.topo.App.Nodes && ni < len(s.nodes); ni++ {
		if n := s.nodes[ni]; n.up && !n.draining && n.boot.readyAt <= t {
			k++
		}
	}
	return k
}

// measure reads the metric over the interval since the last mark, and
// its ratio to the target. ok is false when there is nothing to measure
// (no node up, or for p99 no request completed).
func (s *Sim) measure(ready int) (value, ratio float64, ok bool) {
	sc := &s.ops.scaler
	_, cpuBusy, cpuServers := s.cpu.lifeAreas(s.now)
	appQueue, appBusy, appServers := s.app.lifeAreas(s.now)
	switch sc.cfg.Metric {
	case topology.MetricCPU, topology.MetricBusyWorkers:
		busy, servers := cpuBusy-sc.cpuBusy, cpuServers-sc.cpuServers
		if sc.cfg.Metric == topology.MetricBusyWorkers {
			busy, servers = appBusy-sc.appBusy, appServers-sc.appServers
		}
		if !(servers > 0) {
			return 0, 0, false
		}
		// the HPA's resource utilisation is a whole percentage
		// (int32(usage × 100 / requests)), and its ratio that over the
		// target percentage
		pct := math.Floor(100 * busy / servers)
		return busy / servers, pct / percent(sc.cfg.Target), true
	case topology.MetricBacklog:
		span := float64(s.now - sc.markAt)
		if ready == 0 || !(span > 0) {
			return 0, 0, false
		}
		perNode := (appQueue - sc.appQueue) / span / float64(ready)
		return perNode, perNode / sc.cfg.Target, true
	case topology.MetricP99:
		if sc.lat.Count() == 0 {
			return 0, 0, false
		}
		p99 := sc.lat.Quantile(0.99)
		return p99 / 1e6, p99 / float64(sc.cfg.TargetLatency), true
	}
	return 0, 0, false
}

// percent is a utilisation target as the HPA's whole percentage: 0.7 is
// 70, not 70.00000000000001.
func percent(f float64) float64 {
	p := f * 100
	if r := math.Round(p); math.Abs(p-r) < 1e-9 {
		return r
	}
	return p
}

// evaluate is one evaluation of the autoscaler's loop gen.
func (s *Sim) evaluate(gen uint32) {
	sc := &s.ops.scaler
	if !sc.on || gen != sc.gen {
		return
	}
	next := s.in(int64(sc.cfg.Interval))
	s.scheduleOps(next, opsEvaluate, 0, sc.gen)

	current := s.topo.App.Nodes
	ready := s.readyNodes()
	value, ratio, ok := s.measure(ready)
	if sc.cfg.Metric == topology.MetricCPU {
		// a node that finished booting within the interval has no whole
		// sample yet: the HPA counts it unready for CPU
		ready = s.readySince(sc.markAt)
	}
	ok = ok && ready > 0
	rec := current
	if ok {
		if sc.cfg.Metric == topology.MetricP99 {
			rec = hpaObjectReplicas(current, ready, ratio, sc.cfg.Tolerance)
		} else {
			rec = hpaReplicas(current, ready, current-ready, ratio, sc.cfg.Tolerance)
		}
	}
	desired, why := sc.rule.decide(s.now, current, rec, ok, sc.cfg.Min, sc.cfg.Max)
	s.markAutoscaler()

	st := &sc.state
	st.Evaluations++
	st.LastAt, st.NextAt = time.Duration(s.now), time.Duration(next)
	st.Measured = ok
	if ok {
		st.Value = value
	}
	st.Recommended, st.Limit = rec, limitText[why]
	if desired == current {
		return
	}
	s.logf("autoscaler: %s: %d → %d nodes%s", s.metricText(value, ok), current, desired, limitNote(why))
	s.scaleTo(desired)
}

// metricText says what the metric was against its target.
func (s *Sim) metricText(value float64, ok bool) string {
	sc := &s.ops.scaler
	m := sc.cfg.Metric
	if !ok {
		return m.String() + " not measured"
	}
	switch m {
	case topology.MetricCPU, topology.MetricBusyWorkers:
		return fmt.Sprintf("%s %.0f%% (target %.0f%%)", m, 100*value, percent(sc.cfg.Target))
	case topology.MetricBacklog:
		return fmt.Sprintf("backlog %.1f per node (target %s)", value, formatNumber(sc.cfg.Target))
	}
	return fmt.Sprintf("p99 %s (target %s)", topology.FormatDuration(time.Duration(value*1e6).Round(time.Millisecond)), topology.FormatDuration(sc.cfg.TargetLatency))
}

func limitNote(why hpaLimit) string {
	if why == limitNone {
		return ""
	}
	return " (" + limitText[why] + ")"
}

func formatNumber(f float64) string { return fmt.Sprintf("%g", f) }

// autoscaleState is the snapshot's view of the autoscaler, nil without
// one.
func (s *Sim) autoscaleState() *AutoscaleState {
	sc := &s.ops.scaler
	if !sc.on {
		return nil
	}
	st := sc.state
	st.Current, st.Booting, st.Desired = s.readyNodes(), s.bootingNodes(), s.topo.App.Nodes
	for _, n := range s.nodes {
		if left := time.Duration(n.boot.until - s.now); n.isBooting() && (st.BootLeft == 0 || left < st.BootLeft) {
			st.BootLeft = left
		}
	}
	return &st
}
