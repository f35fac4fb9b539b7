#!/usr/bin/python3
"""The test world's DNS server (RFC 1035 over UDP): names under .test answer A with their own
address when one is given (NAME=ADDRESS), else the default; other names are NXDOMAIN.
Usage: tiny-dns.py BIND_ADDRESS DEFAULT_ADDRESS [NAME=ADDRESS ...]"""
import socket, struct, sys

bind, default = sys.argv[1], socket.inet_aton(sys.argv[2])
named = {name.lower(): socket.inet_aton(address) for name, address in (a.split("=", 1) for a in sys.argv[3:])}
sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sock.bind((bind, 53))
while True:
    query, peer = sock.recvfrom(4096)
    if len(query) < 12:
        continue
    ident, = struct.unpack("!H", query[:2])
    at, labels = 12, []
    while at < len(query) and query[at]:
        labels.append(query[at + 1:at + 1 + query[at]].decode("ascii", "replace"))
        at += 1 + query[at]
    question = query[12:at + 5]
    qtype, = struct.unpack("!H", query[at + 1:at + 3])
    ours = labels and labels[-1].lower() == "test"
    answer = named.get(".".join(labels).lower(), default)
    header = struct.pack("!HHHHHH", ident, 0x8180 if ours else 0x8183, 1, 1 if ours and qtype == 1 else 0, 0, 0)
    record = b"\xc0\x0c" + struct.pack("!HHIH", 1, 1, 60, 4) + answer if ours and qtype == 1 else b""
    sock.sendto(header + question + record, peer)
