package topology

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// badFiles maps each file in testdata/bad to the exact error Parse gives.
var badFiles = map[string]string{
	"backlog_typo.yaml":                 `backlog_typo.yaml:7:12: app.backlog: expected a whole number or unlimited, got "unlimted"; did you mean "unlimited"?`,
	"bad_duration.yaml":                 `bad_duration.yaml:6:15: workload.requests[0].steps[1].io: invalid duration or distribution "40 msec"; write a duration (15ms) or a distribution: exp(MEAN), uniform(MIN, MAX), lognormal(MEAN, CV), erlang(K, MEAN) or pareto(MEAN, ALPHA)`,
	"bad_size.yaml":                     `bad_size.yaml:7:18: app.worker_memory: unknown size unit "gigs" in "4 gigs"; did you mean "GiB"? (allowed: B, KiB, MiB, GiB, TiB, PiB, EiB, KB, MB, GB, TB, PB, EB)`,
	"cache_step_duration.yaml":          `cache_step_duration.yaml:5:18: workload.requests[0].steps[0].cache: expected a mapping, got "5ms"; a cache step takes its time from the cache section; write - cache: {} or - cache: {miss: [{db: 5ms}]}`,
	"cache_step_without_cache.yaml":     `cache_step_without_cache.yaml:7:11: workload.requests[0].steps[1].cache: a cache step needs a cache section; add a top-level cache: section, e.g. cache: {hit_ratio: 0.8}`,
	"concurrency_sync.yaml":             `concurrency_sync.yaml:8:16: app.concurrency: must be 1 with model sync, got 8; use model: threads or gevent`,
	"dist_arity.yaml":                   `dist_arity.yaml:5:16: workload.requests[0].steps[0].cpu: uniform takes 2 arguments (MIN, MAX), got 1 in "uniform(1ms)"; e.g. uniform(5ms, 25ms)`,
	"dist_no_unit.yaml":                 `dist_no_unit.yaml:5:15: workload.requests[0].steps[0].db: missing unit in duration "5" in "exp(5)"; add a unit, e.g. 15ms`,
	"duplicate_class_name.yaml":         `duplicate_class_name.yaml:8:13: workload.requests[1].name: "page" is already the name of workload.requests[0]; give each class its own name`,
	"duplicate_key.yaml":                `duplicate_key.yaml:9:3: app.workers: duplicate key; it is already set on line 7`,
	"duration_no_unit.yaml":             `duration_no_unit.yaml:7:12: app.timeout: missing unit in duration "30"; add a unit, e.g. 15ms`,
	"empty.yaml":                        `empty.yaml: file is empty; a topology needs at least a workload and an app section`,
	"empty_steps.yaml":                  `empty_steps.yaml:5:7: workload.requests[0].steps: a request class needs at least one step; e.g. steps: [{cpu: 10ms}]`,
	"erlang_k.yaml":                     `erlang_k.yaml:5:16: workload.requests[0].steps[0].cpu: erlang k must be between 1 and 1000, got 0; e.g. erlang(3, 10ms)`,
	"gil_yes.yaml":                      `gil_yes.yaml:7:8: app.gil: expected true or false, got "yes"`,
	"hit_ratio_range.yaml":              `hit_ratio_range.yaml:8:14: cache.hit_ratio: must be between 0 and 1, got 80`,
	"hit_ratio_with_keys.yaml":          `hit_ratio_with_keys.yaml:8:14: cache.hit_ratio: is not used with keys: the hit ratio comes from the key space; remove hit_ratio or keys`,
	"two_boms.yaml":                     `two_boms.yaml:1:1: a second byte order mark (U+FEFF) after the first; save the file as UTF-8 without a BOM, or delete the invisible characters before the first key`,
	"bom_inside.yaml":                   `bom_inside.yaml:6:1: byte order mark (U+FEFF) inside the file; a BOM may only start a file: delete the invisible character here`,
	"utf16.yaml":                        `utf16.yaml:1:1: invalid UTF-8; the file is UTF-16: save it as UTF-8 text`,
	"octal_workers.yaml":                `octal_workers.yaml:7:12: app.workers: 017 has a leading zero, so YAML reads it as the octal number 15; write 17 (or 15 if octal was meant): scalesim reads numbers in decimal only (no 0x, 0o, leading 0 or _)`,
	"octal_explicit.yaml":               `octal_explicit.yaml:1:7: seed: 0o17 is an octal number (15); write 15: scalesim reads numbers in decimal only (no 0x, 0o, leading 0 or _)`,
	"leading_zero_float.yaml":           `leading_zero_float.yaml:2:9: workload.rate: 09 has a leading zero, which YAML tools read differently; write 9: scalesim reads numbers in decimal only (no 0x, 0o, leading 0 or _)`,
	"leading_zero_size.yaml":            `leading_zero_size.yaml:7:11: app.memory: 0400 has a leading zero, so YAML reads it as the octal number 256; write 400 (or 256 if octal was meant): scalesim reads numbers in decimal only (no 0x, 0o, leading 0 or _)`,
	"hex_workers.yaml":                  `hex_workers.yaml:7:12: app.workers: 0x10 is a hexadecimal number (16); write 16: scalesim reads numbers in decimal only (no 0x, 0o, leading 0 or _)`,
	"huge_rate.yaml":                    `huge_rate.yaml:2:9: workload.rate: 1e400 is too large; numbers go up to about 1.8e308`,
	"separated_rate.yaml":               `separated_rate.yaml:2:9: workload.rate: 1_000 has digit separators (_), which YAML 1.2 reads as text; write 1000: scalesim reads numbers in decimal only (no 0x, 0o, leading 0 or _)`,
	"hex_float_cv.yaml":                 `hex_float_cv.yaml:5:16: workload.requests[0].steps[0].cpu: invalid CV "0x1p-2" in "lognormal(8ms, 0x1p-2)"; CV is a number in decimal, e.g. lognormal(8ms, 1.5)`,
	"sub_nanosecond.yaml":               `sub_nanosecond.yaml:7:12: app.timeout: duration "0.1ns" is shorter than 1ns; write 0 for none, or at least 1ns`,
	"fraction_of_nanosecond.yaml":       `fraction_of_nanosecond.yaml:5:16: workload.requests[0].steps[0].cpu: duration "1.5ns" is not a whole number of nanoseconds; scalesim's clock counts whole nanoseconds`,
	"sub_nanosecond_dist.yaml":          `sub_nanosecond_dist.yaml:5:15: workload.requests[0].steps[0].io: duration "0.4ns" is shorter than 1ns in "exp(0.4ns)"; write 0 for none, or at least 1ns`,
	"duration_overflow.yaml":            `duration_overflow.yaml:7:12: app.timeout: duration "3000000h" is too long; durations go up to 2562047h (about 292 years)`,
	"invalid_utf8.yaml":                 `invalid_utf8.yaml:5:10: invalid UTF-8; save the file as UTF-8 text`,
	"keys_without_count.yaml":           `keys_without_count.yaml:8:3: cache.keys: missing count; count is the number of distinct keys, e.g. count: 100000`,
	"list_for_mapping.yaml":             `list_for_mapping.yaml:7:3: app: expected a mapping, got a list; allowed keys: nodes, cores, workers, model, concurrency, backlog, timeout, respawn, memory, worker_memory, slot_memory, speed, gil, switch_interval, scheduler, slice, tick, switch_cost`,
	"malformed.yaml":                    `malformed.yaml:3: invalid YAML: did not find expected ',' or '}'; check indentation, brackets and quotes here and on the line before`,
	"memory_too_small.yaml":             `memory_too_small.yaml:9:11: app.memory: 100MiB is smaller than one worker; one worker needs worker_memory 120MiB + concurrency 8 × slot_memory 512KiB = 124MiB; set memory to at least that, or 0 to not model memory`,
	"merge_key.yaml":                    `merge_key.yaml:7:3: app: merge keys (<<) are not supported; write the keys out, or anchor the whole value (&name) and reuse it (*name)`,
	"missing_app.yaml":                  `missing_app.yaml: missing app section; write app: {} for one node with one core and one sync worker`,
	"missing_value.yaml":                `missing_value.yaml:7:3: app.workers: missing value, expected a whole number`,
	"missing_workload.yaml":             `missing_workload.yaml: missing workload section; e.g. workload: {rate: 100, requests: [{steps: [{cpu: 10ms}]}]}`,
	"negative_latency.yaml":             `negative_latency.yaml:8:12: db.latency: must not be negative, got -1ms`,
	"negative_rate.yaml":                `negative_rate.yaml:2:9: workload.rate: must be greater than 0 and at most 10000000 requests per second, got -5`,
	"nested_cache.yaml":                 `nested_cache.yaml:7:17: workload.requests[0].steps[0].cache.miss[0].cache: cache steps cannot be nested inside a cache miss; move it to the request class's own steps`,
	"no_rate_no_users.yaml":             `no_rate_no_users.yaml:1:1: workload: set rate (open workload) or users (closed workload); e.g. rate: 100 for 100 requests per second, or users: 50`,
	"offload_step_without_offload.yaml": `offload_step_without_offload.yaml:5:20: workload.requests[0].steps[0].offload: an offload step needs an offload section; add a top-level offload: section, e.g. offload: {speed: 20}`,
	"pareto_alpha.yaml":                 `pareto_alpha.yaml:5:16: workload.requests[0].steps[0].cpu: pareto alpha must be greater than 1, got 0.5; alpha ≤ 1 has no finite mean; e.g. pareto(10ms, 2.5)`,
	"rate_and_users.yaml":               `rate_and_users.yaml:1:1: workload: set either rate (open workload) or users (closed workload), not both; remove one of them`,
	"step_as_string.yaml":               `step_as_string.yaml:5:11: workload.requests[0].steps[0]: a step is a mapping with one key, got "cpu"; write - cpu: 15ms`,
	"tab_indent.yaml":                   `tab_indent.yaml:2: invalid YAML: found character that cannot start any token; indent with spaces: YAML does not allow tabs for indentation`,
	"think_with_rate.yaml":              `think_with_rate.yaml:3:10: workload.think: think time applies only to a closed workload (users); remove think, or use users instead of rate`,
	"too_many_slots.yaml":               `too_many_slots.yaml:6:1: app: nodes × workers × concurrency is 1000000000; at most 10000000 are allowed; use fewer nodes, workers or threads`,
	"too_many_workers.yaml":             `too_many_workers.yaml:7:12: app.workers: must be between 1 and 10000, got 50000`,
	"top_level_list.yaml":               `top_level_list.yaml:1:1: expected a mapping, got a list; a topology is a mapping of sections: workload:, app:, and optionally lb:, db:, cache:, offload:, stock:, events:`,
	"two_documents.yaml":                `two_documents.yaml:7:1: more than one YAML document; keep one topology per file`,
	"two_keys_in_step.yaml":             `two_keys_in_step.yaml:5:11: workload.requests[0].steps[0]: a step has exactly one key, found 2: cpu, io; split it into steps of their own, one per list item`,
	"uniform_min_max.yaml":              `uniform_min_max.yaml:5:15: workload.requests[0].steps[0].io: uniform min 50ms is greater than max 10ms; write uniform(MIN, MAX) with MIN ≤ MAX`,
	"unknown_dist.yaml":                 `unknown_dist.yaml:5:16: workload.requests[0].steps[0].cpu: unknown distribution "expo"; did you mean "exp"? (allowed: exp, uniform, lognormal, erlang, pareto)`,
	"unknown_key.yaml":                  `unknown_key.yaml:7:3: app.wrokers: unknown key; did you mean "workers"?`,
	"unknown_model.yaml":                `unknown_model.yaml:7:10: app.model: unknown model "gevnt"; did you mean "gevent"? (allowed: sync, threads, gevent)`,
	"unknown_policy.yaml":               `unknown_policy.yaml:8:11: lb.policy: unknown policy "leastconn"; did you mean "least_conn"? (allowed: round_robin, least_conn, random, p2c)`,
	"unknown_step.yaml":                 `unknown_step.yaml:5:11: workload.requests[0].steps[0].sleep: unknown step "sleep"; allowed: cpu, io, db, read, write, buy, cache, offload, nogil`,
	"wrong_type_int.yaml":               `wrong_type_int.yaml:7:12: app.workers: expected a whole number, got "three"`,
	"zero_shares.yaml":                  `zero_shares.yaml:3:3: workload.requests: the shares add up to 0; give at least one class a positive share`,

	// The database tier and stock.
	"buy_in_cache_miss.yaml":          `buy_in_cache_miss.yaml:8:22: workload.requests[0].steps[0].cache.miss[1].buy: buy steps cannot be inside a cache miss; move it to the request class's own steps (a miss may read and write, not buy)`,
	"buy_without_stock.yaml":          `buy_without_stock.yaml:7:16: workload.requests[0].steps[1].buy: a buy step needs a stock section; add a top-level stock: section, e.g. stock: {quantity: 1000}`,
	"lag_without_replicas.yaml":       `lag_without_replicas.yaml:9:20: db.replication_lag: replication_lag needs replicas; set replicas to 1 or more, or remove replication_lag`,
	"negative_stock.yaml":             `negative_stock.yaml:9:13: stock.quantity: negative stock, got -5; quantity is the units of each item on sale, 0 or more`,
	"too_many_rows.yaml":              `too_many_rows.yaml:9:9: db.rows: must be between 0 and 10000000, got 20000000`,
	"pool_above_max_connections.yaml": `pool_above_max_connections.yaml:10:11: db.pool.size: 200 is more than max_connections 100; a pooler never opens more server connections than the limit; lower size or raise max_connections`,
	"pool_without_size.yaml":          `pool_without_size.yaml:9:3: db.pool: missing size; size is the server connections the pooler keeps to each database server, e.g. size: 20`,
	"redis_without_cache.yaml":        `redis_without_cache.yaml:9:13: stock.strategy: the redis strategy needs a cache section; add a top-level cache: section for the Redis server, e.g. cache: {}`,
	"too_many_db_servers.yaml":        `too_many_db_servers.yaml:7:1: db: shards × (1 + replicas) is 16 × 5 = 80; at most 64 database servers are allowed; use fewer shards or replicas`,
	"unknown_connections.yaml":        `unknown_connections.yaml:8:16: db.connections: unknown connections policy "persistant"; did you mean "persistent"? (allowed: per_request, persistent)`,
	"unknown_strategy.yaml":           `unknown_strategy.yaml:9:13: stock.strategy: unknown strategy "optimistc"; did you mean "optimistic"? (allowed: naive, row_lock, optimistic, atomic, redis)`,
	"unknown_strategy_key.yaml":       `unknown_strategy_key.yaml:9:3: stock.stratgy: unknown key; did you mean "strategy"?`,
	"zero_rate_with_users.yaml":       `zero_rate_with_users.yaml:3:9: workload.rate: must be greater than 0, got 0; give requests per second, or leave rate out for a closed workload of users`,
	"zero_users.yaml":                 `zero_users.yaml:3:10: workload.users: must be at least 1, got 0; give the number of users, or leave users out for an open workload at a rate`,
	"unquoted_dist_in_step.yaml":      `unquoted_dist_in_step.yaml:4:23: workload.requests[0].steps[0]: a step has exactly one key, found 2: cpu, 2.5); inside {...} a comma ends the value: quote it, as in "pareto(10ms, 2.5)"`,
	"unquoted_dist_in_flow.yaml": strings.Join([]string{
		`unquoted_dist_in_flow.yaml:2:30: workload.think: missing ")" in "lognormal(1s"; inside {...} a comma ends the value: quote it, as in "lognormal(8ms, 1.5)"`,
		`unquoted_dist_in_flow.yaml:2:44: workload.0.5): unknown key; inside {...} a comma ends the value: quote it, as in "lognormal(8ms, 1.5)"`,
	}, "\n"),
	"not_finite_word.yaml":     `not_finite_word.yaml:1:18: workload.rate: "NaN" is not a finite number; write a finite number in decimal, such as 100 or 0.5`,
	"infinity_word.yaml":       `infinity_word.yaml:1:18: workload.rate: "Infinity" is not a finite number; write a finite number in decimal, such as 100 or 0.5`,
	"homoglyph_key.yaml":       `homoglyph_key.yaml:2:7: app.wоrkers: unknown key; did you mean "workers"?`,
	"custom_tag.yaml":          `custom_tag.yaml:1:18: workload.rate: expected a number, got 80 tagged !custom; remove the tag`,
	"binary_tag.yaml":          `binary_tag.yaml:1:18: workload.rate: expected a number, got gIA= tagged !!binary`,
	"nul_byte.yaml":            `nul_byte.yaml:2:11: control character U+0000 is not allowed; remove it, or write it as an escape in a double-quoted string`,
	"deep_brackets.yaml":       `deep_brackets.yaml:3: invalid YAML: exceeded max depth of 10000; check indentation, brackets and quotes here and on the line before`,
	"nested_distribution.yaml": `nested_distribution.yaml:1:48: workload.requests[0].steps[0].cpu: invalid duration "exp(10ms)" in "exp(exp(10ms))"; write a number with a unit: ns, us, ms, s, m or h (e.g. 250us, 15ms, 1m30s)`,
	"duration_exponent.yaml":   `duration_exponent.yaml:1:48: workload.requests[0].steps[0].cpu: invalid duration "1e3ms"; write 1000ms: a duration's number takes no exponent`,
	"negative_infinity.yaml":   `negative_infinity.yaml:2:14: app.speed: must be a number greater than 0, got -.inf`,
	"mapping_as_key.yaml":      `mapping_as_key.yaml:2:7: app: keys must be plain names, got a mapping`,
	"crlf_typo.yaml":           `crlf_typo.yaml:5:3: app.wrkers: unknown key; did you mean "workers"?`,
	"alias_for_text.yaml": strings.Join([]string{
		`alias_for_text.yaml:5:14: description: expected text, got a list`,
		`alias_for_text.yaml:6:7: name: expected text, got a list`,
	}, "\n"),
	"many_errors.yaml": strings.Join([]string{
		`many_errors.yaml:5:7: workload.requests[0].shares: unknown key; did you mean "share"?`,
		`many_errors.yaml:7:16: workload.requests[0].steps[0].cpu: missing unit in duration "10"; add a unit, e.g. 15ms`,
		`many_errors.yaml:9:10: app.nodes: expected a whole number, got "two"`,
		`many_errors.yaml:10:10: app.model: unknown model "thread"; did you mean "threads"? (allowed: sync, threads, gevent)`,
		`many_errors.yaml:12:3: lb.polcy: unknown key; did you mean "policy"?`,
	}, "\n"),
}

