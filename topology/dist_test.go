package topology

import (
	"math"
	"testing"
	"time"
)

func TestParseDist(t *testing.T) {
	ms, us := time.Millisecond, time.Microsecond
	tests := []struct {
		in, canonical string
		want          Dist
	}{
		{"15ms", "15ms", Dist{Kind: Const, Mean: 15 * ms}},
		{"0", "0s", Dist{Kind: Const}},
		{" 250us ", "250us", Dist{Kind: Const, Mean: 250 * us}},
		{"250µs", "250us", Dist{Kind: Const, Mean: 250 * us}},
		{"1m30s", "1m30s", Dist{Kind: Const, Mean: 90 * time.Second}},
		{"exp(15ms)", "exp(15ms)", Dist{Kind: Exp, Mean: 15 * ms}},
		{"exp( 1.5s )", "exp(1.5s)", Dist{Kind: Exp, Mean: 1500 * ms}},
		{"uniform(1ms,2ms)", "uniform(1ms, 2ms)", Dist{Kind: Uniform, Min: ms, Max: 2 * ms}},
		{"uniform(0, 2ms)", "uniform(0s, 2ms)", Dist{Kind: Uniform, Max: 2 * ms}},
		{"lognormal(8ms, 1.5)", "lognormal(8ms, 1.5)", Dist{Kind: LogNormal, Mean: 8 * ms, CV: 1.5}},
		{"lognormal(8ms,0)", "lognormal(8ms, 0)", Dist{Kind: LogNormal, Mean: 8 * ms}},
		{"erlang(3, 10ms)", "erlang(3, 10ms)", Dist{Kind: Erlang, K: 3, Mean: 10 * ms}},
		{"pareto(10ms, 2.5)", "pareto(10ms, 2.5)", Dist{Kind: Pareto, Mean: 10 * ms, Alpha: 2.5}},
		{"pareto (10ms , 1.5)", "pareto(10ms, 1.5)", Dist{Kind: Pareto, Mean: 10 * ms, Alpha: 1.5}},
		{"exp(1h0m0s)", "exp(1h)", Dist{Kind: Exp, Mean: time.Hour}},
		{"exp(1.000000001s)", "exp(1.000000001s)", Dist{Kind: Exp, Mean: time.Second + 1}},
	}
	for _, tt := range tests {
		got, err := ParseDist(tt.in)
		if err != nil {
			t.Errorf("ParseDist(%q): %v", tt.in, err)
			continue
		}
		if got != tt.want {
			t.Errorf("ParseDist(%q) = %#v, want %#v", tt.in, got, tt.want)
		}
		if s := got.String(); s != tt.canonical {
			t.Errorf("ParseDist(%q).String() = %q, want %q", tt.in, s, tt.canonical)
		}
		back, err := ParseDist(got.String())
		if err != nil || back != got {
			t.Errorf("ParseDist(%q) = %#v, %v; want %#v", got.String(), back, err, got)
		}
		if err := got.Validate(); err != nil {
			t.Errorf("%q: Validate: %v", tt.in, err)
		}
	}
}

func TestParseDistErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", "missing duration or distribution; write a duration (15ms) or a distribution: exp(MEAN), uniform(MIN, MAX), lognormal(MEAN, CV), erlang(K, MEAN) or pareto(MEAN, ALPHA)"},
		{"15", `missing unit in duration "15"; add a unit, e.g. 15ms`},
		{"fast", `invalid duration or distribution "fast"; write a duration (15ms) or a distribution: exp(MEAN), uniform(MIN, MAX), lognormal(MEAN, CV), erlang(K, MEAN) or pareto(MEAN, ALPHA)`},
		{"exp", "exp needs arguments (MEAN); e.g. exp(15ms)"},
		{"exp(15ms", `missing ")" in "exp(15ms"; e.g. exp(15ms)`},
		{"exp()", `exp takes 1 argument (MEAN), got 0 in "exp()"; e.g. exp(15ms)`},
		{"exp(1ms, 2ms)", `exp takes 1 argument (MEAN), got 2 in "exp(1ms, 2ms)"; e.g. exp(15ms)`},
		{"exp(15)", `missing unit in duration "15" in "exp(15)"; add a unit, e.g. 15ms`},
		{"Exp(15ms)", `unknown distribution "Exp"; did you mean "exp"? (allowed: exp, uniform, lognormal, erlang, pareto)`},
		{"gamma(2, 1ms)", `unknown distribution "gamma"; allowed: exp, uniform, lognormal, erlang, pareto`},
		{"normal(8ms, 1)", `unknown distribution "normal"; did you mean "lognormal"? (allowed: exp, uniform, lognormal, erlang, pareto)`},
		{"lognormal(8ms, high)", `invalid CV "high" in "lognormal(8ms, high)"; CV is a number in decimal, e.g. lognormal(8ms, 1.5)`},
		{"lognormal(8ms, NaN)", `invalid CV "NaN" in "lognormal(8ms, NaN)"; CV is a number in decimal, e.g. lognormal(8ms, 1.5)`},
		{"erlang(2.5, 1ms)", `invalid K "2.5" in "erlang(2.5, 1ms)"; K is a whole number, e.g. erlang(3, 10ms)`},
		{"erlang(10ms, 3)", `invalid K "10ms" in "erlang(10ms, 3)"; K is a whole number, e.g. erlang(3, 10ms)`},
		{"pareto(1ms, inf)", `invalid ALPHA "inf" in "pareto(1ms, inf)"; ALPHA is a number in decimal, e.g. pareto(10ms, 2.5)`},
		{"uniform(1ms, 2 ms)", `invalid duration "2 ms" in "uniform(1ms, 2 ms)"; write a number with a unit: ns, us, ms, s, m or h (e.g. 250us, 15ms, 1m30s)`},
	}
	for _, tt := range tests {
		_, err := ParseDist(tt.in)
		if err == nil {
			t.Errorf("ParseDist(%q) succeeded, want %s", tt.in, tt.want)
			continue
		}
		if err.Error() != tt.want {
			t.Errorf("ParseDist(%q):\ngot:  %s\nwant: %s", tt.in, err, tt.want)
		}
	}
}

