package main

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"scalesim/sweep"
	"scalesim/termsafe"
	"scalesim/topology"
)

type findOptions struct {
	runsOptions
	vary, slo string
	maxRate   bool
	maxSeeds  int
	precision float64
}

func newFindCommand() *command {
	c := newCommand("find", "FILE|PRESET", "the least setting that meets an SLO",
		"Search for the smallest whole value of a field (--vary app.workers, or\n"+
			"--vary app.nodes=1..64 within a range) or, with --max-rate, the highest\n"+
			"workload.rate, that meets the objective --slo: terms mean, p50, p95, p99\n"+
			"below a duration, errors (requests that got no answer) or drops (refused at\n"+
			"the door) below a fraction or a percentage, joined by commas:\n"+
			"  --slo 'p99<200ms,errors<0.1%'\n"+
			"It bisects, so it assumes more of the field never makes things worse.\n"+
			"Each candidate runs with --seeds seeds and more, doubling up to --max-seeds,\n"+
			"until every term's one-sided 95% bound (Student's t over the seeds) is on\n"+
			"one side of its limit; one still undecided counts as not meeting it. A run\n"+
			"that cannot meet it is stopped early: 1,000 requests in flight or more,\n"+
			"growing, with by Little's law a wait of over 20 times the latency limit; or\n"+
			"already 1.5 times the errors the objective allows in the whole run.\n"+
			"Each --set PATH=VALUES fixes a field; with several values, one search runs\n"+
			"per combination (workers 4,8,16: the nodes each needs).")
	o := &findOptions{runsOptions: runsOptions{duration: 60 * time.Second, warmup: 10 * time.Second, seeds: 4},
		maxSeeds: 32, precision: 0.01}
	c.add(textFlag{&o.vary}, "vary", "the field `PATH` to search, or PATH=LO..HI to search within")
	c.add(boolFlag{&o.maxRate}, "max-rate", "search the highest workload.rate instead")
	c.add(textFlag{&o.slo}, "slo", "the objective `TERMS`, such as 'p99<200ms,errors<0.1%'")
	o.runsOptions.add(c, "seeds `N` a candidate starts with (at least 2)")
	c.add(seedCountFlag{&o.maxSeeds, 2}, "max-seeds", "at most `N` seeds per candidate")
	c.add(fractionFlag{&o.precision}, "precision", "--max-rate stops with the rate known within `P`")
	c.run = func(c *command, pos []string, e *env) error { return findCmd(c, pos, e, o) }
	return c
}

func findCmd(c *command, pos []string, e *env, o *findOptions) error {
	if o.slo == "" {
		return invalidf("find needs --slo TERMS, such as --slo 'p99<200ms,errors<0.1%%'\nsee scalesim find --help")
	}
	if (o.vary == "") == !o.maxRate {
		return invalidf("find needs one of --vary PATH and --max-rate\nsee scalesim find --help")
	}
	if o.seeds < 2 {
		return invalidf("--seeds must be at least 2 for a confidence interval, got %d", o.seeds)
	}
	if o.maxSeeds < o.seeds {
		return invalidf("--max-seeds %d is below --seeds %d", o.maxSeeds, o.seeds)
	}
	slo, err := sweep.ParseSLO(o.slo)
	if err != nil {
		return err
	}
	t, g, seeds, err := o.load(c, pos)
	if err != nil {
		return err
	}
	s := sweep.Search{Path: "workload.rate", Highest: o.maxRate, Precision: o.precision, SLO: slo,
		Run: sweep.Run{Warmup: o.warmup, Duration: o.duration}, Seeds: seeds, MaxSeeds: o.maxSeeds, Jobs: o.jobs}
	if o.vary != "" {
		path, bounds, has := strings.Cut(o.vary, "=")
		s.Path = path
		cur, err := t.Get(path)
		if err == nil && cur == "null" {
			// not in the file: a field it could set, or a typo
			_, err = t.With(topology.Change{Action: topology.ActSet, Path: path, Value: "1"})
			if err == nil && !has {
				err = fmt.Errorf("%s is not in the file; give the range to search: --vary %s=1..64", path, path)
			}
		}
		if err != nil {
			return invalid{fmt.Errorf("--vary: %w", err)}
		}
		if has {
			lo, hi, err := wholeRange(bounds)
			if err != nil {
				return invalidf("--vary %s: %s", o.vary, err)
			}
			s.Lo, s.Hi, s.HasBounds = lo, hi, true
		}
	} else if t.Workload.Users > 0 {
		return invalidf("--max-rate searches workload.rate, and %s has a closed workload (users)", pos[0])
	}
	for _, a := range g.Axes {
		if a.Path == s.Path {
			return invalidf("--set %s fixes the field the search varies", a.Path)
		}
	}
	jobs, err := jobsOf(t, g, sweep.Shard{K: 1, N: 1})
	if err != nil {
		return invalid{err}
	}
	fmt.Fprintf(e.stdout, "find the %s %s meeting %s in %s\n", map[bool]string{true: "highest", false: "smallest"}[s.Highest],
		s.Path, slo, termsafe.Line(t.Name))
	fmt.Fprintf(e.stdout, "each candidate: %s warm-up, %s measured, %d to %d seeds; bounds one-sided 95%% (Student t)\n",
		topology.FormatDuration(o.warmup), topology.FormatDuration(o.duration), o.seeds, o.maxSeeds)
	start := time.Now()
	for _, j := range jobs {
		if len(g.Axes) > 0 {
			var parts []string
			for i, a := range g.Axes {
				parts = append(parts, a.Path+"="+j.Point.Values[i])
			}
			fmt.Fprintf(e.stdout, "\nwith %s:\n", strings.Join(parts, " "))
		}
		s.Base = j.Topology
		s.Log = func(tr sweep.Trial) { fmt.Fprintln(e.stdout, trialLine(s, tr)) }
		ans, err := s.Find()
		if err != nil {
			return invalid{err}
		}
		writeAnswer(e.stdout, &s, ans)
	}
	if isTerminal(e.stderr) {
		fmt.Fprintf(e.stderr, "searched in %s\n", time.Since(start).Round(time.Millisecond))
	}
	return nil
}

