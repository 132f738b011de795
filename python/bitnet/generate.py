"""Greedy byte-level generation from the trained BitNet b1.58 model (PyTorch or ONNX).

    PYTHONPATH=python python -m bitnet.generate --prompt "Return the" -n 50
    PYTHONPATH=python python -m bitnet.generate --prompt "Return the" -n 50 \\
        --onnx python/bitnet/models/bytelm-inference.onnx

Without --onnx, runs the PyTorch checkpoint (--model, default the shipped
bitnet/models/bytelm.pt, training form: fake-quantized ternary weights and int8
activations). With --onnx, runs that ONNX file (training or inference form) with
onnxruntime. No KV cache: every step re-runs the last `max_position` bytes (the
context is cropped on the left when longer, as in training on random 128-byte windows).
Output bytes that are not valid UTF-8 are printed with the replacement character.
"""
import argparse
import json
import os
import sys

import numpy as np
import torch

from .train import MODEL_NAME, MODELS_DIR, load_checkpoint

DEFAULT_CHECKPOINT = os.path.join(MODELS_DIR, f"{MODEL_NAME}.pt")


def encode(text: str) -> list:
    return list(text.encode("utf-8"))


def decode(ids) -> str:
    return bytes(int(i) for i in ids).decode("utf-8", errors="replace")


def greedy(next_logits, prompt_ids: list, n: int, context: int) -> list:
    """Generic greedy loop: next_logits(ids [1, s] int64 numpy) -> logits [vocab] of the last position."""
    if not prompt_ids:
        raise ValueError("empty prompt")
    ids = list(prompt_ids)
    for _ in range(n):
        window = np.asarray([ids[-context:]], dtype=np.int64)
        ids.append(int(np.argmax(next_logits(window))))
    return ids[len(prompt_ids):]


def generate_torch(model, prompt_ids: list, n: int) -> list:
    """Greedy continuation (n byte ids) from a PyTorch BitNetForCausalLM."""
    @torch.no_grad()
    def step(window):
        return model(torch.from_numpy(window))[0][0, -1].numpy()
    return greedy(step, prompt_ids, n, model.config.max_position)


def onnx_session(path: str):
    import onnxruntime as ort
    so = ort.SessionOptions()
    so.intra_op_num_threads = 2
    return ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])


def onnx_context(sess) -> int:
    cfg = sess.get_modelmeta().custom_metadata_map.get("bitnet.config")
    return json.loads(cfg)["max_position"] if cfg else 128


def generate_onnx(sess, prompt_ids: list, n: int) -> list:
    """Greedy continuation from an onnxruntime session of a training/inference-form export."""
    def step(window):
        return sess.run(["logits"], {"input_ids": window})[0][0, -1]
    return greedy(step, prompt_ids, n, onnx_context(sess))


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m bitnet.generate", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--prompt", required=True)
    ap.add_argument("-n", type=int, default=50, help="number of bytes to generate")
    ap.add_argument("--model", default=DEFAULT_CHECKPOINT, help="PyTorch checkpoint (.pt)")
    ap.add_argument("--onnx", help="run this ONNX file with onnxruntime instead")
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args(argv)
    torch.set_num_threads(a.threads)
    prompt = encode(a.prompt)
    if a.onnx:
        out = generate_onnx(onnx_session(a.onnx), prompt, a.n)
    else:
        out = generate_torch(load_checkpoint(a.model), prompt, a.n)
    sys.stdout.write(a.prompt + decode(out) + "\n")


if __name__ == "__main__":
    main()
