package topology

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// This file sets a field of a topology by its path, the way editing the
// file would: the topology is written as YAML (Marshal), the value at
// the path replaced, and the result read back by the file's own parser,
// so that units, defaults, validation and hints are exactly the file's.

// ChangeError is a change that was refused: the change, and what is wrong
// with the topology it would make (each error naming its field).
type ChangeError struct {
	Change Change
	Errs   Errors
}

// Error names the change and each problem: "app.workers = 0: must be
// between 1 and 10000, got 0".
func (e *ChangeError) Error() string {
	head := e.Change.String()
	lines := make([]string, len(e.Errs))
	for i, x := range e.Errs {
		y := *x
		if y.Path == e.Change.Path {
			y.Path = ""
		}
		lines[i] = head + ": " + y.Error()
	}
	if len(lines) == 0 {
		return head + ": refused"
	}
	return strings.Join(lines, "\n")
}

// Unwrap lets errors.As find the Errors.
func (e *ChangeError) Unwrap() error { return e.Errs }

func refuse(c Change, path, hint, format string, args ...any) *ChangeError {
	return &ChangeError{Change: c, Errs: Errors{{Path: path, Msg: fmt.Sprintf(format, args...), Hint: hint}}}
}

// With returns a validated copy of t with c applied; c must be an ActSet
// change. Any field the file can set can be set, a whole section or list
// too, and a value of null removes the key (the file's default then
// applies; null for cache, offload or stock removes the section). t is
// not modified, and its events are kept as they are.
//
// A refused change returns a *ChangeError naming the path and the value,
// with the file's message and hint.
func (t *Topology) With(c Change) (*Topology, error) {
	if c.Action != ActSet {
		return nil, refuse(c, "", "", "%s is not a field change", c.Action)
	}
	return t.with(c)
}

// WithAll returns a validated copy of t with every change of cs (all
// ActSet) applied at once: a set of changes whose intermediate states
// would be invalid (rate to users) is accepted if the result is valid.
func (t *Topology) WithAll(cs []Change) (*Topology, error) {
	return t.with(cs...)
}

func (t *Topology) with(cs ...Change) (*Topology, error) {
	if t == nil {
		return nil, fmt.Errorf("topology: a change to a nil topology")
	}
	if len(cs) == 1 && cs[0].Action == ActSet {
		if nt, err, ok := t.withPart(cs[0]); ok {
			return nt, err
		}
	}
	root, err := t.tree()
	if err != nil {
		return nil, err
	}
	for _, c := range cs {
		if c.Action != ActSet {
			return nil, refuse(c, "", "", "%s is not a field change", c.Action)
		}
		val, err := valueNode(c)
		if err != nil {
			return nil, err
		}
		if c.Path == "" { // the whole topology, as Diff's last resort
			if val.Kind != yaml.MappingNode {
				return nil, refuse(c, "", "", "a whole topology is a mapping, got %s", describe(val))
			}
			root = val
			continue
		}
		segs, perr := parsePath(c.Path)
		if perr != nil {
			return nil, &ChangeError{Change: c, Errs: Errors{perr}}
		}
		if cerr := setNode(root, segs, val, c); cerr != nil {
			return nil, cerr
		}
	}
	nt, err := parseTree(root)
	if err != nil {
		var es Errors
		errors.As(err, &es)
		c := cs[len(cs)-1]
		if len(cs) > 1 {
			c = Change{Action: ActSet, Path: "", Value: fmt.Sprintf("%d changes", len(cs))}
		}
		return nil, &ChangeError{Change: c, Errs: es}
	}
	nt.Events = t.Events
	return nt, nil
}

// Get returns the value at path as YAML text, as With takes it ("8",
// "exp(20ms)", "{size: 20}"), or "null" for a key the file may have but
// t does not write (a missing section, an optional key).
func (t *Topology) Get(path string) (string, error) {
	if t == nil {
		return "", fmt.Errorf("topology: Get of a nil topology")
	}
	c := Change{Action: ActSet, Path: path}
	segs, perr := parsePath(path)
	if perr != nil {
		return "", &ChangeError{Change: c, Errs: Errors{perr}}
	}
	n, err, ok := t.getPart(c, segs)
	if !ok {
		root, err := t.tree()
		if err != nil {
			return "", err
		}
		var cerr *ChangeError
		if n, cerr = findNode(root, segs, c); cerr != nil {
			return "", cerr
		}
	} else if err != nil {
		return "", err
	}
	if n == nil {
		return "null", nil
	}
	return nodeText(n), nil
}

