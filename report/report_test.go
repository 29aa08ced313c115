package report

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"scalesim/presets"
	"scalesim/sim"
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
		"":           {"name", "seed", "duration_s", "warmup_s", "requests", "throughput_rps", "latency_ms", "stations"},
		"requests":   {"arrived", "completed", "dropped", "failed", "in_flight"},
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
	reqs := fams["scalesim_requests_total"]
	if reqs == nil || len(reqs.Metric) != 3 {
		t.Fatalf("scalesim_requests_total: %v", reqs)
	}
	if got := fams["scalesim_stock_sold_total"].Metric[0].GetCounter().GetValue(); got != float64(sum.Stock.Sold) {
		t.Errorf("sold %v, want %d", got, sum.Stock.Sold)
	}
}
