// Internal to CSampler: the session layout shared by the handler and the session lifecycle.
#ifndef RP_INTERNAL_H
#define RP_INTERNAL_H

#include "rp_sampler.h"
#include <stdatomic.h>
#include <time.h>
#include <signal.h>
#include <unistd.h>
#include <errno.h>
#include <sys/syscall.h>

/// Pages of async contexts found readable during a session (see rp_follow_context_chain): a
/// steady async stack is checked once, not with two system calls (about 2 µs on a VM) for
/// each of its contexts' pages in every sample. A page holding a live context is not unmapped
/// while that context lives; touched only by the sampled thread's handler.
#define RP_CHECKED_PAGES 16
typedef struct {
    uintptr_t pages[RP_CHECKED_PAGES];
    unsigned next;
} rp_page_cache;

/// A session's buffers. Written only by the sampled thread's signal handler while active;
/// read only after rp_session_stop has waited for in-flight handlers.
struct rp_session {
    rp_config config;
    int slot;
    uint32_t generation;
    timer_t timer;
    int timer_created;
    int stopped;
    pid_t tid;
    clockid_t cpu_clock;
    uintptr_t stack_low, stack_high;

    rp_sample *samples;          // config.max_samples records
    uintptr_t *frames;           // frame pool
    uint64_t frame_capacity;
    uint8_t *snapshots;          // stack snapshot pool
    uint64_t snapshot_capacity;
    uint32_t *capture_costs;     // config.max_samples entries
    size_t mapping_size;         // all of the above live in one mmap
    void *mapping;

    // Written by the handler only.
    uint32_t count;
    uint64_t frames_used;
    uint64_t snapshots_used;
    uint64_t dropped;
    int truncated;

    _Atomic int idle;
    /// Last executable range a lookup hit (most async resume addresses share one image).
    /// Touched only by the sampled thread's handler.
    uintptr_t code_hit_start, code_hit_end;
    rp_page_cache context_pages;
    uint64_t deadline_ns;
    uint64_t start_wall_ns, start_cpu_ns, stop_wall_ns, stop_cpu_ns;
};

/// A slot of the static session table. Never freed, so a late signal can always read it.
typedef struct rp_slot {
    _Atomic uint32_t generation;   // bumped at every claim and release
    _Atomic int active;            // 1 while the handler may record into `session`
    _Atomic int inflight;          // handlers currently inside the slot
    _Atomic int claimed;
    rp_session *_Atomic session;
} rp_slot;

extern rp_slot rp_slots[RP_MAX_SESSIONS];

/// Token carried in the timer's sigev_value: magic | generation | slot.
#define RP_TOKEN_MAGIC 0x525046ull   /* "RPF" */
static inline uint64_t rp_make_token(uint32_t generation, int slot) {
    return (RP_TOKEN_MAGIC << 40) | ((uint64_t)generation << 8) | (uint64_t)(slot & 0xff);
}

/// Executable ranges of loaded images, sorted by start; published atomically.
typedef struct rp_code_ranges {
    size_t count;
    struct { uintptr_t start, end; } ranges[];
} rp_code_ranges;

extern rp_code_ranges *_Atomic rp_current_code_ranges;
extern _Atomic uintptr_t rp_async_resume_start, rp_async_resume_end;

void rp_signal_handler(int signo, siginfo_t *info, void *context);

/// Whether `address` is executable, remembering the range it was found in: when it lies in
/// [*hit_start, *hit_end) the table is not searched at all.
int rp_code_range_lookup(uintptr_t address, uintptr_t *start, uintptr_t *end);

static inline int rp_code_range_of(uintptr_t address, uintptr_t *hit_start, uintptr_t *hit_end) {
    if (address >= *hit_start && address < *hit_end) return 1;
    return rp_code_range_lookup(address, hit_start, hit_end);
}

/// Marks the functions that read memory the sampler does not own as raw words: the
/// interrupted thread's stack (below and between its live objects) and Swift async contexts
/// found through it. That is a stack sampler's job, made safe by range checks rather than by
/// types, so AddressSanitizer (which poisons the redzones around stack objects) and
/// ThreadSanitizer must not instrument these reads: under `--sanitize=address` the copy of the
/// stack top otherwise reports a stack-buffer-underflow on the first sample
/// (scripts/sanitize.sh). Everything else stays instrumented.
#if defined(__has_attribute)
#if __has_attribute(no_sanitize)
#define RP_READS_FOREIGN_MEMORY __attribute__((no_sanitize("address", "thread")))
#endif
#endif
#ifndef RP_READS_FOREIGN_MEMORY
#define RP_READS_FOREIGN_MEMORY
#endif

/// The page size, set before the signal handler is installed (sysconf is not
/// async-signal-safe); 0 until then.
extern _Atomic uintptr_t rp_page_size;
/// A pipe through which the handler learns whether memory is readable (see rp_is_readable):
/// both descriptors in one word, read end << 32 | write end, so that a handler never pairs one
/// pipe's end with another's while rp_sampler_install replaces them. RP_NO_PROBE until
/// installed, or when no pipe could be made.
#define RP_NO_PROBE UINT64_MAX
extern _Atomic uint64_t rp_probe_descriptors;

