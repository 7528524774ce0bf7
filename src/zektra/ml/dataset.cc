#include "zektra/ml/dataset.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <numeric>
#include <sys/stat.h>

#include "zektra/base/thread_pool.h"
#include "zektra/ml/rng.h"

namespace zektra::ml {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

std::string Shorten(std::string_view s) {
  if (s.size() <= 40) return std::string(s);
  return std::string(s.substr(0, 37)) + "...";
}

// Receives the file line by line; owns the table being built.
class CsvBuilder {
 public:
  CsvBuilder(std::string source, const CsvOptions& options) : options_(options) {
    table_.source = std::move(source);
  }

  void Reserve(size_t rows_hint) {
    if (rows_hint == 0) return;
    table_.features.reserve(rows_hint * table_.cols());
    table_.labels.reserve(table_.label_name.empty() ? 0 : rows_hint);
    table_.line_of_row.reserve(rows_hint);
  }
  bool header_done() const { return header_done_; }
  // True when the next row would make the feature matrix reallocate.
  bool Full() const { return table_.rows > 0 && table_.line_of_row.size() == table_.line_of_row.capacity(); }
  size_t rows() const { return table_.rows; }
  size_t bytes_per_row_hint() const { return first_row_bytes_; }

  Status Line(std::string_view line, uint64_t line_no) {
    if (!header_done_) return Header(line, line_no);
    if (Trim(line).empty()) return Status::Ok();  // blank lines (e.g. at the end) carry no row
    if (first_row_bytes_ == 0) first_row_bytes_ = line.size() + 1;
    size_t column = 0;
    size_t pos = 0;
    size_t row_start = table_.features.size();
    table_.features.resize(row_start + table_.cols());
    double* out = table_.features.data() + row_start;
    double label = 0;
    for (;;) {
      size_t comma = line.find(',', pos);
      std::string_view field = line.substr(pos, comma == std::string_view::npos ? line.npos : comma - pos);
      if (column >= names_.size()) {
        return Status::BadInput(Where(line_no) + ": ragged row: more than " +
                                std::to_string(names_.size()) + " columns");
      }
      int role = role_[column];
      if (role != kIgnored) {
        double v;
        ZK_RETURN_IF_ERROR(ParseNumber(field, line_no, column, &v));
        if (role == kLabel) {
          label = v;
        } else {
          out[role] = v;
        }
      }
      ++column;
      if (comma == std::string_view::npos) break;
      pos = comma + 1;
    }
    if (column != names_.size()) {
      return Status::BadInput(Where(line_no) + ": ragged row: " + std::to_string(column) +
                              " columns, the header has " + std::to_string(names_.size()));
    }
    if (!table_.label_name.empty()) table_.labels.push_back(label);
    table_.line_of_row.push_back(line_no);
    ++table_.rows;
    return Status::Ok();
  }

  Result<Table> Finish(uint64_t lines) {
    if (!header_done_ || lines == 0) return Status::BadInput(table_.source + ": empty file (no header row)");
    if (table_.rows == 0) return Status::BadInput(table_.source + ": no data rows after the header");
    table_.features.shrink_to_fit();
    return std::move(table_);
  }

 private:
  static constexpr int kIgnored = -1;
  static constexpr int kLabel = -2;

  std::string Where(uint64_t line_no) const { return table_.source + ":" + std::to_string(line_no); }

