package main

import (
	"fmt"
	"strconv"
	"strings"

	"scalesim/plan"
	"scalesim/presets"
	"scalesim/topology"
)

func newPlanCommand() *command {
	c := newCommand("plan", "FILE|PRESET", "the bottleneck and the ceiling, at once",
		"Analyse FILE or PRESET without simulating it, from the operational laws: each\n"+
			"station's demand per request (visits x service time), its utilisation at the\n"+
			"file's load, the bottleneck, the highest throughput the topology can carry,\n"+
			"the load at which each station saturates, and the single changes that lift\n"+
			"that ceiling most. It ends with where a simulation will disagree (the GIL,\n"+
			"locks, retries, a cache's key space): check those with scalesim run or find.")
	format := "text"
	var sets []string
	c.add(listFlag{&sets}, "set", "plan with a field changed, as `PATH=VALUE` (app.nodes=4)")
	c.add(choiceFlag{&format, []string{"text", "json"}}, "format", "output format `F`: text, json")
	c.run = func(c *command, pos []string, e *env) error {
		if len(pos) != 1 {
			return invalidf("plan takes one FILE or PRESET, got %d\nsee scalesim plan --help", len(pos))
		}
		t, err := presets.Resolve(pos[0])
		if err != nil {
			return err
		}
		for _, s := range sets {
			path, value, ok := strings.Cut(s, "=")
			if !ok || strings.TrimSpace(path) == "" {
				return &topology.Error{File: "--set " + strconv.Quote(s), Msg: "expected PATH=VALUE", Hint: "for example app.nodes=4"}
			}
			if t, err = t.With(topology.Change{Action: topology.ActSet, Path: strings.TrimSpace(path), Value: value}); err != nil {
				return fmt.Errorf("--set: %w", err)
			}
		}
		p, err := plan.Analyse(t)
		if err != nil {
			return err
		}
		if format == "json" {
			return p.WriteJSON(e.stdout)
		}
		return p.Write(e.stdout)
	}
	return c
}
