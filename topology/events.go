package topology

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// This file reads and writes changes and a file's timeline (events:),
// in one syntax: an event is a mapping with at:, optionally for:, and
// one or more of the change keys below; a change alone is the same
// mapping without at: and for:.
//
//	- at: 60s
//	  say: the sale opens
//	  set: {workload.rate: 800, app.workers: 8}
//	- {at: 2m, for: 30s, node_down: 2}
//	- {at: 3m, cache: flush}                 # or stop, start
//	- {at: 4m, primary: down, failover: 15s} # or up; shard: 2 for another shard
//	- {at: 5m, for: 1m, slow: {db: 3}}       # app, db, cache or offload
//	- {at: 6m, stock: reconcile}

var (
	eventKeys  = []string{"at", "for", "set", "node_down", "node_up", "cache", "primary", "failover", "shard", "slow", "say", "stock"}
	changeKeys = []string{"set", "node_down", "node_up", "cache", "primary", "failover", "shard", "slow", "say", "stock", "source"}
	cacheActs  = []string{"flush", "stop", "start"}
	primActs   = []string{"down", "up"}
	stockActs  = []string{"reconcile"}
)

const eventHint = "an event is a mapping like {at: 60s, set: {app.workers: 8}}; its changes: set, node_down, node_up, cache, primary, slow, say, stock"

// events reads the events: list, sorted by time (stably: events at the
// same time keep their order in the file).
func (p *parser) events(n *yaml.Node, path string) []Event {
	v := resolve(n)
	if isNull(v) {
		return nil
	}
	if v.Kind != yaml.SequenceNode {
		p.fail(n, path, "e.g. events: [{at: 60s, set: {app.workers: 8}}]", "expected a list of events, got %s", describe(v))
		return nil
	}
	if len(v.Content) > maxEvents {
		p.fail(n, path, "", "%d events; at most %d are allowed", len(v.Content), maxEvents)
		return nil
	}
	type read struct {
		e     Event
		pos   map[string]position
		index int // in the file
	}
	var all []read
	for i, item := range v.Content {
		// positions are recorded under a scratch map, then filed under the
		// event's index once the events are sorted
		saved := p.pos
		p.pos = map[string]position{}
		ip := indexPath(path, i)
		p.record(ip, nil, item)
		e, ok := p.event(item, ip)
		pos := p.pos
		p.pos = saved
		if ok {
			rel := map[string]position{}
			for k, at := range pos {
				rel[strings.TrimPrefix(k, ip)] = at
			}
			all = append(all, read{e, rel, i})
		} else {
			for k, at := range pos {
				p.pos[k] = at
			}
		}
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].e.At < all[j].e.At })
	out := make([]Event, len(all))
	p.eventIndex = make([]int, len(all))
	for i, r := range all {
		out[i] = r.e
		p.eventIndex[i] = r.index
		for k, at := range r.pos {
			p.pos[indexPath(path, i)+k] = at
		}
	}
	return out
}

// filePath turns a path into the timeline as Validate names it (events
// sorted by time) into the path of the same entry in the file.
func (p *parser) filePath(path string) string {
	rest, ok := strings.CutPrefix(path, "events[")
	if !ok {
		return path
	}
	end := strings.IndexByte(rest, ']')
	if end < 0 {
		return path
	}
	k, err := strconv.Atoi(rest[:end])
	if err != nil || k < 0 || k >= len(p.eventIndex) {
		return path
	}
	return indexPath("events", p.eventIndex[k]) + rest[end+1:]
}

// event reads one timeline entry.
func (p *parser) event(n *yaml.Node, path string) (Event, bool) {
	errs := len(p.errs)
	s, ok := p.section(n, path, eventKeys, eventHint)
	if !ok {
		return Event{}, false
	}
	var e Event
	if _, ok := s.get("at"); !ok {
		p.fail(n, path, "e.g. at: 60s, the simulated time it happens", "missing at")
		return e, false
	}
	s.duration("at", &e.At)
	s.duration("for", &e.For)
	cs, ok := p.changes(s, n)
	if !ok {
		return e, false
	}
	if len(cs) == 0 && len(p.errs) == errs {
		p.fail(n, path, eventHint, "an event with nothing to do")
		return e, false
	}
	e.Changes = cs
	return e, len(p.errs) == errs
}

