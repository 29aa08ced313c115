package ui

import (
	"strings"
	"testing"

	"scalesim/sim"
)

// After a live edit removes cores, the slices running on them finish
// first: a node can have more busy cores than cores for a moment. Both
// ways of drawing cores show every busy core and say which are leaving.
func TestCoresBusyAboveCores(t *testing.T) {
	st := newStyles(newTheme(true))
	n := &sim.NodeState{Up: true, Cores: 2, BusyCores: 3}
	for name, got := range map[string]string{
		"box":  coresText(n, 40, &st),
		"line": coresShort(n, &st),
	} {
		if !strings.Contains(got, "3/2") || !strings.Contains(got, "1 leaving") {
			t.Errorf("%s: %q, want 3/2 busy and 1 leaving", name, got)
		}
		if c := strings.Count(got, "█") + strings.Count(got, "▒"); c != 3 {
			t.Errorf("%s: %q draws %d busy cells, want 3", name, got, c)
		}
	}
}