  Status ParseNumber(std::string_view field, uint64_t line_no, size_t column, double* v) const {
    std::string_view s = Trim(field);
    std::string where = Where(line_no) + ": column " + std::to_string(column + 1) + " ('" +
                        names_[column] + "')";
    if (s.empty()) return Status::BadInput(where + ": missing value");
    if (s.front() == '+') s.remove_prefix(1);
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), *v);
    if (ec != std::errc() || end != s.data() + s.size() || s.empty()) {
      return Status::BadInput(where + ": '" + Shorten(Trim(field)) + "' is not a number");
    }
    if (!std::isfinite(*v)) return Status::BadInput(where + ": '" + Shorten(s) + "' is not finite");
    return Status::Ok();
  }

  Status Header(std::string_view line, uint64_t line_no) {
    if (Trim(line).empty()) return Status::BadInput(Where(line_no) + ": empty header row");
    size_t pos = 0;
    for (;;) {
      size_t comma = line.find(',', pos);
      std::string_view name = Trim(line.substr(pos, comma == line.npos ? line.npos : comma - pos));
      if (name.size() >= 2 && name.front() == '"' && name.back() == '"') name = name.substr(1, name.size() - 2);
      names_.emplace_back(name);
      if (comma == line.npos) break;
      pos = comma + 1;
    }
    std::map<std::string, size_t> index;
    for (size_t c = 0; c < names_.size(); ++c) {
      if (names_[c].empty()) {
        return Status::BadInput(Where(line_no) + ": column " + std::to_string(c + 1) + " has no name");
      }
      if (!index.emplace(names_[c], c).second) {
        return Status::BadInput(Where(line_no) + ": column " + std::to_string(c + 1) + " ('" +
                                names_[c] + "') repeats a column name");
      }
    }
    role_.assign(names_.size(), kIgnored);
    auto missing = [&](const std::string& what, const std::string& name) {
      std::string all;
      for (size_t c = 0; c < names_.size() && c < 12; ++c) {
        if (c) all += ", ";
        all += names_[c];
      }
      if (names_.size() > 12) all += ", ...";
      return Status::BadInput(Where(line_no) + ": no " + what + " column named '" + name +
                              "' (columns: " + all + ")");
    };
    if (!options_.label.empty()) {
      auto it = index.find(options_.label);
      if (it == index.end()) return missing("label", options_.label);
      role_[it->second] = kLabel;
      table_.label_name = options_.label;
    }
    if (!options_.features.empty()) {
      for (size_t f = 0; f < options_.features.size(); ++f) {
        auto it = index.find(options_.features[f]);
        if (it == index.end()) return missing("feature", options_.features[f]);
        if (role_[it->second] == kLabel) {
          return Status::BadInput(Where(line_no) + ": column '" + options_.features[f] +
                                  "' cannot be both a feature and the label");
        }
        role_[it->second] = static_cast<int>(f);
        table_.feature_names.push_back(options_.features[f]);
      }
    } else {
      for (size_t c = 0; c < names_.size(); ++c) {
        if (role_[c] == kLabel) continue;
        if (options_.label.empty() && names_[c] == options_.ignore_column) continue;
        role_[c] = static_cast<int>(table_.feature_names.size());
        table_.feature_names.push_back(names_[c]);
      }
      if (table_.feature_names.empty()) {
        return Status::BadInput(Where(line_no) + ": no feature columns besides the label");
      }
    }
    header_done_ = true;
    return Status::Ok();
  }

  const CsvOptions& options_;
  Table table_;
  std::vector<std::string> names_;
  std::vector<int> role_;  // feature position, kLabel or kIgnored per CSV column
  bool header_done_ = false;
  size_t first_row_bytes_ = 0;
};

}  // namespace

const char* TaskName(Task task) {
  switch (task) {
    case Task::kRegression: return "regression";
    case Task::kBinary: return "binary";
    case Task::kMulticlass: return "multiclass";
  }
  return "?";
}

Result<Table> ParseCsv(std::string_view text, const std::string& source, const CsvOptions& options) {
  CsvBuilder builder(source, options);
  uint64_t line_no = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    std::string_view line = text.substr(pos, nl == text.npos ? text.npos : nl - pos);
    ZK_RETURN_IF_ERROR(builder.Line(line, ++line_no));
    if (nl == text.npos) break;
    pos = nl + 1;
  }
  return builder.Finish(line_no);
}

Result<Table> LoadCsv(const std::string& path, const CsvOptions& options) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::IoError(path + ": cannot open: " + std::strerror(errno));
  struct stat st {};
  size_t file_size = (::fstat(fd, &st) == 0) ? static_cast<size_t>(st.st_size) : 0;
  CsvBuilder builder(path, options);
  constexpr size_t kChunk = size_t{4} << 20;
  std::string buffer;  // unfinished line carried over + the new chunk
  std::vector<char> chunk(kChunk);
  uint64_t line_no = 0;
  bool reserved = false;
  size_t consumed_before = 0;  // bytes of the file before `buffer`
  Status status;
  for (;;) {
    ssize_t got = ::read(fd, chunk.data(), chunk.size());
    if (got < 0) {
      if (errno == EINTR) continue;
      status = Status::IoError(path + ": read failed: " + std::strerror(errno));
      break;
    }
    if (got == 0) break;
    buffer.append(chunk.data(), static_cast<size_t>(got));
    size_t pos = 0;
    for (;;) {
      size_t nl = buffer.find('\n', pos);
      if (nl == buffer.npos) break;
      status = builder.Line(std::string_view(buffer).substr(pos, nl - pos), ++line_no);
      if (!status.ok()) break;
      pos = nl + 1;
      if (!reserved && builder.bytes_per_row_hint() > 0) {
        // Reserve for the whole file from the first row's length, so the matrix is not
        // reallocated (and briefly doubled) while it grows.
        builder.Reserve(file_size / builder.bytes_per_row_hint() * 11 / 10 + 16);
        reserved = true;
      } else if (reserved && builder.Full()) {
        // Rows longer than the first: re-estimate from the bytes read so far (5% slack).
        const double consumed = static_cast<double>(consumed_before + nl + 1);
        builder.Reserve(static_cast<size_t>(static_cast<double>(builder.rows()) * static_cast<double>(file_size) / consumed * 1.05) + 16);
      }
    }
    if (!status.ok()) break;
    consumed_before += pos;
    buffer.erase(0, pos);
  }
  ::close(fd);
  ZK_RETURN_IF_ERROR(status);
  if (!buffer.empty()) ZK_RETURN_IF_ERROR(builder.Line(buffer, ++line_no));
  return builder.Finish(line_no);
}

