"""The ONNX files people actually have: exports by torch 1.13, 2.5 and 2.15 and by
Hugging Face transformers' BitNet, compiled by bitnet-opt.

Matrix: exporter x config (tiny, odd) x form (training, inference, kvcache)
  t113  torch 1.13 (Debian's python3-torch, /usr/bin/python3), TorchScript, opset 17
  t25   torch 2.5.1 (.venv), TorchScript (dynamo=False), opset 17
  t215  torch 2.15 (.venv-torch215), torch.export-based exporter (dynamo=True), opset 20
        (torch 2.15's default: the graph is built at 18 and converted)
  t215ts torch 2.15, TorchScript (dynamo=False), opset 14 (Mod unpacking, Reshape allowzero)
plus transformers 5.23 BitNetForCausalLM (tiny random checkpoint of bitnet.hf) with
transformers' BitLinear (packed uint8 + weight_scale) and AutoBitLinear (latent weights,
online quantization), each as logits-only and KV-cache graph (torch 2.15, dynamo).

Every export runs in a subprocess of its interpreter and also writes PyTorch's logits on
fixed prompts (bitnet.export.save_reference). Per case: onnxruntime == PyTorch (sanity of
the export); compiled == onnxruntime and == PyTorch (the tolerances of compile_helpers /
test_compiled_models.py); greedy tokens == onnxruntime's. Exports and compilations of
all selected cases start together in a pool (one job per CPU) when the first test runs.
"""
import concurrent.futures
import os
import subprocess
import sys
import time

import numpy as np
import pytest

from compile_helpers import (HAVE_BITNET_OPT, NO_BITNET_OPT, NEAR_TIES, ROOT, STATS,
                             Agreement, OrtModel, check_greedy, compile_model, cpu_count)

from bitnet import get_config  # noqa: E402
from bitnet.export import load_reference  # noqa: E402
from bitnet.runtime import CompiledModel  # noqa: E402

PYTHON_DIR = os.path.join(ROOT, "python")
VENV_PYTHON = os.path.join(ROOT, ".venv", "bin", "python")
TORCH215_PYTHON = os.path.join(ROOT, ".venv-torch215", "bin", "python")

# name: (interpreter, torch version prefix, exporter, opset)
EXPORTERS = {
    "t113": ("/usr/bin/python3", "1.13", "torchscript", 17),
    "t25": (VENV_PYTHON if os.path.exists(VENV_PYTHON) else sys.executable, "2.5", "torchscript", 17),
    "t215": (TORCH215_PYTHON, "2.15", "dynamo", 20),
    "t215ts": (TORCH215_PYTHON, "2.15", "torchscript", 14),
}
CONFIGS = ("tiny", "odd")
FORMS = ("training", "inference", "kvcache")
HF_LINEARS = ("bitlinear", "autobitlinear")
HF_FORMS = ("logits", "kvcache")
HF_EXPORTER = "t215"
GEN_TOKENS = 8

CASES = ([pytest.param(e, c, f, id=f"{e}-{c}-{f}") for e in EXPORTERS for c in CONFIGS for f in FORMS]
         + [pytest.param("hf", l, f, id=f"hf-{l}-{f}") for l in HF_LINEARS for f in HF_FORMS])

EXPORT_DRIVER = """
import sys
from bitnet.export import main
exporter, opset, config, out = sys.argv[1:5]
for form in ("training", "inference", "kvcache"):
    p = f"{out}/{config}-{form}"
    main(["--config", config, "--form", form, "--exporter", exporter, "--opset", opset,
          "-o", p + ".onnx", "--reference", p + ".ref.npz"])
"""
HF_DRIVER = """
import sys
from bitnet.hf import build_checkpoint
from bitnet.hf_export import export_checkpoint
linear, opset, checkpoint, out = sys.argv[1:5]
build_checkpoint(checkpoint, "tiny", linear)
export_checkpoint(checkpoint, out, opset=int(opset), exporter="dynamo", write_reference=True)
"""

pytestmark = pytest.mark.skipif(not HAVE_BITNET_OPT, reason=NO_BITNET_OPT)


