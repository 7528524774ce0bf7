#include "zektra/zk/univariate.h"

#include "zektra/base/status.h"

namespace zektra {

Fp2 InterpolateAtIntegerNodes(std::span<const Fp2> values, Fp2 x) {
  ZK_CHECK(!values.empty(), "interpolation needs at least one node");
  const size_t n = values.size();
  // If x is one of the nodes the Lagrange form below would divide by zero; answer directly.
  for (size_t i = 0; i < n; ++i) {
    if (x == Fp2::From(i)) return values[i];
  }
  // p(x) = Σ_i values[i] · Π_{j≠i} (x - j) / (i - j). With prefix/suffix products of (x - j)
  // the numerators cost O(n); the denominators are ±i!(n-1-i)!, inverted once each.
  std::vector<Fp2> prefix(n + 1, Fp2::One()), suffix(n + 1, Fp2::One());
  for (size_t j = 0; j < n; ++j) prefix[j + 1] = prefix[j] * (x - Fp2::From(j));
  for (size_t j = n; j-- > 0;) suffix[j] = suffix[j + 1] * (x - Fp2::From(j));
  std::vector<Fp> factorial(n, Fp::One());
  for (size_t j = 1; j < n; ++j) factorial[j] = factorial[j - 1] * Fp::From(j);
  Fp2 acc = Fp2::Zero();
  for (size_t i = 0; i < n; ++i) {
    Fp denominator = factorial[i] * factorial[n - 1 - i];
    if ((n - 1 - i) % 2 == 1) denominator = -denominator;
    acc += values[i] * (prefix[i] * suffix[i + 1]) * denominator.Inverse();
  }
  return acc;
}

Fp2 EvaluateCoefficients(std::span<const Fp2> coefficients, Fp2 x) {
  Fp2 acc = Fp2::Zero();
  for (size_t j = coefficients.size(); j-- > 0;) acc = acc * x + coefficients[j];
  return acc;
}

Fp EvaluateCoefficients(std::span<const Fp> coefficients, Fp x) {
  Fp acc = Fp::Zero();
  for (size_t j = coefficients.size(); j-- > 0;) acc = acc * x + coefficients[j];
  return acc;
}

Fp2 EvaluateCoefficients(std::span<const Fp> coefficients, Fp2 x) {
  Fp2 acc = Fp2::Zero();
  for (size_t j = coefficients.size(); j-- > 0;) acc = acc * x + coefficients[j];
  return acc;
}

}  // namespace zektra
