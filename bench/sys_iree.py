"""IREE (iree-base-compiler / iree-base-runtime) on the same KV-cache ONNX file.

iree-import-onnx turns the ONNX into torch-dialect MLIR, iree-compile builds a vmfb for
this CPU. The thread count is a flag of the task executor, read once per process, so the
bench runs one process per thread count.
"""
import os
import shutil
import subprocess
import sys

import numpy as np

BIN = os.path.dirname(sys.executable)


def available() -> str:
    """'' when usable, else why not."""
    try:
        import iree.runtime  # noqa: F401
    except ImportError as e:
        return f"iree-base-runtime not installed ({e.name})"
    for tool in ("iree-import-onnx", "iree-compile"):
        if not (os.path.exists(os.path.join(BIN, tool)) or shutil.which(tool)):
            return f"{tool} not installed (iree-base-compiler)"
    return ""


def _tool(name):
    path = os.path.join(BIN, name)
    return path if os.path.exists(path) else name


def compile_vmfb(onnx_path: str, out: str, timeout_s: float) -> str:
    """ONNX -> vmfb (cached beside `out`); raises RuntimeError with the tool's last words."""
    if os.path.exists(out):
        return out
    mlir = out + ".mlir"
    steps = [[_tool("iree-import-onnx"), onnx_path, "-o", mlir],
             [_tool("iree-compile"), mlir, "--iree-hal-target-device=local",
              "--iree-hal-local-target-device-backends=llvm-cpu",
              "--iree-llvmcpu-target-cpu=host", "-o", out + ".tmp"]]
    for cmd in steps:
        try:
            p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout_s)
        except subprocess.TimeoutExpired:
            raise RuntimeError(f"{os.path.basename(cmd[0])} took over {timeout_s:.0f} s") from None
        if p.returncode != 0:
            lines = [l for l in (p.stderr or p.stdout).splitlines() if "error" in l.lower()]
            raise RuntimeError(f"{os.path.basename(cmd[0])}: "
                               f"{(lines or (p.stderr or p.stdout).splitlines() or ['failed'])[0][:300]}")
    os.replace(out + ".tmp", out)
    os.remove(mlir)  # the imported MLIR holds all weights again
    return out


class System:
    def __init__(self, vmfb_path: str, threads: int, kv_heads: int, head_dim: int, layers: int):
        import iree.runtime as rt
        rt.flags.parse_flags(f"--task_topology_group_count={threads}")
        config = rt.Config("local-task")
        self.ctx = rt.SystemContext(config=config)
        self.ctx.add_vm_module(rt.VmModule.mmap(config.vm_instance, vmfb_path))
        self.fn = self.ctx.modules.module["main_graph"]
        self.empty = [np.zeros((1, kv_heads, 0, head_dim), np.float32)] * (2 * layers)
        self.reset()

    def reset(self):
        self.past = self.empty

    def run(self, tokens):
        outs = self.fn(np.asarray([tokens], dtype=np.int64), *self.past)
        outs[0].to_host()  # the logits on the host, as the other systems deliver them
        self.past = outs[1:]  # presents stay device buffers, fed straight back
