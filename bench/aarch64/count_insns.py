"""Instructions executed by an AArch64 model library, counted under qemu-user.

Debian's qemu-user-static is a static binary without TCG plugin support (no
libinsn.so, no -plugin), so the count comes from qemu's own logs instead:
`-d in_asm,exec,nochain` prints each translated block's instructions once and
each execution of a block (nochain: every execution, not just the first entry
of a chain). Instructions executed = sum over executions of the block's length.
A block left early by an exception is counted whole; a model step raises none.

One decode step = (prompt + one more token) - (prompt alone), each counted in
its own process with the same driver (python/tests/model_driver.c), so that
process start-up, library loading and the prompt cancel out.

  python bench/aarch64/count_insns.py MODEL.so DRIVER --prompt "1 2 3"
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile
import threading

SYSROOT = "/usr/aarch64-linux-gnu"
QEMU = "qemu-aarch64-static"
BLOCK_INSN = re.compile(r"^0x([0-9a-f]+):\s")
TRACE = re.compile(r"^Trace \d+: 0x[0-9a-f]+ \[[0-9a-f]+/([0-9a-f]+)/")


def count(driver, lib, script):
    """Instructions executed by `driver lib < script`."""
    with tempfile.TemporaryDirectory() as tmp:
        fifo = os.path.join(tmp, "log")
        os.mkfifo(fifo)
        proc = subprocess.Popen([QEMU, "-L", SYSROOT, "-d", "in_asm,exec,nochain", "-D", fifo,
                                 driver, lib], stdin=subprocess.PIPE,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        feeder = threading.Thread(target=lambda: (proc.stdin.write(script.encode()),
                                                  proc.stdin.close()))
        feeder.start()
        sizes, total = {}, 0
        block_pc, block_len = None, 0
        with open(fifo, errors="replace") as log:
            for line in log:
                if line.startswith("Trace"):
                    m = TRACE.match(line)
                    pc = int(m.group(1), 16)
                    total += sizes.get(pc, 0)
                    continue
                m = BLOCK_INSN.match(line)
                if m:
                    if block_pc is None:
                        block_pc = int(m.group(1), 16)
                    block_len += 1
                elif block_pc is not None:
                    sizes[block_pc] = block_len
                    block_pc, block_len = None, 0
        feeder.join()
        err = proc.stderr.read().decode()
        if proc.wait() != 0:
            sys.exit(f"qemu failed: {err}")
        return total


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("lib")
    p.add_argument("driver")
    p.add_argument("--prompt", required=True, help="token ids, space separated")
    p.add_argument("--next", default="1", help="the decoded token")
    args = p.parse_args()
    args.lib = os.path.abspath(args.lib)  # dlopen searches the library path for bare names
    prompt = f"run {args.prompt}\n"
    base = count(args.driver, args.lib, prompt)
    both = count(args.driver, args.lib, prompt + f"run {args.next}\n")
    n = len(args.prompt.split())
    print(f"prompt of {n} tokens: {base} instructions (with start-up)")
    print(f"one decode step at position {n}: {both - base} instructions")


if __name__ == "__main__":
    main()
