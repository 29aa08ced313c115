# Sourced (POSIX sh) by .ci/run and lab/run.sh from the repository's root:
# puts the Go toolchain go.mod names on PATH, installing it if the
# machine lacks Go (or has one too old to fetch the toolchain go.mod
# names by itself).

# The Go toolchain go.mod asks for, as a module from the module proxy.
go_want=$(sed -n 's/^go \([0-9.]*\)$/\1/p' go.mod)
go_sudo=""
[ "$(id -u)" -eq 0 ] || go_sudo=sudo

# install_go fetches that toolchain with Debian's (older) Go, which can
# download modules but cannot switch toolchains by itself.
install_go() {
  echo "installing Go $go_want"
  go_boot=${BOOTSTRAP_GO:-/usr/lib/go/bin/go}
  if [ ! -x "$go_boot" ]; then
    $go_sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $go_sudo apt-get install -y -qq golang-go >/dev/null
  fi
  go_dir=$(cd /tmp && GO111MODULE=on GOFLAGS= "$go_boot" mod download -json \
    "golang.org/toolchain@v0.0.1-go$go_want.linux-$(dpkg --print-architecture)" |
    sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
  [ -n "$go_dir" ] || { echo "could not download Go $go_want" >&2; return 1; }
  $go_sudo rm -rf /opt/scalesim-go && $go_sudo cp -r "$go_dir" /opt/scalesim-go
  $go_sudo chmod -R u+w /opt/scalesim-go
  $go_sudo chmod +x /opt/scalesim-go/bin/* /opt/scalesim-go/pkg/tool/*/*
  export GOROOT=/opt/scalesim-go PATH="/opt/scalesim-go/bin:$PATH"
}

if ! command -v go >/dev/null 2>&1; then
  if [ -x /usr/local/go/bin/go ]; then
    export PATH="$PATH:/usr/local/go/bin"
  elif [ -x /opt/scalesim-go/bin/go ]; then
    export GOROOT=/opt/scalesim-go PATH="/opt/scalesim-go/bin:$PATH"
  else
    install_go
  fi
fi
if [ -z "$(go env GOTOOLCHAIN 2>/dev/null)" ]; then
  install_go # a Go before 1.21 cannot switch to the toolchain go.mod names
fi
