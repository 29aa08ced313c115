package ui

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"scalesim/presets"
	"scalesim/topology"
)

// typeText types s into the dashboard one key at a time.
func typeText(m *Model, s string) {
	for _, r := range s {
		m.Update(anyKey(string(r)))
	}
}

// TestPickerOpensPresetByName: a preset's name typed opens it, as on
// the command line.
func TestPickerOpensPresetByName(t *testing.T) {
	m, _ := newTestModel(t, fixture(t, "web"), "web", 100, 30)
	press(m, "o")
	typeText(m, "redis-cache")
	press(m, "enter")
	if m.picker != nil {
		t.Fatalf("picker still open: %s", m.picker.err)
	}
	if m.source != "redis-cache" || m.view.Name != loadPreset(t, "redis-cache").Name {
		t.Errorf("opened %q (%s), want redis-cache", m.source, m.view.Name)
	}
	// the newcomer's hint of the topology opened, as on a first screen
	if hint := tryHint(m.view, &m.keys); hint == "" || !strings.Contains(m.status.text, hint) || !strings.Contains(m.status.text, "redis-cache") {
		t.Errorf("status after opening %q, want the opened name and the hint %q", m.status.text, hint)
	}
}

// TestPickerFilters: typing keeps the presets whose name or title holds
// the text, and enter opens the one chosen among them.
func TestPickerFilters(t *testing.T) {
	m, _ := newTestModel(t, fixture(t, "web"), "web", 100, 30)
	press(m, "o")
	all := len(m.picker.shown)
	typeText(m, "FLASH")
	p := m.picker
	if len(p.shown) == 0 || len(p.shown) >= all {
		t.Fatalf("%d of %d presets shown for FLASH", len(p.shown), all)
	}
	for _, i := range p.shown {
		it := p.items[i]
		if !strings.Contains(strings.ToLower(it.preset.Name+" "+it.title), "flash") {
			t.Errorf("%s (%s) shown for FLASH", it.preset.Name, it.title)
		}
	}
	if v := m.View(); strings.Contains(v, "uwsgi-workers") {
		t.Errorf("a preset filtered out is drawn:\n%s", v)
	}
	press(m, "down", "enter")
	if want := p.items[p.shown[1]].preset.Name; m.source != want {
		t.Errorf("opened %q, want the second match %q", m.source, want)
	}
}

// TestPickerPreselectsCurrent: the preset running is the one chosen
// when the picker opens.
func TestPickerPreselectsCurrent(t *testing.T) {
	m, _ := newTestModel(t, loadPreset(t, "read-replicas"), "read-replicas", 100, 30)
	press(m, "o")
	p := m.picker
	if got := p.items[p.shown[p.cursor]].preset.Name; got != "read-replicas" {
		t.Errorf("chosen %q, want read-replicas", got)
	}
	if !strings.Contains(m.View(), "▸ read-replicas") {
		t.Errorf("the running preset is not marked:\n%s", m.View())
	}
}

// TestPickerTabCompletes: tab completes a path as far as the files
// agree, a folder with its separator, and a filter to the chosen preset.
func TestPickerTabCompletes(t *testing.T) {
	tests := []struct{ typed, want, hint string }{
		{"testdata/ca", "testdata/cache.yaml", ""},
		{"testdata/fl", "testdata/flash", "2 match: flash-naive.yaml  flash.yaml"},
		{"testd", "testdata/", ""},
		{"redis-c", "redis-cache", ""},
		{"testdata/zz", "testdata/zz", "nothing matches testdata/zz"},
	}
	for _, tc := range tests {
		t.Run(tc.typed, func(t *testing.T) {
			m, _ := newTestModel(t, fixture(t, "web"), "web", 100, 30)
			press(m, "o")
			typeText(m, tc.typed)
			m.Update(anyKey("tab"))
			if got := m.picker.input.Value(); got != tc.want {
				t.Errorf("tab made %q, want %q", got, tc.want)
			}
			if m.picker.hint != tc.hint {
				t.Errorf("hint %q, want %q", m.picker.hint, tc.hint)
			}
		})
	}
	m, _ := newTestModel(t, fixture(t, "web"), "web", 100, 30)
	press(m, "o")
	typeText(m, "testdata/ca")
	m.Update(anyKey("tab"))
	press(m, "enter")
	if m.picker != nil || m.source != "testdata/cache.yaml" {
		t.Errorf("the completed path did not open: %q", m.source)
	}
}

