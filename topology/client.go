package topology

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Client is how the clients of one request class behave: how long they
// wait for an answer and whether they try again. A class without one
// (Client nil) waits as long as it takes and never retries.
//
// A logical request is what a client asks for; each trip of it through
// the load balancer is an attempt. A retry is a new attempt of the same
// logical request.
type Client struct {
	// Timeout is how long the client waits for each attempt's answer
	// (a per-attempt timeout, like an HTTP client's read timeout); 0
	// waits forever. A client that gives up does not stop the server:
	// the attempt runs to its end and its work is wasted.
	Timeout time.Duration
	// Retry is the retry policy; nil for none.
	Retry *Retry
	// Budget, when set, limits retries with a token bucket; it needs
	// Retry.
	Budget *Budget
}

// Retry is a retry policy with capped exponential backoff: the n-th
// retry waits min(MaxBackoff, Backoff × Multiplier^(n-1)), or with full
// jitter a uniform random time between 0 and that (gRPC's retry policy;
// the AWS SDKs' "full jitter").
type Retry struct {
	// Attempts is the most attempts of one logical request, the first
	// included (gRPC's maxAttempts): 1 never retries.
	Attempts   int
	Backoff    time.Duration // before the first retry
	Multiplier float64       // each further retry's backoff × this
	MaxBackoff time.Duration // the cap
	Jitter     Jitter
	// On are the outcomes of an attempt that are retried.
	On RetryOn
}

// Jitter is how a retry's backoff is randomised.
type Jitter int

const (
	// FullJitter waits a uniform random time between 0 and the backoff.
	FullJitter Jitter = iota
	// NoJitter waits exactly the backoff.
	NoJitter
)

// String returns the jitter's name in a file.
func (j Jitter) String() string {
	switch j {
	case FullJitter:
		return "full"
	case NoJitter:
		return "none"
	}
	return "unknown"
}

// RetryOn is a set of attempt outcomes.
type RetryOn uint8

const (
	// OnTimeout retries an attempt the client stopped waiting for.
	OnTimeout RetryOn = 1 << iota
	// OnDropped retries an attempt refused at the door (503: a full
	// backlog).
	OnDropped
	// OnFailed retries an attempt that failed (5xx: harakiri, a node
	// down, no node up, a refused database connection, a buyer out of
	// retries).
	OnFailed
)

// retryOnNames are the outcomes as files write them, in file order.
var retryOnNames = []string{"timeout", "dropped", "failed"}

// Names lists the outcomes in the set, in file order.
func (o RetryOn) Names() []string {
	var out []string
	for i, name := range retryOnNames {
		if o&(1<<i) != 0 {
			out = append(out, name)
		}
	}
	return out
}

// Budget is gRPC's retry throttling: a token bucket of Tokens tokens,
// full at the start. Every attempt whose outcome the policy retries
// takes one token (down to 0); every answered attempt adds Ratio (up to
// Tokens). A retry is sent only while more than half the tokens are
// left, so that when most attempts fail the clients stop retrying and
// send each request once.
type Budget struct {
	Tokens float64 // gRPC's maxTokens
	Ratio  float64 // gRPC's tokenRatio
}

// DefaultRetry is the retry policy a file's `retry: {}` gives.
func DefaultRetry() *Retry {
	return &Retry{
		Attempts: 3, Backoff: 100 * time.Millisecond, Multiplier: 2, MaxBackoff: 5 * time.Second,
		Jitter: FullJitter, On: OnTimeout | OnDropped | OnFailed,
	}
}

// DefaultBudget is the budget a file's `budget: {}` gives: the example
// of gRPC's documentation.
func DefaultBudget() *Budget { return &Budget{Tokens: 10, Ratio: 0.1} }

// Limits of a client policy: gRPC caps maxTokens at 1000 and tokenRatio
// at 1; more attempts than maxAttempts only make a bigger storm.
const (
	maxAttempts     = 10
	maxBudgetTokens = 1000
	maxMultiplier   = 100
)

var (
	clientKeys = []string{"timeout", "retry", "budget"}
	retryKeys  = []string{"attempts", "backoff", "multiplier", "max_backoff", "jitter", "on"}
	budgetKeys = []string{"tokens", "ratio"}
	jitters    = []Jitter{FullJitter, NoJitter}
)

