package ui

import (
	"strings"
	"testing"
	"time"

	"scalesim/sim"
	"scalesim/topology"
)

// TestSimulationsOwnChangeSurvivesAKey: a change the simulation makes
// by itself (as its timeline or autoscaler would, through sim.Do on the
// engine's side) is not undone by the next key, whether or not a frame
// has shown it yet: the key sends only what it changes.
func TestSimulationsOwnChangeSurvivesAKey(t *testing.T) {
	for _, seen := range []bool{true, false} {
		m, st := newTestModel(t, fixture(t, "web"), "web", 100, 30)
		runFor(m, time.Second)
		if _, err := st.eng.sim.Do(topology.Change{Action: topology.ActSet, Path: "app.nodes", Value: "3", Source: "autoscaler"}); err != nil {
			t.Fatal(err)
		}
		if _, err := st.eng.sim.Do(topology.Change{Action: topology.ActNodeDown, Node: 2, Source: "failure"}); err != nil {
			t.Fatal(err)
		}
		if seen {
			runFor(m, time.Second)
			if m.view.App.Nodes != 3 || !m.nodeDown(1) {
				t.Fatalf("the frame shows %d nodes, node 2 down %v: not what the simulation runs", m.view.App.Nodes, m.nodeDown(1))
			}
		}
		workers := m.view.App.Workers
		press(m, "w")
		runFor(m, time.Second)
		got := st.eng.sim.Topology()
		if got.App.Nodes != 3 || got.App.Workers != workers+1 {
			t.Errorf("frame seen %v: after w the simulation runs %d nodes of %d workers; want 3 of %d", seen, got.App.Nodes, got.App.Workers, workers+1)
		}
		if n := m.frame.Snap.Nodes; len(n) != 3 || n[1].State != sim.NodeDown {
			t.Errorf("frame seen %v: after w the nodes are %+v; want node 2 still down", seen, n)
		}
		if m.view.App.Nodes != 3 || m.view.App.Workers != workers+1 || !m.nodeDown(1) {
			t.Errorf("frame seen %v: the dashboard shows %d nodes of %d workers", seen, m.view.App.Nodes, m.view.App.Workers)
		}
	}
}

// TestTimelineChangeSurvivesAKey: a file's timeline sets the rate at 2s;
// a key pressed after it edits the workers and keeps the rate; the
// window since the last change is the key's, not the timeline's.
func TestTimelineChangeSurvivesAKey(t *testing.T) {
	top := fixture(t, "web")
	top.Events = []topology.Event{{At: 2 * time.Second, Changes: []topology.Change{
		{Action: topology.ActSet, Path: "workload.rate", Value: "123", Source: topology.SourceTimeline}}}}
	m, st := newTestModel(t, top, "web", 100, 30)
	runFor(m, 3*time.Second)
	if m.view.Workload.Rate != 123 {
		t.Fatalf("the dashboard shows rate %v after the timeline set 123", m.view.Workload.Rate)
	}
	if w := m.frame.Snap.Summary.WarmupS; w != 0 {
		t.Errorf("the timeline's change started a new window at %vs", w)
	}
	press(m, "w")
	runFor(m, time.Second)
	if got := st.eng.sim.Topology(); got.Workload.Rate != 123 || got.App.Workers != top.App.Workers+1 {
		t.Errorf("after w the simulation runs rate %v with %d workers", got.Workload.Rate, got.App.Workers)
	}
	if w := m.frame.Snap.Summary.WarmupS; w < 3 {
		t.Errorf("the key's change did not start a new window: it began at %vs", w)
	}
}

// recordStepper runs a syncStepper and keeps the operations it is given.
type recordStepper struct {
	*syncStepper
	ops []op
}

func (r *recordStepper) Do(o op) {
	r.ops = append(r.ops, o)
	r.syncStepper.Do(o)
}

