package topology

import "gopkg.in/yaml.v3"

// With on a large topology should not cost a whole file's parse: a
// timeline of a thousand sets on a workload of thousands of steps would
// take minutes to check. So a change reads back only the part of the
// file it touches, with the same parser: one request class for a path
// inside it, everything but the request classes for any other path
// (the classes are kept as they are); only a change of the whole
// requests list reads the whole file. The result is validated whole.

// withPart applies c by reading back only its part of the file; ok is
// false when c needs the whole file.
func (t *Topology) withPart(c Change) (out *Topology, err error, ok bool) {
	segs, perr := parsePath(c.Path)
	if perr != nil || t.Workload.Populations != nil {
		return nil, nil, false // populations: the whole file
	}
	if isRequests(segs) && len(segs) == 2 {
		return nil, nil, false // the whole list
	}
	val, err := valueNode(c)
	if err != nil {
		return nil, err, true
	}
	if isRequests(segs) {
		return t.withClass(c, segs, val)
	}
	root, err := t.treeWithoutClasses()
	if err != nil {
		return nil, err, true
	}
	if cerr := setNode(root, segs, val, c); cerr != nil {
		return nil, cerr, true
	}
	if w, _, _ := child(root, seg{key: "workload", index: -1}, "", c); w == nil || w.Kind != yaml.MappingNode {
		return nil, nil, false
	} else if r, _, _ := child(w, seg{key: "requests", index: -1}, "", c); r != nil {
		return nil, nil, false // the value brings request classes of its own
	}
	p := &parser{pos: map[string]position{}}
	nt := p.topology(root)
	if len(p.errs) == 0 {
		nt.Workload.Requests = t.Clone().Workload.Requests
	}
	return t.finishPart(c, p, nt)
}

// withClass applies c, a path inside request class segs[2], reading back
// only that class.
func (t *Topology) withClass(c Change, segs []seg, val *yaml.Node) (*Topology, error, bool) {
	cn, i, err := t.classNode(c, segs[2])
	if err != nil {
		return nil, err, true
	}
	if len(segs) == 3 {
		if val.Kind == yaml.ScalarNode && val.ShortTag() == "!!null" {
			return nil, refuse(c, c.Path, "set the whole list without it instead", "a list element cannot be removed"), true
		}
		cn = val
	} else if cerr := setNode(cn, segs[3:], val, c); cerr != nil {
		return nil, cerr, true
	}
	p := &parser{pos: map[string]position{}}
	class := p.class(cn, indexPath("workload.requests", i), i)
	nt := t.Clone()
	nt.Workload.Requests[i] = class
	return t.finishPart(c, p, nt)
}

// finishPart validates nt, read by p, as Parse would.
func (t *Topology) finishPart(c Change, p *parser, nt *Topology) (*Topology, error, bool) {
	es := p.errs
	nt.Events = nil // the timeline is the caller's to check, not each step's
	if len(es) == 0 {
		es, _ = nt.validate()
	}
	if len(es) > 0 {
		es.sortByPosition()
		out := make(Errors, len(es))
		for i, e := range es {
			out[i] = &Error{Path: e.Path, Msg: e.Msg, Hint: e.Hint}
		}
		return nil, &ChangeError{Change: c, Errs: out}, true
	}
	nt.Events = t.Events
	return nt, nil, true
}

// classNode is the request class s names, written as a node tree, and
// its index.
func (t *Topology) classNode(c Change, s seg) (*yaml.Node, int, error) {
	m := &marshaler{}
	classes := m.workload(Workload{Rate: 1, Requests: t.Workload.Requests})
	if m.err != nil {
		return nil, -1, m.err
	}
	list, _, _ := child(classes, seg{key: "requests", index: -1}, "", c)
	cn, i, cerr := child(list, s, "workload.requests", c)
	if cerr != nil {
		return nil, -1, cerr
	}
	return cn, i, nil
}

// isRequests reports whether segs start at workload.requests.
func isRequests(segs []seg) bool {
	return len(segs) >= 2 && segs[0].key == "workload" && segs[1].key == "requests" && segs[1].index < 0 && segs[1].name == ""
}

// treeWithoutClasses is t written as a node tree without its events and
// without its request classes (the workload's requests key left out).
func (t *Topology) treeWithoutClasses() (*yaml.Node, error) {
	c := *t
	c.Events = nil
	c.Workload.Requests = nil
	m := &marshaler{}
	root := m.topology(&c)
	if m.err != nil {
		return nil, m.err
	}
	w, _, _ := child(root, seg{key: "workload", index: -1}, "", Change{})
	for i := 0; i+1 < len(w.Content); i += 2 {
		if w.Content[i].Value == "requests" {
			w.Content = append(w.Content[:i], w.Content[i+2:]...)
			break
		}
	}
	return root, nil
}

// getPart reads the value at segs from the part of the file that holds
// it; ok is false when it needs the whole file.
func (t *Topology) getPart(c Change, segs []seg) (n *yaml.Node, err error, ok bool) {
	if (isRequests(segs) && len(segs) == 2) || t.Workload.Populations != nil {
		return nil, nil, false
	}
	if isRequests(segs) {
		cn, _, err := t.classNode(c, segs[2])
		if err != nil {
			return nil, err, true
		}
		n, cerr := findNode(cn, segs[3:], c)
		if cerr != nil {
			return nil, cerr, true
		}
		return n, nil, true
	}
	root, err := t.treeWithoutClasses()
	if err != nil {
		return nil, err, true
	}
	n, cerr := findNode(root, segs, c)
	if cerr != nil {
		return nil, cerr, true
	}
	return n, nil, true
}
