# lit configuration for the bitnet-mlir regression tests.

import os

import lit.formats
import lit.util
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "BITNET"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test", ".onnxtxt"]
config.excludes = ["CMakeLists.txt", "README.md", "lit.cfg.py", "lit.site.cfg.py", "Inputs"]

config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.bitnet_obj_root, "test")

config.substitutions.append(("%PATH%", config.environment["PATH"]))
config.substitutions.append(("%python", config.python_executable))
# The C compiler CMake found: runtime tests build model libraries with it.
config.substitutions.append(("%cc", config.c_compiler))
config.substitutions.append(("%bitnet_src", config.bitnet_src_root))
config.substitutions.append(
    ("%onnx_from_text", config.python_executable + " "
     + os.path.join(config.bitnet_src_root, "test/Import/ONNX/Inputs/onnx_from_text.py")))
config.substitutions.append(
    ("%export_model", "env PYTHONPATH=" + os.path.join(config.bitnet_src_root, "python") + " "
     + config.python_executable + " -m bitnet.export"))
config.substitutions.append(
    ("%make_huge_model", config.python_executable + " "
     + os.path.join(config.bitnet_src_root, "test/Import/ONNX/Inputs/make_huge_model.py")))
config.substitutions.append(
    ("%make_bad_model", config.python_executable + " "
     + os.path.join(config.bitnet_src_root, "test/Import/ONNX/Inputs/make_bad_model.py")))

llvm_config.with_system_environment(["HOME", "INCLUDE", "LIB", "TMP", "TEMP",
                                     # The sanitized build's settings (scripts/fuzz.sh).
                                     "ASAN_OPTIONS", "LSAN_OPTIONS", "UBSAN_OPTIONS"])
llvm_config.use_default_substitutions()
# `not`, `count` and FileCheck come with LLVM's tools.
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
# Captured names must not leak from one CHECK-LABEL block into the next.
config.environment["FILECHECK_OPTS"] = "--enable-var-scope"

llvm_lib_dir = os.path.join(os.path.dirname(config.llvm_tools_dir), "lib")
config.substitutions.append(
    ("%mlir_runner_utils", os.path.join(llvm_lib_dir, "libmlir_runner_utils.so")))
config.substitutions.append(
    ("%mlir_c_runner_utils", os.path.join(llvm_lib_dir, "libmlir_c_runner_utils.so")))
# The ternary kernels run on OpenMP threads: JIT runs load LLVM's libomp.
config.substitutions.append(("%libomp", os.path.join(llvm_lib_dir, "libomp.so")))

tool_dirs = [config.bitnet_tools_dir, config.llvm_tools_dir]
llvm_config.add_tool_substitutions(
    [ToolSubst("bitnet-opt", unresolved="fatal"), ToolSubst("bitnet-run", unresolved="fatal"),
     ToolSubst("bitnet-fuzz-mlir-parse", unresolved="fatal"),
     ToolSubst("mlir-runner", unresolved="fatal")],
    tool_dirs)

# AArch64 model libraries run under qemu-user with Debian's cross sysroot,
# driven by the cross-built bitnet-run (build/aarch64/bin). Tests that need
# them say `REQUIRES: aarch64-qemu`.
aarch64_sysroot = "/usr/aarch64-linux-gnu"
aarch64_bitnet_run = os.path.join(config.bitnet_obj_root, "aarch64", "bin", "bitnet-run")
qemu_aarch64 = lit.util.which("qemu-aarch64-static") or lit.util.which("qemu-aarch64")
if (qemu_aarch64 and lit.util.which("aarch64-linux-gnu-ld")
        and os.path.isfile(os.path.join(aarch64_sysroot, "lib", "crti.o"))
        and os.path.isfile(aarch64_bitnet_run)):
    config.available_features.add("aarch64-qemu")
    config.substitutions.append(("%qemu_aarch64", qemu_aarch64 + " -L " + aarch64_sysroot))
    config.substitutions.append(("%bitnet_run_aarch64", aarch64_bitnet_run))
