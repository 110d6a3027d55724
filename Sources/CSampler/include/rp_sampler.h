// The request profiler's C sampler: a SIGPROF handler fed by one POSIX timer per sampled
// thread, writing stacks into buffers allocated before the timer starts.
//
// Everything the handler touches is preallocated and reached through a static slot table, so
// a signal delivered late (after timer_delete) finds a dead generation and returns without
// touching freed memory. Nothing here calls malloc, takes a lock, calls libunwind or the Swift
// runtime on the signal path.
//
// All symbols are prefixed `rp_`.
#ifndef RP_SAMPLER_H
#define RP_SAMPLER_H

#include <stdint.h>
#include <stddef.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Most frames (native + async) recorded for one sample.
#define RP_MAX_FRAMES 256
/// Frame pointers remembered per sample, so that a libunwind-completed leaf can be joined to
/// the frame-pointer chain at the right frame.
#define RP_JOIN_FRAMES 8
/// Registers saved per sample for the DWARF unwind of the stack snapshot.
#define RP_REGISTER_COUNT 8
/// Upper bound of the stack bytes copied per sample (from the stack pointer up).
#define RP_SNAPSHOT_MAX 4096
/// Bytes below the stack pointer copied too (part of the x86-64 red zone, which the kernel
/// leaves intact when it builds the signal frame): a function's CFI at its `ret` still says the
/// caller's rbp is at [rsp - 8], the slot it was just popped from.
#define RP_RED_ZONE 16
/// Most sessions (concurrently profiled threads) at once.
#define RP_MAX_SESSIONS 64

/// Register slots in `rp_sample.registers` (x86_64 names; aarch64 stores pc, sp, fp, lr).
enum {
    RP_REG_IP = 0, RP_REG_SP = 1, RP_REG_FP = 2, RP_REG_BX = 3,
    RP_REG_R12 = 4, RP_REG_R13 = 5, RP_REG_R14 = 6, RP_REG_R15 = 7,
};

/// Sample flags.
enum {
    /// The thread was idle in the executor, waiting for the suspended task to be resumed.
    RP_SAMPLE_IDLE = 1u << 0,
    /// `async_count` frames of the Swift async-context chain follow the native frames.
    RP_SAMPLE_ASYNC = 1u << 1,
    /// A stack snapshot was stored for off-path unwinding.
    RP_SAMPLE_SNAPSHOT = 1u << 2,
    /// The walk stopped at RP_MAX_FRAMES.
    RP_SAMPLE_DEEP = 1u << 3,
    /// The frame-pointer walk started from a record found by scanning the stack (rbp was not a frame pointer).
    RP_SAMPLE_SCANNED = 1u << 4,
    /// `cpu_ns` holds the thread CPU clock (read on every `cpu_every`-th sample only).
    RP_SAMPLE_CPU = 1u << 5,
    /// The thread was inside a system call (blocked, or just interrupted out of one).
    RP_SAMPLE_SYSCALL = 1u << 6,
};

/// One raw sample, as written by the signal handler.
typedef struct rp_sample {
    uint64_t wall_ns;          ///< CLOCK_MONOTONIC at the tick
    uint64_t cpu_ns;           ///< thread CPU time at the tick, when flags has RP_SAMPLE_CPU
    uint32_t overrun;          ///< ticks the kernel could not deliver before this one
    uint32_t flags;            ///< RP_SAMPLE_*
    uint32_t frame_offset;     ///< index of the first frame in the frame pool
    uint16_t native_count;     ///< native frames, leaf first (frame 0 is the interrupted pc)
    uint16_t async_count;      ///< async resume addresses after the native frames, innermost first
    uint32_t snapshot_offset;  ///< byte offset of the stack copy in the snapshot pool
    uint32_t snapshot_size;    ///< bytes copied from snapshot_base upwards
    uint64_t snapshot_base;    ///< stack address of the copy's first byte (the red zone below sp included)
    uint64_t registers[RP_REGISTER_COUNT];
    uint64_t frame_pointers[RP_JOIN_FRAMES]; ///< frame_pointers[i] is the frame that held frame i+1's return address (in an async sample, [native_count - 1] is the async boundary's)
} rp_sample;

typedef struct rp_session rp_session;

