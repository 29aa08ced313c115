package story

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"scalesim/topology"
)

// minimal is a valid story to break one line at a time.
const minimal = `title: A story
topology: preset:single-worker
steps:
  - caption: More workers
    changes: [{set: {app.workers: 3}}]
    run: 10s
    expect: {throughput: "> 10/s"}
`

// TestBadFiles: each bad story gets an error at its line and column,
// naming the field, with a hint where there is one; never a panic.
func TestBadFiles(t *testing.T) {
	cases := []struct {
		name, file string
		want       []string // substrings of the error
	}{
		{"unclosed bracket", "title: t\ntopology: preset:single-worker\nsteps: [{caption: a, run: 1s}\n", []string{"s.yaml:3: invalid YAML: did not find expected ',' or ']'"}},
		{"not UTF-8", "title: t\ntopology: preset:single-worker\nsteps: [{caption: \xff}]\n", []string{"s.yaml:3:19: invalid UTF-8; save the file as UTF-8 text"}},
		{"unknown key", "titel: x\n" + minimal[len("title: A story\n"):], []string{"s.yaml:1:1: titel: unknown key", `did you mean "title"?`}},
		{"missing topology", "title: x\nsteps: [{caption: a}]\n", []string{"s.yaml:1:1: topology: missing topology"}},
		{"unknown preset", strings.Replace(minimal, "preset:single-worker", "preset:singel-worker", 1), []string{"s.yaml:2:11: topology: no preset", `did you mean "single-worker"?`}},
		{"topology file missing", strings.Replace(minimal, "preset:single-worker", "nothere.yaml", 1), []string{"s.yaml:2:11: topology:", "no such file"}},
		{"inline topology", strings.Replace(minimal, "preset:single-worker", "{app: {workers: 0}, workload: {rate: 1, requests: [{steps: [{cpu: 1ms}]}]}}", 1), []string{"s.yaml:2:", "topology.app.workers"}},
		{"steps not a list", "topology: preset:single-worker\nsteps: 3\n", []string{"s.yaml:2:8: steps: expected a list of steps"}},
		{"no steps", "topology: preset:single-worker\nsteps: []\n", []string{"s.yaml:2:8: steps: no steps"}},
		{"unknown step key", strings.Replace(minimal, "    run: 10s", "    rnu: 10s", 1), []string{"s.yaml:6:5: step 1.rnu: unknown key", `did you mean "run"?`}},
		{"missing caption", strings.Replace(minimal, "  - caption: More workers\n    changes", "  - changes", 1), []string{"s.yaml:4:5: step 1.caption: missing caption"}},
		{"caption two lines", strings.Replace(minimal, "caption: More workers", "caption: \"More\\nworkers\"", 1), []string{"s.yaml:4:14: step 1.caption: a caption is one line", "notes"}},
		{"caption too wide", strings.Replace(minimal, "caption: More workers", "caption: "+strings.Repeat("工", 39), 1), []string{"s.yaml:4:14: step 1.caption: 78 columns wide; a caption fits in 76"}},
		{"caption escape", strings.Replace(minimal, "caption: More workers", `caption: "More \e[31mworkers"`, 1), []string{"s.yaml:4:14: step 1.caption: text with a control character"}},
		{"caption a number", strings.Replace(minimal, "caption: More workers", "caption: 3", 1), []string{"s.yaml:4:14: step 1.caption: expected text, got the number 3"}},
		{"bad language", strings.Replace(minimal, "caption: More workers", "caption: {english: More}", 1), []string{"s.yaml:4:15: step 1.caption.english: not a language"}},
		{"no english", strings.Replace(minimal, "caption: More workers", "caption: {zh-TW: 更多}", 1), []string{"s.yaml:4:14: step 1.caption: no en"}},
		{"notes too long", strings.Replace(minimal, "    run: 10s", "    notes: "+strings.Repeat("x", 4001)+"\n    run: 10s", 1), []string{"s.yaml:6:12: step 1.notes: 4001 bytes; at most 4000"}},
		{"bad run", strings.Replace(minimal, "run: 10s", "run: 10 seconds", 1), []string{"s.yaml:6:10: step 1.run:"}},
		{"run too long", strings.Replace(minimal, "run: 10s", "run: 2h", 1), []string{"s.yaml:6:10: step 1.run: a step runs from 0 to 1h"}},
		{"claims without run", strings.Replace(minimal, "    run: 10s\n", "", 1), []string{"s.yaml:6:13: step 1.expect: claims need a run", "run: 30s"}},
		{"unknown measure", strings.Replace(minimal, `{throughput: "> 10/s"}`, `{p999: "< 1s"}`, 1), []string{"s.yaml:7:14: step 1.expect.p999: unknown measure", `did you mean "p99"?`}},
		{"claim without operator", strings.Replace(minimal, `{throughput: "> 10/s"}`, `{p99: 200ms}`, 1), []string{"s.yaml:7:19: step 1.expect.p99: a claim starts with <, <=, >, >= or =="}},
		{"claim a number", strings.Replace(minimal, `{throughput: "> 10/s"}`, `{oversold: 0}`, 1), []string{"s.yaml:7:24: step 1.expect.oversold: expected a claim, got the number 0", `"== 0"`}},
		{"latency without unit", strings.Replace(minimal, `{throughput: "> 10/s"}`, `{p99: "< 200"}`, 1), []string{"s.yaml:7:19: step 1.expect.p99: p99 is a latency: give it a unit"}},
		{"share without percent", strings.Replace(minimal, `{throughput: "> 10/s"}`, `{errors: "< 0.01"}`, 1), []string{"s.yaml:7:22: step 1.expect.errors: errors is a share: write it with %"}},
		{"relative to itself", strings.Replace(minimal, `{throughput: "> 10/s"}`, `{throughput: "> 2x step 1"}`, 1), []string{"s.yaml:7:26: step 1.expect.throughput: step 1 has no earlier step to compare with"}},
		{"relative to a later step", minimal + "  - caption: b\n    run: 1s\n    expect: {p99: \"< 0.5x step 3\"}\n", []string{"s.yaml:10:19: step 2.expect.p99: a claim compares with an earlier step, 1 to 1; got step 3"}},
		{"relative without x", strings.Replace(minimal, `{throughput: "> 10/s"}`, `{throughput: "> 2 step 1"}`, 1), []string{"step 1.expect.throughput: a relative claim is a factor and a step"}},
		{"unknown field", strings.Replace(minimal, "app.workers: 3", "app.wrokers: 3", 1), []string{"s.yaml:5:", "step 1.changes", "app.wrokers"}},
		{"invalid value", strings.Replace(minimal, "app.workers: 3", "app.workers: 0", 1), []string{"s.yaml:5:15: step 1.changes: app.workers = 0:"}},
		{"unknown change", strings.Replace(minimal, "{set: {app.workers: 3}}", "{sett: {app.workers: 3}}", 1), []string{"s.yaml:5:", "step 1.changes[0]", `did you mean "set"?`}},
		{"a say", strings.Replace(minimal, "{set: {app.workers: 3}}", "{say: hello}", 1), []string{"s.yaml:5:15: step 1.changes[0]: a story's step says its caption"}},
		{"no node", strings.Replace(minimal, "{set: {app.workers: 3}}", "{node_down: 3}", 1), []string{"s.yaml:5:15: step 1.changes: no app node 3: app.nodes is 1 then"}},
		{"hit ratio without a cache", strings.Replace(minimal, `{throughput: "> 10/s"}`, `{hit_ratio: "> 50%"}`, 1), []string{"s.yaml:7:25: step 1.expect.hit_ratio: no cache lookups at this step"}},
		{"oversold without stock", strings.Replace(minimal, `{throughput: "> 10/s"}`, `{oversold: "> 0"}`, 1), []string{"s.yaml:7:24: step 1.expect.oversold: no stock to sell at this step"}},
		{"unquoted greater than", strings.Replace(minimal, `{throughput: "> 10/s"}`, "\n      throughput: > 10/s\n      p99: < 1s", 1), []string{"s.yaml:", "invalid YAML", `quote a claim that starts with >`}},
		{"bad seed", strings.Replace(minimal, "title: A story\n", "seed: -1\n", 1), []string{"s.yaml:1:7: seed: invalid seed"}},
		{"octal seed", strings.Replace(minimal, "title: A story\n", "seed: 017\n", 1), []string{"s.yaml:1:7: seed: invalid seed \"017\"", "in decimal"}},
		{"duplicate step key", strings.Replace(minimal, "    run: 10s\n", "    run: 10s\n    run: 20s\n", 1), []string{"s.yaml:7:5: step 1.run: duplicate key; it is already set on line 6"}},
		{"duplicate top key", "steps: []\n" + minimal, []string{"steps: duplicate key; it is already set on line 1"}},
		{"duplicate language", strings.Replace(minimal, "caption: More workers", "caption: {en: More, en: Less}", 1), []string{"s.yaml:4:25: step 1.caption.en: duplicate key"}},
		{"duplicate measure", strings.Replace(minimal, `{throughput: "> 10/s"}`, `{p99: "> 1s", p99: "< 1ms"}`, 1), []string{"step 1.expect.p99: duplicate key; it is already set on line 7"}},
		{"empty", "", []string{"s.yaml: the file is empty"}},
		{"not a mapping", "- a\n- b\n", []string{"s.yaml: not a story"}},
		{"too many steps", "topology: preset:single-worker\nsteps:\n" + strings.Repeat("  - {caption: a}\n", maxSteps+1), []string{"s.yaml:3:3: steps: 1001 steps; at most 1000"}},
		{"too many claims", strings.Replace(minimal, `{throughput: "> 10/s"}`, "{throughput: ["+strings.Repeat(`"> 1/s", `, maxClaims)+`"> 1/s"]}`, 1), []string{"step 1.expect: 33 claims; at most 32"}},
		{"alias loop of texts", "title: &a [*a]\n" + minimal[len("title: A story\n"):], []string{"s.yaml:"}},
	}
	dir := t.TempDir()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse("s.yaml", dir, []byte(c.file), "en")
			if err == nil {
				t.Fatalf("no error for\n%s", c.file)
			}
			t.Log(err)
			var es topology.Errors
			if !errors.As(err, &es) {
				t.Errorf("%T, want topology.Errors", err)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error\n%s\nlacks %q", err, w)
				}
			}
		})
	}
}

