"""Train a small byte-level BitNet b1.58 language model and its full-precision baseline.

    PYTHONPATH=python python -m bitnet.train [--steps N] [--seed S] [--out-dir DIR] [--no-ship]

Both models use the reference architecture (bitnet.model.BitNetForCausalLM, config
BYTELM_CONFIG, vocab 256 = raw bytes) and the same data, step count, batch order and
initial weights. The ternary model trains its BitLinear layers with latent FP32
weights, absmean ternary weight and per-token int8 activation fake quantization and
the STE (bitnet.layers.BitLinear); the baseline replaces every BitLinear by FPLinear,
a plain `F.linear` on the same parameter (no quantization at all).

Outputs (in --out-dir, default python/bitnet/models/):
  train_metrics.json     final val loss / perplexity, time, sizes, loss curves of both models
  loss_curves.png        train and validation loss of both models
  bytelm.pt              trained ternary model: {"config", "state_dict", ...} (latent FP32 weights)
  bytelm-training.onnx   ONNX training form (latent weights, quantization in the graph)
  bytelm-inference.onnx  ONNX inference form (2-bit packed weights)
The .pt / .onnx files are written unless --no-ship.

Corpus: bitnet/data/corpus.txt (CPython standard-library docstrings, PSF License; see
bitnet/data/make_corpus.py). It is cut into 2048-byte blocks; every 10th block
(index % 10 == 9) is validation, the rest is training.
"""
import argparse
import json
import math
import os
import sys
import time
from dataclasses import asdict, dataclass

import numpy as np
import torch
import torch.nn.functional as F

from .config import BitNetConfig
from .layers import BitLinear
from .model import BitNetForCausalLM, build_model

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS_PATH = os.path.join(HERE, "data", "corpus.txt")
MODELS_DIR = os.path.join(HERE, "models")
MODEL_NAME = "bytelm"

# The shipped model: 4 layers, hidden 128, 4 heads of 32 (2 kv heads: GQA as in 2B4T),
# squared-ReLU GLU of width 384, tied embedding/lm_head; RoPE table covers the 128-byte
# training context.
BYTELM_CONFIG = BitNetConfig(vocab_size=256, hidden_size=128, intermediate_size=384,
                             num_layers=4, num_heads=4, num_kv_heads=2,
                             rope_theta=10000.0, tie_embeddings=True, max_position=128)

BLOCK = 2048      # split granularity (bytes)
VAL_EVERY = 10    # block i is validation iff i % VAL_EVERY == VAL_EVERY - 1


@dataclass
class TrainConfig:
    steps: int = 750
    batch_size: int = 16
    seq_len: int = 128
    lr: float = 5e-3            # peak lr (main() uses 5e-3 for the ternary model, 3e-3 for FP)
    warmup: int = 30            # linear warmup steps, then cosine decay to min_lr_ratio * lr
    min_lr_ratio: float = 0.1
    weight_decay: float = 0.05  # on matrices only (BitLinear/FPLinear weights, embedding excluded)
    betas: tuple = (0.9, 0.95)
    grad_clip: float = 1.0
    eval_every: int = 50
    eval_windows: int = 64      # validation windows used for the periodic evaluations
    seed: int = 0


# ----------------------------------------------------------------------------- model

class FPLinear(BitLinear):
    """Full-precision replacement for BitLinear: same `weight` parameter, plain F.linear."""

    def forward(self, x):
        return F.linear(x, self.weight)


def to_full_precision(model: BitNetForCausalLM) -> BitNetForCausalLM:
    """Replace every BitLinear of `model` in place by an FPLinear sharing its weight."""
    for mod in list(model.modules()):
        for name, child in list(mod.named_children()):
            if type(child) is BitLinear:
                fp = FPLinear(child.in_features, child.out_features)
                fp.weight = child.weight
                setattr(mod, name, fp)
    return model


def make_model(cfg: BitNetConfig = BYTELM_CONFIG, seed: int = 0,
               quantized: bool = True) -> BitNetForCausalLM:
    """Reference model with deterministic init; `quantized=False` gives the FP baseline."""
    model = build_model(cfg, seed)
    return model if quantized else to_full_precision(model)


