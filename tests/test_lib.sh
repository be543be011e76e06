# Shared by the shell tests (source it after `set -u`): a scratch directory $tmp removed on
# exit, pass/fail counters, and `expect`. End a script with `finish`.
tmp=$(mktemp -d /tmp/alloclab-test.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

# expect CODE PATTERN CMD...: exit code CODE, the output matching PATTERN (when not empty), and
# for usage errors (2) exactly one line on stderr. Returns non-zero when a check failed.
expect() {
  local code=$1 pattern=$2; shift 2
  "$@" >"$tmp/out" 2>"$tmp/err"
  local got=$?
  if [ "$got" != "$code" ]; then bad "$* -> exit $got, wanted $code: $(tail -c 600 "$tmp/err")"; return 1; fi
  if [ -n "$pattern" ] && ! grep -Eq -- "$pattern" "$tmp/err" "$tmp/out"; then
    bad "$* -> output lacks /$pattern/: $(head -c 300 "$tmp/err")"; return 1
  fi
  if [ "$code" = 2 ] && [ "$(wc -l <"$tmp/err")" != 1 ]; then bad "$* -> error is not one line: $(cat "$tmp/err")"; return 1; fi
  ok
}

finish() {
  echo "$pass passed, $fail failed"
  [ "$fail" = 0 ]
}
