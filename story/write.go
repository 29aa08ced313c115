package story

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/charmbracelet/lipgloss"
	"gopkg.in/yaml.v3"

	"scalesim/topology"
)

// Timed is a change and the simulated time it was applied, as a
// recording holds it.
type Timed struct {
	At     time.Duration
	Change topology.Change
}

// FromChanges writes a story (YAML that Load reads) of topology t run
// with seed and changes: one step per time a change was made, its
// caption what the changes did (Change.String), run until the next
// change, the last one until end. When the first change comes after the
// start, a first step without changes runs up to it. The story has no
// claims: a presenter adds them, and story --check then proves them.
func FromChanges(title string, t *topology.Topology, seed uint64, changes []Timed, end time.Duration) ([]byte, error) {
	type group struct {
		at time.Duration
		cs []topology.Change
	}
	var groups []group
	for _, tc := range changes {
		c := tc.Change
		c.Source = ""
		if n := len(groups); n > 0 && groups[n-1].at == tc.At {
			groups[n-1].cs = append(groups[n-1].cs, c)
			continue
		}
		if n := len(groups); n > 0 && tc.At < groups[n-1].at {
			return nil, fmt.Errorf("story: the changes are not in order of time (%s after %s)", topology.FormatDuration(tc.At), topology.FormatDuration(groups[n-1].at))
		}
		groups = append(groups, group{at: tc.At, cs: []topology.Change{c}})
	}
	if len(groups) == 0 || groups[0].at > 0 {
		groups = append([]group{{at: 0}}, groups...)
	}
	if len(groups) > maxSteps {
		return nil, fmt.Errorf("story: %d times with changes; a story has at most %d steps", len(groups), maxSteps)
	}
	tn, err := topologyNode(t)
	if err != nil {
		return nil, err
	}
	steps := &yaml.Node{Kind: yaml.SequenceNode}
	for i, g := range groups {
		next := end
		if i+1 < len(groups) {
			next = groups[i+1].at
		}
		run := max(next-g.at, 0)
		if run > maxRun {
			return nil, fmt.Errorf("story: %s without a change from %s; a step runs at most %s", topology.FormatDuration(run), topology.FormatDuration(g.at), topology.FormatDuration(maxRun))
		}
		caption, notes := "the start", ""
		if len(g.cs) > 0 {
			parts := make([]string, len(g.cs))
			for j, c := range g.cs {
				parts[j] = c.String()
			}
			caption = oneLine(strings.Join(parts, "; "))
			if short := fit(caption, MaxCaptionWidth); short != caption {
				caption, notes = short, cut(caption, maxNotesBytes)
			}
		}
		step := &yaml.Node{Kind: yaml.MappingNode}
		addPair(step, "caption", str(caption))
		if notes != "" {
			addPair(step, "notes", str(notes))
		}
		if len(g.cs) > 0 {
			data, err := topology.MarshalChanges(g.cs)
			if err != nil {
				return nil, err
			}
			var doc yaml.Node
			if err := yaml.Unmarshal(data, &doc); err != nil {
				return nil, fmt.Errorf("story: the changes do not read back: %w", err)
			}
			addPair(step, "changes", doc.Content[0])
		}
		addPair(step, "run", str(topology.FormatDuration(run)))
		steps.Content = append(steps.Content, step)
	}
	root := &yaml.Node{Kind: yaml.MappingNode}
	addPair(root, "title", str(fit(oneLine(title), MaxCaptionWidth)))
	addPair(root, "seed", &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: fmt.Sprint(seed)})
	addPair(root, "topology", tn)
	addPair(root, "steps", steps)
	out, err := yaml.Marshal(root)
	if err != nil {
		return nil, fmt.Errorf("story: encoding: %w", err)
	}
	return out, nil
}

// topologyNode is t as a file writes it, as a YAML node.
func topologyNode(t *topology.Topology) (*yaml.Node, error) {
	data, err := topology.Marshal(t)
	if err != nil {
		return nil, err
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil || len(doc.Content) == 0 {
		return nil, fmt.Errorf("story: the topology does not read back: %v", err)
	}
	return doc.Content[0], nil
}

func addPair(m *yaml.Node, key string, v *yaml.Node) {
	m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key}, v)
}

func str(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s} }

// oneLine replaces line breaks and other control characters with spaces.
func oneLine(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return unicode.IsControl(r) || badRune(true)(r) }), " ")
}

// fit shortens s to at most width columns, ending it with … when cut.
func fit(s string, width int) string {
	if lipgloss.Width(s) <= width {
		return s
	}
	var b strings.Builder
	w := 0
	for _, r := range s {
		rw := lipgloss.Width(string(r))
		if w+rw > width-1 {
			break
		}
		b.WriteRune(r)
		w += rw
	}
	return b.String() + "…"
}

// cut shortens s to at most n bytes, at a rune boundary.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
