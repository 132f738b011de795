//===- IsolatedInference.cpp - libonnx shape inference in a child ---------===//
//
// The child shares the parsed model copy-on-write, so fork costs page
// tables, not the weights; only the inferred types (small) come back
// through a pipe, as a serialized ModelProto the parent parses with
// protobuf's checked parser.
//
//===----------------------------------------------------------------------===//

#include "IsolatedInference.h"

#include "onnx/onnx_pb.h"

#include "mlir/IR/Diagnostics.h"

#include <cerrno>
#include <cstdio>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace mlir;

// Under a sanitizer (and libFuzzer) a crash in the child would run the
// parent's death callbacks: report it as the fuzz target's crash and write
// a crash file. The child turns them off; outside sanitizers the symbol is
// absent.
extern "C" __attribute__((weak)) void
__sanitizer_set_death_callback(void (*callback)(void));

namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kAddressSanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kAddressSanitizer = true;
#else
constexpr bool kAddressSanitizer = false;
#endif
#else
constexpr bool kAddressSanitizer = false;
#endif

/// Shape inference of a 2 GB graph takes seconds; minutes mean a loop.
constexpr int kTimeLimitSeconds = 300;
/// Address space the child may add to what it inherits: inferred types are
/// small, so gigabytes mean a file that asks for absurd shapes. With 16 GB,
/// a fuzzed file (test/Import/ONNX/Inputs/absurd-inference.onnx) had libonnx
/// fill 16 GB of pages for 40 s before its bad_alloc.
constexpr uint64_t kExtraAddressSpace = uint64_t(2) << 30;

/// The child's process: default signal dispositions (a crash ends it, not
/// a handler of the parent's), bounded CPU time and memory.
void confineChild() {
  for (int sig : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGTRAP, SIGSYS,
                  SIGXCPU, SIGPIPE})
    std::signal(sig, SIG_DFL);
  if (__sanitizer_set_death_callback)
    __sanitizer_set_death_callback(nullptr);
  rlimit cpu = {kTimeLimitSeconds, kTimeLimitSeconds};
  setrlimit(RLIMIT_CPU, &cpu);
  // ASan reserves terabytes of shadow address space: a limit would stop it.
  if (!kAddressSanitizer) {
    long pages = 0;
    if (FILE *statm = std::fopen("/proc/self/statm", "r")) {
      if (std::fscanf(statm, "%ld", &pages) != 1)
        pages = 0;
      std::fclose(statm);
    }
    if (pages > 0) {
      uint64_t limit =
          uint64_t(pages) * uint64_t(sysconf(_SC_PAGESIZE)) + kExtraAddressSpace;
      rlimit as = {limit, limit};
      setrlimit(RLIMIT_AS, &as);
    }
  }
}

bool writeAll(int fd, const std::string &data) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return false;
    done += size_t(n);
  }
  return true;
}

[[noreturn]] void runChild(
    int fd, ::onnx::ModelProto &model,
    llvm::function_ref<void(::onnx::ModelProto &, std::vector<std::string> &)>
        infer) {
  confineChild();
  std::vector<std::string> warnings;
  try {
    infer(model, warnings);
  } catch (const std::exception &e) {
    warnings.push_back(std::string("ONNX shape inference stopped: ") +
                       e.what());
  } catch (...) {
    warnings.push_back("ONNX shape inference stopped");
  }
  ::onnx::ModelProto result;
  ::onnx::GraphProto &graph = *result.mutable_graph();
  *graph.mutable_value_info() = model.graph().value_info();
  *graph.mutable_output() = model.graph().output();
  for (const std::string &warning : warnings)
    result.add_metadata_props()->set_value(warning);
  std::string bytes;
  bool ok = result.SerializeToString(&bytes) && writeAll(fd, bytes);
  ::close(fd);
  // _exit: the parent's atexit handlers and static destructors are not the
  // child's to run.
  ::_exit(ok ? 0 : 1);
}

/// Reads the child's answer until it closes the pipe or the deadline
/// passes; false on timeout or a read error.
bool readAll(int fd, std::string &out) {
  auto deadline = std::chrono::steady_clock::now() +
                  std::chrono::seconds(kTimeLimitSeconds + 10);
  char buffer[1 << 16];
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    deadline - std::chrono::steady_clock::now())
                    .count();
    if (left <= 0)
      return false;
    pollfd p = {fd, POLLIN, 0};
    int ready = ::poll(&p, 1, int(std::min<long long>(left, 1000)));
    if (ready < 0 && errno == EINTR)
      continue;
    if (ready < 0)
      return false;
    if (ready == 0)
      continue;
    ssize_t n = ::read(fd, buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return false;
    if (n == 0)
      return true;
    out.append(buffer, size_t(n));
  }
}

std::string describeStatus(int status) {
  if (WIFSIGNALED(status)) {
    int sig = WTERMSIG(status);
    const char *name = strsignal(sig);
    return "was killed by signal " + std::to_string(sig) + " (" +
           (name ? name : "unknown") + ")";
  }
  if (WIFEXITED(status))
    return "exited with status " + std::to_string(WEXITSTATUS(status));
  return "stopped";
}

} // namespace

LogicalResult mlir::bitnet::onnx_import::runIsolated(
    ::onnx::ModelProto &model, Location loc,
    llvm::function_ref<void(::onnx::ModelProto &, std::vector<std::string> &)>
        infer) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0)
    return emitError(loc) << "cannot run ONNX shape inference: pipe: "
                          << strerror(errno);
  pid_t pid = ::fork();
  if (pid < 0) {
    int error = errno;
    ::close(fds[0]);
    ::close(fds[1]);
    return emitError(loc) << "cannot run ONNX shape inference: fork: "
                          << strerror(error);
  }
  if (pid == 0) {
    ::close(fds[0]);
    runChild(fds[1], model, infer);
  }
  ::close(fds[1]);
  std::string answer;
  bool complete = readAll(fds[0], answer);
  ::close(fds[0]);
  if (!complete)
    ::kill(pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }

  auto fail = [&](StringRef why) {
    return emitError(loc)
           << "ONNX shape inference (libonnx) " << why
           << " on this graph; the file is malformed in a way the "
              "importer's own checks do not catch";
  };
  if (!complete)
    return fail("ran past " + std::to_string(kTimeLimitSeconds) + " s");
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    return fail(describeStatus(status));
  ::onnx::ModelProto result;
  if (!result.ParseFromString(answer) ||
      result.graph().output_size() != model.graph().output_size())
    return fail("sent back an unreadable answer");

  ::onnx::GraphProto &graph = *model.mutable_graph();
  *graph.mutable_value_info() =
      std::move(*result.mutable_graph()->mutable_value_info());
  for (int i = 0, e = graph.output_size(); i < e; ++i)
    if (result.graph().output(i).name() == graph.output(i).name())
      *graph.mutable_output(i)->mutable_type() =
          result.graph().output(i).type();
  for (const auto &warning : result.metadata_props())
    emitWarning(loc) << warning.value();
  return success();
}
