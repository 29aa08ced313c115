package ui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// TestAwaitProgram: a signal asks the program to quit, kills it when it
// does not, and restores the terminal and returns when even that fails.
func TestAwaitProgram(t *testing.T) {
	type outcome struct{ quit, kill, restore bool }
	tests := []struct {
		name    string
		signal  bool
		endOn   string // what ends the program: "quit", "kill", "" (nothing)
		want    outcome
		wantErr string
	}{
		{"no signal", false, "itself", outcome{}, "its own error"},
		{"quits when asked", true, "quit", outcome{quit: true}, "the dashboard was stopped by SIGHUP"},
		{"killed when it does not quit", true, "kill", outcome{quit: true, kill: true}, "the dashboard was stopped by SIGHUP"},
		{"stuck: the terminal is restored anyway", true, "", outcome{quit: true, kill: true, restore: true}, "the dashboard was stopped by SIGHUP"},
		{"SIGINT, which Bubble Tea handles", false, "interrupted", outcome{}, "the dashboard was stopped by SIGINT"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ended := make(chan error, 1)
			sigs := make(chan os.Signal, 1)
			var got struct{ quit, kill, restore atomic.Bool }
			quit := func() {
				got.quit.Store(true)
				if tc.endOn == "quit" {
					ended <- nil
				}
			}
			kill := func() {
				got.kill.Store(true)
				if tc.endOn == "kill" {
					ended <- fmt.Errorf("%w: %w", tea.ErrProgramKilled, context.Canceled)
				}
			}
			switch {
			case tc.signal:
				sigs <- syscall.SIGHUP
			case tc.endOn == "interrupted":
				ended <- fmt.Errorf("%w: %w", tea.ErrProgramKilled, tea.ErrInterrupted)
			default:
				ended <- errors.New("its own error")
			}
			err := awaitProgram(ended, sigs, quit, kill, func() { got.restore.Store(true) })
			if err == nil || err.Error() != tc.wantErr {
				t.Errorf("error %v, want %q", err, tc.wantErr)
			}
			var stopped Stopped
			if isStop := errors.As(err, &stopped); isStop != (tc.signal || tc.endOn == "interrupted") {
				t.Errorf("error %v: a Stopped is %v, want %v", err, isStop, !isStop)
			}
			if o := (outcome{got.quit.Load(), got.kill.Load(), got.restore.Load()}); o != tc.want {
				t.Errorf("quit, kill, restore = %+v, want %+v", o, tc.want)
			}
		})
	}
}

// TestSignalsRestoreTerminal (needs tmux; builds and runs the program):
// each of SIGHUP, SIGQUIT, SIGTERM and SIGINT, and q, ends the dashboard
// with the exit code a shell expects (128 plus the signal's number, 0 for
// q), one line on stderr in scalesim's words, and the terminal as it was:
// the same stty settings, the main screen, the cursor shown.
func TestSignalsRestoreTerminal(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the program and runs it in tmux")
	}
	tmux, err := exec.LookPath("tmux")
	if err != nil {
		t.Skip("no tmux")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "scalesim")
	if out, err := exec.Command("go", "build", "-o", bin, "scalesim").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	socket := fmt.Sprintf("scalesim-test-%d", os.Getpid())
	tm := func(args ...string) (string, error) {
		out, err := exec.Command(tmux, append([]string{"-L", socket, "-f", "/dev/null"}, args...)...).CombinedOutput()
		return strings.TrimSpace(string(out)), err
	}
	t.Cleanup(func() { tm("kill-server") })
	// a session that outlives the others keeps the server up between them
	if out, err := tm("new-session", "-d", "-s", "keep", "sleep", "600"); err != nil {
		t.Skipf("tmux does not start: %v %s", err, out)
	}

	codes := map[string]string{"SIGHUP": "129", "SIGINT": "130", "SIGQUIT": "131", "SIGTERM": "143", "q": "0"}
	for i, how := range []string{"SIGHUP", "SIGINT", "SIGQUIT", "SIGTERM", "q"} {
		t.Run(how, func(t *testing.T) {
			name := fmt.Sprintf("s%d", i)
			before, after := filepath.Join(dir, name+".before"), filepath.Join(dir, name+".after")
			code, stderr := filepath.Join(dir, name+".code"), filepath.Join(dir, name+".stderr")
			script := fmt.Sprintf("stty -g > %s; %s redis-cache 2>%s; echo $? > %s; stty -g > %s; sleep 60", before, bin, stderr, code, after)
			if out, err := tm("new-session", "-d", "-s", name, "-x", "100", "-y", "30", "sh", "-c", script); err != nil {
				t.Fatalf("tmux: %v %s", err, out)
			}
			defer tm("kill-session", "-t", name)
			waitFor(t, "the dashboard", func() bool {
				out, _ := tm("capture-pane", "-p", "-t", name)
				return strings.Contains(out, "scalesim") && strings.Contains(out, "quit")
			})
			if how == "q" {
				tm("send-keys", "-t", name, "q")
			} else {
				pid := childOf(t, tm, name)
				sig := map[string]syscall.Signal{"SIGHUP": syscall.SIGHUP, "SIGINT": syscall.SIGINT, "SIGQUIT": syscall.SIGQUIT, "SIGTERM": syscall.SIGTERM}[how]
				if err := syscall.Kill(pid, sig); err != nil {
					t.Fatal(err)
				}
			}
			waitFor(t, "the program to end", func() bool {
				fi, err := os.Stat(after)
				return err == nil && fi.Size() > 0
			})
			b, _ := os.ReadFile(before)
			a, _ := os.ReadFile(after)
			if string(a) != string(b) || len(b) == 0 {
				t.Errorf("terminal settings after %s:\n%s\nwant\n%s", how, a, b)
			}
			if c, _ := os.ReadFile(code); strings.TrimSpace(string(c)) != codes[how] {
				t.Errorf("exit code after %s: %s, want %s", how, c, codes[how])
			}
			if how != "q" {
				e, _ := os.ReadFile(stderr)
				if want := "scalesim: the dashboard was stopped by " + how + "\n"; string(e) != want {
					t.Errorf("stderr after %s: %q, want %q", how, e, want)
				}
			}
			state, _ := tm("display-message", "-p", "-t", name, "#{alternate_on} #{cursor_flag}")
			if state != "0 1" {
				t.Errorf("after %s: alternate screen, cursor shown = %q, want \"0 1\"", how, state)
			}
		})
	}
}

// childOf is the pid of the program the pane's shell runs.
func childOf(t *testing.T, tm func(...string) (string, error), session string) int {
	t.Helper()
	out, err := tm("display-message", "-p", "-t", session, "#{pane_pid}")
	if err != nil {
		t.Fatal(err)
	}
	var pid int
	waitFor(t, "the program's process", func() bool {
		kids, err := os.ReadFile(fmt.Sprintf("/proc/%s/task/%s/children", out, out))
		if err != nil {
			t.Skipf("cannot find the program's process: %v", err)
		}
		f := strings.Fields(string(kids))
		if len(f) == 0 {
			return false
		}
		pid, err = strconv.Atoi(f[0])
		return err == nil
	})
	return pid
}

// waitFor polls ok for at most twenty seconds (generous: a loaded
// machine builds and starts slowly).
func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("waited 20s for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
