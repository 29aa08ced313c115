"""The lab's WSGI app: pages that burn a given CPU time and wait a given
I/O time, so that a real uWSGI server can be measured against scalesim.

  /page?cpu=MS&io=MS&cpu2=MS   burn cpu ms of CPU time, sleep io ms, burn cpu2 ms

CPU time is counted with time.thread_time(), so a page preempted by the
OS still burns exactly its CPU. The response carries the page's own CPU
time in X-CPU-Us. LAB_SWITCH_INTERVAL (seconds) sets
sys.setswitchinterval.
"""
import os
import sys
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
