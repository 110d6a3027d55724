#ifndef REQUEST_PROFILER_CLIBUNWIND_SHIM_H
#define REQUEST_PROFILER_CLIBUNWIND_SHIM_H
// Headers only: no `link` line in the module map. The library is opened with
// dlopen(RTLD_LOCAL) at first use so that its _Unwind_* symbols never take over
// the process's C++ exception unwinding (see sampler-facts.md).
#include <libunwind-x86_64.h>
#endif