func TestParseBadFiles(t *testing.T) {
	files, err := filepath.Glob("testdata/bad/*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, path := range files {
		name := filepath.Base(path)
		seen[name] = true
		t.Run(name, func(t *testing.T) {
			want, ok := badFiles[name]
			if !ok {
				t.Fatalf("no expected error for %s in badFiles", name)
			}
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			top, err := Parse(name, data)
			if err == nil {
				t.Fatalf("Parse succeeded, want error:\n%s", want)
			}
			if top != nil {
				t.Errorf("Parse returned a topology with its error")
			}
			if got := err.Error(); got != want {
				t.Errorf("wrong error\ngot:  %s\nwant: %s", got, want)
			}
			var es Errors
			if !errors.As(err, &es) || len(es) == 0 {
				t.Fatalf("error is %T, want a non-empty Errors", err)
			}
			for _, e := range es {
				if e.File != name {
					t.Errorf("error %q has File %q", e, e.File)
				}
			}
		})
	}
	for name := range badFiles {
		if !seen[name] {
			t.Errorf("badFiles lists %s, which is not in testdata/bad", name)
		}
	}
	if len(files) < 25 {
		t.Errorf("only %d bad files", len(files))
	}
}

func TestParseMinimalDefaults(t *testing.T) {
	got, err := Load("testdata/good/minimal.yaml")
	if err != nil {
		t.Fatal(err)
	}
	want := &Topology{
		Name: "minimal",
		Seed: 1,
		Workload: Workload{
			Rate: 10,
			Requests: []RequestClass{{
				Name:  "class1",
				Share: 1,
				Steps: []Step{{Kind: StepCPU, Dist: Dist{Kind: Const, Mean: 10 * time.Millisecond}}},
			}},
		},
		App: App{
			Nodes: 1, Cores: 1, Workers: 1, Model: Sync, Concurrency: 1,
			Backlog: 100, Timeout: 0, Respawn: time.Second, Memory: 0,
			WorkerMemory: 120 << 20, SlotMemory: 512 << 10,
			Speed: 1, GIL: true, SwitchInterval: 5 * time.Millisecond, CPU: DefaultCPUSched(),
		},
		LB: LB{Policy: RoundRobin},
		DB: DB{Cores: 4, Shards: 1, CPU: DefaultCPUSched()},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("minimal.yaml:\ngot  %+v\nwant %+v", got, want)
	}
}

