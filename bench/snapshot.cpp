// Snapshot and reset timings over many instances, in process (no sockets):
// GET /_emulator/snapshot (export and its JSON text), POST it back (parse and
// import), and POST /_emulator/reset. Prints the numbers.
// usage: cvm_snapshot_bench [instances]   (100000 by default; BENCH_DB=path
// for a file database instead of :memory:)
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>

#include "server/emulator.h"
#include "server/request_log.h"

namespace {

double Seconds(const std::function<void()>& f) {
  auto start = std::chrono::steady_clock::now();
  f();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

cvm::server::HttpRequest Control(const std::string& method, const std::string& path,
                                 std::string body = "") {
  cvm::server::HttpRequest req;
  req.method = method;
  req.target = "/_emulator/" + path;
  req.body = std::move(body);
  return req;
}

}  // namespace

int main(int argc, char** argv) {
  int instances = argc > 1 ? std::atoi(argv[1]) : 100000;
  cvm::server::Logger logger(cvm::server::LogLevel::kOff);
  cvm::server::EmulatorOptions options;
  options.db_path = std::getenv("BENCH_DB") ? std::getenv("BENCH_DB") : ":memory:";
  options.auth.verify = false;
  options.quotas.instances = 1'000'000'000;
  cvm::server::Emulator emulator(options, logger);
  cvm::server::HttpRequest fill;
  fill.method = "POST";
  fill.target = "/";
  fill.headers = {{"host", "127.0.0.1"},
                  {"content-type", "application/json"},
                  {"x-tc-action", "RunInstances"},
                  {"x-tc-version", "2017-03-12"},
                  {"x-tc-region", "ap-guangzhou"}};
  fill.body = R"({"Placement":{"Zone":"ap-guangzhou-3"},"ImageId":"img-eb30mz89","InstanceCount":100})";
  double filled = Seconds([&] {
    for (int i = 0; i < instances / 100; ++i) emulator.Handle(fill);
  });
  std::printf("filled %d instances in %.2f s\n", instances, filled);

  cvm::server::HttpResponse exported;
  double export_s = Seconds([&] { exported = emulator.Handle(Control("GET", "snapshot")); });
  std::printf("export: %.2f s, %.1f MB (status %d)\n", export_s, exported.body.size() / 1e6,
              exported.status);
  cvm::server::HttpResponse imported;
  double import_s =
      Seconds([&] { imported = emulator.Handle(Control("POST", "snapshot", exported.body)); });
  std::printf("import (replacing the same %d instances): %.2f s (status %d %s)\n", instances,
              import_s, imported.status, imported.status == 200 ? "" : imported.body.c_str());
  cvm::server::HttpResponse reset;
  double reset_s = Seconds([&] { reset = emulator.Handle(Control("POST", "reset")); });
  std::printf("reset with %d instances: %.2f s (status %d)\n", instances, reset_s, reset.status);
  double into_empty_s =
      Seconds([&] { imported = emulator.Handle(Control("POST", "snapshot", exported.body)); });
  std::printf("import into an empty emulator: %.2f s (status %d)\n", into_empty_s, imported.status);
  return imported.status == 200 && reset.status == 200 ? 0 : 1;
}
