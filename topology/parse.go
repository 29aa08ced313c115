package topology

import (
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// The keys each mapping in a file may have, in the order files write them.
var (
	topKeys       = []string{"name", "description", "seed", "workload", "app", "lb", "db", "cache", "offload", "stock", "autoscale", "failures", "events"}
	workloadKeys  = append([]string{"rate", "users", "think", "requests", "populations"}, shapeKeys...)
	classKeys     = []string{"name", "share", "steps", "client"}
	stepKinds     = []StepKind{StepCPU, StepIO, StepDB, StepRead, StepWrite, StepBuy, StepCache, StepOffload, StepNoGIL}
	stepKeys      = names(stepKinds)
	cacheStepKeys = []string{"miss"}
	appKeys       = []string{"nodes", "cores", "workers", "model", "concurrency", "backlog", "timeout", "respawn", "memory", "worker_memory", "slot_memory", "speed", "gil", "switch_interval", "scheduler", "slice", "tick", "switch_cost"}
	lbKeys        = []string{"policy", "latency"}
	dbKeys        = []string{"cores", "latency", "replicas", "replication_lag", "shards", "rows", "max_connections", "connections", "pool", "scheduler", "slice", "tick", "switch_cost"}
	poolKeys      = []string{"size"}
	cacheKeys     = []string{"enabled", "latency", "net_latency", "hit_ratio", "keys"}
	keySpaceKeys  = []string{"count", "zipf", "capacity", "ttl"}
	offloadKeys   = []string{"nodes", "cores", "policy", "speed", "latency"}
	stockKeys     = []string{"items", "quantity", "strategy", "query", "retries", "consumers"}

	models          = []Model{Sync, Threads, Gevent}
	modelNames      = names(models)
	policies        = []Policy{RoundRobin, LeastConn, Random, P2C}
	policyNames     = names(policies)
	connPolicies    = []ConnPolicy{PerRequest, Persistent}
	connPolicyNames = names(connPolicies)
	strategies      = []Strategy{Naive, RowLock, Optimistic, Atomic, Redis}
	strategyNames   = names(strategies)
)

// names lists the names of enum values, as written in files.
func names[T fmt.Stringer](values []T) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = v.String()
	}
	return out
}

const stepHint = "a step is one of cpu, io, db, read, write, buy, cache, offload or nogil, e.g. - cpu: 15ms"

// Parse reads a topology from YAML, fills in the defaults (see Defaults)
// and validates it. file names the source in errors and gives the
// default name; it may be "".
//
// On failure the error is an Errors, sorted by position, each naming the
// file, line, column and field path. Syntax and type errors are reported
// first; validation runs only on a file that parses.
func Parse(file string, data []byte) (*Topology, error) {
	p := &parser{file: file, pos: map[string]position{}}
	return p.finish(p.parse(data))
}

// finish returns t, read by p, once validated, or p's errors, else
// those of validation at their positions.
func (p *parser) finish(t *Topology) (*Topology, error) {
	if len(p.errs) > 0 {
		p.errs.sortByPosition()
		return nil, p.errs.withDropped(p.file, p.dropped)
	}
	if es, dropped := t.validate(); len(es) > 0 {
		for _, e := range es {
			at := p.locate(e.Path)
			e.File, e.Line, e.Col = p.file, at.line, at.col
			e.Path = p.filePath(e.Path)
		}
		es.sortByPosition()
		return nil, es.withDropped(p.file, dropped)
	}
	return t, nil
}

