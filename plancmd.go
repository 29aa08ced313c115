package main

import (
	"scalesim/plan"
	"scalesim/presets"
)

func newPlanCommand() *command {
	c := newCommand("plan", "FILE|PRESET", "the operational laws' answer, instantly: bottleneck, ceiling",
		"Analyse FILE or PRESET without simulating it, from the operational laws: each\n"+
			"station's demand per request (visits x service time), its utilisation at the\n"+
			"file's load, the bottleneck, the highest throughput the topology can carry,\n"+
			"the load at which each station saturates, and the single changes that lift\n"+
			"that ceiling most. It ends with where a simulation will disagree (the GIL,\n"+
			"locks, retries, a cache's key space): check those with scalesim run or find.")
	format := "text"
	c.add(choiceFlag{&format, []string{"text", "json"}}, "format", "output format `F`: text, json")
	c.run = func(c *command, pos []string, e *env) error {
		if len(pos) != 1 {
			return invalidf("plan takes one FILE or PRESET, got %d\nsee scalesim plan --help", len(pos))
		}
		t, err := presets.Resolve(pos[0])
		if err != nil {
			return err
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