func TestParseFull(t *testing.T) {
	got, err := Load("testdata/good/full.yaml")
	if err != nil {
		t.Fatal(err)
	}
	ms := time.Millisecond
	exp := func(d time.Duration) Dist { return Dist{Kind: Exp, Mean: d} }
	want := &Topology{
		Name:        "Django on uWSGI, three workers",
		Description: "One 2-core server running uwsgi --workers 3.",
		Seed:        1,
		Workload: Workload{
			Rate: 120,
			Requests: []RequestClass{
				{Name: "page", Share: 4, Steps: []Step{
					{Kind: StepCPU, Dist: exp(15 * ms)},
					{Kind: StepIO, Dist: Dist{Kind: Const, Mean: 40 * ms}},
					{Kind: StepDB, Dist: exp(5 * ms)},
					{Kind: StepCache, Miss: []Step{{Kind: StepDB, Dist: exp(5 * ms)}}},
					{Kind: StepOffload, Dist: exp(200 * ms)},
				}},
				{Name: "api", Share: 1, Steps: []Step{
					{Kind: StepCPU, Dist: Dist{Kind: LogNormal, Mean: 8 * ms, CV: 1.5}},
				}},
			},
		},
		App: App{
			Nodes: 1, Cores: 2, Workers: 3, Model: Sync, Concurrency: 1,
			Backlog: 100, Timeout: 30 * time.Second, Respawn: time.Second, Memory: 4 << 30,
			WorkerMemory: 120 << 20, SlotMemory: 512 << 10,
			Speed: 1, GIL: true, SwitchInterval: 5 * ms, CPU: DefaultCPUSched(),
		},
		LB: LB{Policy: RoundRobin},
		DB: DB{Cores: 4, Shards: 1, CPU: DefaultCPUSched()},
		Cache: &Cache{
			Latency: Dist{Kind: Const, Mean: 100 * time.Microsecond},
			Keys:    &KeySpace{Count: 100000, Zipf: 0.99, Capacity: 10000, TTL: 5 * time.Minute},
		},
		Offload: &Offload{Nodes: 1, Cores: 4, Speed: 20, Latency: ms},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("full.yaml:\ngot  %s\nwant %s", mustMarshal(t, got), mustMarshal(t, want))
	}
}