// changes reads the change keys of s, in the order the file writes them.
func (p *parser) changes(s section, at *yaml.Node) ([]Change, bool) {
	ok := true
	errs := len(p.errs)
	keys := orderedKeys(s)
	var out []Change
	for _, key := range keys {
		e := s.fields[key]
		kp := s.sub(key)
		switch key {
		case "set":
			sets, good := p.sets(e, kp)
			out = append(out, sets...)
			ok = ok && good
		case "node_down", "node_up":
			var node int
			if s.integer(key, &node) {
				act := ActNodeDown
				if key == "node_up" {
					act = ActNodeUp
				}
				out = append(out, Change{Action: act, Node: node})
			}
		case "cache":
			if i := s.enum(key, "cache action", cacheActs); i >= 0 {
				out = append(out, Change{Action: []Action{ActCacheFlush, ActCacheStop, ActCacheStart}[i]})
			}
		case "primary":
			if i := s.enum(key, "primary action", primActs); i >= 0 {
				c := Change{Action: []Action{ActPrimaryDown, ActPrimaryUp}[i]}
				if _, given := s.get("shard"); given {
					s.integer("shard", &c.Node)
				}
				if _, given := s.get("failover"); given {
					if c.Action != ActPrimaryDown {
						p.fail(s.fields["failover"].key, s.sub("failover"), "failover goes with primary: down", "a failover delay for a primary coming up")
					}
					s.duration("failover", &c.Failover)
				}
				out = append(out, c)
			}
		case "failover", "shard":
			if _, given := s.get("primary"); !given {
				p.fail(e.key, kp, "write it beside primary: down", "%s without primary", key)
			}
		case "slow":
			slows, good := p.slows(e, kp)
			out = append(out, slows...)
			ok = ok && good
		case "say":
			var text string
			s.str(key, &text)
			out = append(out, Change{Action: ActSay, Text: text})
		case "stock":
			if s.enum(key, "stock action", stockActs) >= 0 {
				out = append(out, Change{Action: ActReconcile})
			}
		case "source":
			// standalone changes only; read by parseChange
		}
	}
	return out, ok && len(p.errs) == errs
}

// orderedKeys is s's keys in the file's order.
func orderedKeys(s section) []string {
	keys := make([]string, 0, len(s.fields))
	for k := range s.fields {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := s.fields[keys[i]].key, s.fields[keys[j]].key
		return a.Line < b.Line || (a.Line == b.Line && a.Column < b.Column)
	})
	return keys
}

// sets reads set: {path: value, ...}; each value is kept as YAML text,
// checked against the topology by Validate.
func (p *parser) sets(e entry, path string) ([]Change, bool) {
	v := resolve(e.val)
	if isNull(v) || v.Kind != yaml.MappingNode || len(v.Content) == 0 {
		p.fail(e.key, path, "e.g. set: {app.workers: 8, workload.rate: 500}", "expected a mapping of fields to values, got %s", describe(v))
		return nil, false
	}
	var out []Change
	seen := map[string]int{}
	for i := 0; i+1 < len(v.Content); i += 2 {
		k, val := resolve(v.Content[i]), resolve(v.Content[i+1])
		if k.Kind != yaml.ScalarNode || k.ShortTag() == "!!merge" {
			p.fail(k, path, pathHint, "expected a field, got %s", describe(k))
			continue
		}
		kp := path + "." + k.Value
		if line, dup := seen[k.Value]; dup {
			p.fail(k, kp, fmt.Sprintf("it is already set on line %d", line), "duplicate field")
			continue
		}
		seen[k.Value] = k.Line
		if _, err := parsePath(k.Value); err != nil {
			p.fail(k, kp, err.Hint, "%s", err.Msg)
			continue
		}
		if hasAlias(v.Content[i+1]) {
			p.fail(v.Content[i+1], kp, "write the value out", "anchors and aliases are not allowed in a change")
			continue
		}
		p.record(kp, k, val)
		out = append(out, Change{Action: ActSet, Path: k.Value, Value: nodeText(val)})
	}
	return out, true
}

