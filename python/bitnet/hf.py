"""Hugging Face transformers BitNet (BitNetForCausalLM): small random checkpoints and ONNX export.

Needs torch >= 2.5, transformers >= 5 and tokenizers (the .venv-torch215 interpreter);
`import bitnet.hf` is not done by `import bitnet`.

Checkpoints are written in the layout of the released microsoft/bitnet-b1.58-2B-4T:
config.json with quantization_config {"quant_method": "bitnet", "linear_class": ...},
model.safetensors, tokenizer.json (+ tokenizer_config.json, special_tokens_map.json).

  linear_class "bitlinear" (offline, the release): every linear layer of the decoder is a
    transformers BitLinear: `<name>.weight` uint8 [out/4, in] (four row blocks per byte,
    2-bit fields holding trit + 1: bits 2i..2i+1 of packed row r hold row r + i*out/4) and
    `<name>.weight_scale` [1] = 1/mean|W| (BitLinear divides its output by it).
  linear_class "autobitlinear", quantization_mode "online": `<name>.weight` the latent
    float [out, in]; AutoBitLinear quantizes it (absmean) on every forward.
lm_head and the embedding stay float. HF's BitLinear needs out % 4 == 0 (it allocates
out // 4 packed rows), so the "odd" builder config keeps every out dim a multiple of 4.

  python -m bitnet.hf build DIR [--config tiny|odd] [--linear bitlinear|autobitlinear]
  python -m bitnet.hf_export DIR -o OUT [--form logits|kvcache|both]
"""
import argparse
import json
import os
import shutil
import sys

import numpy as np
import torch
from torch import nn

HF_CONFIGS = {
    # hidden 64, 2 layers, 4 heads of 16, 2 kv heads (GQA), intermediate 160.
    "tiny": dict(vocab_size=300, hidden_size=64, intermediate_size=160, num_hidden_layers=2,
                 num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=128),
    # Sizes that are not multiples of 8/16 (but of 4, as HF BitLinear requires), head_dim 12,
    # no GQA, one layer, vocab not a multiple of 4.
    "odd": dict(vocab_size=301, hidden_size=60, intermediate_size=100, num_hidden_layers=1,
                num_attention_heads=5, num_key_value_heads=5, max_position_embeddings=128),
}
LINEAR_CLASSES = ("bitlinear", "autobitlinear")
LINEAR_NAMES = ("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj")
SPECIAL_TOKENS = ("<|begin_of_text|>", "<|end_of_text|>")
TOKENIZER_FILES = ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json")
CORPUS = os.path.join(os.path.dirname(__file__), "data", "corpus.txt")


# -- tokenizer ---------------------------------------------------------------

