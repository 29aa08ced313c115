package topology

import (
	"bytes"
	"fmt"
	"strconv"
	"time"

	"gopkg.in/yaml.v3"
)

// Marshal writes t as canonical YAML: every field explicit, in the order
// of the file format, durations and sizes in their canonical form (15ms,
// exp(15ms), 120MiB). The cache, offload and stock sections and the
// db's pool are written only when present, keys only when set, hit_ratio
// only without keys, and users with think for a closed workload or rate
// for an open one.
//
// For any t that passes Validate, Parse(Marshal(t)) deep-equals t, except
// that an empty but non-nil Miss list comes back nil. Marshal does not
// validate; it fails only on what it cannot write at all, such as an
// unknown model or strategy.
func Marshal(t *Topology) ([]byte, error) {
	if t == nil {
		return nil, fmt.Errorf("topology: Marshal of a nil topology")
	}
	m := &marshaler{}
	root := m.topology(t)
	if m.err != nil {
		return nil, m.err
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(root); err != nil {
		return nil, fmt.Errorf("topology: encoding YAML: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("topology: encoding YAML: %w", err)
	}
	return buf.Bytes(), nil
}

// marshaler builds the YAML node tree, keeping the first error.
type marshaler struct{ err error }

func (m *marshaler) fail(format string, args ...any) {
	if m.err == nil {
		m.err = fmt.Errorf("topology: Marshal: "+format, args...)
	}
}

// yamlMap builds a mapping node from key, value pairs.
func yamlMap(kv ...any) *yaml.Node {
	n := &yaml.Node{Kind: yaml.MappingNode}
	for i := 0; i+1 < len(kv); i += 2 {
		n.Content = append(n.Content, yamlScalar(kv[i].(string), "!!str"), kv[i+1].(*yaml.Node))
	}
	return n
}

func yamlScalar(value, tag string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: value}
}

// yamlText is a string scalar, styled so that it reads back exactly: yaml.v3
// picks plain, quoted or literal style, and double quotes are used
// instead when its choice would not survive a round trip (some strings
// made only of line breaks).
func yamlText(s string) *yaml.Node {
	n := yamlScalar(s, "!!str")
	if !scalarRoundTrips(n) {
		n.Style = yaml.DoubleQuotedStyle
	}
	return n
}

func scalarRoundTrips(n *yaml.Node) bool {
	out, err := yaml.Marshal(yamlMap("k", n))
	if err != nil {
		return false
	}
	var back struct{ K *string }
	if err := yaml.Unmarshal(out, &back); err != nil || back.K == nil {
		return false
	}
	return *back.K == n.Value
}

// Scalars of each type, written so that Parse reads them back exactly.
func yamlInt(i int) *yaml.Node                { return yamlScalar(strconv.Itoa(i), "!!int") }
func yamlFloat(f float64) *yaml.Node          { return yamlScalar(formatFloat(f), "") } // 120 or 0.5, untagged
func yamlBool(b bool) *yaml.Node              { return yamlScalar(strconv.FormatBool(b), "!!bool") }
func yamlDuration(d time.Duration) *yaml.Node { return yamlScalar(FormatDuration(d), "!!str") }
func yamlSize(n int64) *yaml.Node             { return yamlScalar(FormatSize(n), "!!str") }

func (m *marshaler) dist(d Dist) *yaml.Node {
	if _, ok := formOf(d.Kind); d.Kind != Const && !ok {
		m.fail("unknown distribution kind %d", int(d.Kind))
	}
	return yamlScalar(d.String(), "!!str")
}

func (m *marshaler) topology(t *Topology) *yaml.Node {
	root := yamlMap(
		"name", yamlText(t.Name),
		"description", yamlText(t.Description),
		"seed", yamlScalar(strconv.FormatUint(t.Seed, 10), "!!int"),
		"workload", m.workload(t.Workload),
		"app", m.app(t.App),
		"lb", m.lb(t.LB),
		"db", m.db(t.DB),
	)
	if c := t.Cache; c != nil {
		cache := yamlMap(
			"enabled", yamlBool(!c.Disabled),
			"latency", m.dist(c.Latency),
			"net_latency", yamlDuration(c.NetLatency),
		)
		if k := c.Keys; k != nil {
			cache.Content = append(cache.Content, yamlScalar("keys", "!!str"), yamlMap(
				"count", yamlInt(k.Count),
				"zipf", yamlFloat(k.Zipf),
				"capacity", yamlInt(k.Capacity),
				"ttl", yamlDuration(k.TTL),
			))
		} else {
			cache.Content = append(cache.Content, yamlScalar("hit_ratio", "!!str"), yamlFloat(c.HitRatio))
		}
		root.Content = append(root.Content, yamlScalar("cache", "!!str"), cache)
	}
	if o := t.Offload; o != nil {
		if o.Policy < RoundRobin || o.Policy > P2C {
			m.fail("unknown offload policy %d", int(o.Policy))
		}
		root.Content = append(root.Content, yamlScalar("offload", "!!str"), yamlMap(
			"nodes", yamlInt(o.Nodes),
			"cores", yamlInt(o.Cores),
			"policy", yamlScalar(o.Policy.String(), "!!str"),
			"speed", yamlFloat(o.Speed),
			"latency", yamlDuration(o.Latency),
		))
	}
	if st := t.Stock; st != nil {
		if st.Strategy < Naive || st.Strategy > Redis {
			m.fail("unknown strategy %d", int(st.Strategy))
		}
		root.Content = append(root.Content, yamlScalar("stock", "!!str"), yamlMap(
			"items", yamlInt(st.Items),
			"quantity", yamlInt(st.Quantity),
			"strategy", yamlScalar(st.Strategy.String(), "!!str"),
			"query", m.dist(st.Query),
			"retries", yamlInt(st.Retries),
			"consumers", yamlInt(st.Consumers),
		))
	}
	if a := t.Autoscale; a != nil {
		root.Content = append(root.Content, yamlScalar("autoscale", "!!str"), m.autoscale(a))
	}
	if f := t.Failures; f != nil {
		root.Content = append(root.Content, yamlScalar("failures", "!!str"), m.failures(f))
	}
	if len(t.Events) > 0 {
		evs := &yaml.Node{Kind: yaml.SequenceNode}
		for _, e := range t.Events {
			evs.Content = append(evs.Content, m.eventNode(e))
		}
		root.Content = append(root.Content, yamlScalar("events", "!!str"), evs)
	}
	return root
}

func (m *marshaler) workload(w Workload) *yaml.Node {
	if w.Populations != nil {
		return m.populationsNode(w) // workload_populations.go
	}
	var n *yaml.Node
	if w.Users != 0 {
		n = yamlMap("users", yamlInt(w.Users), "think", m.dist(w.Think))
	} else {
		n = yamlMap("rate", yamlFloat(w.Rate))
	}
	if len(w.Stages) > 0 {
		n.Content = append(n.Content, yamlScalar("stages", "!!str"), m.stagesNode(w.Stages))
	}
	n.Content = append(n.Content, yamlScalar("requests", "!!str"), m.classes(w.Requests))
	return n
}

// classes writes a list of request classes.
func (m *marshaler) classes(cs []RequestClass) *yaml.Node {
	classes := &yaml.Node{Kind: yaml.SequenceNode}
	for _, c := range cs {
		class := yamlMap(
			"name", yamlText(c.Name),
			"share", yamlFloat(c.Share),
			"steps", m.steps(c.Steps),
		)
		if c.Client != nil {
			class.Content = append(class.Content, yamlScalar("client", "!!str"), m.client(c.Client))
		}
		classes.Content = append(classes.Content, class)
	}
	return classes
}

func (m *marshaler) steps(steps []Step) *yaml.Node {
	n := &yaml.Node{Kind: yaml.SequenceNode}
	for _, s := range steps {
		var val *yaml.Node
		switch s.Kind {
		case StepCPU, StepIO, StepDB, StepRead, StepWrite, StepBuy, StepOffload, StepNoGIL:
			val = m.dist(s.Dist)
		case StepCache:
			val = yamlMap("miss", m.steps(s.Miss))
		default:
			m.fail("unknown step kind %d", int(s.Kind))
			continue
		}
		n.Content = append(n.Content, yamlMap(s.Kind.String(), val))
	}
	return n
}

func (m *marshaler) app(a App) *yaml.Node {
	if a.Model < Sync || a.Model > Gevent {
		m.fail("unknown model %d", int(a.Model))
	}
	backlog := yamlInt(a.Backlog)
	if a.Backlog == Unlimited {
		backlog = yamlScalar("unlimited", "!!str")
	}
	n := yamlMap(
		"nodes", yamlInt(a.Nodes),
		"cores", yamlInt(a.Cores),
		"workers", yamlInt(a.Workers),
		"model", yamlScalar(a.Model.String(), "!!str"),
		"concurrency", yamlInt(a.Concurrency),
		"backlog", backlog,
		"timeout", yamlDuration(a.Timeout),
		"respawn", yamlDuration(a.Respawn),
		"memory", yamlSize(a.Memory),
		"worker_memory", yamlSize(a.WorkerMemory),
		"slot_memory", yamlSize(a.SlotMemory),
		"speed", yamlFloat(a.Speed),
		"gil", yamlBool(a.GIL),
		"switch_interval", yamlDuration(a.SwitchInterval),
	)
	n.Content = append(n.Content, m.cpuSched(a.CPU)...)
	return n
}

func (m *marshaler) lb(lb LB) *yaml.Node {
	if lb.Policy < RoundRobin || lb.Policy > P2C {
		m.fail("unknown policy %d", int(lb.Policy))
	}
	return yamlMap("policy", yamlScalar(lb.Policy.String(), "!!str"), "latency", yamlDuration(lb.Latency))
}

func (m *marshaler) db(db DB) *yaml.Node {
	if db.Connections < PerRequest || db.Connections > Persistent {
		m.fail("unknown connections policy %d", int(db.Connections))
	}
	n := yamlMap(
		"cores", yamlInt(db.Cores),
		"latency", yamlDuration(db.Latency),
		"replicas", yamlInt(db.Replicas),
		"replication_lag", yamlDuration(db.ReplicationLag),
		"shards", yamlInt(db.Shards),
		"max_connections", yamlInt(db.MaxConnections),
		"connections", yamlScalar(db.Connections.String(), "!!str"),
	)
	if db.Rows != 0 {
		n.Content = append(n.Content, yamlScalar("rows", "!!str"), yamlInt(db.Rows))
	}
	if p := db.Pool; p != nil {
		n.Content = append(n.Content, yamlScalar("pool", "!!str"), yamlMap("size", yamlInt(p.Size)))
	}
	n.Content = append(n.Content, m.cpuSched(db.CPU)...)
	return n
}
