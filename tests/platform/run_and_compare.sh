#!/bin/sh
# run_and_compare.sh CODE GOLDEN [--file OUT] COMMAND [ARGS...]
# Passes when COMMAND exits with CODE and its stdout (or, with --file, the file OUT that the
# command writes) is byte-for-byte the reviewed GOLDEN file.
code=$1
golden=$2
shift 2
file=
if [ "$1" = "--file" ]; then
  file=$2
  shift 2
  rm -f "$file"
fi
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$@" >"$out"
rc=$?
if [ "$rc" -ne "$code" ]; then
  echo "expected exit status $code, got $rc; stdout:"
  cat "$out"
  exit 1
fi
[ -n "$file" ] && cp "$file" "$out"
if ! cmp -s "$golden" "$out"; then
  echo "output differs from $golden:"
  diff "$golden" "$out"
  exit 1
fi
echo "ok: exit $rc, output matches $(basename "$golden")"
