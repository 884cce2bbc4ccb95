// Runs the Python unit tests of the DSL (python_tests/test_*.py) inside the embedded
// interpreter, one gtest per file; each failing Python test is reported with its
// traceback.
#include <gtest/gtest.h>

#include "common/files.h"
#include "config/aurora/interpreter.h"

namespace borealis::config {
namespace {

void run_file(const std::string& name) {
  std::string path = std::string(BOREALIS_SOURCE_DIR) + "/src/config/aurora/python_tests/" + name;
  auto text = read_file(path, "Python test file");
  ASSERT_TRUE(text.ok()) << text.status().to_string();
  auto results = run_python_tests(path, *text);
  ASSERT_TRUE(results.ok()) << results.status().to_string();
  EXPECT_GE(results->size(), 5u) << "too few tests found in " << name;
  for (const auto& [test, failure] : *results)
    EXPECT_TRUE(failure.empty()) << name << ": " << test << " failed:\n" << failure;
}

TEST(DslTest, Typing) { run_file("test_typing.py"); }
TEST(DslTest, Templating) { run_file("test_templating.py"); }
TEST(DslTest, Helpers) { run_file("test_helpers.py"); }
TEST(DslTest, SchemaAndLoader) { run_file("test_schema.py"); }
TEST(DslTest, TemplateLibrary) { run_file("test_templates.py"); }

}  // namespace
}  // namespace borealis::config
