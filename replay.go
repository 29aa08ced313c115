package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"scalesim/record"
	"scalesim/report"
	"scalesim/story"
	"scalesim/topology"
	"scalesim/ui"
)

// replayOptions are the replay command's flags.
type replayOptions struct {
	run      runOptions
	headless bool
	toEvents bool
	toStory  bool
	paused   bool
	speed    float64
	theme    string
}

func newReplayCommand() *command {
	c := newCommand("replay", "FILE", "play back a recording of the dashboard",
		"Play back a recording made with scalesim --record FILE (or the R key): the\n"+
			"starting topology and seed, the changes applied at their recorded simulated\n"+
			"times. In the dashboard by default; with --headless, print the summary, the\n"+
			"same bytes as scalesim run of the --to-events file with the same flags, and\n"+
			"check the recording's checksums of the counters: a replay that diverges\n"+
			"says at what time, expected and got, and exits 1. --to-events prints the\n"+
			"recording as a topology file whose events: are the recorded changes;\n"+
			"--to-story as a story whose steps are the changes, for scalesim story.")
	o := &replayOptions{run: runOptions{format: "text"}, speed: 1}
	c.add(boolFlag{&o.headless}, "headless", "print the summary, check the checksums")
	c.add(boolFlag{&o.toEvents}, "to-events", "print it as a topology file, the changes as events:")
	c.add(boolFlag{&o.toStory}, "to-story", "print it as a story, a step per change")
	c.add(durationFlag{&o.run.duration, true}, "duration", "simulated time `D` measured; default: the recording's\nlength less the warm-up")
	c.add(durationFlag{&o.run.warmup, false}, "warmup", "simulated time `D` run first and not measured")
	c.add(choiceFlag{&o.run.format, report.Formats}, "format", "output format `F`: "+strings.Join(report.Formats, ", "))
	c.add(speedFlag{&o.speed}, "speed", "dashboard: start at `X` simulated seconds per second")
	c.add(boolFlag{&o.paused}, "paused", "dashboard: start paused")
	c.add(choiceFlag{&o.theme, ui.Themes()}, "theme", "dashboard: "+themeUsage)
	c.run = func(c *command, pos []string, e *env) error { return replayCmd(c, pos, e, o) }
	return c
}

func replayCmd(c *command, pos []string, e *env, o *replayOptions) error {
	if len(pos) != 1 {
		return invalidf("replay takes one recording FILE, got %d\nsee scalesim replay --help", len(pos))
	}
	if o.headless && o.toEvents {
		return invalidf("--headless and --to-events do not go together: run the file --to-events writes with scalesim run")
	}
	if o.toStory && (o.headless || o.toEvents) {
		return invalidf("--to-story goes alone: check the story it writes with scalesim story --check")
	}
	rec, err := record.Load(pos[0])
	if err != nil {
		return err
	}
	switch {
	case o.toStory:
		return replayToStory(pos[0], rec, e)
	case o.toEvents:
		t, err := scenario(rec, "")
		if err != nil {
			return err
		}
		data, err := topology.Marshal(t)
		if err != nil {
			return err
		}
		_, err = e.stdout.Write(data)
		return err
	case o.headless:
		return replayHeadless(c, rec, e, &o.run)
	}
	t, err := scenario(rec, record.SourceReplay)
	if err != nil {
		return err
	}
	if !isTerminal(e.stdin) || !isTerminal(e.stdout) {
		return invalidf("the dashboard needs a terminal; for a headless replay: scalesim replay --headless %s", pos[0])
	}
	return ui.Run(ui.Options{Topology: t, Source: pos[0], Speed: o.speed, Paused: o.paused, Replay: rec, Theme: o.theme})
}

// scenario is the recording as a topology file, read back from the
// bytes --to-events writes, so that a replay runs exactly what scalesim
// run of that file runs.
func scenario(rec *record.Recording, source string) (*topology.Topology, error) {
	t, err := rec.Scenario(source)
	if err != nil {
		return nil, invalid{err}
	}
	data, err := topology.Marshal(t)
	if err != nil {
		return nil, err
	}
	back, err := topology.Parse("", data)
	if err != nil {
		return nil, fmt.Errorf("the recording as a topology file does not read back: %w", err)
	}
	back.Name = t.Name
	if source != "" {
		for i := range back.Events {
			for j := range back.Events[i].Changes {
				if back.Events[i].Changes[j].Source == "" {
					back.Events[i].Changes[j].Source = source
				}
			}
		}
	}
	return back, nil
}

// replayHeadless runs the recording as run would its --to-events file,
// and checks the checksums.
func replayHeadless(c *command, rec *record.Recording, e *env, o *runOptions) error {
	if !c.set["duration"] {
		o.duration = max(rec.Length()-o.warmup, time.Second)
	}
	if err := o.checkSpan(); err != nil {
		return err
	}
	t, err := scenario(rec, "")
	if err != nil {
		return err
	}
	v := record.NewVerifier(rec)
	if err := runTopology(t, e, o, record.NewCounter(v.Check).Second); err != nil {
		return err
	}
	if _, err := v.Result(); err != nil {
		return err // the divergence whole: its line, expected and got
	}
	vd := v.Verdict()
	msg := vd.String()
	if vd.Agreed < vd.Total {
		msg = fmt.Sprintf("%s: the run ends at %s, before the other %d", msg, topology.FormatDuration(o.warmup+o.duration), vd.Total-vd.Agreed)
	}
	fmt.Fprintf(e.stderr, "scalesim: %s\n", msg)
	return nil
}

// replayToStory prints the recording as a story: a step per time the
// user changed something, running until the next change.
func replayToStory(file string, rec *record.Recording, e *env) error {
	changes := make([]story.Timed, len(rec.Changes))
	for i, tc := range rec.Changes {
		changes[i] = story.Timed{At: tc.At, Change: tc.Change}
	}
	data, err := story.FromChanges("Replay of "+filepath.Base(file), rec.Topology, rec.Seed, changes, rec.Length())
	if err != nil {
		return invalid{err}
	}
	_, err = e.stdout.Write(data)
	return err
}
