package topology

import (
	"math"
	"time"

	"gopkg.in/yaml.v3"
)

// Autoscale is a horizontal autoscaler of the app nodes that follows the
// Kubernetes HorizontalPodAutoscaler's rule: every Interval it measures
// Metric on the nodes that are ready, wants ceil(nodes × metric / target)
// of them unless the ratio is within Tolerance of 1, scales down only to
// the highest of its wishes over ScaleDownWindow, scales up by at most
// max(100%, 4 nodes) per 15 s, and keeps between Min and Max nodes. A node
// it adds boots for Boot before it takes traffic.
type Autoscale struct {
	Min, Max int
	Metric   Metric
	// Target is the metric's target: a utilisation from 0 to 1 for cpu
	// and busy_workers, requests waiting per node for backlog. Unused
	// (0) for p99, whose target is TargetLatency.
	Target float64
	// TargetLatency is the p99 metric's target; 0 for the other metrics.
	TargetLatency time.Duration
	// Interval is the time between two evaluations (the HPA's sync
	// period, 15 s).
	Interval time.Duration
	// Boot is how long a node added while the simulation runs takes to
	// start before the load balancer sends it requests.
	Boot time.Duration
	// ScaleDownWindow is the stabilisation window of scale-downs: the
	// autoscaler scales down only to the highest number of nodes it
	// wished for over this window (300 s).
	ScaleDownWindow time.Duration
	// Tolerance is how far from 1 the ratio metric/target must be for
	// the autoscaler to act (0.1).
	Tolerance float64
}

// Metric is what the autoscaler measures.
type Metric int

const (
	// MetricCPU is the utilisation of the ready nodes' cores over the
	// last interval (the HPA's resource metric).
	MetricCPU Metric = iota
	// MetricBusyWorkers is the fraction of the ready nodes' worker slots
	// in use over the last interval (uWSGI's busy workers).
	MetricBusyWorkers
	// MetricBacklog is the mean number of requests waiting in a ready
	// node's backlog over the last interval (a per-pod custom metric).
	MetricBacklog
	// MetricP99 is the 99th percentile latency of the requests that
	// completed in the last interval (an object metric).
	MetricP99
)

// String returns the metric's name in a file.
func (m Metric) String() string {
	switch m {
	case MetricCPU:
		return "cpu"
	case MetricBusyWorkers:
		return "busy_workers"
	case MetricBacklog:
		return "backlog"
	case MetricP99:
		return "p99"
	}
	return "unknown"
}

// Utilisation reports whether the metric is a fraction from 0 to 1.
func (m Metric) Utilisation() bool { return m == MetricCPU || m == MetricBusyWorkers }

var (
	autoscaleKeys = []string{"min", "max", "metric", "target", "interval", "boot", "scale_down_window", "tolerance"}
	metrics       = []Metric{MetricCPU, MetricBusyWorkers, MetricBacklog, MetricP99}
	metricNames   = names(metrics)
)

// Autoscaler limits.
const (
	minAutoscaleInterval = time.Second
	maxAutoscaleWindow   = time.Hour // the HPA's own limit on stabilisation windows
	maxBoot              = time.Hour
	// defaultUtilisation is the target of cpu and busy_workers when the
	// file gives none: kubectl autoscale's --cpu-percent default.
	defaultUtilisation = 0.8
)

// DefaultAutoscale returns an autoscale section with its defaults and
// the given maximum: at least 1 node, scaling on CPU at 80%, every 15 s,
// nodes that start at once, a 300 s scale-down window and a tolerance of
// 0.1.
func DefaultAutoscale(maxNodes int) *Autoscale {
	return &Autoscale{
		Min: 1, Max: maxNodes, Metric: MetricCPU, Target: defaultUtilisation,
		Interval: 15 * time.Second, ScaleDownWindow: 300 * time.Second, Tolerance: 0.1,
	}
}

// autoscale reads the autoscale section; key is its key in the file.
func (p *parser) autoscale(key, n *yaml.Node) *Autoscale {
	a := DefaultAutoscale(0)
	s, ok := p.section(n, "autoscale", autoscaleKeys, "e.g. autoscale: {min: 2, max: 20, metric: cpu, target: 0.7}")
	if !ok {
		return a
	}
	if _, ok := s.get("max"); !ok {
		p.fail(key, "autoscale", "max is the most app nodes the autoscaler may run, e.g. max: 20", "missing max")
		return a
	}
	s.integer("min", &a.Min)
	s.integer("max", &a.Max)
	if i := s.enum("metric", "metric", metricNames); i >= 0 {
		a.Metric = metrics[i]
	}
	_, hasTarget := s.get("target")
	switch {
	case a.Metric == MetricP99:
		a.Target = 0
		if !hasTarget {
			p.fail(s.fields["metric"].val, "autoscale.target", "the p99 metric needs a latency to aim at, e.g. target: 200ms", "missing target")
			break
		}
		s.duration("target", &a.TargetLatency)
	case a.Metric == MetricBacklog && !hasTarget:
		p.fail(s.fields["metric"].val, "autoscale.target", "the backlog metric needs the requests waiting per node to aim at, e.g. target: 10", "missing target")
	case hasTarget:
		p.autoscaleTarget(s, a)
	}
	s.duration("interval", &a.Interval)
	s.duration("boot", &a.Boot)
	s.duration("scale_down_window", &a.ScaleDownWindow)
	s.number("tolerance", &a.Tolerance)
	return a
}

