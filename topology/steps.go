package topology

import "slices"

// Uses reports whether any request class has a step of one of kinds, in
// its steps or its cache-miss steps.
func (t *Topology) Uses(kinds ...StepKind) bool {
	for i := range t.Workload.Requests {
		if t.Workload.Requests[i].Uses(kinds...) {
			return true
		}
	}
	return false
}

// Uses reports whether the class has a step of one of kinds, in its steps
// or its cache-miss steps.
func (c *RequestClass) Uses(kinds ...StepKind) bool { return stepsUse(c.Steps, kinds) }

func stepsUse(steps []Step, kinds []StepKind) bool {
	for _, s := range steps {
		if slices.Contains(kinds, s.Kind) || stepsUse(s.Miss, kinds) {
			return true
		}
	}
	return false
}
