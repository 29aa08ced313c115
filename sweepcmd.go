package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"scalesim/presets"
	"scalesim/sweep"
	"scalesim/termsafe"
	"scalesim/topology"
)

// runsOptions are the flags sweep and find share: how each run runs.
type runsOptions struct {
	duration, warmup time.Duration
	seed             uint64
	seeds, jobs      int
	sets             []string
}

func (o *runsOptions) add(c *command, seedsUsage string) {
	c.add(listFlag{&o.sets}, "set", "a field and its values, as `PATH=VALUES`: a list (1,2,4)\n"+
		"or a range (1..16, 100..3000:100); once per field")
	c.add(seedCountFlag{&o.seeds, 1}, "seeds", seedsUsage)
	c.add(seedFlag{&o.seed}, "seed", "the first seed `N`, the others after it; default: the file's")
	c.add(durationFlag{&o.duration, true}, "duration", "time `D` each run measures after its warm-up")
	c.add(durationFlag{&o.warmup, false}, "warmup", "time `D` each run runs first, unmeasured")
	c.add(intFlag{&o.jobs, 1}, "jobs", "runs at once, `N`; default: one per core")
}

// load reads the topology, the grid and the seeds.
func (o *runsOptions) load(c *command, pos []string) (*topology.Topology, sweep.Grid, []uint64, error) {
	var g sweep.Grid
	if len(pos) != 1 {
		return nil, g, nil, invalidf("%s takes one FILE or PRESET, got %d\nsee %s --help", c.name, len(pos), c.invocation())
	}
	if o.duration <= 0 {
		return nil, g, nil, invalidf("--duration must be positive, got %s", topology.FormatDuration(o.duration))
	}
	if o.warmup < 0 {
		return nil, g, nil, invalidf("--warmup must not be negative, got %s", topology.FormatDuration(o.warmup))
	}
	if o.duration > maxRunTime || o.warmup > maxRunTime-o.duration {
		return nil, g, nil, invalidf("--warmup plus --duration is more than the 100 years a run may simulate")
	}
	t, err := presets.Resolve(pos[0])
	if err != nil {
		return nil, g, nil, err
	}
	for _, s := range o.sets {
		ax, err := sweep.ParseSet(s)
		if err != nil {
			return nil, g, nil, err
		}
		g.Axes = append(g.Axes, ax)
	}
	if err := g.Check(t); err != nil {
		return nil, g, nil, err
	}
	base := t.Seed
	if c.set["seed"] {
		base = o.seed
	}
	seeds := make([]uint64, o.seeds)
	for i := range seeds {
		seeds[i] = base + uint64(i)
	}
	return t, g, seeds, nil
}

// jobsOf builds the topology of each point of g in shard; a point the
// topology refuses as a whole (values valid alone, not together) is an
// error naming it.
func jobsOf(t *topology.Topology, g sweep.Grid, shard sweep.Shard) ([]sweep.Job, error) {
	var jobs []sweep.Job
	for i := 0; i < g.Len(); i++ {
		if !shard.Has(i) {
			continue
		}
		p := g.Point(i)
		pt, err := t.WithAll(p.Changes)
		if err != nil {
			return nil, fmt.Errorf("point %d (%s): %w", i, strings.Join(p.Values, ", "), err)
		}
		jobs = append(jobs, sweep.Job{Point: p, Topology: pt})
	}
	return jobs, nil
}

type sweepOptions struct {
	runsOptions
	shard, format, out, summary, plot string
	quiet                             bool
}

