#!/bin/sh
# Status-line command for captures: keeps the JSON Claude Code writes to its stdin, byte for
# byte, one file per call (<dir>/<ns since epoch>-<pid>.json, dir = $STATUSLINE_TAP_DIR or
# ~/statusline-tap), appends it as one line to <dir>/calls.jsonl, and prints a short status line.
dir="${STATUSLINE_TAP_DIR:-$HOME/statusline-tap}"
mkdir -p "$dir"
file="$dir/$(date +%s%N)-$$.json"
cat > "$file"
{ tr -d '\n' < "$file"; echo; } >> "$dir/calls.jsonl"
printf 'statusline-tap: %s bytes\n' "$(wc -c < "$file" | tr -d ' ')"
