package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"scalesim/metrics"
	"scalesim/presets"
	"scalesim/report"
	"scalesim/sim"
	"scalesim/topology"
)

// maxRunTime bounds warm-up plus duration: the clock counts nanoseconds
// in an int64 (292 years), and events are scheduled past the end of the
// run (timeouts, think times, services in progress), so the run stops
// well short of the clock's end.
const maxRunTime = 100 * 365 * 24 * time.Hour

// runOptions are the run command's flags.
type runOptions struct {
	duration, warmup time.Duration
	seed             uint64
	format           string
	series           string
	plot             string  // the picture's file, if any
	listen           string  // the metrics endpoint's address, if any
	speed            float64 // simulated seconds per second; 0: flat out
	theory           bool    // each station beside its queueing model
}

func newRunCommand() *command {
	c := newCommand("run", "FILE|PRESET", "simulate headless, print a summary",
		"Simulate FILE or PRESET without a screen: the warm-up first, then the measured\n"+
			"duration, and print a summary on stdout. The same file, seed and flags print\n"+
			"the same bytes. While it runs, a progress line shows on stderr if stderr is a\n"+
			"terminal. On SIGINT (ctrl+c), SIGTERM, SIGHUP or SIGQUIT it stops, prints the\n"+
			"summary of what was simulated, marked PARTIAL, and exits with 128 + the\n"+
			"signal's number: 130 for SIGINT, 143 for SIGTERM, 129 SIGHUP, 131 SIGQUIT.\n"+
			"With --metrics-listen, Prometheus can scrape the run while it runs; --speed\n"+
			"makes it last long enough to see, the same bytes printed at the end.")
	o := &runOptions{duration: 60 * time.Second, warmup: 10 * time.Second, format: "text"}
	c.add(durationFlag{&o.duration, true}, "duration", "`D` of simulated time measured after warm-up")
	c.add(durationFlag{&o.warmup, false}, "warmup", "`D` simulated first and not measured")
	c.add(seedFlag{&o.seed}, "seed", "random seed `N`; default: the file's seed")
	c.add(choiceFlag{&o.format, report.Formats}, "format", "output format `F`: "+strings.Join(report.Formats, ", "))
	c.add(seriesFlag{&o.series}, "series", "a row per simulated second to `FILE` (.csv or .json)")
	c.add(plotFlag{&o.plot}, "plot", "draw the run's seconds to `FILE`: .svg or .png")
	c.add(addrFlag{&o.listen}, "metrics-listen", metricsUsage)
	c.add(paceFlag{&o.speed}, "speed", "simulate at most `X` simulated seconds per second (for\n"+
		"--metrics-listen); default: as fast as it can")
	c.add(boolFlag{&o.theory}, "theory", "each station measured beside its queueing model's\n"+
		"prediction (Erlang C), or why it has none (text, json)")
	c.run = func(c *command, pos []string, e *env) error { return runCmd(c, pos, e, o) }
	return c
}

func runCmd(c *command, pos []string, e *env, o *runOptions) error {
	if len(pos) != 1 {
		return invalidf("run takes one FILE or PRESET, got %d\nsee scalesim run --help", len(pos))
	}
	if err := o.checkSpan(); err != nil {
		return err
	}
	if o.theory && o.format == "prom" {
		return invalidf("--theory writes text or json, not prom")
	}
	t, err := presets.Resolve(pos[0])
	if err != nil {
		return err
	}
	if c.set["seed"] {
		t.Seed = o.seed // a seed like any other, 0 included
	}
	return runTopology(t, e, o, nil)
}

// checkSpan refuses a duration or warm-up a run cannot simulate.
func (o *runOptions) checkSpan() error {
	if o.duration <= 0 {
		return invalidf("--duration must be positive, got %s", topology.FormatDuration(o.duration))
	}
	if o.warmup < 0 {
		return invalidf("--warmup must not be negative, got %s", topology.FormatDuration(o.warmup))
	}
	if o.duration > maxRunTime || o.warmup > maxRunTime-o.duration {
		return invalidf("--warmup %s plus --duration %s is more than the %s (100 years) a run may simulate",
			topology.FormatDuration(o.warmup), topology.FormatDuration(o.duration), topology.FormatDuration(maxRunTime))
	}
	return nil
}

