// Package report renders a sim.Summary for people and programs: a text
// table, JSON, and the Prometheus text exposition format. It is apart
// from sim, which must not know output formats, and from main, so that
// every format is tested against golden files.
package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"scalesim/sim"
	"scalesim/termsafe"
)

// Formats lists the formats Write knows.
var Formats = []string{"text", "json", "prom"}

// Write renders s in format to w.
func Write(w io.Writer, format string, s sim.Summary) error {
	switch format {
	case "text":
		return Text(w, s)
	case "json":
		return JSON(w, s)
	case "prom":
		return Prom(w, s)
	}
	return fmt.Errorf("unknown format %q (allowed: %s)", format, strings.Join(Formats, ", "))
}

// JSON writes s as indented JSON.
func JSON(w io.Writer, s sim.Summary) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(s)
}

// Text writes s as a readable table.
func Text(w io.Writer, s sim.Summary) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n", termsafe.Line(s.Name))
	fmt.Fprintf(&b, "seed %d, measured %s after %s of warm-up, %d events\n\n", s.Seed, secs(s.DurationS), secs(s.WarmupS), s.Events)
	r := s.Requests
	fmt.Fprintf(&b, "requests   arrived %d  completed %d  dropped %d  failed %d  in flight %d\n", r.Arrived, r.Completed, r.Dropped, r.Failed, r.InFlight)
	wn := s.Window
	fmt.Fprintf(&b, "window     arrived %d  completed %d  dropped %d  failed %d\n", wn.Arrived, wn.Completed, wn.Dropped, wn.Failed)
	fmt.Fprintf(&b, "throughput %.1f req/s\n", s.ThroughputRPS)
	l := s.LatencyMs
	fmt.Fprintf(&b, "latency    mean %s  p50 %s  p95 %s  p99 %s  max %s\n\n", ms(l.Mean), ms(l.P50), ms(l.P95), ms(l.P99), ms(l.Max))

	rows := [][]string{{"station", "servers", "util", "req/s", "queue", "wait", "service", "dropped"}}
	for _, st := range s.Stations {
		rows = append(rows, []string{
			st.Name, fmt.Sprint(st.Servers), fmt.Sprintf("%.1f%%", 100*st.Utilization),
			fmt.Sprintf("%.1f", st.ThroughputRPS), fmt.Sprintf("%.2f", st.QueueMean),
			ms(st.WaitMsMean), ms(st.ServiceMsMean), fmt.Sprint(st.Dropped),
		})
	}
	table(&b, rows)
	if c := s.Cache; c != nil {
		state := "on"
		if !c.Enabled {
			state = "off"
		}
		fmt.Fprintf(&b, "\ncache      %s  hits %d  misses %d  hit ratio %.1f%%\n", state, c.Hits, c.Misses, 100*c.HitRatio)
	}
	if d := s.DB; d != nil && (len(d.Servers) > 1 || d.MaxConnections > 0 || d.Servers[0].PoolSize > 0) {
		b.WriteString("\n")
		rows := [][]string{{"db server", "cores", "util", "req/s", "queue", "wait", "conns", "refused", "pool wait"}}
		for _, sv := range d.Servers {
			pool := "-"
			if sv.PoolSize > 0 {
				pool = ms(sv.PoolWaitMsMean)
			}
			rows = append(rows, []string{
				sv.Name, fmt.Sprint(sv.Cores), fmt.Sprintf("%.1f%%", 100*sv.Utilization), fmt.Sprintf("%.1f", sv.ThroughputRPS),
				fmt.Sprintf("%.2f", sv.QueueMean), ms(sv.WaitMsMean), fmt.Sprint(sv.Connections), fmt.Sprint(sv.Refused), pool,
			})
		}
		table(&b, rows)
		if d.ReplicaReads > 0 {
			fmt.Fprintf(&b, "replica reads %d, of which %d stale: a write had not yet reached the replica\n", d.ReplicaReads, d.StaleReads)
		}
	}
	if st := s.Stock; st != nil {
		fmt.Fprintf(&b, "\nstock      %s, %d item(s): %d of %d sold, %d left", st.Strategy, st.Items, st.Sold, st.Initial, st.Left)
		if st.Oversold > 0 {
			fmt.Fprintf(&b, ", OVERSOLD %d", st.Oversold)
		}
		if st.LostUpdates > 0 {
			fmt.Fprintf(&b, ", %d lost updates", st.LostUpdates)
		}
		fmt.Fprintf(&b, "\n           %.1f sales/s, %d sold-out answers\n", st.SalesPerSec, st.SoldOut)
		if st.Strategy == "optimistic" {
			fmt.Fprintf(&b, "           %d conflicts, %d retries, %d buyers gave up\n", st.Conflicts, st.Retries, st.GaveUp)
		}
		if st.Strategy == "row_lock" {
			fmt.Fprintf(&b, "           row lock: wait mean %s p99 %s, held %s, queue %.1f\n", ms(st.LockWaitMs), ms(st.LockWaitP99Ms), ms(st.LockHoldMs), st.LockQueueMean)
		}
		if st.Strategy == "redis" {
			fmt.Fprintf(&b, "           orders: %d written, %d queued, lag mean %s p99 %s\n", st.OrdersWritten, st.OrdersQueued, ms(st.OrderLagMs), ms(st.OrderLagP99Ms))
		}
	}
	oom := 0
	for _, n := range s.Nodes {
		oom += n.OOMKills
	}
	if oom > 0 {
		fmt.Fprintf(&b, "\nOOM killer: %d worker processes did not fit in memory\n", oom)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// table writes rows with columns aligned: the first left, the rest right.
func table(b *strings.Builder, rows [][]string) {
	width := make([]int, len(rows[0]))
	for _, r := range rows {
		for i, c := range r {
			width[i] = max(width[i], len(c))
		}
	}
	for _, r := range rows {
		for i, c := range r {
			if i == 0 {
				fmt.Fprintf(b, "%-*s", width[i], c)
			} else {
				fmt.Fprintf(b, "  %*s", width[i], c)
			}
		}
		b.WriteByte('\n')
	}
}

func ms(v float64) string {
	switch {
	case v == 0:
		return "0"
	case v < 1:
		return fmt.Sprintf("%.0fµs", v*1000)
	case v < 1000:
		return fmt.Sprintf("%.1fms", v)
	}
	return fmt.Sprintf("%.2fs", v/1000)
}

func secs(v float64) string { return fmt.Sprintf("%gs", v) }
