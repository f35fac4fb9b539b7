#!/usr/bin/python3
"""A stand-in for cloud-hypervisor and Firecracker, for tests: it serves each VMM's REST API on a
unix socket, checks every request against the fields the VMM documents (unknown or mistyped fields
are refused with the VMM's error shape), records the requests, and on boot plays the guest agent:
it reads the job from the config disk and reports ready, started and exit on the control channel.
Which VMM it plays is decided by the name it is called as."""
import fcntl, json, os, re, shutil, socket, socketserver, struct, subprocess, sys, tarfile, tempfile, threading, time
from http.server import BaseHTTPRequestHandler

ROLE = "firecracker" if "firecracker" in os.path.basename(sys.argv[0]) else "cloud-hypervisor"
args = sys.argv[1:]
# Started by the fake jailer: absolute paths are inside its jail (the real jailer chroots).
JAIL = os.environ.get("FAKE_JAIL_ROOT")

def host_path(path):
    return os.path.join(JAIL, path.lstrip("/")) if JAIL and path.startswith("/") else path

if ROLE == "firecracker":
    socket_path = host_path(args[args.index("--api-sock") + 1])
else:
    socket_path = args[args.index("--api-socket") + 1].split("path=", 1)[1]
# The requests are recorded where the test says (FAKE_VMM_RECORDS, one file per job directory), as
# the VMM's own directory goes with its job; each record carries the uid the VMM runs as.
records = os.environ.get("FAKE_VMM_RECORDS")
job_dir = re.search(r"/jobs/(\d+)/", os.path.abspath(socket_path))
job = job_dir.group(1) if job_dir else "unknown"
record = open(os.path.join(records, job + ".jsonl") if records else socket_path + ".requests.jsonl", "a")
state = {"config": None, "booted": False, "drives": {}, "boot": None, "machine": None, "tap": None}

def attach_tap(name):
    """Opens the tap by name as both VMMs do (TUNSETIFF on /dev/net/tun, IFF_TAP | IFF_NO_PI), in this
    process's own network namespace and as its own uid: a tap that is not there, or not this uid's,
    is an error (an unprivileged process cannot make one), as is a link of that name that is no tap."""
    try:
        fd = os.open("/dev/net/tun", os.O_RDWR)
    except OSError as e:
        return f"Open tap device failed: /dev/net/tun: {e.strerror}"
    try:
        fcntl.ioctl(fd, 0x400454ca, struct.pack("16sH22x", name.encode(), 0x1002))
    except OSError as e:
        os.close(fd)
        return f"Open tap device failed: tap {name}: {e.strerror}"
    state["tap"] = fd
    return None

def network_report(config_disk):
    """What the VMM's process can see and reach, and whether the guest's frames reach the host: the
    links of its namespace, an ARP request for the gateway written to the tap (answered or not), and
    a TCP connect to FAKE_VMM_PROBE (an address the test listens on) from the VMM's own namespace.
    Only when the test asks (FAKE_VMM_PROBE): the ARP claims the guest's address for this fake."""
    with tarfile.open(config_disk) as tar:
        network = dict(line.split("=", 1) for line in tar.extractfile("network").read().decode().split())
    address, gateway = network["address"].split("/")[0], network["gateway"]
    with open("/proc/self/net/dev") as dev:
        links = sorted(line.split(":")[0].strip() for line in dev.readlines()[2:])
    mac = bytes([0x52, 0x54, 0, 0x12, 0x34, 0x56])
    arp = struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, 1, mac, socket.inet_aton(address), b"\0" * 6,
                      socket.inet_aton(gateway))
    os.write(state["tap"], b"\xff" * 6 + mac + b"\x08\x06" + arp)
    answered = None
    deadline = time.time() + 5
    os.set_blocking(state["tap"], False)
    while answered is None and time.time() < deadline:
        try:
            frame = os.read(state["tap"], 2048)
        except BlockingIOError:
            time.sleep(0.05)
            continue
        if frame[12:14] == b"\x08\x06" and frame[20:22] == b"\x00\x02" and frame[28:32] == socket.inet_aton(gateway):
            answered = frame[22:28].hex(":")
    host, port = os.environ["FAKE_VMM_PROBE"].rsplit(":", 1)
    try:
        socket.create_connection((host, int(port)), timeout=3).close()
        reach = "connected"
    except OSError as e:
        reach = e.strerror or str(e)
    return {"method": "NET", "netns": os.readlink("/proc/self/ns/net"), "links": links, "uid": os.getuid(),
            "arp_answer": answered, "probe": reach}

