// The signal handler. Async-signal-safe by construction: it reads the interrupted registers,
// walks frame pointers inside the thread's own stack, follows the Swift async-context chain
// only from a frame proven to be an async partial function (each context checked readable
// first: rp_is_readable), copies a bounded slice of stack,
// and writes into preallocated buffers. No malloc, no locks, no libunwind, no Swift runtime.
#ifdef __linux__
#include "rp_internal.h"
#include <errno.h>
#include <ucontext.h>
#include <unistd.h>

rp_slot rp_slots[RP_MAX_SESSIONS];
rp_code_ranges *_Atomic rp_current_code_ranges;
_Atomic uintptr_t rp_async_resume_start, rp_async_resume_end;

static inline uint64_t rp_clock_ns(clockid_t clock) {
    struct timespec ts;
    if (clock_gettime(clock, &ts) != 0) return 0;
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

uint64_t rp_monotonic_ns(void) { return rp_clock_ns(CLOCK_MONOTONIC); }

int rp_code_range_lookup(uintptr_t address, uintptr_t *start, uintptr_t *end) {
    rp_code_ranges *table = atomic_load_explicit(&rp_current_code_ranges, memory_order_acquire);
    if (!table) return 0;
    size_t low = 0, high = table->count;
    while (low < high) {
        size_t mid = (low + high) / 2;
        if (address < table->ranges[mid].start) high = mid;
        else if (address >= table->ranges[mid].end) low = mid + 1;
        else {
            *start = table->ranges[mid].start;
            *end = table->ranges[mid].end;
            return 1;
        }
    }
    return 0;
}

int rp_sampler_is_code_address(uintptr_t address) {
    uintptr_t start, end;
    return rp_code_range_lookup(address, &start, &end);
}

/// Appends the async callers of the partial function whose frame is `fp`: its context is at
/// [fp - 8]. Contexts live on the heap (the task allocator), never on this thread's stack.
/// `scanned`: the frame came from the fallback scan, perhaps a stale record: its chain is
/// checked page by page without the session's cache.
RP_READS_FOREIGN_MEMORY static int rp_walk_async_chain(rp_session *s, uintptr_t fp, uintptr_t *out, int capacity, int scanned) {
    if (fp - 8 < s->stack_low) return 0;
    uintptr_t ctx = *(const uintptr_t *)(fp - 8);
    return rp_follow_context_chain(ctx, out, capacity, s->stack_low, s->stack_high,
                                   &s->code_hit_start, &s->code_hit_end, 1, scanned ? NULL : &s->context_pages);
}

int rp_sampler_follow_context_chain(uintptr_t ctx, uintptr_t *out, int capacity) {
    // Kept across calls, as a session keeps its pages across samples (per thread: tests call
    // it from several).
    static _Thread_local rp_page_cache pages;
    uintptr_t hit_start = 0, hit_end = 0;
    return rp_follow_context_chain(ctx, out, capacity, 0, 0, &hit_start, &hit_end, 1, &pages);
}

/// Walks frame records from `fp`, appending return addresses after frames[n - 1]. Stops at the
/// first record outside this thread's stack, and switches to the async chain at the frame of
/// the outermost async partial function.
RP_READS_FOREIGN_MEMORY static int rp_walk_frames(rp_session *s, rp_sample *sample, uintptr_t *frames, int n,
                          uintptr_t fp, uintptr_t sp, int *async) {
    uintptr_t resume_start = atomic_load_explicit(&rp_async_resume_start, memory_order_relaxed);
    uintptr_t resume_end = atomic_load_explicit(&rp_async_resume_end, memory_order_relaxed);
    // Frame records are two words: [fp] = caller's fp, [fp + 8] = return address. A valid chain
    // lies inside this thread's stack, above sp, strictly increasing.
    while (n < RP_MAX_FRAMES) {
        if (fp < sp || fp < s->stack_low || fp > s->stack_high - 16 || (fp & 7) != 0) break;
        uintptr_t next = ((const uintptr_t *)fp)[0];
        uintptr_t ret = ((const uintptr_t *)fp)[1];
        if (ret < 0x1000) break;
        if (resume_start && ret >= resume_start && ret < resume_end) {
            // `fp` belongs to the outermost async partial function, called by the runtime's
            // task-resume function: follow its async callers instead of the executor frames.
            int count = rp_walk_async_chain(s, fp, &frames[n], RP_MAX_FRAMES - n, (sample->flags & RP_SAMPLE_SCANNED) != 0);
            if (count > 0) {
                // The boundary's frame record, for the off-path unwind to join at (the frame
                // that would have run at frames[n]: the runtime's, its sp is fp + 16).
                if (n - 1 < RP_JOIN_FRAMES) sample->frame_pointers[n - 1] = fp;
                sample->native_count = (uint16_t)n;
                sample->async_count = (uint16_t)count;
                sample->flags |= RP_SAMPLE_ASYNC;
                *async = 1;
                return n + count;
            }
        }
        if (n - 1 < RP_JOIN_FRAMES) sample->frame_pointers[n - 1] = fp;
        frames[n++] = ret;
        if (next <= fp) break;
        fp = next;
    }
    return n;
}

/// The lowest address above sp that holds a plausible frame record: a saved frame pointer
/// pointing higher up this stack, followed by an address inside executable code.
///
/// Only when sp is on the thread's own stack: a thread interrupted on another one (a signal
/// handler on its sigaltstack, a coroutine's stack) has nothing known mapped above sp, and a
/// scan running into that stack's guard page faulted inside this handler.
RP_READS_FOREIGN_MEMORY static uintptr_t rp_find_frame_record(rp_session *s, uintptr_t sp) {
    if (sp < s->stack_low || sp >= s->stack_high) return 0;
    uintptr_t p = (sp + 7) & ~(uintptr_t)7;
    uintptr_t end = p + RP_SNAPSHOT_MAX;
    if (end > s->stack_high - 16) end = s->stack_high - 16;
    for (; p < end; p += 8) {
        uintptr_t saved = ((const uintptr_t *)p)[0];
        if (saved <= p || saved > s->stack_high - 16 || (saved & 7) != 0) continue;
        if (rp_code_range_of(((const uintptr_t *)p)[1], &s->code_hit_start, &s->code_hit_end)) return p;
    }
    return 0;
}

/// Whether the interrupted thread was in a system call. A blocking call interrupted by a
/// restartable signal has its pc rewound onto the `syscall` instruction (0f 05); one that
/// returns EINTR stops just after it with rax == -EINTR. (async-profiler uses the same test.)
/// Code pages are readable; the page-offset checks keep both reads inside pc's page.
static inline int rp_in_syscall(uintptr_t pc, int64_t rax) {
#if defined(__x86_64__)
    const uint8_t *code = (const uint8_t *)pc;
    if ((pc & 0xfff) != 0xfff && code[0] == 0x0f && code[1] == 0x05) return 1;
    if ((pc & 0xfff) >= 2 && code[-2] == 0x0f && code[-1] == 0x05 && rax == -EINTR) return 1;
#else
    (void)pc; (void)rax;
#endif
    return 0;
}

RP_READS_FOREIGN_MEMORY static void rp_record(rp_session *s, const siginfo_t *info, const ucontext_t *uc, uint64_t now) {
    if (s->deadline_ns && now >= s->deadline_ns) {
        // Past the maximum duration: disarm (timer_settime is async-signal-safe) and stop recording.
        struct itimerspec off = {0};
        timer_settime(s->timer, 0, &off, NULL);
        s->truncated = 1;
        return;
    }
    if (s->count >= s->config.max_samples) { s->dropped++; return; }
    // Idle samples are dropped too once the frame pool is full, although they take no frames:
    // each sample's wall time runs from the one recorded before it, so an idle sample kept
    // after dropped running ones would take their time (and CPU) as waiting.
    if (s->frames_used + RP_MAX_FRAMES > s->frame_capacity) { s->dropped++; return; }

    rp_sample *sample = &s->samples[s->count];
    sample->wall_ns = now;
    sample->cpu_ns = 0;
    sample->overrun = info->si_overrun > 0 ? (uint32_t)info->si_overrun : 0;
    sample->flags = 0;
    sample->frame_offset = (uint32_t)s->frames_used;
    sample->native_count = 0;
    sample->async_count = 0;
    sample->snapshot_offset = 0;
    sample->snapshot_size = 0;
    sample->snapshot_base = 0;

    if (atomic_load_explicit(&s->idle, memory_order_relaxed)) {
        sample->flags = RP_SAMPLE_IDLE | RP_SAMPLE_SYSCALL;
        s->count++;
        return;
    }
    uint32_t every = s->config.cpu_every ? s->config.cpu_every : 1;
    if (s->count % every == 0) {
        sample->cpu_ns = rp_clock_ns(CLOCK_THREAD_CPUTIME_ID);
        sample->flags |= RP_SAMPLE_CPU;
    }

#if defined(__x86_64__)
    const greg_t *g = uc->uc_mcontext.gregs;
    uintptr_t pc = (uintptr_t)g[REG_RIP], sp = (uintptr_t)g[REG_RSP], fp = (uintptr_t)g[REG_RBP];
    sample->registers[RP_REG_IP] = pc;
    sample->registers[RP_REG_SP] = sp;
    sample->registers[RP_REG_FP] = fp;
    sample->registers[RP_REG_BX] = (uint64_t)g[REG_RBX];
    sample->registers[RP_REG_R12] = (uint64_t)g[REG_R12];
    sample->registers[RP_REG_R13] = (uint64_t)g[REG_R13];
    sample->registers[RP_REG_R14] = (uint64_t)g[REG_R14];
    sample->registers[RP_REG_R15] = (uint64_t)g[REG_R15];
    // The code bytes at pc are read only inside known code: an execute-only page (PKU, a JIT)
    // would fault on the read.
    if (rp_code_range_of(pc, &s->code_hit_start, &s->code_hit_end) && rp_in_syscall(pc, (int64_t)g[REG_RAX]))
        sample->flags |= RP_SAMPLE_SYSCALL;
#elif defined(__aarch64__)
    uintptr_t pc = (uintptr_t)uc->uc_mcontext.pc, sp = (uintptr_t)uc->uc_mcontext.sp, fp = (uintptr_t)uc->uc_mcontext.regs[29];
    sample->registers[RP_REG_IP] = pc;
    sample->registers[RP_REG_SP] = sp;
    sample->registers[RP_REG_FP] = fp;
    sample->registers[RP_REG_BX] = (uint64_t)uc->uc_mcontext.regs[30];
#else
#error "unsupported architecture"
#endif

    uintptr_t *frames = &s->frames[s->frames_used];
    frames[0] = pc;
    int async = 0;
    int n = rp_walk_frames(s, sample, frames, 1, fp, sp, &async);
    // Where the frame-pointer chain takes over: the stack copy only has to reach it.
    uintptr_t chain_start = n > 1 ? fp : 0;
    if (n == 1 && !async) {
        // rbp did not lead anywhere: the leaf is code that uses rbp as a general register
        // (glibc). Look for the nearest frame record above sp and walk from there; the
        // off-path libunwind join keeps these frames only if they match its DWARF unwind.
        uintptr_t record = rp_find_frame_record(s, sp);
        if (record) {
            sample->flags |= RP_SAMPLE_SCANNED;
            n = rp_walk_frames(s, sample, frames, 1, record, sp, &async);
            if (n > 1) chain_start = record;
        }
    }
    if (!async) sample->native_count = (uint16_t)n;
    if (n >= RP_MAX_FRAMES) sample->flags |= RP_SAMPLE_DEEP;
    s->frames_used += (uint64_t)n;

    // Copy the top of the stack for the off-path DWARF unwind of frames without frame pointers:
    // up to the first frame record of the chain walked above, or RP_SNAPSHOT_MAX bytes when
    // no chain was found.
    if (s->snapshot_capacity) {
        uintptr_t top = sp & ~(uintptr_t)7;
        uintptr_t end = top + RP_SNAPSHOT_MAX;
        if (chain_start >= top && chain_start + 16 <= top + RP_SNAPSHOT_MAX) end = chain_start + 16;
        if (end > s->stack_high) end = s->stack_high;
        uintptr_t base = top - RP_RED_ZONE >= s->stack_low ? top - RP_RED_ZONE : top;
        if (base >= s->stack_low && end > base) {
            uint64_t size = end - base;
            if (s->snapshots_used + size <= s->snapshot_capacity) {
                const uint64_t *from = (const uint64_t *)base;
                uint64_t *to = (uint64_t *)(s->snapshots + s->snapshots_used);
                for (uint64_t i = 0; i < size / 8; i++) to[i] = from[i];
                sample->snapshot_offset = (uint32_t)s->snapshots_used;
                sample->snapshot_size = (uint32_t)size;
                sample->snapshot_base = base;
                sample->flags |= RP_SAMPLE_SNAPSHOT;
                s->snapshots_used += size;
            }
        }
    }
    s->count++;
}

static struct sigaction rp_previous_action;
/// Set once rp_previous_action is written (release), read by the handler on any thread (acquire).
static _Atomic int rp_previous_action_valid;

static void rp_chain_previous(int signo, siginfo_t *info, void *context) {
    if (!atomic_load_explicit(&rp_previous_action_valid, memory_order_acquire)) return;
    if (rp_previous_action.sa_flags & SA_SIGINFO) {
        if (rp_previous_action.sa_sigaction) rp_previous_action.sa_sigaction(signo, info, context);
    } else if (rp_previous_action.sa_handler != SIG_DFL && rp_previous_action.sa_handler != SIG_IGN) {
        rp_previous_action.sa_handler(signo);
    }
}

void rp_signal_handler(int signo, siginfo_t *info, void *context) {
    int saved_errno = errno;
    uint64_t entered = rp_clock_ns(CLOCK_MONOTONIC);
    uint64_t token = (uint64_t)(uintptr_t)info->si_value.sival_ptr;
    if (info->si_code != SI_TIMER || (token >> 40) != RP_TOKEN_MAGIC) {
        // Not ours (another profiler's setitimer, kill -PROF): hand it to whoever was first.
        rp_chain_previous(signo, info, context);
        errno = saved_errno;
        return;
    }
    int index = (int)(token & 0xff);
    uint32_t generation = (uint32_t)((token >> 8) & 0xffffffffu);
    if (index < RP_MAX_SESSIONS) {
        rp_slot *slot = &rp_slots[index];
        // Increment before checking `active`: rp_session_stop clears `active` and then waits
        // for `inflight` to drain, so either it sees us or we see it (both seq_cst).
        atomic_fetch_add(&slot->inflight, 1);
        if (atomic_load(&slot->active) && atomic_load(&slot->generation) == generation) {
            rp_session *session = atomic_load(&slot->session);
            if (session) {
                uint32_t before = session->count;
                rp_record(session, info, (const ucontext_t *)context, entered);
                if (session->count > before) {
                    uint64_t cost = rp_clock_ns(CLOCK_MONOTONIC) - entered;
                    session->capture_costs[before] = cost > UINT32_MAX ? UINT32_MAX : (uint32_t)cost;
                }
            }
        }
        atomic_fetch_sub(&slot->inflight, 1);
    }
    errno = saved_errno;
}

_Atomic uintptr_t rp_page_size;
_Atomic uint64_t rp_probe_descriptors = RP_NO_PROBE;

int rp_sampler_install_action(void) {
    long page = sysconf(_SC_PAGESIZE);
    atomic_store_explicit(&rp_page_size, page > 0 ? (uintptr_t)page : 4096, memory_order_relaxed);
    struct sigaction action = {0};
    action.sa_sigaction = rp_signal_handler;
    // SA_ONSTACK: on a sampled thread (rp_thread_alternate_stack_install) the handler runs on
    // its own stack, not at the bottom of a deeply recursing request's.
    action.sa_flags = SA_SIGINFO | SA_RESTART | SA_ONSTACK;
    sigemptyset(&action.sa_mask);
    // SIGPIPE waits while the handler runs: a probe write into a pipe whose read end the app
    // closed raises it, and rp_is_readable takes it back before the handler returns.
    sigaddset(&action.sa_mask, SIGPIPE);
    if (sigaction(SIGPROF, &action, &rp_previous_action) != 0) return errno;
    atomic_store_explicit(&rp_previous_action_valid, rp_previous_action.sa_sigaction != rp_signal_handler, memory_order_release);
    return 0;
}
#endif
