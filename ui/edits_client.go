package ui

import (
	"errors"

	"scalesim/topology"
)

var errNoRetries = errors.New("no request class retries: a budget limits retries (client.retry in the file)")

// retries reports whether any request class has a retry policy.
func retries(t *topology.Topology) bool {
	for i := range t.Workload.Requests {
		if c := t.Workload.Requests[i].Client; c != nil && c.Retry != nil {
			return true
		}
	}
	return false
}

// editBudget switches the retry budget of every class that retries: on
// (gRPC's example, 10 tokens, 0.1 back per answer) when none has one,
// else off.
func editBudget(t *topology.Topology) (string, error) {
	if !retries(t) {
		return "", errNoRetries
	}
	on := false
	for i := range t.Workload.Requests {
		if c := t.Workload.Requests[i].Client; c != nil && c.Budget != nil {
			on = true
		}
	}
	for i := range t.Workload.Requests {
		c := t.Workload.Requests[i].Client
		switch {
		case c == nil || c.Retry == nil:
		case on:
			c.Budget = nil
		default:
			c.Budget = topology.DefaultBudget()
		}
	}
	if on {
		return "retry budget off: clients retry every failure, however many fail", nil
	}
	return "retry budget on: a failure takes one of 10 tokens, an answer gives 0.1 back; no retries at 5 or fewer", nil
}
