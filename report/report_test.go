package report

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"scalesim/presets"
	"scalesim/sim"
	"scalesim/topology"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// summaryOf runs a preset briefly with a fixed seed.
func summaryOf(t *testing.T, name string) sim.Summary {
	t.Helper()
	p, ok := presets.Get(name)
	if !ok {
		t.Fatalf("no preset %s", name)
	}
	top, err := p.Load()
	if err != nil {
		t.Fatal(err)
	}
	s, err := sim.New(top, sim.Options{Warmup: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	s.Advance(12 * time.Second)
	return s.Summary()
}

func golden(t *testing.T, file string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", file)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./report -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file; run go test ./report -update and review the diff\ngot:\n%s", file, got)
	}
}

func TestGoldenOutputs(t *testing.T) {
	for _, preset := range []string{"redis-cache", "flash-sale-row-lock", "connection-pooler"} {
		sum := summaryOf(t, preset)
		for _, format := range Formats {
			var b bytes.Buffer
			if err := Write(&b, format, sum); err != nil {
				t.Fatal(err)
			}
			golden(t, preset+"."+format+".golden", b.Bytes())
		}
	}
}

// A run with a timeline prints its phases: the failure drill's window
// cut at each crash, recovery and failover.
func TestPhasesGolden(t *testing.T) {
	p, _ := presets.Get("failure-drill")
	top, err := p.Load()
	if err != nil {
		t.Fatal(err)
	}
	s, err := sim.New(top, sim.Options{Warmup: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	s.Advance(100 * time.Second)
	sum := s.Summary()
	if len(sum.Phases) != 8 {
		t.Errorf("%d phases, want 8", len(sum.Phases))
	}
	for _, format := range []string{"text", "json"} {
		var b bytes.Buffer
		if err := Write(&b, format, sum); err != nil {
			t.Fatal(err)
		}
		golden(t, "failure-drill."+format+".golden", b.Bytes())
	}
}

func TestJSONHasTheDocumentedKeys(t *testing.T) {
	var b bytes.Buffer
	if err := JSON(&b, summaryOf(t, "redis-cache")); err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	need := map[string][]string{
		"":           {"name", "seed", "duration_s", "warmup_s", "requests", "throughput_rps", "goodput_rps", "latency_ms", "stations"},
		"requests":   {"arrived", "completed", "dropped", "failed", "in_flight", "retries", "wasted", "logical"},
		"latency_ms": {"mean", "p50", "p95", "p99", "max"},
	}
	for obj, keys := range need {
		m := doc
		if obj != "" {
			m = doc[obj].(map[string]any)
		}
		for _, k := range keys {
			if _, ok := m[k]; !ok {
				t.Errorf("JSON %s lacks %q", obj, k)
			}
		}
	}
	names := map[string]bool{}
	for _, st := range doc["stations"].([]any) {
		m := st.(map[string]any)
		names[m["name"].(string)] = true
		for _, k := range []string{"name", "servers", "utilization", "throughput_rps", "queue_mean", "wait_ms_mean", "service_ms_mean", "dropped"} {
			if _, ok := m[k]; !ok {
				t.Errorf("station %v lacks %q", m["name"], k)
			}
		}
	}
	for _, n := range []string{"app", "cpu", "db", "cache"} {
		if !names[n] {
			t.Errorf("no station %q", n)
		}
	}
}

func TestStockJSON(t *testing.T) {
	var b bytes.Buffer
	if err := JSON(&b, summaryOf(t, "flash-sale-naive")); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Stock map[string]any `json:"stock"`
		DB    map[string]any `json:"db"`
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"strategy", "initial", "sold", "oversold"} {
		if _, ok := doc.Stock[k]; !ok {
			t.Errorf("stock lacks %q", k)
		}
	}
	if doc.Stock["strategy"] != "naive" || doc.Stock["lost_updates"].(float64) == 0 {
		t.Errorf("naive flash sale: %v", doc.Stock)
	}
	if doc.DB == nil {
		t.Error("no db in the JSON")
	}
}

func TestPromParsesBack(t *testing.T) {
	var b bytes.Buffer
	sum := summaryOf(t, "flash-sale-row-lock")
	if err := Prom(&b, sum); err != nil {
		t.Fatal(err)
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := parser.TextToMetricFamilies(strings.NewReader(b.String()))
	if err != nil {
		t.Fatalf("the exposition does not parse: %v\n%s", err, b.String())
	}
	for name, f := range fams {
		if f.GetType().String() == "COUNTER" && !strings.HasSuffix(name, "_total") {
			t.Errorf("counter %s does not end in _total", name)
		}
	}
	// the requests that ended over the whole run add up, by outcome and
	// cause, to those that arrived less those still in flight
	reqs := fams["scalesim_requests_total"]
	if reqs == nil {
		t.Fatal("no scalesim_requests_total")
	}
	ended := map[string]float64{}
	for _, m := range reqs.Metric {
		ended[label(m, "scope")] += m.GetCounter().GetValue()
	}
	if r := sum.Requests; ended["run"] != float64(r.Arrived-r.InFlight) {
		t.Errorf("requests that ended over the run: %v, want %d", ended["run"], r.Arrived-r.InFlight)
	}
	if w := sum.Window; ended["window"] != float64(w.Completed+w.Dropped+w.Failed) {
		t.Errorf("requests that ended in the window: %v, want %d", ended["window"], w.Completed+w.Dropped+w.Failed)
	}
	// every count says its scope
	for name, f := range fams {
		if f.GetType().String() != "COUNTER" || name == "scalesim_events_total" {
			continue
		}
		for _, m := range f.Metric {
			if sc := label(m, "scope"); sc != "run" && sc != "window" {
				t.Errorf("%s{%v} has no scope", name, m.Label)
			}
		}
	}
	if got := fams["scalesim_stock_sold_total"].Metric[0].GetCounter().GetValue(); got != float64(sum.Stock.Sold) {
		t.Errorf("sold %v, want %d", got, sum.Stock.Sold)
	}
}

func label(m *dto.Metric, name string) string {
	for _, l := range m.Label {
		if l.GetName() == name {
			return l.GetValue()
		}
	}
	return ""
}

// TestScopes: the text report heads each figure with its scope, says
// which component nothing used, counts drops and failures by cause, shows
// the in-flight cap when it was hit, and gives stale replica reads without
// rows as an upper bound; JSON and Prometheus say the same.
func TestScopes(t *testing.T) {
	top, err := topology.Parse("scopes.yaml", []byte(`
name: scopes
workload:
  rate: 2000
  requests:
    - {name: read, share: 4, steps: [{read: exp(1ms)}, {io: 1s}]}
    - {name: write, share: 1, steps: [{write: exp(1ms)}]}
app: {cores: 8, workers: 4, model: gevent, concurrency: 50, backlog: 50}
lb: {latency: 100ms}
db: {cores: 8, replicas: 1, replication_lag: 50ms}
cache: {latency: 50us}
`))
	if err != nil {
		t.Fatal(err)
	}
	s, err := sim.New(top, sim.Options{Warmup: time.Second, MaxInFlight: 420})
	if err != nil {
		t.Fatal(err)
	}
	s.Advance(5 * time.Second)
	sum := s.Summary()
	var text, js, prom bytes.Buffer
	for _, f := range []struct {
		b      *bytes.Buffer
		format string
	}{{&text, "text"}, {&js, "json"}, {&prom, "prom"}} {
		if err := Write(f.b, f.format, sum); err != nil {
			t.Fatal(err)
		}
	}
	capped := sum.Requests.DroppedBy.InFlightCap
	if capped == 0 || sum.Requests.DroppedBy.BacklogFull == 0 {
		t.Fatalf("want drops by both causes: %+v", sum.Requests)
	}
	for _, want := range []string{
		"whole run (0s - 5s)\nrequests   arrived",
		"measured window (1s - 5s)\nrequests   arrived",
		fmt.Sprintf("%d dropped: backlog full, %d dropped: in-flight cap", sum.Requests.DroppedBy.BacklogFull, capped),
		fmt.Sprintf("in-flight cap 420 reached: %d arrivals dropped", capped),
		"cache          1  unused",
		"cache      on, unused: no request looked a key up",
		fmt.Sprintf("up to %d may be stale", sum.DB.StaleReads),
	} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("the text lacks %q:\n%s", want, text.String())
		}
	}
	if strings.Contains(text.String(), "hit ratio") {
		t.Errorf("a hit ratio for an unused cache:\n%s", text.String())
	}
	for _, want := range []string{`"stale_reads_upper_bound": true`, `"in_flight_cap": 420`, `"used": false`, `"backlog_full": `, `"replica_reads_window": `} {
		if !strings.Contains(js.String(), want) {
			t.Errorf("the JSON lacks %q", want)
		}
	}
	for _, want := range []string{`scalesim_db_stale_reads_upper_bound_total{scope="window"}`, "scalesim_in_flight_cap 420",
		fmt.Sprintf(`scalesim_requests_total{outcome="dropped",cause="in_flight_cap",scope="run"} %d`, capped)} {
		if !strings.Contains(prom.String(), want) {
			t.Errorf("the exposition lacks %q", want)
		}
	}
	if strings.Contains(prom.String(), "scalesim_cache_hit_ratio") || strings.Contains(prom.String(), "scalesim_db_stale_reads_total") {
		t.Errorf("a hit ratio for an unused cache, or stale reads counted as exact:\n%s", prom.String())
	}
}

