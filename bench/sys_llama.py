"""llama.cpp (llama-cpp-python's low-level API) on a GGUF written by gguf_export.py."""
import ctypes

import llama_cpp as L

# llama.cpp logs every tensor at load; keep the bench's output readable.
_QUIET = L.llama_log_callback(lambda level, text, data: None)
L.llama_log_set(_QUIET, ctypes.c_void_p())
L.llama_backend_init()


def version() -> str:
    return getattr(L, "__version__", "?")


class System:
    def __init__(self, gguf_path: str, threads: int, n_ctx: int):
        mp = L.llama_model_default_params()
        mp.n_gpu_layers = 0
        self.model = L.llama_model_load_from_file(gguf_path.encode(), mp)
        if not self.model:
            raise RuntimeError(f"llama.cpp cannot load {gguf_path}")
        cp = L.llama_context_default_params()
        cp.n_ctx = n_ctx
        # The whole 128-token prompt in one batch (one graph), as llama-bench's pp128.
        cp.n_batch = cp.n_ubatch = n_ctx
        cp.n_threads = cp.n_threads_batch = threads
        self.ctx = L.llama_init_from_model(self.model, cp)
        if not self.ctx:
            raise RuntimeError("llama.cpp cannot create a context")
        self.vocab = L.llama_vocab_n_tokens(L.llama_model_get_vocab(self.model))
        self.batch = L.llama_batch_init(n_ctx, 0, 1)
        self.pos = 0

    def reset(self):
        L.llama_memory_clear(L.llama_get_memory(self.ctx), True)
        self.pos = 0

    def run(self, tokens):
        b = self.batch
        b.n_tokens = len(tokens)
        for i, t in enumerate(tokens):
            b.token[i] = t
            b.pos[i] = self.pos + i
            b.n_seq_id[i] = 1
            b.seq_id[i][0] = 0
            # Logits for every token: the same work as bitnet-mlir's and onnxruntime's runs.
            b.logits[i] = 1
        if L.llama_decode(self.ctx, b) != 0:
            raise RuntimeError("llama_decode failed")
        self.pos += len(tokens)

    def __del__(self):
        L.llama_batch_free(self.batch)
        L.llama_free(self.ctx)
        L.llama_model_free(self.model)