// tree is t written as a YAML node tree, without its events.
func (t *Topology) tree() (*yaml.Node, error) {
	if t == nil {
		return nil, fmt.Errorf("topology: a change to a nil topology")
	}
	c := *t
	c.Events = nil
	m := &marshaler{}
	root := m.topology(&c)
	if m.err != nil {
		return nil, m.err
	}
	return root, nil
}

// parseTree reads a node tree with the file's parser. Positions mean
// nothing here (there is no file), so errors keep only path, message and
// hint.
func parseTree(root *yaml.Node) (*Topology, error) {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(root); err != nil {
		return nil, fmt.Errorf("topology: encoding YAML: %w", err)
	}
	enc.Close()
	t, err := Parse("", buf.Bytes())
	if err != nil {
		var es Errors
		if !errors.As(err, &es) {
			return nil, err
		}
		out := make(Errors, len(es))
		for i, e := range es {
			out[i] = &Error{Path: e.Path, Msg: e.Msg, Hint: e.Hint}
		}
		return nil, out
	}
	return t, nil
}

// valueNode reads c.Value as YAML: one value, flow or block.
func valueNode(c Change) (*yaml.Node, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(c.Value), &doc); err != nil {
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		return nil, refuse(c, c.Path, "write the value as in a file: 8, 15ms, exp(20ms), {size: 20}", "the value is not YAML: %s", msg)
	}
	if len(doc.Content) == 0 {
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"}, nil
	}
	v := doc.Content[0]
	if hasAlias(v) {
		return nil, refuse(c, c.Path, "write the value out", "anchors and aliases are not allowed in a change")
	}
	return v, nil
}

func hasAlias(n *yaml.Node) bool {
	if n.Kind == yaml.AliasNode || n.Anchor != "" {
		return true
	}
	for _, k := range n.Content {
		if hasAlias(k) {
			return true
		}
	}
	return false
}

// nodeText writes n as one line of flow YAML.
func nodeText(n *yaml.Node) string {
	c := flowCopy(n)
	out, err := yaml.Marshal(c)
	if err != nil {
		return n.Value
	}
	return strings.TrimSuffix(string(out), "\n")
}

func flowCopy(n *yaml.Node) *yaml.Node {
	c := *n
	if c.Kind == yaml.MappingNode || c.Kind == yaml.SequenceNode {
		c.Style = yaml.FlowStyle
	}
	c.Content = make([]*yaml.Node, len(n.Content))
	for i, k := range n.Content {
		c.Content[i] = flowCopy(k)
	}
	return &c
}

// seg is one step of a path: a key, an index, or a request class's name.
type seg struct {
	key   string
	index int // -1 for a key or a name
	name  string
}

func (s seg) String() string {
	switch {
	case s.index >= 0:
		return "[" + strconv.Itoa(s.index) + "]"
	case s.name != "":
		return "[" + s.name + "]"
	}
	return s.key
}

const pathHint = "a field is written as in a file: app.workers, workload.requests[0].steps[1].cpu, workload.requests[checkout].share"

// parsePath splits a path: keys separated by dots, list elements by
// [index] or, for request classes, [name].
func parsePath(path string) ([]seg, *Error) {
	bad := func(msg string) ([]seg, *Error) {
		return nil, &Error{Path: path, Msg: msg, Hint: pathHint}
	}
	if path == "" {
		return bad("no field named")
	}
	if path == "events" || strings.HasPrefix(path, "events.") || strings.HasPrefix(path, "events[") {
		return nil, &Error{Path: path, Msg: "the timeline is not a field a change sets", Hint: "edit events: in the file"}
	}
	var segs []seg
	rest := path
	for rest != "" {
		switch {
		case rest[0] == '[':
			end := strings.IndexByte(rest, ']')
			if end < 0 {
				return bad("a [ without its ]")
			}
			inner := rest[1:end]
			if inner == "" {
				return bad("an empty []")
			}
			if i, err := strconv.Atoi(inner); err == nil {
				if i < 0 {
					return bad("a negative index")
				}
				segs = append(segs, seg{index: i})
			} else {
				segs = append(segs, seg{index: -1, name: inner})
			}
			rest = rest[end+1:]
			if rest != "" && rest[0] != '.' && rest[0] != '[' {
				return bad("expected . or [ after ]")
			}
			rest = strings.TrimPrefix(rest, ".")
			if rest == "" && strings.HasSuffix(path, ".") {
				return bad("the path ends with a dot")
			}
		default:
			end := strings.IndexAny(rest, ".[")
			key := rest
			if end >= 0 {
				key = rest[:end]
				rest = rest[end:]
				if rest[0] == '.' {
					rest = rest[1:]
					if rest == "" {
						return bad("the path ends with a dot")
					}
				}
			} else {
				rest = ""
			}
			if key == "" {
				return bad("an empty key")
			}
			segs = append(segs, seg{key: key, index: -1})
		}
	}
	return segs, nil
}