/// How a session samples. Validated by the Swift layer; the C layer clamps nothing.
typedef struct rp_config {
    uint64_t interval_ns;
    uint64_t max_duration_ns;   ///< the handler disarms the timer at this point (0: no limit)
    uint32_t max_samples;       ///< sample records preallocated
    uint32_t average_frames;    ///< frame pool = max_samples * average_frames (at least RP_MAX_FRAMES)
    uint32_t average_snapshot;  ///< snapshot pool = max_samples * average_snapshot bytes (0: no snapshots)
    /// Read the thread CPU clock on every n-th sample (0 or 1: every sample). A syscall costs
    /// about 1 us inside the handler here, several times the rest of the capture.
    uint32_t cpu_every;
} rp_config;

/// Returned by ``rp_sampler_install`` and ``rp_session_start`` when SIGPROF's handler is no
/// longer ours: someone replaced it after we installed it (another profiler, or
/// `signal(SIGPROF, SIG_DFL)`), and a timer armed now would hand its signals to that handler,
/// or terminate the process under the default action.
#define RP_ERROR_HANDLER_REPLACED (-1)

/// Installs the SIGPROF handler (SA_SIGINFO|SA_RESTART|SA_ONSTACK) once per process; every call
/// checks that it is still installed, and that the probe pipe's descriptors are still its own
/// (under a mutex, with four system calls; a new pipe when the app closed or reused either).
/// Returns 0, an errno value or RP_ERROR_HANDLER_REPLACED.
int rp_sampler_install(void);

/// Publishes the address range of the runtime function that resumes async tasks
/// (`swift::runJobInEstablishedExecutorContext`). A frame returning into it is the outermost
/// async partial function, whose async context sits at [fp - 8]. Without a range no async
/// chain is walked in the handler.
void rp_sampler_set_async_resume_range(uintptr_t start, uintptr_t end);

/// Rebuilds the table of executable ranges of the loaded images (dl_iterate_phdr), used to
/// validate async resume addresses. Call before starting a session; not signal-safe.
int rp_sampler_refresh_code_ranges(void);

/// True when `address` lies in a known executable segment.
int rp_sampler_is_code_address(uintptr_t address);

/// glibc's counts of images loaded and unloaded so far (dlpi_adds, dlpi_subs); both ~0 when
/// this glibc does not report them. Equal counts mean the same set of images.
void rp_read_load_counters(unsigned long long counters[2]);

/// Where the kernel mapped the main program's program headers (AT_PHDR), 0 if unknown: an
/// address inside the executable, whatever its file is called now.
uintptr_t rp_main_program_headers(void);

/// The probe pipe's read and write ends (-1, -1 when there is none): for tests. The pipe is
/// checked before every session, and made anew when the app closed or reused either number.
/// Handlers use whichever pipe is current; during a session only a closed read end is seen
/// (EPIPE: the pipe is given up until the next session), not a number the app reused.
void rp_sampler_probe_descriptors(int *read_end, int *write_end);

/// The snapshot pool's size for a session: max_samples * average_snapshot, at most
/// UINT32_MAX, since a sample keeps its copy's offset in 32 bits.
uint64_t rp_snapshot_pool_bytes(uint32_t max_samples, uint32_t average_snapshot);

/// Allocates a session and its buffers and claims a slot. Returns NULL and sets *error.
rp_session *rp_session_create(const rp_config *config, int *error);

/// Starts sampling thread `tid` (kernel thread id) whose stack spans [stack_low, stack_high).
/// `cpu_clock` is the thread's CPU clock (pthread_getcpuclockid). Returns 0, errno or
/// RP_ERROR_HANDLER_REPLACED.
int rp_session_start(rp_session *session, pid_t tid, uintptr_t stack_low, uintptr_t stack_high, int cpu_clock);

/// Stops the timer and waits until no handler is running on the session's buffers. After it
/// returns the buffers are stable and can be read. Idempotent.
void rp_session_stop(rp_session *session);

/// Frees the session's buffers and releases its slot (calls stop first if needed).
void rp_session_destroy(rp_session *session);

/// Marks the sampled thread as idle (waiting for its task to be resumed) or busy.
void rp_session_set_idle(rp_session *session, int idle);

