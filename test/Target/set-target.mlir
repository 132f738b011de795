// The target is part of the IR: what a CPU can do comes from LLVM's
// description of it, so any CPU LLVM knows gets its vector width and int8
// dot products right.
// RUN: bitnet-opt %s -bitnet-set-target | FileCheck %s --check-prefix=HOST
// RUN: bitnet-opt %s -bitnet-set-target="triple=x86_64-linux-gnu cpu=skylake" | FileCheck %s --check-prefix=SKYLAKE
// RUN: bitnet-opt %s -bitnet-set-target="triple=x86_64-linux-gnu cpu=cascadelake" | FileCheck %s --check-prefix=CASCADE
// RUN: bitnet-opt %s -bitnet-set-target="triple=aarch64-linux-gnu cpu=cortex-a76" | FileCheck %s --check-prefix=A76
// RUN: bitnet-opt %s -bitnet-set-target="triple=aarch64-linux-gnu cpu=cortex-a53" | FileCheck %s --check-prefix=A53
// A target already there stays, unless one is named.
// RUN: bitnet-opt %s -bitnet-set-target="triple=x86_64-linux-gnu cpu=skylake" -bitnet-set-target | FileCheck %s --check-prefix=SKYLAKE
// RUN: not bitnet-opt %s -bitnet-set-target="triple=x86_64-linux-gnu cpu=nosuchcpu" 2>&1 | FileCheck %s --check-prefix=BADCPU
// RUN: not bitnet-opt %s -bitnet-set-target="triple=riscv64-linux-gnu" 2>&1 | FileCheck %s --check-prefix=NOBACKEND
// RUN: not bitnet-opt %s -bitnet-set-target="triple=nosucharch-linux" 2>&1 | FileCheck %s --check-prefix=BADTRIPLE

// HOST: module attributes {bitnet.target = {backend = "llvm-cpu", cpu = "{{[a-z0-9-]+}}", features = "{{.*}}", int8_dot = "{{.*}}", l1_bytes = {{[1-9][0-9]*}} : i64, l2_bytes = {{[1-9][0-9]*}} : i64, l3_bytes = {{[0-9]+}} : i64, threads = "openmp", triple = "{{.+}}", vector_bits = {{128|256|512}} : i64, vector_registers = {{16|32}} : i64}}

// SKYLAKE: bitnet.target = {backend = "llvm-cpu", cpu = "skylake", features = "", int8_dot = "avx2", l1_bytes = 32768 : i64, l2_bytes = 1048576 : i64, l3_bytes = 33554432 : i64, threads = "openmp", triple = "x86_64-linux-gnu", vector_bits = 256 : i64, vector_registers = 16 : i64}
// CASCADE: cpu = "cascadelake", {{.*}}int8_dot = "avx512-vnni", {{.*}}vector_bits = 512 : i64, vector_registers = 32 : i64
// A76: backend = "llvm-cpu", cpu = "cortex-a76", {{.*}}int8_dot = "dotprod", l1_bytes = 65536 : i64, {{.*}}threads = "", triple = "aarch64-linux-gnu", vector_bits = 128 : i64, vector_registers = 32 : i64
// A53: cpu = "cortex-a53", {{.*}}int8_dot = "", {{.*}}vector_bits = 128 : i64

// BADCPU: error: unknown CPU 'nosuchcpu' for 'x86_64-linux-gnu'
// NOBACKEND: error: no back end compiles for 'riscv64-linux-gnu' (back ends: llvm-cpu for x86-64 and AArch64)
// BADTRIPLE: error: unknown target 'nosucharch-linux'

func.func @f() {
  return
}
