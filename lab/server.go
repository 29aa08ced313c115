package lab

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"time"
)

// server is one uWSGI server the lab started, on loopback, pinned to a
// core.
type server struct {
	cmd    *exec.Cmd
	url    string
	log    string
	appLog string // the file the app's pages log a line to (log=1)
}

// freePort asks the kernel for a free loopback port.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// startServer runs uwsgi with args (its concurrency options) on core,
// serving app.py, with env added to its environment and LAB_LOG naming a
// new file in the temporary directory for its pages' log lines; it
// returns once the server answers.
func startServer(dir string, core int, args []string, env []string) (*server, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	app, err := filepath.Abs(filepath.Join(dir, "app.py"))
	if err != nil {
		return nil, err
	}
	appLog, err := os.CreateTemp("", "scalesim-lab-app-*.log")
	if err != nil {
		return nil, err
	}
	appLog.Close()
	logf, err := os.CreateTemp("", "scalesim-lab-uwsgi-*.log")
	if err != nil {
		os.Remove(appLog.Name())
		return nil, err
	}
	base := []string{"-c", strconv.Itoa(core), "uwsgi",
		"--plugin", "python3",
		"--http-socket", fmt.Sprintf("127.0.0.1:%d", port),
		"--wsgi-file", app,
		"--master", "--die-on-term", "--need-app",
		"--listen", "100",
		"--disable-logging",
	}
	cmd := exec.Command("taskset", append(base, args...)...)
	cmd.Env = append(append(os.Environ(), env...), "LAB_LOG="+appLog.Name())
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		logf.Close()
		os.Remove(logf.Name())
		os.Remove(appLog.Name())
		return nil, err
	}
	logf.Close()
	s := &server{cmd: cmd, url: fmt.Sprintf("http://127.0.0.1:%d/page", port), log: logf.Name(), appLog: appLog.Name()}
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(s.url)
		if err == nil {
			resp.Body.Close()
			return s, nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	s.stop()
	out, _ := os.ReadFile(s.log)
	return nil, fmt.Errorf("uwsgi %v did not answer within 20s:\n%s", args, out)
}

// stop ends the server and every process of its group.
func (s *server) stop() {
	pgid := s.cmd.Process.Pid
	_ = syscall.Kill(-pgid, syscall.SIGTERM)
	done := make(chan struct{})
	go func() { s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
		<-done
	}
	os.Remove(s.log)
	os.Remove(s.appLog)
}