// parse decodes data and walks the document; errors go to p.errs.
func (p *parser) parse(data []byte) *Topology {
	if len(data) > MaxFileSize {
		p.errs = append(p.errs, tooLarge(p.file, topologyFile))
		return nil
	}
	// One UTF-8 byte order mark may start the file: editors write it.
	data = bytes.TrimPrefix(data, utf8BOM)
	if !p.checkChars(data) {
		return nil
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := decode(dec, &doc); err != nil {
		if err == io.EOF {
			p.fail(nil, "", "a topology needs at least a workload and an app section", "file is empty")
		} else {
			p.failYAML(err, data)
		}
		return nil
	}
	var extra yaml.Node
	switch err := decode(dec, &extra); {
	case err == io.EOF:
	case err != nil:
		p.failYAML(err, data)
		return nil
	case len(extra.Content) > 0 && !isNull(extra.Content[0]):
		p.fail(&extra, "", "keep one topology per file", "more than one YAML document")
		return nil
	}
	var root *yaml.Node
	if len(doc.Content) > 0 {
		root = doc.Content[0]
	}
	if isNull(root) {
		p.fail(nil, "", "a topology needs at least a workload and an app section", "file is empty")
		return nil
	}
	return p.topology(root)
}

// decode runs the YAML decoder, turning a panic in it into an error.
func decode(dec *yaml.Decoder, n *yaml.Node) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("yaml: %v", r)
		}
	}()
	return dec.Decode(n)
}

var (
	yamlLine      = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)
	unknownAnchor = regexp.MustCompile(`^unknown anchor '(.*)' referenced$`)
)

// parserProblems are the yaml.v3 syntax errors whose line numbers count
// from 0 (its scanner's count from 1).
var parserProblems = map[string]bool{
	"did not find expected <stream-start>":   true,
	"did not find expected <document start>": true,
	"found undefined tag handle":             true,
	"did not find expected node content":     true,
	"did not find expected '-' indicator":    true,
	"did not find expected key":              true,
	"did not find expected ',' or ']'":       true,
	"did not find expected ',' or '}'":       true,
	"found duplicate %YAML directive":        true,
	"found incompatible YAML document":       true,
	"found duplicate %TAG directive":         true,
}

// failYAML reports an error from the YAML decoder at the line it names,
// corrected to count from 1 and to fall within the file.
func (p *parser) failYAML(err error, data []byte) {
	p.errs = append(p.errs, YAMLError(p.file, err, data, ""))
}

// YAMLError turns an error of the YAML decoder reading data, from file,
// into an *Error at the line it names, corrected to count from 1 and to
// fall within the file. Its hint is hint (by default: check indentation,
// brackets and quotes), unless a tab indents that line.
func YAMLError(file string, err error, data []byte, hint string) *Error {
	msg, line := strings.TrimPrefix(err.Error(), "yaml: "), 0
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
	}
	switch {
	case parserProblems[msg]:
		line++
	case line == 0 && unknownAnchor.MatchString(msg):
		line = lineOf(data, "*"+unknownAnchor.FindStringSubmatch(msg)[1])
	case line == 0 && !strings.Contains(msg, "anchor") && !strings.Contains(msg, "alias"):
		line = 1 // yaml.v3 leaves out "line 1"
	}
	if lines := bytes.Count(bytes.TrimRight(data, "\n"), []byte("\n")) + 1; line > lines {
		line = lines
	}
	if hint == "" {
		hint = "check indentation, brackets and quotes here and on the line before"
	}
	if line > 0 && bytes.HasPrefix(bytes.TrimLeft(lineAt(data, line), " "), []byte("\t")) {
		hint = "indent with spaces: YAML does not allow tabs for indentation"
	}
	return &Error{File: file, Line: line, Msg: "invalid YAML: " + msg, Hint: hint}
}

// CheckText returns the first character of data, from file, that is not
// UTF-8 or that YAML does not allow, at its line and column (the YAML
// decoder reports those without a position), or nil.
func CheckText(file string, data []byte) *Error {
	p := &parser{file: file}
	if p.checkChars(bytes.TrimPrefix(data, utf8BOM)) {
		return nil
	}
	return p.errs[0]
}

// lineAt returns line n (from 1) of data.
func lineAt(data []byte, n int) []byte {
	lines := bytes.Split(data, []byte("\n"))
	if n < 1 || n > len(lines) {
		return nil
	}
	return lines[n-1]
}

// lineOf returns the line (from 1) where s first occurs in data, or 0.
func lineOf(data []byte, s string) int {
	i := bytes.Index(data, []byte(s))
	if i < 0 {
		return 0
	}
	return bytes.Count(data[:i], []byte("\n")) + 1
}

// bom is the byte order mark; utf8BOM is its UTF-8 encoding.
const bom = '\uFEFF'

var utf8BOM = []byte(string(bom))

