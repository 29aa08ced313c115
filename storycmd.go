package main

import (
	"fmt"
	"strings"

	"scalesim/story"
	"scalesim/termsafe"
	"scalesim/ui"
)

// storyOptions are the story command's flags.
type storyOptions struct {
	lang  string
	seed  uint64
	check bool
	seeds int
	list  bool
	speed float64
	theme string
	// paused opens the story paused at its first step, for a presenter
	// who introduces the talk before the clock runs.
	paused bool
}

// defaultSeeds is how many seeds story --check runs; maxSeeds the most
// it, sweep, find and compare will.
const (
	defaultSeeds = 5
	maxSeeds     = 1000
)

func newStoryCommand() *command {
	c := newCommand("story", "NAME|FILE", "present a story, or check its claims",
		"Open the dashboard in story mode on a shipped story NAME (see --list) or a\n"+
			"story FILE: a topology and steps, each a caption, notes, changes, a run and\n"+
			"claims. Right, PageDown or Enter goes to the next step, Left or PageUp back.\n"+
			"--check runs every step headless over --seeds seeds and prints each claim's\n"+
			"value per seed; each claim must hold on every seed, and fail on every seed\n"+
			"with its step's changes withheld. Exit 1 if a claim fails, 2 if the file\n"+
			"is not a story.")
	o := &storyOptions{seeds: defaultSeeds, speed: 1}
	c.add(textFlag{&o.lang}, "lang", "language `L` of captions and notes: en, zh-TW")
	c.add(seedFlag{&o.seed}, "seed", "random seed `N`; default: the story's seed")
	c.add(boolFlag{&o.check}, "check", "check every claim headless instead")
	c.add(intFlag{&o.seeds, 1}, "seeds", "--check: run `N` seeds from the story's")
	c.add(boolFlag{&o.list}, "list", "list the shipped stories")
	c.add(speedFlag{&o.speed}, "speed", "start at `X` simulated seconds per second")
	c.add(boolFlag{&o.paused}, "paused", "start paused at the first step (next or space plays it)")
	c.add(choiceFlag{&o.theme, ui.Themes()}, "theme", themeUsage)
	c.run = func(c *command, pos []string, e *env) error { return storyCmd(c, pos, e, o) }
	return c
}

func storyCmd(c *command, pos []string, e *env, o *storyOptions) error {
	if o.list {
		if len(pos) > 0 {
			return invalidf("story --list takes no story, got %s", strings.Join(pos, " "))
		}
		for _, name := range story.Names() {
			st, err := story.Load(name, "en")
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "%-8s %s (%d steps; %s)\n", name, st.Title, len(st.Steps), strings.Join(st.Langs, ", "))
		}
		return nil
	}
	if len(pos) != 1 {
		return invalidf("story takes one story NAME or FILE, got %d\nsee scalesim story --help", len(pos))
	}
	if c.set["seeds"] && !o.check {
		return invalidf("--seeds goes with --check")
	}
	if o.seeds > maxSeeds {
		return invalidf("--seeds %d: at most %d", o.seeds, maxSeeds)
	}
	st, err := story.Load(pos[0], o.lang)
	if err != nil {
		return err
	}
	if c.set["seed"] {
		st.Seed = o.seed
		st.Topology.Seed = o.seed
	}
	if o.check {
		rep, err := story.Check(st, st.Seeds(o.seeds))
		if err != nil {
			return err
		}
		var b strings.Builder
		if err := rep.WriteText(&b); err != nil {
			return err
		}
		if _, err := fmt.Fprint(e.stdout, termsafe.Text(b.String())); err != nil {
			return err
		}
		if !rep.OK() {
			return fmt.Errorf("%s: %d of %d claims failed", pos[0], rep.Failed(), rep.Claims())
		}
		return nil
	}
	if !isTerminal(e.stdin) || !isTerminal(e.stdout) {
		return invalidf("the dashboard needs a terminal; to check the story headless: scalesim story --check %s", pos[0])
	}
	return ui.Run(ui.Options{Topology: st.Topology, Source: st.Source, Speed: o.speed,
		Paused: o.paused, Story: st, Lang: st.Lang, Theme: o.theme})
}
