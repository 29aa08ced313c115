package sim

import (
	"fmt"

	"scalesim/topology"
)

// opKind is one instruction of a request class's program.
type opKind uint8

const (
	opCPU opKind = iota
	opIO
	opDB
	opCacheGet
	opCacheSet
	opOffload
	opRead
	opWrite
	opBuy
	opNoGIL // CPU outside the GIL (gil.go)
)

// op is one instruction: a step with its sampler.
type op struct {
	kind opKind
	s    sampler
	// hit is, for opCacheGet, where a hit continues: past the miss steps
	// and their cache set.
	hit int32
}

// program is a request class's steps flattened: a cache step becomes a
// get, its miss steps, and a set; a hit jumps over the rest.
type program struct {
	name string
	ops  []op
}

// compile flattens class c's steps. Each step draws from its own stream,
// named by class and position, so that editing one step leaves the
// others' draws alone.
func (s *Sim) compile(c *topology.RequestClass, ci int) program {
	p := program{name: c.Name}
	var emit func(steps []topology.Step, path string)
	emit = func(steps []topology.Step, path string) {
		for i, st := range steps {
			name := fmt.Sprintf("step/%d:%s/%s%d", ci, c.Name, path, i)
			rng := s.newStream(name)
			switch st.Kind {
			case topology.StepCPU:
				p.ops = append(p.ops, op{kind: opCPU, s: newSampler(st.Dist, s.topo.App.Speed, rng)})
			case topology.StepNoGIL:
				p.ops = append(p.ops, op{kind: opNoGIL, s: newSampler(st.Dist, s.topo.App.Speed, rng)})
			case topology.StepIO:
				p.ops = append(p.ops, op{kind: opIO, s: newSampler(st.Dist, 1, rng)})
			case topology.StepDB:
				p.ops = append(p.ops, op{kind: opDB, s: newSampler(st.Dist, 1, rng)})
			case topology.StepRead:
				p.ops = append(p.ops, op{kind: opRead, s: newSampler(st.Dist, 1, rng)})
			case topology.StepWrite:
				p.ops = append(p.ops, op{kind: opWrite, s: newSampler(st.Dist, 1, rng)})
			case topology.StepBuy:
				// the app code between reading and writing the stock
				p.ops = append(p.ops, op{kind: opBuy, s: newSampler(st.Dist, s.topo.App.Speed, rng)})
				s.buys = true
			case topology.StepOffload:
				speed := 1.0
				if s.topo.Offload != nil {
					speed = s.topo.Offload.Speed
				}
				p.ops = append(p.ops, op{kind: opOffload, s: newSampler(st.Dist, speed, rng)})
			case topology.StepCache:
				get := len(p.ops)
				p.ops = append(p.ops, op{kind: opCacheGet})
				emit(st.Miss, fmt.Sprintf("%s%d/miss/", path, i))
				p.ops = append(p.ops, op{kind: opCacheSet})
				p.ops[get].hit = int32(len(p.ops))
			}
		}
	}
	emit(c.Steps, "")
	return p
}
