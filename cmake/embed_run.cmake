# Script mode: writes OUTPUT, a C++ file defining SYMBOL as the bytes of INPUT.
# The bytes are written as hex escapes, which is safe for any content.
file(READ "${INPUT}" hex HEX)
string(LENGTH "${hex}" hex_len)
math(EXPR byte_len "${hex_len} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "\\\\x\\1" escaped "${hex}")
# Break the literal into lines of 64 bytes so compilers stay happy.
string(REGEX REPLACE "((\\\\x[0-9a-f][0-9a-f]){64})" "\\1\"\n\"" escaped "${escaped}")
file(WRITE "${OUTPUT}" "#include <string_view>\n"
  "extern const std::string_view ${SYMBOL};\n"
  "static const char ${SYMBOL}_data[] =\n\"${escaped}\";\n"
  "const std::string_view ${SYMBOL}(${SYMBOL}_data, ${byte_len});\n")