def build_tokenizer(vocab_size: int, corpus: str = CORPUS, max_bytes: int = 200_000):
    """A byte-level BPE tokenizer (tokenizers library) of exactly `vocab_size` tokens, trained
    locally on the first `max_bytes` of `corpus`: 256 byte tokens, merges, then the two
    special tokens (<|begin_of_text|>, <|end_of_text|>) as the last ids."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    tok.post_processor = processors.ByteLevel(trim_offsets=False)
    trainer = trainers.BpeTrainer(vocab_size=vocab_size - len(SPECIAL_TOKENS), show_progress=False,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
                                  special_tokens=[])
    with open(corpus, encoding="utf-8", errors="replace") as f:
        text = f.read(max_bytes)
    tok.train_from_iterator([line for line in text.splitlines() if line], trainer)
    tok.add_special_tokens(list(SPECIAL_TOKENS))
    if tok.get_vocab_size() != vocab_size:
        raise RuntimeError(f"tokenizer has {tok.get_vocab_size()} tokens, wanted {vocab_size}")
    return tok


def save_tokenizer(tok, directory: str):
    tok.save(os.path.join(directory, "tokenizer.json"))
    bos, eos = SPECIAL_TOKENS
    with open(os.path.join(directory, "tokenizer_config.json"), "w") as f:
        json.dump({"tokenizer_class": "PreTrainedTokenizerFast", "bos_token": bos,
                   "eos_token": eos, "model_max_length": 128, "clean_up_tokenization_spaces": False},
                  f, indent=2)
    with open(os.path.join(directory, "special_tokens_map.json"), "w") as f:
        json.dump({"bos_token": bos, "eos_token": eos}, f, indent=2)


def copy_tokenizer(src_dir: str, dst_dir: str) -> list:
    """Copy the tokenizer files present in src_dir; returns the names copied."""
    copied = []
    for name in TOKENIZER_FILES + ("tokenizer.model", "generation_config.json"):
        src = os.path.join(src_dir, name)
        if os.path.isfile(src):
            shutil.copyfile(src, os.path.join(dst_dir, name))
            copied.append(name)
    return copied


# -- checkpoints -------------------------------------------------------------

def hf_config(name: str = "tiny", linear_class: str = "bitlinear", tokenizer=None):
    """transformers BitNetConfig for a builder config, with the BitNet quantization_config."""
    from transformers import BitNetConfig
    if linear_class not in LINEAR_CLASSES:
        raise ValueError(f"linear_class must be one of {LINEAR_CLASSES}")
    kw = dict(HF_CONFIGS[name])
    vocab = kw["vocab_size"]
    quant = {"quant_method": "bitnet", "linear_class": linear_class,
             "quantization_mode": "offline" if linear_class == "bitlinear" else "online",
             "modules_to_not_convert": None, "use_rms_norm": False, "rms_norm_eps": 1e-6}
    return BitNetConfig(**kw, hidden_act="relu2", rms_norm_eps=1e-5, tie_word_embeddings=True,
                        rope_parameters={"rope_type": "default", "rope_theta": 500000.0},
                        bos_token_id=vocab - 2, eos_token_id=vocab - 1,
                        quantization_config=quant, dtype="float32")


def _init_float_model(cfg, seed: int):
    """A float BitNetForCausalLM (plain nn.Linear) with deterministic weights: matrices
    N(0, 1/fan_in), norm gains 1 +- 0.1 (as bitnet.model.init_weights)."""
    from transformers import BitNetForCausalLM
    plain = cfg.__class__.from_dict({k: v for k, v in cfg.to_dict().items()
                                     if k != "quantization_config"})
    torch.manual_seed(seed)
    model = BitNetForCausalLM(plain).float().eval()
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if p.ndim == 1:
                p.copy_(1.0 + 0.1 * torch.randn(p.shape, generator=g))
            else:
                p.copy_(torch.randn(p.shape, generator=g) * p.shape[-1] ** -0.5)
    return model


def hf_pack(trits: torch.Tensor) -> torch.Tensor:
    """trits [out, in] in {-1,0,1} -> uint8 [out/4, in], as transformers' pack_weights."""
    from transformers.integrations.bitnet import pack_weights
    if trits.shape[0] % 4:
        raise ValueError("HF BitLinear needs out_features % 4 == 0")
    return pack_weights(trits.clone().to(torch.int8))


def build_checkpoint(directory: str, name: str = "tiny", linear_class: str = "bitlinear",
                     seed: int = 0, dtype: str = "float32"):
    """Write a random BitNet checkpoint (config.json, model.safetensors, tokenizer) to directory.

    dtype: storage type of the float tensors (float32, or bfloat16 as in the release)."""
    from safetensors.torch import save_file
    cfg = hf_config(name, linear_class)
    model = _init_float_model(cfg, seed)
    store = {"float32": torch.float32, "bfloat16": torch.bfloat16, "float16": torch.float16}[dtype]
    tensors = {}
    for key, t in model.state_dict().items():
        if key == "lm_head.weight" and cfg.tie_word_embeddings:
            continue
        module = key.rsplit(".", 2)[-2] if key.count(".") >= 2 else ""
        if linear_class == "bitlinear" and module in LINEAR_NAMES and key.endswith(".weight"):
            w = t.float()
            mean = w.abs().mean().clamp(min=1e-5)
            s = 1.0 / mean                                  # released weight_scale: 1/mean|W|
            trits = (w * s).round().clamp(-1, 1)
            tensors[key] = hf_pack(trits).contiguous()
            tensors[key[:-len("weight")] + "weight_scale"] = s.reshape(1).to(store)
        else:
            tensors[key] = t.to(store).contiguous()
    os.makedirs(directory, exist_ok=True)
    cfg.dtype = dtype
    cfg.save_pretrained(directory)
    save_file(tensors, os.path.join(directory, "model.safetensors"), metadata={"format": "pt"})
    save_tokenizer(build_tokenizer(cfg.vocab_size), directory)
    with open(os.path.join(directory, "generation_config.json"), "w") as f:
        json.dump({"bos_token_id": cfg.bos_token_id, "eos_token_id": cfg.eos_token_id,
                   "do_sample": False}, f, indent=2)
    return directory