class Unavailable(Exception):
    """The interpreter an exporter needs is not installed (the case is skipped)."""


_probed = {}


def probe(name):
    """Check that EXPORTERS[name]'s interpreter imports torch of the expected version and onnx."""
    if name not in _probed:
        python, version, _, _ = EXPORTERS[name]
        if not os.path.exists(python):
            _probed[name] = f"{python} does not exist (scripts/setup.sh installs it)"
        else:
            proc = subprocess.run([python, "-c", "import torch, onnx; print(torch.__version__)"],
                                  capture_output=True, text=True)
            got = proc.stdout.strip()
            if proc.returncode != 0:
                _probed[name] = f"{python} cannot import torch and onnx: {proc.stderr[-300:]}"
            elif not got.startswith(version):
                _probed[name] = f"{python} has torch {got}, not {version}"
            else:
                _probed[name] = None
    if _probed[name]:
        raise Unavailable(_probed[name])


def _env():
    env = dict(os.environ, PYTHONPATH=PYTHON_DIR, OMP_NUM_THREADS="1", TOKENIZERS_PARALLELISM="false")
    env.pop("PYTHONHOME", None)
    return env


def _run(cmd, what):
    proc = subprocess.run(cmd, capture_output=True, text=True, env=_env(), cwd=ROOT, timeout=900)
    if proc.returncode != 0:
        raise RuntimeError(f"{what} failed ({proc.returncode}):\n{proc.stderr[-4000:]}")


def _groups(cases):
    """Export groups (one subprocess each) -> the cases they produce."""
    groups = {}
    for exporter, config, form in cases:
        key = (HF_EXPORTER, "hf", config) if exporter == "hf" else (exporter, config, None)
        groups.setdefault(key, []).append((exporter, config, form))
    return groups


def _paths(root, exporter, config, form):
    if exporter == "hf":
        base = os.path.join(root, f"hf-{config}", f"model-{form}")
    else:
        base = os.path.join(root, exporter, f"{config}-{form}")
    return base + ".onnx", base + ".ref.npz"


def _wanted(session):
    cases = set()
    for item in session.items:
        if getattr(item, "module", None) is None or item.module.__name__ != __name__:
            continue
        params = getattr(getattr(item, "callspec", None), "params", {})
        if {"exporter", "config", "form"} <= params.keys():
            cases.add((params["exporter"], params["config"], params["form"]))
    return cases


@pytest.fixture(scope="module")
def pipeline(request, tmp_path_factory):
    """pipeline.exported(case) -> (onnx, reference npz); pipeline.compiled(case) -> library.

    One job per export group (an interpreter run exporting all forms of a config, or an
    HF checkpoint build + export), followed in the same job by the compilations of its
    files; the slowest groups (HF, torch 2.15) first."""
    root = str(tmp_path_factory.mktemp("exporters"))
    wanted = _wanted(request.session)
    exported, compiled = {}, {}
    for case in wanted:
        exported[case] = concurrent.futures.Future()
        compiled[case] = concurrent.futures.Future()
    times = {}

    def job(key, cases):
        name, kind, config = key
        try:
            probe(name)
            python, _, exporter, opset = EXPORTERS[name]
            start = time.monotonic()
            if kind == "hf":
                linear = cases[0][1]
                out = os.path.join(root, f"hf-{linear}")
                _run([python, "-c", HF_DRIVER, linear, str(opset),
                      os.path.join(root, f"checkpoint-{linear}"), out], f"HF export ({linear})")
            else:
                out = os.path.join(root, name)
                os.makedirs(out, exist_ok=True)
                _run([python, "-c", EXPORT_DRIVER, exporter, str(opset), kind, out],
                     f"{name} export of {kind}")
            times[f"export {name} {kind}" + (f" {config}" if config else "")] = time.monotonic() - start
        except BaseException as e:  # noqa: BLE001 (reported by the tests)
            for case in cases:
                exported[case].set_exception(e)
                compiled[case].set_exception(e)
            return
        for case in cases:
            exported[case].set_result(_paths(root, *case))
        for case in cases:
            onnx_path, _ = _paths(root, *case)
            try:
                lib, seconds = compile_model(onnx_path, onnx_path[:-len(".onnx")] + ".so")
                times["compile " + "-".join(case)] = seconds
                compiled[case].set_result(lib)
            except BaseException as e:  # noqa: BLE001
                compiled[case].set_exception(e)

    cost = {"hf": 0, "t215": 1, "t215ts": 2, "t25": 3, "t113": 4}
    groups = sorted(_groups(sorted(wanted)).items(),
                    key=lambda kv: (cost.get(kv[1][0][0], 9), kv[0][1] != "tiny"))
    start = time.monotonic()
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=max(1, cpu_count()))
    for key, cases in groups:
        pool.submit(job, key, cases)

    class Pipeline:
        @staticmethod
        def exported(case):
            return _result(exported[case])

        @staticmethod
        def compiled(case):
            onnx_path, reference = _result(exported[case])
            return onnx_path, reference, _result(compiled[case])

    yield Pipeline
    pool.shutdown(wait=True, cancel_futures=True)
    if times:
        print(f"\nexporters: {len(times)} jobs in {time.monotonic() - start:.0f} s: "
              + ", ".join(f"{k} {v:.0f} s" for k, v in sorted(times.items())))


