#!/bin/sh
# The runner's job hooks (ACTIONS_RUNNER_HOOK_JOB_STARTED / _COMPLETED point at copies of this file
# named job-started.sh and job-completed.sh): they tell rigdeskd which GitHub job this VM runs, from
# the GITHUB_* variables the runner gives hooks, so the job record shows repository, workflow, job,
# run id and attempt.
text() { printf '%s' "$1" | tr -d '\000-\037' | sed 's/\\/\\\\/g; s/"/\\"/g' | cut -c1-200; }
number() { case "$1" in ''|*[!0-9]*) echo null ;; *) echo "$1" ;; esac; }
case "$(basename "$0")" in
    job-started*) event=job-started ;;
    *) event=job-completed ;;
esac
/opt/rigdesk/ctl "$(printf '{"event":"%s","repository":"%s","workflow":"%s","job":"%s","runId":%s,"runAttempt":%s}' \
    "$event" "$(text "${GITHUB_REPOSITORY:-}")" "$(text "${GITHUB_WORKFLOW:-}")" "$(text "${GITHUB_JOB:-}")" \
    "$(number "${GITHUB_RUN_ID:-}")" "$(number "${GITHUB_RUN_ATTEMPT:-}")")"
exit 0
