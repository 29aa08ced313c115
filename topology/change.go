package topology

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Action is what a Change does.
type Action int

const (
	// ActSet sets one field the file can set (Path) to a new value (Value).
	ActSet Action = iota
	// ActNodeDown crashes app node Node (1-based): its requests fail.
	ActNodeDown
	// ActNodeUp brings app node Node back with fresh workers.
	ActNodeUp
	// ActCacheFlush empties the cache, as FLUSHALL or a restart would.
	ActCacheFlush
	// ActCacheStop takes the cache server down: every read is a miss.
	ActCacheStop
	// ActCacheStart brings the cache server back, empty.
	ActCacheStart
	// ActPrimaryDown stops the primary of shard Node (1-based; 0 means
	// 1); a replica is promoted after Failover (0: it stays down until
	// ActPrimaryUp).
	ActPrimaryDown
	// ActPrimaryUp brings shard Node's primary back.
	ActPrimaryUp
	// ActSlow multiplies the service times of Tier by Factor (1 restores).
	ActSlow
	// ActSay shows Text as a caption.
	ActSay
	// ActReconcile sets the stock counters to what is really left.
	ActReconcile
)

// actionNames are the actions' names, in Action order, as Change.String
// and error messages spell them.
var actionNames = []string{"set", "node down", "node up", "cache flush", "cache stop", "cache start",
	"primary down", "primary up", "slow", "say", "stock reconcile"}

// String names the action.
func (a Action) String() string {
	if a < 0 || int(a) >= len(actionNames) {
		return "action(" + strconv.Itoa(int(a)) + ")"
	}
	return actionNames[a]
}

// Tiers are the tiers an ActSlow change can slow down.
var Tiers = []string{"app", "db", "cache", "offload"}

// Sources of changes, as Change.Source names them.
const (
	SourceKey        = "key"
	SourceTimeline   = "timeline"
	SourceAutoscaler = "autoscaler"
	SourceFailure    = "failure"
	SourceStory      = "story"
)

// Change is one change to a running simulation, as plain data: a key
// pressed, a timeline event, a decision of the autoscaler, a failure. It
// is written to YAML and read back with the same syntax as an entry of a
// file's events: section (without at: and for:).
type Change struct {
	Action Action
	// Path is the field ActSet sets, as a file spells it: app.workers,
	// workload.rate, workload.requests[0].steps[1].cpu, or a request
	// class by name: workload.requests[checkout].share. An empty Path
	// replaces the whole topology (Diff's last resort).
	Path string
	// Value is the field's new value as YAML text: 8, exp(20ms),
	// {size: 20}; null removes the key, so the file's default applies.
	Value string
	// Node is the app node (1-based) of ActNodeDown and ActNodeUp, and
	// the shard (1-based, 0 for 1) of ActPrimaryDown and ActPrimaryUp.
	Node int
	// Tier is the tier ActSlow slows: app, db, cache or offload.
	Tier string
	// Factor multiplies the tier's service times; 1 restores them.
	Factor float64
	// Failover is how long after ActPrimaryDown a replica is promoted (0:
	// the primary stays down until ActPrimaryUp).
	Failover time.Duration
	// Text is ActSay's caption; an empty Text clears the caption, only
	// while it still says Value when Value is set (the inverse of a say:
	// with for: leaves a later caption alone).
	Text string
	// Source says who made the change: key, timeline, autoscaler,
	// failure, ...
	Source string
}

// Event is an entry of a file's timeline: changes applied together at
// simulated time At. For > 0 undoes them at At+For (see Inverse).
type Event struct {
	At, For time.Duration
	Changes []Change
}

// String says what c does, in a few words: "app.workers = 8",
// "node 2 down", "db 3x slower", "say: the sale opens".
func (c Change) String() string {
	switch c.Action {
	case ActSet:
		return c.Path + " = " + c.Value
	case ActNodeDown:
		return fmt.Sprintf("node %d down", c.Node)
	case ActNodeUp:
		return fmt.Sprintf("node %d up", c.Node)
	case ActPrimaryDown:
		s := "db primary down"
		if c.Node > 1 {
			s = fmt.Sprintf("db primary of shard %d down", c.Node)
		}
		if c.Failover > 0 {
			s += ", failover in " + FormatDuration(c.Failover)
		}
		return s
	case ActPrimaryUp:
		if c.Node > 1 {
			return fmt.Sprintf("db primary of shard %d back", c.Node)
		}
		return "db primary back"
	case ActSlow:
		if c.Factor == 1 {
			return c.Tier + " at normal speed"
		}
		return c.Tier + " " + formatFloat(c.Factor) + "x slower"
	case ActSay:
		return "say: " + c.Text
	}
	return c.Action.String()
}

