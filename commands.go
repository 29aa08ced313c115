package main

import (
	"errors"
	"fmt"
	"strings"

	"scalesim/presets"
	"scalesim/termsafe"
	"scalesim/topology"
)

func newValidateCommand() *command {
	c := newCommand("validate", "FILE|PRESET...", "check files (exit 2 if one is not valid)",
		"Check each FILE or PRESET and print FILE: ok, or every problem found with its\n"+
			"file:line:col. Syntax and type errors come first; the checks of values against\n"+
			"each other (memory, shares, limits) run once the file has none.")
	c.run = validateCmd
	return c
}

func validateCmd(c *command, pos []string, e *env) error {
	if len(pos) == 0 {
		return invalidf("validate takes one or more FILEs or PRESETs\nsee scalesim validate --help")
	}
	var errs []error
	for _, a := range pos {
		if _, err := presets.Resolve(a); err != nil {
			errs = append(errs, err)
			continue
		}
		fmt.Fprintf(e.stdout, "%s: ok\n", termsafe.Line(a))
	}
	if len(errs) > 0 {
		return invalid{errors.Join(errs...)}
	}
	return nil
}

func newPresetsCommand() *command {
	c := newCommand("presets", "[show NAME]", "list the presets, or print one's YAML",
		"List the embedded presets in playbook order, or, with show NAME, print NAME's\n"+
			"YAML exactly as embedded, to start a file of your own:\n"+
			"  scalesim presets show redis-cache > mine.yaml")
	c.run = presetsCmd
	return c
}

func presetsCmd(c *command, pos []string, e *env) error {
	if len(pos) > 0 {
		if pos[0] != "show" {
			return invalidf("presets takes no arguments or show NAME, got %s", strings.Join(pos, " "))
		}
		if len(pos) != 2 {
			return invalidf("presets show takes one preset NAME; presets: %s", strings.Join(presets.Names(), ", "))
		}
		name := strings.TrimPrefix(pos[1], presets.PresetPrefix)
		p, ok := presets.Get(name)
		if !ok {
			hint := "presets: " + strings.Join(presets.Names(), ", ")
			if m := topology.Suggest(name, presets.Names()); m != "" {
				hint = fmt.Sprintf("did you mean %q? (%s)", m, hint)
			}
			return &topology.Error{File: pos[1], Msg: "no such preset", Hint: hint}
		}
		_, err := e.stdout.Write(p.Data)
		return err
	}
	list := presets.List()
	w := 0
	for _, p := range list {
		w = max(w, len(p.Name))
	}
	for _, p := range list {
		desc := ""
		if t, err := p.Load(); err == nil {
			desc = t.Name
		} else {
			desc = "(invalid: " + err.Error() + ")"
		}
		fmt.Fprintf(e.stdout, "%-*s  %s\n", w, p.Name, termsafe.Line(desc))
	}
	return nil
}