func TestParseFlashSale(t *testing.T) {
	got, err := Load("testdata/good/flash_sale.yaml")
	if err != nil {
		t.Fatal(err)
	}
	ms := time.Millisecond
	exp := func(d time.Duration) Dist { return Dist{Kind: Exp, Mean: d} }
	want := &Topology{
		Name:        "flash sale",
		Description: "Buyers race for 1000 units; reads go to replicas, orders to the primaries.",
		Seed:        7,
		Workload: Workload{
			Rate: 2000,
			Requests: []RequestClass{
				{Name: "buy", Share: 1, Steps: []Step{
					{Kind: StepCPU, Dist: exp(2 * ms)},
					{Kind: StepRead, Dist: exp(ms)},
					{Kind: StepBuy, Dist: exp(5 * ms)},
					{Kind: StepWrite, Dist: exp(2 * ms)},
				}},
				{Name: "browse", Share: 9, Steps: []Step{
					{Kind: StepCPU, Dist: Dist{Kind: LogNormal, Mean: 3 * ms, CV: 0.5}},
					{Kind: StepCache, Miss: []Step{
						{Kind: StepRead, Dist: exp(ms)},
						{Kind: StepWrite, Dist: Dist{Kind: Const, Mean: 500 * time.Microsecond}},
					}},
					{Kind: StepDB, Dist: Dist{Kind: Uniform, Min: ms, Max: 3 * ms}},
					{Kind: StepIO, Dist: Dist{Kind: Const, Mean: 2 * ms}},
				}},
			},
		},
		App: App{
			Nodes: 4, Cores: 4, Workers: 4, Model: Threads, Concurrency: 8,
			Backlog: 100, Respawn: time.Second, WorkerMemory: 120 << 20, SlotMemory: 512 << 10,
			Speed: 1, GIL: true, SwitchInterval: 5 * ms, CPU: DefaultCPUSched(),
		},
		LB: LB{Policy: LeastConn, Latency: 100 * time.Microsecond},
		DB: DB{
			Cores: 4, Latency: 500 * time.Microsecond,
			Replicas: 2, ReplicationLag: 100 * ms, Shards: 4,
			MaxConnections: 100, Connections: Persistent, Pool: &Pool{Size: 20},
			CPU: DefaultCPUSched(),
		},
		Cache: &Cache{
			Latency:    Dist{Kind: Const, Mean: 100 * time.Microsecond},
			NetLatency: 200 * time.Microsecond,
			HitRatio:   0.9,
		},
		Stock: &Stock{Items: 1, Quantity: 1000, Strategy: Redis, Query: exp(ms), Retries: 3, Consumers: 8},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("flash_sale.yaml:\ngot  %s\nwant %s", mustMarshal(t, got), mustMarshal(t, want))
	}
}