def check(obj, spec, where):
    """spec: field -> (type, required). Returns an error text or None."""
    if not isinstance(obj, dict):
        return f"{where}: expected an object"
    for key in obj:
        if key not in spec:
            return f"{where}: unknown field `{key}`"
    for key, (kind, required) in spec.items():
        if key not in obj:
            if required:
                return f"{where}: missing field `{key}`"
            continue
        if kind is int and (isinstance(obj[key], bool) or not isinstance(obj[key], int)):
            return f"{where}.{key}: expected an integer"
        if kind is not int and not isinstance(obj[key], kind):
            return f"{where}.{key}: expected {kind.__name__}"
    return None

CH_SPECS = {
    "payload": {"kernel": (str, False), "cmdline": (str, False), "initramfs": (str, False), "firmware": (str, False)},
    "cpus": {"boot_vcpus": (int, True), "max_vcpus": (int, True)},
    "memory": {"size": (int, True), "shared": (bool, False), "hugepages": (bool, False)},
    "disk": {"path": (str, True), "readonly": (bool, False), "direct": (bool, False), "serial": (str, False),
             "id": (str, False), "iommu": (bool, False)},
    "device": {"path": (str, True), "iommu": (bool, False), "id": (str, False)},
    "console": {"mode": (str, True), "file": (str, False), "iommu": (bool, False)},
    "net": {"tap": (str, False), "ip": (str, False), "mask": (str, False), "mac": (str, False),
            "host_mac": (str, False), "mtu": (int, False), "iommu": (bool, False), "num_queues": (int, False),
            "queue_size": (int, False), "id": (str, False), "vhost_user": (bool, False)},
}
VM_CONFIG = {"payload": (dict, True), "cpus": (dict, False), "memory": (dict, False), "disks": (list, False),
             "devices": (list, False), "serial": (dict, False), "console": (dict, False), "net": (list, False),
             "rng": (dict, False)}

def validate_vm_config(config):
    error = check(config, VM_CONFIG, "VmConfig")
    if error:
        return error
    for key in ("payload", "cpus", "memory"):
        if key in config:
            error = check(config[key], CH_SPECS[key], key)
            if error:
                return error
    for disk in config.get("disks", []):
        error = check(disk, CH_SPECS["disk"], "disks[]") or (None if os.path.exists(disk["path"])
                                                               else f"disks[]: {disk['path']} does not exist")
        if error:
            return error
    for device in config.get("devices", []):
        error = check(device, CH_SPECS["device"], "devices[]")
        if error:
            return error
        if not re.fullmatch(r"/sys/bus/pci/devices/[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]/", device["path"]):
            return f"devices[]: not a sysfs PCI device path: {device['path']}"
    for net in config.get("net", []):
        error = check(net, CH_SPECS["net"], "net[]")
        if error:
            return error
        if "tap" in net:
            error = attach_tap(net["tap"])
            if error:
                return f"net[]: Error creating network interface: {error}"
    for key in ("serial", "console"):
        if key in config:
            error = check(config[key], CH_SPECS["console"], key)
            if error:
                return error
            if config[key]["mode"] not in ("Off", "Pty", "Tty", "File", "Socket", "Null"):
                return f"{key}.mode: unknown mode {config[key]['mode']}"
            if config[key]["mode"] == "File" and "file" not in config[key]:
                return f"{key}: mode File needs a file"
    return None

FC_SPECS = {
    "/boot-source": {"kernel_image_path": (str, True), "boot_args": (str, False), "initrd_path": (str, False)},
    "drive": {"drive_id": (str, True), "path_on_host": (str, True), "is_root_device": (bool, True),
              "is_read_only": (bool, False), "partuuid": (str, False), "cache_type": (str, False)},
    "/machine-config": {"vcpu_count": (int, True), "mem_size_mib": (int, True), "smt": (bool, False),
                        "track_dirty_pages": (bool, False)},
    "/actions": {"action_type": (str, True)},
    "network-interface": {"iface_id": (str, True), "host_dev_name": (str, True), "guest_mac": (str, False),
                          "rx_rate_limiter": (dict, False), "tx_rate_limiter": (dict, False)},
}