// TestKeysSendChanges: x, f and e send the simulation changes of the
// one vocabulary, and an edit key the field it edits, not a topology.
func TestKeysSendChanges(t *testing.T) {
	for _, tc := range []struct {
		fixture string
		keys    []string
		want    string // the changes sent by the last key, as Change.String writes them
	}{
		{"web", []string{"x"}, "node 1 down"},
		{"web", []string{"x", "x"}, "node 1 up"},
		{"cache", []string{"f"}, "cache flush"},
		{"web", []string{"w"}, "app.workers = 4"},
		{"web", []string{"+"}, "workload.rate = 90"},
		{"flash-naive", []string{"e"}, "stock reconcile"},
	} {
		top := fixture(t, tc.fixture)
		ss, err := newSyncStepper(top, 0, 10, false, testPerTick)
		if err != nil {
			t.Fatal(err)
		}
		rs := &recordStepper{syncStepper: ss}
		m := newModel(Options{Topology: top, Source: tc.fixture}, rs, 10, false)
		m.Update(teaWS(100, 30))
		press(m, tc.keys...)
		last := rs.ops[len(rs.ops)-1]
		var got []string
		for _, c := range last.changes {
			got = append(got, c.String())
			if c.Source != topology.SourceKey {
				t.Errorf("%s: change %s from %q, want key", tc.keys, c, c.Source)
			}
		}
		if last.kind != opChanges || strings.Join(got, "; ") != tc.want || last.topology != nil {
			t.Errorf("%s on %s sent %v %q; want the changes %q", tc.keys, tc.fixture, last.kind, got, tc.want)
		}
	}
}

// TestQuickKeysBuildOnEachOther: keys pressed before the simulation has
// shown the first one's effect (the goroutine runner applies them a
// frame later) build on it: www adds three workers.
func TestQuickKeysBuildOnEachOther(t *testing.T) {
	top := fixture(t, "web")
	fs := &frameStepper{}
	m := newModel(Options{Topology: top, Source: "web"}, fs, 10, false)
	m.Update(teaWS(100, 30))
	press(m, "w", "w", "w")
	if m.view.App.Workers != top.App.Workers+3 {
		t.Fatalf("www with no frame between shows %d workers, want %d", m.view.App.Workers, top.App.Workers+3)
	}
	// a frame that has seen the first two: the third is still on its way
	running, err := top.With(topology.Change{Action: topology.ActSet, Path: "app.workers", Value: itoa(top.App.Workers + 2)})
	if err != nil {
		t.Fatal(err)
	}
	fs.frames = []Frame{{Seq: m.opSeq - 1, Snap: sim.Snapshot{Topology: running}}}
	m.poll()
	if m.view.App.Workers != top.App.Workers+3 || len(m.sent) != 1 {
		t.Errorf("with one edit on its way: %d workers, %d sent", m.view.App.Workers, len(m.sent))
	}
}

// TestResetKeepsTheUsersEditsOnly: a reset starts again from the file
// with the user's edits; what the timeline and the simulation changed by
// themselves is not carried into the new start (the timeline replays it
// at its time), and a save writes the same topology.
func TestResetKeepsTheUsersEditsOnly(t *testing.T) {
	top := fixture(t, "web")
	top.Events = []topology.Event{{At: 2 * time.Second, Changes: []topology.Change{
		{Action: topology.ActSet, Path: "workload.rate", Value: "123", Source: topology.SourceTimeline}}}}
	m, st := newTestModel(t, top, "web", 100, 30)
	runFor(m, time.Second)
	press(m, "w")
	runFor(m, 2*time.Second)
	if _, err := st.eng.sim.Do(topology.Change{Action: topology.ActSet, Path: "app.nodes", Value: "3", Source: "autoscaler"}); err != nil {
		t.Fatal(err)
	}
	runFor(m, time.Second)
	if m.view.Workload.Rate != 123 || m.view.App.Nodes != 3 {
		t.Fatalf("before the reset the dashboard shows rate %v on %d nodes", m.view.Workload.Rate, m.view.App.Nodes)
	}
	saved := m.userTopology()
	press(m, "r")
	runFor(m, time.Second)
	got := st.eng.sim.Topology()
	if got.App.Workers != top.App.Workers+1 {
		t.Errorf("after the reset the simulation runs %d workers; want the edit's %d", got.App.Workers, top.App.Workers+1)
	}
	if got.Workload.Rate != top.Workload.Rate || got.App.Nodes != top.App.Nodes {
		t.Errorf("after the reset the simulation runs rate %v on %d nodes; want the file's %v on %d",
			got.Workload.Rate, got.App.Nodes, top.Workload.Rate, top.App.Nodes)
	}
	if saved.App.Workers != got.App.Workers || saved.Workload.Rate != got.Workload.Rate || len(saved.Events) != 1 {
		t.Errorf("a save would write %d workers, rate %v, %d events", saved.App.Workers, saved.Workload.Rate, len(saved.Events))
	}
	runFor(m, 2*time.Second)
	if got := st.eng.sim.Topology(); got.Workload.Rate != 123 {
		t.Errorf("the timeline did not replay after the reset: rate %v", got.Workload.Rate)
	}
}