// autoscaleTarget reads a numeric target, explaining a percentage.
func (p *parser) autoscaleTarget(s section, a *Autoscale) {
	if v, ok := s.scalar("target", "a number"); ok && v.ShortTag() == "!!str" {
		if f, ok := parsePercent(v.Value); ok && a.Metric.Utilisation() {
			p.fail(s.fields["target"].val, "autoscale.target", "write "+formatFloat(f/100)+": a utilisation is a fraction from 0 to 1", "expected a number, got %s", describe(v))
			return
		}
	}
	s.number("target", &a.Target)
}

// parsePercent reads a percentage such as "70%".
func parsePercent(s string) (float64, bool) {
	if len(s) < 2 || s[len(s)-1] != '%' {
		return 0, false
	}
	f, err := ParseNumber(s[:len(s)-1])
	return f, err == nil
}

func (v *validator) autoscale() {
	a := v.t.Autoscale
	if a == nil {
		return
	}
	minOK := v.between("autoscale.min", a.Min, 1, maxNodes)
	maxOK := v.between("autoscale.max", a.Max, 1, maxNodes)
	if minOK && maxOK && a.Min > a.Max {
		v.add("autoscale.max", "raise max or lower min", "must be at least min %d, got %d", a.Min, a.Max)
	}
	if maxOK && v.t.App.Workers >= 1 && v.t.App.Workers <= maxWorkers {
		if procs := a.Max * v.t.App.Workers; procs > maxProcesses {
			v.add("autoscale.max", "lower max or the app's workers",
				"max × workers is %d × %d = %d worker processes at the most; at most %d are allowed", a.Max, v.t.App.Workers, procs, maxProcesses)
		} else if c := v.t.App.Concurrency; c >= 1 && c <= maxConcurrency && procs*c > maxSlots {
			v.add("autoscale.max", "lower max, or the app's workers or threads", "max × workers × concurrency is %d; at most %d are allowed", procs*c, maxSlots)
		}
	}
	switch a.Metric {
	case MetricCPU, MetricBusyWorkers:
		if !(a.Target > 0 && a.Target <= 1) {
			v.add("autoscale.target", "a utilisation is a fraction: 0.7 for 70%", "must be greater than 0 and at most 1, got %s", formatFloat(a.Target))
		}
	case MetricBacklog:
		if !(a.Target > 0) || math.IsInf(a.Target, 0) {
			v.add("autoscale.target", "the requests waiting in a node's backlog to aim at, e.g. 10", "must be a number greater than 0, got %s", formatFloat(a.Target))
		}
	case MetricP99:
		if a.TargetLatency <= 0 {
			v.add("autoscale.target", "e.g. target: 200ms", "must be a duration greater than 0, got %s", FormatDuration(a.TargetLatency))
		}
	default:
		v.add("autoscale.metric", "allowed: cpu, busy_workers, backlog, p99", "unknown metric %d", int(a.Metric))
	}
	if a.Metric != MetricP99 && a.TargetLatency != 0 {
		v.add("autoscale.target", "only the p99 metric has a latency target", "a latency target with metric %s", a.Metric)
	}
	if a.Metric == MetricP99 && a.Target != 0 {
		v.add("autoscale.target", "the p99 metric's target is a duration, e.g. 200ms", "a numeric target with metric p99")
	}
	if a.Interval < minAutoscaleInterval || a.Interval > maxAutoscaleWindow {
		v.add("autoscale.interval", "the HPA evaluates every 15s", "must be between %s and %s, got %s", FormatDuration(minAutoscaleInterval), FormatDuration(maxAutoscaleWindow), FormatDuration(a.Interval))
	}
	if a.Boot < 0 || a.Boot > maxBoot {
		v.add("autoscale.boot", "a container starts in seconds, a virtual machine in a minute or two", "must be between 0 and %s, got %s", FormatDuration(maxBoot), FormatDuration(a.Boot))
	}
	if a.ScaleDownWindow < 0 || a.ScaleDownWindow > maxAutoscaleWindow {
		v.add("autoscale.scale_down_window", "the HPA's default is 5m", "must be between 0 and %s, got %s", FormatDuration(maxAutoscaleWindow), FormatDuration(a.ScaleDownWindow))
	}
	if !(a.Tolerance >= 0 && a.Tolerance < 1) {
		v.add("autoscale.tolerance", "the HPA's default is 0.1", "must be at least 0 and less than 1, got %s", formatFloat(a.Tolerance))
	}
}

// autoscale writes the autoscale section.
func (m *marshaler) autoscale(a *Autoscale) *yaml.Node {
	if a.Metric < MetricCPU || a.Metric > MetricP99 {
		m.fail("unknown metric %d", int(a.Metric))
	}
	target := yamlFloat(a.Target)
	if a.Metric == MetricP99 {
		target = yamlDuration(a.TargetLatency)
	}
	return yamlMap(
		"min", yamlInt(a.Min),
		"max", yamlInt(a.Max),
		"metric", yamlScalar(a.Metric.String(), "!!str"),
		"target", target,
		"interval", yamlDuration(a.Interval),
		"boot", yamlDuration(a.Boot),
		"scale_down_window", yamlDuration(a.ScaleDownWindow),
		"tolerance", yamlFloat(a.Tolerance),
	)
}
