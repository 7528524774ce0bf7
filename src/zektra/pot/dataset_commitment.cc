#include "zektra/pot/dataset_commitment.h"

#include <bit>
#include <cmath>
#include <nlohmann/json.hpp>

#include "zektra/base/file_io.h"
#include "zektra/base/serialize.h"
#include "zektra/base/thread_pool.h"
#include "zektra/crypto/random.h"
#include "zektra/ml/fixed_point.h"

namespace zektra::pot {
namespace {

int CeilLog2(uint64_t n) {
  return n <= 1 ? 0 : std::bit_width(n - 1);
}

constexpr const char* kCommitFormat = "zektra-dataset-commitment";
constexpr const char* kKeyFormat = "zektra-dataset-key";

}  // namespace

DatasetCommitment PlannedDatasetCommitment(uint64_t rows, uint64_t features, int fraction_bits,
                                           uint32_t max_openings) {
  DatasetCommitment c;
  c.rows = rows;
  c.features = features;
  c.fraction_bits = fraction_bits;
  c.pcs.params =
      ChoosePcsParams(c.log_rows() + c.log_cols(), /*hiding=*/true, 100, max_openings);
  return c;
}

// One more row variable than the data needs: its upper half holds the blinding rows.
int DatasetCommitment::log_rows() const {
  return CeilLog2(rows) + 1;
}
int DatasetCommitment::log_cols() const {
  return CeilLog2(features + 1);
}

Digest DatasetCommitment::Id() const {
  ByteWriter w;
  w.String("zektra.dataset-commitment.v1");
  w.U64(rows);
  w.U64(features);
  w.U32(static_cast<uint32_t>(fraction_bits));
  w.U64(feature_names.size());
  for (const auto& n : feature_names) w.String(n);
  w.String(label_name);
  w.Blob(pcs.Serialize());
  return Sha256::Hash(w.bytes());
}

std::string DatasetCommitment::ToJson() const {
  nlohmann::json j;
  j["format"] = kCommitFormat;
  j["version"] = kDatasetCommitmentVersion;
  j["commitment"] = IdHex();
  j["rows"] = rows;
  j["features"] = features;
  j["fraction_bits"] = fraction_bits;
  j["feature_names"] = feature_names;
  j["label"] = label_name;
  j["pcs_commitment"] = ToHex(pcs.Serialize());
  return j.dump(2) + "\n";
}

Result<DatasetCommitment> DatasetCommitment::FromJson(std::string_view text,
                                                      const std::string& source) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  auto bad = [&](const std::string& why) { return Status::BadInput(source + ": " + why); };
  if (j.is_discarded() || !j.is_object()) return bad("not a JSON object");
  if (j.value("format", "") != kCommitFormat)
    return bad("'format' is not \"zektra-dataset-commitment\"");
  if (!j.contains("version") || !j["version"].is_number_unsigned() ||
      j["version"] != kDatasetCommitmentVersion) {
    return bad("unsupported 'version' (this build reads 2)");
  }
  DatasetCommitment c;
  auto get_u64 = [&](const char* key, uint64_t& out) -> Status {
    if (!j.contains(key) || !j[key].is_number_unsigned())
      return bad(std::string("'") + key + "' missing or not an unsigned integer");
    out = j[key].get<uint64_t>();
    return Status::Ok();
  };
  ZK_RETURN_IF_ERROR(get_u64("rows", c.rows));
  ZK_RETURN_IF_ERROR(get_u64("features", c.features));
  uint64_t f = 0;
  ZK_RETURN_IF_ERROR(get_u64("fraction_bits", f));
  if (!ml::FixedPointFormat::Create(static_cast<int>(std::min<uint64_t>(f, 64))).ok()) {
    return bad("'fraction_bits' out of range");
  }
  c.fraction_bits = static_cast<int>(f);
  if (c.rows == 0 || c.rows > (uint64_t{1} << 32)) return bad("'rows' out of range");
  if (c.features == 0 || c.features > (uint64_t{1} << 20)) return bad("'features' out of range");
  if (!j.contains("feature_names") || !j["feature_names"].is_array() ||
      j["feature_names"].size() != c.features) {
    return bad("'feature_names' must be an array of 'features' strings");
  }
  for (const auto& n : j["feature_names"]) {
    if (!n.is_string()) return bad("'feature_names' holds a non-string");
    c.feature_names.push_back(n.get<std::string>());
  }
  if (!j.contains("label") || !j["label"].is_string())
    return bad("'label' missing or not a string");
  c.label_name = j["label"].get<std::string>();
  if (!j.contains("pcs_commitment") || !j["pcs_commitment"].is_string())
    return bad("'pcs_commitment' missing");
  auto pcs_bytes = FromHex(j["pcs_commitment"].get<std::string>());
  if (!pcs_bytes.ok()) return bad("'pcs_commitment': " + pcs_bytes.status().message());
  auto pcs = PcsCommitment::Parse(*pcs_bytes);
  if (!pcs.ok()) return bad("'pcs_commitment': " + pcs.status().message());
  c.pcs = *pcs;
  if (c.pcs.params.log_size != c.log_rows() + c.log_cols()) {
    return bad("'pcs_commitment' size does not match rows × (features + 1)");
  }
  if (!j.contains("commitment") || !j["commitment"].is_string() || j["commitment"] != c.IdHex()) {
    return bad("'commitment' does not match the file's contents (edited or corrupted)");
  }
  return c;
}