DEBUGFS = shutil.which("debugfs") or "/sbin/debugfs"

def cache_lines(script, cache_disk, serial):
    """The agent mounts a cache disk at /cache: here `echo TEXT > /cache/NAME` and `cat /cache/NAME`
    lines of the script are played on the disk's ext4 with debugfs, as the guest would write and read."""
    for line in script.splitlines():
        if m := re.fullmatch(r"\s*echo (\S+) > /cache/([\w.-]+)\s*", line):
            with tempfile.NamedTemporaryFile("w", delete=False) as text:
                text.write(m.group(1) + "\n")
            subprocess.run([DEBUGFS, "-w", "-R", f"rm {m.group(2)}", cache_disk], capture_output=True)
            subprocess.run([DEBUGFS, "-w", "-R", f"write {text.name} {m.group(2)}", cache_disk], capture_output=True,
                           check=True)
            os.unlink(text.name)
        elif m := re.fullmatch(r"\s*cat /cache/([\w.-]+)\s*", line):
            read = subprocess.run([DEBUGFS, "-R", f"cat /{m.group(1)}", cache_disk], capture_output=True, text=True)
            serial("cache: " + (read.stdout.strip() or "(no such file)"))

def play_guest(serial, control, config_disk, cache_disk):
    """What the guest agent would say: the job's script is not run, its exit code is taken from it."""
    time.sleep(0.2)
    if state["tap"] is not None and os.environ.get("FAKE_VMM_PROBE"):
        record.write(json.dumps(network_report(config_disk)) + "\n"); record.flush()
    with tarfile.open(config_disk) as tar:
        script = tar.extractfile("script").read().decode()
    code = int(m.group(1)) if (m := re.search(r"exit (\d+)\s*$", script.strip())) else 0
    control('{"event":"ready"}')
    control('{"event":"started"}')
    if m := re.match(r"sleep (\d+)", script):
        time.sleep(int(m.group(1)))  # a job that runs a while: the VM can be talked to meanwhile
    serial(f"fake {ROLE} guest ran: {script.strip().splitlines()[0]}")
    if cache_disk:
        cache_lines(script, cache_disk, serial)
    control(f'{{"event":"exit","code":{code}}}')
    time.sleep(0.1)
    os._exit(0)  # the guest powered off: the VMM exits

