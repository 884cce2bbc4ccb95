"""The program examples/hello_world.aurora runs: says hello every few seconds, forever."""

import os
import socket
import time

if __name__ == '__main__':
    count = 0
    while True:
        print('Hello world! (%d, from %s, pid %d)' % (count, socket.gethostname(), os.getpid()),
              flush=True)
        count += 1
        time.sleep(5)
