package topology

// Clone returns a deep copy of t, sharing nothing with it: edit the copy,
// Validate it, then swap it in. Nil and empty slices stay as they are.
func (t *Topology) Clone() *Topology {
	if t == nil {
		return nil
	}
	c := *t
	if t.Workload.Requests != nil {
		c.Workload.Requests = make([]RequestClass, len(t.Workload.Requests))
		for i, rc := range t.Workload.Requests {
			rc.Steps = cloneSteps(rc.Steps)
			rc.Client = rc.Client.Clone()
			c.Workload.Requests[i] = rc
		}
	}
	if t.Cache != nil {
		cache := *t.Cache
		if t.Cache.Keys != nil {
			keys := *t.Cache.Keys
			cache.Keys = &keys
		}
		c.Cache = &cache
	}
	if t.Offload != nil {
		offload := *t.Offload
		c.Offload = &offload
	}
	if t.DB.Pool != nil {
		pool := *t.DB.Pool
		c.DB.Pool = &pool
	}
	if t.Stock != nil {
		stock := *t.Stock
		c.Stock = &stock
	}
	if t.Autoscale != nil {
		a := *t.Autoscale
		c.Autoscale = &a
	}
	c.Workload.Stages = cloneStages(t.Workload.Stages)
	if t.Workload.Populations != nil {
		c.Workload.Populations = append([]Population{}, t.Workload.Populations...)
	}
	c.Failures = t.Failures.clone()
	if t.Events != nil {
		c.Events = make([]Event, len(t.Events))
		for i, e := range t.Events {
			e.Changes = append([]Change(nil), e.Changes...)
			c.Events[i] = e
		}
	}
	return &c
}

func cloneSteps(steps []Step) []Step {
	if steps == nil {
		return nil
	}
	out := make([]Step, len(steps))
	for i, s := range steps {
		s.Miss = cloneSteps(s.Miss)
		out[i] = s
	}
	return out
}
