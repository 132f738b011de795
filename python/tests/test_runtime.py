"""bitnet.runtime (the ctypes loader) on the fake model libraries of test/Runtime.

The libraries are the generic C runtime linked with a hand-written stand-in
for the generated trampoline (test/Runtime/Inputs/fake_model.c), built here
with the system C compiler, so these tests need no bitnet-opt.
"""
import os
import shutil
import subprocess

import numpy as np
import pytest

from bitnet.runtime import ABI_VERSION, CompiledModel, NotAModelLibraryError

ROOT = os.path.join(os.path.dirname(__file__), os.pardir, os.pardir)
CC = os.environ.get("CC") or shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")
pytestmark = pytest.mark.skipif(CC is None, reason="no C compiler to build the fake models")


@pytest.fixture(scope="session")
def build(tmp_path_factory):
    """build(*defines) -> path of a fake model library; each variant built once."""
    root = tmp_path_factory.mktemp("fake_models")
    cache = {}

    def get(*defines):
        if defines not in cache:
            out = str(root / ("model" + "".join(d.replace("=", "_") for d in defines) + ".so"))
            subprocess.run([CC, "-std=c11", "-O2", "-fPIC", "-shared", "-fvisibility=hidden",
                            "-Wall", "-Wextra", "-Werror", "-I", os.path.join(ROOT, "include"),
                            *defines,
                            os.path.join(ROOT, "test/Runtime/Inputs/fake_model.c"),
                            os.path.join(ROOT, "lib/BitNet/Runtime/ModelRuntime.c"),
                            "-o", out], check=True)
            cache[defines] = out
        return cache[defines]
    return get


def build_c(tmp_path, source):
    """A shared library from a C snippet."""
    c, so = tmp_path / "lib.c", tmp_path / "lib.so"
    c.write_text(source)
    subprocess.run([CC, "-shared", "-fPIC", str(c), "-o", str(so)], check=True)
    return str(so)


def reference_logits(tokens, vocab=8):
    """fake_model.c's logits_row for every position of `tokens`."""
    out = np.empty((len(tokens), vocab), np.float32)
    total = 0
    for t, token in enumerate(tokens):
        total += (t + 1) * int(token)
        favourite = total % vocab
        for v in range(vocab):
            out[t, v] = (0.5 if favourite == 0 else 2.0 if v == favourite
                         else 0.25 * ((v * 3 + t) % 5))
    return out


def reference_generate(prompt, n, vocab=8):
    tokens = list(prompt)
    for _ in range(n):
        tokens.append(int(np.argmax(reference_logits(tokens, vocab)[-1])))
    return tokens[len(prompt):]


KINDS = [(), ("-DFAKE_KV",)]


@pytest.mark.parametrize("kind", KINDS, ids=["recompute", "kv"])
def test_properties(build, kind):
    with CompiledModel(build(*kind)) as model:
        assert model.vocab_size == 8
        assert model.has_kv_cache == bool(kind)
        assert model.context_length == 0


@pytest.mark.parametrize("kind", KINDS, ids=["recompute", "kv"])
def test_incremental_runs_match_one_run(build, kind):
    sequence = [1, 2, 3, 4, 5, 6, 7, 0, 3]
    with CompiledModel(build(*kind)) as model:
        rows = [model.run(sequence[:3]), model.run(sequence[3:4]), model.run(sequence[4:])]
        assert [r.shape for r in rows] == [(3, 8), (1, 8), (5, 8)]
        assert all(r.dtype == np.float32 for r in rows)
        np.testing.assert_array_equal(np.concatenate(rows), reference_logits(sequence))
        assert model.context_length == len(sequence)
        model.reset()
        assert model.context_length == 0
        np.testing.assert_array_equal(model.run(sequence[:2]), reference_logits(sequence[:2]))


def test_kv_and_recompute_agree_on_random_sequences(build):
    rng = np.random.default_rng(0)
    with CompiledModel(build()) as plain, CompiledModel(build("-DFAKE_KV")) as kv:
        for _ in range(5):
            plain.reset()
            kv.reset()
            for length in rng.integers(1, 6, size=4):
                chunk = rng.integers(0, 8, size=length)
                np.testing.assert_array_equal(plain.run(chunk), kv.run(chunk))


def test_same_library_twice(build, tmp_path):
    """One library opened twice (one dlopen handle, two instances) and a copy of it (a second
    handle with runtime state of its own), their runs interleaved token by token, one of them
    closed half-way: every instance keeps its own sequence."""
    path = build("-DFAKE_KV")
    copy = str(tmp_path / "copy.so")
    shutil.copy(path, copy)
    sequence = [1, 2, 3, 4, 5, 6, 7, 0, 3]
    models = [CompiledModel(path), CompiledModel(path), CompiledModel(copy)]
    rows = [[] for _ in models]
    for i, token in enumerate(sequence):
        for model, out in zip(models, rows):
            out.append(model.run([token]))
        if i == 4:
            models[0].close()
            models[0] = CompiledModel(path)
            rows[0] = [models[0].run(sequence[:i + 1])]
    for model, out in zip(models, rows):
        np.testing.assert_array_equal(np.concatenate(out), reference_logits(sequence))
        model.close()


