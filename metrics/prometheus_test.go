package metrics

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// requireEnv, when set (CI sets it), turns a missing Prometheus from a
// skip into a failure.
const requireEnv = "SCALESIM_REQUIRE_PROMETHEUS"

// tool finds a Prometheus program, or skips the test (fails it under
// requireEnv).
func tool(t *testing.T, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		msg := fmt.Sprintf("%s not found (install Debian's prometheus package: apt-get install prometheus; .ci/run does)", name)
		if os.Getenv(requireEnv) != "" {
			t.Fatalf("%s, and %s is set", msg, requireEnv)
		}
		t.Skip(msg)
	}
	return path
}

// TestPromtoolFindsNothing: promtool check metrics, Prometheus' own
// linter, has nothing to say about the exposition of any preset, and
// the Prometheus configuration in deploy/ is valid.
func TestPromtoolFindsNothing(t *testing.T) {
	promtool := tool(t, "promtool")
	for _, name := range []string{"redis-cache", "read-replicas", "flash-sale-redis", "nginx-nodes", "surge"} {
		var buf bytes.Buffer
		snap := surgeAt(t, 40*time.Second)
		if name != "surge" {
			snap = snapshotAt(t, name, 3*time.Second)
		}
		if err := Live("1-0", &snap).WriteText(&buf); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(promtool, "check", "metrics")
		cmd.Stdin = &buf
		out, err := cmd.CombinedOutput()
		if err != nil || len(out) > 0 {
			t.Errorf("%s: promtool check metrics: %v\n%s", name, err, out)
		}
	}
	// the configuration the README points Prometheus at
	if out, err := exec.Command(promtool, "check", "config", "../deploy/prometheus/prometheus.yml").CombinedOutput(); err != nil {
		t.Errorf("promtool check config: %v\n%s", err, out)
	}
}

