package story

import (
	"errors"
	"fmt"

	"gopkg.in/yaml.v3"

	"scalesim/topology"
)

// walk checks each step's changes against the topology in force when it
// starts (the story's, with every earlier step's changes), and each
// claim's measure against the topology it measures: a change to a field
// or node that does not exist, or a claim about a cache the topology
// has not, is reported where the story writes it.
func (r *reader) walk(st *Story, raw []rawStep) {
	cur := st.Topology
	for k, s := range raw {
		p := stepPath(k)
		if len(r.errs) > 0 {
			// later steps build on a topology this one did not make
			r.fail(raw[k].at, p, "fix the errors above first", "not checked against the topology: an earlier step's changes were refused")
			return
		}
		for i, c := range s.changes {
			next, msg, hint := step(cur, c)
			if msg != "" {
				r.fail(s.changeAt[i], p+".changes", hint, "%s", msg)
				continue
			}
			cur = next
		}
		for _, c := range s.expect {
			if msg, hint := measurable(cur, c.Measure); msg != "" {
				r.fail(nodeAt(c.Line, c.Col), p+".expect."+c.Measure, hint, "%s", msg)
			}
		}
	}
	if len(r.errs) > 0 {
		return
	}
	// the topology's own timeline interleaved with the story's
	t := st.Timeline(len(st.Steps)-1, nil)
	if err := t.Validate(); err != nil {
		r.fail(nil, "", "the story's changes run as events: after the topology's own", "with the story's changes: %v", err)
	}
}

// step applies c to cur as the timeline would, or says what is wrong.
func step(cur *topology.Topology, c topology.Change) (*topology.Topology, string, string) {
	switch c.Action {
	case topology.ActSet:
		next, err := cur.With(c)
		if err != nil {
			var ce *topology.ChangeError
			if errors.As(err, &ce) && len(ce.Errs) > 0 {
				hint := ce.Errs[0].Hint
				y := *ce.Errs[0]
				y.Hint = ""
				msg := (&topology.ChangeError{Change: ce.Change, Errs: topology.Errors{&y}}).Error()
				if n := len(ce.Errs) - 1; n > 0 {
					msg += fmt.Sprintf(" (and %d more)", n)
				}
				return nil, msg, hint
			}
			return nil, err.Error(), ""
		}
		return next, "", ""
	case topology.ActNodeDown, topology.ActNodeUp:
		if c.Node > cur.App.Nodes {
			return nil, fmt.Sprintf("no app node %d: app.nodes is %d then", c.Node, cur.App.Nodes), "nodes count from 1"
		}
	case topology.ActCacheFlush, topology.ActCacheStop, topology.ActCacheStart:
		if cur.Cache == nil {
			return nil, "no cache at this step", "add a cache: section first, e.g. set: {cache: {enabled: true}}"
		}
	case topology.ActPrimaryDown, topology.ActPrimaryUp:
		if c.Shard() >= cur.DB.Shards {
			return nil, fmt.Sprintf("no shard %d: db.shards is %d then", c.Shard()+1, cur.DB.Shards), "shards count from 1"
		}
	case topology.ActSlow:
		if c.Tier == "cache" && cur.Cache == nil || c.Tier == "offload" && cur.Offload == nil {
			return nil, "no " + c.Tier + " to slow at this step", ""
		}
	case topology.ActReconcile:
		if cur.Stock == nil {
			return nil, "no stock to reconcile at this step", "add a stock: section first"
		}
	}
	return cur, "", ""
}

// measurable says what is wrong with a claim about measure on t.
func measurable(t *topology.Topology, measure string) (string, string) {
	switch measure {
	case "oversold", "sales":
		if t.Stock == nil {
			return "no stock to sell at this step", "claim oversold and sales of a topology with a stock: section"
		}
	case "hit_ratio":
		if t.Cache == nil || !t.Uses(topology.StepCache) {
			return "no cache lookups at this step", "the workload needs a cache: step and the topology a cache: section"
		}
	case "offload_util":
		if t.Offload == nil || !t.Uses(topology.StepOffload) {
			return "no offload service at this step", "the workload needs an offload: step and the topology an offload: section"
		}
	case "db_util":
		if !t.Uses(topology.StepDB, topology.StepRead, topology.StepWrite, topology.StepBuy, topology.StepCache) {
			return "no database queries at this step", ""
		}
	}
	return "", ""
}

// nodeAt is a position for an error.
func nodeAt(line, col int) *yaml.Node { return &yaml.Node{Line: line, Column: col} }