func TestDistMeanAndCoefVar(t *testing.T) {
	ms := time.Millisecond
	inf := math.Inf(1)
	tests := []struct {
		d        Dist
		mean, cv float64
	}{
		{Dist{Kind: Const, Mean: 15 * ms}, 0.015, 0},
		{Dist{}, 0, 0},
		{Dist{Kind: Exp, Mean: 2 * time.Second}, 2, 1},
		{Dist{Kind: Uniform, Min: 10 * ms, Max: 30 * ms}, 0.02, 0.01 / (0.02 * math.Sqrt(3))},
		{Dist{Kind: Uniform, Min: 0, Max: 2 * ms}, 0.001, 1 / math.Sqrt(3)},
		{Dist{Kind: Uniform}, 0, 0},
		{Dist{Kind: LogNormal, Mean: 8 * ms, CV: 1.5}, 0.008, 1.5},
		{Dist{Kind: Erlang, K: 4, Mean: 10 * ms}, 0.01, 0.5},
		{Dist{Kind: Erlang, K: 0, Mean: 10 * ms}, 0.01, inf},
		{Dist{Kind: Pareto, Mean: 10 * ms, Alpha: 3}, 0.01, 1 / math.Sqrt(3)},
		{Dist{Kind: Pareto, Mean: 10 * ms, Alpha: 2}, 0.01, inf},
		{Dist{Kind: Pareto, Mean: 10 * ms, Alpha: 1.5}, 0.01, inf},
	}
	for _, tt := range tests {
		if got := tt.d.MeanSeconds(); math.Abs(got-tt.mean) > 1e-12 {
			t.Errorf("%v.MeanSeconds() = %g, want %g", tt.d, got, tt.mean)
		}
		if got := tt.d.CoefVar(); !(got == tt.cv || math.Abs(got-tt.cv) < 1e-12) {
			t.Errorf("%v.CoefVar() = %g, want %g", tt.d, got, tt.cv)
		}
	}
}