func TestParseGoodFiles(t *testing.T) {
	files, err := filepath.Glob("testdata/good/*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			top, err := Load(path)
			if err != nil {
				t.Fatal(err)
			}
			if err := top.Validate(); err != nil {
				t.Fatalf("Validate after Parse: %v", err)
			}
			assertRoundTrip(t, top)
		})
	}
}

func TestParseSectionDefaults(t *testing.T) {
	const base = "workload: {rate: 1, requests: [{steps: [{cache: {}}, {offload: 1ms}]}]}\napp: {}\n"
	tests := []struct {
		name, extra string
		cache       *Cache
		offload     *Offload
	}{
		{"empty sections", "cache:\noffload:\n", DefaultCache(), DefaultOffload()},
		{"keys default capacity", "cache: {keys: {count: 5}}\noffload: {}\n",
			&Cache{Latency: DefaultCache().Latency, Keys: &KeySpace{Count: 5, Zipf: 0.99, Capacity: 1}}, DefaultOffload()},
		{"disabled", "cache: {enabled: false}\noffload: {}\n",
			&Cache{Disabled: true, Latency: DefaultCache().Latency, HitRatio: 0.8}, DefaultOffload()},
		{"keys tenth", "cache: {keys: {count: 1000, ttl: 1h}}\noffload: {speed: 3}\n",
			&Cache{Latency: DefaultCache().Latency, Keys: &KeySpace{Count: 1000, Zipf: 0.99, Capacity: 100, TTL: time.Hour}},
			&Offload{Nodes: 1, Cores: 4, Speed: 3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			top, err := Parse("x.yaml", []byte(base+tt.extra))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(top.Cache, tt.cache) {
				t.Errorf("cache: got %+v, want %+v", top.Cache, tt.cache)
			}
			if !reflect.DeepEqual(top.Offload, tt.offload) {
				t.Errorf("offload: got %+v, want %+v", top.Offload, tt.offload)
			}
		})
	}
}

