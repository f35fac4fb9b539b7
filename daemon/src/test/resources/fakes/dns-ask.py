#!/usr/bin/python3
"""Asks SERVER for NAME's A record over UDP (RFC 1035), from SOURCE when given; prints
"rcode=N addresses=A,B" or "no answer" (2 s). Usage: dns-ask.py SERVER NAME [SOURCE]"""
import socket, struct, sys

server, name = sys.argv[1], sys.argv[2]
sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
if len(sys.argv) > 3:
    sock.bind((sys.argv[3], 0))
sock.settimeout(2)
question = b"".join(bytes([len(label)]) + label.encode() for label in name.split(".")) + b"\0\0\1\0\1"
sock.sendto(struct.pack("!HHHHHH", 0x4242, 0x0100, 1, 0, 0, 0) + question, (server, 53))
try:
    reply, _ = sock.recvfrom(4096)
except socket.timeout:
    print("no answer")
    sys.exit(0)
count = struct.unpack("!H", reply[6:8])[0]
at, addresses = 12 + len(question), []
for _ in range(count):
    at += 2 if reply[at] & 0xC0 == 0xC0 else reply.index(b"\0", at) + 1 - at
    rtype, _, _, length = struct.unpack("!HHIH", reply[at:at + 10])
    if rtype == 1 and length == 4:
        addresses.append(socket.inet_ntoa(reply[at + 10:at + 14]))
    at += 10 + length
print(f"rcode={reply[3] & 15} addresses={','.join(addresses)}")
