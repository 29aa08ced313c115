package record

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"scalesim/topology"
)

var (
	topKeys      = []string{"scalesim", "seed", "topology", "log"}
	checksumKeys = []string{"at", "checksum", "arrived", "completed", "dropped", "failed"}
)

const logHint = "a log entry is {at: 12s, set: {app.workers: 5}, source: key} or {at: 10s, checksum: ..., arrived: N, completed: N, dropped: N, failed: N}"

// Load reads the recording at path: a regular file of at most maxSize
// bytes (never a named pipe or a device, which would hang or fill
// memory), with the operating system's reason when it cannot be read.
func Load(path string) (*Recording, error) {
	data, err := topology.ReadFileOf(path, recordingFile)
	if err != nil {
		if e, ok := err.(*topology.Error); ok && e.Hint == "" {
			e.Hint = osHint(err)
		}
		return nil, err
	}
	return Parse(path, data)
}

func osHint(err error) string {
	if errors.Is(err, fs.ErrNotExist) {
		return "record one with scalesim --record FILE, or the R key in the dashboard"
	}
	return ""
}

// maxSize bounds a recording read, as topology bounds a file. A
// checksum line comes every 10 simulated seconds, about 110 bytes: 16
// MiB hold some 150,000, 400 hours simulated; reading them takes about
// 30 times their size in memory.
const maxSize = 16 << 20

// maxChanges bounds the changes of a recording, each checked against
// the topology it changes (about half a millisecond each): a talk's
// keys are hundreds, and 10,000 take seconds to read.
const maxChanges = 10_000

// recordingFile is what Load reads.
var recordingFile = topology.FileKind{Name: "a recording", Limit: maxSize,
	Hint: "a recording holds a line per change and per 10 simulated seconds; is this the file you meant?"}

// reader collects a recording's problems with their positions.
type reader struct {
	file string
	errs topology.Errors
}

func (r *reader) fail(n *yaml.Node, path, hint, format string, args ...any) {
	e := &topology.Error{File: r.file, Path: path, Msg: fmt.Sprintf(format, args...), Hint: hint}
	if n != nil {
		e.Line, e.Col = n.Line, n.Column
	}
	r.errs = append(r.errs, e)
}

// Parse reads a recording from data; file names it in errors, which
// are a topology.Errors with lines and columns.
func Parse(file string, data []byte) (*Recording, error) {
	r := &reader{file: file}
	if len(data) > maxSize {
		r.fail(nil, "", "", "the recording is larger than %d MiB", maxSize>>20)
		return nil, r.errs
	}
	var doc yaml.Node
	if len(bytes.TrimSpace(data)) == 0 {
		r.fail(nil, "", "record one with scalesim --record FILE, or the R key in the dashboard", "the recording is empty")
		return nil, r.errs
	}
	if e := topology.CheckText(file, data); e != nil {
		r.errs = append(r.errs, e)
		return nil, r.errs
	}
	if err := yaml.NewDecoder(bytes.NewReader(data)).Decode(&doc); err != nil {
		e := topology.YAMLError(file, err, data, "a recording is the YAML scalesim --record writes")
		if cutShort(data, e.Line) {
			e.Hint = "the last line is cut short (was the disk full, or the file copied while written?): delete it to replay the rest"
		}
		r.errs = append(r.errs, e)
		return nil, r.errs
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		r.fail(nil, "", "a recording is the YAML scalesim --record writes: scalesim:, seed:, topology:, log:", "not a recording")
		return nil, r.errs
	}
	root := doc.Content[0]
	rec := &Recording{}
	fields := map[string]*yaml.Node{}
	r.duplicates(root, "")
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		if !contains(topKeys, k.Value) {
			hint := "a recording has scalesim:, seed:, topology: and log:"
			if m := topology.Suggest(k.Value, topKeys); m != "" {
				hint = fmt.Sprintf("did you mean %s?", m)
			}
			r.fail(k, k.Value, hint, "unknown key")
			continue
		}
		fields[k.Value] = v
	}
	if v, ok := fields["scalesim"]; ok {
		if v.Kind != yaml.ScalarNode {
			r.fail(v, "scalesim", "the version of scalesim that recorded it, as text", "expected a version, got a %s", kindName(v))
		}
		rec.Version = v.Value
	} else {
		r.fail(root, "scalesim", "the version of scalesim that recorded it", "missing scalesim")
	}
	if v, ok := fields["seed"]; ok {
		s, err := topology.ParseWhole(v.Value)
		if err != nil || v.Kind != yaml.ScalarNode {
			r.fail(v, "seed", "a whole number from 0 to 18446744073709551615, in decimal", "invalid seed %q", v.Value)
		}
		rec.Seed = s
	} else {
		r.fail(root, "seed", "the seed the session ran with", "missing seed")
	}
	if v, ok := fields["topology"]; ok {
		t, err := topology.ParseNode(file, v)
		if err != nil {
			if es, ok := err.(topology.Errors); ok {
				for _, e := range es {
					if e.Path != "" {
						e.Path = "topology." + e.Path
					}
				}
				r.errs = append(r.errs, es...)
			} else {
				return nil, err
			}
		} else {
			t.Seed = rec.Seed
			rec.Topology = t
		}
	} else {
		r.fail(root, "topology", "the topology at the start, as a file writes it", "missing topology")
	}
	if v, ok := fields["log"]; ok {
		r.log(v, rec)
	}
	if len(r.errs) == 0 {
		r.apply(rec)
	}
	if len(r.errs) > 0 {
		return nil, r.errs
	}
	return rec, nil
}