def is_quantized(model: BitNetForCausalLM) -> bool:
    return any(type(m) is BitLinear for m in model.modules())


# ----------------------------------------------------------------------------- data

def load_corpus(path: str = CORPUS_PATH) -> bytes:
    with open(path, "rb") as f:
        return f.read()


def split_blocks(data: bytes, block: int = BLOCK, val_every: int = VAL_EVERY):
    """(train bytes as uint8 tensor, list of validation blocks as uint8 tensors)."""
    blocks = [data[i:i + block] for i in range(0, len(data), block)]
    train = b"".join(b for i, b in enumerate(blocks) if i % val_every != val_every - 1)
    val = [b for i, b in enumerate(blocks) if i % val_every == val_every - 1]
    to_t = lambda b: torch.frombuffer(bytearray(b), dtype=torch.uint8).long()  # noqa: E731
    return to_t(train), [to_t(b) for b in val]


def val_windows(val_blocks, seq_len: int) -> torch.Tensor:
    """Non-overlapping [n, seq_len + 1] windows inside each validation block (stride seq_len)."""
    out = []
    for b in val_blocks:
        for s in range(0, len(b) - seq_len - 1 + 1, seq_len):
            out.append(b[s:s + seq_len + 1])
    return torch.stack(out)


def get_batch(train: torch.Tensor, batch_size: int, seq_len: int, gen: torch.Generator):
    """Random windows (offsets from `gen`, so the data order depends on the seed only)."""
    starts = torch.randint(0, len(train) - seq_len - 1, (batch_size,), generator=gen)
    w = torch.stack([train[s:s + seq_len + 1] for s in starts.tolist()])
    return w[:, :-1], w[:, 1:]


# ----------------------------------------------------------------------------- training

def lm_loss(model, x, y) -> torch.Tensor:
    logits = model(x)[0]
    return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1))


@torch.no_grad()
def evaluate(model, windows: torch.Tensor, batch_size: int = 64) -> float:
    """Mean cross-entropy per predicted byte (nats) over `windows` [n, seq+1]."""
    total, count = 0.0, 0
    for i in range(0, len(windows), batch_size):
        w = windows[i:i + batch_size]
        logits = model(w[:, :-1])[0]
        total += F.cross_entropy(logits.reshape(-1, logits.shape[-1]), w[:, 1:].reshape(-1),
                                 reduction="sum").item()
        count += w[:, 1:].numel()
    return total / count


def lr_at(step: int, tc: TrainConfig) -> float:
    """Linear warmup over tc.warmup steps, then cosine from tc.lr to tc.min_lr_ratio * tc.lr."""
    if step < tc.warmup:
        return tc.lr * (step + 1) / tc.warmup
    p = (step - tc.warmup) / max(1, tc.steps - tc.warmup)
    return tc.lr * (tc.min_lr_ratio + (1 - tc.min_lr_ratio) * 0.5 * (1 + math.cos(math.pi * p)))


def make_optimizer(model, tc: TrainConfig) -> torch.optim.AdamW:
    decay = [m.weight for m in model.modules() if isinstance(m, BitLinear)]
    ids = {id(p) for p in decay}
    rest = [p for p in model.parameters() if id(p) not in ids]
    return torch.optim.AdamW([{"params": decay, "weight_decay": tc.weight_decay},
                              {"params": rest, "weight_decay": 0.0}],
                             lr=tc.lr, betas=tc.betas)


