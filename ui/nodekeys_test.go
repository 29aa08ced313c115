package ui

import (
	"slices"
	"strings"
	"testing"
	"time"

	"scalesim/sim"
)

// TestNodePromptReachesEveryNode: with 12 nodes, x reaches 10, 11 and
// 12 too. A digit chooses at once when no further digit could name a
// node; enter chooses what is typed, or the default: the first node
// down, else node 1.
func TestNodePromptReachesEveryNode(t *testing.T) {
	top := fixture(t, "web")
	top.App.Nodes = 12
	downNodes := func(m *Model) []int {
		var out []int
		for i, n := range m.frame.Snap.Nodes {
			if !n.Up {
				out = append(out, i+1)
			}
		}
		return out
	}
	tests := []struct {
		keys   []string
		down   []int
		status string
	}{
		{[]string{"x", "1", "2"}, []int{12}, "node 12 down"},
		{[]string{"x", "1", "1"}, []int{11}, "node 11 down"},
		{[]string{"x", "1", "0"}, []int{10}, "node 10 down"},
		{[]string{"x", "5"}, []int{5}, "node 5 down"},
		{[]string{"x", "1", "enter"}, []int{1}, "node 1 down"},
		{[]string{"x", "enter"}, []int{1}, "node 1 down"},
		{[]string{"x", "1", "3", "enter"}, []int{1}, "node 1 down"}, // 13 names no node: ignored
		{[]string{"x", "1", "backspace", "7"}, []int{7}, "node 7 down"},
		{[]string{"x", "1", "2", "x", "enter"}, nil, "node 12 back up"}, // the default brings it back
		{[]string{"x", "0", "esc"}, nil, "cancelled"},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.keys, " "), func(t *testing.T) {
			m, _ := newTestModel(t, top, "many", 120, 40)
			runFor(m, time.Second)
			for _, k := range tc.keys {
				m.Update(anyKey(k))
			}
			runFor(m, time.Second)
			if got := downNodes(m); !slices.Equal(got, tc.down) {
				t.Errorf("nodes down %v, want %v", got, tc.down)
			}
			if m.prompt.kind != promptNone {
				t.Errorf("the prompt is still open: %q", m.statusView())
			}
			if !strings.Contains(m.statusView(), tc.status) {
				t.Errorf("status %q, want %q", m.statusView(), tc.status)
			}
		})
	}
}

// TestNodePromptShowsChoice: the prompt names the nodes and what enter
// chooses.
func TestNodePromptShowsChoice(t *testing.T) {
	top := fixture(t, "web")
	top.App.Nodes = 12
	m, _ := newTestModel(t, top, "many", 120, 40)
	press(m, "x")
	if v := m.statusView(); !containsAll(v, "node to take down or up (1-12)", "enter node 1", "esc cancel") {
		t.Errorf("prompt %q", v)
	}
	press(m, "1")
	if v := m.statusView(); !containsAll(v, "1", "enter node 1") {
		t.Errorf("prompt after 1: %q", v)
	}
}

// TestDownStatusIsTrue: with other nodes up the balancer routes around
// a node taken down; with none up every request fails.
func TestDownStatusIsTrue(t *testing.T) {
	m, _ := newTestModel(t, fixture(t, "cache"), "cache", 120, 40)
	runFor(m, time.Second)
	press(m, "x", "1")
	if v := m.statusView(); !strings.Contains(v, "node 1 down: its requests in flight failed; new ones go to the 1 up") {
		t.Errorf("status %q", v)
	}
	press(m, "x", "2")
	if v := m.statusView(); !strings.Contains(v, "node 2 down: no node is up, every request fails") {
		t.Errorf("status %q", v)
	}
}

// TestEscAndUnknownKeys: esc closes the full help; a key that does
// nothing says so.
func TestEscAndUnknownKeys(t *testing.T) {
	m, _ := newTestModel(t, fixture(t, "web"), "web", 120, 40)
	press(m, "?")
	if !m.help.ShowAll {
		t.Fatal("? does not open the help")
	}
	press(m, "esc")
	if m.help.ShowAll {
		t.Error("esc does not close the help")
	}
	for k, want := range map[string]string{
		"Z": "no key Z; ? for help", "ctrl+x": "no key ctrl+x; ? for help", "f1": "no key f1; ? for help",
	} {
		m.Update(anyKey(k))
		if v := m.statusView(); !strings.Contains(v, want) {
			t.Errorf("after %s: status %q, want %q", k, v, want)
		}
	}
	press(m, "t") // a key that does not apply says why instead
	if v := m.statusView(); !strings.Contains(v, "sync workers serve one request each") {
		t.Errorf("after t: status %q", v)
	}
}

// TestNodeRemovedWhileDown: a node taken down and then removed is not
// counted among the nodes, nor offered to bring back; added again, it
// is a new node, up, in the simulation and on screen.
func TestNodeRemovedWhileDown(t *testing.T) {
	top := fixture(t, "web")
	top.App.Nodes = 3
	m, _ := newTestModel(t, top, "three", 120, 40)
	runFor(m, time.Second)
	press(m, "x", "3", "N")
	press(m, "x")
	if v := m.statusView(); !strings.Contains(v, "enter node 1") {
		t.Errorf("prompt %q, want node 1 offered", v)
	}
	press(m, "enter")
	if v := m.statusView(); !strings.Contains(v, "node 1 down: its requests in flight failed; new ones go to the 1 up") {
		t.Errorf("status %q", v)
	}
	press(m, "n")
	runFor(m, time.Second)
	if n := m.frame.Snap.Nodes; len(n) != 3 || n[2].State != sim.NodeUp || m.nodeDown(2) || n[2].InFlight == 0 {
		t.Fatalf("node 3 added again: %v with %d in flight in the simulation, down %v on screen", n[2].State, n[2].InFlight, m.nodeDown(2))
	}
	press(m, "x")
	if v := m.statusView(); !strings.Contains(v, "enter node 1") {
		t.Errorf("prompt %q, want node 1, the one down, offered", v)
	}
	press(m, "esc", "x", "3")
	runFor(m, time.Second)
	if v := m.statusView(); !strings.Contains(v, "node 3 down") || m.frame.Snap.Nodes[2].State != sim.NodeDown {
		t.Errorf("status %q, node 3 %v", v, m.frame.Snap.Nodes[2].State)
	}
}
