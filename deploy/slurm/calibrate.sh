#!/bin/bash
# Runs a hybridsim calibration on Slurm: each generation, and at the end the
# posterior predictive draws, as an array job of N shards, then (when the
# job has left the queue) the merge here, which names any shard missing; until OUT-DIR holds the results (manifest.json).
# Run it where sbatch works (a login node, or a small job of its own); it
# continues an interrupted calibration from OUT-DIR.partial. Slurm's logs go
# to OUT-DIR.logs/.
#
# Usage: deploy/slurm/calibrate.sh HYBRIDSIM-BINARY CAL.toml OUT-DIR N [extra sbatch options]
set -euo pipefail
if [ $# -lt 4 ]; then
  echo "usage: $0 HYBRIDSIM-BINARY CAL.toml OUT-DIR N [sbatch options]" >&2
  exit 2
fi
bin=$(realpath "$1"); cal=$(realpath "$2"); out=$(realpath -m "$3"); n=$4; shift 4
here=$(dirname "$(realpath "$0")")
if [ -e "$out/manifest.json" ]; then
  echo "$0: $out holds a finished output already; choose another OUT-DIR" >&2
  exit 1
fi
mkdir -p "$out.logs"
for round in $(seq 1000); do
  job=$(sbatch --parsable --array="1-$n" --output="$out.logs/slurm-%A_%a.out" \
    --export=ALL,HYBRIDSIM="$bin",CAL="$cal",OUT="$out" "$@" "$here/calibrate.sbatch")
  job=${job%%;*}
  # (sbatch --wait polls ever more slowly; a short generation would wait
  # tens of seconds for nothing)
  while [ -n "$(squeue -h -j "$job" 2>/dev/null)" ]; do sleep 1; done
  "$bin" calibrate --merge --out "$out" "$cal"
  [ -e "$out/manifest.json" ] && exit 0
done
echo "$0: no result after 1000 rounds" >&2
exit 1
