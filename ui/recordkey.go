package ui

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"scalesim/record"
)

// recordKey is what the R key needs: where recordings go, and whether
// one is being made.
type recordKey struct {
	path   string // --record's file; "" for scalesim-N.rec.yaml
	seed   uint64 // the seed override, as the engine's
	on     string // the file being recorded, "" for none
	starts int    // recordings started
}

// nextPath is the file of the next recording: --record's file first,
// then the first of NAME-2.EXT, NAME-3.EXT ... that does not exist (with
// no --record, scalesim.rec.yaml, scalesim-2.rec.yaml ...).
func (r *recordKey) nextPath() string {
	base := r.path
	if base == "" {
		base = "scalesim.rec.yaml"
	}
	if r.starts == 0 && r.path != "" {
		return base
	}
	stem, ext := base, ""
	for _, e := range []string{".rec.yaml", ".yaml", ".yml"} {
		if s, ok := strings.CutSuffix(base, e); ok {
			stem, ext = s, e
			break
		}
	}
	for i := 1; ; i++ {
		p := base
		if i > 1 {
			p = fmt.Sprintf("%s-%d%s", stem, i, ext)
		}
		if _, err := os.Lstat(p); os.IsNotExist(err) {
			return p
		}
	}
}

// startRecording restarts the simulation at time 0, recorded to path,
// from the topology a reset starts from: the file with the user's edits
// (the timeline then replays by itself, and is not recorded twice).
func (m *Model) startRecording(path string) error {
	t := m.userTopology()
	seed := t.Seed
	if m.rec.seed != 0 {
		seed = m.rec.seed
	}
	w, err := record.Create(path, t, seed)
	if err != nil {
		return err
	}
	m.rec.starts++
	m.rec.on = path
	m.restartWith(t, m.source, "you: recording to "+path, w)
	return nil
}

// toggleRecording is the R key: start a recording (the simulation starts
// again, from time 0), or end the one being made.
func (m *Model) toggleRecording() {
	if m.rec.on != "" {
		m.do(op{kind: opRecordStop})
		m.setStatus(statusOK, "recording saved: scalesim replay %s", m.rec.on)
		m.rec.on = ""
		return
	}
	path := m.rec.nextPath()
	if !filepath.IsAbs(path) && m.dir != "" {
		path = filepath.Join(m.dir, path)
	}
	if err := m.startRecording(path); err != nil {
		m.setStatus(statusErr, "%v", err)
		return
	}
	m.setStatus(statusOK, "recording to %s from 0s; R stops", path)
}
