# CMake toolchain file for AArch64 Linux (Raspberry Pi 5, Graviton, Jetson)
# with Debian's cross compilers (g++-aarch64-linux-gnu). Builds the runtime
# tools only, which need no LLVM or MLIR for the target:
#
#   cmake -G Ninja -S . -B build-aarch64 -DBITNET_RUNTIME_ONLY=ON \
#         -DCMAKE_TOOLCHAIN_FILE=cmake/aarch64-linux-gnu.cmake
#   ninja -C build-aarch64        # build-aarch64/bin/bitnet-run
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)

set(BITNET_CROSS_TRIPLE aarch64-linux-gnu)
find_program(CMAKE_C_COMPILER ${BITNET_CROSS_TRIPLE}-gcc)
find_program(CMAKE_CXX_COMPILER ${BITNET_CROSS_TRIPLE}-g++)
if(NOT CMAKE_C_COMPILER OR NOT CMAKE_CXX_COMPILER)
  message(FATAL_ERROR "no ${BITNET_CROSS_TRIPLE} cross compiler: install "
                      "gcc-aarch64-linux-gnu g++-aarch64-linux-gnu libc6-dev-arm64-cross")
endif()

set(CMAKE_FIND_ROOT_PATH /usr/${BITNET_CROSS_TRIPLE})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# libstdc++ stays shared: linked statically, it and libgcc would pull in
# glibc 2.36 symbols (arc4random, _dl_find_object) from this sysroot, while
# shared it needs glibc 2.34 and GLIBCXX_3.4.29 (GCC 11), which Ubuntu 22.04
# (Jetson) and Amazon Linux 2023 (Graviton) have.

# Run cross-built programs (try_run, tests) under qemu on an x86 host.
find_program(BITNET_QEMU_AARCH64 qemu-aarch64-static)
if(BITNET_QEMU_AARCH64)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${BITNET_QEMU_AARCH64} -L /usr/${BITNET_CROSS_TRIPLE})
endif()