// slows reads slow: {tier: factor, ...}.
func (p *parser) slows(e entry, path string) ([]Change, bool) {
	s, ok := p.section(e.val, path, Tiers, "e.g. slow: {db: 3} makes every database query take three times as long")
	if !ok {
		return nil, false
	}
	if v := resolve(e.val); isNull(v) || len(v.Content) == 0 {
		p.fail(e.key, path, "e.g. slow: {db: 3}", "no tier to slow")
		return nil, false
	}
	var out []Change
	for _, tier := range orderedKeys(s) {
		var f float64
		if s.number(tier, &f) {
			out = append(out, Change{Action: ActSlow, Tier: tier, Factor: f})
		}
	}
	return out, true
}

// ParseChanges reads a YAML list of changes (the syntax of an event
// without at: and for:, plus source:), as MarshalChanges writes them.
// An entry with several keys gives several changes.
func ParseChanges(file string, data []byte) ([]Change, error) {
	p := &parser{file: file, pos: map[string]position{}}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		p.failYAML(err, data)
		return nil, p.errs
	}
	if len(doc.Content) == 0 || isNull(doc.Content[0]) {
		return nil, nil
	}
	root := doc.Content[0]
	if root.Kind != yaml.SequenceNode {
		p.fail(root, "", "e.g. - {set: {app.workers: 8}}", "expected a list of changes, got %s", describe(root))
		return nil, p.errs
	}
	var out []Change
	for i, item := range root.Content {
		out = append(out, p.changeEntry(item, indexPath("", i))...)
	}
	if len(p.errs) > 0 {
		p.errs.sortByPosition()
		return nil, p.errs
	}
	return out, nil
}

// changeEntry reads one entry of a list of changes at path.
func (p *parser) changeEntry(item *yaml.Node, ip string) []Change {
	s, ok := p.section(item, ip, changeKeys, eventHint)
	if !ok {
		return nil
	}
	cs, ok := p.changes(s, item)
	if !ok {
		return nil
	}
	var src string
	s.str("source", &src)
	for k := range cs {
		cs[k].Source = src
		if err := cs[k].Check(); err != nil {
			p.fail(item, ip, err.Hint, "%s", err.Msg)
		}
	}
	return cs
}

// MarshalChanges writes changes as a YAML list that ParseChanges reads
// back, one entry per change.
func MarshalChanges(cs []Change) ([]byte, error) {
	list := &yaml.Node{Kind: yaml.SequenceNode}
	for _, c := range cs {
		n, err := changeNode(c)
		if err != nil {
			return nil, err
		}
		if c.Source != "" {
			n.Content = append(n.Content, yamlScalar("source", "!!str"), yamlText(c.Source))
		}
		n.Style = yaml.FlowStyle
		list.Content = append(list.Content, n)
	}
	out, err := yaml.Marshal(list)
	if err != nil {
		return nil, fmt.Errorf("topology: encoding changes: %w", err)
	}
	return out, nil
}

// changeNode is c as an event's keys.
func changeNode(c Change) (*yaml.Node, error) {
	if err := c.Check(); err != nil {
		return nil, fmt.Errorf("topology: cannot write change %s: %s", c, err.Msg)
	}
	n := &yaml.Node{Kind: yaml.MappingNode}
	add := func(key string, v *yaml.Node) { n.Content = append(n.Content, yamlScalar(key, "!!str"), v) }
	switch c.Action {
	case ActSet:
		val, err := valueNode(c)
		if err != nil {
			return nil, err
		}
		m := yamlMap(c.Path, flowCopy(val))
		m.Style = yaml.FlowStyle
		add("set", m)
	case ActNodeDown:
		add("node_down", yamlInt(c.Node))
	case ActNodeUp:
		add("node_up", yamlInt(c.Node))
	case ActCacheFlush, ActCacheStop, ActCacheStart:
		add("cache", yamlScalar(cacheActs[c.Action-ActCacheFlush], "!!str"))
	case ActPrimaryDown, ActPrimaryUp:
		add("primary", yamlScalar(primActs[c.Action-ActPrimaryDown], "!!str"))
		if c.Node > 1 {
			add("shard", yamlInt(c.Node))
		}
		if c.Action == ActPrimaryDown && c.Failover > 0 {
			add("failover", yamlDuration(c.Failover))
		}
	case ActSlow:
		m := yamlMap(c.Tier, yamlFloat(c.Factor))
		m.Style = yaml.FlowStyle
		add("slow", m)
	case ActSay:
		add("say", yamlText(c.Text))
	case ActReconcile:
		add("stock", yamlScalar("reconcile", "!!str"))
	}
	return n, nil
}

