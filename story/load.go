package story

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"scalesim/presets"
	"scalesim/topology"
)

//go:embed stories/*.yaml
var shipped embed.FS

// Names lists the shipped stories, sorted.
func Names() []string {
	entries, _ := fs.ReadDir(shipped, "stories")
	var out []string
	for _, e := range entries {
		out = append(out, strings.TrimSuffix(e.Name(), ".yaml"))
	}
	slices.Sort(out)
	return out
}

// The keys of a story and of a step, in the order files write them.
var (
	storyKeys = []string{"title", "topology", "seed", "steps"}
	stepKeys  = []string{"caption", "notes", "changes", "run", "expect"}
)

// Bounds of a story: its steps, each step's changes and claims, a step's
// run and the whole story's, so that a check's work is bounded.
const (
	maxSteps    = 1000
	maxChanges  = 100
	maxClaims   = 32
	maxRun      = time.Hour
	maxStoryRun = 24 * time.Hour
)

// Load reads the story at path, or the shipped story of that name
// ("tour"), in language lang ("" is "en"). A name with no folder and no
// .yaml is a shipped story when there is one. Errors are topology.Errors
// (or a *topology.Error) with the file, line, column, field and a hint,
// storyFile is what Load reads from the file system.
var storyFile = topology.FileKind{Name: "a story", Limit: topology.MaxFileSize,
	Hint: "a story is a few kilobytes of YAML; is this the file you meant?"}

