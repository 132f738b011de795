/*===- OpenMPThreads.c - the thread count of the kernels' OpenMP runtime --===
 *
 * Model libraries run their ternary kernels on LLVM's libomp. Its
 * omp_set_num_threads is looked up in libomp itself: called by name, the
 * process's first definition would win, and a host that loaded GNU's libgomp
 * first (torch does) would set the thread count of the wrong runtime.
 *
 * Part of the runtime sources that bitnet-opt links into every library
 * (lib/BitNet/Target/CMakeLists.txt).
 *
 *===----------------------------------------------------------------------===*/

/* RTLD_NOLOAD. */
#define _GNU_SOURCE

#include <dlfcn.h>

typedef void (*SetNumThreadsFn)(int);

__attribute__((visibility("hidden"))) void bitnet_runtime_set_openmp_threads(int threads) {
  /* A benign race: every thread that looks finds the same function. */
  static SetNumThreadsFn set_num_threads;
  if (!set_num_threads) {
    void *libomp = dlopen("libomp.so.5", RTLD_LAZY | RTLD_NOLOAD);
    if (libomp)
      set_num_threads = (SetNumThreadsFn)dlsym(libomp, "omp_set_num_threads");
  }
  if (set_num_threads)
    set_num_threads(threads);
}
