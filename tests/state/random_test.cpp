// The one seedable source of randomness: resource IDs and UUIDs.
#include <doctest/doctest.h>

#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "state/random.h"

namespace {

using cvm::state::Random;

bool IsId(const std::string& id, const std::string& prefix, int length = 8) {
  return std::regex_match(id, std::regex(prefix + "[0-9a-z]{" + std::to_string(length) + "}"));
}

bool IsUuidV4(const std::string& s) {
  static const std::regex kUuid("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
  return std::regex_match(s, kUuid);
}

std::vector<std::string> Draws(Random& random) {
  std::vector<std::string> out;
  for (int i = 0; i < 20; ++i) {
    out.push_back(random.Id("ins-"));
    out.push_back(random.Uuid());
    out.push_back(std::to_string(random.Below(1000)));
  }
  return out;
}

TEST_CASE("Random: the same seed gives the same IDs, UUIDs and numbers") {
  Random a(42), b(42);
  CHECK(Draws(a) == Draws(b));
}

TEST_CASE("Random: different seeds give different IDs") {
  Random a(42), b(43);
  CHECK(Draws(a) != Draws(b));
}

TEST_CASE("Random::Id: the prefix followed by 8 characters of [0-9a-z], for every resource kind") {
  Random random(7);
  for (const std::string prefix : {"ins-", "img-", "skey-", "host-", "ps-", "disk-"}) {
    for (int i = 0; i < 200; ++i) {
      std::string id = random.Id(prefix);
      INFO(id);
      REQUIRE(IsId(id, prefix));
    }
  }
}

TEST_CASE("Random::Id: other lengths, including more than one 64-bit draw") {
  Random random(7);
  CHECK(IsId(random.Id("x-", 1), "x-", 1));
  CHECK(IsId(random.Id("x-", 12), "x-", 12));
  CHECK(IsId(random.Id("x-", 20), "x-", 20));
  CHECK(random.Id("", 0) == "");
}

TEST_CASE("Random::Id: a thousand IDs are all different and use more than a few characters") {
  Random random(1);
  std::set<std::string> ids;
  std::set<char> characters;
  for (int i = 0; i < 1000; ++i) {
    std::string id = random.Id("ins-");
    ids.insert(id);
    characters.insert(id.begin() + 4, id.end());
  }
  CHECK(ids.size() == 1000);
  CHECK(characters.size() == 36);
}

TEST_CASE("Random::Uuid: lower-case version 4, variant 10") {
  Random random(9);
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    std::string uuid = random.Uuid();
    INFO(uuid);
    REQUIRE(IsUuidV4(uuid));
    seen.insert(uuid);
  }
  CHECK(seen.size() == 200);
}

TEST_CASE("Random::Below: always less than its bound") {
  Random random(3);
  for (uint64_t n : {1ULL, 2ULL, 7ULL, 36ULL, 1000ULL}) {
    for (int i = 0; i < 100; ++i) REQUIRE(random.Below(n) < n);
  }
}

TEST_CASE("Random: seed 0 draws its seed from the operating system") {
  Random a(0), b(0);
  CHECK(a.Id("ins-", 12) != b.Id("ins-", 12));
}

TEST_CASE("Random::DerivedSeed: the same seed and stream give the same seed, another stream or seed another; 0 stays 0") {
  CHECK(Random::DerivedSeed(42, 1) == Random::DerivedSeed(42, 1));
  CHECK(Random::DerivedSeed(42, 1) != Random::DerivedSeed(42, 2));
  CHECK(Random::DerivedSeed(42, 1) != Random::DerivedSeed(43, 1));
  CHECK(Random::DerivedSeed(42, 1) != 42);
  CHECK(Random::DerivedSeed(0, 1) == 0);
  Random a(Random::DerivedSeed(42, 1)), b(42);
  CHECK(Draws(a) != Draws(b));
}

TEST_CASE("Random: UUIDs drawn on four threads at once are the ones one thread draws, each whole") {
  // Each Uuid takes its two draws in one step: the set is the sequential one.
  constexpr int kPerThread = 2000;
  Random sequential(5), shared(5);
  std::set<std::string> expected;
  for (int i = 0; i < 4 * kPerThread; ++i) expected.insert(sequential.Uuid());
  std::vector<std::vector<std::string>> drawn(4);
  std::vector<std::thread> threads;
  for (auto& out : drawn) {
    threads.emplace_back([&shared, &out] {
      for (int i = 0; i < kPerThread; ++i) out.push_back(shared.Uuid());
    });
  }
  for (auto& t : threads) t.join();
  std::set<std::string> got;
  for (const auto& out : drawn) got.insert(out.begin(), out.end());
  CHECK(got == expected);
}

}  // namespace