const clientHint = "a client is a mapping like client: {timeout: 1s, retry: {attempts: 3}, budget: {tokens: 10, ratio: 0.1}}"

// client reads a request class's client section.
func (p *parser) client(n *yaml.Node, path string) *Client {
	c := &Client{}
	s, ok := p.section(n, path, clientKeys, clientHint)
	if !ok {
		return c
	}
	s.duration("timeout", &c.Timeout)
	if rn, ok := s.get("retry"); ok {
		c.Retry = p.retry(rn, s.sub("retry"))
	}
	if bn, ok := s.get("budget"); ok {
		b := DefaultBudget()
		if bs, ok := p.section(bn, s.sub("budget"), budgetKeys, "a budget is a mapping like budget: {tokens: 10, ratio: 0.1}"); ok {
			bs.number("tokens", &b.Tokens)
			bs.number("ratio", &b.Ratio)
		}
		c.Budget = b
	}
	return c
}

func (p *parser) retry(n *yaml.Node, path string) *Retry {
	r := DefaultRetry()
	s, ok := p.section(n, path, retryKeys, "a retry policy is a mapping like retry: {attempts: 3, backoff: 100ms, multiplier: 2, max_backoff: 5s}")
	if !ok {
		return r
	}
	s.integer("attempts", &r.Attempts)
	s.duration("backoff", &r.Backoff)
	s.number("multiplier", &r.Multiplier)
	s.duration("max_backoff", &r.MaxBackoff)
	if i := s.enum("jitter", "jitter", names(jitters)); i >= 0 {
		r.Jitter = jitters[i]
	}
	if on, ok := s.get("on"); ok {
		r.On = p.retryOn(on, s.sub("on"))
	}
	return r
}

// retryOn reads a list of outcomes: [timeout, dropped, failed].
func (p *parser) retryOn(n *yaml.Node, path string) RetryOn {
	const hint = "e.g. on: [timeout, dropped, failed]; write on: [] to retry nothing"
	v := resolve(n)
	if isNull(v) {
		return 0
	}
	if v.Kind != yaml.SequenceNode {
		p.fail(n, path, hint, "expected a list of outcomes, got %s", describe(v))
		return 0
	}
	var on RetryOn
	for _, item := range v.Content {
		it := resolve(item)
		if it == nil || it.Kind != yaml.ScalarNode || isNull(it) {
			p.fail(item, path, hint, "expected an outcome, got %s", describe(it))
			continue
		}
		i := slices.Index(retryOnNames, it.Value)
		if i < 0 {
			p.fail(item, path, enumHint(it.Value, retryOnNames), "unknown outcome %s", quote(it.Value))
			continue
		}
		if on&(1<<i) != 0 {
			p.fail(item, path, "list each outcome once", "%s is listed twice", it.Value)
			continue
		}
		on |= 1 << i
	}
	return on
}

