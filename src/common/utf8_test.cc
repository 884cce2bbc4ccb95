#include "common/utf8.h"

#include <gtest/gtest.h>

namespace borealis {
namespace {

TEST(Utf8, ValidTextIsValid) {
  EXPECT_TRUE(is_valid_utf8(""));
  EXPECT_TRUE(is_valid_utf8("plain ascii"));
  EXPECT_TRUE(is_valid_utf8("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"));  // é € 😀
}

TEST(Utf8, MalformedSequencesAreInvalid) {
  EXPECT_FALSE(is_valid_utf8("\xC3"));              // cut after the lead byte
  EXPECT_FALSE(is_valid_utf8("\x80"));              // lone continuation
  EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(is_valid_utf8("\xE0\x80\xAF"));      // overlong, 3 bytes
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));      // surrogate U+D800
  EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(is_valid_utf8("\xFF"));
}

TEST(Utf8, MakeValidReplacesEachBadByte) {
  EXPECT_EQ(make_valid_utf8("ok"), "ok");
  EXPECT_EQ(make_valid_utf8("a\xFF"
                            "b"),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(make_valid_utf8("\xC3"), "\xEF\xBF\xBD");
  EXPECT_EQ(make_valid_utf8("caf\xC3\xA9"), "caf\xC3\xA9");
  EXPECT_TRUE(is_valid_utf8(make_valid_utf8("\xED\xA0\x80\xC0\xAF\xF4\x90")));
}

TEST(Utf8, PrefixNeverSplitsACharacter) {
  std::string s = std::string(39, 'x') + "\xC3\xA9";  // the health answer that wedged a host
  EXPECT_EQ(utf8_prefix(s, 40), std::string(39, 'x'));
  EXPECT_EQ(utf8_prefix(s, 41), s);
  EXPECT_EQ(utf8_prefix("\xF0\x9F\x98\x80", 3), "");
  EXPECT_EQ(utf8_prefix("abc", 10), "abc");
}

TEST(Utf8, SanitizeBoundsAndMarksTheCut) {
  EXPECT_EQ(sanitize_text("short", 40), "short");
  std::string cut = sanitize_text(std::string(39, 'x') + "\xC3\xA9 and more", 40);
  EXPECT_EQ(cut, std::string(39, 'x') + "...");
  EXPECT_TRUE(is_valid_utf8(sanitize_text("\xFF\xFE\xFD\xFC", 4)));
  EXPECT_LE(sanitize_text(std::string(10000, '\xFF'), 100).size(), 103u);
}

}  // namespace
}  // namespace borealis
