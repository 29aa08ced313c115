// Package report renders a sim.Summary for people and programs: a text
// table, JSON, and the Prometheus text exposition format. It is apart
// from sim, which must not know output formats, and from main, so that
// every format is tested against golden files.
package report

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"time"

	"scalesim/numfmt"
	"scalesim/sim"
	"scalesim/termsafe"
	"scalesim/topology"
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

// Text writes s as a readable report in two sections, each headed by
// its scope: the whole run (from time 0), then the measured window
// (after the warm-up), which throughput, latency, the stations, the
// cache and the database describe.
func Text(w io.Writer, s sim.Summary) error {
	var b strings.Builder
	runS := s.WarmupS + s.DurationS
	fmt.Fprintf(&b, "%s\n", termsafe.Line(s.Name))
	fmt.Fprintf(&b, "seed %d, %s simulated: %s of warm-up, then %s measured; %d events\n", s.Seed, secs(runS), secs(s.WarmupS), secs(s.DurationS), s.Events)

	fmt.Fprintf(&b, "\nwhole run (0s - %s)\n", secs(runS))
	r := s.Requests
	fmt.Fprintf(&b, "requests   arrived %d  completed %d  dropped %d  failed %d  in flight %d\n", r.Arrived, r.Completed, r.Dropped, r.Failed, r.InFlight)
	causes(&b, r)
	clients(&b, r)
	if r.DroppedBy.InFlightCap > 0 {
		fmt.Fprintf(&b, "           in-flight cap %s reached: %d arrivals dropped\n", numfmt.Thousands(uint64(s.InFlightCap)), r.DroppedBy.InFlightCap)
	}
	if st := s.Stock; st != nil {
		fmt.Fprintf(&b, "stock      %s, %d item(s): %d of %d sold, %d left in the database", st.Strategy, st.Items, st.Sold, st.Initial, st.Left)
		if st.Oversold > 0 {
			fmt.Fprintf(&b, ", OVERSOLD %d", st.Oversold)
		}
		if st.LostUpdates > 0 {
			fmt.Fprintf(&b, ", %d lost updates", st.LostUpdates)
		}
		b.WriteString("\n")
		if st.CounterError != 0 {
			fmt.Fprintf(&b, "           %d really left; the counter claims %d more\n", st.RealLeft, st.CounterError)
		}
		if len(st.Phases) > 1 {
			for _, p := range st.Phases {
				fmt.Fprintf(&b, "           from %s %s: sold %d", secs(p.StartS), p.Strategy, p.Sold)
				if p.LateSold > 0 {
					fmt.Fprintf(&b, " (%d by earlier buyers finishing)", p.LateSold)
				}
				fmt.Fprintf(&b, ", oversold %d (%d of them inherited), lost updates %d, counter error at start %d",
					p.OversoldInherited+p.OversoldOwn, p.OversoldInherited, p.LostUpdates, p.InheritedError)
				if p.Reconciled {
					fmt.Fprintf(&b, ", reconciled by %d", p.Corrected)
				}
				b.WriteString("\n")
			}
		}
	}
	oom := 0
	for _, n := range s.Nodes {
		oom += n.OOMKills
	}
	if oom > 0 {
		fmt.Fprintf(&b, "OOM killer: %d worker processes did not fit in memory\n", oom)
	}

	fmt.Fprintf(&b, "\nmeasured window (%s - %s)\n", secs(s.WarmupS), secs(runS))
	wn := s.Window
	fmt.Fprintf(&b, "requests   arrived %d  completed %d  dropped %d  failed %d\n", wn.Arrived, wn.Completed, wn.Dropped, wn.Failed)
	causes(&b, wn)
	clients(&b, wn)
	if retried(wn) {
		fmt.Fprintf(&b, "throughput %.1f req/s  goodput %.1f req/s (answers a client waited for)\n", s.ThroughputRPS, s.GoodputRPS)
	} else {
		fmt.Fprintf(&b, "throughput %.1f req/s\n", s.ThroughputRPS)
	}
	l := s.LatencyMs
	if wn.Completed > 0 && wn.Logical.Goodput == 0 {
		b.WriteString("latency    none: no client got an answer\n\n")
	} else {
		fmt.Fprintf(&b, "latency    mean %s  p50 %s  p95 %s  p99 %s  max %s\n\n", ms(l.Mean), ms(l.P50), ms(l.P95), ms(l.P99), ms(l.Max))
	}
	phases(&b, s.Phases)
	classes(&b, s.Classes)
	populations(&b, s.Populations)

	rows := [][]string{{"station", "servers", "util", "req/s", "queue", "wait", "service", "dropped"}}
	for _, st := range s.Stations {
		if st.Arrivals == 0 && st.Completions == 0 && st.BusyMean == 0 {
			rows = append(rows, []string{st.Name, fmt.Sprint(st.Servers), "unused", "-", "-", "-", "-", "-"})
			continue
		}
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
		if c.Used {
			fmt.Fprintf(&b, "\ncache      %s  hits %d  misses %d  hit ratio %.1f%%\n", state, c.Hits, c.Misses, 100*c.HitRatio)
		} else {
			fmt.Fprintf(&b, "\ncache      %s, unused: no request looked a key up\n", state)
		}
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
		b.WriteString("(conns: open at the end)\n")
	}
	if d := s.DB; d != nil && d.ReplicaReads > 0 {
		if d.StaleUpperBound {
			fmt.Fprintf(&b, "replica reads %d: up to %d may be stale, served while a write was on its way to the replica\n", d.ReplicaReads, d.StaleReads)
			b.WriteString("           (db.rows would tell which reads touched a row written within the lag)\n")
		} else {
			fmt.Fprintf(&b, "replica reads %d, of which %d stale: their row was written within the replication lag\n", d.ReplicaReads, d.StaleReads)
		}
	}
	if st := s.Stock; st != nil {
		fmt.Fprintf(&b, "\nstock      sold %d, %.1f sales/s, %d sold-out answers\n", st.SoldWindow, st.SalesPerSec, st.SoldOut)
		if st.Strategy == "optimistic" {
			fmt.Fprintf(&b, "           %d conflicts, %d retries, %d buyers gave up\n", st.Conflicts, st.Retries, st.GaveUp)
		}
		if st.Strategy == "row_lock" {
			fmt.Fprintf(&b, "           row lock: wait mean %s p99 %s, held %s, queue %.1f\n", ms(st.LockWaitMs), ms(st.LockWaitP99Ms), ms(st.LockHoldMs), st.LockQueueMean)
		}
		if st.Strategy == "redis" {
			fmt.Fprintf(&b, "           orders: %d written, lag mean %s p99 %s; %d queued at the end\n", st.OrdersWritten, ms(st.OrderLagMs), ms(st.OrderLagP99Ms), st.OrdersQueued)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// phases writes the window's phases, one row each with what changed at
// its start on the line below.
func phases(b *strings.Builder, ps []sim.Phase) {
	if len(ps) < 2 {
		return
	}
	b.WriteString("phases: the measured window cut at the timeline's times\n")
	clients := false // a column of goodput when clients retried or gave up
	for _, p := range ps {
		clients = clients || retried(p.Requests)
	}
	head := []string{"from", "to", "arrived", "completed", "dropped", "failed", "req/s", "p50", "p99"}
	if clients {
		head = slices.Insert(head, 7, "answered/s")
	}
	rows := [][]string{head}
	for _, p := range ps {
		c := p.Requests
		p50, p99 := ms(p.LatencyMs.P50), ms(p.LatencyMs.P99)
		if c.Completed > 0 && c.Logical.Goodput == 0 {
			p50, p99 = "-", "-" // no client got an answer
		}
		row := []string{secs(p.FromS), secs(p.ToS), fmt.Sprint(c.Arrived), fmt.Sprint(c.Completed),
			fmt.Sprint(c.Dropped), fmt.Sprint(c.Failed), fmt.Sprintf("%.1f", p.ThroughputRPS), p50, p99}
		if clients {
			row = slices.Insert(row, 7, fmt.Sprintf("%.1f", p.GoodputRPS))
		}
		rows = append(rows, row)
	}
	var t strings.Builder
	table(&t, rows)
	lines := strings.Split(strings.TrimSuffix(t.String(), "\n"), "\n")
	b.WriteString(lines[0] + "\n")
	for i, p := range ps {
		b.WriteString(lines[i+1] + "\n")
		if p.Label != "" {
			fmt.Fprintf(b, "  %s\n", termsafe.Line(p.Label))
		}
	}
	b.WriteString("\n")
}

// causes writes why requests were dropped and failed, when some were.
func causes(b *strings.Builder, c sim.Counts) {
	var parts []string
	add := func(n uint64, what string) {
		if n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, what))
		}
	}
	d, f := c.DroppedBy, c.FailedBy
	add(d.BacklogFull, "dropped: backlog full")
	add(d.InFlightCap, "dropped: in-flight cap")
	add(f.Timeout, "failed: timeout")
	add(f.NodeDown, "failed: node down")
	add(f.NoNodeUp, "failed: no node up")
	add(f.DBRefused, "failed: db connection refused")
	add(f.DBDown, "failed: db server down")
	add(f.GaveUp, "failed: optimistic retries exhausted")
	if len(parts) > 0 {
		fmt.Fprintf(b, "           %s\n", strings.Join(parts, ", "))
	}
}