def _result(future):
    try:
        return future.result()
    except Unavailable as e:
        pytest.skip(str(e))


def max_position(exporter, config):
    if exporter == "hf":
        from bitnet.hf import HF_CONFIGS  # no transformers import at module level
        return HF_CONFIGS["tiny"]["max_position_embeddings"]
    return get_config(config).max_position


def _stats_key(exporter, what):
    return f"exporters {exporter}: {what}"


@pytest.mark.parametrize("exporter,config,form", CASES)
def test_onnxruntime_matches_pytorch(pipeline, exporter, config, form):
    """Sanity of the export: onnxruntime on the file == the exporting PyTorch model."""
    onnx_path, reference = pipeline.exported((exporter, config, form))
    ort_model = OrtModel(onnx_path)
    assert ort_model.has_kv_cache == (form == "kvcache")
    agreement = Agreement(f"{exporter}-{config}-{form} onnxruntime vs PyTorch",
                          _stats_key(exporter, "onnxruntime vs PyTorch"))
    for i, (tokens, logits) in enumerate(load_reference(reference)):
        agreement.check(ort_model.full(tokens), logits, f"prompt {i} ({len(tokens)} tokens)")
    agreement.verify()


@pytest.mark.parametrize("exporter,config,form", CASES)
def test_compiled_matches_onnxruntime_and_pytorch(pipeline, exporter, config, form):
    onnx_path, reference, lib = pipeline.compiled((exporter, config, form))
    ort_model = OrtModel(onnx_path)
    what = f"{exporter}-{config}-{form}"
    # Per cell: the closing notes report the largest error of each.
    vs_ort = Agreement(f"{what} compiled vs onnxruntime", _stats_key(what, "compiled vs onnxruntime"))
    vs_torch = Agreement(f"{what} compiled vs PyTorch", _stats_key(what, "compiled vs PyTorch"))
    decode = Agreement(f"{what} one token per call vs one call", _stats_key(exporter, "split vs one call"))
    with CompiledModel(lib) as compiled_model:
        assert compiled_model.has_kv_cache == ort_model.has_kv_cache
        assert compiled_model.vocab_size == ort_model.session.get_outputs()[0].shape[-1]
        # from the bitnet.config metadata (max_position / HF max_position_embeddings)
        assert compiled_model.max_context == max_position(exporter, config)
        for i, (tokens, logits) in enumerate(load_reference(reference)):
            compiled_model.reset()
            got = compiled_model.run(tokens)
            where = f"prompt {i} ({len(tokens)} tokens)"
            vs_ort.check(got, ort_model.full(tokens), where)
            vs_torch.check(got, logits, where)
            if len(tokens) > 1:
                compiled_model.reset()
                rows = [compiled_model.run(tokens[:1])] + [compiled_model.run([t]) for t in tokens[1:]]
                decode.check(np.concatenate(rows), got, where)
    for agreement in (vs_ort, vs_torch, decode):
        agreement.verify()