def load_checkpoint(directory: str, dtype=torch.float32, attn_implementation: str = "sdpa"):
    """BitNetForCausalLM.from_pretrained (the checkpoint's quantization_config applies:
    BitLinear / AutoBitLinear), in eval mode, computing in `dtype`."""
    import transformers
    from transformers import BitNetForCausalLM
    transformers.logging.set_verbosity_error()
    model = BitNetForCausalLM.from_pretrained(directory, dtype=dtype,
                                              attn_implementation=attn_implementation)
    return model.eval()


# -- export wrappers ---------------------------------------------------------

class HFLogits(nn.Module):
    """input_ids -> logits (no cache)."""

    def __init__(self, lm):
        super().__init__()
        self.lm = lm

    def forward(self, input_ids):
        return self.lm(input_ids=input_ids, use_cache=False).logits.float()


class HFKVCacheStep(nn.Module):
    """(input_ids, past k0, v0, k1, v1, ...) -> (logits, present k0, v0, ...).

    The pasts go into a DynamicCache; positions come from its length (transformers
    derives position_ids from past_key_values.get_seq_length()), the causal mask too."""

    def __init__(self, lm):
        super().__init__()
        self.lm = lm

    def forward(self, input_ids, *past_flat):
        from transformers import DynamicCache
        cache = DynamicCache(config=self.lm.config)
        for i in range(len(past_flat) // 2):
            cache.update(past_flat[2 * i], past_flat[2 * i + 1], i)
        out = self.lm(input_ids=input_ids, past_key_values=cache, use_cache=True)
        presents = []
        for layer in out.past_key_values.layers:
            presents += [layer.keys, layer.values]
        return (out.logits.float(), *presents)


def bitnet_config_json(cfg) -> str:
    """The transformers config in bitnet.config.BitNetConfig's fields: the `bitnet.config`
    metadata the compiler reads (max_position bounds the model library's context)."""
    rope = getattr(cfg, "rope_parameters", None) or {}
    head_dim = kv_layout(cfg)[2]
    return json.dumps({
        "vocab_size": cfg.vocab_size, "hidden_size": cfg.hidden_size,
        "intermediate_size": cfg.intermediate_size, "num_layers": cfg.num_hidden_layers,
        "num_heads": cfg.num_attention_heads, "num_kv_heads": cfg.num_key_value_heads,
        "head_dim": head_dim,
        "rope_theta": float(rope.get("rope_theta", getattr(cfg, "rope_theta", 10000.0))),
        "rms_eps": cfg.rms_norm_eps, "tie_embeddings": bool(cfg.tie_word_embeddings),
        "max_position": cfg.max_position_embeddings})


def kv_layout(cfg):
    """(number of past tensors, kv heads, head_dim) of a transformers config."""
    head_dim = getattr(cfg, "head_dim", None) or cfg.hidden_size // cfg.num_attention_heads
    return 2 * cfg.num_hidden_layers, cfg.num_key_value_heads, head_dim


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m bitnet.hf",
                                 description="Build a small random HF BitNet checkpoint.")
    sub = ap.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build", help="write a random checkpoint directory")
    b.add_argument("directory")
    b.add_argument("--config", choices=sorted(HF_CONFIGS), default="tiny")
    b.add_argument("--linear", choices=LINEAR_CLASSES, default="bitlinear")
    b.add_argument("--seed", type=int, default=0)
    b.add_argument("--dtype", choices=("float32", "bfloat16", "float16"), default="float32")
    a = ap.parse_args(argv)
    build_checkpoint(a.directory, a.config, a.linear, a.seed, a.dtype)
    print(f"wrote {a.directory}: config={a.config} linear={a.linear} dtype={a.dtype}",
          file=sys.stderr)


if __name__ == "__main__":
    main()
