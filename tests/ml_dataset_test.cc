// CSV parsing and its error messages, label encoding, the seeded split, standardisation, synth.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <fstream>
#include <map>

#include "zektra/ml/dataset.h"

namespace zektra::ml {
namespace {

CsvOptions Label(std::string l) {
  CsvOptions o;
  o.label = std::move(l);
  return o;
}

std::string ErrorOf(std::string_view text, const std::string& label = "y") {
  auto t = ParseCsv(text, "t.csv", Label(label));
  EXPECT_FALSE(t.ok());
  return t.ok() ? "" : t.status().message();
}

TEST(MlCsv, ParsesWithLabelAnywhere) {
  auto t = ParseCsv("a, y ,b\r\n1,0,2.5\r\n+3, 1 ,-4e-1\r\n\n", "t.csv", Label("y"));
  ASSERT_TRUE(t.ok()) << t.status().message();
  EXPECT_EQ(t->rows, 2u);
  EXPECT_EQ(t->feature_names, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(t->features, (std::vector<double>{1, 2.5, 3, -0.4}));
  EXPECT_EQ(t->labels, (std::vector<double>{0, 1}));
  EXPECT_EQ(t->line_of_row, (std::vector<uint64_t>{2, 3}));
}

TEST(MlCsv, ErrorsNameFileLineAndColumn) {
  EXPECT_EQ(ErrorOf("a,b,y\n1,2,0\n1,2\n"), "t.csv:3: ragged row: 2 columns, the header has 3");
  EXPECT_EQ(ErrorOf("a,b,y\n1,2,0,4\n"), "t.csv:2: ragged row: more than 3 columns");
  EXPECT_EQ(ErrorOf("a,b,y\n1,2,0\n1,x7,1\n"), "t.csv:3: column 2 ('b'): 'x7' is not a number");
  EXPECT_EQ(ErrorOf("a,b,y\n1,,0\n"), "t.csv:2: column 2 ('b'): missing value");
  EXPECT_EQ(ErrorOf("a,b,y\n1,2,nan\n"), "t.csv:2: column 3 ('y'): 'nan' is not finite");
  EXPECT_EQ(ErrorOf(""), "t.csv: empty file (no header row)");
  EXPECT_EQ(ErrorOf("a,b,y\n"), "t.csv: no data rows after the header");
  EXPECT_EQ(ErrorOf("a,b,y\n1,2,3\n", "target"), "t.csv:1: no label column named 'target' (columns: a, b, y)");
  EXPECT_EQ(ErrorOf("a,a,y\n1,2,3\n"), "t.csv:1: column 2 ('a') repeats a column name");
}

TEST(MlCsv, LoadsFilesInChunksAndReportsMissingFiles) {
  std::string path = ::testing::TempDir() + "/ml_csv_" + std::to_string(::getpid()) + ".csv";
  {
    std::ofstream f(path);
    f << "x0,x1,y\n";
    for (int i = 0; i < 300000; ++i) f << i << "," << -i * 0.5 << "," << (i % 3) << "\n";
    f << "1,2\n";
  }
  auto bad = LoadCsv(path, Label("y"));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), path + ":300002: ragged row: 2 columns, the header has 3");
  {
    std::ofstream f(path, std::ios::app);
  }
  std::ofstream(path, std::ios::trunc) << "x0,y\n1.5,1\n2.5,0";  // no final newline
  auto ok = LoadCsv(path, Label("y"));
  ASSERT_TRUE(ok.ok()) << ok.status().message();
  EXPECT_EQ(ok->rows, 2u);
  EXPECT_EQ(ok->labels[1], 0);
  std::remove(path.c_str());
  auto missing = LoadCsv(path, Label("y"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kIoError);
  EXPECT_NE(missing.status().message().find(path), std::string::npos);
}

TEST(MlCsv, SelectsModelFeaturesByName) {
  CsvOptions o;
  o.features = {"c", "a"};
  auto t = ParseCsv("a,b,c,y\n1,2,3,4\n", "t.csv", o);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->features, (std::vector<double>{3, 1}));
  o.features = {"zz"};
  EXPECT_FALSE(ParseCsv("a,b\n1,2\n", "t.csv", o).ok());
}

TEST(MlSplit, StratifiedAndReproducible) {
  std::vector<int64_t> classes;
  for (int i = 0; i < 1000; ++i) classes.push_back(i % 10 < 3 ? 1 : 0);  // 30% / 70%
  auto s = SplitRows(1000, &classes, 0.25, 5);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->test.size(), 250u);
  EXPECT_EQ(s->train.size(), 750u);
  size_t pos = 0;
  for (uint64_t r : s->test) pos += classes[r];
  EXPECT_EQ(pos, 75u);  // exactly 25% of each class
  auto again = SplitRows(1000, &classes, 0.25, 5);
  EXPECT_EQ(again->test, s->test);
  EXPECT_NE(SplitRows(1000, &classes, 0.25, 6)->test, s->test);
  std::vector<bool> seen(1000, false);
  for (uint64_t r : s->train) seen[r] = true;
  for (uint64_t r : s->test) {
    EXPECT_FALSE(seen[r]);
    seen[r] = true;
  }
  auto none = SplitRows(1000, nullptr, 0.0, 1);
  EXPECT_EQ(none->train.size(), 1000u);
  EXPECT_TRUE(none->test.empty());
  EXPECT_FALSE(SplitRows(10, nullptr, 1.0, 1).ok());
}