@pytest.mark.parametrize("exporter,config,form", CASES)
def test_compiled_greedy_matches_onnxruntime(pipeline, exporter, config, form):
    onnx_path, reference, lib = pipeline.compiled((exporter, config, form))
    ort_model = OrtModel(onnx_path)
    prompt = load_reference(reference)[0][0]
    with CompiledModel(lib) as compiled_model:
        got = compiled_model.generate(prompt, GEN_TOKENS)
    check_greedy(got, prompt, ort_model.full(prompt + got[:-1]), ort_model.greedy(prompt, GEN_TOKENS),
                 f"{exporter}-{config}-{form} greedy")


# The base3 packing (5 trits a byte, --ternary-packing=base3) on the files users have:
# transformers' packed BitLinear and torch 2.15's default exporter, with each kernel.
BASE3_CASES = [pytest.param(e, c, f, k, id=f"{e}-{c}-{f}-{k}")
               for e, c, f in (("hf", "bitlinear", "kvcache"), ("t215", "odd", "kvcache"))
               for k in ("addsub", "dot")]


@pytest.mark.parametrize("exporter,config,form,kernel", BASE3_CASES)
def test_base3_packing_matches_onnxruntime(pipeline, tmp_path, exporter, config, form, kernel):
    onnx_path, reference = pipeline.exported((exporter, config, form))
    lib, _ = compile_model(onnx_path, str(tmp_path / "base3.so"),
                           extra=("--ternary-packing=base3", f"--ternary-kernel={kernel}"))
    ort_model = OrtModel(onnx_path)
    what = f"{exporter}-{config}-{form} base3 {kernel}"
    agreement = Agreement(f"{what} vs onnxruntime", _stats_key(exporter, "base3 vs onnxruntime"))
    with CompiledModel(lib) as compiled_model:
        for i, (tokens, _) in enumerate(load_reference(reference)):
            compiled_model.reset()
            agreement.check(compiled_model.run(tokens), ort_model.full(tokens),
                            f"prompt {i} ({len(tokens)} tokens)")
    agreement.verify()


def teardown_module(module):
    for key, (n, clean, abs_, rel, rel_clean) in sorted(STATS.items()):
        if key.startswith("exporters "):
            print(f"  {key:48s} {n:4d} {clean:4d}  {abs_:9.3g} {rel:9.3g} {rel_clean:9.3g}")
    for line in NEAR_TIES:
        if "greedy" in line:
            print("  greedy near-tie:", line)


@pytest.mark.parametrize("linear", HF_LINEARS)
def test_hf_text_generation(pipeline, linear):
    """Text in, text out through the checkpoint's tokenizer (copied beside the ONNX by
    hf_export): the compiled KV-cache model's continuation == onnxruntime's."""
    pytest.importorskip("tokenizers")
    from bitnet.generate_text import generate_text, generate_tokens, load_tokenizer
    onnx_path, _, lib = pipeline.compiled(("hf", linear, "kvcache"))
    tokenizer = load_tokenizer(os.path.dirname(onnx_path))
    prompt = "def read_file(path):"
    ids = tokenizer.encode(prompt)
    ort_model = OrtModel(onnx_path)
    with CompiledModel(lib) as compiled_model:
        assert tokenizer.vocab_size == compiled_model.vocab_size
        got = generate_tokens(compiled_model, ids, GEN_TOKENS)
        text = generate_text(compiled_model, tokenizer, prompt, GEN_TOKENS)
    check_greedy(got, ids, ort_model.full(ids + got[:-1]), ort_model.greedy(ids, GEN_TOKENS),
                 f"hf-{linear} text greedy")
    # generate_text stops after an end-of-text token.
    stop = next((i + 1 for i, t in enumerate(got) if t in tokenizer.eos_ids), len(got))
    assert text == tokenizer.decode(got[:stop])
