#include "common/files.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "testing/temp_dir.h"

namespace borealis {
namespace {

class ReadFileTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_FALSE(tmp_.path().empty()); }

  std::string write(const std::string& name, const std::string& text) {
    return tmp_.write(name, text);
  }

  borealis::testing::TempDir tmp_{"borealis-common"};
  const std::string& dir_ = tmp_.path();
};

TEST_F(ReadFileTest, ReadsEveryByte) {
  std::string big(100'000, 'x');
  big[5] = '\0';
  auto text = read_file(write("big", big));
  ASSERT_TRUE(text.ok()) << text.status().to_string();
  EXPECT_EQ(*text, big);
  EXPECT_EQ(*read_file(write("empty", "")), "");
}

TEST_F(ReadFileTest, ErrorsNameWhatAndWhere) {
  auto missing = read_file(dir_ + "/nope", "job file");
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(missing.status().message(),
            "cannot read job file '" + dir_ + "/nope': No such file or directory");
  auto directory = read_file(dir_);
  EXPECT_EQ(directory.status().code(), StatusCode::kIoError);
  EXPECT_EQ(directory.status().message(), "cannot read file '" + dir_ + "': Is a directory");
}

TEST_F(ReadFileTest, RefusesMoreThanTheLimit) {
  std::string path = write("ten", "0123456789");
  EXPECT_EQ(*read_file(path, "file", 10), "0123456789");
  auto over = read_file(path, "file", 9);
  EXPECT_EQ(over.status().code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(over.status().message(), "cannot read file '" + path + "': larger than 9 bytes");
}

}  // namespace
}  // namespace borealis
