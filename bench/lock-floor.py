#!/usr/bin/env python3
# The lock's file-system floor, outside Node: three lock sequences timed on one directory in the same process, so
# each pays the same per-call overhead (docs/bench.md, "Where the time goes"):
#   oexcl    open(O_CREAT|O_EXCL) + close + unlink: what any O_EXCL lock must at least do
#   record   the owner-record lock's nine calls: access, candidate open + write + fstat + close, link, lstat, two unlinks
#   tmpfile  the same record published from an unnamed O_TMPFILE inode with linkat (2 directory updates, as O_EXCL)
#   pinned   the fewest calls that still publish a whole record with link(2): the candidate unlinked right after the
#            link, its inode kept from reuse by the open descriptor, ownership judged by its link count at release
#            (7 calls, no pre-check; a weaker test than the lock's: it cannot tell a lock renamed away)
#   inplace  the record written into the O_EXCL file itself: 4 calls, but a reader can find it empty or half written
#   symlink  the record as a symbolic link's target (symlink, readlink to check ownership, unlink): 3 calls, whole at
#            once — and a symlinked lock file, which DESIGN section 4 refuses, and which Windows lets few users make
# Usage: python3 bench/lock-floor.py DIR [ITERATIONS]   (Linux; DIR on the file system to measure, e.g. a fresh
# mktemp -d). Prints the best of 3 rounds per sequence: wall, system and user time per acquire+release.
import ctypes
import os
import sys
import time

libc = ctypes.CDLL(None, use_errno=True)
AT_FDCWD = -100
AT_SYMLINK_FOLLOW = 0x400

d = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 20000
lock = os.path.join(d, 'x.lock')
cand = os.path.join(d, 'x.lock.cand')
rec = b'x' * 300


def oexcl():
    fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)
    os.unlink(lock)


def free():
    try:
        os.access(lock, os.F_OK)
    except OSError:
        pass


def record():
    free()
    fd = os.open(cand, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.write(fd, rec)
    ino = os.fstat(fd).st_ino
    os.close(fd)
    os.link(cand, lock)
    assert os.lstat(lock).st_ino == ino
    os.unlink(lock)
    os.unlink(cand)


def tmpfile():
    free()
    fd = os.open(d, os.O_TMPFILE | os.O_WRONLY, 0o600)
    os.write(fd, rec)
    ino = os.fstat(fd).st_ino
    if libc.linkat(AT_FDCWD, f'/proc/self/fd/{fd}'.encode(), AT_FDCWD, lock.encode(), AT_SYMLINK_FOLLOW) != 0:
        raise OSError(ctypes.get_errno(), 'linkat')
    assert os.lstat(lock).st_ino == ino
    os.unlink(lock)
    os.close(fd)


def pinned():
    fd = os.open(cand, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.write(fd, rec)
    os.link(cand, lock)
    os.unlink(cand)
    assert os.fstat(fd).st_nlink == 1
    os.unlink(lock)
    os.close(fd)


def inplace():
    fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.write(fd, rec)
    os.close(fd)
    os.unlink(lock)


text = rec.decode()


def symlink():
    os.symlink(text, lock)
    assert os.readlink(lock) == text
    os.unlink(lock)


SEQUENCES = (('oexcl', oexcl), ('record', record), ('tmpfile', tmpfile), ('pinned', pinned), ('inplace', inplace),
             ('symlink', symlink))
results = {}
for _ in range(3):
    for name, step in SEQUENCES:
        t0, c0 = time.perf_counter(), os.times()
        for _ in range(n):
            step()
        c1, t1 = os.times(), time.perf_counter()
        per = lambda x: x / n * 1e6  # noqa: E731
        results.setdefault(name, []).append((per(t1 - t0), per(c1.system - c0.system), per(c1.user - c0.user)))
floor = min(results['oexcl'])[0]
for name, runs in results.items():
    wall, system, user = min(runs)
    print(f'{name:8s} wall {wall:6.1f} us ({wall / floor:.2f}x O_EXCL)  sys {system:5.1f} us  user {user:5.1f} us')
print('load', open('/proc/loadavg').read().strip())
