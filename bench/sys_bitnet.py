"""bitnet-mlir: a compiled model library through python/bitnet/runtime.py."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                "python"))
from bitnet.runtime import CompiledModel  # noqa: E402


class System:
    def __init__(self, lib_path: str, threads: int):
        self.model = CompiledModel(lib_path)
        self.model.set_threads(threads)
        self.vocab = self.model.vocab_size

    def reset(self):
        self.model.reset()

    def run(self, tokens):
        # Logits of every token, as the C API always returns them (the other systems are
        # asked for the same work).
        self.model.run(tokens)
