//===- StandaloneDriver.cpp - the fuzz targets without libFuzzer ----------===//
//
// The release build (any compiler, no sanitizers) links each fuzz target
// with this main instead of libFuzzer's, so that CI runs every target on
// every clean clone: the sanitized libFuzzer build takes longer than CI's
// budget on two cores (docs/Fuzzing.md). It replays the given files and
// directories, then runs `-runs=N` mutants of them (the target's
// LLVMFuzzerCustomMutator where it has one, byte mutations otherwise)
// for at most `-max_total_time=S` seconds. There is no coverage feedback:
// this is a regression and smoke run, not a search.
//
// An input that kills the process is written to `-artifact_prefix` +
// crash-<n> (timeout-<n> for one that runs past `-timeout`) before it
// dies, with the signal's exit status, so CI fails and keeps the input.
//
//===----------------------------------------------------------------------===//

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv)
    __attribute__((weak));
extern "C" size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size,
                                          size_t maxSize, unsigned seed)
    __attribute__((weak));

namespace {

std::minstd_rand rng;

/// What the signal handlers write out: the input being run.
const uint8_t *currentData = nullptr;
size_t currentSize = 0;
std::string crashPath, timeoutPath;

void writeCurrent(const std::string &path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0)
    return;
  size_t done = 0;
  while (done < currentSize) {
    ssize_t n = ::write(fd, currentData + done, currentSize - done);
    if (n <= 0)
      break;
    done += size_t(n);
  }
  ::close(fd);
}

void say(const char *text) { (void)!::write(2, text, std::strlen(text)); }

extern "C" void onCrash(int sig) {
  writeCurrent(crashPath);
  say("standalone fuzz driver: the target died on an input, kept as ");
  say(crashPath.c_str());
  say("\n");
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

extern "C" void onTimeout(int) {
  writeCurrent(timeoutPath);
  say("standalone fuzz driver: an input ran past -timeout, kept as ");
  say(timeoutPath.c_str());
  say("\n");
  ::_exit(70);
}

void runOne(const std::vector<uint8_t> &input, unsigned timeout) {
  currentData = input.data();
  currentSize = input.size();
  if (timeout)
    ::alarm(timeout);
  LLVMFuzzerTestOneInput(input.data(), input.size());
  if (timeout)
    ::alarm(0);
}

bool readFile(const std::string &path, std::vector<uint8_t> &out) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return false;
  out.assign(std::istreambuf_iterator<char>(in), {});
  return true;
}

/// Regular files named by `path`: itself, or the files in it (not nested).
void collect(const std::string &path, std::vector<std::string> &files) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0)
    return;
  if (S_ISREG(st.st_mode)) {
    files.push_back(path);
    return;
  }
  if (!S_ISDIR(st.st_mode))
    return;
  DIR *dir = ::opendir(path.c_str());
  if (!dir)
    return;
  std::vector<std::string> found;
  while (dirent *entry = ::readdir(dir)) {
    std::string file = path + "/" + entry->d_name;
    if (entry->d_name[0] != '.' && ::stat(file.c_str(), &st) == 0 &&
        S_ISREG(st.st_mode))
      found.push_back(file);
  }
  ::closedir(dir);
  std::sort(found.begin(), found.end());
  files.insert(files.end(), found.begin(), found.end());
}

bool flag(const char *arg, const char *name, long long &value) {
  size_t n = std::strlen(name);
  if (std::strncmp(arg, name, n) != 0 || arg[n] != '=')
    return false;
  value = std::atoll(arg + n + 1);
  return true;
}

} // namespace