func TestParseDBAndStockDefaults(t *testing.T) {
	const base = "workload: {rate: 1, requests: [{steps: [{buy: 1ms}, {read: 1ms}, {write: 1ms}]}]}\napp: {}\n"
	tests := []struct {
		name, extra string
		db          DB
		stock       *Stock
	}{
		{"no db", "stock: {quantity: 0}\n", DB{Cores: 4, Shards: 1, CPU: DefaultCPUSched()}, DefaultStock(0)},
		{"empty db", "db:\nstock: {quantity: 5}\n", DB{Cores: 4, Shards: 1, CPU: DefaultCPUSched()}, DefaultStock(5)},
		{"pool", "db: {pool: {size: 1}, max_connections: 1}\nstock: {quantity: 5, strategy: optimistic, retries: 0}\n",
			DB{Cores: 4, Shards: 1, MaxConnections: 1, Pool: &Pool{Size: 1}, CPU: DefaultCPUSched()},
			&Stock{Items: 1, Quantity: 5, Strategy: Optimistic, Query: DefaultStock(0).Query, Retries: 0, Consumers: 4}},
		{"sharded", "db: {shards: 64, connections: per_request}\nstock: {quantity: 1000000000, items: 1000000, query: 0}\n",
			DB{Cores: 4, Shards: 64, CPU: DefaultCPUSched()},
			&Stock{Items: 1000000, Quantity: 1e9, Query: Dist{Kind: Const}, Retries: 3, Consumers: 4}},
		{"replicas", "db: {replicas: 63, replication_lag: 1s}\nstock: {quantity: 1, strategy: atomic}\n",
			DB{Cores: 4, Shards: 1, Replicas: 63, ReplicationLag: time.Second, CPU: DefaultCPUSched()},
			&Stock{Items: 1, Quantity: 1, Strategy: Atomic, Query: DefaultStock(0).Query, Retries: 3, Consumers: 4}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			top, err := Parse("x.yaml", []byte(base+tt.extra))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(top.DB, tt.db) {
				t.Errorf("db: got %+v, want %+v", top.DB, tt.db)
			}
			if !reflect.DeepEqual(top.Stock, tt.stock) {
				t.Errorf("stock: got %+v, want %+v", top.Stock, tt.stock)
			}
			assertRoundTrip(t, top)
		})
	}
}

func TestParseDefaultName(t *testing.T) {
	const src = "workload: {rate: 1, requests: [{steps: [{cpu: 1ms}]}, {steps: [{cpu: 2ms}]}]}\napp: {}\n"
	for file, want := range map[string]string{
		"":                      "",
		"shop.yaml":             "shop",
		"presets/shop.v2.yml":   "shop.v2",
		"/abs/path/no-ext":      "no-ext",
		"dir/quoted name.yaml":  "quoted name",
		"C:/windows/style.YAML": "style",
	} {
		top, err := Parse(file, []byte(src))
		if err != nil {
			t.Fatalf("%q: %v", file, err)
		}
		if top.Name != want {
			t.Errorf("Parse(%q): name %q, want %q", file, top.Name, want)
		}
		if got := top.Workload.Requests[1].Name; got != "class2" {
			t.Errorf("second class is named %q, want class2", got)
		}
	}
}

func TestParseValues(t *testing.T) {
	const head = "workload: {rate: 1, requests: [{steps: [{cpu: 1ms}]}]}\n"
	tests := []struct {
		src   string
		check func(*Topology) bool
	}{
		{"app: {backlog: unlimited}", func(t *Topology) bool { return t.App.Backlog == Unlimited }},
		{"app: {backlog: 0}", func(t *Topology) bool { return t.App.Backlog == 0 }},
		{"app: {memory: 1.5GiB}", func(t *Topology) bool { return t.App.Memory == 3<<29 }},
		{"app: {memory: 1073741824}", func(t *Topology) bool { return t.App.Memory == 1<<30 }},
		{"app: {memory: 2 gb}", func(t *Topology) bool { return t.App.Memory == 2e9 }},
		{"app: {timeout: 0}", func(t *Topology) bool { return t.App.Timeout == 0 }},
		{"app: {timeout: 1m30s}", func(t *Topology) bool { return t.App.Timeout == 90*time.Second }},
		{"app: {speed: 2}", func(t *Topology) bool { return t.App.Speed == 2 }},
		{"app: {gil: false}", func(t *Topology) bool { return !t.App.GIL }},
		{"app: {}\nseed: 18446744073709551615", func(t *Topology) bool { return t.Seed == 1<<64-1 }},
		{"app: {}\nseed: 0", func(t *Topology) bool { return t.Seed == 0 }},
		{"app: {}\nname: 123", func(t *Topology) bool { return t.Name == "123" }},
		{"app: {}\ndescription:", func(t *Topology) bool { return t.Description == "" }},
		{"app: &a {workers: 2}\nlb: {policy: random}", func(t *Topology) bool { return t.App.Workers == 2 && t.LB.Policy == Random }},
	}
	for _, tt := range tests {
		top, err := Parse("", []byte(head+tt.src))
		if err != nil {
			t.Errorf("%q: %v", tt.src, err)
			continue
		}
		if !tt.check(top) {
			t.Errorf("%q: wrong value in %+v", tt.src, top)
		}
	}
}

