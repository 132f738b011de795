"""Text in, text out with a compiled model library and a Hugging Face tokenizer.

  python -m bitnet.generate_text MODEL.so --tokenizer DIR --prompt "..." [-n 32]

DIR holds tokenizer.json (the `tokenizers` library format; bitnet.hf_export copies it next
to the ONNX files), optionally tokenizer_config.json / generation_config.json naming the
end-of-text token, at which generation stops. Greedy, as bitnet-run: the prompt is
encoded with the tokenizer's own special tokens (e.g. <|begin_of_text|> for the 2B4T
tokenizer), run through the library, then each generated token is fed back.

From Python:
    from bitnet.generate_text import load_tokenizer, generate_text
    with CompiledModel("model.so") as model:
        text = generate_text(model, load_tokenizer("dir"), "Hello", 32)
"""
import argparse
import json
import os
import sys
import time

from .runtime import CompiledModel


class TextTokenizer:
    """tokenizer.json (+ the eos token of tokenizer_config.json / generation_config.json)."""

    def __init__(self, directory: str):
        from tokenizers import Tokenizer
        path = directory if directory.endswith(".json") else os.path.join(directory, "tokenizer.json")
        if not os.path.isfile(path):
            raise FileNotFoundError(f"no tokenizer.json at {path!r}")
        self.tokenizer = Tokenizer.from_file(path)
        folder = os.path.dirname(path)
        self.eos_ids = set()
        for name in ("generation_config.json", "config.json"):
            eos = _read_json(os.path.join(folder, name)).get("eos_token_id")
            if eos is not None:
                self.eos_ids.update(eos if isinstance(eos, list) else [eos])
                break
        eos_token = _read_json(os.path.join(folder, "tokenizer_config.json")).get("eos_token")
        if isinstance(eos_token, dict):
            eos_token = eos_token.get("content")
        if eos_token and self.tokenizer.token_to_id(eos_token) is not None:
            self.eos_ids.add(self.tokenizer.token_to_id(eos_token))

    @property
    def vocab_size(self) -> int:
        return self.tokenizer.get_vocab_size()

    def encode(self, text: str) -> list:
        return self.tokenizer.encode(text).ids

    def decode(self, ids) -> str:
        return self.tokenizer.decode(list(ids), skip_special_tokens=True)


def _read_json(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return {}


def load_tokenizer(directory: str) -> TextTokenizer:
    return TextTokenizer(directory)


def generate_tokens(model: CompiledModel, prompt_ids, n: int, eos_ids=()):
    """Greedy generation of up to n tokens (stops after an eos token); returns the new ids."""
    eos_ids = set(eos_ids)
    model.reset()
    logits = model.run(prompt_ids)[-1]
    out = []
    while len(out) < n:
        token = int(logits.argmax())
        out.append(token)
        if token in eos_ids or len(out) == n:
            break
        if model.max_context and model.context_length >= model.max_context:
            break
        logits = model.run([token])[0]
    return out


def generate_text(model: CompiledModel, tokenizer: TextTokenizer, prompt: str, n: int) -> str:
    """The decoded continuation of `prompt` (greedy, up to n tokens)."""
    ids = tokenizer.encode(prompt)
    return tokenizer.decode(generate_tokens(model, ids, n, tokenizer.eos_ids))


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m bitnet.generate_text", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model", help="model library (bitnet-opt model.onnx --emit=lib -o model.so)")
    ap.add_argument("--tokenizer", help="directory with tokenizer.json (default: the library's)")
    ap.add_argument("--prompt", required=True)
    ap.add_argument("-n", type=int, default=32, help="tokens to generate at most")
    a = ap.parse_args(argv)
    tokenizer = load_tokenizer(a.tokenizer or os.path.dirname(os.path.abspath(a.model)))
    with CompiledModel(a.model) as model:
        if tokenizer.vocab_size > model.vocab_size:
            print(f"warning: tokenizer has {tokenizer.vocab_size} tokens, the model "
                  f"{model.vocab_size}", file=sys.stderr)
        ids = tokenizer.encode(a.prompt)
        start = time.monotonic()
        new = generate_tokens(model, ids, a.n, tokenizer.eos_ids)
        seconds = time.monotonic() - start
    print(f"prompt tokens: {' '.join(map(str, ids))}", file=sys.stderr)
    print(f"tokens: {' '.join(map(str, new))}", file=sys.stderr)
    print(f"{len(new)} tokens in {seconds:.3f} s", file=sys.stderr)
    print(a.prompt + tokenizer.decode(new))


if __name__ == "__main__":
    main()
