// Package presets holds the embedded topology files, one per step of the
// scaling playbook, so that `scalesim` runs with nothing but the binary.
// It is a package of its own because both the command line and the TUI's
// picker list and open them, and neither should own the other's files.
package presets

import (
	"embed"
	"io/fs"
	"path"
	"sort"
	"strings"

	"scalesim/topology"
)

//go:embed *.yaml
var files embed.FS

// Default is the preset `scalesim` opens with no arguments.
const Default = "uwsgi-workers"

// Preset is one embedded topology file.
type Preset struct {
	// Name is the file name without its number and extension, e.g.
	// "uwsgi-workers" for 02-uwsgi-workers.yaml.
	Name string
	// File is the embedded file's name.
	File string
	Data []byte
}

// List returns the presets in playbook order.
func List() []Preset {
	entries, _ := fs.ReadDir(files, ".")
	var out []Preset
	for _, e := range entries {
		data, err := files.ReadFile(e.Name())
		if err != nil {
			continue
		}
		out = append(out, Preset{Name: nameOf(e.Name()), File: e.Name(), Data: data})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].File < out[j].File })
	return out
}

// nameOf strips the ordering number and the extension: "02-uwsgi.yaml"
// is "uwsgi".
func nameOf(file string) string {
	base := strings.TrimSuffix(path.Base(file), path.Ext(file))
	if i := strings.IndexByte(base, '-'); i > 0 && strings.Trim(base[:i], "0123456789") == "" {
		base = base[i+1:]
	}
	return base
}

// Get returns the preset called name.
func Get(name string) (Preset, bool) {
	for _, p := range List() {
		if p.Name == name {
			return p, true
		}
	}
	return Preset{}, false
}

// Load parses and validates the preset called name. The file name in
// errors is "preset:NAME".
func (p Preset) Load() (*topology.Topology, error) {
	return topology.Parse("preset:"+p.Name, p.Data)
}