// retried reports whether clients retried, gave up or left work
// wasted: whether logical requests differ from attempts.
func retried(c sim.Counts) bool {
	return c.Retries > 0 || c.Wasted > 0 || c.Logical.Abandoned > 0
}

// clients writes the logical requests' outcomes when they differ from
// the attempts'.
func clients(b *strings.Builder, c sim.Counts) {
	if !retried(c) {
		return
	}
	l := c.Logical
	fmt.Fprintf(b, "clients    sent %d  answered %d  dropped %d  failed %d  abandoned %d  waiting %d\n", l.Sent, l.Goodput, l.Dropped, l.Failed, l.Abandoned, l.Waiting)
	fmt.Fprintf(b, "           (requests above count attempts: %d of them retries", c.Retries)
	if l.Throttled > 0 {
		fmt.Fprintf(b, ", %d more refused by the retry budget", l.Throttled)
	}
	fmt.Fprintf(b, "; %d completed for a client that had given up: wasted)\n", c.Wasted)
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
	case math.Round(v*1000) == 0:
		return "<1µs" // not nothing, and not a whole microsecond
	case math.Round(v*1000) < 1000: // not 1000µs: 999.7µs is 1.0ms
		return fmt.Sprintf("%.0fµs", math.Round(v*1000))
	case math.Round(v*10) < 10000: // as printed: 999.97 ms is 1.00s, not 1000.0ms
		return fmt.Sprintf("%.1fms", v)
	}
	return fmt.Sprintf("%.2fs", v/1000)
}

