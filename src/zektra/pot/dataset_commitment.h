// Dataset commitments: a short public fingerprint that binds every row and label of a
// dataset, exactly as its CSV holds them, without revealing them.
//
// What is committed: the matrix M with one row per data row and the columns
//   features 0..d-1, then the label,
// each entry the fixed-point integer round(x·2^F) embedded in Goldilocks (negatives as
// p − |x|), zero-padded to rows_pad × cols_pad (powers of two), followed by rows_pad
// blinding rows of pseudo-random field elements derived from the owner's seed (so the
// committed matrix has 2·rows_pad rows; no proof relation reads the blinding rows, and they
// mask every evaluation of the matrix a proof reveals). Index = row·cols_pad + col,
// so the low variables of the multilinear extension select the column (zk/multilinear.h).
// M is committed with the hiding multilinear PCS (zk/pcs.h) whose blinding randomness is
// derived from a secret 32-byte seed: the owner keeps the seed (the ".key" file, or the
// vault) and can rebuild the same prover data for every later training run, and the
// public commitment reveals nothing about the data beyond its shape. Each proof that uses
// the dataset opens the commitment; the padding is sized for `max_openings` openings
// (the hiding guarantee is for that many, see docs/SECURITY.md).
//
// The commitment's identity (`Id()`, printed as hex) is SHA-256 over a domain tag, the
// shape, the fraction bits, the column names and the PCS commitment; statements refer to
// it. Two datasets that differ in one value, one label or one column name have different
// identities (except with negligible probability).
#pragma once

#include <string>
#include <vector>

#include "zektra/crypto/sha256.h"
#include "zektra/ml/dataset.h"
#include "zektra/zk/pcs.h"

namespace zektra::pot {

inline constexpr uint32_t kDatasetCommitmentVersion = 2;
inline constexpr uint32_t kDefaultDatasetMaxOpenings = 16;

struct DatasetCommitment {
  uint64_t rows = 0;
  uint64_t features = 0;
  int fraction_bits = 16;
  std::vector<std::string> feature_names;
  std::string label_name;
  PcsCommitment pcs;

  int log_rows() const;  // of the committed matrix: data rows padded, then as many blinding rows
  int log_cols() const;
  Digest Id() const;
  std::string IdHex() const { return ToHex(Id()); }

  // The public ".commit" file: JSON with format, version, commitment (the Id, checked on
  // load), shape, names and the serialized PCS commitment in hex.
  std::string ToJson() const;
  static Result<DatasetCommitment> FromJson(std::string_view text, const std::string& source);
  bool operator==(const DatasetCommitment&) const = default;
};

// The owner's secret: the seed of the commitment's blinding randomness. Wiped on destruction.
struct DatasetSecret {
  Digest seed{};
  ~DatasetSecret();
  static DatasetSecret Fresh();
  // The ".key" file: JSON {format, version, commitment (Id hex), seed (hex)}; written 0600.
  std::string ToJson(const DatasetCommitment& for_commitment) const;
  static Result<DatasetSecret> FromJson(std::string_view text, const std::string& source,
                                        const DatasetCommitment& expected);
};

// The public shape a commitment to a rows × features table would have (sizes and PCS
// parameters; no names, no root): what a proof's bounds depend on, known before committing.
DatasetCommitment PlannedDatasetCommitment(uint64_t rows, uint64_t features, int fraction_bits,
                                           uint32_t max_openings = kDefaultDatasetMaxOpenings);

// The data half of the committed matrix in field form (rows_pad × cols_pad), from a table that
// has a label; CommitDataset appends the blinding rows.
// OutOfRange names the line and column of a value whose fixed-point form does not fit.
Result<std::vector<Fp>> DatasetMatrix(const ml::Table& table, int fraction_bits);

// Everything a prover needs: the public commitment, the matrix, and the PCS prover data.
struct CommittedDataset {
  DatasetCommitment commitment;
  std::vector<Fp> matrix;
  PcsProverData prover;  // reads `matrix` in place: keep it unchanged while this is used
};

// Commits (or re-commits, with the owner's seed) to a labelled table.
Result<CommittedDataset> CommitDataset(const ml::Table& table, const DatasetSecret& secret,
                                       int fraction_bits = 16,
                                       uint32_t max_openings = kDefaultDatasetMaxOpenings);

// File helpers used by the CLI and the vault: the key file sits next to the commitment
// file as PATH.key unless named explicitly.
Status SaveDatasetCommitment(const std::string& path, const DatasetCommitment& commitment);
Result<DatasetCommitment> LoadDatasetCommitment(const std::string& path);
Status SaveDatasetSecret(const std::string& path, const DatasetSecret& secret,
                         const DatasetCommitment& commitment);
Result<DatasetSecret> LoadDatasetSecret(const std::string& path, const DatasetCommitment& expected);

}  // namespace zektra::pot