// client checks class i's client section, at path.
func (v *validator) client(path string, c *Client) {
	if c == nil {
		return
	}
	v.nonNegative(path+".timeout", c.Timeout)
	if c.Timeout > 0 && c.Timeout < time.Microsecond {
		v.add(path+".timeout", "", "must be 0 (wait forever) or at least 1µs, got %s", FormatDuration(c.Timeout))
	}
	if r := c.Retry; r != nil {
		rp := path + ".retry"
		v.between(rp+".attempts", r.Attempts, 1, maxAttempts)
		v.nonNegative(rp+".backoff", r.Backoff)
		v.nonNegative(rp+".max_backoff", r.MaxBackoff)
		if !(r.Multiplier >= 1 && r.Multiplier <= maxMultiplier) {
			v.add(rp+".multiplier", "1 keeps the backoff constant, 2 doubles it each retry", "must be between 1 and %d, got %s", maxMultiplier, formatFloat(r.Multiplier))
		}
		if r.MaxBackoff < r.Backoff {
			v.add(rp+".max_backoff", "max_backoff caps the backoff, so it is at least backoff", "%s is less than backoff %s", FormatDuration(r.MaxBackoff), FormatDuration(r.Backoff))
		}
		if r.Jitter != FullJitter && r.Jitter != NoJitter {
			v.add(rp+".jitter", "", "unknown jitter %d", int(r.Jitter))
		}
		if r.On&^(OnTimeout|OnDropped|OnFailed) != 0 {
			v.add(rp+".on", "", "unknown outcomes %#x", int(r.On))
		}
		if r.On&OnTimeout != 0 && r.On == OnTimeout && c.Timeout == 0 {
			v.add(rp+".on", "set client.timeout, or retry dropped and failed attempts", "retries only timeouts, but the client has no timeout")
		}
	}
	if b := c.Budget; b != nil {
		bp := path + ".budget"
		if c.Retry == nil {
			v.add(bp, "add retry: {attempts: 3}, or remove the budget", "a budget limits retries, but the class has no retry policy")
		}
		if !(b.Tokens > 0 && b.Tokens <= maxBudgetTokens) {
			v.add(bp+".tokens", "", "must be greater than 0 and at most %d, got %s", maxBudgetTokens, formatFloat(b.Tokens))
		}
		if !(b.Ratio > 0 && b.Ratio <= 1) {
			v.add(bp+".ratio", "a success gives back this fraction of a token: 0.1 lets one retry through per ten successes", "must be greater than 0 and at most 1, got %s", formatFloat(b.Ratio))
		}
	}
}

// client writes a class's client section; every field explicit.
func (m *marshaler) client(c *Client) *yaml.Node {
	n := yamlMap("timeout", yamlDuration(c.Timeout))
	if r := c.Retry; r != nil {
		if r.Jitter != FullJitter && r.Jitter != NoJitter {
			m.fail("unknown jitter %d", int(r.Jitter))
		}
		on := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
		for _, name := range r.On.Names() {
			on.Content = append(on.Content, yamlScalar(name, "!!str"))
		}
		n.Content = append(n.Content, yamlScalar("retry", "!!str"), yamlMap(
			"attempts", yamlInt(r.Attempts),
			"backoff", yamlDuration(r.Backoff),
			"multiplier", yamlFloat(r.Multiplier),
			"max_backoff", yamlDuration(r.MaxBackoff),
			"jitter", yamlScalar(r.Jitter.String(), "!!str"),
			"on", on,
		))
	}
	if b := c.Budget; b != nil {
		n.Content = append(n.Content, yamlScalar("budget", "!!str"), yamlMap(
			"tokens", yamlFloat(b.Tokens),
			"ratio", yamlFloat(b.Ratio),
		))
	}
	return n
}

// Clone returns a deep copy of c.
func (c *Client) Clone() *Client {
	if c == nil {
		return nil
	}
	out := *c
	if c.Retry != nil {
		r := *c.Retry
		out.Retry = &r
	}
	if c.Budget != nil {
		b := *c.Budget
		out.Budget = &b
	}
	return &out
}

// Equal reports whether c and d describe the same clients.
func (c *Client) Equal(d *Client) bool {
	switch {
	case c == nil || d == nil:
		return c == d
	case c.Timeout != d.Timeout:
		return false
	case (c.Retry == nil) != (d.Retry == nil) || (c.Retry != nil && *c.Retry != *d.Retry):
		return false
	}
	return (c.Budget == nil) == (d.Budget == nil) && (c.Budget == nil || *c.Budget == *d.Budget)
}

// String describes the policy in a few words, for a display: "timeout
// 1s, 3 attempts, budget 10/0.1".
func (c *Client) String() string {
	if c == nil {
		return "waits forever, no retries"
	}
	var parts []string
	if c.Timeout > 0 {
		parts = append(parts, "timeout "+FormatDuration(c.Timeout))
	} else {
		parts = append(parts, "no timeout")
	}
	if r := c.Retry; r != nil && r.Attempts > 1 {
		parts = append(parts, fmt.Sprintf("%d attempts on %s", r.Attempts, strings.Join(r.On.Names(), "/")))
	} else {
		parts = append(parts, "no retries")
	}
	if b := c.Budget; b != nil {
		parts = append(parts, fmt.Sprintf("budget %s/%s", formatFloat(b.Tokens), formatFloat(b.Ratio)))
	}
	return strings.Join(parts, ", ")
}
