package topology

import "gopkg.in/yaml.v3"

// This file reads a topology and changes out of a larger YAML document
// (a recording embeds both), with errors at their line and column in
// that document.

// ParseNode reads a topology from n, a node of a YAML document read from
// file, fills in the defaults and validates it, as Parse does a whole
// file; errors carry n's document's lines and columns.
func ParseNode(file string, n *yaml.Node) (*Topology, error) {
	p := &parser{file: file, pos: map[string]position{}}
	return p.finish(p.topology(n))
}

// ParseChangeNode reads the changes of one mapping n (the syntax of an
// event without at: and for:, plus source:), as ParseChanges reads an
// entry; path names n in errors (e.g. log[3]).
func ParseChangeNode(file, path string, n *yaml.Node) ([]Change, error) {
	p := &parser{file: file, pos: map[string]position{}}
	out := p.changeEntry(n, path)
	if len(p.errs) > 0 {
		p.errs.sortByPosition()
		return nil, p.errs
	}
	return out, nil
}