// TestParseErrors covers errors not worth a file of their own.
func TestParseErrors(t *testing.T) {
	const head = "workload: {rate: 1, requests: [{steps: [{cpu: 1ms}]}]}\n"
	tests := []struct{ src, want string }{
		{"", "file is empty; a topology needs at least a workload and an app section"},
		{"---\n", "file is empty; a topology needs at least a workload and an app section"},
		{"a: b: c", "1: invalid YAML: mapping values are not allowed in this context; check indentation, brackets and quotes here and on the line before"},
		{"x: *nope", "1: invalid YAML: unknown anchor 'nope' referenced; check indentation, brackets and quotes here and on the line before"},
		{head + "app: {}\nname: \"a\x01\"", "3:9: control character U+0001 is not allowed; remove it, or write it as an escape in a double-quoted string"},
		{head + "app: {workers: 2.5}", "2:16: app.workers: expected a whole number, got 2.5"},
		{head + "app: {workers: 99999999999999999999}", "2:16: app.workers: expected a whole number, got 99999999999999999999"},
		{head + "app: {workers: [3]}", "2:16: app.workers: expected a whole number, got a list"},
		{head + "app: {speed: fast}", `2:14: app.speed: expected a number, got "fast"`},
		{head + "app: {gil: 'true'}", `2:12: app.gil: expected true or false, got "true"; remove the quotes: YAML reads a quoted value as text`},
		{head + "app: {workers: \"4\"}", `2:16: app.workers: expected a whole number, got "4"; remove the quotes: YAML reads a quoted value as text`},
		{head + "app: {speed: '1.5'}", `2:14: app.speed: expected a number, got "1.5"; remove the quotes: YAML reads a quoted value as text`},
		{head + "app: {workers: 1e3}", "2:16: app.workers: expected a whole number, got 1e3; write 1000"},
		{head + "app: {workers: 4.0}", "2:16: app.workers: expected a whole number, got 4.0; write 4"},
		{head + "app: {workers: !custom 4}", "2:16: app.workers: expected a whole number, got 4 tagged !custom; remove the tag"},
		{head + "app: {gil: !!str true}", "2:12: app.gil: expected true or false, got \"true\" tagged !!str; remove the tag"},
		{head + "app: {gil: !!str maybe}", "2:12: app.gil: expected true or false, got \"maybe\" tagged !!str"},
		{head + "app: !!python/object:os.system {}", "2:6: app: a mapping tagged !!python/object:os.system; remove the tag: scalesim reads plain YAML"},
		{head + "app: {backlog: -3}", "2:16: app.backlog: must be 0 or more, or unlimited, got -3; write unlimited for no limit"},
		{head + "app: {}\nseed: -1", "3:7: seed: expected a whole number from 0 to 18446744073709551615, got -1"},
		{head + "app: {}\n[1]: x", "3:1: keys must be plain names, got a list"},
		{head + "app: {}\nworkload2: {}", "3:1: workload2: unknown key; did you mean \"workload\"?"},
		{head + "app: {}\nfoo: 1", "3:1: foo: unknown key; allowed: name, description, seed, workload, app, lb, db, cache, offload, stock, autoscale, failures, events"},
		{head + "app: {}\ncache: {keys: {count: 10, capacity: 0}}", "3:37: cache.keys.capacity: must be between 1 and 10000000, got 0"},
		{"workload: {rate: 1, requests: {steps: []}}\napp: {}", "1:31: workload.requests: expected a list of request classes, got a mapping; e.g. requests: [{name: page, steps: [{cpu: 10ms}]}]"},
		{"workload: {rate: 1, requests: [page]}\napp: {}", `1:32: workload.requests[0]: expected a mapping, got "page"; a request class is a mapping like {name: page, share: 4, steps: [{cpu: 10ms}]}`},
		{"workload: {rate: 1, requests: [{steps: {cpu: 1ms}}]}\napp: {}", "1:40: workload.requests[0].steps: expected a list of steps, got a mapping; e.g. steps: [{cpu: 15ms}, {db: exp(5ms)}]"},
		{"workload: {rate: 1, requests: [{steps: [{}]}]}\napp: {}", "1:41: workload.requests[0].steps[0]: empty step; a step is one of cpu, io, db, read, write, buy, cache, offload or nogil, e.g. - cpu: 15ms"},
		{"workload: {rate: 1, requests: [{steps: [~]}]}\napp: {}", "1:41: workload.requests[0].steps[0]: empty step; a step is one of cpu, io, db, read, write, buy, cache, offload or nogil, e.g. - cpu: 15ms"},
		{"workload: {rate: 1, requests: [{steps: [{cpu: }]}]}\napp: {}", "1:42: workload.requests[0].steps[0].cpu: missing value, expected a duration like 15ms or a distribution like exp(15ms)"},
		{"workload: {rate: 1, requests: [{steps: [{cpu: exp}]}]}\napp: {}", "1:47: workload.requests[0].steps[0].cpu: exp needs arguments (MEAN); e.g. exp(15ms)"},
		{"workload: {rate: 1, requests: [{name: '', steps: [{cpu: 1ms}]}]}\napp: {}", "1:39: workload.requests[0].name: must not be empty"},
		{"workload: {rate: 1, requests: [{share: -1, steps: [{cpu: 1ms}]}]}\napp: {}", "1:40: workload.requests[0].share: must be a number from 0 up, got -1"},
		{"workload: {rate: .nan, requests: [{steps: [{cpu: 1ms}]}]}\napp: {}", "1:18: workload.rate: must be greater than 0 and at most 10000000 requests per second, got .nan"},
		{"workload: {users: 20000000, requests: [{steps: [{cpu: 1ms}]}]}\napp: {}", "1:19: workload.users: must be between 1 and 1000000, got 20000000"},
		{head + "app: {switch_interval: 0}", "2:24: app.switch_interval: must be at least 1us, got 0s; Python's default is 5ms"},
		{head + "app: {memory: -1GiB}", "2:15: app.memory: must not be negative, got -1GiB"},
		{"workload: {rate: 1, requests: [{steps: [buy]}]}\napp: {}", `1:41: workload.requests[0].steps[0]: a step is a mapping with one key, got "buy"; write - buy: 15ms`},
		{"workload: {rate: 1, requests: [{steps: [{reed: 1ms}]}]}\napp: {}", `1:42: workload.requests[0].steps[0].reed: unknown step "reed"; did you mean "read"? (allowed: cpu, io, db, read, write, buy, cache, offload, nogil)`},
		{"workload: {rate: 1, requests: [{steps: [{write: exp(0)}]}]}\napp: {}", "1:49: workload.requests[0].steps[0].write: exp mean must be positive, got 0s; e.g. exp(15ms)"},
		{head + "app: {}\ndb: {replicas: 65}", "3:16: db.replicas: must be between 0 and 64, got 65"},
		{head + "app: {}\ndb: {shards: 0}", "3:14: db.shards: must be between 1 and 64, got 0"},
		{head + "app: {}\ndb: {replicas: 1, replication_lag: -1ms}", "3:36: db.replication_lag: must not be negative, got -1ms"},
		{head + "app: {}\ndb: {replication_lag: 5}", `3:23: db.replication_lag: missing unit in duration "5"; add a unit, e.g. 15ms`},
		{head + "app: {}\ndb: {max_connections: -1}", "3:23: db.max_connections: must be between 0 and 1000000, got -1"},
		{head + "app: {}\ndb: {max_connections: unlimited}", `3:23: db.max_connections: expected a whole number, got "unlimited"`},
		{head + "app: {}\ndb: {connections: pooled}", `3:19: db.connections: unknown connections policy "pooled"; allowed: per_request, persistent`},
		{head + "app: {}\ndb: {pool: 20}", "3:12: db.pool: expected a mapping, got 20; a pool is a mapping like pool: {size: 20}"},
		{head + "app: {}\ndb: {pool: {size: 0}}", "3:19: db.pool.size: must be between 1 and 1000000, got 0"},
		{head + "app: {}\ndb: {pool: {size: 2000000}}", "3:19: db.pool.size: must be between 1 and 1000000, got 2000000"},
		{head + "app: {}\nstock: {}", "3:1: stock: missing quantity; quantity is the units of each item on sale, e.g. quantity: 1000"},
		{head + "app: {}\nstock:", "3:1: stock: missing quantity; quantity is the units of each item on sale, e.g. quantity: 1000"},
		{head + "app: {}\nstock: [1]", "3:8: stock: expected a mapping, got a list; allowed keys: items, quantity, strategy, query, retries, consumers"},
		{head + "app: {}\nstock: {quantity: 1000000001}", "3:19: stock.quantity: must be between 0 and 1000000000, got 1000000001"},
		{head + "app: {}\nstock: {quantity: 1, items: 0}", "3:29: stock.items: must be between 1 and 1000000, got 0"},
		{head + "app: {}\nstock: {quantity: 1, strategy: lock}", `3:32: stock.strategy: unknown strategy "lock"; did you mean "row_lock"? (allowed: naive, row_lock, optimistic, atomic, redis)`},
		{head + "app: {}\nstock: {quantity: 1, query: 'uniform(2ms, 1ms)'}", "3:29: stock.query: uniform min 2ms is greater than max 1ms; write uniform(MIN, MAX) with MIN ≤ MAX"},
		{head + "app: {}\nstock: {quantity: 1, retries: 101, consumers: 0}",
			"3:31: stock.retries: must be between 0 and 100, got 101\n3:47: stock.consumers: must be between 1 and 10000, got 0"},
	}
	for _, tt := range tests {
		_, err := Parse("", []byte(tt.src))
		if err == nil {
			t.Errorf("%q: no error, want %s", tt.src, tt.want)
			continue
		}
		if got := err.Error(); got != tt.want {
			t.Errorf("%q:\ngot:  %s\nwant: %s", tt.src, got, tt.want)
		}
	}
}