// Times in the text summary read as durations at every scale, never in
// scientific notation (a year is 8760h, not 3.1536e+07s).
func TestSecsReadsAsADuration(t *testing.T) {
	for _, c := range []struct {
		v    float64
		want string
	}{
		{0, "0s"}, {1e-9, "1ns"}, {0.0015, "1.5ms"}, {10, "10s"}, {70, "1m10s"},
		{3600, "1h"}, {31536000, "8760h"}, {31536010, "8760h0m10s"},
	} {
		if got := secs(c.v); got != c.want {
			t.Errorf("secs(%v) = %q, want %q", c.v, got, c.want)
		}
	}
}

// A wait shorter than half a microsecond is not nothing: it reads <1µs,
// and only a wait of zero reads 0.
func TestMsNeverRoundsToZero(t *testing.T) {
	for v, want := range map[float64]string{0: "0", 0.0001: "<1µs", 0.0004: "<1µs", 0.0005: "1µs", 0.25: "250µs", 4.5: "4.5ms", 1500: "1.50s"} {
		if got := ms(v); got != want {
			t.Errorf("ms(%v) = %q, want %q", v, got, want)
		}
	}
}

// TestGoldenRetryStorm renders a window inside a retry storm (after the
// retry-storm preset's spike), where every output reports the clients:
// retries, wasted work, requests abandoned, goodput against throughput.
func TestGoldenRetryStorm(t *testing.T) {
	p, _ := presets.Get("retry-storm")
	top, err := p.Load()
	if err != nil {
		t.Fatal(err)
	}
	s, err := sim.New(top, sim.Options{Warmup: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	s.Advance(90 * time.Second)
	sum := s.Summary()
	if sum.Window.Retries == 0 || sum.Window.Wasted == 0 || sum.GoodputRPS >= sum.ThroughputRPS {
		t.Fatalf("no storm in the window: %+v", sum.Window)
	}
	for _, format := range Formats {
		var b bytes.Buffer
		if err := Write(&b, format, sum); err != nil {
			t.Fatal(err)
		}
		golden(t, "retry-storm."+format+".golden", b.Bytes())
	}
}

// TestGoldenRetryStormPhases is the retry-storm preset's whole timeline
// in text: the phases say what clients got before, during and after the
// spike (answered/s), beside what the server completed.
func TestGoldenRetryStormPhases(t *testing.T) {
	p, _ := presets.Get("retry-storm")
	top, err := p.Load()
	if err != nil {
		t.Fatal(err)
	}
	s, err := sim.New(top, sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Advance(3 * time.Minute)
	var b bytes.Buffer
	if err := Text(&b, s.Summary()); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "answered/s") {
		t.Errorf("no goodput in the phases:\n%s", b.String())
	}
	golden(t, "retry-storm-phases.text.golden", b.Bytes())
}

// A closed workload of two populations prints each population beside
// the classes: shoppers who think for seconds, an API client that sends
// at once and takes the cores, and a short class stuck behind a long one.
func TestPopulationsGolden(t *testing.T) {
	data, err := os.ReadFile("testdata/populations.yaml")
	if err != nil {
		t.Fatal(err)
	}
	top, err := topology.Parse("populations.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	s, err := sim.New(top, sim.Options{Warmup: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	s.Advance(20 * time.Second)
	sum := s.Summary()
	if len(sum.Populations) != 2 {
		t.Fatalf("populations %+v", sum.Populations)
	}
	for _, format := range Formats {
		var b bytes.Buffer
		if err := Write(&b, format, sum); err != nil {
			t.Fatal(err)
		}
		golden(t, "populations."+format+".golden", b.Bytes())
	}
}

// A value just under a unit's boundary reads as it is printed: 999.97 ms
// is 1.00s, not 1000.0ms, and 999.94 ms stays 999.9ms.
func TestMsAtTheSecond(t *testing.T) {
	for v, want := range map[float64]string{999.94: "999.9ms", 999.95: "1.00s", 999.97: "1.00s", 1000: "1.00s"} {
		if got := ms(v); got != want {
			t.Errorf("ms(%v) = %q, want %q", v, got, want)
		}
	}
}