// as a topology file's are.
func Load(path, lang string) (*Story, error) {
	if lang == "" {
		lang = "en"
	}
	if name, ok := shippedName(path); ok {
		data, err := shipped.ReadFile("stories/" + name + ".yaml")
		if err != nil {
			return nil, err
		}
		return parse("story/stories/"+name+".yaml", "", data, lang)
	}
	data, err := topology.ReadFileOf(path, storyFile)
	if err != nil {
		var te *topology.Error
		if errors.As(err, &te) && errors.Is(err, fs.ErrNotExist) && !strings.ContainsAny(path, `/\`) {
			te.Hint = "shipped stories: " + strings.Join(Names(), ", ")
			if m := topology.Suggest(strings.TrimSuffix(path, ".yaml"), Names()); m != "" {
				te.Hint = fmt.Sprintf("did you mean %q? (%s)", m, te.Hint)
			}
		}
		return nil, err
	}
	return parse(path, filepath.Dir(path), data, lang)
}

// shippedName reports whether arg names a shipped story.
func shippedName(arg string) (string, bool) {
	if strings.ContainsAny(arg, `/\`) || strings.HasSuffix(arg, ".yaml") || strings.HasSuffix(arg, ".yml") {
		return "", false
	}
	return arg, slices.Contains(Names(), arg)
}

// Parse reads a story from data in language lang; file names it in
// errors, and a topology given as a path is read relative to dir ("":
// the story may only name a preset or write its topology inline).
func Parse(file, dir string, data []byte, lang string) (*Story, error) {
	if lang == "" {
		lang = "en"
	}
	return parse(file, dir, data, lang)
}

// reader collects a story's problems with their positions.
type reader struct {
	file string
	errs topology.Errors
}

func (r *reader) fail(n *yaml.Node, path, hint, format string, args ...any) {
	if len(r.errs) >= 100 {
		return
	}
	e := &topology.Error{File: r.file, Path: path, Msg: fmt.Sprintf(format, args...), Hint: hint}
	if n != nil {
		e.Line, e.Col = n.Line, n.Column
	}
	r.errs = append(r.errs, e)
}

// add files errors from topology (a change, an inline topology), their
// paths under prefix.
func (r *reader) add(err error, prefix string) {
	var es topology.Errors
	var e *topology.Error
	switch {
	case errors.As(err, &es):
	case errors.As(err, &e):
		es = topology.Errors{e}
	default:
		r.fail(nil, prefix, "", "%v", err)
		return
	}
	for _, e := range es {
		if prefix != "" && e.File == r.file {
			if e.Path != "" {
				e.Path = prefix + "." + e.Path
			} else {
				e.Path = prefix
			}
		}
		r.errs = append(r.errs, e)
	}
}

// stepPath names step k (0-based) as users count: "step 3".
func stepPath(k int) string { return "step " + strconv.Itoa(k+1) }

func parse(file, dir string, data []byte, lang string) (*Story, error) {
	r := &reader{file: file}
	if len(data) > topology.MaxFileSize {
		r.fail(nil, "", "a story is a few kilobytes of YAML", "file is larger than %s", topology.FormatSize(topology.MaxFileSize))
		return nil, r.errs
	}
	if len(bytes.TrimSpace(data)) == 0 {
		r.fail(nil, "", "a story has title:, topology: and steps:", "the file is empty")
		return nil, r.errs
	}
	if e := topology.CheckText(file, data); e != nil { // the decoder gives these no position
		r.errs = append(r.errs, e)
		return nil, r.errs
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		r.yamlError(err, data)
		return nil, r.errs
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		r.fail(nil, "", "a story is a mapping with title:, topology: and steps:", "not a story")
		return nil, r.errs
	}
	root := doc.Content[0]
	fields := r.mapping(root, "", storyKeys)
	st := &Story{File: file, Lang: lang}
	all := []texts{}
	var title texts
	if v, ok := fields["title"]; ok {
		title = r.text(v, "title", true)
		all = append(all, title)
	}
	if v, ok := fields["topology"]; ok {
		st.Topology, st.Source = r.topology(v, dir)
	} else {
		r.fail(root, "topology", "preset:NAME, a file next to the story, or a topology written inline", "missing topology")
	}
	if v, ok := fields["seed"]; ok {
		v = deref(v)
		s, err := topology.ParseWhole(v.Value)
		if err != nil || v.Kind != yaml.ScalarNode {
			r.fail(v, "seed", "a whole number from 0 to 18446744073709551615, in decimal", "invalid seed %q", v.Value)
		}
		st.Seed = s
	} else if st.Topology != nil {
		st.Seed = st.Topology.Seed
	}
	var steps []rawStep
	if v, ok := fields["steps"]; ok {
		steps = r.steps(deref(v))
	} else {
		r.fail(root, "steps", "e.g. steps: [{caption: More workers, changes: [{set: {app.workers: 3}}], run: 30s}]", "missing steps")
	}
	for _, s := range steps {
		all = append(all, s.caption)
		if s.notes != nil {
			all = append(all, s.notes)
		}
	}
	if len(r.errs) > 0 {
		return nil, r.errs
	}
	st.Topology.Seed = st.Seed
	st.Langs = common(all)
	if !slices.Contains(st.Langs, lang) {
		r.missingLang(lang, title, steps, st.Langs)
		return nil, r.errs
	}
	st.Title = title[lang]
	if st.Title == "" {
		st.Title = st.Topology.Name
	}
	for _, s := range steps {
		st.Steps = append(st.Steps, Step{Caption: s.caption[lang], Notes: s.notes[lang], Changes: s.changes,
			Run: s.run, Expect: s.expect, Line: s.at.Line, Col: s.at.Column})
	}
	r.walk(st, steps)
	if len(r.errs) > 0 {
		r.errs = sorted(r.errs)
		return nil, r.errs
	}
	return st, nil
}

// rawStep is a step as read, its texts in every language.
type rawStep struct {
	at       *yaml.Node
	caption  texts
	notes    texts
	changes  []topology.Change
	changeAt []*yaml.Node // where each change is written
	run      time.Duration
	expect   []Claim
	expectAt *yaml.Node
}

// mapping returns the fields of the mapping n, reporting keys not in
// allowed.
func (r *reader) mapping(n *yaml.Node, path string, allowed []string) map[string]*yaml.Node {
	out := map[string]*yaml.Node{}
	r.duplicates(n, path)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if !slices.Contains(allowed, k.Value) {
			hint := "allowed: " + strings.Join(allowed, ", ")
			if m := topology.Suggest(k.Value, allowed); m != "" {
				hint = fmt.Sprintf("did you mean %q?", m)
			}
			r.fail(k, join(path, k.Value), hint, "unknown key")
			continue
		}
		out[k.Value] = v
	}
	return out
}

// duplicates reports each key of the mapping n given a second time: YAML
// forbids it, and which of the two would count is a guess (a topology
// file refuses them the same way).
func (r *reader) duplicates(n *yaml.Node, path string) {
	seen := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if prev, ok := seen[k.Value]; ok {
			r.fail(k, join(path, k.Value), fmt.Sprintf("it is already set on line %d", prev.Line), "duplicate key")
			continue
		}
		seen[k.Value] = k
	}
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// topology reads the topology: field.
func (r *reader) topology(n *yaml.Node, dir string) (*topology.Topology, string) {
	n = deref(n)
	switch {
	case n.Kind == yaml.MappingNode:
		t, err := topology.ParseNode(r.file, n)
		if err != nil {
			r.add(err, "topology")
			return nil, ""
		}
		return t, r.file
	case n.Kind != yaml.ScalarNode || n.Tag != "!!str" || n.Value == "":
		r.fail(n, "topology", "preset:NAME, a file next to the story, or a topology written inline", "expected a preset, a file or a topology, got %s", describeNode(n))
		return nil, ""
	}
	if name, ok := strings.CutPrefix(n.Value, presets.PresetPrefix); ok {
		p, ok := presets.Get(name)
		if !ok {
			p, ok = presets.Get(stripNumber(name))
		}
		if !ok {
			hint := "presets: " + strings.Join(presets.Names(), ", ")
			if m := topology.Suggest(name, presets.Names()); m != "" {
				hint = fmt.Sprintf("did you mean %q?", m)
			}
			r.fail(n, "topology", hint, "no preset %q", name)
			return nil, ""
		}
		t, err := p.Load()
		if err != nil {
			r.add(err, "")
			return nil, ""
		}
		return t, presets.PresetPrefix + p.Name
	}
	if dir == "" {
		r.fail(n, "topology", "a shipped story names a preset:NAME or writes its topology inline", "a file is not allowed here")
		return nil, ""
	}
	p := n.Value
	if !filepath.IsAbs(p) {
		p = filepath.Join(dir, p)
	}
	t, err := topology.Load(p)
	if err != nil {
		var te *topology.Error
		if errors.As(err, &te) && te.Line == 0 {
			// the file cannot be read: say so where the story names it
			hint := te.Hint
			if _, ok := presets.Get(n.Value); ok && errors.Is(err, fs.ErrNotExist) {
				hint = fmt.Sprintf("for the preset, write preset:%s", n.Value)
			}
			r.fail(n, "topology", hint, "%s: %s", p, te.Msg)
			return nil, ""
		}
		r.add(err, "")
		return nil, ""
	}
	return t, p
}

// stripNumber drops a preset file's ordering number: 01-single-worker is
// single-worker.
var numbered = regexp.MustCompile(`^[0-9]+-`)

func stripNumber(name string) string { return numbered.ReplaceAllString(name, "") }

// steps reads the steps: list.
func (r *reader) steps(n *yaml.Node) []rawStep {
	if n.Kind != yaml.SequenceNode {
		r.fail(n, "steps", "e.g. steps: [{caption: More workers, run: 30s}]", "expected a list of steps, got %s", describeNode(n))
		return nil
	}
	if len(n.Content) == 0 {
		r.fail(n, "steps", "a story has at least one step", "no steps")
		return nil
	}
	if len(n.Content) > maxSteps {
		r.fail(n, "steps", "", "%d steps; at most %d are allowed", len(n.Content), maxSteps)
		return nil
	}
	var out []rawStep
	var total time.Duration
	for k, item := range n.Content {
		item = deref(item)
		p := stepPath(k)
		s := rawStep{at: item}
		if item.Kind != yaml.MappingNode {
			r.fail(item, p, "a step is a mapping like {caption: More workers, run: 30s}", "expected a step, got %s", describeNode(item))
			continue
		}
		f := r.mapping(item, p, stepKeys)
		if v, ok := f["caption"]; ok {
			s.caption = r.text(v, p+".caption", true)
		} else {
			r.fail(item, p+".caption", "the line the audience reads during the step", "missing caption")
		}
		if v, ok := f["notes"]; ok {
			s.notes = r.text(v, p+".notes", false)
		}
		if v, ok := f["run"]; ok {
			v = deref(v)
			d, err := topology.ParseDuration(v.Value)
			switch {
			case v.Kind != yaml.ScalarNode:
				r.fail(v, p+".run", "e.g. run: 30s", "expected a duration, got %s", describeNode(v))
			case err != nil:
				hint := "e.g. run: 30s"
				var te *topology.Error
				if errors.As(err, &te) {
					hint = te.Hint
				}
				r.fail(v, p+".run", hint, "%s", strings.TrimPrefix(errMsg(err), "invalid duration: "))
			case d < 0 || d > maxRun:
				r.fail(v, p+".run", "", "a step runs from 0 to %s, got %s", topology.FormatDuration(maxRun), v.Value)
			default:
				s.run = d
				total += d
			}
		}
		if v, ok := f["changes"]; ok {
			s.changes, s.changeAt = r.changes(deref(v), p+".changes")
		}
		if v, ok := f["expect"]; ok {
			s.expectAt = v
			s.expect = r.expect(deref(v), p+".expect", k)
			if len(s.expect) > 0 && s.run == 0 {
				r.fail(v, p+".expect", "give the step a run: to measure its claims over, e.g. run: 30s", "claims need a run")
			}
		}
		out = append(out, s)
	}
	if total > maxStoryRun {
		r.fail(n, "steps", "", "the steps run %s in all; at most %s", topology.FormatDuration(total), topology.FormatDuration(maxStoryRun))
	}
	return out
}

// errMsg is an error's message without its file and position.
func errMsg(err error) string {
	var te *topology.Error
	if errors.As(err, &te) {
		return te.Msg
	}
	return err.Error()
}

// changes reads a step's changes: a list of entries in the syntax of an
// event without at: and for: (a single entry may stand alone).
func (r *reader) changes(n *yaml.Node, path string) ([]topology.Change, []*yaml.Node) {
	items := []*yaml.Node{n}
	switch n.Kind {
	case yaml.SequenceNode:
		items = n.Content
	case yaml.MappingNode:
	default:
		if n.Tag == "!!null" {
			return nil, nil
		}
		r.fail(n, path, "e.g. changes: [{set: {app.workers: 3}}]", "expected a list of changes, got %s", describeNode(n))
		return nil, nil
	}
	if len(items) > maxChanges {
		r.fail(n, path, "", "%d changes; at most %d are allowed", len(items), maxChanges)
		return nil, nil
	}
	var out []topology.Change
	var at []*yaml.Node
	for i, item := range items {
		ip := path
		if n.Kind == yaml.SequenceNode {
			ip = fmt.Sprintf("%s[%d]", path, i)
		}
		item = deref(item)
		cs, err := topology.ParseChangeNode(r.file, "", item)
		if err != nil {
			r.add(err, ip)
			continue
		}
		for _, c := range cs {
			if c.Source == "" {
				c.Source = topology.SourceStory
			}
			if c.Action == topology.ActSay {
				r.fail(item, ip, "the step's caption is what the audience reads", "a story's step says its caption; a say: change is not allowed")
				continue
			}
			out = append(out, c)
			at = append(at, item)
		}
	}
	if len(out) > maxChanges {
		r.fail(n, path, "", "%d changes; at most %d are allowed", len(out), maxChanges)
		return nil, nil
	}
	return out, at
}

// expect reads a step's claims: a mapping of measures to a claim or a
// list of claims.
func (r *reader) expect(n *yaml.Node, path string, at int) []Claim {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return nil
	}
	if n.Kind != yaml.MappingNode {
		r.fail(n, path, `e.g. expect: {throughput: "> 1.5x step 2", p99: "< 200ms"}`, "expected a mapping of measures to claims, got %s", describeNode(n))
		return nil
	}
	var out []Claim
	r.duplicates(n, path)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], deref(n.Content[i+1])
		p := join(path, k.Value)
		m, ok := measureOf(k.Value)
		if !ok {
			hint := "measures: " + strings.Join(Measures(), ", ")
			if s := topology.Suggest(k.Value, Measures()); s != "" {
				hint = fmt.Sprintf("did you mean %q? (%s)", s, hint)
			}
			r.fail(k, p, hint, "unknown measure")
			continue
		}
		items := []*yaml.Node{v}
		if v.Kind == yaml.SequenceNode {
			items = v.Content
		}
		for _, item := range items {
			item = deref(item)
			if item.Kind != yaml.ScalarNode || item.Tag == "!!null" {
				r.fail(item, p, "e.g. "+example(m), "expected a claim, got %s", describeNode(item))
				continue
			}
			if item.Tag != "!!str" {
				r.fail(item, p, fmt.Sprintf(`a claim has an operator: "== %s", "> %s"`, item.Value, item.Value), "expected a claim, got %s", describeNode(item))
				continue
			}
			c, e := parseClaim(m, item.Value, at)
			if e != nil {
				r.fail(item, p, e.hint, "%s", e.msg)
				continue
			}
			c.Line, c.Col = item.Line, item.Column
			out = append(out, c)
		}
	}
	if len(out) > maxClaims {
		r.fail(n, path, "", "%d claims; at most %d are allowed", len(out), maxClaims)
		return nil
	}
	return out
}

// yamlError reports a YAML syntax error at its line, as a topology
// file's are, with a hint for the usual slip of a claim starting with >
// unquoted.
func (r *reader) yamlError(err error, data []byte) {
	e := topology.YAMLError(r.file, err, data, "a story is YAML: title:, topology:, seed: and steps:")
	if e.Line > 0 {
		lines := strings.Split(string(data), "\n")
		for _, l := range lines[max(e.Line-2, 0):min(e.Line+1, len(lines))] {
			if unquotedGT.MatchString(l) {
				e.Hint = `quote a claim that starts with > or >=: throughput: "> 1.5x step 2"`
			}
		}
	}
	r.errs = append(r.errs, e)
}

// unquotedGT is a mapping value that starts with > and text on the same
// line, which YAML reads as a folded block.
var unquotedGT = regexp.MustCompile(`:\s+>=?\s*[0-9]`)

// common is the languages every text has.
func common(all []texts) []string {
	if len(all) == 0 {
		return []string{"en"}
	}
	out := all[0].langs()
	for _, t := range all[1:] {
		out = slices.DeleteFunc(out, func(l string) bool { _, ok := t[l]; return !ok })
	}
	return out
}

// missingLang reports the first text without lang.
func (r *reader) missingLang(lang string, title texts, steps []rawStep, have []string) {
	hint := "this story is in " + strings.Join(have, ", ")
	if title != nil {
		if _, ok := title[lang]; !ok {
			r.fail(nil, "title", hint, "no %s", lang)
			return
		}
	}
	for k, s := range steps {
		if _, ok := s.caption[lang]; !ok {
			r.fail(s.at, stepPath(k)+".caption", hint, "no %s", lang)
			return
		}
		if _, ok := s.notes[lang]; s.notes != nil && !ok {
			r.fail(s.at, stepPath(k)+".notes", hint, "no %s", lang)
			return
		}
	}
	r.fail(nil, "", hint, "no %s", lang)
}

// sorted orders errors by position.
func sorted(es topology.Errors) topology.Errors {
	slices.SortStableFunc(es, func(a, b *topology.Error) int {
		if a.File != b.File {
			return strings.Compare(a.File, b.File)
		}
		if a.Line != b.Line {
			return a.Line - b.Line
		}
		return a.Col - b.Col
	})
	return es
}