// TestLoadFiles: a story names a topology next to it, a shipped story
// by name, and a file too large, a folder or a language the story lacks
// are refused.
func TestLoadFiles(t *testing.T) {
	st, err := Load("testdata/rel.yaml", "")
	if err != nil {
		t.Fatal(err)
	}
	if st.Source != filepath.Join("testdata", "topo.yaml") || st.Topology.Name != "Next to the story" || st.Seed != 7 || st.Topology.Seed != 7 {
		t.Errorf("source %q, topology %q, seed %d (%d)", st.Source, st.Topology.Name, st.Seed, st.Topology.Seed)
	}
	if st.Title != "A topology next to the story" || st.Lang != "en" || len(st.Langs) != 1 {
		t.Errorf("title %q, lang %q, langs %v", st.Title, st.Lang, st.Langs)
	}
	if _, err := Load("testdata/rel.yaml", "zh-TW"); err == nil || !strings.Contains(err.Error(), "title: no zh-TW; this story is in en") {
		t.Errorf("a language the story lacks: %v", err)
	}
	if _, err := Load("tuor", ""); err == nil || !strings.Contains(err.Error(), `did you mean "tour"?`) {
		t.Errorf("a misspelt story: %v", err)
	}
	if _, err := Load("testdata", ""); err == nil || !strings.Contains(err.Error(), "testdata: is a directory, not a story") {
		t.Errorf("a folder: %v", err)
	}
	big := filepath.Join(t.TempDir(), "big.yaml")
	if err := os.WriteFile(big, []byte(strings.Repeat("#", topology.MaxFileSize+1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(big, ""); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("a large file: %v", err)
	}
	if _, err := Parse("s.yaml", "", []byte(strings.Replace(minimal, "preset:single-worker", "topo.yaml", 1)), ""); err == nil || !strings.Contains(err.Error(), "a file is not allowed here") {
		t.Errorf("a shipped story naming a file: %v", err)
	}
	if got := Names(); len(got) == 0 || got[0] != "tour" {
		t.Errorf("Names() = %v", got)
	}
	st, err = Load("testdata/good.yaml", "zh-TW")
	if err != nil {
		t.Fatal(err)
	}
	if st.Steps[2].Caption != "三個 worker" || st.Steps[2].Notes != "三個行程。" || st.Title != "一個 worker，然後三個" {
		t.Errorf("zh-TW: %q %q %q", st.Title, st.Steps[2].Caption, st.Steps[2].Notes)
	}
}

// TestTimeline: the steps' changes become events at their start times,
// after the topology's own events, with the story's seed; a withheld
// step's changes are left out, and Rebuild gives the same simulation
// every time.
func TestTimeline(t *testing.T) {
	st, err := Load("testdata/good.yaml", "")
	if err != nil {
		t.Fatal(err)
	}
	want := []time.Duration{0, 20 * time.Second, 50 * time.Second}
	for k, w := range want {
		if st.Start(k) != w {
			t.Errorf("Start(%d) = %s, want %s", k, st.Start(k), w)
		}
	}
	if st.End(2) != 70*time.Second {
		t.Errorf("End(2) = %s", st.End(2))
	}
	tl := st.Timeline(2, []time.Duration{0, 25 * time.Second})
	if len(tl.Events) != 3 || tl.Events[1].At != 25*time.Second || tl.Events[2].At != 50*time.Second {
		t.Fatalf("events %v", tl.Events)
	}
	if c := tl.Events[2].Changes[0]; c.Path != "app.workers" || c.Value != "3" || c.Source != topology.SourceStory {
		t.Errorf("step 3's change %+v", c)
	}
	if tl.Seed != st.Seed {
		t.Errorf("seed %d, want %d", tl.Seed, st.Seed)
	}
	if n := len(st.Timeline(0, nil).Events); n != 1 {
		t.Errorf("Timeline(0) has %d events, want 1", n)
	}
	if evs := st.timeline(2, nil, 1).Events; len(evs) != 2 || evs[1].At != 50*time.Second {
		t.Errorf("step 2 withheld: %v", evs)
	}
	if len(st.Topology.Events) != 0 {
		t.Errorf("Timeline changed the story's topology: %v", st.Topology.Events)
	}
	a, err := st.Rebuild(2, nil, simOptions())
	if err != nil {
		t.Fatal(err)
	}
	b, _ := st.Rebuild(2, nil, simOptions())
	if a.Now() != 50*time.Second || a.Summary().Requests != b.Summary().Requests {
		t.Errorf("Rebuild at %s: %+v vs %+v", a.Now(), a.Summary().Requests, b.Summary().Requests)
	}
	if got, _ := a.Topology().Get("app.workers"); got != "3" {
		t.Errorf("after Rebuild(2) app.workers is %s, want 3 (the step's change applied)", got)
	}
}
