#!/bin/sh
# The runner's job hooks (ACTIONS_RUNNER_HOOK_JOB_STARTED / _COMPLETED point at copies of this file
# named job-started.sh and job-completed.sh): they tell rigdeskd which GitHub job this VM runs, from
# the GITHUB_* variables the runner gives hooks, so the job record shows repository, workflow, job,
# run id and attempt. They run as the runner's user; what they do needs root (the control channel is
# the runner's group's, but mounting the cache is root's), so they go on through its sudo.
[ "$(id -u)" -eq 0 ] || exec sudo -n -E sh "$0" "$@"
text() { printf '%s' "$1" | tr -d '\000-\037' | sed 's/\\/\\\\/g; s/"/\\"/g' | cut -c1-200; }
number() { case "$1" in ''|*[!0-9]*) echo null ;; *) echo "$1" ;; esac; }
case "$(basename "$0")" in
    job-started*) event=job-started ;;
    *) event=job-completed ;;
esac
/opt/rigdesk/ctl "$(printf '{"event":"%s","repository":"%s","workflow":"%s","job":"%s","runId":%s,"runAttempt":%s}' \
    "$event" "$(text "${GITHUB_REPOSITORY:-}")" "$(text "${GITHUB_WORKFLOW:-}")" "$(text "${GITHUB_JOB:-}")" \
    "$(number "${GITHUB_RUN_ID:-}")" "$(number "${GITHUB_RUN_ATTEMPT:-}")")"
# An organisation's runner: rigdeskd attaches the job's repository's cache once GitHub confirms the
# run (a disk with serial rigdesk-cache appears); the job's steps start once it is mounted at /cache.
# A root with Docker: the job's steps start once it answers (dockerd started at boot, beside the runner).
if [ "$event" = job-started ] && command -v dockerd > /dev/null; then
    n=0
    while [ ! -s /run/rigdesk-docker ] && [ $n -lt 1800 ]; do sleep 0.1; n=$((n + 1)); done
fi
if [ "$event" = job-started ] && [ -f /job/cache-late ]; then
    n=0
    while [ $n -lt 300 ]; do
        for disk in /sys/block/vd?; do
            [ "$(cat "$disk/serial" 2>/dev/null)" = rigdesk-cache ] || continue
            mkdir -p /cache
            if mount -t ext4 -o noinit_itable "/dev/${disk##*/}" /cache; then
                mkdir -p /cache/xdg /cache/huggingface /cache/torch /cache/pip /cache/npm /cache/ccache
                echo "rigdesk: the cache of ${GITHUB_REPOSITORY:-this repository} is at /cache"
            else
                echo "rigdesk: cannot mount the cache disk"
            fi
            exit 0
        done
        sleep 0.1
        n=$((n + 1))
    done
    echo "rigdesk: no cache for this job (rigdeskd's line at the end of the job's log says why)"
fi
exit 0
