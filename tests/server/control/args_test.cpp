// The control plane's typed argument reader: each reader takes its type and
// range, refuses anything else naming the field, and fields nobody read are
// refused too.
#include "server/control/args.h"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

namespace {

using cvm::server::HttpRequest;
using cvm::server::control::Args;
using nlohmann::json;

json RefusalOf(const Args& args) {
  auto refused = args.Refusal();
  REQUIRE(refused.has_value());
  CHECK(refused->status == 400);
  return json::parse(refused->body);
}

TEST_CASE("Args: Number reads a JSON number or a numeric string within its range") {
  Args args(json{{"a", 1.5}, {"b", "2.5"}, {"c", 0}});
  CHECK(args.Number("a", 0, 10) == 1.5);
  CHECK(args.Number("b", 0, 10) == 2.5);
  CHECK(args.Number("c", 0, 10) == 0);
  CHECK(args.Number("absent", 0, 10) == std::nullopt);
  CHECK_FALSE(args.Refusal().has_value());
}

TEST_CASE("Args: Number refuses what is not a finite number in range, naming the field") {
  for (json bad : {json("x"), json("1x"), json(" 1"), json(""), json("inf"), json("nan"), json(11),
                   json(-1), json(true), json(nullptr), json::array({1}), json::object()}) {
    INFO(bad.dump());
    Args args(json{{"seconds", bad}});
    CHECK(args.Number("seconds", 0, 10) == std::nullopt);
    json r = RefusalOf(args);
    CHECK(r["field"] == "seconds");
    CHECK(r["error"] == "seconds must be a number from 0 to 10");
  }
}

TEST_CASE("Args: a required field that is absent is refused") {
  Args args;
  CHECK(args.Number("seconds", 0, 10, Args::kRequired) == std::nullopt);
  json r = RefusalOf(args);
  CHECK(r["field"] == "seconds");
  CHECK(r["error"] == "give seconds");
}

TEST_CASE("Args: Integer takes whole numbers in range, and refuses fractions and values past int64") {
  Args ok(json{{"a", -1}, {"b", "42"}, {"c", 3.0}, {"d", INT64_MAX}});
  CHECK(ok.Integer("a", -1, 100) == -1);
  CHECK(ok.Integer("b", -1, 100) == 42);
  CHECK(ok.Integer("c", -1, 100) == 3);
  CHECK(ok.Integer("d", 0, INT64_MAX) == INT64_MAX);
  CHECK_FALSE(ok.Refusal().has_value());
  for (json bad : {json(1.5), json(-2), json(UINT64_MAX), json(1e300), json("1.5"), json("x")}) {
    INFO(bad.dump());
    Args args(json{{"count", bad}});
    CHECK(args.Integer("count", -1, INT64_MAX) == std::nullopt);
    CHECK(RefusalOf(args)["field"] == "count");
  }
}

TEST_CASE("Args: String, Bool and Enum take only their types") {
  Args ok(json{{"s", "x"}, {"b", true}, {"q", "0"}, {"e", "deep"}});
  CHECK(ok.String("s") == "x");
  CHECK(ok.Bool("b") == true);
  CHECK(ok.Bool("q") == false);
  CHECK(ok.Enum("e", {"cheap", "deep"}) == "deep");
  CHECK_FALSE(ok.Refusal().has_value());

  Args number_for_string(json{{"action", 5}});
  CHECK(number_for_string.String("action") == std::nullopt);
  CHECK(RefusalOf(number_for_string)["error"] == "action must be a string");
  Args bad_bool(json{{"b", "yes"}});
  CHECK(bad_bool.Bool("b") == std::nullopt);
  CHECK(RefusalOf(bad_bool)["error"] == "b must be true or false");
  Args bad_enum(json{{"e", "other"}});
  CHECK(bad_enum.Enum("e", {"cheap", "deep"}) == std::nullopt);
  CHECK(RefusalOf(bad_enum)["error"] == "e must be one of cheap, deep");
}

TEST_CASE("Args: fields no reader asked for are refused, naming them (D-90)") {
  Args args(json{{"seconds", 1}, {"second", 2}, {"extra", 3}});
  CHECK(args.Number("seconds", 0, 10) == 1);
  json r = RefusalOf(args);
  CHECK(r["field"] == "extra");
  CHECK(r["error"] == "unknown fields extra, second (not taken by this endpoint)");
}

TEST_CASE("Args: the first value refused is the one answered") {
  Args args(json{{"a", "x"}, {"b", "y"}});
  args.Number("a", 0, 1);
  args.Number("b", 0, 1);
  CHECK(RefusalOf(args)["field"] == "a");
}

TEST_CASE("Args::Parse: the query string and a JSON object body, the body winning") {
  HttpRequest req;
  req.method = "POST";
  req.target = "/_emulator/x?a=1&b=2";
  req.body = R"({"b": 3})";
  std::string problem;
  auto args = Args::Parse(req, &problem);
  REQUIRE(args.has_value());
  CHECK(args->Number("a", 0, 9) == 1);
  CHECK(args->Number("b", 0, 9) == 3);
  for (const char* body : {"[1]", "1", "\"x\"", "not json", "{"}) {
    INFO(body);
    req.body = body;
    CHECK_FALSE(Args::Parse(req, &problem).has_value());
  }
}

}  // namespace
