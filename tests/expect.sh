# Sourced by the CLI test scripts: pass/fail counters and `expect`, run with $tmp set.
pass=0 fail=0

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

# expect CODE PATTERN CMD...: exit code CODE, and (for errors) exactly one stderr line matching PATTERN.
expect() {
  local code=$1 pattern=$2; shift 2
  "$@" >"$tmp/out" 2>"$tmp/err"
  local got=$?
  if [ "$got" != "$code" ]; then bad "$* -> exit $got, wanted $code: $(head -c 300 "$tmp/err")"; return; fi
  if [ -n "$pattern" ]; then
    if ! grep -Eq -- "$pattern" "$tmp/err" "$tmp/out"; then bad "$* -> output lacks /$pattern/: $(head -c 300 "$tmp/err")"; return; fi
  fi
  if [ "$code" = 2 ] && [ "$(wc -l <"$tmp/err")" != 1 ]; then bad "$* -> error is not one line: $(cat "$tmp/err")"; return; fi
  ok
}