// apply checks each recorded set against the topology it changed (the
// starting one with the recorded sets before it), so that a field the
// topology does not have is reported at its line.
func (r *reader) apply(rec *Recording) {
	t := rec.Topology
	for _, tc := range rec.Changes {
		if tc.Change.Action != topology.ActSet {
			continue
		}
		next, err := t.With(tc.Change)
		if err != nil {
			r.errs = append(r.errs, &topology.Error{File: r.file, Line: tc.line, Col: tc.col, Msg: err.Error(),
				Hint: "a recording's changes are those the dashboard made; was the file edited?"})
			return
		}
		t = next
	}
}

// log reads the log: list.
func (r *reader) log(n *yaml.Node, rec *Recording) {
	if n.Kind == yaml.ScalarNode && (n.Tag == "!!null" || n.Value == "") {
		return
	}
	if n.Kind != yaml.SequenceNode {
		r.fail(n, "log", logHint, "expected a list")
		return
	}
	var last, lastSum time.Duration
	for i, item := range n.Content {
		path := fmt.Sprintf("log[%d]", i)
		if item.Kind != yaml.MappingNode {
			r.fail(item, path, logHint, "expected a mapping")
			continue
		}
		var at *yaml.Node
		var sum bool
		rest := &yaml.Node{Kind: yaml.MappingNode, Line: item.Line, Column: item.Column, Style: item.Style}
		vals := map[string]*yaml.Node{}
		if r.duplicates(item, path) {
			continue
		}
		for j := 0; j+1 < len(item.Content); j += 2 {
			k, v := item.Content[j], item.Content[j+1]
			switch k.Value {
			case "at":
				at = v
			case "checksum":
				sum = true
			}
			if contains(checksumKeys, k.Value) {
				vals[k.Value] = v
			} else {
				rest.Content = append(rest.Content, k, v)
			}
		}
		if at == nil {
			r.fail(item, path, logHint, "missing at")
			continue
		}
		d, err := topology.ParseDuration(at.Value)
		if err != nil || d < 0 {
			hint := "the simulated time, e.g. 12.5s"
			if te, ok := err.(*topology.Error); ok && te.Hint != "" {
				hint = te.Hint
			}
			r.fail(at, path+".at", hint, "invalid time %q", at.Value)
			continue
		}
		if d > MaxAt {
			r.fail(at, path+".at", "a replay runs to the log's last time, and a run simulates at most "+topology.FormatDuration(MaxAt)+"; was the file edited?", "at %s is beyond the longest run", at.Value)
			continue
		}
		if sum {
			r.checksum(item, path, d, vals, rest, rec, &lastSum)
			continue
		}
		var stray []string
		for _, k := range checksumKeys[1:] {
			if _, ok := vals[k]; ok {
				stray = append(stray, k)
			}
		}
		if len(stray) > 0 {
			r.fail(vals[stray[0]], path+"."+stray[0], logHint, "%s without checksum", strings.Join(stray, ", "))
			continue
		}
		if d < last {
			r.fail(at, path+".at", "the log is in order of time", "at %s is before the previous change's %s", topology.FormatDuration(d), topology.FormatDuration(last))
			continue
		}
		last = d
		cs, err := topology.ParseChangeNode(r.file, path, rest)
		if err != nil {
			if es, ok := err.(topology.Errors); ok {
				r.errs = append(r.errs, es...)
				continue
			}
			r.fail(item, path, logHint, "%v", err)
			continue
		}
		if len(cs) == 0 {
			r.fail(item, path, logHint, "an entry with nothing to do")
		}
		if len(rec.Changes)+len(cs) > maxChanges {
			r.fail(item, path, "a recording holds a change per key pressed; was the file generated or edited?",
				"more than %d changes", maxChanges)
			return
		}
		if src := sourceOf(rest); src != nil && src.Value != topology.SourceKey {
			r.fail(src, path+".source", "a recording holds the changes keys made: source: key; was the file edited?", "source %q", src.Value)
			continue
		}
		for _, c := range cs {
			rec.Changes = append(rec.Changes, Timed{At: d, Change: c, line: item.Line, col: item.Column})
		}
	}
}

