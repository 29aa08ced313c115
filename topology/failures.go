package topology

import (
	"time"

	"gopkg.in/yaml.v3"
)

// Failures are random outages: each kind of server given here fails after
// an exponentially distributed time up (mean MTBF) and is repaired after
// an exponentially distributed time down (mean MTTR), on a random stream
// of its own.
type Failures struct {
	// Nodes: each app node crashes on its own; requests it holds fail.
	Nodes *Outage
	// Cache: the cache server stops (every read is a miss) and comes
	// back empty.
	Cache *Outage
	// DB: the primary stops; a replica is promoted after Failover.
	DB *Outage
}

// Outage is how often one kind of server fails and how long it stays down.
type Outage struct {
	// MTBF is the mean time between failures: the mean time up.
	MTBF time.Duration
	// MTTR is the mean time to repair: the mean time down.
	MTTR time.Duration
	// Failover, for the database only, is how long after its primary
	// fails a replica is promoted in its place (0: writes wait for the
	// repair).
	Failover time.Duration
}

var (
	failuresKeys = []string{"nodes", "cache", "db"}
	outageKeys   = []string{"mtbf", "mttr"}
	dbOutageKeys = []string{"mtbf", "mttr", "failover"}
)

// Failure limits: a failure is one event per server per MTBF.
const (
	minMTBF = time.Second
	maxMTBF = 100 * 365 * 24 * time.Hour
)

func (f *Failures) clone() *Failures {
	if f == nil {
		return nil
	}
	c := Failures{}
	for _, p := range []struct{ dst, src **Outage }{{&c.Nodes, &f.Nodes}, {&c.Cache, &f.Cache}, {&c.DB, &f.DB}} {
		if *p.src != nil {
			o := **p.src
			*p.dst = &o
		}
	}
	return &c
}

// failures reads the failures section.
func (p *parser) failures(n *yaml.Node) *Failures {
	f := &Failures{}
	s, ok := p.section(n, "failures", failuresKeys, "e.g. failures: {nodes: {mtbf: 10m, mttr: 1m}}")
	if !ok {
		return f
	}
	for _, k := range []struct {
		key  string
		dst  **Outage
		keys []string
	}{{"nodes", &f.Nodes, outageKeys}, {"cache", &f.Cache, outageKeys}, {"db", &f.DB, dbOutageKeys}} {
		if n, ok := s.get(k.key); ok {
			*k.dst = p.outage(s.fields[k.key].key, n, s.sub(k.key), k.keys)
		}
	}
	return f
}

// outage reads one kind of outage; mtbf and mttr are required.
func (p *parser) outage(key, n *yaml.Node, path string, keys []string) *Outage {
	o := &Outage{}
	s, ok := p.section(n, path, keys, "e.g. "+path+": {mtbf: 10m, mttr: 1m}")
	if !ok {
		return o
	}
	for _, k := range []struct {
		key, hint string
	}{
		{"mtbf", "mtbf is the mean time between failures, e.g. mtbf: 10m"},
		{"mttr", "mttr is the mean time to repair, e.g. mttr: 1m"},
	} {
		if _, ok := s.get(k.key); !ok {
			p.fail(key, path, k.hint, "missing %s", k.key)
			return o
		}
	}
	s.duration("mtbf", &o.MTBF)
	s.duration("mttr", &o.MTTR)
	s.duration("failover", &o.Failover)
	return o
}

func (v *validator) failures() {
	f := v.t.Failures
	if f == nil {
		return
	}
	v.outage("failures.nodes", f.Nodes)
	v.outage("failures.cache", f.Cache)
	v.outage("failures.db", f.DB)
	if f.Nodes != nil && f.Nodes.Failover != 0 {
		v.add("failures.nodes.failover", "only the database fails over", "an app node has no failover")
	}
	if f.Cache != nil {
		if f.Cache.Failover != 0 {
			v.add("failures.cache.failover", "only the database fails over", "the cache has no failover")
		}
		if v.t.Cache == nil {
			v.add("failures.cache", "add a top-level cache: section, or remove this", "cache failures need a cache section")
		}
	}
	if f.DB != nil {
		v.nonNegative("failures.db.failover", f.DB.Failover)
		if f.DB.Failover > 0 && v.t.DB.Replicas == 0 {
			v.add("failures.db.failover", "set db.replicas to 1 or more, or remove failover", "failover needs a replica to promote")
		}
	}
}

func (v *validator) outage(path string, o *Outage) {
	if o == nil {
		return
	}
	if o.MTBF < minMTBF || o.MTBF > maxMTBF {
		v.add(path+".mtbf", "the mean time a server runs between two failures, e.g. 10m", "must be between %s and %s, got %s", FormatDuration(minMTBF), FormatDuration(maxMTBF), FormatDuration(o.MTBF))
	}
	if o.MTTR <= 0 || o.MTTR > maxMTBF {
		v.add(path+".mttr", "the mean time a failed server stays down, e.g. 1m", "must be greater than 0 and at most %s, got %s", FormatDuration(maxMTBF), FormatDuration(o.MTTR))
	}
}

// failures writes the failures section.
func (m *marshaler) failures(f *Failures) *yaml.Node {
	n := yamlMap()
	add := func(key string, o *Outage, db bool) {
		if o == nil {
			return
		}
		v := yamlMap("mtbf", yamlDuration(o.MTBF), "mttr", yamlDuration(o.MTTR))
		if db {
			v.Content = append(v.Content, yamlScalar("failover", "!!str"), yamlDuration(o.Failover))
		}
		n.Content = append(n.Content, yamlScalar(key, "!!str"), v)
	}
	add("nodes", f.Nodes, false)
	add("cache", f.Cache, false)
	add("db", f.DB, true)
	return n
}