Result<LabelEncoding> FitLabelEncoding(const Table& table) {
  if (table.label_name.empty()) return Status::InvalidArgument("the table has no label column");
  LabelEncoding enc;
  std::vector<double> values = table.labels;
  std::sort(values.begin(), values.end());
  for (double v : values) {
    if (enc.classes.empty() || enc.classes.back() != v) {
      enc.classes.push_back(v);
      if (enc.classes.size() > kMaxClasses) {
        return Status::BadInput(table.source + ": label column '" + table.label_name + "' has more than " +
                                std::to_string(kMaxClasses) +
                                " distinct values; use linreg for a continuous target");
      }
    }
  }
  return enc;
}

Result<std::vector<int64_t>> LabelEncoding::Encode(const Table& table) const {
  std::vector<int64_t> out(table.rows);
  for (size_t i = 0; i < table.rows; ++i) {
    auto it = std::lower_bound(classes.begin(), classes.end(), table.labels[i]);
    if (it == classes.end() || *it != table.labels[i]) {
      return Status::BadInput(table.source + ":" + std::to_string(table.line_of_row[i]) + ": label '" +
                              table.label_name + "' value " + std::to_string(table.labels[i]) +
                              " is not one of the model's classes");
    }
    out[i] = it - classes.begin();
  }
  return out;
}

Result<Split> SplitRows(size_t rows, const std::vector<int64_t>* classes, double test_fraction,
                        uint64_t seed) {
  if (!(test_fraction >= 0.0 && test_fraction < 1.0)) {
    return Status::InvalidArgument("test split must be in [0, 1), got " + std::to_string(test_fraction));
  }
  std::map<int64_t, std::vector<uint64_t>> groups;
  for (size_t i = 0; i < rows; ++i) groups[classes ? (*classes)[i] : 0].push_back(i);
  Split split;
  for (auto& [c, members] : groups) {
    SplitMix64 rng = SplitMix64::Stream(seed, RandomPurpose::kSplit, static_cast<uint64_t>(c));
    Shuffle(members, rng);
    size_t n_test = static_cast<size_t>(std::llround(test_fraction * static_cast<double>(members.size())));
    split.test.insert(split.test.end(), members.begin(), members.begin() + n_test);
    split.train.insert(split.train.end(), members.begin() + n_test, members.end());
  }
  std::sort(split.train.begin(), split.train.end());
  std::sort(split.test.begin(), split.test.end());
  if (split.train.empty()) return Status::InvalidArgument("the test split leaves no training rows");
  return split;
}

Result<int64_t> QuantizeRaw(double x, const FixedPointFormat& fp) {
  double scaled = x * static_cast<double>(fp.one());
  if (!(std::fabs(scaled) < 0x1.0p46)) {
    return Status::OutOfRange("value " + std::to_string(x) + " is outside the supported range |x| < 2^" +
                              std::to_string(46 - fp.fraction_bits()));
  }
  return static_cast<int64_t>(std::llround(scaled));
}

namespace {
int64_t ISqrt(unsigned __int128 v) {
  // Largest s with s² ≤ v (v < 2^126, so s < 2^63).
  uint64_t s = static_cast<uint64_t>(std::sqrt(static_cast<double>(v)));
  while (static_cast<unsigned __int128>(s) * s > v) --s;
  while (static_cast<unsigned __int128>(s + 1) * (s + 1) <= v) ++s;
  return static_cast<int64_t>(s);
}
}  // namespace

