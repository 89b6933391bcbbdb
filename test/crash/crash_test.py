#!/usr/bin/env python3
"""Kills a writing process with SIGKILL at random moments and checks the database after each kill.

    crash_test.py path/to/crash_writer [CYCLES]

Each cycle starts crash_writer on the same directory (8 sessions moving money between accounts,
logging each transfer), records every "C id" (COMMIT returned) and "R id" (rolled back) line it
prints, kills it with SIGKILL after 0.1-0.8 s, then runs `crash_writer DIR check` on the ids
seen so far: every acknowledged commit is there in full, no rolled-back or partial transfer is,
balances agree with the transfers, the index agrees with the table, the sequence never went
backwards.
"""
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time


def main():
    writer = sys.argv[1]
    cycles = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    rng = random.Random(int(os.environ.get("CRASH_SEED", time.time_ns())))
    work = tempfile.mkdtemp(prefix="heliosdb-crash-")
    data, ids = os.path.join(work, "db"), os.path.join(work, "ids")
    open(ids, "w").close()
    failures = 0
    try:
        for cycle in range(cycles):
            p = subprocess.Popen([writer, data, "write", str(rng.randrange(1 << 30))],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            lines = []
            ready = threading.Event()

            def read():
                for raw in p.stdout:
                    line = raw.decode().strip()
                    if line == "ready":
                        ready.set()
                    elif line:
                        lines.append(line)

            reader = threading.Thread(target=read)
            reader.start()
            if not ready.wait(30):
                print(f"cycle {cycle}: the writer did not start: {p.stderr.read().decode()}")
                p.kill()
                return 1
            time.sleep(rng.uniform(0.1, 0.8))
            p.send_signal(signal.SIGKILL)
            p.wait()
            reader.join()
            err = p.stderr.read().decode()
            with open(ids, "a") as f:
                for line in lines:
                    f.write(line + "\n")
            check = subprocess.run([writer, data, "check", ids], capture_output=True, text=True)
            status = "ok" if check.returncode == 0 else "FAILED"
            print(f"cycle {cycle + 1}/{cycles}: killed after {len(lines)} acknowledged transactions; "
                  f"{check.stdout.strip()}")
            if check.returncode != 0:
                failures += 1
                print(check.stderr)
                if err:
                    print("writer stderr:", err[-2000:])
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{cycles - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