func newSweepCommand() *command {
	c := newCommand("sweep", "FILE|PRESET", "simulate a grid of settings (--set)",
		"Simulate FILE or PRESET at every point of a grid: each --set PATH=VALUES is a\n"+
			"field as the file spells it (app.workers, workload.rate,\n"+
			"workload.requests[0].steps[1].cpu) and its values: a list 1,2,4 or\n"+
			"exp(10ms),exp(20ms), a range of whole numbers 1..16, or a range with a step\n"+
			"100..3000:100. The last --set varies fastest. Each point runs with the same\n"+
			"--seeds seeds, so points differ by configuration, not luck.\n\n"+
			"It writes a row per point and seed (CSV or JSON lines: --format, or --out's\n"+
			"extension) and, on stderr, a summary per point: means over the seeds with\n"+
			"95% confidence intervals from Student's t (each seed one observation);\n"+
			"--summary FILE writes those as CSV or JSON lines too.\n\n"+
			"--shard K/N runs the K-th of N interleaved parts (points K-1, K-1+N, ...), for\n"+
			"separate processes or batch jobs: k8s/N takes K from JOB_COMPLETION_INDEX\n"+
			"(a Kubernetes Indexed Job), slurm from SLURM_ARRAY_TASK_ID (a Slurm array).\n"+
			"Each row starts with its zero-padded point and run, and only shard 1 writes\n"+
			"the CSV header (it starts with #), so the shards' outputs concatenated and\n"+
			"sorted with LC_ALL=C sort are the unsharded output, byte for byte.")
	o := &sweepOptions{runsOptions: runsOptions{duration: 60 * time.Second, warmup: 10 * time.Second, seeds: 3}, format: "csv"}
	o.runsOptions.add(c, "seeds `N` per point, the same at every point")
	c.add(textFlag{&o.shard}, "shard", "run part `K/N` of the grid (or k8s/N, slurm, slurm/N)")
	c.add(choiceFlag{&o.format, sweep.Formats}, "format", "format `F` of rows and summaries: csv, json")
	c.add(textFlag{&o.out}, "out", "write the rows to `FILE` (.csv, .json); default stdout")
	c.add(textFlag{&o.summary}, "summary", "write the summary per point to `FILE`, in the rows' format")
	c.add(textFlag{&o.plot}, "plot", "draw p99 against the swept field (workload.rate if\n"+
		"swept) to `FILE`.svg or .png, a line per other setting")
	c.add(boolFlag{&o.quiet}, "quiet", "no summary on stderr")
	c.run = func(c *command, pos []string, e *env) error { return sweepCmd(c, pos, e, o) }
	return c
}

