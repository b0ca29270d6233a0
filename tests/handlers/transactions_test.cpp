// The pipeline owns the transaction (server/pipeline.cpp): a handler never
// opens or commits a unit of work, so none can forget to. (The rollback of a
// failed job is tested on the worker's path, tests/server/db_worker_test.cpp.)
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

TEST_CASE(
    "Handlers: no handler source opens a unit of work, a transaction or a commit of its own") {
  int files = 0;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::string(CVM_SOURCE_DIR) + "/handlers")) {
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    std::string source = text.str();
    CAPTURE(entry.path().filename().string());
    CHECK(source.find("UnitOfWork") == std::string::npos);
    CHECK(source.find("Transaction") == std::string::npos);
    CHECK(source.find("Commit(") == std::string::npos);
    CHECK(source.find("BeginBatch") == std::string::npos);
    ++files;
  }
  CHECK(files > 5);
}