// TestRealPrometheus starts a real Prometheus server on loopback that
// scrapes a live simulation of redis-cache, asks it for a rate and a
// histogram quantile, turns the cache off as the dashboard's k does,
// and sees the database queue climb in PromQL.
func TestRealPrometheus(t *testing.T) {
	prom := tool(t, "prometheus")
	if testing.Short() {
		t.Skip("starts a Prometheus server for several seconds; runs without -short")
	}

	// the simulation, 50 simulated seconds a second, published as the
	// dashboard publishes
	pub := NewPublisher()
	srv, err := Listen("127.0.0.1:0", pub)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	s := newSim(t, "redis-cache")
	pub.Publish(1, s.Snapshot())
	var (
		mu       sync.Mutex
		cacheOff bool
	)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
			}
			mu.Lock()
			if cacheOff && !s.Snapshot().Topology.Cache.Disabled {
				off := s.Snapshot().Topology.Clone()
				off.Cache.Disabled = true
				if err := s.Apply(off); err != nil {
					t.Error(err)
				}
				s.ResetStats()
			}
			mu.Unlock()
			s.Advance(s.Now() + time.Second)
			pub.Publish(1, s.Snapshot())
		}
	}()
	t.Cleanup(func() { close(stop); wg.Wait() })

	// the server: loopback only, a temporary config and data directory,
	// a short scrape interval; it dies with the test, or after a minute
	dir := t.TempDir()
	promAddr := freeAddr(t)
	config := fmt.Sprintf(`global:
  scrape_interval: 100ms
  scrape_timeout: 90ms
scrape_configs:
  - job_name: scalesim
    static_configs:
      - targets: [%q]
`, srv.Addr())
	cfg := filepath.Join(dir, "prometheus.yml")
	if err := os.WriteFile(cfg, []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	var logs bytes.Buffer
	cmd := exec.CommandContext(ctx, prom, "--config.file="+cfg, "--storage.tsdb.path="+filepath.Join(dir, "data"),
		"--web.listen-address="+promAddr, "--log.level=warn")
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		if t.Failed() {
			t.Logf("prometheus said:\n%s", logs.String())
		}
	})
	api := "http://" + promAddr

	waitFor(t, "Prometheus to be ready", func() (bool, string) {
		resp, err := http.Get(api + "/-/ready")
		if err != nil {
			return false, err.Error()
		}
		resp.Body.Close()
		return resp.StatusCode == 200, resp.Status
	})
	waitFor(t, "the target to be up", func() (bool, string) {
		v, ok := query(t, api, `up{job="scalesim"}`)
		return ok && v == 1, fmt.Sprint(v)
	})

	// completions per simulated second: the arrival rate, 300 a second
	// (over 2 s of wall time, 100 simulated seconds: 30000 requests,
	// a Poisson error under 1%)
	throughput := `sum(rate(scalesim_requests_total{outcome="completed"}[2s])) / sum(rate(scalesim_simulated_seconds_total[2s]))`
	waitFor(t, "the throughput per simulated second to be 300", func() (bool, string) {
		v, ok := query(t, api, throughput)
		return ok && v > 285 && v < 315, fmt.Sprint(v)
	})
	// with the cache on, most requests take the two CPU steps (10 ms
	// mean) and the 99th percentile is tens of milliseconds
	p99 := `histogram_quantile(0.99, sum by (le) (rate(scalesim_request_duration_seconds_bucket[2s])))`
	waitFor(t, "the p99 latency with the cache on to be under 250ms", func() (bool, string) {
		v, ok := query(t, api, p99)
		return ok && v > 0.01 && v < 0.25, fmt.Sprint(v)
	})
	before, _ := query(t, api, `max_over_time(scalesim_station_queue_length{station="db"}[2s])`)
	if before > 20 {
		t.Errorf("the database queue is %v with the cache on", before)
	}

	mu.Lock()
	cacheOff = true
	mu.Unlock()
	// 300 queries of 20 ms a second on 4 cores: the queue climbs
	waitFor(t, "the database queue to climb past 100", func() (bool, string) {
		v, ok := query(t, api, `scalesim_station_queue_length{station="db"}`)
		return ok && v > 100, fmt.Sprint(v)
	})
	waitFor(t, "the p99 latency with the cache off to pass 250ms", func() (bool, string) {
		v, ok := query(t, api, p99)
		return ok && v > 0.25, fmt.Sprint(v)
	})
	// every query of the Grafana dashboard runs and finds series
	for title, exprs := range dashboardQueries(t) {
		for _, e := range exprs {
			e = strings.ReplaceAll(e, "$__rate_interval", "2s")
			n, _ := queryN(t, api, e) // a query Prometheus refuses fails the test
			if strings.Contains(e, "scalesim_autoscaler_") || strings.Contains(e, "scalesim_changes_total") {
				continue // redis-cache has none to find: TestDashboardNamesServedMetrics checks the names
			}
			if n == 0 {
				t.Errorf("panel %q: %s finds no series", title, e)
			}
		}
	}
	// and so do the README's
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, block, _ := strings.Cut(string(readme), "```promql\n")
	block, _, _ = strings.Cut(block, "```")
	lines := strings.Split(strings.TrimSpace(block), "\n")
	if len(lines) < 3 {
		t.Errorf("the README has %d PromQL examples", len(lines))
	}
	for _, e := range lines {
		if n, v := queryN(t, api, e); n == 0 || !(v > 0) {
			t.Errorf("the README's %s finds %d series (%v)", e, n, v)
		}
	}
	// the counters went on from where they were: no reset seen
	if v, ok := query(t, api, `sum(resets(scalesim_requests_total[1m])) + sum(resets(scalesim_station_completions_total[1m]))`); !ok || v != 0 {
		t.Errorf("Prometheus saw counters reset across the edit: %v", v)
	}
}

// freeAddr is a loopback address with a port free a moment ago.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// waitFor polls cond for up to 20 seconds.
func waitFor(t *testing.T, what string, cond func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	last := ""
	for time.Now().Before(deadline) {
		ok, got := cond()
		if ok {
			return
		}
		last = got
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("waited 20s for %s; last: %s", what, last)
}

// query asks Prometheus' HTTP API for the value of an instant query of
// one series; ok is false when it has none (yet).
func query(t *testing.T, api, q string) (float64, bool) {
	t.Helper()
	n, v := queryN(t, api, q)
	return v, n == 1 && !math.IsNaN(v)
}

// queryN runs an instant query and returns how many series it found
// and the first one's value.
func queryN(t *testing.T, api, q string) (int, float64) {
	t.Helper()
	resp, err := http.Get(api + "/api/v1/query?query=" + url.QueryEscape(q))
	if err != nil {
		return 0, 0
	}
	defer resp.Body.Close()
	var r struct {
		Status string `json:"status"`
		Error  string `json:"error"`
		Data   struct {
			Result []struct {
				Value [2]any `json:"value"`
			} `json:"result"`
		} `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	if r.Status != "success" {
		t.Fatalf("%s: %s", q, r.Error)
	}
	if len(r.Data.Result) == 0 {
		return 0, 0
	}
	s, _ := r.Data.Result[0].Value[1].(string)
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("%s: the value %q", q, s)
	}
	return len(r.Data.Result), v
}
