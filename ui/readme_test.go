package ui

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"scalesim/presets"
	"scalesim/topology"
)

// readmeKeyRow is a row of the README's key table.
type readmeKeyRow struct {
	line  string
	keys  []string // as the key map spells them: " " for space
	helps []string // what the help says, every variant
}

// readmeKeyTable reads the table under "### Keys" in the README.
func readmeKeyTable(t *testing.T) []readmeKeyRow {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	start := strings.Index(text, "\n### Keys\n")
	if start < 0 {
		t.Fatal("README has no ### Keys section")
	}
	text = text[start:]
	if end := strings.Index(text[1:], "\n#"); end >= 0 {
		text = text[:end+1]
	}
	tick := regexp.MustCompile("`([^`]+)`")
	var rows []readmeKeyRow
	for _, line := range strings.Split(text, "\n") {
		cells := strings.Split(strings.Trim(line, "| "), " | ")
		if !strings.HasPrefix(line, "| `") || len(cells) != 3 {
			continue
		}
		row := readmeKeyRow{line: line}
		for _, m := range tick.FindAllStringSubmatch(cells[0], -1) {
			k := m[1]
			if k == "space" {
				k = " "
			}
			row.keys = append(row.keys, k)
		}
		for _, h := range strings.Split(cells[1], ",") {
			row.helps = append(row.helps, strings.TrimSpace(h))
		}
		rows = append(rows, row)
	}
	if len(rows) == 0 {
		t.Fatal("README's key table has no rows")
	}
	return rows
}

// helpVariants is every help text each binding shows, over the presets
// and the test topologies, running and paused, with short and full help.
func helpVariants(t *testing.T) (KeyMap, map[string][]string) {
	t.Helper()
	var tops []*topology.Topology
	for _, p := range presets.List() {
		tops = append(tops, loadPreset(t, p.Name))
	}
	for _, f := range []string{"web", "cache", "offload", "flash", "flash-naive", "replicas"} {
		tops = append(tops, fixture(t, f))
	}
	out := map[string][]string{} // by the binding's first key
	var km KeyMap
	for _, top := range tops {
		for _, paused := range []bool{false, true} {
			for _, all := range []bool{false, true} {
				km = newKeyMap()
				// presenting: a story's second step of three, its notes
				// open, in the presentation layout and theme
				ks := keyState{topo: top, paused: paused, showAll: all, speedIdx: 3}
				if all {
					ks.steps, ks.step, ks.notes, ks.present, ks.contrast = 3, 1, paused, paused, paused
				}
				km.update(ks)
				for _, b := range km.all() {
					k := b.Keys()[0]
					if d := b.Help().Desc; !slices.Contains(out[k], d) {
						out[k] = append(out[k], d)
					}
				}
			}
		}
	}
	return km, out
}

// TestReadmeKeyTable: the README's key table and the key map agree:
// every binding's keys are in one row, with every help text it shows;
// every key and help text in the table belongs to a binding.
func TestReadmeKeyTable(t *testing.T) {
	rows := readmeKeyTable(t)
	km, helps := helpVariants(t)
	rowOf := func(key string) *readmeKeyRow {
		for i := range rows {
			if slices.Contains(rows[i].keys, key) {
				return &rows[i]
			}
		}
		return nil
	}
	bound := map[string]bool{}
	known := map[string]bool{}
	for _, b := range km.all() {
		keys := b.Keys()
		row := rowOf(keys[0])
		if row == nil {
			t.Errorf("key %q (%s) is not in the README's key table", keys[0], b.Help().Key)
			continue
		}
		for _, k := range keys {
			bound[k] = true
			if !slices.Contains(row.keys, k) {
				t.Errorf("key %q is bound with %q but not in its README row %s", k, keys[0], row.line)
			}
		}
		for _, h := range helps[keys[0]] {
			known[h] = true
			if !slices.Contains(row.helps, h) {
				t.Errorf("help %q of %s is not in its README row %s", h, b.Help().Key, row.line)
			}
		}
	}
	for _, row := range rows {
		for _, k := range row.keys {
			if !bound[k] {
				t.Errorf("the README's key table names %q, which no binding has: %s", k, row.line)
			}
		}
		for _, h := range row.helps {
			if !known[h] {
				t.Errorf("the README's key table says help %q, which no binding shows: %s", h, row.line)
			}
		}
	}
}
