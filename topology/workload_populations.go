package topology

import (
	"strconv"

	"gopkg.in/yaml.v3"
)

// Population is one group of users of a closed workload, with its own
// size, think time and request classes: shoppers who browse and think
// for seconds, API clients that send again at once. A workload written
// with populations holds them in Workload.Populations, and keeps the
// figures the rest of scalesim reads in one place: Workload.Users is the
// populations' total, Workload.Requests every population's classes in
// order (population 0's first), so that class names are unique over the
// workload.
type Population struct {
	Name  string
	Users int
	// Think is the time each of its users thinks between an answer and
	// its next request.
	Think Dist
	// Classes is how many of Workload.Requests, counted on from the
	// previous population's, are this population's.
	Classes int
}

// MaxPopulations is how many populations a workload may have: a user is
// numbered by its population and its place in it (sim keeps a user as
// one int32), and each population is a few hundred bytes of state.
const MaxPopulations = 64

var populationKeys = []string{"name", "users", "think", "requests"}

// ClassRange returns the indexes [lo, hi) in Workload.Requests of
// population p's classes.
func (w *Workload) ClassRange(p int) (lo, hi int) {
	for i := 0; i < p; i++ {
		lo += w.Populations[i].Classes
	}
	return lo, lo + w.Populations[p].Classes
}

// PopulationOf returns the population whose class is Requests[ci], or -1
// when the workload has no populations.
func (w *Workload) PopulationOf(ci int) int {
	for p := range w.Populations {
		if lo, hi := w.ClassRange(p); ci >= lo && ci < hi {
			return p
		}
	}
	return -1
}

// ClassPath is the path of Requests[ci] as a file writes it:
// workload.requests[ci], or workload.populations[p].requests[j].
func (w *Workload) ClassPath(ci int) string {
	if p := w.PopulationOf(ci); p >= 0 {
		lo, _ := w.ClassRange(p)
		return indexPath(indexPath("workload.populations", p)+".requests", ci-lo)
	}
	return indexPath("workload.requests", ci)
}

// SyncPopulations sets Users to the populations' total, after a change
// of their sizes.
func (w *Workload) SyncPopulations() {
	if len(w.Populations) == 0 {
		return
	}
	w.Users = 0
	for _, p := range w.Populations {
		w.Users += max(p.Users, 0)
	}
}

// populations reads workload.populations; the workload's own users,
// think, rate, requests and load shapes must then be absent.
func (p *parser) populations(s section, w *Workload) {
	n, ok := s.get("populations")
	if !ok {
		return
	}
	for _, k := range append([]string{"rate", "users", "think", "requests"}, shapeKeys...) {
		if e, given := s.fields[k]; given {
			p.fail(e.key, s.sub(k), "with populations, each population has its own users, think and requests; a closed workload's load shape is not supported with them",
				"%s cannot be set beside populations", k)
		}
	}
	path := s.sub("populations")
	v := resolve(n)
	switch {
	case isNull(v):
		p.fail(n, path, "e.g. populations: [{name: shoppers, users: 200, think: exp(5s), requests: [{steps: [{cpu: 10ms}]}]}]", "at least one population is needed")
		return
	case v.Kind != yaml.SequenceNode:
		p.fail(n, path, "e.g. populations: [{name: shoppers, users: 200, think: exp(5s), requests: [{steps: [{cpu: 10ms}]}]}]", "expected a list of populations, got %s", describe(v))
		return
	case len(v.Content) > MaxPopulations:
		p.fail(n, path, "", "%d populations; at most %d are allowed", len(v.Content), MaxPopulations)
		return
	}
	w.Populations = []Population{}
	for i, item := range v.Content {
		ip := indexPath(path, i)
		p.record(ip, nil, item)
		pop := Population{Name: DefaultPopulationName(i)}
		ps, ok := p.section(item, ip, populationKeys, "a population is a mapping like {name: shoppers, users: 200, think: exp(5s), requests: [...]}")
		if ok {
			ps.str("name", &pop.Name)
			ps.integer("users", &pop.Users)
			ps.dist("think", &pop.Think)
			if rn, ok := ps.get("requests"); ok {
				classes := p.classesFrom(rn, ps.sub("requests"), len(w.Requests))
				pop.Classes = len(classes)
				w.Requests = append(w.Requests, classes...)
			}
		}
		w.Populations = append(w.Populations, pop)
	}
	w.SyncPopulations()
}

// DefaultPopulationName is the name of population i when the file gives
// none.
func DefaultPopulationName(i int) string { return "population" + strconv.Itoa(i+1) }

// populations checks the populations and that the workload's
// totals agree with them.
func (v *validator) populations() {
	w := &v.t.Workload
	if w.Populations == nil {
		return
	}
	const path = "workload.populations"
	hint := "e.g. populations: [{name: shoppers, users: 200, think: exp(5s), requests: [{steps: [{cpu: 10ms}]}]}]"
	switch {
	case len(w.Populations) == 0:
		v.add(path, hint, "at least one population is needed")
		return
	case len(w.Populations) > MaxPopulations:
		v.add(path, "", "%d populations; at most %d are allowed", len(w.Populations), MaxPopulations)
		return
	}
	if w.Rate != 0 {
		v.add("workload.rate", "remove rate: a population is a closed workload of users", "populations are closed workloads; an open rate cannot be set beside them")
	}
	if len(w.Stages) > 0 {
		v.add("workload.stages", "remove the load shape, or change the populations' users with events", "a load shape is not supported with populations")
	}
	if !w.Think.IsZero() {
		v.add("workload.think", "set think on each population", "with populations, each population has its own think time")
	}
	names := map[string]int{}
	users, classes := 0, 0
	for i, pop := range w.Populations {
		pp := indexPath(path, i)
		switch j, dup := names[pop.Name]; {
		case pop.Name == "":
			v.add(pp+".name", "", "must not be empty")
		case dup:
			v.add(pp+".name", "give each population its own name", "%s is already the name of %s", quote(pop.Name), indexPath(path, j))
		default:
			names[pop.Name] = i
			v.text(pp+".name", pop.Name)
		}
		v.between(pp+".users", pop.Users, 0, maxUsers)
		users += max(pop.Users, 0)
		v.dist(pp+".think", pop.Think)
		if pop.Classes < 1 {
			v.add(pp+".requests", "e.g. requests: [{steps: [{cpu: 10ms}]}]", "a population needs at least one request class")
		}
		classes += max(pop.Classes, 0)
	}
	if classes != len(w.Requests) {
		v.add(path, "", "the populations have %d request classes and the workload %d", classes, len(w.Requests))
	}
	switch {
	case users == 0:
		v.add(path, "give at least one population users", "the populations have no users")
	case users > maxUsers:
		v.add(path, "", "%d users in all populations; at most %d are allowed", users, maxUsers)
	case users != w.Users:
		v.add("workload.users", "call Workload.SyncPopulations after changing a population's users", "is %d, but the populations have %d users", w.Users, users)
	}
}

// populationsNode writes the populations with their classes.
func (m *marshaler) populationsNode(w Workload) *yaml.Node {
	list := &yaml.Node{Kind: yaml.SequenceNode}
	lo := 0
	for _, pop := range w.Populations {
		hi := min(lo+max(pop.Classes, 0), len(w.Requests))
		list.Content = append(list.Content, yamlMap(
			"name", yamlText(pop.Name),
			"users", yamlInt(pop.Users),
			"think", m.dist(pop.Think),
			"requests", m.classes(w.Requests[lo:hi]),
		))
		lo = hi
	}
	return yamlMap("populations", list)
}
