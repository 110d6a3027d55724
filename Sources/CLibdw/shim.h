#ifndef REQUEST_PROFILER_CLIBDW_SHIM_H
#define REQUEST_PROFILER_CLIBDW_SHIM_H
#include <elfutils/libdwfl.h>
#include <elfutils/libdwelf.h>
#include <dwarf.h>
#endif