@pytest.mark.parametrize("kind", KINDS, ids=["recompute", "kv"])
def test_generate(build, kind):
    with CompiledModel(build(*kind)) as model:
        assert model.generate([1, 2, 3], 6) == [6, 6, 4, 4, 0, 0]
        # generate starts a fresh sequence, so it repeats itself.
        assert model.generate([2, 5, 1], 6) == [7, 3, 2, 6, 0, 0]
        assert model.generate([2, 5, 1], 6) == reference_generate([2, 5, 1], 6)
        assert model.generate(np.array([3], dtype=np.int32), 0) == []
        assert model.context_length == 1


def test_byte_level_model(build):
    with CompiledModel(build("-DFAKE_VOCAB=256", "-DFAKE_KV")) as model:
        assert model.vocab_size == 256
        assert model.generate(list(b"ok"), 3) == [69, 20, 100]


def test_input_forms(build):
    with CompiledModel(build()) as model:
        want = reference_logits([1, 2, 3])
        np.testing.assert_array_equal(model.run(np.array([1, 2, 3], dtype=np.uint8)), want)
        model.reset()
        np.testing.assert_array_equal(model.run((1, 2, 3)), want)
        assert model.run([]).shape == (0, 8)
        assert model.context_length == 3


def test_bad_tokens(build):
    with CompiledModel(build("-DFAKE_KV")) as model:
        with pytest.raises(ValueError, match=r"token id 8 \(position 1\) is out of range for vocabulary size 8"):
            model.run([1, 8])
        with pytest.raises(ValueError, match="token id -1"):
            model.run([-1])
        with pytest.raises(ValueError, match="1-D"):
            model.run([[1, 2]])
        with pytest.raises(ValueError, match="integers"):
            model.run([1.5])
        with pytest.raises(ValueError, match="empty prompt"):
            model.generate([], 3)
        assert model.context_length == 0
        # A rejected call leaves the sequence as it was.
        model.run([1, 2])
        with pytest.raises(ValueError):
            model.run([3, 9])
        np.testing.assert_array_equal(model.run([3]), reference_logits([1, 2, 3])[2:])


@pytest.mark.parametrize("define,message", [
    ("-DFAKE_INVOKE_FAILS", r"the compiled graph failed \(bitnet_model_invoke returned 7\)"),
    ("-DFAKE_BAD_LOGITS", "returned output 'logits' with size 1 in dimension 1, expected 2"),
])
def test_failing_graph(build, define, message):
    with CompiledModel(build(define)) as model:
        with pytest.raises(RuntimeError, match=message):
            model.run([1, 2])
        assert model.context_length == 0


@pytest.mark.parametrize("define,message", [
    ("-DFAKE_NO_LOGITS", "the graph has no 'logits' output"),
    ("-DFAKE_ABI_VERSION=5", "the graph was generated for model ABI version 5, this runtime implements 1"),
])
def test_unusable_graph(build, define, message):
    with pytest.raises(RuntimeError, match=f"cannot run: {message}"):
        CompiledModel(build(define))


def test_foreign_files(tmp_path):
    with pytest.raises(FileNotFoundError):
        CompiledModel(tmp_path / "missing.so")
    with pytest.raises(IsADirectoryError):
        CompiledModel(tmp_path)
    text = tmp_path / "model.so"
    text.write_text("not a library")
    with pytest.raises(NotAModelLibraryError, match="not a loadable shared library"):
        CompiledModel(text)
    foreign = build_c(tmp_path, "int answer(void) { return 42; }\n")
    with pytest.raises(NotAModelLibraryError, match="not a bitnet-mlir model library"):
        CompiledModel(foreign)


def test_abi_mismatch(tmp_path):
    assert ABI_VERSION == 1
    future = build_c(tmp_path, "unsigned bitnet_model_abi_version(void) { return 999; }\n")
    with pytest.raises(NotAModelLibraryError, match="ABI version 999"):
        CompiledModel(future)
    assert issubclass(NotAModelLibraryError, OSError)


def test_threads_and_close(build):
    model = CompiledModel(build())
    model.set_threads(1)
    with pytest.raises(ValueError, match="linked without OpenMP"):
        model.set_threads(2)
    with pytest.raises(ValueError, match="at least 1"):
        model.set_threads(0)
    model.close()
    model.close()
    with pytest.raises(ValueError, match="closed"):
        model.run([1])
    with pytest.raises(ValueError, match="closed"):
        model.reset()
