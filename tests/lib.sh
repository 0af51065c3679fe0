# tests/lib.sh - sourced by integration tests.
#
# Each check prints one line the runner counts:
#   PASS: name | FAIL: name: why | SKIP: name: why
# Environment from tests/run: O (build dir), WF (the program), IMAGES (the
# scenario image cache), FIXTURES (../shared/fixtures, may be absent).

: "${O:=build}"
: "${WF:=./virt-winfix}"
: "${IMAGES:=build/images}"
: "${FIXTURES:=../shared/fixtures}"
export LIBGUESTFS_BACKEND=${LIBGUESTFS_BACKEND:-direct}

t_pass() { echo "PASS: $1"; }
t_fail() { echo "FAIL: $1: $2"; }
t_skip() { echo "SKIP: $1: $2"; }

# t_check NAME COMMAND...: pass when the command succeeds.
t_check() {
	local name=$1; shift
	if "$@"; then t_pass "$name"; else t_fail "$name" "$*"; fi
}

# t_grep NAME PATTERN FILE: pass when the extended regex matches.
t_grep() {
	if grep -Eq -- "$2" "$3"; then t_pass "$1"
	else t_fail "$1" "no /$2/ in $3: $(head -c 400 "$3" | tr '\n' '|')"; fi
}

# t_nogrep NAME PATTERN FILE: pass when the pattern does not match.
t_nogrep() {
	if grep -Eq -- "$2" "$3"; then t_fail "$1" "unexpected /$2/ in $3"
	else t_pass "$1"; fi
}

# t_status NAME EXPECTED ACTUAL
t_status() {
	if [ "$2" = "$3" ]; then t_pass "$1"; else t_fail "$1" "exit $3, expected $2"; fi
}

# t_json NAME FILE PYTHON-EXPR: evaluates EXPR with `j` bound to the JSON;
# for inspect output also `w` (first Windows), k(kind) (its controller
# entry) and svc(kind, service).
t_json() {
	if python3 -c '
import json, sys
j = json.load(open(sys.argv[1]))
w = (j.get("windows") or [{}])[0] if isinstance(j, dict) else {}
def k(kind): return next(c for c in w["controllers"] if c["kind"] == kind)
def svc(kind, name): return next(s for s in k(kind)["services"] if s["service"].lower() == name.lower())
sys.exit(0 if eval(sys.argv[2]) else 1)' "$2" "$3" "${@:4}" 2>/dev/null
	then t_pass "$1"; else t_fail "$1" "JSON check failed: $3 on $(head -c 300 "$2")"; fi
}
