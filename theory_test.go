package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"scalesim/presets"
	"scalesim/report"
	"scalesim/sim"
)

// run --theory prints the summary, then each station beside its model,
// the same bytes as the report of the same run; without the flag the
// output has no theory; JSON carries it under "theory"; prom refuses it.
func TestRunTheory(t *testing.T) {
	args := []string{"run", "--duration", "5s", "--warmup", "1s", "testdata/minimal.yaml"}
	plain := runWithin(t, args...)
	plain.check(t, 0, "throughput", "")
	if strings.Contains(plain.out, "theory") {
		t.Errorf("run without --theory speaks of theory:\n%s", plain.out)
	}
	r := runWithin(t, append(args, "--theory")...)
	r.check(t, 0, "theory beside the simulation", "")
	top, err := presets.Resolve("testdata/minimal.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s, err := sim.New(top, sim.Options{Warmup: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	s.Advance(6 * time.Second)
	var want bytes.Buffer
	if err := report.Text(&want, s.Summary()); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(r.out, plain.out) || plain.out != want.String() {
		t.Errorf("run --theory does not begin with the plain summary")
	}
	if err := report.TheoryText(&want, s.Summary()); err != nil {
		t.Fatal(err)
	}
	if r.out != want.String() {
		t.Errorf("run --theory printed\n%s\nwant\n%s", r.out, want.String())
	}
	j := runWithin(t, append(args, "--theory", "--format", "json")...)
	j.check(t, 0, `"theory"`, "")
	var got struct {
		Theory []report.TheoryRow `json:"theory"`
	}
	if err := json.Unmarshal([]byte(j.out), &got); err != nil || len(got.Theory) == 0 {
		t.Errorf("run --theory --format json: %v\n%s", err, j.out)
	}
	runWithin(t, append(args, "--theory", "--format", "prom")...).check(t, 2, "", "--theory writes text or json, not prom")
}