// runTopology runs t headless as the run command does; onSecond, if
// set, also sees every simulated second.
func runTopology(t *topology.Topology, e *env, o *runOptions, onSecond func(sim.Second)) error {
	var pub *metrics.Publisher
	if o.listen != "" {
		p, stop, err := serveMetrics(o.listen)
		if err != nil {
			return err
		}
		defer stop()
		pub = p
	}
	series, err := createSeries(o.series)
	if err != nil {
		return err
	}
	pic, err := createPlot(o.plot, o.warmup)
	if err != nil {
		series.close()
		return err
	}
	each := pic.onSecond(series.onSecond())
	if onSecond != nil {
		if each == nil {
			each = onSecond
		} else {
			inner := each
			each = func(r sim.Second) { inner(r); onSecond(r) }
		}
	}
	s, err := sim.New(t, sim.Options{Warmup: o.warmup, OnSecond: each})
	if err != nil {
		series.close()
		pic.close(t.Name, nil)
		return err
	}
	sigs := make(chan os.Signal, 1)
	notifySignals(sigs)
	defer signal.Stop(sigs)
	var bar *progress
	if isTerminal(e.stderr) {
		bar = newProgress(e.stderr, columnsOf(e.stderr), o.warmup+o.duration)
	}
	sig := simulate(s, o.warmup+o.duration, sigs, bar, pace{speed: o.speed, pub: pub, rec: pic.recorder()})
	serr := errors.Join(series.close(), pic.close(t.Name, s))
	if sig == nil {
		return errors.Join(writeSummary(e.stdout, o, s.Summary()), serr)
	}
	if serr != nil {
		return serr
	}
	p := partial{Signal: sigName(sig), SimulatedS: s.Now().Seconds(), PlannedS: (o.warmup + o.duration).Seconds()}
	if err := writePartial(e.stdout, o, s.Summary(), p); err != nil {
		return err
	}
	return interrupted{sig: sig, msg: fmt.Sprintf("interrupted by %s at %s of %s; the summary is partial",
		p.Signal, topology.FormatDuration(s.Now().Round(time.Millisecond)), topology.FormatDuration(o.warmup+o.duration))}
}

// stopSignals are the signals that stop a run with its partial summary:
// the user's ctrl+c and ctrl+\, a kill, a closed terminal. Left to Go's
// defaults, SIGHUP would end the run silently and SIGQUIT with a stack
// dump of the runtime.
var stopSignals = []os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT}

// notifySignals asks for stopSignals on c; tests wrap it.
var notifySignals = func(c chan<- os.Signal) { signal.Notify(c, stopSignals...) }

// sliceEvents is how many events simulate runs between looks at the
// signals and the progress line: a few milliseconds of work.
const sliceEvents = 50_000

// simulate advances s to end in slices of at most sliceEvents events, so
// that it stops soon after a signal and moves the progress line whatever
// the load; slicing does not change what is simulated. It returns the
// signal that stopped it, or nil.
func simulate(s *sim.Sim, end time.Duration, sigs <-chan os.Signal, bar *progress, p pace) os.Signal {
	defer bar.clear()
	p.start = time.Now()
	p.publish(s, true)
	for {
		until := p.until(end)
		reached := s.AdvanceBudget(until, sliceEvents)
		p.publish(s, reached && until == end)
		if reached && until == end {
			return nil
		}
		select {
		case sig := <-sigs:
			return sig
		default:
		}
		bar.update(s.Now())
		if reached {
			time.Sleep(paceSleep)
		}
	}
}

// interrupted is the error of a run stopped by a signal, after its
// partial summary was printed.
type interrupted struct {
	sig os.Signal
	msg string
}

func (e interrupted) Error() string { return e.msg }

func (e interrupted) exitCode() int {
	if s, ok := e.sig.(syscall.Signal); ok {
		return 128 + int(s)
	}
	return 128 + int(syscall.SIGINT)
}

func sigName(s os.Signal) string {
	if n, ok := s.(syscall.Signal); ok && unix.SignalName(n) != "" {
		return unix.SignalName(n)
	}
	return s.String()
}

// partial says that a summary covers less than was asked for.
type partial struct {
	Signal     string  `json:"signal"`
	SimulatedS float64 `json:"simulated_s"`
	PlannedS   float64 `json:"planned_s"`
}

// lines say so in two lines of fewer than 80 columns.
func (p partial) lines() [2]string {
	d := func(s float64) string { return topology.FormatDuration(time.Duration(s * 1e9).Round(time.Millisecond)) }
	return [2]string{
		fmt.Sprintf("PARTIAL: interrupted by %s after %s of %s simulated;", p.Signal, d(p.SimulatedS), d(p.PlannedS)),
		"every figure covers only what was simulated",
	}
}

// writePartial writes the summary of an interrupted run, marked so that
// neither a reader nor a program can take it for a whole one: a first
// line in text, a "partial" object in JSON, a comment and a gauge in the
// Prometheus format.
func writePartial(w io.Writer, o *runOptions, s sim.Summary, p partial) error {
	switch o.format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		if o.theory {
			return enc.Encode(struct {
				Partial partial `json:"partial"`
				sim.Summary
				Theory []report.TheoryRow `json:"theory"`
			}{p, s, report.Theory(s)})
		}
		return enc.Encode(struct {
			Partial partial `json:"partial"`
			sim.Summary
		}{p, s})
	case "prom":
		l := p.lines()
		fmt.Fprintf(w, "# %s\n# %s\n# HELP scalesim_partial 1 when the run was interrupted and the figures cover only part of it.\n# TYPE scalesim_partial gauge\nscalesim_partial 1\n", l[0], l[1])
	default:
		l := p.lines()
		fmt.Fprintf(w, "%s\n%s\n\n", l[0], l[1])
	}
	return writeSummary(w, o, s)
}

// writeSummary writes s in the run's format, with the stations under
// queueing theory after it when asked.
func writeSummary(w io.Writer, o *runOptions, s sim.Summary) error {
	switch {
	case !o.theory:
		return report.Write(w, o.format, s)
	case o.format == "json":
		return report.TheoryJSON(w, s)
	}
	if err := report.Write(w, o.format, s); err != nil {
		return err
	}
	return report.TheoryText(w, s)
}
