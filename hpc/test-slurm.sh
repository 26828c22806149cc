#!/usr/bin/env bash
# End-to-end test of hpc/: starts a one-node Slurm cluster on this machine (munged, slurmctld
# and slurmd, configured in a temporary directory and stopped on exit), then
#   1. submits a sharded run with hpc/submit.sh (array + dependent merge) and checks that the
#      merged bands.csv equals a single-process `hpmc run` byte for byte;
#   2. requeues a running array task once it has written a checkpoint (what preemption does)
#      and checks that the task resumes from it and the merged bands.csv is still identical.
#
# Needs root: installs slurm-wlm and munge from Debian when missing and runs the daemons.
# No cgroup plugins (proctrack/linuxproc, task/none), so it also runs in containers.
# HPMC=/path/to/hpmc tests that binary instead of building this checkout in release.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

scenario=Scenarios/cns.yaml
seed=7
start_timeout=60   # seconds for the node to come up idle
job_timeout=300    # seconds for each test's array and merge to finish

passed=0
failed=0
pids=()            # daemons started here, stopped on exit
tmp=
jobs_submitted=()

say() { echo "test-slurm: $*"; }

# Setup failures count as one failed test, so the summary line is always there.
abort() {
    echo "test-slurm: error: $*" >&2
    failed=$((failed + 1))
    exit 1
}