func TestParseStepLimit(t *testing.T) {
	// An alias bomb: 1000 aliases to a list of 1000 steps would be a
	// million steps in one class; Parse stops at the limit.
	var b strings.Builder
	b.WriteString("workload:\n  rate: 1\n  requests:\n    - steps:\n        - cache:\n            miss: &s [")
	for i := 0; i < 1000; i++ {
		b.WriteString("{db: 1ms},")
	}
	b.WriteString("]\n")
	for i := 0; i < 1000; i++ {
		b.WriteString("        - cache: {miss: *s}\n")
	}
	b.WriteString("app: {}\ncache: {}\n")
	_, err := Parse("bomb.yaml", []byte(b.String()))
	want := "bomb.yaml:4:7: workload.requests[0].steps: more than 1000 steps (counting cache miss steps); at most 1000 are allowed; split the class into several classes"
	if err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
}

func TestLoadMissingFile(t *testing.T) {
	_, err := Load("testdata/no-such-file.yaml")
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Load of a missing file: %v, want os.ErrNotExist", err)
	}
}

func TestParseCapsErrors(t *testing.T) {
	var b strings.Builder
	b.WriteString("workload: {rate: 1, requests: [{steps: [{cpu: 1ms}]}]}\napp:\n")
	for i := range 150 {
		fmt.Fprintf(&b, "  bad%d: 1\n", i)
	}
	_, err := Parse("many.yaml", []byte(b.String()))
	var es Errors
	if !errors.As(err, &es) {
		t.Fatalf("got %v", err)
	}
	if len(es) != maxErrors+1 {
		t.Fatalf("got %d errors, want %d", len(es), maxErrors+1)
	}
	if got, want := es[0].Error(), "many.yaml:3:3: app.bad0: unknown key; allowed: nodes, cores, workers, model, concurrency, backlog, timeout, respawn, memory, worker_memory, slot_memory, speed, gil, switch_interval, scheduler, slice, tick, switch_cost"; got != want {
		t.Errorf("first error:\ngot:  %s\nwant: %s", got, want)
	}
	if got, want := es[maxErrors].Error(), "many.yaml: 50 more errors not shown"; got != want {
		t.Errorf("last error: got %q, want %q", got, want)
	}
}