// eventNode is e as an entry of events:. Changes of one kind are
// written under one key (set: and slow: gather theirs) in the order of
// the kind's first change.
func (m *marshaler) eventNode(e Event) *yaml.Node {
	n := yamlMap("at", yamlDuration(e.At))
	if e.For != 0 {
		n.Content = append(n.Content, yamlScalar("for", "!!str"), yamlDuration(e.For))
	}
	for _, c := range e.Changes {
		cn, err := changeNode(c)
		if err != nil {
			m.fail("%v", err)
			return n
		}
		key, val := cn.Content[0].Value, cn.Content[1]
		if prev, _, _ := child(n, seg{key: key, index: -1}, "", Change{}); prev != nil {
			if key == "set" || key == "slow" {
				prev.Content = append(prev.Content, val.Content...)
				continue
			}
			m.fail("an event with two %s changes cannot be written; split it into two events", key)
			return n
		}
		n.Content = append(n.Content, cn.Content...)
	}
	n.Style = yaml.FlowStyle
	if len(n.Content) > 8 {
		n.Style = 0
	}
	return n
}

// validateEvents checks the timeline against the topology it runs on,
// in time order, as the simulation will apply it (with the inverses of
// for:): each set gives a valid topology, each node exists at that time,
// the cache, offload, stock and shards that changes name exist.
func (v *validator) events() {
	evs := v.t.Events
	if len(evs) == 0 {
		return
	}
	if len(evs) > maxEvents {
		v.add("events", "", "%d events; at most %d are allowed", len(evs), maxEvents)
		return
	}
	type step struct {
		at   time.Duration
		ev   int
		undo bool
		seq  int
	}
	var steps []step
	for i, e := range evs {
		p := indexPath("events", i)
		bad := false
		if e.At < 0 {
			v.add(p+".at", "times count from the start of the run, 0", "must not be negative, got %s", FormatDuration(e.At))
			bad = true
		}
		if e.For < 0 {
			v.add(p+".for", "", "must not be negative, got %s", FormatDuration(e.For))
			bad = true
		}
		if e.At > maxEventTime || e.For > maxEventTime {
			v.add(p, "", "times go up to %s", FormatDuration(maxEventTime))
			bad = true
		}
		if len(e.Changes) == 0 {
			v.add(p, eventHint, "an event with nothing to do")
			bad = true
		}
		for _, c := range e.Changes {
			if err := c.Check(); err != nil {
				v.add(changePath(p, c), err.Hint, "%s", err.Msg)
				bad = true
			}
			if e.For > 0 && (c.Action == ActCacheFlush || c.Action == ActReconcile) {
				v.add(p+".for", "remove for:, or put the "+c.Action.String()+" in an event of its own", "a %s cannot be undone", c.Action)
				bad = true
			}
		}
		if i > 0 && e.At < evs[i-1].At {
			v.add(p+".at", "", "events must be in order of time (Parse sorts them)")
			bad = true
		}
		if bad {
			continue
		}
		steps = append(steps, step{at: e.At, ev: i, seq: len(steps)})
		if e.For > 0 {
			steps = append(steps, step{at: e.At + e.For, ev: i, undo: true, seq: len(steps)})
		}
	}
	// each set is checked on the whole topology it makes: bound the work
	sets := 0
	for _, st := range steps {
		for _, c := range evs[st.ev].Changes {
			if c.Action == ActSet {
				sets++
			}
		}
	}
	nsteps := 0
	for _, c := range v.t.Workload.Requests {
		nsteps += countSteps(c.Steps)
	}
	size := 1 + len(v.t.Workload.Requests) + nsteps
	if sets*size > maxTimelineWork {
		v.add("events", "set fewer fields in the timeline, or give it a workload of fewer steps",
			"%d field changes (counting the undoing of for:) over a workload of %d steps is more than scalesim checks: at most %d changes times steps",
			sets, nsteps, maxTimelineWork)
		return
	}
	sort.SliceStable(steps, func(i, j int) bool { return steps[i].at < steps[j].at })
	cur := v.t
	undo := make([][]Change, len(evs))
	for _, st := range steps {
		e := evs[st.ev]
		p := indexPath("events", st.ev)
		cs := e.Changes
		if st.undo {
			cs = undo[st.ev]
		}
		for _, c := range cs {
			where := changePath(p, c)
			if st.undo {
				where = p + ".for"
			}
			if !st.undo && e.For > 0 {
				inv, ok, err := c.Inverse(cur)
				if err != nil {
					v.add(where, pathHint, "%s", errText(err))
					continue
				}
				if ok {
					undo[st.ev] = append(undo[st.ev], inv)
				}
			}
			next, msg, hint := v.timelineStep(cur, c, st.at, st.undo, where)
			if msg != "" {
				v.add(where, hint, "%s", msg) // and go on without it
				continue
			}
			cur = next
		}
	}
}