// child finds the element seg names in n: a mapping's key (nil when the
// mapping lacks it) or a list's element. A key on a list of request
// classes names a class too (workload.requests.checkout.share).
func child(n *yaml.Node, s seg, at string, c Change) (*yaml.Node, int, *ChangeError) {
	switch n.Kind {
	case yaml.MappingNode:
		if s.key == "" {
			return nil, -1, refuse(c, at, "", "%s is a mapping, not a list", orTop(at))
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == s.key {
				return n.Content[i+1], i + 1, nil
			}
		}
		return nil, -1, nil
	case yaml.SequenceNode:
		if s.index >= 0 {
			if s.index >= len(n.Content) {
				return nil, -1, refuse(c, at, fmt.Sprintf("there are %d, from [0] to [%d]", len(n.Content), len(n.Content)-1), "no element [%d]", s.index)
			}
			return n.Content[s.index], s.index, nil
		}
		name := s.name
		if name == "" {
			name = s.key
		}
		var names []string
		for i, item := range n.Content {
			if item.Kind != yaml.MappingNode {
				continue
			}
			for j := 0; j+1 < len(item.Content); j += 2 {
				if item.Content[j].Value == "name" {
					names = append(names, item.Content[j+1].Value)
					if item.Content[j+1].Value == name {
						return item, i, nil
					}
				}
			}
		}
		if len(names) == 0 {
			return nil, -1, refuse(c, at, "write [0] for the first element", "%s is a list: name an element by its index", at)
		}
		return nil, -1, refuse(c, at, enumHint(name, names), "no request class named %s", quote(name))
	}
	return nil, -1, refuse(c, at, "", "%s is a value, not a section", at)
}

func orTop(at string) string {
	if at == "" {
		return "the topology"
	}
	return at
}

// canonical is the path of seg s under at, with list elements by index.
func canonical(at string, s seg, n *yaml.Node, i int) string {
	if n.Kind == yaml.SequenceNode {
		return indexPath(at, i)
	}
	return joinPath(at, s.key)
}

// findNode returns the node at segs, or nil when its last key is
// missing from its mapping.
func findNode(root *yaml.Node, segs []seg, c Change) (*yaml.Node, *ChangeError) {
	n, at := root, ""
	for k, s := range segs {
		next, i, err := child(n, s, at, c)
		if err != nil {
			return nil, err
		}
		at = canonical(at, s, n, i)
		if next == nil {
			if k == len(segs)-1 {
				return nil, nil
			}
			return nil, nil // a missing section: every key below is unset
		}
		n = next
	}
	return n, nil
}

// setNode puts val at segs under root, adding missing keys (and the
// mappings above them); a null val removes the key.
func setNode(root *yaml.Node, segs []seg, val *yaml.Node, c Change) *ChangeError {
	remove := val.Kind == yaml.ScalarNode && val.ShortTag() == "!!null"
	n, at := root, ""
	for k, s := range segs {
		last := k == len(segs)-1
		next, i, err := child(n, s, at, c)
		if err != nil {
			return err
		}
		at = canonical(at, s, n, i)
		switch {
		case next != nil && last && remove && n.Kind == yaml.MappingNode:
			n.Content = append(n.Content[:i-1], n.Content[i+1:]...)
			return nil
		case next != nil && last && remove:
			return refuse(c, at, "set the whole list without it instead", "a list element cannot be removed")
		case next != nil && last:
			n.Content[i] = val
			return nil
		case next != nil:
			n = next
		case remove:
			return nil // already absent
		default:
			// a missing key: the parser says whether it is allowed here
			v := val
			if !last {
				v = &yaml.Node{Kind: yaml.MappingNode}
			}
			n.Content = append(n.Content, yamlScalar(s.key, "!!str"), v)
			if last {
				return nil
			}
			n = v
		}
	}
	return nil
}