// checkChars reports the first character of data that is not UTF-8 or
// that YAML does not allow (control characters other than tab and line
// breaks), since yaml.v3 reports those without a position.
func (p *parser) checkChars(data []byte) bool {
	line, col := 1, 1
	for len(data) > 0 {
		r, size := utf8.DecodeRune(data)
		msg, hint := "", ""
		switch {
		case r == utf8.RuneError && size <= 1:
			msg, hint = "invalid UTF-8", "save the file as UTF-8 text"
			if line == 1 && col == 1 && (bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF})) {
				hint = "the file is UTF-16: save it as UTF-8 text"
			}
		case r == bom && line == 1 && col == 1:
			msg = "a second byte order mark (U+FEFF) after the first"
			hint = "save the file as UTF-8 without a BOM, or delete the invisible characters before the first key"
		case r == bom:
			msg = "byte order mark (U+FEFF) inside the file"
			hint = "a BOM may only start a file: delete the invisible character here"
		case !yamlAllows(r):
			msg = fmt.Sprintf("control character %U is not allowed", r)
			hint = "remove it, or write it as an escape in a double-quoted string"
		}
		if msg != "" {
			p.errs = append(p.errs, &Error{File: p.file, Line: line, Col: col, Msg: msg, Hint: hint})
			return false
		}
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
		data = data[size:]
	}
	return true
}

// yamlAllows reports whether r may appear in a YAML file.
func yamlAllows(r rune) bool {
	switch {
	case r == '\t', r == '\n', r == '\r', r == 0x85:
		return true
	case r >= 0x20 && r <= 0x7E, r >= 0xA0 && r <= 0xD7FF:
		return true
	case r >= 0xE000 && r <= 0xFFFD, r >= 0x10000 && r <= 0x10FFFF:
		return true
	}
	return false
}

// topology reads the whole document.
func (p *parser) topology(root *yaml.Node) *Topology {
	t := Defaults()
	if p.file != "" {
		base := filepath.Base(p.file)
		t.Name = strings.TrimSuffix(base, filepath.Ext(base))
	}
	s, ok := p.section(root, "", topKeys, "a topology is a mapping of sections: workload:, app:, and optionally lb:, db:, cache:, offload:, stock:, events:")
	if !ok {
		return t
	}
	s.str("name", &t.Name)
	s.str("description", &t.Description)
	s.seed("seed", &t.Seed)

	if n, ok := s.get("workload"); ok {
		p.workload(n, &t.Workload)
	} else {
		p.fail(nil, "", "e.g. workload: {rate: 100, requests: [{steps: [{cpu: 10ms}]}]}", "missing workload section")
	}
	if n, ok := s.get("app"); ok {
		p.app(n, &t.App)
	} else {
		p.fail(nil, "", "write app: {} for one node with one core and one sync worker", "missing app section")
	}
	if n, ok := s.get("lb"); ok {
		p.lb(n, &t.LB)
	}
	if n, ok := s.get("db"); ok {
		p.db(n, &t.DB)
	}
	if n, ok := s.get("cache"); ok {
		t.Cache = p.cache(n)
	}
	if n, ok := s.get("offload"); ok {
		t.Offload = p.offload(n)
	}
	if n, ok := s.get("stock"); ok {
		t.Stock = p.stock(s.fields["stock"].key, n)
	}
	if n, ok := s.get("autoscale"); ok {
		t.Autoscale = p.autoscale(s.fields["autoscale"].key, n)
	}
	if n, ok := s.get("failures"); ok {
		t.Failures = p.failures(n)
	}
	if n, ok := s.get("events"); ok {
		t.Events = p.events(n, "events")
	}
	return t
}

