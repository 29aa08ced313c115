package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"scalesim/sim"
)

// TestStockLessonWholeOrNot: the stock pane's lesson (the row lock's
// ceiling and why) is on screen as a whole sentence, the shorter form
// where the long one does not fit, and never cut off mid-way, for every
// flash sale at the sizes a lesson is given at.
func TestStockLessonWholeOrNot(t *testing.T) {
	for _, name := range []string{"flash-sale-naive", "flash-sale-row-lock", "flash-sale-optimistic", "flash-sale-atomic", "flash-sale-redis"} {
		for _, sz := range [][2]int{{80, 24}, {60, 20}, {100, 30}, {160, 48}} {
			m, _ := newTestModel(t, loadPreset(t, name), name, sz[0], sz[1])
			runFor(m, 4*time.Second)
			v := screen(m)
			checkScreen(t, v, sz[0], sz[1])
			sk := m.frame.Snap.Summary.Stock
			if sk == nil {
				t.Fatalf("%s: no stock", name)
			}
			pane := strings.Join(strings.Fields(ansi.Strip(strings.Join(m.stock.lines, "\n"))), " ")
			forms := lessons(sk)
			whole, begun := false, false
			for _, f := range forms {
				whole = whole || strings.Contains(pane, f)
				begun = begun || strings.Contains(pane, strings.Join(strings.Fields(f)[:3], " "))
			}
			where := fmt.Sprintf("%s at %dx%d", name, sz[0], sz[1])
			if begun && !whole {
				t.Errorf("%s: the lesson is cut off:\n%s", where, v)
			}
			if sz[0] >= 80 && sz[1] >= 24 && !whole {
				t.Errorf("%s: no lesson on the screen:\n%s", where, v)
			}
		}
	}
}

// TestShortestLessonFitsALine: each strategy's shortest lesson fits one
// line of the stock pane beside the table at 80 columns.
func TestShortestLessonFitsALine(t *testing.T) {
	for _, s := range []sim.StockSummary{
		{Strategy: "naive"}, {Strategy: "row_lock", LockHoldMs: 6.1, Items: 1, RealLeft: 5},
		{Strategy: "row_lock", RealLeft: 0}, {Strategy: "row_lock", RealLeft: 5},
		{Strategy: "optimistic"}, {Strategy: "atomic"}, {Strategy: "redis"},
	} {
		forms := lessons(&s)
		if len(forms) == 0 {
			t.Errorf("%s: no lesson", s.Strategy)
			continue
		}
		if last := forms[len(forms)-1]; width(last) > (80-1)/2 {
			t.Errorf("%s: the shortest lesson %q is %d cells", s.Strategy, last, width(last))
		}
	}
}