DatasetSecret::~DatasetSecret() {
  SecureWipe(seed.data(), seed.size());
}

DatasetSecret DatasetSecret::Fresh() {
  DatasetSecret s;
  RandomBytes(s.seed.data(), s.seed.size());
  return s;
}

std::string DatasetSecret::ToJson(const DatasetCommitment& for_commitment) const {
  nlohmann::json j;
  j["format"] = kKeyFormat;
  j["version"] = kDatasetCommitmentVersion;
  j["commitment"] = for_commitment.IdHex();
  j["seed"] = ToHex(seed);
  return j.dump(2) + "\n";
}

Result<DatasetSecret> DatasetSecret::FromJson(std::string_view text, const std::string& source,
                                              const DatasetCommitment& expected) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  auto bad = [&](const std::string& why) { return Status::BadInput(source + ": " + why); };
  if (j.is_discarded() || !j.is_object()) return bad("not a JSON object");
  if (j.value("format", "") != kKeyFormat) return bad("'format' is not \"zektra-dataset-key\"");
  if (!j.contains("commitment") || j["commitment"] != expected.IdHex()) {
    return bad("this key belongs to another dataset commitment");
  }
  if (!j.contains("seed") || !j["seed"].is_string()) return bad("'seed' missing");
  auto seed = FromHex(j["seed"].get<std::string>());
  if (!seed.ok() || seed->size() != 32) return bad("'seed' must be 64 hex digits");
  DatasetSecret s;
  std::copy(seed->begin(), seed->end(), s.seed.begin());
  SecureWipe(*seed);
  return s;
}

Result<std::vector<Fp>> DatasetMatrix(const ml::Table& table, int fraction_bits) {
  if (table.label_name.empty())
    return Status::InvalidArgument(table.source + ": a dataset commitment needs a label column");
  if (table.rows == 0) return Status::BadInput(table.source + ": no data rows");
  ZK_ASSIGN_OR_RETURN(ml::FixedPointFormat fp, ml::FixedPointFormat::Create(fraction_bits));
  const uint64_t d = table.cols();
  const uint64_t cols = uint64_t{1} << CeilLog2(d + 1);
  const uint64_t rows = uint64_t{1} << CeilLog2(table.rows);
  std::vector<Fp> m(rows * cols);
  for (uint64_t i = 0; i < table.rows; ++i) {
    auto where = [&](uint64_t col) {
      uint64_t line = i < table.line_of_row.size() ? table.line_of_row[i] : i + 2;
      return table.source + ":" + std::to_string(line) + ": column '" +
             (col < d ? table.feature_names[col] : table.label_name) + "'";
    };
    for (uint64_t j = 0; j <= d; ++j) {
      double x = j < d ? table.row(i)[j] : table.labels[i];
      auto q = ml::QuantizeRaw(x, fp);
      if (!q.ok()) return Status::OutOfRange(where(j) + ": " + q.status().message());
      m[i * cols + j] = Fp::FromSigned(*q);
    }
  }
  return m;
}

