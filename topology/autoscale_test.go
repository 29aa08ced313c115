package topology

import (
	"reflect"
	"testing"
	"time"
)

const opsHead = "workload: {rate: 1, requests: [{steps: [{cpu: 1ms}]}]}\napp: {nodes: 2, workers: 4}\n"

func TestParseAutoscaleDefaults(t *testing.T) {
	top, err := Parse("", []byte(opsHead+"autoscale: {max: 10}"))
	if err != nil {
		t.Fatal(err)
	}
	want := &Autoscale{Min: 1, Max: 10, Metric: MetricCPU, Target: 0.8, Interval: 15 * time.Second,
		ScaleDownWindow: 5 * time.Minute, Tolerance: 0.1}
	if !reflect.DeepEqual(top.Autoscale, want) {
		t.Errorf("got %+v, want %+v", top.Autoscale, want)
	}
	if !reflect.DeepEqual(DefaultAutoscale(10), want) {
		t.Errorf("DefaultAutoscale(10) = %+v, want %+v", DefaultAutoscale(10), want)
	}
}

func TestParseAutoscaleValues(t *testing.T) {
	tests := []struct {
		src  string
		want Autoscale
	}{
		{"autoscale: {min: 2, max: 20, metric: busy_workers, target: 0.7, interval: 30s, boot: 90s, scale_down_window: 1m, tolerance: 0}",
			Autoscale{Min: 2, Max: 20, Metric: MetricBusyWorkers, Target: 0.7, Interval: 30 * time.Second, Boot: 90 * time.Second, ScaleDownWindow: time.Minute}},
		{"autoscale: {max: 5, metric: backlog, target: 10}",
			Autoscale{Min: 1, Max: 5, Metric: MetricBacklog, Target: 10, Interval: 15 * time.Second, ScaleDownWindow: 5 * time.Minute, Tolerance: 0.1}},
		{"autoscale: {max: 5, metric: p99, target: 250ms}",
			Autoscale{Min: 1, Max: 5, Metric: MetricP99, TargetLatency: 250 * time.Millisecond, Interval: 15 * time.Second, ScaleDownWindow: 5 * time.Minute, Tolerance: 0.1}},
	}
	for _, tt := range tests {
		top, err := Parse("", []byte(opsHead+tt.src))
		if err != nil {
			t.Errorf("%s: %v", tt.src, err)
			continue
		}
		if !reflect.DeepEqual(*top.Autoscale, tt.want) {
			t.Errorf("%s:\ngot  %+v\nwant %+v", tt.src, *top.Autoscale, tt.want)
		}
		assertRoundTrip(t, top)
	}
}

