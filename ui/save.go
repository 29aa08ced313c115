package ui

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"scalesim/termsafe"
	"scalesim/topology"
)

// startSave asks for a file name, offering one that does not exist yet.
func (m *Model) startSave() tea.Cmd {
	m.prompt = prompt{kind: promptSave, input: newTextInput(defaultSaveName(m.source, m.dir))}
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

// exists reports whether anything is at path, a link to nothing too.
func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}

// finishSave writes the topology to the name typed. An existing file is
// overwritten only when the user presses enter a second time; a name
// that cannot be saved to keeps the prompt open and says why.
func (m *Model) finishSave() {
	p := &m.prompt
	name := strings.TrimSpace(p.input.Value())
	if name == "" {
		p.err = "type a file name"
		return
	}
	path := name
	if !filepath.IsAbs(path) && m.dir != "" {
		path = filepath.Join(m.dir, path)
	}
	target, err := resolveSave(path)
	if err != nil {
		p.err = "cannot save: " + strings.ReplaceAll(errText(err), path, name)
		return
	}
	if target.exists && p.confirm != path {
		p.confirm = path
		return
	}
	data, err := topology.Marshal(m.userTopology())
	if err == nil {
		err = writeSave(target, data)
	}
	if err != nil {
		p.err, p.confirm = "not saved: "+errText(err), ""
		return
	}
	m.prompt = prompt{}
	m.setStatus(statusOK, "saved %s to %s", sizeText(len(data)), termsafe.Line(name))
}

// sizeText is a file size for the status line: 812 B, 1.2 KiB.
func sizeText(n int) string {
	if n < 1024 {
		return fmt.Sprintf("%d B", n)
	}
	return fmt.Sprintf("%.1f KiB", float64(n)/1024)
}