Result<CommittedDataset> CommitDataset(const ml::Table& table, const DatasetSecret& secret,
                                       int fraction_bits, uint32_t max_openings) {
  ZK_ASSIGN_OR_RETURN(std::vector<Fp> matrix, DatasetMatrix(table, fraction_bits));
  // The blinding rows: as many again, pseudo-random from the owner's seed (so a later run can
  // rebuild them), never read by any relation of a proof; they make every evaluation of the
  // committed matrix that a proof reveals a uniformly masked value (docs/SECURITY.md).
  // A key of their own (not the PCS's hiding seed), expanded by ChaCha20 in independent
  // 2^20-element streams so that large datasets fill them in parallel at memory speed.
  const size_t data_entries = matrix.size();
  matrix.resize(2 * data_entries);
  Digest blinding_key;
  {
    ByteWriter w;
    w.String("zektra.dataset.blinding.v2");
    w.Raw(ByteSpan(secret.seed.data(), secret.seed.size()));
    blinding_key = Sha256::Hash(w.bytes());
    SecureWipe(w.bytes());
  }
  constexpr size_t kChunk = size_t{1} << 20;
  const size_t chunks = (data_entries + kChunk - 1) / kChunk;
  ParallelFor(
      0, chunks,
      [&](size_t b, size_t e) {
        for (size_t chunk = b; chunk < e; ++chunk) {
          const size_t begin = chunk * kChunk, len = std::min(kChunk, data_entries - begin);
          DeterministicFps(blinding_key, chunk,
                           std::span<Fp>(matrix).subspan(data_entries + begin, len));
        }
      },
      1);
  SecureWipe(blinding_key.data(), blinding_key.size());
  CommittedDataset out;
  DatasetCommitment& c = out.commitment;
  c = PlannedDatasetCommitment(table.rows, table.cols(), fraction_bits, max_openings);
  c.feature_names = table.feature_names;
  c.label_name = table.label_name;
  const PcsParams params = c.pcs.params;
  // The prover data reads the matrix in place (no second copy of it): `out.matrix` owns
  // the buffer for as long as `out.prover` lives, and moving `out` moves the buffer along.
  out.matrix = std::move(matrix);
  out.prover = PcsCommitBorrowing(out.matrix, params, &secret.seed);
  c.pcs = out.prover.commitment();
  return out;
}

Status SaveDatasetCommitment(const std::string& path, const DatasetCommitment& commitment) {
  return WriteFileAtomic(path, commitment.ToJson());
}

Result<DatasetCommitment> LoadDatasetCommitment(const std::string& path) {
  ZK_ASSIGN_OR_RETURN(std::string text, ReadFileText(path));
  return DatasetCommitment::FromJson(text, path);
}

Status SaveDatasetSecret(const std::string& path, const DatasetSecret& secret,
                         const DatasetCommitment& commitment) {
  std::string text = secret.ToJson(commitment);
  Status s = WriteFileAtomic(path, text, 0600);
  SecureWipe(text.data(), text.size());
  return s;
}

Result<DatasetSecret> LoadDatasetSecret(const std::string& path,
                                        const DatasetCommitment& expected) {
  ZK_ASSIGN_OR_RETURN(std::string text, ReadFileText(path));
  auto s = DatasetSecret::FromJson(text, path, expected);
  SecureWipe(text.data(), text.size());
  return s;
}

}  // namespace zektra::pot
