// `zektra inspect FILE`: what a Zektra file is, its statement or header, its size — without
// verifying anything.
#include <cstdio>

#include "cli/command.h"
#include "zektra/base/file_io.h"
#include "zektra/pot/accuracy_proof.h"
#include "zektra/pot/model_commitment.h"
#include "zektra/pot/network_training_proof.h"
#include "zektra/pot/training_proof.h"
#include "zektra/zk/proof_format.h"

namespace zektra::cli {
namespace {

struct InspectArgs {
  std::string file;
  bool json = false;
};

int Run(const InspectArgs& a) {
  auto bytes = ReadFileBytes(a.file);
  if (!bytes.ok()) return ReportError(bytes.status(), a.json);
  nlohmann::json j{{"file", a.file}, {"bytes", bytes->size()}};
  auto container = ProofContainer::Parse(*bytes);
  if (container.ok()) {
    j["type"] = std::string("proof: ") + ProofKindName(container->kind());
    nlohmann::json sections = nlohmann::json::array();
    for (const auto& [tag, payload] : container->sections())
      sections.push_back({{"tag", tag}, {"bytes", payload.size()}});
    j["sections"] = sections;
    if (container->kind() == ProofKind::kTrainingRun) {
      if (pot::IsNetworkTrainingProof(*bytes)) {  // softmax / mlp
        auto st = pot::ReadNetworkStatement(*bytes);
        if (!st.ok()) return ReportError(st.status(), a.json);
        j["statement"] = st->ToJson();
      } else {
        auto st = pot::ReadTrainingStatement(*bytes);
        if (!st.ok()) return ReportError(st.status(), a.json);
        j["statement"] = st->ToJson();
      }
    }
    if (container->kind() == ProofKind::kTestAccuracy) {
      auto st = pot::ReadAccuracyStatement(*bytes);
      if (!st.ok()) return ReportError(st.status(), a.json);
      j["statement"] = st->ToJson();
    }
  } else {
    std::string text(bytes->begin(), bytes->end());
    auto commitment = pot::DatasetCommitment::FromJson(text, a.file);
    nlohmann::json probe = nlohmann::json::parse(text, nullptr, false);
    const bool is_model_commitment = !probe.is_discarded() && probe.is_object() &&
                                     probe.value("format", "") == "zektra-model-commitment";
    if (is_model_commitment) {
      auto mc = pot::ModelCommitment::FromJson(text, a.file);
      if (!mc.ok()) return ReportError(mc.status(), a.json);
      j["type"] = "model commitment";
      j["commitment"] = mc->IdHex();
      j["model"] = mc->model_spec;
      j["output"] = ml::OutputKindName(mc->output);
      j["features"] = mc->feature_names.size();
      j["label"] = mc->label_name;
      j["layers"] = mc->layers;
      j["max_proofs"] = mc->pcs.params.max_openings;
    } else if (commitment.ok()) {
      j["type"] = "dataset commitment";
      j["commitment"] = commitment->IdHex();
      j["rows"] = commitment->rows;
      j["features"] = commitment->features;
      j["label"] = commitment->label_name;
    } else {
      nlohmann::json parsed = nlohmann::json::parse(text, nullptr, false);
      if (!parsed.is_discarded() && parsed.is_object() &&
          parsed.value("format", "") == ml::kModelFileFormat) {
        auto model = ml::ModelFromJson(parsed);
        if (!model.ok()) return ReportError(model.status().WithContext(a.file), a.json);
        j["type"] = "model";
        j["model"] = model->spec.ToString();
        j["features"] = model->feature_names.size();
        j["weights_sha256"] = model->WeightsDigestHex();
        j["proof_hash"] =
            model->proof_hash.empty() ? nlohmann::json() : nlohmann::json(model->proof_hash);
        j["dataset_commitment"] = model->dataset_commitment.empty()
                                      ? nlohmann::json()
                                      : nlohmann::json(model->dataset_commitment);
      } else {
        return ReportError(
            Status::BadInput(a.file + ": not a Zektra file (" + container.status().message() + ")"),
            a.json);
      }
    }
  }
  if (a.json) {
    PrintJson(j);
  } else {
    std::printf("%s\n", j.dump(2).c_str());
  }
  return kExitOk;
}

CommandRegistrar reg("inspect", "Show what a Zektra file is and its statement, without verifying",
                     [](CLI::App& app) -> RunFn {
                       auto a = std::make_shared<InspectArgs>();
                       app.add_option(
                              "file", a->file,
                              "A proof (.zkp), dataset or model commitment (.commit) or model file")
                           ->required();
                       app.add_flag("--json", a->json, "Print one JSON object");
                       return [a] { return Run(*a); };
                     });

}  // namespace
}  // namespace zektra::cli
