#!/bin/bash
# Proves the Slurm deployment on a real scheduler: installs Debian's
# slurm-wlm parts and munge where missing, starts a single-node cluster on
# this machine (munged, slurmctld, slurmd; plugins that need no cgroups),
# submits deploy/slurm's array job for a small sweep and its merge step,
# waits, compares the merged runs.csv and indices.csv with a single-process
# sweep; then runs a small calibration with deploy/slurm/calibrate.sh (each
# stage an array job of 2 shards, merged after each) and compares its files
# with a single-process calibration; and shuts the cluster down. Run as
# root. Exit 0 only if identical.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/hybridsim-slurm.XXXXXX)
state=$work/state
mkdir -p "$state/ctld" "$state/d"
log() { echo "slurm-test: $*"; }

if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v sbatch >/dev/null || ! command -v munged >/dev/null; then
  log "installing slurmctld slurmd slurm-client munge"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends slurmctld slurmd slurm-client munge >/dev/null
fi
[ -s /etc/munge/munge.key ] || { mungekey --create 2>/dev/null || /usr/sbin/create-munge-key -f; chown munge: /etc/munge/munge.key; chmod 400 /etc/munge/munge.key; }

host=$(hostname -s)
node=$(slurmd -C | head -n 1)
export SLURM_CONF=$work/slurm.conf
cat > "$SLURM_CONF" <<CONF
ClusterName=hybridsim-test
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
MpiDefault=none
ReturnToService=2
StateSaveLocation=$state/ctld
SlurmdSpoolDir=$state/d
SlurmctldPidFile=$state/slurmctld.pid
SlurmdPidFile=$state/slurmd.pid
SlurmctldLogFile=$state/slurmctld.log
SlurmdLogFile=$state/slurmd.log
$node State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF

started_munge=""
cleanup() {
  set +e
  scontrol shutdown >/dev/null 2>&1
  for f in "$state/slurmd.pid" "$state/slurmctld.pid"; do
    [ -f "$f" ] && kill "$(cat "$f" 2>/dev/null)" 2>/dev/null # a daemon may remove its pid file meanwhile
  done
  pkill -f -- "-f $SLURM_CONF" 2>/dev/null # also daemons that wrote no pid file
  [ -n "$started_munge" ] && pkill -x -u munge munged 2>/dev/null
  # A daemon can linger as a zombie for a moment: wait on the process state.
  for _ in $(seq 50); do
    alive=0
    for f in "$state/slurmd.pid" "$state/slurmctld.pid"; do
      if [ -f "$f" ] && ps -o stat= -p "$(cat "$f" 2>/dev/null)" 2>/dev/null | grep -qv Z; then alive=1; fi
    done
    [ $alive = 0 ] && break
    sleep 0.1
  done
  rm -rf "$work"
}
trap cleanup EXIT

munge_ok() { munge -n 2>/dev/null | unmunge >/dev/null 2>&1; }
if ! munge_ok; then
  # A munged that is shutting down answers nothing: let it finish first.
  for _ in $(seq 50); do pgrep -x munged >/dev/null || break; sleep 0.1; done
  mkdir -p /run/munge /var/log/munge /var/lib/munge
  chown munge: /run/munge /var/log/munge /var/lib/munge
  runuser -u munge -- /usr/sbin/munged --force
  started_munge=yes
  for i in $(seq 100); do
    munge_ok && break
    [ "$i" = 100 ] && { log "munged does not answer"; exit 1; }
    sleep 0.1
  done
fi
slurmctld -f "$SLURM_CONF"
slurmd -f "$SLURM_CONF"
log "waiting for node $host to be idle"
for i in $(seq 120); do
  st=$(sinfo -h -N -o %T 2>/dev/null | head -n 1 || true)
  [ "$st" = idle ] && break
  [ "$i" = 120 ] && { log "node state '$st' after 60 s"; cat "$state"/*.log; exit 1; }
  sleep 0.5
done

log "building hybridsim"
(cd "$top" && go build -o "$work/hybridsim" ./cmd/hybridsim)
cat > "$work/sweep.toml" <<'SWEEP'
scenario = "hoorn"
variants = ["baseline", "all-three"]
design = "morris"
samples = 3
levels = 4
replications = 2
seed = 5
ticks = 40

[[parameters]]
key = "model.epsilon0"
min = 0.3
max = 0.45

[[parameters]]
key = "area.civil_society"
min = 0.3
max = 0.8

[[outputs]]
metric = "hybridisation"
window = 20
SWEEP

log "single-process reference"
"$work/hybridsim" sweep --quiet --out "$work/reference" "$work/sweep.toml"

log "submitting the array job (4 shards) and the merge step"
read -r array merge < <("$top/deploy/slurm/submit.sh" "$work/hybridsim" "$work/sweep.toml" "$work/cluster" 4)
log "array job $array, merge job $merge"
for i in $(seq 600); do
  if [ -z "$(squeue -h -j "$array,$merge" 2>/dev/null)" ]; then break; fi
  [ "$i" = 600 ] && { log "jobs still queued after 600 s"; squeue; exit 1; }
  sleep 1
done
if [ ! -f "$work/cluster/merged/runs.csv" ]; then
  log "no merged output"; cat "$work"/cluster/slurm-*.out 2>/dev/null; exit 1
fi
for f in runs.csv indices.csv; do
  cmp "$work/reference/$f" "$work/cluster/merged/$f" || { log "$f differs from the single-process sweep"; exit 1; }
done
log "ok: the cluster's merged runs.csv and indices.csv equal the single-process sweep"

# Two stages (generation 0, then the predictive draws), to keep CI short;
# later generations' shards are compared in-process (go test ./cmd/hybridsim).
log "a calibration: each stage as an array job of 2 shards, merged after each"
printf 'extends = "default"\nwarmup = 10\n' > "$work/cal-scenario.toml"
cat > "$work/cal.toml" <<'CAL'
scenario = "cal-scenario.toml"
seed = 2
ticks = 20
particles = 12
replications = 1
max_generations = 1
predictive = 4

[[parameters]]
key = "area.civil_society"
prior = "uniform"
min = 0.2
max = 0.8

[[targets]]
metric = "informal_active"
window = 10
value = 140
se = 10
CAL
t0=$SECONDS
"$work/hybridsim" calibrate --quiet --format svg --out "$work/cal-reference" "$work/cal.toml"
"$top/deploy/slurm/calibrate.sh" "$work/hybridsim" "$work/cal.toml" "$work/cal-cluster" 2 >/dev/null
for f in posterior.csv generations.csv predictive.csv calibrated.toml; do
  cmp "$work/cal-reference/$f" "$work/cal-cluster/$f" || { log "calibration: $f differs from the single-process run"; cat "$work"/cal-cluster.logs/*.out 2>/dev/null; exit 1; }
done
log "ok: the calibration's shards and merges on the cluster give the single-process files ($((SECONDS - t0)) s)"
