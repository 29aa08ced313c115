package story

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/lipgloss"

	"scalesim/presets"
	"scalesim/topology"
)

// TestFromChanges: a step per time with changes, runs up to the next,
// a first step up to the first change; a caption too wide for a line is
// cut with … and said whole in the notes; what it writes loads back.
func TestFromChanges(t *testing.T) {
	topo, err := presets.Resolve("nginx-nodes")
	if err != nil {
		t.Fatal(err)
	}
	long := topology.Change{Action: topology.ActSet, Path: "workload.requests[0].steps", Value: `[{cpu: "lognormal(20ms, 0.2)"}, {db: "lognormal(3ms, 0.2)"}, {io: 20ms}, {cpu: 1ms}]`, Source: "key"}
	changes := []Timed{
		{5 * time.Second, topology.Change{Action: topology.ActSet, Path: "app.workers", Value: "16", Source: "key"}},
		{5 * time.Second, topology.Change{Action: topology.ActNodeDown, Node: 2, Source: "key"}},
		{9 * time.Second, long},
	}
	data, err := FromChanges("Replay of\x1b[31m demo", topo, 42, changes, 20*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	st, err := Parse("demo.story.yaml", "", data, "")
	if err != nil {
		t.Fatalf("%v\n%s", err, data)
	}
	if st.Seed != 42 || st.Title != "Replay of [31m demo" || len(st.Steps) != 3 {
		t.Fatalf("seed %d, title %q, %d steps:\n%s", st.Seed, st.Title, len(st.Steps), data)
	}
	runs := []time.Duration{5 * time.Second, 4 * time.Second, 11 * time.Second}
	caps := []string{"the start", "app.workers = 16; node 2 down"}
	for k, s := range st.Steps {
		if s.Run != runs[k] {
			t.Errorf("step %d runs %s, want %s", k+1, s.Run, runs[k])
		}
		if k < len(caps) && s.Caption != caps[k] {
			t.Errorf("step %d: caption %q, want %q", k+1, s.Caption, caps[k])
		}
		if s.Expect != nil {
			t.Errorf("step %d has claims", k+1)
		}
	}
	last := st.Steps[2]
	if w := lipgloss.Width(last.Caption); w != MaxCaptionWidth || !strings.HasSuffix(last.Caption, "…") || last.Notes != long.String() {
		t.Errorf("a long change: caption %q (%d columns), notes %q", last.Caption, w, last.Notes)
	}
	if len(last.Changes) != 1 || last.Changes[0].Path != long.Path || last.Changes[0].Source != topology.SourceStory {
		t.Errorf("the long change read back as %+v", last.Changes)
	}
	if _, err := FromChanges("x", topo, 1, []Timed{{2 * time.Second, changes[0].Change}, {time.Second, changes[0].Change}}, 0); err == nil {
		t.Error("changes out of order were accepted")
	}
}
