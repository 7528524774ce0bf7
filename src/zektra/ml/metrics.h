// Model quality metrics, in double precision (they are reported, never proven here).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace zektra::ml {

struct ClassificationMetrics {
  size_t rows = 0;
  double accuracy = 0;
  double log_loss = 0;  // probabilities clipped to [1e-15, 1 − 1e-15]
  double auc = -1;      // binary only (ROC AUC, ties averaged); −1 otherwise
  std::vector<std::vector<uint64_t>> confusion;  // [true class][predicted class]
};

// probs: rows × classes probabilities (for two classes, rows × 1 = P(class 1) is also accepted).
ClassificationMetrics Classification(const std::vector<int64_t>& truth, const std::vector<double>& probs,
                                     size_t classes);
// Area under the ROC curve of scores against 0/1 labels (Mann–Whitney, ties get half credit).
double RocAuc(const std::vector<int64_t>& labels, const std::vector<double>& scores);

struct RegressionMetrics {
  size_t rows = 0;
  double mse = 0;
  double r2 = 0;  // 1 − SS_res / SS_tot (0 when the target is constant)
};
RegressionMetrics Regression(const std::vector<double>& truth, const std::vector<double>& predicted);

}  // namespace zektra::ml
