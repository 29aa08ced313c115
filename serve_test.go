package main

import (
	"io"
	"math"
	"net"
	"net/http"
	"regexp"
	"strconv"
	"testing"
	"time"
)

func TestMetricsListenErrors(t *testing.T) {
	runWithin(t, "run", "--metrics-listen", "host:http", "redis-cache").
		check(t, 2, "", `--metrics-listen "host:http": the port "http" is not a number from 0 to 65535`)
	runWithin(t, "run", "--speed", "0", "redis-cache").
		check(t, 2, "", `--speed "0": expected a positive number`)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	r := runWithin(t, "run", "--metrics-listen", ln.Addr().String(), "redis-cache")
	r.check(t, 1, "", "scalesim: cannot listen on "+ln.Addr().String()+": ")
	if r.out != "" {
		t.Errorf("a run that cannot listen printed %q", r.out)
	}
}

// TestHeadlessServesMetrics: a paced headless run serves its progress
// while it runs, and prints the same bytes as a run nobody watched.
func TestHeadlessServesMetrics(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	done := make(chan result, 1)
	go func() {
		done <- runWithin(t, "run", "--duration", "3s", "--warmup", "1s", "--speed", "4", "--metrics-listen", addr, "redis-cache")
	}()
	seen := map[float64]bool{}
	re := regexp.MustCompile(`(?m)^scalesim_simulated_seconds_total\{run_id="[0-9]+-0"\} (\S+)$`)
	var got result
wait:
	for {
		select {
		case got = <-done:
			break wait
		case <-time.After(50 * time.Millisecond):
		}
		resp, err := http.Get("http://" + addr + "/metrics")
		if err != nil {
			continue
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if m := re.FindSubmatch(body); m != nil {
			v, _ := strconv.ParseFloat(string(m[1]), 64)
			seen[v] = true
		}
	}
	if len(seen) < 3 {
		t.Errorf("a run of 1 wall second served %d different simulated times: %v", len(seen), seen)
	}
	want := runWithin(t, "run", "--duration", "3s", "--warmup", "1s", "redis-cache")
	got.check(t, 0, "throughput", "")
	if got.out != want.out {
		t.Errorf("a run scraped while paced printed other bytes:\n%s\nwant:\n%s", got.out, want.out)
	}
}

// A pace of any speed reaches the end: a speed so large that it times
// the elapsed nanoseconds beyond int64 must not wrap to a time before
// the start, which would stall the run at 0s for ever.
func TestPaceOfAnySpeedReachesTheEnd(t *testing.T) {
	end := 70 * time.Second
	for _, speed := range []float64{1e308, math.MaxFloat64, 1e19, 1e10} {
		p := pace{speed: speed, start: time.Now().Add(-time.Millisecond)}
		if got := p.until(end); got != end {
			t.Errorf("speed %g: until(%s) = %s, want %s", speed, end, got, end)
		}
	}
	p := pace{speed: 1, start: time.Now()}
	if got := p.until(end); got < 0 || got > time.Second {
		t.Errorf("speed 1 just after the start: until = %s, want within [0, 1s]", got)
	}
	runWithin(t, "run", "--speed", "1e308", "--duration", "1s", "--warmup", "0s", "redis-cache").check(t, 0, "throughput", "")
}