show_logs() {
    [[ -n $tmp && -d $tmp/log ]] || return 0
    local f
    for f in "$tmp"/log/* "$tmp"/jobs/*.out; do
        [[ -f $f ]] || continue
        echo "----- $f (last 40 lines)"
        tail -n 40 "$f"
    done
}

cleanup() {
    local status=$?
    trap - EXIT
    set +e
    if ((${#jobs_submitted[@]})) && [[ -n ${SLURM_CONF:-} ]]; then
        # Let slurmstepd end any job still running before its slurmd goes.
        scancel "${jobs_submitted[@]}" 2>/dev/null
        for _ in $(seq 20); do [[ -z $(squeue -h 2>/dev/null) ]] && break; sleep 0.5; done
    fi
    local pid i
    # Reverse order: slurmd, slurmctld, then munged.
    for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
        pid=${pids[i]}
        kill -TERM "$pid" 2>/dev/null
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    done
    if ((status != 0 || failed > 0)); then
        show_logs
        [[ -n $tmp ]] && echo "test-slurm: files kept in $tmp"
        ((failed > 0)) || failed=1
    elif [[ -n $tmp ]]; then
        rm -rf "$tmp"
    fi
    echo "$passed passed, $failed failed"
    if ((failed == 0)); then exit 0; else exit 1; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A Slurm environment around us (say, CI inside a Slurm job) must not leak into this cluster.
for v in $(compgen -e | grep -E '^(SLURM|SBATCH|SQUEUE|SINFO|SCONTROL)_' || true); do unset "$v"; done

[[ $(id -u) == 0 ]] || abort "needs root to install and run Slurm and munge (try: sudo make test-slurm)"

# --- Slurm and munge from Debian -------------------------------------------------------
if ! dpkg -s slurm-wlm munge >/dev/null 2>&1; then
    command -v apt-get >/dev/null || abort "slurm-wlm and munge are missing and there is no apt-get"
    say "installing slurm-wlm and munge from Debian ..."
    apt_log=$(mktemp)
    if ! { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y slurm-wlm munge; } >"$apt_log" 2>&1; then
        tail -n 20 "$apt_log" >&2
        rm -f "$apt_log"
        abort "apt-get could not install slurm-wlm and munge (no network to the Debian mirror?)"
    fi
    rm -f "$apt_log"
fi
for tool in munged slurmctld slurmd sbatch squeue sinfo scontrol setpriv; do
    command -v "$tool" >/dev/null || abort "$tool not found after installing slurm-wlm and munge"
done

# --- hpmc --------------------------------------------------------------------------------
if [[ -n ${HPMC:-} ]]; then
    hpmc=$(realpath -m "$HPMC")
else
    say "building hpmc (release) ..."
    build_log=$(mktemp)
    # Through the Makefile, which chooses the CPU level (HPMC_PORTABLE=1 for a portable build).
    if ! make -C "$repo" --no-print-directory CONFIG=release build >"$build_log" 2>&1; then
        tail -n 30 "$build_log" >&2
        rm -f "$build_log"
        abort "make CONFIG=release build failed"
    fi
    rm -f "$build_log"
    hpmc=$repo/.build/release/hpmc
fi
[[ -x $hpmc ]] || abort "no hpmc binary at $hpmc"

# --- munge key -----------------------------------------------------------------------------
key=/etc/munge/munge.key
if [[ ! -s $key ]]; then
    say "creating $key"
    install -d -o munge -g munge -m 0700 /etc/munge
    if command -v mungekey >/dev/null; then
        mungekey --create --keyfile="$key" --force
    else
        dd if=/dev/urandom of="$key" bs=1024 count=1 status=none
    fi
    chown munge:munge "$key"
    chmod 0400 "$key"
fi
# munged insists on running as the key's owner.
key_owner=$(stat -c %U "$key")

# --- cluster configuration -----------------------------------------------------------------
tmp=$(mktemp -d /tmp/hpmc-test-slurm.XXXXXX)
chmod 0755 "$tmp"   # munged, running as its own user, must reach its socket below
mkdir -p "$tmp"/{munge,state,spool,log,run,jobs}
chown "$key_owner" "$tmp/munge"

node=$(hostname -s 2>/dev/null || uname -n)
# slurmd -C prints this machine's real CPU layout and memory as a NodeName line.
hardware=$(slurmd -C 2>/dev/null | sed -n 's/^NodeName=[^ ]* //p' || true)
[[ -n $hardware ]] || abort "slurmd -C did not describe this node"

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# Ports away from Slurm's defaults (6817, 6818), so a real Slurm on this machine is left alone.
port=16817
while port_in_use "$port" || port_in_use "$((port + 1))"; do
    port=$((port + 2))
    ((port < 16917)) || abort "no free pair of ports in 16817-16917"
done

export SLURM_CONF=$tmp/slurm.conf
cat >"$SLURM_CONF" <<EOF
ClusterName=hpmctest
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$tmp/munge/munge.socket
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/run/slurmctld.pid
SlurmdPidFile=$tmp/run/slurmd.pid
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
MailProg=/bin/true
SwitchType=switch/none
ReturnToService=2
# Finished jobs stay visible to scontrol for the whole test; a failed task cancels the merge.
MinJobAge=3600
DependencyParameters=kill_invalid_depend
NodeName=$node NodeAddr=127.0.0.1 $hardware State=UNKNOWN
PartitionName=test Nodes=$node Default=YES MaxTime=INFINITE State=UP
EOF

# --- daemons -------------------------------------------------------------------------------
daemon_alive() { kill -0 "$1" 2>/dev/null; }

say "starting munged, slurmctld and slurmd (config $SLURM_CONF)"
setpriv --reuid="$key_owner" --regid="$(id -g "$key_owner")" --init-groups \
    munged --foreground --key-file="$key" --socket="$tmp/munge/munge.socket" \
    --pid-file="$tmp/munge/munged.pid" --seed-file="$tmp/munge/munged.seed" \
    >"$tmp/log/munged.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do [[ -S $tmp/munge/munge.socket ]] && break; sleep 0.1; done
[[ -S $tmp/munge/munge.socket ]] || abort "munged did not start"

# In the foreground (-D), the daemons log to stderr.
slurmctld -D -i -f "$SLURM_CONF" >"$tmp/log/slurmctld.log" 2>&1 &
pids+=($!)
slurmd -D -f "$SLURM_CONF" -N "$node" >"$tmp/log/slurmd.log" 2>&1 &
pids+=($!)

state=
for ((t = 0; t < start_timeout * 2; t++)); do
    for pid in "${pids[@]}"; do daemon_alive "$pid" || abort "a daemon (pid $pid) exited during start-up"; done
    state=$(sinfo -h -n "$node" -o %T 2>/dev/null || true)
    [[ $state == idle ]] && break
    sleep 0.5
done
[[ $state == idle ]] || abort "node $node not idle after ${start_timeout}s (state: '${state:-none}')"
say "node $node is idle ($hardware)"

# --- helpers for the tests -----------------------------------------------------------------
# States of every record of a job (one per array task once they have started).
job_states() { scontrol -o show job "$1" 2>/dev/null | grep -o 'JobState=[A-Z_]*' | cut -d= -f2; }

# submit SAMPLES SHARDS OUT: the array and its merge via hpc/submit.sh; sets array_id, merge_id.
submit() {
    local ids
    ids=$(cd "$tmp/jobs" && HPMC=$hpmc ARRAY_ARGS="--cpus-per-task=1" \
        "$repo/hpc/submit.sh" "$repo/$scenario" "$1" "$2" "$seed" "$3" 2>/dev/null) \
        || abort "hpc/submit.sh failed"
    array_id=$(sed -n 's/^ARRAY_JOB_ID=//p' <<<"$ids")
    merge_id=$(sed -n 's/^MERGE_JOB_ID=//p' <<<"$ids")
    [[ -n $array_id && -n $merge_id ]] || abort "hpc/submit.sh printed no job ids: $ids"
    jobs_submitted+=("$array_id" "$merge_id")
    say "submitted array job $array_id ($2 tasks, $1 samples) and merge job $merge_id"
}

# Waits (bounded) until the merge has completed and nothing is left in the queue, calling
# the command in $on_poll (if any) on every round; sets outcome.
wait_for_jobs() {
    local start=$SECONDS states pid
    outcome=timeout
    while ((SECONDS - start < job_timeout)); do
        for pid in "${pids[@]}"; do daemon_alive "$pid" || abort "a daemon (pid $pid) died while the jobs ran"; done
        [[ -n ${on_poll:-} ]] && $on_poll
        states=$(job_states "$array_id"; job_states "$merge_id")
        if grep -qvE '^(PENDING|CONFIGURING|RUNNING|COMPLETING|COMPLETED|REQUEUED)$' <<<"$states"; then
            outcome="a job ended badly: $(tr '\n' ' ' <<<"$states")"
            break
        fi
        if [[ $(job_states "$merge_id") == COMPLETED && -z $(squeue -h -j "$array_id,$merge_id" 2>/dev/null) ]]; then
            outcome=completed
            break
        fi
        sleep 0.2
    done
    say "jobs $array_id and $merge_id: $outcome after $((SECONDS - start)) s"
    [[ $outcome == completed ]] || scontrol -o show job "$array_id" "$merge_id" 2>&1 | grep -o 'JobId=[0-9]*\|JobState=[A-Z_]*\|Reason=[^ ]*' | paste - - - >&2
    [[ $outcome == completed ]]
}

# same_as_single_run SAMPLES SHARDS OUT: all shard files there and the merged bands.csv
# byte-identical to one process.
same_as_single_run() {
    local single=$tmp/single-$1 count
    count=$(find "$3" -maxdepth 1 -name "shard-*-of-$2.hpmc" | wc -l)
    if ((count != $2)); then
        echo "  $count of $2 shard files in $3" >&2
        return 1
    fi
    [[ -f $single/bands.csv ]] || "$hpmc" run "$repo/$scenario" --samples "$1" --seed "$seed" --out "$single" --quiet >/dev/null \
        || abort "the single-process hpmc run failed"
    cmp "$3/merged/bands.csv" "$single/bands.csv" >&2
}

record() {   # record NAME STATUS
    if (($2 == 0)); then
        passed=$((passed + 1))
        echo "PASS: $1"
    else
        failed=$((failed + 1))
        echo "FAIL: $1"
    fi
}

# --- test 1: array + dependent merge equals one process ----------------------------------------
test_sharded_run() {
    local samples=20000 shards=4 out=$tmp/out-sharded
    submit "$samples" "$shards" "$out"
    on_poll='' wait_for_jobs && same_as_single_run "$samples" "$shards" "$out"
}
status=0; test_sharded_run || status=$?
record "$scenario, 20000 samples in a 4-task Slurm array + merge: bands.csv identical to one process" "$status"

# --- test 2: a requeued (preempted) task resumes from its checkpoint ---------------------------
# Shards long enough (about 3 s each on a 2-core VM, hpmc 0.11) to be caught running after their
# first checkpoint, written every 0.2 s: at 1,000,000 samples a shard took 0.46 s, and a requeue
# could land after it finished or inside its final commit.
requeue_samples=8000000
requeue_shards=2
requeued=no

# Requeues task 0 once its checkpoint exists, then lifts the delay Slurm puts on a requeued job
# (two minutes) so the test need not wait for it.
requeue_task0() {
    local out=$tmp/out-requeue task=${array_id}_0
    case $requeued in
    no)
        if [[ -e $out/shard-0-of-$requeue_shards.hpmc ]]; then
            requeued=missed
        elif [[ -e $out/shard-0-of-$requeue_shards.checkpoint ]]; then
            scontrol requeue "$task" && requeued=yes && say "requeued task $task after its checkpoint"
        fi ;;
    yes)
        if scontrol -o show job "$task" 2>/dev/null | grep -q 'JobState=PENDING.*Reason=BeginTime'; then
            scontrol update jobid="$task" StartTime=now && requeued=released
        fi ;;
    esac
}

test_requeue_resumes() {
    local out=$tmp/out-requeue log
    CHECKPOINT_EVERY=0.2 submit "$requeue_samples" "$requeue_shards" "$out"
    on_poll=requeue_task0 wait_for_jobs || return 1
    log=$tmp/jobs/hpmc-${array_id}_0.out
    if [[ $requeued != released ]]; then
        echo "  task 0 was not requeued while running (state: $requeued)" >&2
        return 1
    fi
    grep -q "resuming shard 0/$requeue_shards" "$log" || { echo "  task 0 did not resume (see $log)" >&2; return 1; }
    same_as_single_run "$requeue_samples" "$requeue_shards" "$out"
}
status=0; test_requeue_resumes || status=$?
record "a requeued array task resumes from its checkpoint: merged bands.csv still identical to one process" "$status"
