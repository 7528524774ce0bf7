// Datasets: CSV loading, label encoding, the seeded train/test split, fixed-point standardisation,
// and the seeded synthetic generator behind `zektra dataset synth` and `zektra bench ml`.
//
// CSV contract: a header row of column names, then one row per example, comma-separated, every
// column numeric (finite decimal or exponent notation; an optional leading '+'; spaces around a
// value are ignored; no quoting). Any fault — empty file, ragged row, non-number, missing value,
// unknown label column — is a BadInput Status whose message names the file, the line and the
// column. The file is streamed in 4 MiB chunks: memory is the parsed doubles (8 bytes a value,
// about the size of the text) plus one chunk.
//
// Preprocessing is exact integer arithmetic so that it is reproducible bit for bit (docs/ML.md):
// a raw value x becomes r = round(x·2^F); the training part fixes per-feature integers
// mean = floor(Σr / n), sd = isqrt(floor(Σ(r − mean)² / n)), multiplier = round(2^(G+F) / sd)
// (G = 32; sd = 0 is treated as sd = 2^F), and every row becomes
//   x_std = clamp(floor((r − mean)·multiplier / 2^G), −(2^V − 1), 2^V − 1)
// computed in 128-bit integers. The parameters go into the model file.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "zektra/base/status.h"
#include "zektra/ml/fixed_point.h"

namespace zektra::ml {

// Raw values as parsed from a CSV (or generated): rows × features, row-major.
struct Table {
  std::string source;  // file name, for messages
  std::vector<std::string> feature_names;
  std::string label_name;         // empty when the table has no label column
  size_t rows = 0;
  std::vector<double> features;   // rows × feature_names.size()
  std::vector<double> labels;     // rows, when label_name is set
  std::vector<uint64_t> line_of_row;  // 1-based source line of each row (messages)

  size_t cols() const { return feature_names.size(); }
  const double* row(size_t i) const { return features.data() + i * cols(); }
};

struct CsvOptions {
  // The label column, by name; empty for none (predict).
  std::string label;
  // When non-empty, exactly these feature columns, in this order (predict/evaluate against a
  // model); any other column is ignored. When empty, every non-label column is a feature.
  std::vector<std::string> features;
  // Without a label option, a column of this name is skipped rather than read as a feature.
  std::string ignore_column;
};

Result<Table> LoadCsv(const std::string& path, const CsvOptions& options);
// The same parser over text already in memory (tests, fuzzing); `source` names it in messages.
Result<Table> ParseCsv(std::string_view text, const std::string& source, const CsvOptions& options);

enum class Task { kRegression, kBinary, kMulticlass };
const char* TaskName(Task task);

// Class labels: the sorted distinct label values; class index = position in that list.
struct LabelEncoding {
  std::vector<double> classes;
  // Maps each row's label to its class index; BadInput naming the line for an unknown value.
  Result<std::vector<int64_t>> Encode(const Table& table) const;
};
// At most kMaxClasses distinct values.
inline constexpr size_t kMaxClasses = 256;
Result<LabelEncoding> FitLabelEncoding(const Table& table);

struct Split {
  std::vector<uint64_t> train, test;  // row indices, ascending
};
// test_fraction in [0, 1). With classes (one entry per row), each class c is split separately:
// its rows (ascending) are shuffled by Stream(seed, kSplit, c) and the first round(f·n_c) go to
// the test part. Without classes the same is done once over all rows (c = 0).
Result<Split> SplitRows(size_t rows, const std::vector<int64_t>* classes, double test_fraction,
                        uint64_t seed);

// Per-column integer standardisation (see the header comment).
struct Standardizer {
  static constexpr int kMultiplierShift = 32;  // G
  int fraction_bits = kDefaultFractionBits;
  std::vector<int64_t> mean;        // scale 2^F
  std::vector<int64_t> stddev;      // scale 2^F
  std::vector<int64_t> multiplier;  // round(2^(G+F) / stddev)

  // x_std of one raw value in column j; OutOfRange when |x|·2^F ≥ 2^46.
  Result<int64_t> Apply(size_t j, double x, const FixedPointFormat& fp) const;
  // The real-valued mean and standard deviation (for the model file and the float reference).
  double MeanReal(size_t j) const;
  double StddevReal(size_t j) const;
};

// Fits on column `column` of `values` (row stride `stride`) over `rows`.
Result<Standardizer> FitStandardizer(const double* values, size_t stride, size_t columns,
                                     const std::vector<uint64_t>& rows, const FixedPointFormat& fp);

// Standardised fixed-point features of `rows` of `table`, row-major int32 (|v| < 2^V ≤ 2^28).
Result<std::vector<int32_t>> StandardizeRows(const Table& table, const std::vector<uint64_t>& rows,
                                             const Standardizer& s, const FixedPointFormat& fp);

// The raw value r = round(x·2^F) with |r| < 2^46, or OutOfRange.
Result<int64_t> QuantizeRaw(double x, const FixedPointFormat& fp);

// Seeded synthetic data with a learnable signal. Features are x_j = offset_j + scale_j·g where g
// is approximately standard normal (sum of four uniforms, rescaled) — deliberately not
// standardised, so preprocessing is exercised. A hidden linear signal u = Σ w*_j·g_j (w* drawn
// from Stream(seed, kSynthetic, 0), ‖w*‖ ≈ 2) decides the label: binary 1[u + 0.5·n > 0];
// regression 3u + 10 + n; classes:K argmax_k (u_k + 0.5·n_k) with K signal vectors.
// Row i draws from Stream(seed, kSynthetic, i + 1), so rows can be generated in parallel.
struct SynthSpec {
  uint64_t rows = 0;
  uint64_t features = 0;
  Task task = Task::kBinary;
  int classes = 2;
  uint64_t seed = 0;
};
Status ValidateSynthSpec(const SynthSpec& spec);
class SynthGenerator {
 public:
  explicit SynthGenerator(const SynthSpec& spec);
  // Writes row i's features (spec.features values) and returns its label.
  double Row(uint64_t i, double* features) const;
  const SynthSpec& spec() const { return spec_; }

 private:
  SynthSpec spec_;
  std::vector<double> offset_, scale_;
  std::vector<double> signal_;  // features × max(1, K)
};
Result<Table> GenerateSynthetic(const SynthSpec& spec);
// Streams a CSV (header x0..x{D-1},y; 6 significant digits) to `path` (temp file + rename).
Status WriteSyntheticCsv(const SynthSpec& spec, const std::string& path);

}  // namespace zektra::ml