func (p *parser) workload(n *yaml.Node, w *Workload) {
	s, ok := p.section(n, "workload", workloadKeys, "")
	if !ok {
		return
	}
	if _, ok := s.get("populations"); ok {
		p.populations(s, w) // workload_populations.go
		return
	}
	errs := len(p.errs)
	s.number("rate", &w.Rate)
	s.integer("users", &w.Users)
	s.dist("think", &w.Think)
	// A rate or users written as 0 is refused where it is written: left
	// alone, it would read as not given, and the other one (or nothing)
	// would decide the workload. A shaped workload is saved with rate 0.
	shaped := slices.ContainsFunc(shapeKeys, func(k string) bool { _, ok := s.get(k); return ok })
	if n, ok := s.get("rate"); ok && len(p.errs) == errs && w.Rate == 0 && !shaped {
		p.fail(n, s.sub("rate"), "give requests per second, or leave rate out for a closed workload of users", "must be greater than 0, got 0")
	}
	if n, ok := s.get("users"); ok && len(p.errs) == errs && w.Users == 0 {
		p.fail(n, s.sub("users"), "give the number of users, or leave users out for an open workload at a rate", "must be at least 1, got 0")
	}
	if n, ok := s.get("requests"); ok {
		w.Requests = p.classes(n, s.sub("requests"))
	}
	p.shape(s, w)
}

// classes reads the list of request classes.
func (p *parser) classes(n *yaml.Node, path string) []RequestClass {
	return p.classesFrom(n, path, 0)
}

// classesFrom reads a list of request classes whose first is the
// workload's class first (which numbers the default names).
func (p *parser) classesFrom(n *yaml.Node, path string, first int) []RequestClass {
	v := resolve(n)
	if isNull(v) {
		return nil
	}
	if v.Kind != yaml.SequenceNode {
		p.fail(n, path, "e.g. requests: [{name: page, steps: [{cpu: 10ms}]}]", "expected a list of request classes, got %s", describe(v))
		return nil
	}
	if len(v.Content) > maxClasses {
		p.fail(n, path, "", "%s", tooManyClasses(len(v.Content)))
		return nil
	}
	var out []RequestClass
	for i, item := range v.Content {
		ip := indexPath(path, i)
		p.record(ip, nil, item)
		out = append(out, p.class(item, ip, first+i))
	}
	return out
}

// class reads one request class, the i-th.
func (p *parser) class(n *yaml.Node, path string, i int) RequestClass {
	c := RequestClass{Name: DefaultClassName(i), Share: defaultShare}
	s, ok := p.section(n, path, classKeys, "a request class is a mapping like {name: page, share: 4, steps: [{cpu: 10ms}]}")
	if !ok {
		return c
	}
	s.str("name", &c.Name)
	s.number("share", &c.Share)
	if n, ok := s.get("steps"); ok {
		p.classSteps, p.classPath, p.stepsExceeded = 0, s.sub("steps"), false
		p.classAt = s.fields["steps"].key
		c.Steps = p.steps(n, s.sub("steps"), 0)
	}
	if n, ok := s.get("client"); ok {
		c.Client = p.client(n, s.sub("client"))
	}
	return c
}

// steps reads a list of steps; depth is 0 for a class's own steps and 1
// inside a cache step's miss list.
func (p *parser) steps(n *yaml.Node, path string, depth int) []Step {
	v := resolve(n)
	if isNull(v) {
		return nil
	}
	if v.Kind != yaml.SequenceNode {
		p.fail(n, path, "e.g. steps: [{cpu: 15ms}, {db: exp(5ms)}]", "expected a list of steps, got %s", describe(v))
		return nil
	}
	var out []Step
	for i, item := range v.Content {
		if p.classSteps >= maxStepsPerClass {
			if !p.stepsExceeded {
				p.stepsExceeded = true
				p.fail(p.classAt, p.classPath, "split the class into several classes", "more than %d steps (counting cache miss steps); at most %d are allowed", maxStepsPerClass, maxStepsPerClass)
			}
			break
		}
		if p.totalSteps >= maxTotalSteps {
			if !p.totalExceeded {
				p.totalExceeded = true
				p.fail(p.classAt, "workload.requests", "", "more than %d steps in all request classes; at most %d are allowed", maxTotalSteps, maxTotalSteps)
			}
			break
		}
		p.classSteps++
		p.totalSteps++
		ip := indexPath(path, i)
		p.record(ip, nil, item)
		if st, ok := p.step(item, ip, depth); ok {
			out = append(out, st)
		}
	}
	return out
}

