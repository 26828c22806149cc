#!/usr/bin/env bash
# Submits a sharded hpmc run to Slurm: an array of SHARDS tasks (hpmc-array.sbatch), then
# the merge (hpmc-merge.sbatch), which starts only once every task has succeeded.
#
# Usage: hpc/submit.sh SCENARIO SAMPLES SHARDS [SEED] [OUT]
#   SEED defaults to 1, OUT to hpmc-out; the merged results land in OUT/merged.
#   HPMC selects the binary (default: hpmc on PATH, else this checkout's .build/release/hpmc).
#   SBATCH_ARGS adds sbatch options to both jobs, e.g. SBATCH_ARGS="--partition=short --account=me";
#   ARRAY_ARGS adds sbatch options to the array only, e.g. ARRAY_ARGS="--cpus-per-task=16".
#   SAMPLER and CHECKPOINT_EVERY reach hpmc-array.sbatch through the environment.
# Prints ARRAY_JOB_ID=<id> and MERGE_JOB_ID=<id>.
set -euo pipefail

usage() {
    sed -n '5,11s/^# \{0,1\}//p' "$0" >&2
    [[ -n ${1:-} ]] && echo "error: $1" >&2
    exit 2
}

[[ $# -ge 3 && $# -le 5 ]] || usage
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
positive='^[1-9][0-9]*$'
[[ -r $1 ]] || usage "scenario '$1' is not a readable file"
[[ $2 =~ $positive ]] || usage "SAMPLES '$2' is not a positive integer"
[[ $3 =~ $positive ]] || usage "SHARDS '$3' is not a positive integer"
[[ ${4:-1} =~ ^[0-9]+$ ]] || usage "SEED '$4' is not a non-negative integer"
command -v sbatch >/dev/null || usage "sbatch not found: run this on a Slurm login node"

# Absolute paths, since the jobs may start in another directory or on another node.
SCENARIO=$(realpath "$1")
SAMPLES=$2
SHARDS=$3
SEED=${4:-1}
OUT=$(realpath -m "${5:-hpmc-out}")
HPMC=${HPMC:-$(command -v hpmc || echo "$here/../.build/release/hpmc")}
[[ $HPMC == */* ]] || HPMC=$(command -v "$HPMC" || echo "$HPMC")
HPMC=$(realpath -m "$HPMC")
[[ -x $HPMC ]] || usage "hpmc binary '$HPMC' not found (build it with 'make build' or set HPMC)"
export SCENARIO SAMPLES SHARDS SEED OUT HPMC
mkdir -p "$OUT"

read -r -a both <<< "${SBATCH_ARGS:-}"
read -r -a array_only <<< "${ARRAY_ARGS:-}"
# --parsable prints "id" or "id;cluster".
array_id=$(sbatch --parsable --export=ALL "${both[@]}" "${array_only[@]}" --array="0-$((SHARDS - 1))" "$here/hpmc-array.sbatch")
array_id=${array_id%%;*}
merge_id=$(sbatch --parsable --export=ALL "${both[@]}" --dependency="afterok:$array_id" "$here/hpmc-merge.sbatch")
merge_id=${merge_id%%;*}
echo "ARRAY_JOB_ID=$array_id"
echo "MERGE_JOB_ID=$merge_id"
echo "shards in $OUT, merged results in $OUT/merged" >&2
