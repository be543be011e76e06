#!/usr/bin/env python3
# A tiny loopback server for exec_test.sh's server mode: listens on 127.0.0.1:PORT, answers
# each connection's line with "pong <n>" (allocating a little per request), says "listening"
# once bound (flushed: the --ready regex reads it), and exits 0 on SIGTERM.
# Usage: exec_test_server.py PORT [exit-after-seconds]
import os, signal, socket, sys, threading

port = int(sys.argv[1])
signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
if len(sys.argv) > 2:  # exits early on purpose: the test's "server exited" case
    threading.Timer(float(sys.argv[2]), lambda: os._exit(4)).start()
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", port))
s.listen(16)
print("listening", flush=True)
n = 0
while True:
    c, _ = s.accept()
    with c:
        data = c.recv(1024)
        n += 1
        keep = [bytes(64) * (n % 50) for _ in range(100)]  # some allocation per request
        c.sendall(b"pong %d %d\n" % (n, len(keep)))
