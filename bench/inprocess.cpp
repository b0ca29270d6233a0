// In-process microbenchmark: requests through Emulator::Handle, no sockets.
// Prints the mean time per request. For profiling (perf, callgrind) the
// pipeline and handlers without the network in the way.
// usage: cvm_inprocess_bench <Action> <json-body> <iterations> [prefill-instances]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "server/emulator.h"
#include "server/request_log.h"

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: %s <Action> <json-body> <iterations> [prefill]\n", argv[0]);
    return 2;
  }
  std::string action = argv[1], body = argv[2];
  int iterations = std::atoi(argv[3]);
  int prefill = argc > 4 ? std::atoi(argv[4]) : 0;
  cvm::server::Logger logger(cvm::server::LogLevel::kOff);
  cvm::server::EmulatorOptions options;
  options.db_path = std::getenv("BENCH_DB") ? std::getenv("BENCH_DB") : ":memory:";
  options.auth.verify = false;
  options.quotas.instances = 1'000'000'000;
  // BENCH_JOURNAL_SIZE=0 turns the request journal off (to measure its cost).
  if (const char* size = std::getenv("BENCH_JOURNAL_SIZE")) options.journal_size = std::atoll(size);
  cvm::server::Emulator emulator(options, logger);
  auto request = [](const std::string& act, const std::string& b) {
    cvm::server::HttpRequest req;
    req.method = "POST";
    req.target = "/";
    req.headers = {{"host", "127.0.0.1"},
                   {"content-type", "application/json"},
                   {"x-tc-action", act},
                   {"x-tc-version", "2017-03-12"},
                   {"x-tc-region", "ap-guangzhou"}};
    req.body = b;
    return req;
  };
  auto fill = request("RunInstances",
                      R"({"Placement":{"Zone":"ap-guangzhou-3"},"ImageId":"img-eb30mz89","InstanceCount":100})");
  for (int i = 0; i < prefill / 100; ++i) emulator.Handle(fill);
  auto req = request(action, body);
  auto first = emulator.Handle(req);
  if (first.body.find("\"Error\"") != std::string::npos) {
    std::fprintf(stderr, "the request fails: %s\n", first.body.c_str());
    return 1;
  }
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < iterations; ++i) emulator.Handle(req);
  double us = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count();
  std::printf("%s: %.1f us per request (%d requests, %d instances prefilled, response %zu bytes)\n",
              action.c_str(), us / iterations, iterations, prefill, first.body.size());
  return 0;
}