Result<Standardizer> FitStandardizer(const double* values, size_t stride, size_t columns,
                                     const std::vector<uint64_t>& rows, const FixedPointFormat& fp) {
  if (rows.empty()) return Status::InvalidArgument("cannot standardise zero rows");
  Standardizer s;
  s.fraction_bits = fp.fraction_bits();
  const __int128 n = static_cast<__int128>(rows.size());
  s.mean.resize(columns);
  s.stddev.resize(columns);
  s.multiplier.resize(columns);
  std::atomic<bool> failed{false};
  Status error;
  // Columns are independent: one thread per block of columns (integer sums: order-free).
  ParallelFor(0, columns, [&](size_t j0, size_t j1) {
    for (size_t j = j0; j < j1; ++j) {
      __int128 sum = 0;
      for (uint64_t i : rows) {
        auto r = QuantizeRaw(values[i * stride + j], fp);
        if (!r.ok()) {
          if (!failed.exchange(true)) error = r.status().WithContext("column " + std::to_string(j + 1));
          return;
        }
        sum += *r;
      }
      __int128 q = sum / n;
      if (sum % n != 0 && sum < 0) --q;  // floor
      int64_t mean = static_cast<int64_t>(q);
      unsigned __int128 sq = 0;
      for (uint64_t i : rows) {
        int64_t d = fp.FromReal(values[i * stride + j]) - mean;  // |d| < 2^47
        sq += static_cast<unsigned __int128>(static_cast<__int128>(d) * d);
      }
      int64_t sd = ISqrt(sq / static_cast<unsigned __int128>(rows.size()));
      if (sd == 0) sd = fp.one();
      const unsigned __int128 numerator = static_cast<unsigned __int128>(1) << (Standardizer::kMultiplierShift + fp.fraction_bits());
      s.mean[j] = mean;
      s.stddev[j] = sd;
      s.multiplier[j] = static_cast<int64_t>((numerator + static_cast<unsigned __int128>(sd / 2)) / static_cast<unsigned __int128>(sd));
    }
  }, 1);
  if (failed) return error;
  return s;
}

Result<int64_t> Standardizer::Apply(size_t j, double x, const FixedPointFormat& fp) const {
  ZK_ASSIGN_OR_RETURN(int64_t r, QuantizeRaw(x, fp));
  __int128 product = static_cast<__int128>(r - mean[j]) * multiplier[j];
  __int128 q = product >> kMultiplierShift;  // arithmetic: floor
  const __int128 limit = fp.value_limit() - 1;
  return static_cast<int64_t>(std::clamp(q, -limit, limit));
}

double Standardizer::MeanReal(size_t j) const { return std::ldexp(static_cast<double>(mean[j]), -fraction_bits); }
double Standardizer::StddevReal(size_t j) const { return std::ldexp(static_cast<double>(stddev[j]), -fraction_bits); }

Result<std::vector<int32_t>> StandardizeRows(const Table& table, const std::vector<uint64_t>& rows,
                                             const Standardizer& s, const FixedPointFormat& fp) {
  const size_t d = table.cols();
  if (s.mean.size() != d) return Status::InvalidArgument("standardiser width does not match the data");
  std::vector<int32_t> out(rows.size() * d);
  std::vector<Status> errors(1);
  std::atomic<bool> failed{false};
  ParallelFor(0, rows.size(), [&](size_t b, size_t e) {
    for (size_t k = b; k < e && !failed.load(std::memory_order_relaxed); ++k) {
      const double* row = table.row(rows[k]);
      for (size_t j = 0; j < d; ++j) {
        auto v = s.Apply(j, row[j], fp);
        if (!v.ok()) {
          if (!failed.exchange(true)) {
            errors[0] = v.status().WithContext(table.source + ":" + std::to_string(table.line_of_row.empty() ? rows[k] + 2 : table.line_of_row[rows[k]]) +
                                               ": column '" + table.feature_names[j] + "'");
          }
          return;
        }
        out[k * d + j] = static_cast<int32_t>(*v);
      }
    }
  }, 256);
  if (failed) return errors[0];
  return out;
}

// ---------------------------------------------------------------- synthetic data

Status ValidateSynthSpec(const SynthSpec& spec) {
  if (spec.rows == 0) return Status::InvalidArgument("--rows must be at least 1");
  if (spec.features == 0 || spec.features > (1u << 20)) return Status::InvalidArgument("--features must be in [1, 2^20]");
  if (spec.task == Task::kMulticlass && (spec.classes < 2 || spec.classes > static_cast<int>(kMaxClasses))) {
    return Status::InvalidArgument("classes:K needs 2 ≤ K ≤ 256");
  }
  return Status::Ok();
}

