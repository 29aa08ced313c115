#!/bin/sh
# Measure a real uWSGI server on this machine against scalesim: installs
# Debian's uwsgi, its Python 3 and gevent plugins and python3-gevent, and
# the Go toolchain go.mod names (.ci/go.sh), if they are missing, then
# runs every lab case with uWSGI pinned to core LAB_CORE (default 1) and
# the load generator on core 0, each run beside scalesim's simulation of
# the same arrivals and window, and writes lab/results.md. Listens on 127.0.0.1 only; stops every server it starts.
#
#   lab/run.sh                     every case, 3 runs of 15 s each (~15 min)
#   LAB_REPEATS=3 LAB_SECONDS=30 lab/run.sh
#   LAB_ONLY=gevent lab/run.sh     the cases whose name contains "gevent"
#   LAB_ONLY='si 1ms|si 20ms'      the cases whose name contains either
set -eu
cd "$(dirname "$0")/.."
need=""
command -v uwsgi >/dev/null 2>&1 || need="$need uwsgi-core"
[ -e /usr/lib/uwsgi/plugins/python3_plugin.so ] || need="$need uwsgi-plugin-python3"
[ -e /usr/lib/uwsgi/plugins/gevent_python3_plugin.so ] || need="$need uwsgi-plugin-gevent-python3"
/usr/bin/python3 -c 'import gevent' 2>/dev/null || need="$need python3-gevent"
if [ -n "$need" ]; then
	sudo=""
	[ "$(id -u)" -eq 0 ] || sudo=sudo
	$sudo apt-get update -q
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q $need
fi
. .ci/go.sh
SCALESIM_LAB=1 exec taskset -c 0 go test ./lab -run '^TestLab$' -count=1 -v -timeout 60m
