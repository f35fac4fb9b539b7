#!/usr/bin/python3
"""A stand-in for Firecracker's jailer (docs/jailer.md), for tests: it takes the jailer's options,
checks them as the jailer does, makes <chroot-base>/<exec file name>/<id>/root, copies the exec
file into it, hands the root to --uid:--gid, drops to them (no groups), and execs the copy with
--id=<id> and the arguments after --. It does not chroot (a fake has no static binary to run in
one): it tells the fake Firecracker its jail in FAKE_JAIL_ROOT, and that one reads every absolute
path inside it, as the jailed one would."""
import os, re, shutil, sys

args = sys.argv[1:]
if "--" in args:
    extra = args[args.index("--") + 1:]
    args = args[:args.index("--")]
else:
    extra = []
opts = {}
i = 0
while i < len(args):
    if not args[i].startswith("--") or i + 1 >= len(args):
        sys.exit(f"jailer: unexpected argument {args[i]}")
    opts[args[i][2:]] = args[i + 1]
    i += 2
for required in ("id", "exec-file", "uid", "gid"):
    if required not in opts:
        sys.exit(f"jailer: missing --{required}")
unknown = set(opts) - {"id", "exec-file", "uid", "gid", "cgroup-version", "chroot-base-dir", "parent-cgroup", "netns"}
if unknown:
    sys.exit(f"jailer: unknown options {sorted(unknown)}")
if not re.fullmatch(r"[A-Za-z0-9-]{1,64}", opts["id"]):
    sys.exit("jailer: Invalid instance ID")
exec_file = opts["exec-file"]
if "firecracker" not in os.path.basename(exec_file):
    sys.exit("jailer: the exec file name must include 'firecracker'")
if opts.get("cgroup-version", "1") not in ("1", "2"):
    sys.exit("jailer: --cgroup-version must be 1 or 2")
uid, gid = int(opts["uid"]), int(opts["gid"])
root = os.path.join(opts.get("chroot-base-dir", "/srv/jailer"), os.path.basename(exec_file), opts["id"], "root")
os.makedirs(root, exist_ok=True)
jailed = os.path.join(root, os.path.basename(exec_file))
shutil.copy2(exec_file, jailed)
os.chown(root, uid, gid)
env = {"FAKE_JAIL_ROOT": root, "PATH": "/usr/bin:/bin"}
for name in ("FAKE_VMM_RECORDS", "FAKE_VMM_PROBE"):  # the test's instruments, not the VMM's environment
    if name in os.environ:
        env[name] = os.environ[name]
os.setgroups([])
os.setgid(gid)
os.setuid(uid)
os.execve(jailed, [jailed, "--id=" + opts["id"]] + extra, env)