uint32_t rp_session_sample_count(const rp_session *session);
const rp_sample *rp_session_samples(const rp_session *session);
const uintptr_t *rp_session_frames(const rp_session *session);
const uint8_t *rp_session_snapshots(const rp_session *session);
uint64_t rp_session_dropped(const rp_session *session);
int rp_session_truncated(const rp_session *session);
uint64_t rp_session_start_wall_ns(const rp_session *session);
uint64_t rp_session_start_cpu_ns(const rp_session *session);
uint64_t rp_session_stop_wall_ns(const rp_session *session);
uint64_t rp_session_stop_cpu_ns(const rp_session *session);
/// Handler time spent on this session's samples (sum and per-sample values kept for the
/// benchmark): nanoseconds between handler entry and exit, measured with CLOCK_MONOTONIC.
const uint32_t *rp_session_capture_costs(const rp_session *session);

/// The signal handler's walk of an async-context chain from `ctx` (each context checked to be
/// readable before it is read, the parents' pages trusted once found readable, by a cache kept
/// across this thread's calls as a session keeps it across samples), callable outside it: for
/// tests. Returns the count written.
int rp_sampler_follow_context_chain(uintptr_t ctx, uintptr_t *out, int capacity);

/// Reads the async resume chain of a suspended task from its job (`UnownedJob`'s pointer):
/// the job's ResumeTask, then each parent context's resume address. Off the signal path only;
/// the job must be alive (it is, while it is being enqueued). Returns the count written.
int rp_read_job_async_chain(const void *job, uintptr_t *out, int capacity);

/// Current thread's kernel id and stack bounds (pthread_getattr_np). Returns 0 or errno.
int rp_current_thread_info(pid_t *tid, uintptr_t *stack_low, uintptr_t *stack_high);
/// Returns the heap's free memory to the kernel (glibc's malloc_trim(0)); 1 if any was.
int rp_return_free_heap(void);
/// Unmaps the resident pages of a read-only file mapping (MADV_DONTNEED) that are still the
/// file's own pages, so they leave the process's resident memory but stay in the page cache
/// (touching them again is a minor fault). Pages the process wrote (private copies) and pages
/// not resident are left alone, so no data can be lost. Returns the bytes dropped.
size_t rp_drop_file_pages(const void *base, size_t size);
/// Copies `size` bytes of this process's memory at `address` into `into` without risking a
/// fault (pread of /proc/self/mem, which reports an unmapped page instead of touching it): 1 when all
/// of them were read, 0 otherwise.
int rp_read_own_memory(void *into, uintptr_t address, size_t size);
/// A new file held in memory (memfd_create), closed on exec; -1 with errno when none is made.
int rp_memory_file(const char *name);
/// Names the calling thread (at most 15 bytes show), for debuggers, top -H and perf.
void rp_name_current_thread(const char *name);

/// Gives the calling thread an alternate signal stack of its own (64 KB or four times the
/// kernel's minimum, a guard page below), on which the handler (installed with SA_ONSTACK)
/// runs. The kernel builds a signal's frame (several KB with AVX-512 state) on the stack the
/// thread is on: a request recursing to within a few KB of its guard page would be killed by
/// a sample, not by its own code. Returns the mapping for
/// ``rp_thread_alternate_stack_remove``, NULL when none could be made (the thread's own stack
/// is used then, as before).
void *rp_thread_alternate_stack_install(void);
/// Disables the calling thread's alternate stack and unmaps `mapping` (from
/// ``rp_thread_alternate_stack_install`` on this thread; NULL does nothing). Call it before
/// the thread exits.
void rp_thread_alternate_stack_remove(void *mapping);

/// CLOCK_MONOTONIC in nanoseconds.
uint64_t rp_monotonic_ns(void);

/// Number of POSIX timers this process has (from /proc/self/timers), for leak tests.
int rp_process_timer_count(void);

/// Completes a sample's leaf with libunwind (off the signal path): DWARF-unwinds the copied
/// registers and stack and joins the result to the frame-pointer chain. Writes the native
/// stack (leaf first) to `out` and returns its length, or -1 when libunwind is not available
/// or could not improve the stack. `*joined` is 1 when the result continues into the recorded
/// frame-pointer chain (so the sample's async frames still follow it), 0 when it stands alone.
int rp_unwind_snapshot(const rp_sample *sample, const uintptr_t *native_frames,
                       const uint8_t *snapshot, uintptr_t *out, int capacity, int *joined);

/// True when libunwind could be opened (dlopen, RTLD_LOCAL). Not signal-safe.
int rp_unwinder_available(void);

/// The Swift runtime's demangler (exported by libswiftCore).
char *swift_demangle(const char *mangled_name, size_t mangled_name_length,
                     char *output_buffer, size_t *output_buffer_size, uint32_t flags);

#ifdef __cplusplus
}
#endif

#endif