// secs writes v seconds as a duration (1m10s, 8760h, 1ns), the way the
// flags take them, rather than in %g's scientific notation at either end.
func secs(v float64) string {
	return topology.FormatDuration(time.Duration(math.Round(v * 1e9)))
}

// classes writes the latency of each request class, when there are two
// or more: a short class stuck behind a long one shows here.
func classes(b *strings.Builder, cs []sim.ClassSummary) {
	if len(cs) < 2 {
		return
	}
	rows := [][]string{{"class", "req/s", "mean", "p50", "p95", "p99", "max"}}
	for _, c := range cs {
		l := c.LatencyMs
		if c.Completed == 0 {
			rows = append(rows, []string{termsafe.Line(c.Name), "0.0", "-", "-", "-", "-", "-"})
			continue
		}
		rows = append(rows, []string{termsafe.Line(c.Name), fmt.Sprintf("%.1f", c.ThroughputRPS), ms(l.Mean), ms(l.P50), ms(l.P95), ms(l.P99), ms(l.Max)})
	}
	table(b, rows)
	b.WriteString("\n")
}

// populations writes each population of a closed workload: its users,
// their think time, and its classes' answers together.
func populations(b *strings.Builder, ps []sim.PopulationSummary) {
	if len(ps) == 0 {
		return
	}
	rows := [][]string{{"population", "users", "think", "req/s", "mean", "p50", "p95", "p99"}}
	for _, p := range ps {
		l := p.LatencyMs
		row := []string{termsafe.Line(p.Name), fmt.Sprint(p.Users), ms(p.ThinkMs), fmt.Sprintf("%.1f", p.ThroughputRPS)}
		if p.Completed == 0 {
			row = append(row, "-", "-", "-", "-")
		} else {
			row = append(row, ms(l.Mean), ms(l.P50), ms(l.P95), ms(l.P99))
		}
		rows = append(rows, row)
	}
	table(b, rows)
	b.WriteString("\n")
}