def train(model, train_data, val_win, tc: TrainConfig, log=None) -> dict:
    """Train `model` in place; returns the history (per-step train loss, periodic val loss).

    Deterministic given tc.seed: the batch order comes from a generator seeded with
    tc.seed, the model init from build_model's seed, and torch's global RNG is seeded too.
    """
    torch.manual_seed(tc.seed)
    gen = torch.Generator().manual_seed(tc.seed)
    opt = make_optimizer(model, tc)
    eval_win = val_win[torch.linspace(0, len(val_win) - 1, min(tc.eval_windows, len(val_win))).long()]
    hist = {"step": [], "train_loss": [], "val_step": [], "val_loss": [], "lr": [], "step_time": []}
    hist["val_step"].append(0)
    hist["val_loss"].append(evaluate(model, eval_win))
    model.train()
    t0, c0 = time.perf_counter(), time.process_time()
    eval_time = eval_cpu = 0.0
    for step in range(tc.steps):
        ts = time.perf_counter()
        lr = lr_at(step, tc)
        for g in opt.param_groups:
            g["lr"] = lr
        x, y = get_batch(train_data, tc.batch_size, tc.seq_len, gen)
        loss = lm_loss(model, x, y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        if tc.grad_clip:
            torch.nn.utils.clip_grad_norm_(model.parameters(), tc.grad_clip)
        opt.step()
        hist["step_time"].append(time.perf_counter() - ts)
        hist["step"].append(step + 1)
        hist["train_loss"].append(loss.item())
        hist["lr"].append(lr)
        if (step + 1) % tc.eval_every == 0 or step + 1 == tc.steps:
            te, ce = time.perf_counter(), time.process_time()
            v = evaluate(model, eval_win)
            eval_time += time.perf_counter() - te
            eval_cpu += time.process_time() - ce
            hist["val_step"].append(step + 1)
            hist["val_loss"].append(v)
            if log:
                recent = hist["train_loss"][-tc.eval_every:]
                log(f"step {step + 1:5d}  lr {lr:.2e}  train {sum(recent) / len(recent):.4f}  "
                    f"val {v:.4f}  ({time.perf_counter() - t0:.1f} s)")
    hist["train_time_s"] = time.perf_counter() - t0 - eval_time
    hist["train_cpu_s"] = time.process_time() - c0 - eval_cpu  # all threads; robust to contention
    hist["eval_time_s"] = eval_time
    model.eval()
    return hist


# ----------------------------------------------------------------------------- sizes

def size_report(model: BitNetForCausalLM) -> dict:
    """Parameter counts and storage sizes (bytes) of the ternary model.

    packed: every BitLinear weight at 2 bits/weight in the packed uint8 layout of the
    ONNX inference form (ceil(out/4) * in bytes) plus its float32 weight_scale; all other
    parameters (tied embedding/lm_head, RMSNorm gains) in fp16. RoPE tables are not
    counted (they are recomputed from the config). fp16: every parameter in fp16.
    """
    bit = [m for m in model.modules() if isinstance(m, BitLinear)]
    bit_params = sum(m.weight.numel() for m in bit)
    total = sum(p.numel() for p in model.parameters())
    packed_bitlinear = sum(-(-m.out_features // 4) * m.in_features + 4 for m in bit)
    packed = packed_bitlinear + 2 * (total - bit_params)
    return {"params_total": total, "params_bitlinear": bit_params,
            "params_other": total - bit_params,
            "packed_bytes": packed, "packed_bitlinear_bytes": packed_bitlinear,
            "fp16_bytes": 2 * total, "fp16_over_packed": round(2 * total / packed, 3),
            "packed_format": "BitLinear weights 2 bits/weight (uint8, 4 trits per byte) + "
                             "one float32 scale per BitLinear; embedding (tied lm_head) and "
                             "RMSNorm gains fp16; RoPE tables not counted"}


# ----------------------------------------------------------------------------- outputs

def plot(histories: dict, path: str, tc: TrainConfig):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 5))
    colors = {"bitnet": "tab:blue", "fp": "tab:orange"}
    labels = {"bitnet": "BitNet b1.58 (ternary)", "fp": "full precision"}
    k = tc.eval_every
    for name, h in histories.items():
        tl = np.asarray(h["train_loss"])
        # Mean train loss over the eval_every steps before each evaluation.
        ts = [s for s in h["val_step"] if s > 0]
        means = [tl[max(0, s - k):s].mean() for s in ts]
        ax.plot(h["step"], tl, color=colors[name], alpha=0.15, linewidth=0.8)
        ax.plot(ts, means, color=colors[name], linestyle="--",
                label=f"{labels[name]} train (mean of last {k} steps)")
        ax.plot(h["val_step"], h["val_loss"], color=colors[name], marker="o", markersize=3,
                label=f"{labels[name]} validation")
    ax.set_xlabel("step")
    ax.set_ylabel("cross-entropy (nats / byte)")
    ax.set_title(f"byte-level LM on CPython docstrings: {tc.steps} steps, "
                 f"batch {tc.batch_size} x {tc.seq_len}")
    ax.set_ylim(top=min(4.0, ax.get_ylim()[1]))
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def save_checkpoint(model: BitNetForCausalLM, path: str, extra: dict = None):
    ckpt = {"config": model.config.to_dict(), "state_dict": model.state_dict()}
    ckpt.update(extra or {})
    torch.save(ckpt, path)


def load_checkpoint(path: str) -> BitNetForCausalLM:
    """Ternary (training-form) model from a checkpoint written by save_checkpoint."""
    ckpt = torch.load(path, map_location="cpu", weights_only=True)
    cfg = BitNetConfig(**ckpt["config"])
    model = build_model(cfg, 0)
    model.load_state_dict(ckpt["state_dict"])
    return model.eval()


def export_onnx(model: BitNetForCausalLM, out_dir: str, name: str = MODEL_NAME,
                metadata: dict = None) -> dict:
    from .export import export_model
    paths = {}
    for form in ("training", "inference"):
        p = os.path.join(out_dir, f"{name}-{form}.onnx")
        export_model(model, form, p, metadata=metadata)
        paths[form] = p
    return paths


def main(argv=None):
    d = TrainConfig()
    ap = argparse.ArgumentParser(prog="python -m bitnet.train", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--steps", type=int, default=d.steps)
    ap.add_argument("--batch-size", type=int, default=d.batch_size)
    ap.add_argument("--seq-len", type=int, default=d.seq_len)
    ap.add_argument("--lr", type=float, default=5e-3, help="peak lr of the ternary model")
    ap.add_argument("--fp-lr", type=float, default=3e-3, help="peak lr of the FP baseline")
    ap.add_argument("--warmup", type=int, default=d.warmup)
    ap.add_argument("--eval-every", type=int, default=d.eval_every)
    ap.add_argument("--seed", type=int, default=d.seed, help="init, data order and torch RNG seed")
    ap.add_argument("--threads", type=int, default=2, help="torch.set_num_threads")
    ap.add_argument("--models", choices=("both", "bitnet", "fp"), default="both")
    ap.add_argument("--corpus", default=CORPUS_PATH)
    ap.add_argument("--out-dir", default=MODELS_DIR)
    ap.add_argument("--no-ship", action="store_true",
                    help="do not write the checkpoint and ONNX files (metrics and plot only)")
    a = ap.parse_args(argv)
    torch.set_num_threads(a.threads)
    os.makedirs(a.out_dir, exist_ok=True)
    log = lambda s: print(s, file=sys.stderr, flush=True)  # noqa: E731

    cfg = BYTELM_CONFIG
    train_data, val_blocks = split_blocks(load_corpus(a.corpus))
    vwin = val_windows(val_blocks, a.seq_len)
    log(f"corpus {a.corpus}: train {len(train_data)} bytes, val {len(val_blocks)} blocks "
        f"= {vwin.shape[0]} windows of {a.seq_len}")
    runs = ["bitnet", "fp"] if a.models == "both" else [a.models]
    histories, results, models = {}, {}, {}
    for name in runs:
        tc = TrainConfig(steps=a.steps, batch_size=a.batch_size, seq_len=a.seq_len,
                         lr=a.lr if name == "bitnet" else a.fp_lr, warmup=a.warmup,
                         eval_every=a.eval_every, seed=a.seed)
        model = make_model(cfg, a.seed, quantized=(name == "bitnet"))
        log(f"== {name}: {sum(p.numel() for p in model.parameters())} parameters, {tc}")
        h = train(model, train_data, vwin, tc, log)
        te = time.perf_counter()
        val = evaluate(model, vwin)
        log(f"== {name}: final val loss {val:.4f} nats/byte, perplexity {math.exp(val):.3f}, "
            f"train time {h['train_time_s']:.1f} s wall "
            f"(steps x median step: {np.median(h['step_time']) * tc.steps:.1f} s), "
            f"{h['train_cpu_s']:.1f} s CPU "
            f"(+{h['eval_time_s']:.1f} s periodic eval, "
            f"{time.perf_counter() - te:.1f} s final eval)")
        histories[name], models[name] = h, model
        results[name] = {"final_val_loss": val, "val_perplexity": math.exp(val),
                         "final_train_loss_mean_last_eval_interval":
                             float(np.mean(h["train_loss"][-tc.eval_every:])),
                         "train_time_s": round(h["train_time_s"], 2),
                         "train_cpu_time_s": round(h["train_cpu_s"], 2),
                         # wall time is inflated when other processes compete for the
                         # cores; steps * median step time is robust to short bursts of it
                         "train_time_median_step_x_steps_s":
                             round(float(np.median(h["step_time"])) * tc.steps, 2),
                         "periodic_eval_time_s": round(h["eval_time_s"], 2),
                         "params": sum(p.numel() for p in model.parameters()),
                         "train_config": {**asdict(tc), "betas": list(tc.betas)},
                         "history": {k: h[k] for k in ("step", "train_loss", "val_step", "val_loss")}}
    metrics = {"model_config": cfg.to_dict(), "corpus": os.path.relpath(a.corpus, HERE),
               "train_bytes": len(train_data), "val_windows": int(vwin.shape[0]),
               "val_bytes_predicted": int(vwin[:, 1:].numel()), "seed": a.seed,
               "threads": a.threads, "torch": torch.__version__,
               "perplexity_definition": "exp(mean cross-entropy per byte, nats) over all "
                                        "validation windows",
               "models": results}
    if "bitnet" in models:
        metrics["ternary_size"] = size_report(models["bitnet"])
    plot_path = os.path.join(a.out_dir, "loss_curves.png")
    plot(histories, plot_path, TrainConfig(steps=a.steps, batch_size=a.batch_size,
                                           seq_len=a.seq_len, eval_every=a.eval_every))
    if "bitnet" in models and not a.no_ship:
        ckpt = os.path.join(a.out_dir, f"{MODEL_NAME}.pt")
        save_checkpoint(models["bitnet"], ckpt, {"seed": a.seed,
                                                 "final_val_loss": results["bitnet"]["final_val_loss"]})
        onnx_paths = export_onnx(models["bitnet"], a.out_dir, metadata={
            "bitnet.config_name": MODEL_NAME, "bitnet.seed": str(a.seed),
            "bitnet.trained": "python -m bitnet.train"})
        metrics["files"] = {k: os.path.relpath(p, HERE) for k, p in
                            [("checkpoint", ckpt), *onnx_paths.items()]}
        metrics["file_bytes"] = {k: os.path.getsize(p) for k, p in
                                 [("checkpoint", ckpt), *onnx_paths.items()]}
    metrics_path = os.path.join(a.out_dir, "train_metrics.json")
    with open(metrics_path, "w") as f:
        json.dump(metrics, f, indent=1)
        f.write("\n")
    log(f"wrote {metrics_path}, {plot_path}")
    summary = {k: {m: v[m] for m in ("final_val_loss", "val_perplexity", "train_time_s",
                                   "train_time_median_step_x_steps_s", "train_cpu_time_s", "params")}
               for k, v in results.items()}
    if "ternary_size" in metrics:
        summary["ternary_size"] = {k: metrics["ternary_size"][k]
                                   for k in ("packed_bytes", "fp16_bytes", "fp16_over_packed")}
    print(json.dumps(summary, indent=1))


if __name__ == "__main__":
    main()
