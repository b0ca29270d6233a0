// Money and Rate: exact decimal amounts, parsed from the catalog's text and
// shown with two decimals, with no floating point on the way.
#include "state/money.h"

#include <doctest/doctest.h>

using cvm::state::Money;
using cvm::state::Rate;

TEST_CASE("Money: parses the catalog's amounts exactly and shows two decimals") {
  CHECK(Money::ParseYuan("0.34")->fen() == 34);
  CHECK(Money::ParseYuan("45")->fen() == 4500);
  CHECK(Money::ParseYuan("45.0")->fen() == 4500);
  CHECK(Money::ParseYuan("45.00")->fen() == 4500);
  CHECK(Money::ParseYuan("0")->fen() == 0);
  CHECK(Money::Fen(34).Yuan() == "0.34");
  CHECK(Money::Fen(4500).Yuan() == "45.00");
  CHECK(Money::Fen(5).Yuan() == "0.05");
  CHECK(Money::Fen(0).Yuan() == "0.00");
  CHECK(Money::Fen(-120).Yuan() == "-1.20");
}

TEST_CASE("Money: anything but a plain decimal with at most two places is refused") {
  for (const char* bad :
       {"", ".5", "5.", "0.345", "-1", "1e3", " 1", "1,00", "abc", "0x10", "1234567890123.00"}) {
    INFO(bad);
    CHECK_FALSE(Money::ParseYuan(bad).has_value());
  }
}

TEST_CASE("Money: 1,000 × 0.34 is exactly 340.00, and 0.1 + 0.2 is 0.30") {
  Money unit = *Money::ParseYuan("0.34");
  CHECK((unit * 1000).Yuan() == "340.00");
  Money sum;
  for (int i = 0; i < 1000; ++i) sum += unit;
  CHECK(sum == unit * 1000);
  CHECK((*Money::ParseYuan("0.1") + *Money::ParseYuan("0.2")).Yuan() == "0.30");
}

TEST_CASE("Money::Percent rounds half up to a fen") {
  CHECK(Money::Fen(4500).Percent(100) == Money::Fen(4500));
  CHECK(Money::Fen(54000).Percent(83) == Money::Fen(44820));
  CHECK(Money::Fen(150).Percent(83) == Money::Fen(125));  // 124.5 → 125
  CHECK(Money::Fen(149).Percent(83) == Money::Fen(124));  // 123.67 → 124
  CHECK(Money::Fen(1).Percent(50) == Money::Fen(1));      // 0.5 → 1
  CHECK(Money::Fen(1).Percent(49) == Money::Fen(0));      // 0.49 → 0
}

TEST_CASE("Rate: six decimals, rounded half up to a fen") {
  CHECK(Rate::ParseYuan("0.0004")->micro() == 400);
  CHECK(Rate::ParseYuan("0.063")->micro() == 63000);
  CHECK(Rate::ParseYuan("0")->micro() == 0);
  CHECK(Rate::ParseYuan("1.000001")->micro() == 1000001);
  CHECK_FALSE(Rate::ParseYuan("0.0000001").has_value());
  CHECK_FALSE(Rate::ParseYuan("-0.1").has_value());
  CHECK(Rate::Of(Money::Fen(34)).micro() == 340000);
  CHECK(Rate::Micro(5000).RoundToFen() == Money::Fen(1));  // half a fen rounds up
  CHECK(Rate::Micro(4999).RoundToFen() == Money::Fen(0));
  CHECK(Rate::Micro(15000).RoundToFen() == Money::Fen(2));
  CHECK(Rate::Micro(-5000).RoundToFen() == Money::Fen(-1));  // away from zero
  CHECK((*Rate::ParseYuan("0.0004") * 250).RoundToFen() == Money::Fen(10));
}