// maxTimelineWork bounds the check of a timeline: each field change is
// validated on the whole topology it makes, about a microsecond per
// step, so a million changes times steps is about a second.
const maxTimelineWork = 500_000

// maxEventTime bounds a timeline's times: a year of simulated time.
const maxEventTime = 365 * 24 * time.Hour

// errText is an error's text without the change it names.
func errText(err error) string {
	if ce, ok := err.(*ChangeError); ok && len(ce.Errs) > 0 {
		var parts []string
		for _, e := range ce.Errs {
			y := *e
			if y.Path == ce.Change.Path {
				y.Path = ""
			}
			y.Hint = ""
			parts = append(parts, y.Error())
		}
		return strings.Join(parts, "; ")
	}
	return err.Error()
}

// timelineStep checks c at time at against cur and returns the topology
// after it, or what is wrong and a hint.
func (v *validator) timelineStep(cur *Topology, c Change, at time.Duration, undo bool, where string) (*Topology, string, string) {
	when := "at " + FormatDuration(at)
	if undo {
		when = "undoing it at " + FormatDuration(at)
	}
	switch c.Action {
	case ActSet:
		next, err := cur.With(c)
		if err != nil {
			hint := ""
			if ce, ok := err.(*ChangeError); ok && len(ce.Errs) > 0 {
				hint = ce.Errs[0].Hint
			}
			msg := errText(err)
			if at > 0 || undo {
				msg += " (" + when + ")"
			}
			return nil, msg, hint
		}
		return next, "", ""
	case ActNodeDown, ActNodeUp:
		if c.Node > cur.App.Nodes {
			return nil, fmt.Sprintf("no app node %d %s: app.nodes is %d then", c.Node, when, cur.App.Nodes), "nodes count from 1"
		}
	case ActCacheFlush, ActCacheStop, ActCacheStart:
		if cur.Cache == nil {
			return nil, "no cache " + when, "add a cache: section, or remove this change"
		}
	case ActPrimaryDown, ActPrimaryUp:
		if c.Shard() >= cur.DB.Shards {
			return nil, fmt.Sprintf("no shard %d %s: db.shards is %d then", c.Shard()+1, when, cur.DB.Shards), "shards count from 1"
		}
	case ActSlow:
		switch {
		case c.Tier == "cache" && cur.Cache == nil:
			return nil, "no cache to slow " + when, "add a cache: section, or slow another tier"
		case c.Tier == "offload" && cur.Offload == nil:
			return nil, "no offload service to slow " + when, "add an offload: section, or slow another tier"
		}
	case ActReconcile:
		if cur.Stock == nil {
			return nil, "no stock to reconcile " + when, "add a stock: section, or remove this change"
		}
	}
	_ = where
	return cur, "", ""
}

// changePath is where c is written in event p.
func changePath(p string, c Change) string {
	switch c.Action {
	case ActSet:
		return p + ".set." + c.Path
	case ActNodeDown:
		return p + ".node_down"
	case ActNodeUp:
		return p + ".node_up"
	case ActCacheFlush, ActCacheStop, ActCacheStart:
		return p + ".cache"
	case ActPrimaryDown, ActPrimaryUp:
		if c.Failover != 0 {
			return p + ".failover"
		}
		return p + ".primary"
	case ActSlow:
		return p + ".slow." + c.Tier
	case ActSay:
		return p + ".say"
	case ActReconcile:
		return p + ".stock"
	}
	return p
}

// String of an event, for logs: "1m: app.workers = 8; say: ...".
func (e Event) String() string {
	parts := make([]string, len(e.Changes))
	for i, c := range e.Changes {
		parts[i] = c.String()
	}
	s := FormatDuration(e.At) + ": " + strings.Join(parts, "; ")
	if e.For > 0 {
		s += " for " + FormatDuration(e.For)
	}
	return s
}
