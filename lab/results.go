package lab

import (
	"fmt"
	"math"
	"strings"
	"time"

	"scalesim/lab/measured"
	"scalesim/sim"
)

// oneConn is a case measured at one connection, before its loads: the
// page's latency less its io (which holds the client's and the
// loopback's time too), the CPU the server's processes used per request
// and its coefficient of variation over the requests, and the
// difference, the part of a request's latency outside the server.
type oneConn struct{ service, cv, cpu, net, log float64 } // ms; log: the page's log write (X-Log-Ns), 0 if it logs nothing

// run is one measured window of a case beside scalesim's simulation of
// the same window and seed.
type run struct {
	seed            uint64
	tput, mean, p99 float64 // real: req/s, ms
	errors          int
	procs, core     float64 // the service demand under load, ms per request: the server processes' run time (the model's), the core's busy time
	busy, steal     float64 // the core's utilisation over the window, and the share a hypervisor took
	pred            sim.Summary
	traced          *traceCPU // with LAB_TRACE: the workers' CPU per request over the run, as their clocks count it
	together        float64   // with LAB_TRACE: the share of pages started within 6 ms of one on every other worker thread (-1: not known)

	kernel *kernelSummary // with LAB_KTRACE: what a kernel trace of the server's core shows of the run
}

// row is a case's measurements and predictions.
type row struct {
	c    labCase
	one  oneConn
	rate float64 // the open load's rate, req/s
	os   string  // the app section's scheduler keys for this machine's kernel (kernelScheduler)
	runs []run
}

func round3(x float64) float64 { return math.Round(x*1000) / 1000 }

// spread is a figure over runs: its mean, and its range when the runs
// differ.
type spread []float64

func (s spread) mean() float64 {
	sum := 0.0
	for _, v := range s {
		sum += v
	}
	return sum / float64(len(s))
}

// String writes the spread with one decimal, two below 10.
func (s spread) String() string {
	if len(s) > 0 && math.Abs(s.mean()) < 10 {
		return s.format(2)
	}
	return s.format(1)
}

// format writes the spread with prec decimals.
func (s spread) format(prec int) string {
	if len(s) == 0 {
		return "-"
	}
	lo, hi := s[0], s[0]
	for _, v := range s {
		lo, hi = min(lo, v), max(hi, v)
	}
	if len(s) == 1 || hi-lo < 0.5*math.Pow10(-prec) {
		return fmt.Sprintf("%.*f", prec, s.mean())
	}
	return fmt.Sprintf("%.*f (%.*f-%.*f)", prec, s.mean(), prec, lo, prec, hi)
}

// over collects f of every run.
func (r row) over(f func(run) float64) spread {
	s := make(spread, len(r.runs))
	for i, x := range r.runs {
		s[i] = f(x)
	}
	return s
}

// the figures of a run, real and predicted, and their paired ratio
// (scalesim's over the real one, in the same window and seed)
var figures = []struct {
	name, measure string // the table's name, lab/measured's
	real, pred    func(run) float64
}{
	{"req/s", measured.Throughput, func(x run) float64 { return x.tput }, func(x run) float64 { return x.pred.ThroughputRPS }},
	{"mean ms", measured.Mean, func(x run) float64 { return x.mean }, func(x run) float64 { return x.pred.LatencyMs.Mean }},
	{"p99 ms", measured.P99, func(x run) float64 { return x.p99 }, func(x run) float64 { return x.pred.LatencyMs.P99 }},
}

func ratio(f func(run) float64, g func(run) float64) func(run) float64 {
	return func(x run) float64 { return g(x) / f(x) }
}