/// libFuzzer's byte mutator, which LLVMFuzzerCustomMutator falls back on:
/// flip a bit, set a byte, insert, erase, duplicate a span, or truncate.
extern "C" size_t LLVMFuzzerMutate(uint8_t *data, size_t size,
                                   size_t maxSize) {
  auto pick = [](size_t n) { return n ? size_t(rng() % n) : 0; };
  switch (rng() % 6) {
  case 0:
    if (size)
      data[pick(size)] ^= uint8_t(1u << (rng() % 8));
    return size;
  case 1:
    if (size)
      data[pick(size)] = uint8_t(rng());
    return size;
  case 2:
    if (size < maxSize) {
      size_t at = pick(size + 1);
      std::memmove(data + at + 1, data + at, size - at);
      data[at] = uint8_t(rng());
      return size + 1;
    }
    return size;
  case 3:
    if (size > 1) {
      size_t at = pick(size);
      std::memmove(data + at, data + at + 1, size - at - 1);
      return size - 1;
    }
    return size;
  case 4: {
    if (!size)
      return size;
    size_t from = pick(size), len = 1 + pick(std::min<size_t>(size - from, 64));
    len = std::min(len, maxSize - size);
    size_t at = pick(size + 1);
    std::vector<uint8_t> span(data + from, data + from + len);
    std::memmove(data + at + len, data + at, size - at);
    std::memcpy(data + at, span.data(), len);
    return size + len;
  }
  default:
    return size ? pick(size) + 1 : size;
  }
}

int main(int argc, char **argv) {
  long long runs = 0, seconds = 0, seed = 1, maxLen = 1 << 20, timeout = 0;
  std::string prefix = "./";
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    const char *arg = argv[i];
    if (flag(arg, "-runs", runs) || flag(arg, "-max_total_time", seconds) ||
        flag(arg, "-seed", seed) || flag(arg, "-max_len", maxLen) ||
        flag(arg, "-timeout", timeout))
      continue;
    if (std::strncmp(arg, "-artifact_prefix=", 17) == 0) {
      prefix = arg + 17;
      continue;
    }
    if (arg[0] == '-')
      continue; // libFuzzer flags this driver does not need
    collect(arg, files);
  }
  if (LLVMFuzzerInitialize)
    LLVMFuzzerInitialize(&argc, &argv);
  rng.seed(unsigned(seed));
  std::signal(SIGSEGV, onCrash);
  std::signal(SIGBUS, onCrash);
  std::signal(SIGFPE, onCrash);
  std::signal(SIGILL, onCrash);
  std::signal(SIGABRT, onCrash);
  std::signal(SIGALRM, onTimeout);

  std::vector<std::vector<uint8_t>> inputs;
  long long executed = 0;
  for (const std::string &file : files) {
    std::vector<uint8_t> input;
    if (!readFile(file, input) || input.size() > size_t(maxLen))
      continue;
    crashPath = prefix + "crash-seed-" + std::to_string(executed);
    timeoutPath = prefix + "timeout-seed-" + std::to_string(executed);
    runOne(input, unsigned(timeout));
    ++executed;
    inputs.push_back(std::move(input));
  }
  if (inputs.empty())
    inputs.emplace_back();

  auto start = std::chrono::steady_clock::now();
  long long mutants = 0;
  std::vector<uint8_t> buffer;
  for (; mutants < runs; ++mutants) {
    if (seconds && std::chrono::steady_clock::now() - start >
                       std::chrono::seconds(seconds))
      break;
    const std::vector<uint8_t> &parent = inputs[rng() % inputs.size()];
    size_t cap = std::max<size_t>(size_t(maxLen), parent.size());
    buffer.assign(cap, 0);
    std::copy(parent.begin(), parent.end(), buffer.begin());
    size_t size = parent.size();
    unsigned steps = 1 + rng() % 3;
    for (unsigned s = 0; s < steps; ++s)
      size = LLVMFuzzerCustomMutator
                 ? LLVMFuzzerCustomMutator(buffer.data(), size, cap, rng())
                 : LLVMFuzzerMutate(buffer.data(), size, cap);
    buffer.resize(std::min(size, cap));
    crashPath = prefix + "crash-" + std::to_string(mutants);
    timeoutPath = prefix + "timeout-" + std::to_string(mutants);
    runOne(buffer, unsigned(timeout));
  }
  // The line scripts/fuzz.sh reads libFuzzer's execution count from.
  std::printf("standalone fuzz driver: %lld inputs replayed, %lld mutants run, "
              "0 crashes\nstat::number_of_executed_units: %lld\n",
              executed, mutants, executed + mutants);
  return 0;
}
