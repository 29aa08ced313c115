package metrics

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/common/expfmt"
)

// DefaultPort is where the endpoint listens when the address names no
// port: outside 9100-9999, the range Prometheus' exporters take by
// convention (node_exporter's 9100 among them), and no port a common
// web server, Grafana (3000) or Prometheus (9090) takes.
const DefaultPort = 8355

// DefaultHost is where the endpoint listens when the address names no
// host: loopback, so that nothing on the network can reach it unless
// the user says so (0.0.0.0:PORT or [::]:PORT for every interface).
const DefaultHost = "127.0.0.1"

// ParseAddr completes an address the way --metrics-listen reads it:
// "" or "HOST" or ":PORT" or "PORT" or "HOST:PORT", the host defaulting
// to loopback and the port to DefaultPort.
func ParseAddr(s string) (string, error) {
	host, port := s, ""
	if h, p, err := net.SplitHostPort(s); err == nil {
		host, port = h, p
	} else if _, err := strconv.Atoi(s); err == nil {
		host, port = "", s
	} else if strings.HasPrefix(s, "[") && strings.HasSuffix(s, "]") {
		host = s[1 : len(s)-1]
	} else if strings.Count(s, ":") == 1 || strings.ContainsAny(s, "[]") {
		return "", errors.New("expected HOST:PORT, HOST, :PORT or PORT")
	} else if strings.Contains(s, ":") && net.ParseIP(s) == nil {
		// colons without brackets are an IPv6 address, or a mistake
		return "", errors.New("expected HOST:PORT, HOST, :PORT or PORT; an IPv6 address is written in brackets with its port: [::1]:8355")
	}
	if host == "" {
		host = DefaultHost
	}
	if port == "" {
		port = strconv.Itoa(DefaultPort)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return "", fmt.Errorf("the port %q is not a number from 0 to 65535", port)
	}
	return net.JoinHostPort(host, port), nil
}

// Handler serves /metrics from p's latest snapshot in the format the
// scraper asks for (OpenMetrics, the text format or protobuf); 503
// before the first snapshot. Every other path gets 404, but / which
// links to /metrics.
func Handler(p *Publisher) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/metrics", func(w http.ResponseWriter, r *http.Request) {
		f, ok := p.Families()
		if !ok {
			http.Error(w, "no simulation yet", http.StatusServiceUnavailable)
			return
		}
		format := expfmt.NegotiateAccept(r.Header, expfmt.DefaultOpenMetricsAcceptedFormats()...)
		var buf bytes.Buffer
		enc := expfmt.NewEncoder(&buf, format)
		for _, fam := range f.List {
			if err := enc.Encode(fam); err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
		}
		if c, ok := enc.(expfmt.Closer); ok {
			if err := c.Close(); err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
		}
		w.Header().Set("Content-Type", string(format))
		w.Write(buf.Bytes())
	})
	mux.HandleFunc("/{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<html><body><p>scalesim: <a href="/metrics">/metrics</a></p></body></html>`)
	})
	return mux
}

// Server is a listening endpoint.
type Server struct {
	ln  net.Listener
	srv *http.Server
}

// Listen starts serving p on addr (as ParseAddr completes it) in its
// own goroutine; it returns once the port is bound, or the reason it
// cannot be.
func Listen(addr string, p *Publisher) (*Server, error) {
	a, err := ParseAddr(addr)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", a)
	if err != nil {
		var oe *net.OpError
		if errors.As(err, &oe) && oe.Err != nil {
			err = oe.Err
		}
		return nil, fmt.Errorf("cannot listen on %s: %w", a, err)
	}
	s := &Server{ln: ln, srv: &http.Server{Handler: Handler(p), ReadHeaderTimeout: 5 * time.Second}}
	go s.srv.Serve(ln)
	return s, nil
}

// Addr is the address the server listens on, its port resolved.
func (s *Server) Addr() string { return s.ln.Addr().String() }

// Close stops listening and ends the connections open.
func (s *Server) Close() error { return s.srv.Close() }
