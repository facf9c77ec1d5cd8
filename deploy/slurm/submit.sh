#!/bin/bash
# Submits a hybridsim sweep as a Slurm array job of N shards, then the merge
# step that runs after all of them succeeded (afterok). Prints the two job ids.
#
# Usage: deploy/slurm/submit.sh HYBRIDSIM-BINARY SWEEP.toml OUT-DIR N [extra sbatch options]
set -euo pipefail
if [ $# -lt 4 ]; then
  echo "usage: $0 HYBRIDSIM-BINARY SWEEP.toml OUT-DIR N [sbatch options]" >&2
  exit 2
fi
bin=$(realpath "$1"); sweep=$(realpath "$2"); out=$(realpath -m "$3"); n=$4; shift 4
here=$(dirname "$(realpath "$0")")
mkdir -p "$out"
array=$(sbatch --parsable --array="1-$n" --output="$out/slurm-%A_%a.out" \
  --export=ALL,HYBRIDSIM="$bin",SWEEP="$sweep",OUT="$out" "$@" "$here/sweep.sbatch")
array=${array%%;*}
merge=$(sbatch --parsable --dependency="afterok:$array" --output="$out/slurm-merge-%j.out" \
  --export=ALL,HYBRIDSIM="$bin",OUT="$out" "$@" "$here/merge.sbatch")
merge=${merge%%;*}
echo "$array $merge"