// step reads one step: a mapping with exactly one key.
func (p *parser) step(n *yaml.Node, path string, depth int) (Step, bool) {
	v := resolve(n)
	switch {
	case isNull(v):
		p.fail(n, path, stepHint, "empty step")
		return Step{}, false
	case v.Kind == yaml.ScalarNode && slices.Contains(stepKeys, v.Value):
		example := v.Value + ": 15ms"
		if v.Value == StepCache.String() {
			example = "cache: {}"
		}
		p.fail(n, path, "write - "+example, "a step is a mapping with one key, got %s", describe(v))
		return Step{}, false
	case v.Kind != yaml.MappingNode:
		p.fail(n, path, stepHint, "expected a step, got %s", describe(v))
		return Step{}, false
	case len(v.Content) == 0:
		p.fail(n, path, stepHint, "empty step")
		return Step{}, false
	case len(v.Content) > 2:
		var keys []string
		for i := 0; i < len(v.Content); i += 2 {
			keys = append(keys, resolve(v.Content[i]).Value)
		}
		hint := "split it into steps of their own, one per list item"
		if i := slices.IndexFunc(keys, valueTail); i > 0 {
			// {cpu: pareto(1ms, 1.5)}: the value's head is the first
			// key's value, its tail the key after it
			hint = commaHint(resolve(v.Content[2*i-1]).Value + ", " + keys[i])
		}
		p.fail(n, path, hint, "a step has exactly one key, found %d: %s", len(keys), strings.Join(keys, ", "))
		return Step{}, false
	}
	k, val := resolve(v.Content[0]), v.Content[1]
	if k.Kind != yaml.ScalarNode || k.ShortTag() == "!!merge" {
		p.fail(k, path, stepHint, "expected a step, got %s", describe(v))
		return Step{}, false
	}
	i := slices.Index(stepKeys, k.Value)
	kp := joinPath(path, k.Value)
	if i < 0 {
		p.fail(k, kp, enumHint(k.Value, stepKeys), "unknown step %s", quote(k.Value))
		return Step{}, false
	}
	kind := stepKinds[i]
	p.record(kp, k, val)
	st := Step{Kind: kind}
	if kind != StepCache {
		d, ok := p.dist(entry{k, val}, kp)
		st.Dist = d
		return st, ok
	}
	s, ok := p.section(val, kp, cacheStepKeys, "a cache step takes its time from the cache section; write - cache: {} or - cache: {miss: [{db: 5ms}]}")
	if !ok {
		return st, false
	}
	// A cache step inside a miss list is a Validate error; its own miss
	// list is not read, which also bounds the recursion.
	if miss, ok := s.get("miss"); ok && depth == 0 {
		st.Miss = p.steps(miss, s.sub("miss"), depth+1)
	}
	return st, true
}

func (p *parser) app(n *yaml.Node, a *App) {
	s, ok := p.section(n, "app", appKeys, "")
	if !ok {
		return
	}
	s.integer("nodes", &a.Nodes)
	s.integer("cores", &a.Cores)
	s.integer("workers", &a.Workers)
	if i := s.enum("model", "model", modelNames); i >= 0 {
		a.Model = models[i]
	}
	s.integer("concurrency", &a.Concurrency)
	p.backlog(s, &a.Backlog)
	s.duration("timeout", &a.Timeout)
	s.duration("respawn", &a.Respawn)
	s.size("memory", &a.Memory)
	s.size("worker_memory", &a.WorkerMemory)
	s.size("slot_memory", &a.SlotMemory)
	s.number("speed", &a.Speed)
	s.boolean("gil", &a.GIL)
	s.duration("switch_interval", &a.SwitchInterval)
	p.cpuSched(s, &a.CPU)
}

// backlog reads a whole number from 0 up, or `unlimited`.
func (p *parser) backlog(s section, dst *int) {
	const want = "a whole number or unlimited"
	v, ok := s.scalar("backlog", want)
	if !ok {
		return
	}
	n := s.fields["backlog"].val
	if v.ShortTag() != "!!int" {
		if v.Value == "unlimited" {
			*dst = Unlimited
			return
		}
		p.fail(n, s.sub("backlog"), didYouMean(v.Value, []string{"unlimited"}), "expected %s, got %s", want, describe(v))
		return
	}
	var b int
	if !s.integer("backlog", &b) {
		return
	}
	if b < 0 {
		p.fail(n, s.sub("backlog"), "write unlimited for no limit", "must be 0 or more, or unlimited, got %d", b)
		return
	}
	*dst = b
}