// wholeRange reads LO..HI for --vary (whole numbers, LO ≥ 1).
func wholeRange(s string) (float64, float64, error) {
	a, b, ok := strings.Cut(s, "..")
	lo, err1 := strconv.Atoi(strings.TrimSpace(a))
	hi, err2 := strconv.Atoi(strings.TrimSpace(b))
	if !ok || err1 != nil || err2 != nil {
		return 0, 0, fmt.Errorf("expected a range of whole numbers LO..HI, such as 1..64")
	}
	if lo > hi {
		return 0, 0, fmt.Errorf("the range's start %d is above its end %d", lo, hi)
	}
	return float64(lo), float64(hi), nil
}

// trialLine is one candidate: its verdict and each term's interval.
func trialLine(s sweep.Search, tr sweep.Trial) string {
	var b strings.Builder
	fmt.Fprintf(&b, "  %s = %-8s %-6s %2d seeds", s.Path, tr.Value, tr.Verdict, tr.Seeds)
	for i, term := range s.SLO {
		fmt.Fprintf(&b, "  %s", termText(term, tr.Terms[i]))
	}
	if tr.Stopped > 0 {
		fmt.Fprintf(&b, "  (%d %s)", tr.Stopped, tr.Why)
	}
	return b.String()
}

// termText is a term's figure as mean [lo, hi].
func termText(term sweep.Term, iv sweep.Interval) string {
	name := strings.TrimSuffix(term.Figure, "_ms")
	f := func(x float64) string {
		if math.IsInf(x, 0) || math.IsNaN(x) {
			return "?"
		}
		x = max(x, 0) // every figure is at least 0; so is its interval

		if term.Latency() {
			return strconv.FormatFloat(x, 'f', 1, 64)
		}
		return strconv.FormatFloat(100*x, 'g', 3, 64) + "%"
	}
	unit := ""
	if term.Latency() {
		unit = "ms"
	}
	return fmt.Sprintf("%s %s%s [%s, %s]", name, f(iv.Mean), unit, f(iv.Lo()), f(iv.Hi()))
}

// writeAnswer says what was found and how sure it is.
func writeAnswer(w io.Writer, s *sweep.Search, a *sweep.Answer) {
	if !a.Found {
		fmt.Fprintf(w, "no answer: %s\n", a.Limit)
		return
	}
	fmt.Fprintf(w, "answer: %s = %s\n", s.Path, a.Value)
	for i, term := range s.SLO {
		fmt.Fprintf(w, "  meets %s: mean %s, 95%% upper bound %s over %d seeds\n", term.Text,
			boundText(term, a.Best.Terms[i].Mean), boundText(term, a.Best.Terms[i].Hi()), a.Best.Seeds)
	}
	if a.Next != nil {
		what := "does not meet it with 95% confidence"
		switch {
		case a.Next.Stopped > 0:
			what = "fails: " + a.Next.Why
		case a.Next.Verdict == sweep.Unsure:
			what = fmt.Sprintf("is not shown to meet it with %d seeds", a.Next.Seeds)
		}
		fmt.Fprintf(w, "  %s = %s %s\n", s.Path, a.Next.Value, what)
	}
	if a.Limit != "" {
		fmt.Fprintf(w, "  note: %s\n", a.Limit)
	}
}

func boundText(term sweep.Term, x float64) string {
	if term.Latency() {
		return strconv.FormatFloat(x, 'f', 1, 64) + "ms"
	}
	return strconv.FormatFloat(100*x, 'g', 3, 64) + "%"
}
