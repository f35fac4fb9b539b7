#!/bin/sh
# A stand-in for the GitHub Actions runner's run.sh, for tests and the demo. The GitHub stand-ins
# serve it as an actions/runner release (a tarball with this file as run.sh and standin-version),
# so it reaches runner VMs as the real runner does: downloaded, checked and kept by rigdeskd, and
# handed to each VM read-only. It behaves as the real runner does for Rigdesk's purposes:
#   run.sh --jitconfig ENCODED   decodes the just-in-time config (base64 JSON whose ".runner" entry
#                                is base64 JSON with agentName), says it is listening, then waits;
#   a test job on the config disk (/job/test-job.env with GITHUB_* variables, /job/test-job.script)
#   stands in for the job GitHub would hand it: it fires ACTIONS_RUNNER_HOOK_JOB_STARTED, runs the
#   script, prints the real runner's "completed with result:" line, fires _JOB_COMPLETED, exits.
# Without a test job it listens until the VM is stopped, as an idle real runner does.
set -u
stamp() { date -u '+%Y-%m-%d %H:%M:%SZ'; }
if [ "${1:-}" != "--jitconfig" ] || [ -z "${2:-}" ]; then
    echo "usage: run.sh --jitconfig ENCODED_JIT_CONFIG" >&2
    exit 2
fi
decoded=$(printf '%s' "$2" | base64 -d 2>/dev/null)
runner=$(printf '%s' "$decoded" | sed -n 's/.*"\.runner" *: *"\([A-Za-z0-9+\/=]*\)".*/\1/p' | base64 -d 2>/dev/null)
name=$(printf '%s' "$runner" | sed -n 's/.*"agentName" *: *"\([^"]*\)".*/\1/p')
if [ -z "$name" ]; then
    # The real runner would refuse; a stand-in GitHub may hand out an opaque config, so go on.
    echo "$(stamp): the JIT config has no .runner entry with an agentName (a stand-in GitHub's?): going on" >&2
    name=stand-in
fi
echo "√ Connected to GitHub"
echo ""
version=$(cat "$(dirname "$0")/standin-version" 2>/dev/null || echo unknown)
echo "Current runner version: '$version' (Rigdesk stand-in, runner $name)"
echo "$(stamp): Listening for Jobs"
if [ ! -f /job/test-job.script ]; then
    while true; do sleep 3600; done
fi
set -a
[ -f /job/test-job.env ] && . /job/test-job.env
set +a
export RUNNER_NAME="$name"
echo "$(stamp): Running job: ${GITHUB_JOB:-test}"
[ -n "${ACTIONS_RUNNER_HOOK_JOB_STARTED:-}" ] && sh "$ACTIONS_RUNNER_HOOK_JOB_STARTED"
sh /job/test-job.script < /dev/null
code=$?
[ -n "${ACTIONS_RUNNER_HOOK_JOB_COMPLETED:-}" ] && sh "$ACTIONS_RUNNER_HOOK_JOB_COMPLETED"
if [ $code -eq 0 ]; then result=Succeeded; else result=Failed; fi
echo "$(stamp): Job ${GITHUB_JOB:-test} completed with result: $result"
exit 0
