package topology

import "gopkg.in/yaml.v3"

// Diff returns the ActSet changes that turn old into new: one per
// smallest differing part of their files (a value, or a whole list when
// its length differs), in the order the file writes them; a key new
// lacks is set to null. Applied one by one with With they give new
// (events aside). Where one of them alone would make an invalid topology
// (an open workload turned closed sets rate to null and users at once),
// Diff gives coarser changes, a whole section or at worst the whole
// topology, so that every step is valid. It returns nil when old and new
// write the same file, or when either cannot be written at all.
func Diff(old, new *Topology) []Change {
	a, err := old.tree()
	if err != nil {
		return nil
	}
	b, err := new.tree()
	if err != nil {
		return nil
	}
	var fine []Change
	diffNodes(a, b, "", &fine)
	if len(fine) == 0 {
		return nil
	}
	if applies(old, fine) {
		return fine
	}
	// one change per top-level section that differs
	var coarse []Change
	for i := 0; i+1 < len(b.Content); i += 2 {
		key := b.Content[i].Value
		av, _, _ := child(a, seg{key: key, index: -1}, "", Change{})
		if av == nil || !sameNode(av, b.Content[i+1]) {
			coarse = append(coarse, Change{Action: ActSet, Path: key, Value: nodeText(b.Content[i+1])})
		}
	}
	for i := 0; i+1 < len(a.Content); i += 2 {
		key := a.Content[i].Value
		if bv, _, _ := child(b, seg{key: key, index: -1}, "", Change{}); bv == nil {
			coarse = append(coarse, Change{Action: ActSet, Path: key, Value: "null"})
		}
	}
	if applies(old, coarse) {
		return coarse
	}
	return wholeChanges(old, b)
}

// wholeChanges sets every top-level section, in an order that keeps
// each step valid: the sections others depend on (cache, offload, stock,
// db) before the workload that uses them, or after it when it stops
// using them; failing both, one change replaces the whole topology
// (Path "").
func wholeChanges(old *Topology, b *yaml.Node) []Change {
	deps := []string{"name", "description", "seed", "cache", "offload", "stock", "db", "lb", "app"}
	for _, order := range [][]string{append(deps, "workload"), append([]string{"workload"}, deps...)} {
		var out []Change
		for _, key := range order {
			if v, _, _ := child(b, seg{key: key, index: -1}, "", Change{}); v != nil {
				out = append(out, Change{Action: ActSet, Path: key, Value: nodeText(v)})
			} else {
				out = append(out, Change{Action: ActSet, Path: key, Value: "null"})
			}
		}
		if applies(old, out) {
			return out
		}
	}
	return []Change{{Action: ActSet, Path: "", Value: nodeText(b)}}
}

// applies reports whether cs apply to t one by one.
func applies(t *Topology, cs []Change) bool {
	for _, c := range cs {
		next, err := t.With(c)
		if err != nil {
			return false
		}
		t = next
	}
	return true
}

func diffNodes(a, b *yaml.Node, path string, out *[]Change) {
	if sameNode(a, b) {
		return
	}
	switch {
	case a.Kind == yaml.MappingNode && b.Kind == yaml.MappingNode:
		for i := 0; i+1 < len(b.Content); i += 2 {
			key := b.Content[i].Value
			p := joinPath(path, key)
			av, _, _ := child(a, seg{key: key, index: -1}, "", Change{})
			if av == nil {
				*out = append(*out, Change{Action: ActSet, Path: p, Value: nodeText(b.Content[i+1])})
				continue
			}
			diffNodes(av, b.Content[i+1], p, out)
		}
		for i := 0; i+1 < len(a.Content); i += 2 {
			key := a.Content[i].Value
			if bv, _, _ := child(b, seg{key: key, index: -1}, "", Change{}); bv == nil {
				*out = append(*out, Change{Action: ActSet, Path: joinPath(path, key), Value: "null"})
			}
		}
	case a.Kind == yaml.SequenceNode && b.Kind == yaml.SequenceNode && len(a.Content) == len(b.Content):
		for i := range b.Content {
			diffNodes(a.Content[i], b.Content[i], indexPath(path, i), out)
		}
	default:
		*out = append(*out, Change{Action: ActSet, Path: path, Value: nodeText(b)})
	}
}

// sameNode reports whether a and b write the same YAML.
func sameNode(a, b *yaml.Node) bool {
	if a.Kind != b.Kind || len(a.Content) != len(b.Content) {
		return false
	}
	if a.Kind == yaml.ScalarNode {
		return a.Value == b.Value && a.ShortTag() == b.ShortTag()
	}
	for i := range a.Content {
		if !sameNode(a.Content[i], b.Content[i]) {
			return false
		}
	}
	return true
}
