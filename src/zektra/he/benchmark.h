// The operation timings behind `zektra bench he`: one parameter set, one thread, each
// operation timed over several repetitions (median reported), on fresh random data.
#pragma once

#include <string>

#include "zektra/he/params.h"

namespace zektra::he {

struct HeOperationTimings {
  std::string parameters;  // DescribeParameters
  int log_n = 0;
  int log_pq = 0;
  size_t levels = 0;
  double keygen_ms = 0;  // secret + public + relinearisation + one Galois key
  double encode_ms = 0, encrypt_ms = 0, multiply_ms = 0, relinearize_ms = 0, rescale_ms = 0,
         rotate_ms = 0, decrypt_ms = 0, decode_ms = 0;
  double max_slot_error = 0;  // after multiply + relinearise + rescale + rotate, vs float
};

// Runs on the calling thread (the caller pins the worker pool to one thread). With
// cpu_time, each figure is the thread's CPU time (the cost with a core to itself, which
// is what a machine shared with other jobs can still measure); else wall-clock time.
Result<HeOperationTimings> TimeOperations(const CkksParameterSpec& spec, int repetitions,
                                          bool cpu_time);

}  // namespace zektra::he
