package termsafe

import "testing"

func TestLine(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"uWSGI, three workers", "uWSGI, three workers"},
		{"\x1b[2J\x1b[31mRED\x1b]0;pwned\a", `\x1b[2J\x1b[31mRED\x1b]0;pwned\x07`},
		{"two\nlines\tand tab", `two\x0alines\x09and tab`},
		{"c1 \u009b31m", `c1 \u009b31m`},
		{"del \x7f", `del \x7f`},
		{"bidi \u202eevil", `bidi \u202eevil`},
		{"bad \xff utf8", `bad \xff utf8`},
		{"台灣 café", "台灣 café"},
	} {
		if got := Line(c.in); got != c.want {
			t.Errorf("Line(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestTextKeepsLines(t *testing.T) {
	in := "a.yaml:1:1: bad\n\tb.yaml:2:3: \x1b]0;x\a"
	want := "a.yaml:1:1: bad\n\tb.yaml:2:3: \\x1b]0;x\\x07"
	if got := Text(in); got != want {
		t.Errorf("Text = %q, want %q", got, want)
	}
}