// Shard is the 0-based shard of a primary change.
func (c Change) Shard() int { return max(c.Node, 1) - 1 }

// Inverse returns the change that undoes c, as an event's for: applies
// it, given the topology in force just before c: the field's old value,
// the node back up, the cache started, the tier at normal speed, the
// caption cleared (an ActSay with no text). ok is false for changes that
// cannot be undone (a flush, a stock reconcile).
func (c Change) Inverse(before *Topology) (inv Change, ok bool, err error) {
	inv = Change{Action: c.Action, Node: c.Node, Tier: c.Tier, Source: c.Source}
	switch c.Action {
	case ActSet:
		old, err := before.Get(c.Path)
		if err != nil {
			return Change{}, false, err
		}
		inv.Path, inv.Value = c.Path, old
	case ActNodeDown:
		inv.Action = ActNodeUp
	case ActNodeUp:
		inv.Action = ActNodeDown
	case ActCacheStop:
		inv.Action = ActCacheStart
	case ActCacheStart:
		inv.Action = ActCacheStop
	case ActPrimaryDown:
		inv.Action = ActPrimaryUp
	case ActPrimaryUp:
		inv.Action = ActPrimaryDown
	case ActSlow:
		inv.Factor = 1
	case ActSay:
		inv.Value = c.Text // the caption it clears, if still shown
	default:
		return Change{}, false, nil
	}
	return inv, true, nil
}

// Check reports what is wrong with c on its own, whatever the topology:
// an unknown action or tier, a factor out of range, a negative node.
// Whether the node, field or cache exists is for With and the engine.
func (c Change) Check() *Error {
	switch c.Action {
	case ActSet:
		if c.Path == "" {
			return &Error{Msg: "a set change needs a field", Hint: "e.g. app.workers"}
		}
	case ActNodeDown, ActNodeUp:
		if c.Node < 1 || c.Node > maxNodes {
			return &Error{Msg: fmt.Sprintf("no app node %d", c.Node), Hint: "app nodes count from 1"}
		}
	case ActPrimaryDown, ActPrimaryUp:
		if c.Node < 0 || c.Node > maxShards {
			return &Error{Msg: fmt.Sprintf("no shard %d", c.Node), Hint: "shards count from 1"}
		}
		if c.Failover < 0 {
			return &Error{Msg: "failover must not be negative, got " + FormatDuration(c.Failover)}
		}
	case ActSlow:
		if !contains(Tiers, c.Tier) {
			return &Error{Msg: fmt.Sprintf("unknown tier %s", quote(c.Tier)), Hint: enumHint(c.Tier, Tiers)}
		}
		if !(c.Factor > 0 && c.Factor <= maxFactor) {
			return &Error{Msg: fmt.Sprintf("the factor must be greater than 0 and at most %d, got %s", maxFactor, formatFloat(c.Factor)),
				Hint: "2 makes every service time of the tier twice as long; 1 restores it"}
		}
	case ActSay:
		if strings.ContainsAny(c.Text, "\n\r") {
			return &Error{Msg: "a caption is one line", Hint: "split it into several say: events"}
		}
		if len(c.Text) > maxCaption {
			return &Error{Msg: fmt.Sprintf("a caption of %d bytes; at most %d are allowed", len(c.Text), maxCaption)}
		}
	case ActCacheFlush, ActCacheStop, ActCacheStart, ActReconcile:
	default:
		return &Error{Msg: fmt.Sprintf("unknown action %d", int(c.Action))}
	}
	return nil
}

// Limits of changes: a slow-down factor (service times beyond it are
// an outage, better written as a node or primary down), a caption's length
// and the entries of a timeline.
const (
	maxFactor  = 1000
	maxCaption = 200
	maxEvents  = 1000
)

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
