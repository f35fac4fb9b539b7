# A job for the runner image (RunnerImageTest): what GitHub's runners give a workflow, checked from
# inside the job's VM. Each check prints one "ok: ..." line; the first that fails ends the job.
set -e
cat /etc/debian_version
test -d /opt/actions-runner && test ! -e /opt/actions-runner/run.sh && echo "ok: no runner in the image"
# Docker Engine runs, its data on the job's disk.
docker info --format 'ok: docker {{.ServerVersion}}, storage {{.Driver}}, root {{.DockerRootDir}}'
# An image from a tarball made here, in `docker save`'s format (no registry): a root holding the
# image's own dash and the C library it needs, one layer, a config naming the layer by its digest.
work=$(mktemp -d)
mkdir -p "$work/root/bin" "$work/root/lib/x86_64-linux-gnu" "$work/root/lib64" "$work/image/layer"
cp /bin/dash "$work/root/bin/sh"
cp /lib/x86_64-linux-gnu/libc.so.6 "$work/root/lib/x86_64-linux-gnu/"
cp /lib64/ld-linux-x86-64.so.2 "$work/root/lib64/"
tar -C "$work/root" -cf "$work/image/layer/layer.tar" .
digest=$(sha256sum "$work/image/layer/layer.tar" | cut -d' ' -f1)
printf '{"architecture":"amd64","os":"linux","config":{"Cmd":["/bin/sh"]},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' \
    "$digest" > "$work/image/config.json"
printf '[{"Config":"config.json","RepoTags":["rigdesk-test/hello:1"],"Layers":["layer/layer.tar"]}]' > "$work/image/manifest.json"
tar -C "$work/image" -cf "$work/hello.tar" manifest.json config.json layer
docker load -i "$work/hello.tar"
docker run --rm --network none rigdesk-test/hello:1 /bin/sh -c 'echo "ok: a container ran as pid $$"'
# The runner's user: passwordless sudo, Docker without it, the tool cache GitHub's images have.
as_runner() { setpriv --reuid=runner --regid=runner --init-groups "$@"; }
as_runner sudo -n true && echo "ok: runner has passwordless sudo"
as_runner docker version --format 'ok: runner reaches docker {{.Server.Version}}' 
test "$RUNNER_TOOL_CACHE" = /opt/hostedtoolcache && as_runner test -w "$RUNNER_TOOL_CACHE" && echo "ok: tool cache $RUNNER_TOOL_CACHE"
for tool in git git-lfs curl jq zstd unzip rsync make gcc python3; do command -v "$tool" > /dev/null || { echo "missing: $tool"; exit 1; }; done
python3 -m venv "$work/venv" && echo "ok: python3 venv"
