#!/usr/bin/env bash
# Keeps the fuzz corpus in the repository, minimised and compressed, so a new machine goes on from
# where the last runs stopped instead of starting again from the fixtures' seeds.
#
#   bash scripts/fuzz-corpus.sh save [target...]      # minimise fuzz/corpus/<target> and archive it
#   bash scripts/fuzz-corpus.sh restore [target...]   # unpack the archives into fuzz/corpus/
#
# `save` runs `cargo fuzz cmin` (the smallest set of inputs with the same coverage) and writes
# fuzz/corpus-archive/<target>.tar.xz; `scripts/fuzz.sh` restores the archives before fuzzing.
# Not part of the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."

ACTION=${1:-}
shift || true
source scripts/fuzz-env.sh
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=("${FUZZ_TARGETS[@]}")
ARCHIVES=fuzz/corpus-archive

case $ACTION in
  save)
    mkdir -p "$ARCHIVES"
    for target in "${TARGETS[@]}"; do
      [ -d "fuzz/corpus/$target" ] || { echo "== $target: no corpus to save"; continue; }
      before=$(find "fuzz/corpus/$target" -type f | wc -l)
      (cd fuzz && cargo fuzz cmin -O --sanitizer "$SANITIZER" "$target") >"fuzz/logs/$target.cmin.log" 2>&1
      after=$(find "fuzz/corpus/$target" -type f | wc -l)
      # Sorted names and no owners or times: the same corpus gives the same archive.
      tar -C fuzz/corpus --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -cf - "$target" | xz -9 > "$ARCHIVES/$target.tar.xz"
      echo "== $target: $before inputs minimised to $after, $(stat -c %s "$ARCHIVES/$target.tar.xz") bytes archived"
    done
    ;;
  restore)
    mkdir -p fuzz/corpus
    for target in "${TARGETS[@]}"; do
      archive="$ARCHIVES/$target.tar.xz"
      [ -f "$archive" ] || continue
      # Inputs are named by their content's hash: unpacking over a grown corpus only adds.
      tar -C fuzz/corpus -xJf "$archive"
      echo "== $target: $(find "fuzz/corpus/$target" -type f | wc -l) inputs after restoring $archive"
    done
    ;;
  *) echo "usage: $0 save|restore [target...]" >&2; exit 2 ;;
esac
