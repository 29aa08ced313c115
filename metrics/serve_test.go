package metrics

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

func TestParseAddr(t *testing.T) {
	for _, c := range []struct{ in, want, err string }{
		{"", "127.0.0.1:8355", ""},
		{"9000", "127.0.0.1:9000", ""},
		{":9000", "127.0.0.1:9000", ""},
		{"0", "127.0.0.1:0", ""},
		{"localhost", "localhost:8355", ""},
		{"0.0.0.0:9000", "0.0.0.0:9000", ""},
		{"10.1.2.3", "10.1.2.3:8355", ""},
		{"[::1]:9000", "[::1]:9000", ""},
		{"::1", "[::1]:8355", ""},
		{"[::1]", "[::1]:8355", ""},
		{"host:http", "", "not a number"},
		{":70000", "", "not a number"},
		{"a:b:c]", "", "expected HOST:PORT"},
		{"a:b:c", "", "an IPv6 address is written in brackets"},
		{"fe80::1::2", "", "an IPv6 address is written in brackets"},
	} {
		got, err := ParseAddr(c.in)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("ParseAddr(%q) = %q, %v; want an error with %q", c.in, got, err, c.err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("ParseAddr(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
	}
}

// scrape gets /metrics from h with the Accept header accept.
func scrape(t *testing.T, h http.Handler, accept string) (int, string, string) {
	t.Helper()
	req := httptest.NewRequest("GET", "/metrics", nil)
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	body, _ := io.ReadAll(rec.Result().Body)
	return rec.Code, rec.Header().Get("Content-Type"), string(body)
}

func TestNoSnapshotYet(t *testing.T) {
	if code, _, body := scrape(t, Handler(NewPublisher()), ""); code != http.StatusServiceUnavailable {
		t.Errorf("before the first snapshot: %d %q, want 503", code, body)
	}
}

// TestNegotiates: a plain scraper gets the text format, Prometheus'
// Accept header OpenMetrics, and both say the same.
func TestNegotiates(t *testing.T) {
	p := NewPublisher()
	p.Publish(3, snapshotAt(t, "redis-cache", 5*time.Second))
	h := Handler(p)

	code, ctype, text := scrape(t, h, "")
	if code != 200 || !strings.HasPrefix(ctype, "text/plain; version=0.0.4") {
		t.Fatalf("plain scrape: %d %q", code, ctype)
	}
	parser := expfmt.NewTextParser(model.LegacyValidation)
	fams, err := parser.TextToMetricFamilies(strings.NewReader(text))
	if err != nil {
		t.Fatalf("text format does not parse: %v\n%s", err, text)
	}
	const prom = "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1"
	code, ctype, om := scrape(t, h, prom)
	if code != 200 || !strings.HasPrefix(ctype, "application/openmetrics-text; version=1.0.0") || !strings.HasSuffix(om, "# EOF\n") {
		t.Fatalf("OpenMetrics scrape: %d %q, ends %q", code, ctype, om[max(0, len(om)-20):])
	}
	for _, name := range []string{"scalesim_simulated_seconds", "scalesim_request_duration_seconds", "scalesim_station_queue_length"} {
		if !strings.Contains(om, "# TYPE "+name+" ") {
			t.Errorf("OpenMetrics lacks %s", name)
		}
	}
	code, ctype, _ = scrape(t, h, "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited")
	if code != 200 || !strings.Contains(ctype, "protobuf") {
		t.Errorf("protobuf scrape: %d %q", code, ctype)
	}

	runID := p.base + "-3"
	for name, f := range fams {
		for _, m := range f.Metric {
			if label(m, "run_id") != runID {
				t.Errorf("%s has run_id %q, want %q", name, label(m, "run_id"), runID)
			}
		}
	}
	if v := value(t, fams, "scalesim_simulated_seconds_total"); v != 5 {
		t.Errorf("simulated seconds %v, want 5", v)
	}
	h1 := fams["scalesim_request_duration_seconds"].Metric[0]
	if label(h1, "class") != "product" || h1.Histogram.GetSampleCount() == 0 || len(h1.Histogram.Bucket) < 10 {
		t.Errorf("latency histogram %v", h1)
	}
	if value(t, fams, "scalesim_requests_total", "outcome", "completed") != float64(h1.Histogram.GetSampleCount()) {
		t.Errorf("completed requests and the histogram's count differ")
	}
	for _, st := range []string{"app", "cpu", "db", "cache"} {
		value(t, fams, "scalesim_station_busy_seconds_total", "station", st)
	}
	if value(t, fams, "scalesim_nodes", "state", "up") != 2 {
		t.Errorf("nodes up: want 2")
	}
}

// TestCountersNeverGoBackwards: every counter series a scrape served
// is there with a value at least as large after the window is reset
// and the cache turned off live, and the run_id is the same.
func TestCountersNeverGoBackwards(t *testing.T) {
	s := newSim(t, "redis-cache")
	s.Advance(10 * time.Second)
	before := Live("r", ptr(s.Snapshot())).List
	s.ResetStats()
	off := s.Snapshot().Topology.Clone()
	off.Cache.Disabled = true
	if err := s.Apply(off); err != nil {
		t.Fatal(err)
	}
	s.ResetStats()
	s.Advance(12 * time.Second)
	after := map[string]float64{}
	for _, f := range Live("r", ptr(s.Snapshot())).List {
		for _, m := range f.Metric {
			after[key(f, m)] = counterValue(m)
		}
	}
	n := 0
	for _, f := range before {
		if f.GetType() != dto.MetricType_COUNTER && f.GetType() != dto.MetricType_HISTOGRAM {
			continue
		}
		for _, m := range f.Metric {
			k := key(f, m)
			a, ok := after[k]
			if !ok || a < counterValue(m) {
				t.Errorf("%s: %v, then %v (present %v)", k, counterValue(m), a, ok)
			}
			n++
		}
	}
	if n < 20 {
		t.Errorf("only %d counter series checked", n)
	}
}

func ptr[T any](v T) *T { return &v }

func key(f *dto.MetricFamily, m *dto.Metric) string {
	k := f.GetName()
	for _, l := range m.Label {
		k += "," + l.GetName() + "=" + l.GetValue()
	}
	return k
}

func counterValue(m *dto.Metric) float64 {
	switch {
	case m.Counter != nil:
		return m.Counter.GetValue()
	case m.Histogram != nil:
		return float64(m.Histogram.GetSampleCount())
	case m.Gauge != nil:
		return m.Gauge.GetValue()
	}
	return 0
}

func label(m *dto.Metric, name string) string {
	for _, l := range m.Label {
		if l.GetName() == name {
			return l.GetValue()
		}
	}
	return ""
}

// value is the value of the series of family name with the labels kv.
func value(t *testing.T, fams map[string]*dto.MetricFamily, name string, kv ...string) float64 {
	t.Helper()
	f, ok := fams[name]
	if !ok {
		t.Fatalf("no family %s", name)
	}
next:
	for _, m := range f.Metric {
		for i := 0; i+1 < len(kv); i += 2 {
			if label(m, kv[i]) != kv[i+1] {
				continue next
			}
		}
		return counterValue(m)
	}
	t.Fatalf("no series %s%v", name, kv)
	return 0
}

// TestWherePresent: the clients' and the autoscaler's families are
// served when the topology has them, in base units.
func TestWherePresent(t *testing.T) {
	var buf strings.Builder
	if err := Live("1-0", ptr(surgeAt(t, 60*time.Second))).WriteText(&buf); err != nil {
		t.Fatal(err)
	}
	parser := expfmt.NewTextParser(model.LegacyValidation)
	fams, err := parser.TextToMetricFamilies(strings.NewReader(buf.String()))
	if err != nil {
		t.Fatal(err)
	}
	if v := value(t, fams, "scalesim_requests_retries_total"); v == 0 {
		t.Error("no retries in a surge of clients that retry")
	}
	sent := value(t, fams, "scalesim_logical_requests_sent_total")
	var ended float64
	for _, o := range []string{"answered", "dropped", "failed", "abandoned"} {
		ended += value(t, fams, "scalesim_logical_requests_total", "outcome", o)
	}
	if w := value(t, fams, "scalesim_logical_requests_waiting"); sent != ended+w {
		t.Errorf("clients sent %v, %v ended and %v wait", sent, ended, w)
	}
	if d := value(t, fams, "scalesim_autoscaler_desired_nodes"); d < 2 {
		t.Errorf("the autoscaler wants %v nodes of an overloaded pool", d)
	}
	if tg := value(t, fams, "scalesim_autoscaler_metric_target", "metric", "p99"); tg != 0.1 {
		t.Errorf("the p99 target reads %v, want 0.1 (seconds)", tg)
	}
	if _, ok := Live("1-0", ptr(snapshotAt(t, "redis-cache", time.Second))).family("scalesim_autoscaler_desired_nodes"); ok {
		t.Error("an autoscaler's family without an autoscaler")
	}
}

// TestChangesCounted: the changes a run applies are counted by who
// made them, for Grafana to mark them.
func TestChangesCounted(t *testing.T) {
	fam, ok := Live("1-0", ptr(snapshotAt(t, "failure-drill", 100*time.Second))).family("scalesim_changes_total")
	if !ok {
		t.Fatalf("no scalesim_changes_total")
	}
	if len(fam.Metric) != 1 || label(fam.Metric[0], "source") != "timeline" || fam.Metric[0].Counter.GetValue() < 12 {
		t.Errorf("changes %v, want at least 12 from the timeline", fam.Metric)
	}
	if _, ok := Live("1-0", ptr(snapshotAt(t, "redis-cache", 10*time.Second))).family("scalesim_changes_total"); ok {
		t.Error("changes counted in a run nothing changed")
	}
}