func TestParseFailuresValues(t *testing.T) {
	src := opsHead + "db: {replicas: 1}\ncache: {}\nfailures: {nodes: {mtbf: 10m, mttr: 1m}, cache: {mtbf: 1h, mttr: 30s}, db: {mtbf: 2h, mttr: 5m, failover: 20s}}"
	top, err := Parse("", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	want := &Failures{
		Nodes: &Outage{MTBF: 10 * time.Minute, MTTR: time.Minute},
		Cache: &Outage{MTBF: time.Hour, MTTR: 30 * time.Second},
		DB:    &Outage{MTBF: 2 * time.Hour, MTTR: 5 * time.Minute, Failover: 20 * time.Second},
	}
	if !reflect.DeepEqual(top.Failures, want) {
		t.Errorf("got %+v, want %+v", top.Failures, want)
	}
	assertRoundTrip(t, top)
	c := top.Clone()
	c.Failures.Nodes.MTBF = time.Second
	c.Autoscale = &Autoscale{}
	if top.Failures.Nodes.MTBF != 10*time.Minute {
		t.Error("Clone shares the failures with the original")
	}
	only, err := Parse("", []byte(opsHead+"failures: {nodes: {mtbf: 10m, mttr: 1m}}"))
	if err != nil {
		t.Fatal(err)
	}
	assertRoundTrip(t, only)
}

func TestCloneAutoscale(t *testing.T) {
	top, err := Parse("", []byte(opsHead+"autoscale: {max: 10}"))
	if err != nil {
		t.Fatal(err)
	}
	c := top.Clone()
	c.Autoscale.Max = 3
	if top.Autoscale.Max != 10 {
		t.Error("Clone shares the autoscale section with the original")
	}
}

func TestParseAutoscaleErrors(t *testing.T) {
	tests := []struct{ src, want string }{
		{"autoscale: {}", "3:1: autoscale: missing max; max is the most app nodes the autoscaler may run, e.g. max: 20"},
		{"autoscale: 4", "3:12: autoscale: expected a mapping, got 4; e.g. autoscale: {min: 2, max: 20, metric: cpu, target: 0.7}"},
		{"autoscale: {max: 4, mni: 1}", `3:21: autoscale.mni: unknown key; did you mean "min"?`},
		{"autoscale: {max: 4, metric: memory}", `3:29: autoscale.metric: unknown metric "memory"; allowed: cpu, busy_workers, backlog, p99`},
		{"autoscale: {max: 4, metric: busy}", `3:29: autoscale.metric: unknown metric "busy"; did you mean "busy_workers"? (allowed: cpu, busy_workers, backlog, p99)`},
		{"autoscale: {max: 4, target: 70%}", `3:29: autoscale.target: expected a number, got "70%"; write 0.7: a utilisation is a fraction from 0 to 1`},
		{"autoscale: {max: 4, target: 70}", "3:29: autoscale.target: must be greater than 0 and at most 1, got 70; a utilisation is a fraction: 0.7 for 70%"},
		{"autoscale: {max: 4, metric: p99}", "3:29: autoscale.target: missing target; the p99 metric needs a latency to aim at, e.g. target: 200ms"},
		{"autoscale: {max: 4, metric: p99, target: 0.2}", `3:42: autoscale.target: missing unit in duration "0.2"; add a unit, e.g. 15ms`},
		{"autoscale: {max: 4, metric: backlog}", "3:29: autoscale.target: missing target; the backlog metric needs the requests waiting per node to aim at, e.g. target: 10"},
		{"autoscale: {max: 4, metric: backlog, target: 0}", "3:46: autoscale.target: must be a number greater than 0, got 0; the requests waiting in a node's backlog to aim at, e.g. 10"},
		{"autoscale: {min: 5, max: 4}", "3:26: autoscale.max: must be at least min 5, got 4; raise max or lower min"},
		{"autoscale: {min: 0, max: 4}", "3:18: autoscale.min: must be between 1 and 1000, got 0"},
		{"autoscale: {max: 1001}", "3:18: autoscale.max: must be between 1 and 1000, got 1001"},
		{"autoscale: {max: 4, interval: 100ms}", "3:31: autoscale.interval: must be between 1s and 1h, got 100ms; the HPA evaluates every 15s"},
		{"autoscale: {max: 4, boot: -1s}", "3:27: autoscale.boot: must be between 0 and 1h, got -1s; a container starts in seconds, a virtual machine in a minute or two"},
		{"autoscale: {max: 4, scale_down_window: 2h}", "3:40: autoscale.scale_down_window: must be between 0 and 1h, got 2h; the HPA's default is 5m"},
		{"autoscale: {max: 4, tolerance: 1}", "3:32: autoscale.tolerance: must be at least 0 and less than 1, got 1; the HPA's default is 0.1"},
		{"failures: {nodes: {mtbf: 10m}}", "3:12: failures.nodes: missing mttr; mttr is the mean time to repair, e.g. mttr: 1m"},
		{"failures: {nodes: {mtbf: 10m, mttr: 1m, failover: 1s}}", `3:41: failures.nodes.failover: unknown key; allowed: mtbf, mttr`},
		{"failures: {node: {mtbf: 10m, mttr: 1m}}", `3:12: failures.node: unknown key; did you mean "nodes"?`},
		{"failures: {nodes: {mtbf: 10ms, mttr: 1m}}", "3:26: failures.nodes.mtbf: must be between 1s and 876000h, got 10ms; the mean time a server runs between two failures, e.g. 10m"},
		{"failures: {nodes: {mtbf: 10m, mttr: 0}}", "3:37: failures.nodes.mttr: must be greater than 0 and at most 876000h, got 0s; the mean time a failed server stays down, e.g. 1m"},
		{"failures: {cache: {mtbf: 10m, mttr: 1m}}", "3:12: failures.cache: cache failures need a cache section; add a top-level cache: section, or remove this"},
		{"failures: {db: {mtbf: 10m, mttr: 1m, failover: 5s}}", "3:48: failures.db.failover: failover needs a replica to promote; set db.replicas to 1 or more, or remove failover"},
		{"failures: [nodes]", "3:11: failures: expected a mapping, got a list; e.g. failures: {nodes: {mtbf: 10m, mttr: 1m}}"},
	}
	for _, tt := range tests {
		_, err := Parse("", []byte(opsHead+tt.src))
		if err == nil {
			t.Errorf("%q: no error, want %s", tt.src, tt.want)
			continue
		}
		if got := err.Error(); got != tt.want {
			t.Errorf("%q:\ngot:  %s\nwant: %s", tt.src, got, tt.want)
		}
	}
}

func TestValidateAutoscaleUnwritable(t *testing.T) {
	top := validTopology()
	top.Autoscale = DefaultAutoscale(4)
	top.Autoscale.TargetLatency = time.Second
	if err := top.Validate(); err == nil {
		t.Error("a latency target with the cpu metric passed Validate")
	}
	top.Autoscale = DefaultAutoscale(4)
	top.Autoscale.Metric = MetricP99
	top.Autoscale.TargetLatency = time.Second
	if err := top.Validate(); err == nil {
		t.Error("p99 with a numeric target passed Validate")
	}
	top.Autoscale.Target = 0
	if err := top.Validate(); err != nil {
		t.Errorf("p99 with a latency target: %v", err)
	}
	top.Autoscale = DefaultAutoscale(2000)
	top.App.Workers = 10000
	top.Autoscale.Max = 1000
	if err := top.Validate(); err == nil {
		t.Error("max × workers beyond the process limit passed Validate")
	}
	top = validTopology()
	top.Failures = &Failures{Cache: &Outage{MTBF: time.Hour, MTTR: time.Second, Failover: time.Second}}
	top.Cache = DefaultCache()
	if err := top.Validate(); err == nil {
		t.Error("a cache failover passed Validate")
	}
}