// TestPickerSaysMore: when the presets do not fit, the lines around the
// list say how many are out of view above and below.
func TestPickerSaysMore(t *testing.T) {
	m, _ := newTestModel(t, fixture(t, "web"), "web", 80, 24)
	press(m, "o")
	n := len(m.picker.items)
	above, below := regexp.MustCompile(`↑ \d+ more`), regexp.MustCompile(`↓ \d+ more`)
	v := m.View()
	if !below.MatchString(v) || above.MatchString(v) {
		t.Fatalf("no count below the list at the top:\n%s", v)
	}
	for range n {
		press(m, "down")
	}
	v = m.View()
	if !above.MatchString(v) || below.MatchString(v) {
		t.Errorf("no count above the list at the bottom:\n%s", v)
	}
	if !strings.Contains(v, presets.List()[n-1].Name) {
		t.Errorf("the last preset is not in view when chosen:\n%s", v)
	}
	checkScreen(t, screen(m), 80, 24)
}

// TestPickerRefusesSpecialFiles: a named pipe or /dev/zero typed into
// the picker is refused at once: the dashboard neither hangs nor dies.
func TestPickerRefusesSpecialFiles(t *testing.T) {
	pipe := filepath.Join(t.TempDir(), "pipe.yaml")
	paths := []string{"/dev/zero"}
	if syscall.Mkfifo(pipe, 0o644) == nil {
		paths = append(paths, pipe)
	}
	for _, path := range paths {
		if _, err := os.Stat(path); err != nil {
			continue
		}
		m, _ := newTestModel(t, fixture(t, "web"), "web", 100, 30)
		press(m, "o")
		m.picker.input.SetValue(path)
		if !returnsWithin(5*time.Second, func() { press(m, "enter") }) {
			t.Fatalf("opening %s hangs", path)
		}
		if m.picker == nil || !strings.Contains(m.picker.err, "regular file") {
			t.Errorf("%s: picker error %q", path, m.picker.err)
		}
	}
}

// TestPickerUnknownName: a name that is neither a preset nor a file
// says so, with a suggestion.
func TestPickerUnknownName(t *testing.T) {
	m, _ := newTestModel(t, fixture(t, "web"), "web", 100, 30)
	press(m, "o")
	typeText(m, "redis-cahce")
	press(m, "enter")
	if m.picker == nil || !containsAll(m.picker.err, "no such file or preset", "redis-cache") {
		t.Errorf("picker error %q", m.picker.err)
	}
}

// TestPickerGivesUpOnSilentFile: a file whose read never returns (a
// dead network mount) does not freeze the dashboard: the picker gives
// up and says so.
func TestPickerGivesUpOnSilentFile(t *testing.T) {
	m, _ := newTestModel(t, fixture(t, "web"), "web", 100, 30)
	press(m, "o")
	block := make(chan struct{})
	defer close(block)
	m.picker.resolve = func(string) (*topology.Topology, error) {
		<-block
		return nil, nil
	}
	m.picker.openWait = 50 * time.Millisecond
	m.picker.input.SetValue("/mnt/dead/shop.yaml")
	if !returnsWithin(10*time.Second, func() { press(m, "enter") }) {
		t.Fatal("the picker waits for a file that never answers")
	}
	if m.picker == nil || !strings.Contains(m.picker.err, "no answer after 50ms: not opened") {
		t.Errorf("picker error %q", m.picker.err)
	}
	press(m, "esc")
	if m.picker != nil || m.view.Name != fixture(t, "web").Name {
		t.Error("esc did not keep the running topology")
	}
}

// TestPickerErrorWhole: at 80x24 and 60x20 the picker's complaint is
// shown whole, wrapped, never cut ("… scalesim reads topolog…").
func TestPickerErrorWhole(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero")
	}
	for _, sz := range [][2]int{{80, 24}, {60, 20}} {
		m, _ := newTestModel(t, fixture(t, "web"), "web", sz[0], sz[1])
		press(m, "o")
		m.picker.input.SetValue("/dev/zero")
		press(m, "enter")
		if m.picker == nil || m.picker.err == "" {
			t.Fatalf("no complaint about /dev/zero")
		}
		flat := strings.Join(strings.Fields(screen(m)), " ")
		if want := strings.Join(strings.Fields("✗ "+m.picker.err), " "); !strings.Contains(flat, want) {
			t.Errorf("%dx%d: the complaint %q is not whole on the screen:\n%s", sz[0], sz[1], want, screen(m))
		}
	}
}