namespace {
// Approximately standard normal: (sum of four uniforms − 2)·sqrt(3), cheap and bounded (|g| < 3.47).
double ApproxNormal(SplitMix64& rng) {
  double s = rng.Uniform() + rng.Uniform() + rng.Uniform() + rng.Uniform();
  return (s - 2.0) * 1.7320508075688772;
}
}  // namespace

SynthGenerator::SynthGenerator(const SynthSpec& spec) : spec_(spec) {
  SplitMix64 rng = SplitMix64::Stream(spec.seed, RandomPurpose::kSynthetic, 0);
  const size_t d = spec.features;
  const size_t k = spec.task == Task::kMulticlass ? static_cast<size_t>(spec.classes) : 1;
  offset_.resize(d);
  scale_.resize(d);
  for (size_t j = 0; j < d; ++j) {
    offset_[j] = (rng.Uniform() - 0.5) * 10.0;
    scale_[j] = 0.5 + 2.5 * rng.Uniform();
  }
  signal_.resize(d * k);
  const double norm = 2.0 / std::sqrt(static_cast<double>(d));
  for (double& w : signal_) w = rng.Gaussian() * norm;
}

double SynthGenerator::Row(uint64_t i, double* features) const {
  SplitMix64 rng = SplitMix64::Stream(spec_.seed, RandomPurpose::kSynthetic, i + 1);
  const size_t d = spec_.features;
  const size_t k = spec_.task == Task::kMulticlass ? static_cast<size_t>(spec_.classes) : 1;
  double u[kMaxClasses] = {};
  for (size_t j = 0; j < d; ++j) {
    double g = ApproxNormal(rng);
    features[j] = offset_[j] + scale_[j] * g;
    for (size_t c = 0; c < k; ++c) u[c] += signal_[j * k + c] * g;
  }
  switch (spec_.task) {
    case Task::kBinary:
      return (u[0] + 0.5 * ApproxNormal(rng) > 0) ? 1.0 : 0.0;
    case Task::kRegression:
      return 3.0 * u[0] + 10.0 + ApproxNormal(rng);
    case Task::kMulticlass: {
      size_t best = 0;
      double best_v = -1e300;
      for (size_t c = 0; c < k; ++c) {
        double v = u[c] + 0.5 * ApproxNormal(rng);
        if (v > best_v) best_v = v, best = c;
      }
      return static_cast<double>(best);
    }
  }
  return 0;
}

Result<Table> GenerateSynthetic(const SynthSpec& spec) {
  ZK_RETURN_IF_ERROR(ValidateSynthSpec(spec));
  SynthGenerator gen(spec);
  Table t;
  t.source = "synthetic";
  t.label_name = "y";
  for (uint64_t j = 0; j < spec.features; ++j) {
    std::string name = "x";
    name += std::to_string(j);
    t.feature_names.push_back(std::move(name));
  }
  t.rows = spec.rows;
  t.features.resize(spec.rows * spec.features);
  t.labels.resize(spec.rows);
  ParallelFor(0, spec.rows, [&](size_t b, size_t e) {
    for (size_t i = b; i < e; ++i) t.labels[i] = gen.Row(i, t.features.data() + i * spec.features);
  }, 64);
  return t;
}

Status WriteSyntheticCsv(const SynthSpec& spec, const std::string& path) {
  ZK_RETURN_IF_ERROR(ValidateSynthSpec(spec));
  SynthGenerator gen(spec);
  std::string tmp = path + ".tmp";
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) return Status::IoError(path + ": cannot create: " + std::strerror(errno));
  std::string text;
  for (uint64_t j = 0; j < spec.features; ++j) {
    text += "x";
    text += std::to_string(j);
    text += ",";
  }
  text += "y\n";
  std::vector<double> row(spec.features);
  char num[64];
  bool ok = true;
  for (uint64_t i = 0; i < spec.rows && ok; ++i) {
    double label = gen.Row(i, row.data());
    for (double v : row) {
      auto res = std::to_chars(num, num + sizeof num, v, std::chars_format::general, 6);
      text.append(num, res.ptr);
      text.push_back(',');
    }
    auto res = std::to_chars(num, num + sizeof num, label, std::chars_format::general, 8);
    text.append(num, res.ptr);
    text.push_back('\n');
    if (text.size() > (size_t{1} << 22)) {
      ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
      text.clear();
    }
  }
  if (ok && !text.empty()) ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  ok = (std::fflush(f) == 0) && ok;
  ok = (::fsync(fileno(f)) == 0) && ok;
  ok = (std::fclose(f) == 0) && ok;
  if (!ok || std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    return Status::IoError(path + ": write failed: " + std::strerror(errno));
  }
  return Status::Ok();
}

}  // namespace zektra::ml