func TestDistValidate(t *testing.T) {
	ms := time.Millisecond
	tests := []struct {
		d    Dist
		want string // "" for valid
	}{
		{Dist{Kind: Const}, ""},
		{Dist{Kind: Const, Mean: -ms}, "must not be negative, got -1ms"},
		{Dist{Kind: Exp, Mean: ms}, ""},
		{Dist{Kind: Exp}, "exp mean must be positive, got 0s; e.g. exp(15ms)"},
		{Dist{Kind: Uniform, Min: ms, Max: ms}, ""},
		{Dist{Kind: Uniform, Min: -ms, Max: ms}, "uniform min must not be negative, got -1ms"},
		{Dist{Kind: Uniform, Min: 2 * ms, Max: ms}, "uniform min 2ms is greater than max 1ms; write uniform(MIN, MAX) with MIN ≤ MAX"},
		{Dist{Kind: LogNormal, Mean: ms, CV: 100}, ""},
		{Dist{Kind: LogNormal, Mean: ms, CV: -1}, "lognormal cv must be between 0 and 100, got -1; e.g. lognormal(8ms, 1.5)"},
		{Dist{Kind: LogNormal, Mean: ms, CV: math.NaN()}, "lognormal cv must be between 0 and 100, got .nan; e.g. lognormal(8ms, 1.5)"},
		{Dist{Kind: LogNormal, CV: 1}, "lognormal mean must be positive, got 0s; e.g. lognormal(8ms, 1.5)"},
		{Dist{Kind: Erlang, K: 1, Mean: ms}, ""},
		{Dist{Kind: Erlang, K: 1001, Mean: ms}, "erlang k must be between 1 and 1000, got 1001; e.g. erlang(3, 10ms)"},
		{Dist{Kind: Erlang, K: 2, Mean: -ms}, "erlang mean must be positive, got -1ms; e.g. erlang(3, 10ms)"},
		{Dist{Kind: Pareto, Mean: ms, Alpha: 1.2}, ""},
		{Dist{Kind: Pareto, Mean: ms, Alpha: 1.01}, "pareto(1ms, 1.01) would lose 77% of its mean to draws longer than 240h, the longest the simulator draws; use alpha 1.2 or more (alpha close to 1 puts most of the mean in rare, enormous draws that no run sees), or a smaller mean"},
		{Dist{Kind: Pareto, Mean: 10 * ms, Alpha: 1.0000001}, "pareto(10ms, 1.0000001) would lose 100% of its mean to draws longer than 240h, the longest the simulator draws; use alpha 1.23 or more (alpha close to 1 puts most of the mean in rare, enormous draws that no run sees), or a smaller mean"},
		{Dist{Kind: Const, Mean: 240 * time.Hour}, ""},
		{Dist{Kind: Const, Mean: 241 * time.Hour}, "241h is longer than 240h, the longest duration the simulator draws"},
		{Dist{Kind: Uniform, Max: 300 * time.Hour}, "uniform max 300h is longer than 240h, the longest duration the simulator draws"},
		{Dist{Kind: Uniform, Max: 242 * time.Hour}, ""}, // 1/242 of its mean is beyond
		{Dist{Kind: Exp, Mean: 52 * time.Hour}, ""},
		{Dist{Kind: Exp, Mean: 53 * time.Hour}, "exp(53h) would lose 1.1% of its mean to draws longer than 240h, the longest the simulator draws; use a smaller mean"},
		{Dist{Kind: Erlang, K: 1000, Mean: 230 * time.Hour}, ""},
		{Dist{Kind: Erlang, K: 2, Mean: 230 * time.Hour}, "erlang(2, 230h) would lose 25% of its mean to draws longer than 240h, the longest the simulator draws; use a smaller mean"},
		{Dist{Kind: LogNormal, Mean: time.Hour, CV: 100}, "lognormal(1h, 100) would lose 28% of its mean to draws longer than 240h, the longest the simulator draws; use a smaller mean or cv"},
		{Dist{Kind: Pareto, Mean: ms, Alpha: 1}, "pareto alpha must be greater than 1, got 1; alpha ≤ 1 has no finite mean; e.g. pareto(10ms, 2.5)"},
		{Dist{Kind: Pareto, Mean: ms, Alpha: math.Inf(1)}, "pareto alpha must be greater than 1, got .inf; alpha ≤ 1 has no finite mean; e.g. pareto(10ms, 2.5)"},
		{Dist{Kind: 9}, "unknown distribution kind 9; allowed: exp, uniform, lognormal, erlang, pareto or a bare duration"},
		{Dist{Kind: Exp, Mean: ms, Min: ms}, "exp distribution has Min set, which it does not use"},
		{Dist{Kind: Uniform, Max: ms, Mean: ms, K: 2}, "uniform distribution has Mean and K set, which it does not use"},
		{Dist{Kind: Const, Alpha: 2}, "const distribution has Alpha set, which it does not use"},
	}
	for _, tt := range tests {
		err := tt.d.Validate()
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%#v: unexpected error %v", tt.d, err)
		case tt.want != "" && err == nil:
			t.Errorf("%#v: no error, want %s", tt.d, tt.want)
		case err != nil && err.Error() != tt.want:
			t.Errorf("%#v:\ngot:  %s\nwant: %s", tt.d, err, tt.want)
		}
	}
}

func TestDistKindString(t *testing.T) {
	for k, want := range map[DistKind]string{Const: "const", Exp: "exp", Uniform: "uniform", LogNormal: "lognormal", Erlang: "erlang", Pareto: "pareto", 42: "DistKind(42)"} {
		if got := k.String(); got != want {
			t.Errorf("DistKind(%d).String() = %q, want %q", int(k), got, want)
		}
	}
}
