"""Load and run a compiled model library (`bitnet-opt model.onnx --emit=lib -o model.so`).

    from bitnet.runtime import CompiledModel
    with CompiledModel("model.so") as model:
        logits = model.run([1, 2, 3])          # float32 [3, vocab]
        more = model.run([4])                  # continues the same sequence
        model.reset()
        tokens = model.generate([1, 2, 3], 8)  # greedy, as bitnet-run

A thin ctypes layer over the C API of include/BitNet/Runtime/BitNetModel.h; the
library does all the work (KV cache or recomputation). Needs only numpy.
"""
import ctypes
import os
import threading

import numpy as np

# Must match BITNET_MODEL_ABI_VERSION in BitNetModel.h.
ABI_VERSION = 1


class NotAModelLibraryError(OSError):
    """The file is a shared library, but not a bitnet-mlir model library of this ABI."""


def _argmax(row: np.ndarray) -> int:
    # np.argmax: the first maximum (ties go to the lowest id), as bitnet-run.
    return int(np.argmax(row))


def _bind(lib, name, restype, argtypes):
    try:
        fn = getattr(lib, name)
    except AttributeError:
        raise NotAModelLibraryError(f"{lib._name!r} is an incomplete bitnet-mlir model library "
                                    f"(it has no {name})") from None
    fn.restype = restype
    fn.argtypes = argtypes
    return fn


def _load_library(path: str):
    """dlopen `path` and check that it is a model library of our ABI."""
    if not os.path.exists(path):
        raise FileNotFoundError(f"cannot open model library {path!r}: no such file")
    if os.path.isdir(path):
        raise IsADirectoryError(f"{path!r} is a directory, not a model library")
    # An absolute path: a bare name would make dlopen search the library path.
    try:
        lib = ctypes.CDLL(os.path.abspath(path), mode=os.RTLD_NOW | os.RTLD_LOCAL)
    except OSError as e:
        raise NotAModelLibraryError(f"{path!r} is not a loadable shared library: {e}") from None
    if not hasattr(lib, "bitnet_model_abi_version"):
        raise NotAModelLibraryError(
            f"{path!r} is not a bitnet-mlir model library (it has no bitnet_model_abi_version)")
    version = _bind(lib, "bitnet_model_abi_version", ctypes.c_uint32, [])()
    if version != ABI_VERSION:
        raise NotAModelLibraryError(
            f"{path!r} was built for model ABI version {version}, but this loader expects "
            f"version {ABI_VERSION}; rebuild it with the matching bitnet-opt")
    return lib


class CompiledModel:
    """One decoding sequence of a model library.

    Each `run` appends tokens and returns their logits; the library keeps the
    history (or KV cache). Calls on one instance are serialized by a lock; for
    parallel sequences create several instances.
    """

    def __init__(self, path):
        path = os.fspath(path)
        self.path = path
        self._handle = None
        lib = _load_library(path)
        p, i64, c = ctypes.c_void_p, ctypes.c_int64, ctypes.c_int
        self._create = _bind(lib, "bitnet_model_create", p, [])
        self._destroy = _bind(lib, "bitnet_model_destroy", None, [p])
        self._vocab_size = _bind(lib, "bitnet_model_vocab_size", i64, [p])
        self._has_kv_cache = _bind(lib, "bitnet_model_has_kv_cache", c, [p])
        self._context_length = _bind(lib, "bitnet_model_context_length", i64, [p])
        self._max_context = _bind(lib, "bitnet_model_max_context_length", i64, [p])
        self._run = _bind(lib, "bitnet_model_run", c,
                          [p, ctypes.POINTER(i64), i64, ctypes.POINTER(ctypes.c_float)])
        self._reset = _bind(lib, "bitnet_model_reset", None, [p])
        self._last_error = _bind(lib, "bitnet_model_last_error", ctypes.c_char_p, [p])
        self._set_threads = _bind(lib, "bitnet_model_set_threads", c, [p, c])
        self._lib = lib
        self._lock = threading.Lock()
        handle = self._create()
        if not handle:
            raise MemoryError(f"{path!r}: out of memory creating the model")
        self._handle = handle
        vocab = self._vocab_size(handle)
        if vocab <= 0:
            reason = self._error()
            self.close()
            raise RuntimeError(f"{path!r} cannot run: {reason}")
        self.vocab_size = int(vocab)
        self.has_kv_cache = bool(self._has_kv_cache(handle))
        # Tokens the model handles between resets; 0 when unknown.
        self.max_context = int(self._max_context(handle))

    # -- lifetime ---------------------------------------------------------
    def close(self):
        """Release the instance (KV cache, history). Idempotent."""
        handle, self._handle = self._handle, None
        if handle:
            self._destroy(handle)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        # __init__ may have failed before _handle existed.
        if getattr(self, "_handle", None):
            self.close()

    def _live(self):
        if not self._handle:
            raise ValueError(f"model {self.path!r} is closed")
        return self._handle

    def _error(self) -> str:
        message = self._last_error(self._handle)
        return message.decode("utf-8", errors="replace") if message else "unknown error"

    # -- the sequence -----------------------------------------------------
    @property
    def context_length(self) -> int:
        """Tokens consumed since creation or the last reset."""
        with self._lock:
            return int(self._context_length(self._live()))

    def _tokens(self, tokens) -> np.ndarray:
        array = np.asarray(tokens)
        if array.ndim != 1:
            raise ValueError(f"tokens must be a 1-D sequence, got shape {array.shape}")
        if array.size and not np.issubdtype(array.dtype, np.integer):
            raise ValueError(f"tokens must be integers, got dtype {array.dtype}")
        array = array.astype(np.int64, copy=False)
        bad = (array < 0) | (array >= self.vocab_size)
        if bad.any():
            position = int(np.argmax(bad))
            raise ValueError(f"token id {int(array[position])} (position {position}) is out of "
                             f"range for vocabulary size {self.vocab_size}")
        return np.ascontiguousarray(array)

    def run(self, tokens) -> np.ndarray:
        """Append `tokens` to the sequence; returns their logits, float32 [len(tokens), vocab]."""
        ids = self._tokens(tokens)
        logits = np.empty((ids.size, self.vocab_size), dtype=np.float32)
        if ids.size == 0:
            return logits
        with self._lock:
            handle = self._live()
            rc = self._run(handle, ids.ctypes.data_as(ctypes.POINTER(ctypes.c_int64)), ids.size,
                           logits.ctypes.data_as(ctypes.POINTER(ctypes.c_float)))
            if rc != 0:
                raise RuntimeError(f"{self.path!r}: {self._error()}")
        return logits

    def reset(self):
        """Start a new, empty sequence."""
        with self._lock:
            self._reset(self._live())

    def set_threads(self, threads: int):
        """Threads for the compiled code; currently only 1 is accepted."""
        with self._lock:
            handle = self._live()
            if self._set_threads(handle, int(threads)) != 0:
                raise ValueError(self._error())

    def generate(self, prompt_tokens, n: int) -> list:
        """Greedy generation as bitnet-run does it: resets, runs the prompt, then
        feeds each generated token back one at a time. Returns the n new tokens."""
        if n < 0:
            raise ValueError(f"n must be >= 0, got {n}")
        prompt = self._tokens(prompt_tokens)
        if prompt.size == 0:
            raise ValueError("empty prompt")
        self.reset()
        logits = self.run(prompt)[-1]
        generated = []
        for i in range(n):
            generated.append(_argmax(logits))
            if i + 1 < n:
                logits = self.run([generated[-1]])[0]
        return generated