func (p *parser) lb(n *yaml.Node, lb *LB) {
	s, ok := p.section(n, "lb", lbKeys, "")
	if !ok {
		return
	}
	if i := s.enum("policy", "policy", policyNames); i >= 0 {
		lb.Policy = policies[i]
	}
	s.duration("latency", &lb.Latency)
}

func (p *parser) db(n *yaml.Node, db *DB) {
	s, ok := p.section(n, "db", dbKeys, "")
	if !ok {
		return
	}
	s.integer("cores", &db.Cores)
	s.duration("latency", &db.Latency)
	s.integer("replicas", &db.Replicas)
	s.duration("replication_lag", &db.ReplicationLag)
	s.integer("shards", &db.Shards)
	s.integer("rows", &db.Rows)
	s.integer("max_connections", &db.MaxConnections)
	if i := s.enum("connections", "connections policy", connPolicyNames); i >= 0 {
		db.Connections = connPolicies[i]
	}
	p.cpuSched(s, &db.CPU)
	pn, ok := s.get("pool")
	if !ok {
		return
	}
	ps, ok := p.section(pn, "db.pool", poolKeys, "a pool is a mapping like pool: {size: 20}")
	if !ok {
		return
	}
	if _, ok := ps.get("size"); !ok {
		p.fail(s.fields["pool"].key, "db.pool", "size is the server connections the pooler keeps to each database server, e.g. size: 20", "missing size")
		return
	}
	pool := &Pool{}
	ps.integer("size", &pool.Size)
	db.Pool = pool
}

func (p *parser) cache(n *yaml.Node) *Cache {
	c := DefaultCache()
	s, ok := p.section(n, "cache", cacheKeys, "")
	if !ok {
		return c
	}
	enabled := !c.Disabled
	s.boolean("enabled", &enabled)
	c.Disabled = !enabled
	s.dist("latency", &c.Latency)
	s.duration("net_latency", &c.NetLatency)
	hitRatioGiven := s.number("hit_ratio", &c.HitRatio)
	kn, ok := s.get("keys")
	if !ok {
		return c
	}
	ks, ok := p.section(kn, "cache.keys", keySpaceKeys, "")
	if !ok {
		return c
	}
	if _, ok := ks.get("count"); !ok {
		p.fail(s.fields["keys"].key, "cache.keys", "count is the number of distinct keys, e.g. count: 100000", "missing count")
		return c
	}
	var count int
	ks.integer("count", &count)
	k := DefaultKeySpace(count)
	ks.number("zipf", &k.Zipf)
	ks.integer("capacity", &k.Capacity)
	ks.duration("ttl", &k.TTL)
	c.Keys = k
	if !hitRatioGiven {
		c.HitRatio = 0
	}
	return c
}

func (p *parser) offload(n *yaml.Node) *Offload {
	o := DefaultOffload()
	s, ok := p.section(n, "offload", offloadKeys, "")
	if !ok {
		return o
	}
	s.integer("nodes", &o.Nodes)
	s.integer("cores", &o.Cores)
	if i := s.enum("policy", "policy", policyNames); i >= 0 {
		o.Policy = policies[i]
	}
	s.number("speed", &o.Speed)
	s.duration("latency", &o.Latency)
	return o
}

// stock reads the stock section; key is its key in the file, where a
// missing quantity is reported.
func (p *parser) stock(key, n *yaml.Node) *Stock {
	st := DefaultStock(0)
	s, ok := p.section(n, "stock", stockKeys, "")
	if !ok {
		return st
	}
	if _, ok := s.get("quantity"); !ok {
		p.fail(key, "stock", "quantity is the units of each item on sale, e.g. quantity: 1000", "missing quantity")
		return st
	}
	s.integer("items", &st.Items)
	s.integer("quantity", &st.Quantity)
	if i := s.enum("strategy", "strategy", strategyNames); i >= 0 {
		st.Strategy = strategies[i]
	}
	s.dist("query", &st.Query)
	s.integer("retries", &st.Retries)
	s.integer("consumers", &st.Consumers)
	return st
}
