#!/bin/sh
# expect_exit.sh CODE REGEX COMMAND [ARGS...]
# Passes when COMMAND exits with CODE and its combined output matches the extended REGEX
# on a single line (user-facing errors are one line).
code=$1
regex=$2
shift 2
out=$("$@" 2>&1)
rc=$?
if [ "$rc" -ne "$code" ]; then
  echo "expected exit status $code, got $rc; output:"
  echo "$out"
  exit 1
fi
if ! printf '%s\n' "$out" | grep -Eq -- "$regex"; then
  echo "exit status $rc as expected, but no line matches /$regex/; output:"
  echo "$out"
  exit 1
fi
echo "ok: exit $rc, $(printf '%s\n' "$out" | grep -E -- "$regex" | head -1)"