// checksum reads a checksum entry.
func (r *reader) checksum(item *yaml.Node, path string, at time.Duration, vals map[string]*yaml.Node, rest *yaml.Node, rec *Recording, last *time.Duration) {
	if len(rest.Content) > 0 {
		k := rest.Content[0]
		r.fail(k, path+"."+k.Value, "a checksum entry has at, checksum, arrived, completed, dropped and failed", "unknown key in a checksum")
		return
	}
	if v := vals["checksum"]; !isSum(v.Value) {
		r.fail(v, path+".checksum", "a checksum is 16 hexadecimal digits, as scalesim writes it; was the file edited?", "invalid checksum %q", v.Value)
		return
	}
	c := Checksum{At: at, Sum: vals["checksum"].Value, line: item.Line}
	for _, k := range checksumKeys[2:] {
		v, ok := vals[k]
		if !ok {
			r.fail(item, path+"."+k, "a checksum entry counts arrived, completed, dropped and failed", "missing %s", k)
			return
		}
		n, err := topology.ParseWhole(v.Value)
		if err != nil {
			r.fail(v, path+"."+k, "a whole number of requests, in decimal", "invalid count %q", v.Value)
			return
		}
		*map[string]*uint64{"arrived": &c.Arrived, "completed": &c.Completed, "dropped": &c.Dropped, "failed": &c.Failed}[k] = n
	}
	if at <= *last || at%Every != 0 {
		r.fail(vals["at"], path+".at", fmt.Sprintf("checksums come every %s, in order", topology.FormatDuration(Every)), "a checksum at %s", topology.FormatDuration(at))
		return
	}
	*last = at
	rec.Checksums = append(rec.Checksums, c)
}

// sourceOf is the value of an entry's source: key, or nil.
func sourceOf(entry *yaml.Node) *yaml.Node {
	for j := 0; j+1 < len(entry.Content); j += 2 {
		if entry.Content[j].Value == "source" {
			return entry.Content[j+1]
		}
	}
	return nil
}

// isSum reports whether s is a checksum as Sum writes it: 16 lowercase
// hexadecimal digits.
func isSum(s string) bool {
	if len(s) != 16 {
		return false
	}
	for _, c := range s {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// cutShort reports whether line (from 1) is the last of data and the
// file ends inside it: a log entry's write that did not finish.
func cutShort(data []byte, line int) bool {
	if len(data) == 0 || data[len(data)-1] == '\n' {
		return false
	}
	return line == bytes.Count(data, []byte("\n"))+1
}

// kindName names the kind of a YAML node that is not a scalar.
func kindName(n *yaml.Node) string {
	if n.Kind == yaml.SequenceNode {
		return "list"
	}
	return "mapping"
}

// duplicates reports each key of the mapping n given a second time, and
// whether there was one: YAML forbids it, and which of the two would
// count is a guess (a topology file refuses them the same way).
func (r *reader) duplicates(n *yaml.Node, path string) bool {
	seen := map[string]*yaml.Node{}
	dup := false
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if prev, ok := seen[k.Value]; ok {
			p := k.Value
			if path != "" {
				p = path + "." + k.Value
			}
			r.fail(k, p, fmt.Sprintf("it is already set on line %d", prev.Line), "duplicate key")
			dup = true
			continue
		}
		seen[k.Value] = k
	}
	return dup
}