/// Whether the `length` bytes at `address` (within one page) can be read: written into a pipe
/// of our own, they fail with EFAULT when unmapped or unreadable (a guard page, the reserved
/// tail of a malloc arena, which mincore(2) would take for mapped), and are read back out at
/// once. Two plain system calls: async-signal-safe; they may set errno, which the handler
/// restores. Handlers on several threads may take each other's bytes back: each reads what it
/// wrote, after its own write, so the pipe always holds enough and never fills.
///
/// An app that closes the read end during a session (a double close) makes the write fail
/// with EPIPE and raise SIGPIPE, whose default action ends the process. The handler blocks
/// SIGPIPE while it runs (its sa_mask), so the signal waits on the thread; it is taken back
/// here before the handler returns, and the pipe is given up until the next session makes a
/// new one (async callers are left out of samples until then).
static inline int rp_is_readable(uintptr_t address, size_t length) {
    uint64_t descriptors = atomic_load_explicit(&rp_probe_descriptors, memory_order_acquire);
    if (descriptors == RP_NO_PROBE) return 0;
    int in = (int)(descriptors >> 32), out = (int)(uint32_t)descriptors;
    ssize_t written = write(out, (const void *)address, length);
    if (written < 0 && errno == EPIPE) {
        sigset_t pipe_signal;
        sigemptyset(&pipe_signal);
        sigaddset(&pipe_signal, SIGPIPE);
        struct timespec no_wait = {0, 0};
        // The raw system call: async-signal-safe, and it returns at once. A blocked signal is
        // queued even when the process ignores it, so it is taken back then too. Standard
        // signals merge: a SIGPIPE the app itself had pending on this thread, blocked, is taken
        // with it (an app that blocks SIGPIPE reads EPIPE from its writes anyway).
        (void)syscall(SYS_rt_sigtimedwait, &pipe_signal, NULL, &no_wait, (size_t)(_NSIG / 8));
        atomic_compare_exchange_strong(&rp_probe_descriptors, &descriptors, RP_NO_PROBE);
        return 0;
    }
    if (written <= 0) return 0;
    uint8_t drained[16];
    size_t left = (size_t)written;
    while (left > 0) {
        ssize_t got = read(in, drained, left < sizeof(drained) ? left : sizeof(drained));
        if (got <= 0) break;
        left -= (size_t)got;
    }
    return (size_t)written == length;
}

/// Whether the 16 bytes at `ctx` can be read, trusting the pages in `cache` (when given) and
/// keeping each page found readable there.
static inline int rp_context_is_readable(uintptr_t ctx, rp_page_cache *cache) {
    uintptr_t page = ctx & ~(atomic_load_explicit(&rp_page_size, memory_order_relaxed) - 1);
    if (cache) {
        for (int i = 0; i < RP_CHECKED_PAGES; i++) {
            if (cache->pages[i] == page) return 1;
        }
    }
    if (!rp_is_readable(ctx, 16)) return 0;
    if (cache) {
        cache->pages[cache->next] = page;
        cache->next = (cache->next + 1) % RP_CHECKED_PAGES;
    }
    return 1;
}

/// Follows a Swift async-context chain from `ctx`: each context holds its parent at +0 and the
/// parent's resume address at +8. Appends the resume addresses (innermost first) while the
/// contexts look like heap pointers (aligned, user space, outside [avoid_low, avoid_high)) and
/// the addresses lie in code. Pure reads: safe in the signal handler.
///
/// With `checks`, each context is checked to be readable before it is read (rp_is_readable),
/// trusting the pages of `cache` when one is given, for the parents only. The first context
/// comes from [fp - 8] of a frame the runtime's job runner called, and not every such frame
/// is an async function's: a simple job's (an actor's drain, an isolated deinit) holds a
/// saved register there, any value at all, and a stale frame record found by the fallback scan
/// an old context, perhaps freed and unmapped. A page the cache trusts held a live context
/// earlier in the session and may be unmapped since (a large task-allocator slab freed, a
/// trimmed heap), so the first context is always checked; its parents are the contexts of
/// the live task that reached it, which keep their pages mapped.
RP_READS_FOREIGN_MEMORY static inline int rp_follow_context_chain(uintptr_t ctx, uintptr_t *out, int capacity,
                                          uintptr_t avoid_low, uintptr_t avoid_high,
                                          uintptr_t *hit_start, uintptr_t *hit_end,
                                          int checks, rp_page_cache *cache) {
    int n = 0;
    while (n < capacity && ctx >= 0x10000 && (ctx & 0xf) == 0 && ctx < 0x800000000000ull
           && !(ctx >= avoid_low && ctx < avoid_high)) {
        // 16-byte aligned: both words lie in ctx's page.
        if (checks && !rp_context_is_readable(ctx, n == 0 ? NULL : cache)) break;
        uintptr_t parent = ((const uintptr_t *)ctx)[0];
        uintptr_t resume = ((const uintptr_t *)ctx)[1];
        if (!rp_code_range_of(resume, hit_start, hit_end)) break;
        out[n++] = resume;
        if (parent == 0 || parent == ctx) break;
        ctx = parent;
    }
    return n;
}
int rp_sampler_install_action(void);
/// Makes sure the probe pipe's two descriptors still are the pipe made for it: see
/// rp_sampler_install. Not signal-safe.
void rp_probe_pipe_check(void);

#endif