def start_guest():
    if ROLE == "firecracker":
        def serial(line):
            sys.stdout.write(line + "\n"); sys.stdout.flush()
        def control(line):
            sys.stdout.write("\x1eRIGDESK " + line + "\n"); sys.stdout.flush()
        disk = host_path(state["drives"]["config"]["path_on_host"])
        cache = host_path(state["drives"]["cache"]["path_on_host"]) if "cache" in state["drives"] else None
    else:
        config = state["config"]
        def appender(path):
            # Opened once and kept, as the VMM does: the serial file is a FIFO whose reader stops at
            # the first writer's close.
            f = open(path, "a", buffering=1)
            def write(line):
                f.write(line + "\n")
            return write
        serial = appender(config["serial"]["file"])
        control = appender(config["console"]["file"])
        disk = next(d["path"] for d in config["disks"] if d.get("readonly"))
        cache = next((d["path"] for d in config["disks"] if d.get("serial") == "rigdesk-cache"), None)
    threading.Thread(target=play_guest, args=(serial, control, disk, cache), daemon=True).start()

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def address_string(self):
        return "unix"

    def log_message(self, *a):
        pass

    def answer(self, status, body=None):
        data = b"" if body is None else (json.dumps(body) if not isinstance(body, str) else body).encode()
        self.send_response(status)
        if data:
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def refuse(self, text):
        self.answer(400, {"fault_message": text} if ROLE == "firecracker" else text)

    def do_GET(self):
        record.write(json.dumps({"method": "GET", "path": self.path, "uid": os.getuid(), "jailed": bool(JAIL)}) + "\n"); record.flush()
        if ROLE == "cloud-hypervisor" and self.path == "/api/v1/vm.info":
            if state["config"] is None:
                return self.answer(500, "VM is not created")
            return self.answer(200, {"config": state["config"], "state": "Running" if state["booted"] else "Created"})
        if ROLE == "cloud-hypervisor" and self.path == "/api/v1/vmm.ping":
            return self.answer(200, {"version": "fake"})
        self.answer(404, "not found")

    def do_PUT(self):
        length = int(self.headers.get("Content-Length", 0))
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            return self.refuse("body is not JSON")
        record.write(json.dumps({"method": "PUT", "path": self.path, "body": body, "uid": os.getuid(),
                                 "jailed": bool(JAIL)}) + "\n"); record.flush()
        (self.put_ch if ROLE == "cloud-hypervisor" else self.put_fc)(body)

    def put_ch(self, body):
        path = self.path
        if path == "/api/v1/vm.create":
            if state["config"] is not None:
                return self.refuse("VM already created")
            error = validate_vm_config(body)
            if error:
                return self.refuse(error)
            state["config"] = body
            return self.answer(204)
        if path == "/api/v1/vm.boot":
            if state["config"] is None:
                return self.refuse("VM is not created")
            state["booted"] = True
            start_guest()
            return self.answer(204)
        if path == "/api/v1/vm.add-disk":
            # Hot-plugs into a running VM; answers 200 with the PciDeviceInfo (id, bdf) of the new device.
            if not state["booted"]:
                return self.refuse("VM is not booted")
            error = check(body, CH_SPECS["disk"], "DiskConfig") or (None if os.path.exists(body["path"])
                                                                    else f"DiskConfig: {body['path']} does not exist")
            if error:
                return self.refuse(error)
            ids = [d.get("id") for d in state["config"].get("disks", [])] + state.setdefault("added", [])
            disk_id = body.get("id") or f"_disk{len(ids)}"
            if disk_id in ids:
                return self.refuse(f"Identifier {disk_id} is not unique")
            state["added"].append(disk_id)
            return self.answer(200, {"id": disk_id, "bdf": f"0000:00:{6 + len(state['added']):02x}.0"})
        if path in ("/api/v1/vm.shutdown", "/api/v1/vm.power-button"):
            return self.answer(204) if state["booted"] else self.refuse("VM is not booted")
        if path == "/api/v1/vmm.shutdown":
            self.answer(204)
            threading.Timer(0.05, lambda: os._exit(0)).start()
            return None
        self.answer(404, "unknown endpoint")

    def put_fc(self, body):
        path = self.path
        if state["booted"] and path != "/actions":
            return self.refuse("The requested operation is not supported after starting the microVM.")
        if path == "/boot-source" or path == "/machine-config":
            error = check(body, FC_SPECS[path], path)
            if error:
                return self.refuse(error)
            state["boot" if path == "/boot-source" else "machine"] = body
            return self.answer(204)
        if path.startswith("/network-interfaces/"):
            error = check(body, FC_SPECS["network-interface"], "network-interface")
            if error:
                return self.refuse(error)
            if body["iface_id"] != path[len("/network-interfaces/"):]:
                return self.refuse("The id from the path does not match the id from the body!")
            error = attach_tap(body["host_dev_name"])
            if error:
                return self.refuse(f"Could not create the network device: {error}")
            state["net"] = body
            return self.answer(204)
        if path.startswith("/drives/"):
            error = check(body, FC_SPECS["drive"], "drive")
            if error:
                return self.refuse(error)
            if body["drive_id"] != path[len("/drives/"):]:
                return self.refuse("The id from the path does not match the id from the body!")
            if not os.path.exists(host_path(body["path_on_host"])):
                return self.refuse(f"Unable to open the block device backing file: {body['path_on_host']}")
            state["drives"][body["drive_id"]] = body
            return self.answer(204)
        if path == "/actions":
            error = check(body, FC_SPECS["/actions"], "/actions")
            if error:
                return self.refuse(error)
            if body["action_type"] == "InstanceStart":
                if state["boot"] is None or state["machine"] is None or "config" not in state["drives"]:
                    return self.refuse("Cannot start microvm without a boot source, machine config and drives.")
                state["booted"] = True
                start_guest()
                return self.answer(204)
            if body["action_type"] in ("SendCtrlAltDel", "FlushMetrics"):
                return self.answer(204)
            return self.refuse(f"unknown action_type {body['action_type']}")
        self.answer(404, {"fault_message": "Invalid request method and/or path"})

class Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True

if os.path.exists(socket_path):
    os.unlink(socket_path)
Server(socket_path, Handler).serve_forever()
