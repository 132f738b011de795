"""PyTorch-level checks of the reference model (no ONNX)."""
import pytest
import torch

from bitnet import CONFIGS, BitNetConfig, build_model, get_config, to_packed
from bitnet.layers import BitLinear, PackedBitLinear
from conftest import TEST_CONFIGS, assert_logits_close


def ids_for(cfg, batch=2, seq=9, seed=1):
    return torch.randint(0, cfg.vocab_size, (batch, seq), generator=torch.Generator().manual_seed(seed))


def test_configs():
    assert get_config("bitnet-2b4t").head_dim == 128
    assert get_config("odd").head_dim == 12
    with pytest.raises(ValueError):
        BitNetConfig(vocab_size=8, hidden_size=20, intermediate_size=8, num_layers=1,
                     num_heads=4, num_kv_heads=4)  # head_dim 5 is odd
    with pytest.raises(ValueError):
        BitNetConfig(vocab_size=8, hidden_size=16, intermediate_size=8, num_layers=1,
                     num_heads=4, num_kv_heads=3)
    assert set(TEST_CONFIGS) <= set(CONFIGS)


def test_deterministic_init():
    cfg = get_config("tiny")
    a, b, c = build_model(cfg, 0), build_model(cfg, 0), build_model(cfg, 1)
    sa, sb, sc = a.state_dict(), b.state_dict(), c.state_dict()
    assert all(torch.equal(sa[k], sb[k]) for k in sa)
    assert not torch.equal(sa["model.embed_tokens.weight"], sc["model.embed_tokens.weight"])


def test_structure():
    m = build_model(get_config("odd"))
    names = set(m.state_dict())
    for n in ("model.layers.0.self_attn.attn_sub_norm.weight", "model.layers.0.mlp.ffn_sub_norm.weight",
              "lm_head.weight", "model.norm.weight"):
        assert n in names
    assert isinstance(m.lm_head, torch.nn.Linear)  # lm_head is not ternary
    assert sum(isinstance(x, BitLinear) for x in m.modules()) == 7
    p = to_packed(m)
    assert sum(isinstance(x, PackedBitLinear) for x in p.modules()) == 7
    assert not any(isinstance(x, BitLinear) for x in p.modules())
    assert build_model(get_config("tiny")).lm_head is None  # tied


@pytest.mark.parametrize("name", TEST_CONFIGS)
def test_training_equals_inference(name, models):
    m = models(name)
    ids = ids_for(m.config)
    with torch.no_grad():
        assert_logits_close(to_packed(m)(ids)[0].numpy(), m(ids)[0].numpy(), name)


@pytest.mark.parametrize("name", TEST_CONFIGS)
def test_kv_cache_matches_full(name, models):
    m = to_packed(models(name))
    ids = ids_for(m.config)
    with torch.no_grad():
        full, _ = m(ids)
        a, past = m(ids[:, :5])
        b, past = m(ids[:, 5:8], past)
        c, past = m(ids[:, 8:], past)
    assert past[0][0].shape == (2, m.config.num_kv_heads, 9, m.config.head_dim)
    assert_logits_close(torch.cat([a, b, c], 1).numpy(), full.numpy(), name)


def test_causal():
    m = build_model(get_config("tiny"))
    ids = ids_for(m.config)
    ids2 = ids.clone()
    ids2[:, 6:] = (ids2[:, 6:] + 1) % m.config.vocab_size
    with torch.no_grad():
        a, b = m(ids)[0], m(ids2)[0]
    assert torch.equal(a[:, :6], b[:, :6])
    assert not torch.allclose(a[:, 6:], b[:, 6:])


def test_ste_gradients_reach_latent_weights():
    m = build_model(get_config("tiny")).train()
    logits, _ = m(ids_for(m.config))
    logits.logsumexp(-1).mean().backward()
    for name, p in m.named_parameters():
        assert p.grad is not None and p.grad.abs().sum() > 0, name
