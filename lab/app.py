"""The lab's WSGI app: pages that burn a given CPU time and wait a given
I/O time, so that a real uWSGI server can be measured against scalesim.

  /page?cpu=MS&io=MS&cpu2=MS   burn cpu ms of CPU time, sleep io ms, burn cpu2 ms

CPU time is counted with time.thread_time(), so a page preempted by the
OS still burns exactly its CPU. The response carries the page's own CPU
time in X-CPU-Us. LAB_SWITCH_INTERVAL (seconds) sets
sys.setswitchinterval.

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


def application(environ, start_response):
    q = parse_qs(environ.get("QUERY_STRING", ""))
    t0 = time.thread_time()
    burn(float(q.get("cpu", ["0"])[0]))
    io = float(q.get("io", ["0"])[0])
    if io > 0:
        time.sleep(io / 1000.0)
    burn(float(q.get("cpu2", ["0"])[0]))
    used = int((time.thread_time() - t0) * 1e6)
    body = b"ok\n"
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body))), ("X-CPU-Us", str(used))])
    return [body]


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
    cpu = time.thread_time_ns() - c0
    os.write(_trace, b"%d %d %d %d %d %d %d %d\n" % (os.getpid(), threading.get_native_id(), t0, t1, t2, t3, cpu, c0))
    body = b"ok\n"
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body))), ("X-CPU-Us", str(cpu // 1000))])
    return [body]


if os.environ.get("LAB_TRACE"):
    _trace = os.open(os.environ["LAB_TRACE"], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    application = traced  # noqa: F811
