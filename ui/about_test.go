package ui

import (
	"strings"
	"testing"
	"time"

	"scalesim/presets"
)

// TestAboutShowsTheWholeDescription: i opens the whole description,
// wrapped to the width, at any time (after other keys changed the status
// line too), and i or esc closes it.
func TestAboutShowsTheWholeDescription(t *testing.T) {
	for _, sz := range [][2]int{{80, 24}, {60, 20}, {160, 48}} {
		top := loadPreset(t, "uwsgi-workers")
		m, _ := newTestModel(t, top, "uwsgi-workers", sz[0], sz[1])
		runFor(m, 3*time.Second)
		press(m, "w", ">")
		for _, close := range []string{"i", "esc"} {
			press(m, "i")
			v := screen(m)
			checkScreen(t, v, sz[0], sz[1])
			if got, want := strings.Join(strings.Fields(v), " "), strings.Join(strings.Fields(top.Description), " "); !strings.Contains(got, want) {
				t.Errorf("%dx%d: the whole description is not on the screen:\n%s", sz[0], sz[1], v)
			}
			press(m, close)
			if m.about || strings.Contains(screen(m), "ABOUT") {
				t.Errorf("%dx%d: %s did not close the description", sz[0], sz[1], close)
			}
		}
	}
}

// TestAboutWrapsTextWithoutSpaces: a description in a language written
// without spaces, or with a word longer than the screen, is wrapped
// between characters, not cut at the screen's edge.
func TestAboutWrapsTextWithoutSpaces(t *testing.T) {
	top := loadPreset(t, "uwsgi-workers")
	top.Description = strings.Repeat("一個同步工作行程一次只回答一個請求", 12) + " " + strings.Repeat("x", 150)
	for _, sz := range [][2]int{{80, 24}, {60, 20}} {
		m, _ := newTestModel(t, top, "uwsgi-workers", sz[0], sz[1])
		press(m, "i")
		v := screen(m)
		checkScreen(t, v, sz[0], sz[1])
		if got := strings.Join(strings.Fields(v), ""); !strings.Contains(got, strings.Join(strings.Fields(top.Description), "")) {
			t.Errorf("%dx%d: the description is cut:\n%s", sz[0], sz[1], v)
		}
	}
}

// TestFirstScreenSaysWhatToTry: every preset opens with a hint naming a
// key that works for it (the description's own "Press …" when it has
// one), and the help line offers i.
func TestFirstScreenSaysWhatToTry(t *testing.T) {
	for _, p := range presets.List() {
		top := loadPreset(t, p.Name)
		m, _ := newTestModel(t, top, p.Name, 80, 24)
		hint := tryHint(top, &m.keys)
		status := strings.Join(strings.Fields(m.statusView()), " ")
		if hint == "" || !strings.Contains(status, strings.Fields(hint)[0]) || !strings.Contains(status, "i tells the whole story") {
			t.Errorf("%s: first status %q, hint %q", p.Name, status, hint)
		}
		if strings.Contains(top.Description, "Press ") {
			k := hintKey(hint)
			found := false
			for _, b := range m.keys.all() {
				for _, bk := range b.Keys() {
					if bk == k && b.Enabled() {
						found = true
					}
				}
			}
			if !found {
				t.Errorf("%s: the hint %q names %q, which is no enabled key", p.Name, hint, k)
			}
		}
		if !strings.Contains(m.helpView(), "i about") {
			t.Errorf("%s: the help line does not offer i: %q", p.Name, m.helpView())
		}
	}
}

// TestTooSmallIgnoresKeys: below the smallest size the screen only asks
// for a larger terminal, and keys other than q and ctrl+c do nothing.
func TestTooSmallIgnoresKeys(t *testing.T) {
	m, _ := newTestModel(t, fixture(t, "web"), "web", minWidth-1, minHeight)
	before := m.Topology()
	press(m, "w", "n", "+", " ", "?", "i", "o", "s", "x")
	if m.paused || m.help.ShowAll || m.about || m.picker != nil || m.prompt.kind != promptNone {
		t.Error("a key acted while the terminal was too small")
	}
	if got := m.Topology(); got.App.Workers != before.App.Workers || got.App.Nodes != before.App.Nodes || got.Workload.Rate != before.Workload.Rate {
		t.Error("an edit was made while the terminal was too small")
	}
	if v := m.View(); !strings.Contains(v, "make the terminal larger") {
		t.Errorf("view %q", v)
	}
	press(m, "q")
	if !m.quitting {
		t.Error("q did not quit")
	}
}

// TestFileStringsCannotDriveTheTerminal: a topology whose name,
// description, source path and request class carry terminal escapes is
// drawn with them escaped: no ESC or BEL byte of them reaches the view,
// in the dashboard, the about pane or the help.
func TestFileStringsCannotDriveTheTerminal(t *testing.T) {
	const evil = "\x1b[2J\x1b[31mRED\x1b]0;pwned\a"
	top := fixture(t, "web")
	top.Name = evil
	top.Description = "Press w " + evil + ". More " + evil
	top.Workload.Requests[0].Name = evil
	if err := top.Validate(); err != nil {
		t.Fatal(err)
	}
	m, _ := newTestModel(t, top, "dir/"+evil+".yaml", 120, 40)
	runFor(m, 3*time.Second)
	press(m, "w")
	for _, keys := range [][]string{nil, {"i"}, {"?"}} {
		press(m, keys...)
		v := m.View()
		if strings.ContainsAny(v, "\x1b\a") {
			t.Errorf("after %v an escape byte reaches the terminal: %q", keys, v)
		}
		if !strings.Contains(v, `\x1b[31mRED`) {
			t.Errorf("after %v the name is not shown escaped:\n%s", keys, v)
		}
		press(m, "esc")
	}
}

