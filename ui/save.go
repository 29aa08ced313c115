package ui

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"scalesim/topology"
)

// startSave asks for a file name, offering one that does not exist yet.
func (m *Model) startSave() tea.Cmd {
	m.prompt = prompt{kind: promptSave, input: newTextInput(defaultSaveName(m.source, m.dir))}
	m.prompt.input.Width = max(20, m.ctx.width-50)
	return nil
}

// defaultSaveName is the source's base name with .yaml, in dir (the
// current directory when ""), made unique with -2, -3, … so that the
// default never overwrites a file (the source file included).
func defaultSaveName(source, dir string) string {
	base := filepath.Base(source)
	base = strings.TrimSuffix(base, filepath.Ext(base))
	base = strings.TrimPrefix(base, "preset:")
	if base == "" || base == "." || base == string(filepath.Separator) {
		base = "topology"
	}
	name := base + ".yaml"
	for i := 2; exists(filepath.Join(dir, name)); i++ {
		name = fmt.Sprintf("%s-%d.yaml", base, i)
	}
	return name
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// finishSave writes the topology to the name typed. An existing file is
// overwritten only when the user presses enter a second time.
func (m *Model) finishSave() {
	name := strings.TrimSpace(m.prompt.input.Value())
	if name == "" {
		m.setStatus(statusErr, "no file name")
		return
	}
	path := name
	if !filepath.IsAbs(path) && m.dir != "" {
		path = filepath.Join(m.dir, path)
	}
	if exists(path) && m.prompt.confirm != path {
		m.prompt.confirm = path
		return
	}
	m.prompt = prompt{}
	if err := saveTopology(m.topo, path); err != nil {
		m.setStatus(statusErr, "not saved: %s", errText(err))
		return
	}
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	m.setStatus(statusOK, "saved to %s", path)
}

// saveTopology writes t as canonical YAML, through a temporary file so a
// failed write leaves no half file behind.
func saveTopology(t *topology.Topology, path string) error {
	data, err := topology.Marshal(t)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".scalesim-*.yaml")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), path)
}
