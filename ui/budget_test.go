package ui

import (
	"strings"
	"testing"
)

// TestBudgetShortensLabelsFirst checks the key numbers line at shrinking
// widths: the labels shorten in their order, the numbers stay whole, and
// the line is cut only below the shortest forms.
func TestBudgetShortensLabelsFirst(t *testing.T) {
	figs := []figure{
		{forms: []string{"served 169 req/s", "served 169/s", "ok 169/s"}, yield: 2},
		{forms: []string{"dropped 43%", "drop 43%", "x43%"}, yield: 3},
		{forms: []string{"failed 12%", "fail 12%", "!12%"}, yield: 4},
		{forms: []string{"over the 20s since the last change", "last 20s", ""}, yield: 0},
	}
	cases := []struct {
		w    int
		want string
	}{
		{100, "served 169 req/s  dropped 43%  failed 12%  over the 20s since the last change"},
		{60, "served 169 req/s  dropped 43%  failed 12%  last 20s"},
		{43, "served 169 req/s  dropped 43%  failed 12%"},
		{39, "served 169/s  dropped 43%  failed 12%"},
		{36, "served 169/s  drop 43%  failed 12%"},
		{30, "ok 169/s  drop 43%  fail 12%"},
		{27, "ok 169/s  x43%  fail 12%"},
		{20, "ok 169/s  x43%  !12%"},
		{18, "ok 169/s x43% !12%"},
		{10, "ok 169/s …"},
	}
	for _, c := range cases {
		got := budget(figs, c.w)
		if got != c.want {
			t.Errorf("width %d: %q, want %q", c.w, got, c.want)
		}
		if width(got) > c.w {
			t.Errorf("width %d: %q is wider", c.w, got)
		}
	}
	if strings.Contains(budget(figs, 18), "…") {
		t.Error("cut although the shortest forms fit")
	}
}