// TestLongStatusWraps: a status message longer than the line wraps onto
// a second line rather than being cut.
func TestLongStatusWraps(t *testing.T) {
	m, _ := newTestModel(t, fixture(t, "web"), "web", 60, 20)
	m.setStatus(statusOK, "node 11 down: the requests it held failed; the balancer sends new ones to the 11 up")
	m.render()
	v := screen(m)
	checkScreen(t, v, 60, 20)
	if got := strings.Join(strings.Fields(v), " "); !strings.Contains(got, "the balancer sends new ones to the 11 up") {
		t.Errorf("the status is cut:\n%s", v)
	}
}

// TestHelpPaneFitsAndScrolls: the ? pane shows every key that applies
// whole, in fewer columns on a narrow terminal, and the whole glossary:
// at once when it fits, else the arrow keys scroll to its last entry.
func TestHelpPaneFitsAndScrolls(t *testing.T) {
	for _, sz := range [][2]int{{60, 20}, {70, 22}, {80, 24}, {120, 40}} {
		m, _ := newTestModel(t, loadPreset(t, "flash-sale-row-lock"), "flash-sale-row-lock", sz[0], sz[1])
		runFor(m, 2*time.Second)
		press(m, "?")
		seen := screen(m)
		for _, b := range m.keys.all() {
			if b.Enabled() && !strings.Contains(seen, b.Help().Desc) {
				t.Errorf("%dx%d: key %s (%s) not in the help:\n%s", sz[0], sz[1], b.Help().Key, b.Help().Desc, seen)
			}
		}
		for range 40 {
			press(m, "down")
			seen += screen(m)
		}
		checkScreen(t, screen(m), sz[0], sz[1])
		for _, g := range glossary {
			if !strings.Contains(seen, g[0]) {
				t.Errorf("%dx%d: the glossary's %q cannot be reached", sz[0], sz[1], g[0])
			}
		}
		if last := glossary[len(glossary)-1][0]; !strings.Contains(screen(m), last) {
			t.Errorf("%dx%d: scrolled to the end, %q is not shown:\n%s", sz[0], sz[1], last, screen(m))
		}
		if sz[1] >= 40 && strings.Contains(seen, "scroll") {
			t.Errorf("%dx%d: the help needs scrolling:\n%s", sz[0], sz[1], seen)
		}
	}
}

// hintKey is the key a "Press …" hint names: "w" for "Press w to add
// workers", "+" for "Press + to raise the rate".
func hintKey(hint string) string {
	f := strings.Fields(hint)
	if len(f) < 2 || !strings.EqualFold(f[0], "press") {
		return ""
	}
	return strings.TrimRight(f[1], ":,;")
}

// TestHintGoesOnceTaken: the first screen's "Press j: …" gives way to
// the description's next "Press …" once j is pressed (j shows its
// effect only on the screen), and the last one to nothing; a key the
// hint does not name leaves it, and an edit's own status replaces it.
func TestHintGoesOnceTaken(t *testing.T) {
	m, _ := newTestModel(t, loadPreset(t, "shoppers-and-api"), "shoppers-and-api", 80, 24)
	runFor(m, 2*time.Second)
	first := strings.Join(strings.Fields(m.statusView()), " ")
	if !strings.Contains(first, "Press j") {
		t.Fatalf("first status %q", first)
	}
	press(m, "?", "?") // the help open and shut: not what the hint asks
	if got := strings.Join(strings.Fields(m.statusView()), " "); got != first {
		t.Errorf("a key the hint does not name changed it: %q", got)
	}
	press(m, "j")
	got := strings.Join(strings.Fields(m.statusView()), " ")
	if strings.Contains(got, "Press j") || !strings.Contains(got, "Press c twice") {
		t.Errorf("after j the status is %q, want the next hint (Press c twice …)", got)
	}
	if !strings.Contains(screen(m), "CLASSES") {
		t.Error("j did not open the classes table")
	}

	top := fixture(t, "web")
	top.Description = "A web site. Press Q: each station beside its theory."
	m, _ = newTestModel(t, top, "web", 80, 24)
	press(m, "Q")
	if m.status.kind == statusHint || strings.Contains(m.statusView(), "Press") {
		t.Errorf("after the last hint's key the status is %q", m.statusView())
	}
}

func TestHintKeys(t *testing.T) {
	for _, c := range []struct {
		hint string
		want []string
	}{
		{"Press j: each class's latency.", []string{"j"}},
		{"Press k to turn the cache off; press f to flush it.", []string{"k", "f"}},
		{"Try w/W (workers) and watch what changes.", []string{"w", "W"}},
		{"Press space to pause.", []string{" "}},
		{"Watch the lock queue grow.", nil},
	} {
		if got := hintKeys(c.hint); strings.Join(got, ",") != strings.Join(c.want, ",") {
			t.Errorf("hintKeys(%q) = %q, want %q", c.hint, got, c.want)
		}
	}
}
