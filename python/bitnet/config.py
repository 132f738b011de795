"""Model hyper-parameters and the named configurations used by tests and the exporter."""
from dataclasses import dataclass, asdict


@dataclass(frozen=True)
class BitNetConfig:
    vocab_size: int
    hidden_size: int
    intermediate_size: int
    num_layers: int
    num_heads: int
    num_kv_heads: int
    rope_theta: float = 10000.0
    rms_eps: float = 1e-5
    tie_embeddings: bool = True
    max_position: int = 128

    def __post_init__(self):
        if self.hidden_size % self.num_heads:
            raise ValueError("hidden_size must be divisible by num_heads")
        if self.num_heads % self.num_kv_heads:
            raise ValueError("num_kv_heads must divide num_heads")
        if self.head_dim % 2:
            raise ValueError("head_dim must be even (RoPE rotates pairs of halves)")

    @property
    def head_dim(self) -> int:
        return self.hidden_size // self.num_heads

    def to_dict(self) -> dict:
        return asdict(self)


CONFIGS = {
    # Smallest useful model: GQA (2 query heads per kv head), tied embeddings.
    "tiny": BitNetConfig(vocab_size=256, hidden_size=64, intermediate_size=172,
                         num_layers=2, num_heads=4, num_kv_heads=2),
    # Sizes that are not multiples of 8/16/32 (catches tiling/padding assumptions);
    # out dims 60 and 97 are not multiples of 4, exercising packed-row padding.
    "odd": BitNetConfig(vocab_size=259, hidden_size=60, intermediate_size=97,
                        num_layers=1, num_heads=5, num_kv_heads=5,
                        tie_embeddings=False),
    # Deeper model with 4 query heads per kv head.
    "gqa3": BitNetConfig(vocab_size=256, hidden_size=128, intermediate_size=256,
                         num_layers=3, num_heads=8, num_kv_heads=2,
                         rope_theta=500000.0),
    # A mid-size model for compile-time and throughput measurements (~100M
    # parameters, 85M of them ternary): the 2B4T architecture at GPT-2 small scale.
    "bitnet-100m": BitNetConfig(vocab_size=32000, hidden_size=768, intermediate_size=2048,
                                num_layers=12, num_heads=12, num_kv_heads=4,
                                rope_theta=500000.0, rms_eps=1e-5,
                                tie_embeddings=True, max_position=1024),
    # The trained byte-level model's shape (python/bitnet/models, train.py) with room for
    # a 128-token prompt plus 128 generated tokens: bench/ runs it with random weights.
    "bytelm": BitNetConfig(vocab_size=256, hidden_size=128, intermediate_size=384,
                           num_layers=4, num_heads=4, num_kv_heads=2,
                           rope_theta=10000.0, rms_eps=1e-5,
                           tie_embeddings=True, max_position=1024),
    # The 700M shape of the BitNet b1.58 paper (1bitLLM/bitnet_b1_58-large: 16 heads, no
    # GQA), tied, with a 32000 vocabulary: the benchmark's large model (~0.73e9 parameters).
    "bitnet-700m": BitNetConfig(vocab_size=32000, hidden_size=1536, intermediate_size=4096,
                                num_layers=24, num_heads=16, num_kv_heads=16,
                                rope_theta=10000.0, rms_eps=1e-5,
                                tie_embeddings=True, max_position=1024),
    # A shape no kernel was tuned for (hidden 1000, FFN 2700, head dim 100): the
    # benchmark's check that speed does not depend on power-of-two sizes.
    "untuned-1000": BitNetConfig(vocab_size=32000, hidden_size=1000, intermediate_size=2700,
                                 num_layers=6, num_heads=10, num_kv_heads=5,
                                 rope_theta=10000.0, rms_eps=1e-5,
                                 tie_embeddings=True, max_position=1024),
    # Shapes of the released microsoft/bitnet-b1.58-2B-4T (for memory tests only:
    # ~2.4e9 parameters, do not instantiate in unit tests).
    "bitnet-2b4t": BitNetConfig(vocab_size=128256, hidden_size=2560, intermediate_size=6912,
                                num_layers=30, num_heads=20, num_kv_heads=5,
                                rope_theta=500000.0, rms_eps=1e-5,
                                tie_embeddings=True, max_position=4096),
}


def get_config(name: str) -> BitNetConfig:
    try:
        return CONFIGS[name]
    except KeyError:
        raise KeyError(f"unknown config {name!r}; choose from {sorted(CONFIGS)}") from None
