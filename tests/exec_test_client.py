#!/usr/bin/env python3
# The client of exec_test.sh's server mode: N requests to 127.0.0.1:PORT, then "rps <figure>".
# Usage: exec_test_client.py PORT N
import socket, sys, time

port, n = int(sys.argv[1]), int(sys.argv[2])
t0 = time.monotonic()
for _ in range(n):
    with socket.create_connection(("127.0.0.1", port)) as c:
        c.sendall(b"ping\n")
        if not c.recv(64).startswith(b"pong"):
            sys.exit("bad answer")
print("rps %.1f" % (n / (time.monotonic() - t0)))
