package topology

import (
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestParseClient(t *testing.T) {
	top, err := Load("testdata/good/clients.yaml")
	if err != nil {
		t.Fatal(err)
	}
	want := []*Client{
		{Timeout: time.Second,
			Retry:  &Retry{Attempts: 3, Backoff: 50 * time.Millisecond, Multiplier: 2, MaxBackoff: time.Second, Jitter: FullJitter, On: OnTimeout | OnDropped | OnFailed},
			Budget: &Budget{Tokens: 10, Ratio: 0.1}},
		{Timeout: 500 * time.Millisecond},
		{Retry: &Retry{Attempts: 3, Backoff: 100 * time.Millisecond, Multiplier: 2, MaxBackoff: 5 * time.Second, Jitter: FullJitter, On: OnDropped}},
	}
	for i, w := range want {
		if got := top.Workload.Requests[i].Client; !reflect.DeepEqual(got, w) {
			t.Errorf("class %d: client %+v, want %+v", i, got, w)
		}
	}
	top.Workload.Requests[2].Client.Retry.Jitter = NoJitter
	top.Workload.Requests[2].Client.Retry.On = 0
	assertRoundTrip(t, top)
}

func TestParseClientDefaults(t *testing.T) {
	top, err := Parse("c.yaml", []byte("workload: {rate: 1, requests: [{steps: [{cpu: 1ms}], client: {retry: {}, budget: {}}}]}\napp: {}\n"))
	if err != nil {
		t.Fatal(err)
	}
	c := top.Workload.Requests[0].Client
	if c.Timeout != 0 || !reflect.DeepEqual(c.Retry, DefaultRetry()) || !reflect.DeepEqual(c.Budget, DefaultBudget()) {
		t.Errorf("defaults: %+v %+v %+v", c, c.Retry, c.Budget)
	}
	top, err = Parse("c.yaml", []byte("workload: {rate: 1, requests: [{steps: [{cpu: 1ms}]}]}\napp: {}\n"))
	if err != nil || top.Workload.Requests[0].Client != nil {
		t.Errorf("a class without client: %v, %+v", err, top.Workload.Requests[0].Client)
	}
}

func TestParseClientErrors(t *testing.T) {
	const head = "workload:\n  rate: 1\n  requests:\n    - steps: [{cpu: 1ms}]\n      client:\n"
	for _, tc := range []struct{ client, want string }{
		{"        timeuot: 1s\n", `c.yaml:6:9: workload.requests[0].client.timeuot: unknown key; did you mean "timeout"?`},
		{"        timeout: 1\n", `c.yaml:6:18: workload.requests[0].client.timeout: missing unit in duration "1"; add a unit, e.g. 15ms`},
		{"        timeout: -1s\n", `c.yaml:6:18: workload.requests[0].client.timeout: must not be negative, got -1s`},
		{"        retry: 3\n", `c.yaml:6:16: workload.requests[0].client.retry: expected a mapping, got 3; a retry policy is a mapping like retry: {attempts: 3, backoff: 100ms, multiplier: 2, max_backoff: 5s}`},
		{"        retry: {attempts: 0}\n", `c.yaml:6:27: workload.requests[0].client.retry.attempts: must be between 1 and 10, got 0`},
		{"        retry: {multiplier: 0.5}\n", `c.yaml:6:29: workload.requests[0].client.retry.multiplier: must be between 1 and 100, got 0.5; 1 keeps the backoff constant, 2 doubles it each retry`},
		{"        retry: {backoff: 2s, max_backoff: 1s}\n", `c.yaml:6:43: workload.requests[0].client.retry.max_backoff: 1s is less than backoff 2s; max_backoff caps the backoff, so it is at least backoff`},
		{"        retry: {jitter: half}\n", `c.yaml:6:25: workload.requests[0].client.retry.jitter: unknown jitter "half"; allowed: full, none`},
		{"        retry: {on: [timeout, 503]}\n", `c.yaml:6:31: workload.requests[0].client.retry.on: unknown outcome "503"; allowed: timeout, dropped, failed`},
		{"        retry: {on: [failed, failed]}\n", `c.yaml:6:30: workload.requests[0].client.retry.on: failed is listed twice; list each outcome once`},
		{"        retry: {on: timeout}\n", `c.yaml:6:21: workload.requests[0].client.retry.on: expected a list of outcomes, got "timeout"; e.g. on: [timeout, dropped, failed]; write on: [] to retry nothing`},
		{"        retry: {on: [timeout]}\n", `c.yaml:6:17: workload.requests[0].client.retry.on: retries only timeouts, but the client has no timeout; set client.timeout, or retry dropped and failed attempts`},
		{"        budget: {tokens: 5}\n", `c.yaml:6:9: workload.requests[0].client.budget: a budget limits retries, but the class has no retry policy; add retry: {attempts: 3}, or remove the budget`},
		{"        retry: {}\n        budget: {tokens: 0, ratio: 2}\n", "c.yaml:7:26: workload.requests[0].client.budget.tokens: must be greater than 0 and at most 1000, got 0\n" +
			"c.yaml:7:36: workload.requests[0].client.budget.ratio: must be greater than 0 and at most 1, got 2; a success gives back this fraction of a token: 0.1 lets one retry through per ten successes"},
	} {
		_, err := Parse("c.yaml", []byte(head+tc.client+"app: {}\n"))
		if err == nil {
			t.Errorf("%q: no error, want %s", tc.client, tc.want)
			continue
		}
		if got := err.Error(); got != tc.want {
			t.Errorf("%q:\ngot  %s\nwant %s", tc.client, got, tc.want)
		}
	}
}

func TestClientCloneAndEqual(t *testing.T) {
	top, err := Load("testdata/good/clients.yaml")
	if err != nil {
		t.Fatal(err)
	}
	c := top.Clone()
	a, b := top.Workload.Requests[0].Client, c.Workload.Requests[0].Client
	if a == b || a.Retry == b.Retry || a.Budget == b.Budget || !a.Equal(b) {
		t.Fatalf("Clone shares or changes the client: %p %p", a, b)
	}
	b.Budget.Ratio = 0.5
	if a.Budget.Ratio != 0.1 || a.Equal(b) {
		t.Errorf("editing the clone changed the original, or Equal missed it")
	}
	if (*Client)(nil).Equal(a) || !(*Client)(nil).Equal(nil) {
		t.Errorf("Equal with nil")
	}
	if got := a.String(); got != "timeout 1s, 3 attempts on timeout/dropped/failed, budget 10/0.1" {
		t.Errorf("String: %q", got)
	}
}

func TestClientRoundTripRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 300; i++ {
		top := validTopology()
		c := &Client{}
		if r.IntN(2) == 0 {
			c.Timeout = time.Duration(1+r.Int64N(int64(time.Minute))) * time.Nanosecond * 1000
		}
		if r.IntN(3) > 0 {
			b := time.Duration(r.Int64N(int64(time.Second)))
			c.Retry = &Retry{
				Attempts: 1 + r.IntN(maxAttempts), Backoff: b, Multiplier: 1 + r.Float64()*10,
				MaxBackoff: b + time.Duration(r.Int64N(int64(time.Minute))), Jitter: Jitter(r.IntN(2)),
				On: RetryOn(r.IntN(8)) &^ OnTimeout,
			}
			if c.Timeout > 0 {
				c.Retry.On |= RetryOn(r.IntN(2)) * OnTimeout
			}
			if r.IntN(2) == 0 {
				c.Budget = &Budget{Tokens: 1 + float64(r.IntN(999)), Ratio: []float64{0.1, 1, 0.333, r.Float64()*0.9 + 0.01}[r.IntN(4)]}
			}
		}
		top.Workload.Requests[0].Client = c
		if err := top.Validate(); err != nil {
			t.Fatalf("random client %d invalid: %v\n%+v", i, err, c)
		}
		assertRoundTrip(t, top)
	}
	out, _ := Marshal(mustLoad(t, "testdata/good/clients.yaml"))
	if !strings.Contains(string(out), "on: [timeout, dropped, failed]") {
		t.Errorf("Marshal writes on as:\n%s", out)
	}
}

func mustLoad(t *testing.T, path string) *Topology {
	t.Helper()
	top, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return top
}