// table is the results as Markdown: a table of the cases, one of every
// run, and the rows of lab/measured that the fidelity test reads.
func table(rows []row, core, repeats int, warmup, measure time.Duration, when string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "uWSGI pinned to core %d, %s. %d runs per case (seeds 1-%d), each %s after %s of warm-up; "+
		"an open load sends the arrivals scalesim draws for the run's seed, and scalesim simulates the same window with that seed, "+
		"the CPU per request measured in that run (the service demand law: the uWSGI processes' run time over the window, "+
		"exact from their schedstat, divided by the requests it completed; the core's busy time, a sample at the tick, beside it) "+
		"and the part outside the server as the load balancer's hop. "+
		"Figures are the mean over runs, with their range; a ratio is scalesim's over the real one, paired by run.\n\n",
		core, when, repeats, repeats, measure, warmup)
	b.WriteString("| case | at one connection: latency − io, server CPU (cv), outside | demand under load: uWSGI (core), core busy (stolen) |")
	for _, f := range figures {
		fmt.Fprintf(&b, " %s real / scalesim (ratio) |", f.name)
	}
	b.WriteString(" failed real / scalesim |\n|---|---|---|---|---|---|---|\n")
	for _, r := range rows {
		fmt.Fprintf(&b, "| %s | %.2f ms, %.2f ms (%.3f), %.2f ms | %s ms (%s), %s%% (%s%%) |", r.c.name, r.one.service, r.one.cpu, r.one.cv, r.one.net,
			r.over(func(x run) float64 { return x.procs }).format(2), r.over(func(x run) float64 { return x.core }).format(2),
			r.over(func(x run) float64 { return 100 * x.busy }).format(1), r.over(func(x run) float64 { return 100 * x.steal }).format(1))
		for _, f := range figures {
			fmt.Fprintf(&b, " %s / %s (%s) |", r.over(f.real), r.over(f.pred), r.over(ratio(f.real, f.pred)))
		}
		var failed, predFailed uint64
		for _, x := range r.runs {
			failed += uint64(x.errors)
			predFailed += x.pred.Window.Dropped + x.pred.Window.Failed
		}
		fmt.Fprintf(&b, " %d / %d |\n", failed, predFailed)
	}

	b.WriteString("\nEvery run, paired with scalesim's simulation of its window and seed (the ratio, and scalesim's figure less the real one):\n\n| case | seed | demand ms |")
	for _, f := range figures {
		fmt.Fprintf(&b, " %s real / scalesim (ratio, difference) |", f.name)
	}
	b.WriteString("\n|---|---|---|---|---|---|\n")
	for _, r := range rows {
		for _, x := range r.runs {
			fmt.Fprintf(&b, "| %s | %d | %.2f |", r.c.name, x.seed, x.procs)
			for _, f := range figures {
				fmt.Fprintf(&b, " %.1f / %.1f (%.2f, %+.1f) |", f.real(x), f.pred(x), f.pred(x)/f.real(x), f.pred(x)-f.real(x))
			}
			b.WriteString("\n")
		}
	}

	b.WriteString("\nThese runs as rows of `lab/measured` (`measured.Paired`), for the fidelity test; " +
		"a figure beyond its target needs a Gaps entry that says why, or a model that meets it:\n\n```go\n")
	for _, r := range rows {
		b.WriteString(goRow(measuredRow(r, warmup, measure, when)))
	}
	b.WriteString("```\n")
	return b.String()
}

// measuredRow is r as a row of lab/measured: each run's demand, and the
// figures as means over its runs; a figure whose prediction (the mean
// over the runs' simulations, as the fidelity test takes it) misses its
// target gets a Gaps entry that says so and that it is not explained.
func measuredRow(r row, warmup, measure time.Duration, when string) measured.Row {
	m := measured.Row{Case: r.c.name, Machine: measured.Paired, CV: r.one.cv, Net: r.one.net, Rate: r.rate, Log: r.one.log,
		Runs: len(r.runs), Warmup: warmup, Span: measure}
	m.OS = r.os
	m.Demands = r.over(func(x run) float64 { return x.procs })
	m.Service = round3(spread(m.Demands).mean())
	fields := []*float64{&m.Throughput, &m.Mean, &m.P99}
	for i, f := range figures {
		real, pred := r.over(f.real).mean(), r.over(f.pred).mean()
		*fields[i] = math.Round(real*10) / 10
		key := f.measure
		tol := measured.Targets[key]
		if off := pred/real - 1; math.Abs(off) > tol {
			if m.Gaps == nil {
				m.Gaps = map[string]string{}
			}
			m.Gaps[key] = fmt.Sprintf("%+.0f%% in the lab's run %s, beyond the %.0f%% target: not explained yet", 100*off, when, 100*tol)
		}
	}
	return m
}

// goRow writes m as a Go literal for lab/measured's Rows.
func goRow(m measured.Row) string {
	var b strings.Builder
	fmt.Fprintf(&b, "\t{Case: %q, Machine: measured.Paired, Service: %.3f, CV: %.3f, Net: %.3f,\n\t\tDemands: []float64{", m.Case, m.Service, m.CV, m.Net)
	for i, d := range m.Demands {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%.3f", d)
	}
	b.WriteString("},")
	if m.Rate > 0 {
		fmt.Fprintf(&b, " Rate: %.3f,", m.Rate)
	}
	if m.Log > 0 {
		fmt.Fprintf(&b, " Log: %.3f,", m.Log)
	}
	fmt.Fprintf(&b, " Runs: %d, Warmup: %d * time.Second, Span: %d * time.Second,\n", m.Runs, int(m.Warmup/time.Second), int(m.Span/time.Second))
	if m.OS != "" {
		fmt.Fprintf(&b, "\t\tOS: %q,\n", m.OS)
	}
	fmt.Fprintf(&b, "\t\tThroughput: %.1f, Mean: %.1f, P99: %.1f", m.Throughput, m.Mean, m.P99)
	var gaps []string
	for _, k := range []struct{ key, name string }{{measured.Throughput, "Throughput"}, {measured.Mean, "Mean"}, {measured.P99, "P99"}} {
		if g, ok := m.Gaps[k.key]; ok {
			gaps = append(gaps, fmt.Sprintf("measured.%s: %q", k.name, g))
		}
	}
	if len(gaps) > 0 {
		fmt.Fprintf(&b, ",\n\t\tGaps: map[string]string{%s}", strings.Join(gaps, ", "))
	}
	b.WriteString("},\n")
	return b.String()
}