TEST(MlStandardize, IntegerParametersMatchTheRealOnes) {
  FixedPointFormat fp;
  std::vector<double> values = {1, 10, 2, 10, 3, 10, 4, 10};  // column 0 varies, column 1 constant
  std::vector<uint64_t> rows = {0, 1, 2, 3};
  auto s = FitStandardizer(values.data(), 2, 2, rows, fp);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->MeanReal(0), 2.5);
  EXPECT_NEAR(s->StddevReal(0), std::sqrt(1.25), 1e-4);
  EXPECT_EQ(s->stddev[1], fp.one());  // constant column: scale 1
  for (double x : {1.0, 2.0, 3.0, 4.0, -100.0}) {
    double expected = (x - 2.5) / std::sqrt(1.25);  // sd carries 2^-16 resolution: relative error ~1e-5
    EXPECT_NEAR(fp.ToReal(*s->Apply(0, x, fp)), expected, 1e-4 + 2e-5 * std::fabs(expected));
  }
  EXPECT_EQ(*s->Apply(1, 10, fp), 0);
  // Extreme outliers clamp to the value bound; absurd magnitudes are refused.
  EXPECT_EQ(*s->Apply(0, 1e8, fp), fp.value_limit() - 1);
  EXPECT_EQ(s->Apply(0, 1e12, fp).status().code(), StatusCode::kOutOfRange);
}

TEST(MlSynth, DeterministicWithSignal) {
  SynthSpec spec{500, 8, Task::kMulticlass, 3, 9};
  auto a = GenerateSynthetic(spec);
  auto b = GenerateSynthetic(spec);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->features, b->features);
  EXPECT_EQ(a->labels, b->labels);
  std::map<double, int> counts;
  for (double y : a->labels) counts[y]++;
  EXPECT_EQ(counts.size(), 3u);
  spec.seed = 10;
  EXPECT_NE(GenerateSynthetic(spec)->features, a->features);
  EXPECT_FALSE(ValidateSynthSpec({0, 8, Task::kBinary, 2, 0}).ok());
  EXPECT_FALSE(ValidateSynthSpec({10, 8, Task::kMulticlass, 1, 0}).ok());
}

TEST(MlSynth, CsvRoundTrip) {
  std::string path = ::testing::TempDir() + "/ml_synth_" + std::to_string(::getpid()) + ".csv";
  SynthSpec spec{100, 5, Task::kRegression, 2, 3};
  ASSERT_TRUE(WriteSyntheticCsv(spec, path).ok());
  auto t = LoadCsv(path, Label("y"));
  ASSERT_TRUE(t.ok()) << t.status().message();
  auto mem = GenerateSynthetic(spec);
  ASSERT_EQ(t->rows, 100u);
  for (size_t i = 0; i < t->features.size(); ++i) EXPECT_NEAR(t->features[i], mem->features[i], 1e-4 * (1 + std::fabs(mem->features[i])));
  std::remove(path.c_str());
}

}  // namespace
}  // namespace zektra::ml