func sweepCmd(c *command, pos []string, e *env, o *sweepOptions) error {
	t, g, seeds, err := o.load(c, pos)
	if err != nil {
		return err
	}
	if len(g.Axes) == 0 {
		return invalidf("sweep needs at least one --set PATH=VALUES, such as --set app.workers=1..8\nsee scalesim sweep --help")
	}
	shard := sweep.Shard{K: 1, N: 1}
	if c.set["shard"] { // given empty too: --shard "$SHARD" with SHARD unset must not run the whole grid
		if shard, err = sweep.ParseShard(o.shard, os.Getenv); err != nil {
			return err
		}
	}
	format := o.format
	if o.out != "" {
		byName := ""
		switch strings.ToLower(filepath.Ext(o.out)) {
		case ".json", ".jsonl":
			byName = "json"
		case ".csv":
			byName = "csv"
		}
		switch {
		case !c.set["format"] && byName == "":
			return invalidf("--out %s: the extension says the format: .csv or .json (JSON lines), or give --format", o.out)
		case !c.set["format"]:
			format = byName
		case byName != "" && byName != format:
			return invalidf("--out %s is %s by its name, and --format %s says otherwise; give one of them", o.out, strings.ToUpper(byName), format)
		}
	}
	plotX := -1
	if o.plot != "" {
		if ext := strings.ToLower(filepath.Ext(o.plot)); ext != ".svg" && ext != ".png" {
			return invalidf("--plot %s: the plot is an image: give a FILE.svg or FILE.png", o.plot)
		}
		if plotX = sweep.PlotAxis(g); plotX < 0 {
			return invalidf("--plot: no swept field has numbers for values to plot against")
		}
	}
	jobs, err := jobsOf(t, g, shard)
	if err != nil {
		return invalid{err}
	}
	rowsOut := e.stdout
	var files []*os.File
	defer func() {
		for _, f := range files {
			f.Close()
		}
	}()
	create := func(path string) (io.Writer, error) {
		f, err := topology.CreateFile(path)
		if err != nil {
			return nil, err
		}
		files = append(files, f)
		return f, nil
	}
	if o.out != "" {
		if rowsOut, err = create(o.out); err != nil {
			return err
		}
	}
	header := shard.K == 1
	rows := sweep.NewWriter(rowsOut, format, g, len(seeds), header)
	var sums *sweep.Writer
	if o.summary != "" {
		w, err := create(o.summary)
		if err != nil {
			return err
		}
		sums = sweep.NewWriter(w, format, g, len(seeds), header)
	}
	var curves *sweep.Curves
	var plotFile *os.File
	if plotX >= 0 {
		curves = sweep.NewCurves(g, plotX, "p99_ms")
		// created before the runs, so that a path it cannot be written
		// to is said at once, not after the whole sweep
		if plotFile, err = topology.CreateFile(o.plot); err != nil {
			return fmt.Errorf("--plot: %w", err)
		}
		files = append(files, plotFile)
	}
	if !o.quiet {
		fmt.Fprintf(e.stderr, "sweep of %s: %d of %d points", termsafe.Line(t.Name), len(jobs), g.Len())
		if shard.N > 1 {
			fmt.Fprintf(e.stderr, " (shard %d/%d)", shard.K, shard.N)
		}
		fmt.Fprintf(e.stderr, ", %d seeds each; means over seeds ± 95%% CI (Student t)\n", len(seeds))
	}
	start := time.Now()
	run := sweep.Run{Warmup: o.warmup, Duration: o.duration}
	err = run.Parallel(jobs, seeds, o.jobs, func(d sweep.Done) error {
		if d.Err != nil {
			return fmt.Errorf("point %d: %w", d.Job.Point.Index, d.Err)
		}
		if err := rows.Rows(d); err != nil {
			return err
		}
		if sums != nil {
			if err := sums.Summary(d); err != nil {
				return err
			}
		}
		if curves != nil {
			curves.Add(d)
		}
		if !o.quiet {
			fmt.Fprintln(e.stderr, pointLine(g, d))
		}
		return nil
	})
	if err != nil {
		return err
	}
	if curves != nil {
		var b bytes.Buffer
		if err := curves.Write(&b, t.Name, strings.ToLower(strings.TrimPrefix(filepath.Ext(o.plot), "."))); err != nil {
			return err
		}
		if _, err := plotFile.Write(b.Bytes()); err != nil {
			return fmt.Errorf("--plot: %w", err)
		}
	}
	for _, f := range files {
		if err := f.Close(); err != nil && !errors.Is(err, os.ErrClosed) {
			return err
		}
	}
	if !o.quiet && isTerminal(e.stderr) {
		fmt.Fprintf(e.stderr, "%d runs in %s\n", len(jobs)*len(seeds), time.Since(start).Round(time.Millisecond))
	}
	return nil
}

// pointLine is a point's summary for a reader: its values, throughput,
// p99 and errors with their intervals.
func pointLine(g sweep.Grid, d sweep.Done) string {
	var parts []string
	for i, a := range g.Axes {
		if len(a.Values) > 1 || len(g.Axes) == 1 {
			parts = append(parts, a.Path+"="+d.Job.Point.Values[i])
		}
	}
	iv := sweep.Summarise(d)
	get := func(name string) sweep.Interval {
		for i, f := range sweep.SummaryFigures {
			if f == name {
				return iv[i]
			}
		}
		return sweep.Interval{}
	}
	pm := func(c sweep.Interval, scale float64, unit string) string {
		if c.N < 2 {
			return fmt.Sprintf("%.4g%s", c.Mean*scale, unit)
		}
		return fmt.Sprintf("%.4g±%.3g%s", c.Mean*scale, c.Half*scale, unit)
	}
	return fmt.Sprintf("  %s  %s/s  p99 %s  errors %s", strings.Join(parts, " "),
		pm(get("throughput_rps"), 1, ""), pm(get("p99_ms"), 1, "ms"), pm(get("errors"), 100, "%"))
}
