"""The lab's WSGI app: pages that burn a given CPU time and wait a given
I/O time, so that a real uWSGI server can be measured against scalesim.

  /page?cpu=MS&io=MS&cpu2=MS&log=1   burn cpu ms of CPU time, sleep io ms,
                                     burn cpu2 ms, then (log=1) write a
                                     line to the log

CPU time is counted with time.thread_time(), so a page preempted by the
OS still burns exactly its CPU. The response carries the page's own CPU
time in X-CPU-Us. LAB_SWITCH_INTERVAL (seconds) sets
sys.setswitchinterval.

With log=1 the page ends as a page that logs a line does: LAB_LOG names a
file, opened once when the app loads (as a logging.FileHandler opens its
stream), and the page writes one line to it and flushes it. The flush is
one write(2), around which CPython lets go of the GIL, so the thread must
take the GIL back before its page can return. The response carries the
wall time of the write and the flush in X-Log-Ns: at one connection, with
no other thread to take the GIL meanwhile, the write's own time.

LAB_TRACE names a file to which every request appends one line of eight
whole numbers, separated by spaces (lab/trace.go reads them):

  pid tid start burnt slept end cpu cpu_at

the process and thread ids; time.monotonic_ns() at the page's start, at
the end of its first burn, at the end of its sleep (the end of the burn
when it has no io) and at its end (after cpu2); the thread's CPU time the
page used (ns), and the thread's CPU clock when the page started (ns), so
that what a worker spends between pages shows as the next page's cpu_at
less (this one's cpu_at + cpu). The line is written by one write(2) to
a file opened with O_APPEND, after the page's end; without LAB_TRACE every
request runs application, which reads no extra clock and writes nothing.
"""
import os
import sys
import threading
import time
from urllib.parse import parse_qs

if os.environ.get("LAB_SWITCH_INTERVAL"):
    sys.setswitchinterval(float(os.environ["LAB_SWITCH_INTERVAL"]))


def burn(ms):
    end = time.thread_time() + ms / 1000.0
    while time.thread_time() < end:
        pass


_log = open(os.environ["LAB_LOG"], "a") if os.environ.get("LAB_LOG") else None


def log_line(q):
    """writes the page's log line and flushes it; returns the ns it took."""
    t = time.monotonic_ns()
    _log.write("page cpu=%s io=%s thread=%d\n" % (q.get("cpu", ["0"])[0], q.get("io", ["0"])[0], threading.get_ident()))
    _log.flush()
    return time.monotonic_ns() - t


def application(environ, start_response):
    q = parse_qs(environ.get("QUERY_STRING", ""))
    t0 = time.thread_time()
    burn(float(q.get("cpu", ["0"])[0]))
    io = float(q.get("io", ["0"])[0])
    if io > 0:
        time.sleep(io / 1000.0)
    burn(float(q.get("cpu2", ["0"])[0]))
    headers = [("Content-Type", "text/plain"), ("Content-Length", "3")]
    if q.get("log") == ["1"]:
        headers.append(("X-Log-Ns", str(log_line(q))))
    used = int((time.thread_time() - t0) * 1e6)
    start_response("200 OK", headers + [("X-CPU-Us", str(used))])
    return [b"ok\n"]


def traced(environ, start_response):
    """application, with the page's times appended to LAB_TRACE."""
    q = parse_qs(environ.get("QUERY_STRING", ""))
    mono = time.monotonic_ns
    c0 = time.thread_time_ns()
    t0 = mono()
    burn(float(q.get("cpu", ["0"])[0]))
    t1 = mono()
    io = float(q.get("io", ["0"])[0])
    if io > 0:
        time.sleep(io / 1000.0)
    t2 = mono()
    burn(float(q.get("cpu2", ["0"])[0]))
    t3 = mono()
    headers = [("Content-Type", "text/plain"), ("Content-Length", "3")]
    if q.get("log") == ["1"]:
        headers.append(("X-Log-Ns", str(log_line(q))))
    cpu = time.thread_time_ns() - c0
    os.write(_trace, b"%d %d %d %d %d %d %d %d\n" % (os.getpid(), threading.get_native_id(), t0, t1, t2, t3, cpu, c0))
    start_response("200 OK", headers + [("X-CPU-Us", str(cpu // 1000))])
    return [b"ok\n"]


if os.environ.get("LAB_TRACE"):
    _trace = os.open(os.environ["LAB_TRACE"], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    application = traced  # noqa: F811
