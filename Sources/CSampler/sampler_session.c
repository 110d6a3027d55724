// Session lifecycle (off the signal path): claim a slot, map buffers, create and arm the
// per-thread timer, stop it safely, free everything.
#ifdef __linux__
#include "rp_internal.h"
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <malloc.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

static pthread_once_t rp_install_once = PTHREAD_ONCE_INIT;
static int rp_install_result;
static void rp_install(void) { rp_install_result = rp_sampler_install_action(); }

// ---- the probe pipe -----------------------------------------------------------------------

static pthread_mutex_t rp_probe_lock = PTHREAD_MUTEX_INITIALIZER;
static dev_t rp_probe_device;
static ino_t rp_probe_inode;

/// Whether `fd` still is an end of the probe pipe, opened for `access` and non-blocking.
static int rp_probe_end_is_ours(int fd, int access) {
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISFIFO(st.st_mode)) return 0;
    if (st.st_dev != rp_probe_device || st.st_ino != rp_probe_inode) return 0;
    int flags = fcntl(fd, F_GETFL);
    return flags >= 0 && (flags & O_ACCMODE) == access && (flags & O_NONBLOCK);
}

void rp_probe_pipe_check(void) {
    pthread_mutex_lock(&rp_probe_lock);
    uint64_t descriptors = atomic_load(&rp_probe_descriptors);
    int in = (int)(descriptors >> 32), out = (int)(uint32_t)descriptors;
    int in_ours = descriptors != RP_NO_PROBE && rp_probe_end_is_ours(in, O_RDONLY);
    int out_ours = descriptors != RP_NO_PROBE && rp_probe_end_is_ours(out, O_WRONLY);
    if (!(in_ours && out_ours)) {
        // The app closed one of them (a daemon closing every descriptor, say) and the number
        // went to a file or a socket of its own, or dup2'd over it: the handler would write
        // the memory it probes there, or block on it. A new pipe. An end still ours is left
        // open (one descriptor, rarely): a handler on another thread may have loaded the old
        // word just before the store below, and closing its read end under it would raise
        // SIGPIPE there, or hand its number to a file of the app's.
        int probe[2];
        uint64_t replacement = RP_NO_PROBE;
        struct stat st;
        if (pipe2(probe, O_CLOEXEC | O_NONBLOCK) == 0) {
            if (fstat(probe[0], &st) == 0) {
                rp_probe_device = st.st_dev;
                rp_probe_inode = st.st_ino;
                replacement = (uint64_t)(uint32_t)probe[0] << 32 | (uint32_t)probe[1];
            } else {
                close(probe[0]);
                close(probe[1]);
            }
        }
        atomic_store(&rp_probe_descriptors, replacement);
    }
    pthread_mutex_unlock(&rp_probe_lock);
}

void rp_sampler_probe_descriptors(int *read_end, int *write_end) {
    uint64_t descriptors = atomic_load(&rp_probe_descriptors);
    *read_end = descriptors == RP_NO_PROBE ? -1 : (int)(descriptors >> 32);
    *write_end = descriptors == RP_NO_PROBE ? -1 : (int)(uint32_t)descriptors;
}

// ---- the handler ---------------------------------------------------------------------------

int rp_sampler_install(void) {
    pthread_once(&rp_install_once, rp_install);
    if (rp_install_result) return rp_install_result;
    // Before every session (four system calls): the app may have closed or dup2'd over the
    // probe pipe's descriptors since the last one. Without a pipe (no descriptor left) async
    // chains are not followed: a sample without async callers beats a fault in the handler.
    rp_probe_pipe_check();
    // Checked before every session, not only the first: a library that replaced the handler
    // since (or restored SIG_DFL) would get our timer's signals, and SIG_DFL terminates.
    struct sigaction current;
    if (sigaction(SIGPROF, NULL, &current) != 0) return errno;
    if (!(current.sa_flags & SA_SIGINFO) || current.sa_sigaction != rp_signal_handler) return RP_ERROR_HANDLER_REPLACED;
    return 0;
}

void rp_sampler_set_async_resume_range(uintptr_t start, uintptr_t end) {
    atomic_store(&rp_async_resume_end, end);
    atomic_store(&rp_async_resume_start, start);
}

// ---- executable ranges -----------------------------------------------------------------

typedef struct { size_t count, capacity; uintptr_t (*pairs)[2]; } rp_range_list;

static int rp_collect_ranges(struct dl_phdr_info *info, size_t size, void *data) {
    (void)size;
    rp_range_list *list = data;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type != PT_LOAD || !(ph->p_flags & PF_X)) continue;
        if (list->count == list->capacity) {
            size_t capacity = list->capacity ? list->capacity * 2 : 64;
            void *grown = realloc(list->pairs, capacity * sizeof(*list->pairs));
            if (!grown) return 1;
            list->pairs = grown;
            list->capacity = capacity;
        }
        list->pairs[list->count][0] = info->dlpi_addr + ph->p_vaddr;
        list->pairs[list->count][1] = info->dlpi_addr + ph->p_vaddr + ph->p_memsz;
        list->count++;
    }
    return 0;
}

static int rp_compare_ranges(const void *a, const void *b) {
    uintptr_t x = ((const uintptr_t *)a)[0], y = ((const uintptr_t *)b)[0];
    return x < y ? -1 : x > y;
}

static pthread_mutex_t rp_ranges_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned long long rp_ranges_adds, rp_ranges_subs;

static int rp_read_load_counters_entry(struct dl_phdr_info *info, size_t size, void *data) {
    unsigned long long *counters = data;
    if (size >= offsetof(struct dl_phdr_info, dlpi_subs) + sizeof(info->dlpi_subs)) {
        counters[0] = info->dlpi_adds;
        counters[1] = info->dlpi_subs;
    }
    return 1;  // the counters are the same in every entry: one is enough
}

void rp_read_load_counters(unsigned long long counters[2]) {
    counters[0] = ~0ull;
    counters[1] = ~0ull;
    dl_iterate_phdr(rp_read_load_counters_entry, counters);
}

uintptr_t rp_main_program_headers(void) {
    return (uintptr_t)getauxval(AT_PHDR);
}

/// Whether the published table was built at these load counters. Under rp_ranges_lock.
static int rp_ranges_are_current(const unsigned long long counters[2]) {
    return atomic_load(&rp_current_code_ranges) != NULL && counters[0] == rp_ranges_adds
        && counters[1] == rp_ranges_subs && counters[0] != ~0ull;
}

int rp_sampler_refresh_code_ranges(void) {
    // Rebuild only when images were loaded or unloaded since the last table (glibc counts
    // them): retired tables are never freed, so rebuilding on every session would leak.
    unsigned long long counters[2];
    rp_read_load_counters(counters);
    pthread_mutex_lock(&rp_ranges_lock);
    int current = rp_ranges_are_current(counters);
    pthread_mutex_unlock(&rp_ranges_lock);
    if (current) return 0;
    rp_range_list list = {0};
    dl_iterate_phdr(rp_collect_ranges, &list);
    qsort(list.pairs, list.count, sizeof(*list.pairs), rp_compare_ranges);
    rp_code_ranges *table = malloc(sizeof(rp_code_ranges) + list.count * sizeof(table->ranges[0]));
    if (!table) { free(list.pairs); return ENOMEM; }
    table->count = list.count;
    for (size_t i = 0; i < list.count; i++) {
        table->ranges[i].start = list.pairs[i][0];
        table->ranges[i].end = list.pairs[i][1];
    }
    free(list.pairs);
    pthread_mutex_lock(&rp_ranges_lock);
    int newer_published = atomic_load(&rp_current_code_ranges) != NULL && counters[0] != ~0ull
        && rp_ranges_adds != ~0ull && (rp_ranges_adds > counters[0] || rp_ranges_subs > counters[1]);
    if (rp_ranges_are_current(counters) || newer_published) {
        // Another session's start built the same table meanwhile, or one of images loaded
        // since: ours is not published.
        pthread_mutex_unlock(&rp_ranges_lock);
        free(table);
        return 0;
    }
    rp_code_ranges *old = atomic_exchange(&rp_current_code_ranges, table);
    rp_ranges_adds = counters[0];
    rp_ranges_subs = counters[1];
    pthread_mutex_unlock(&rp_ranges_lock);
    // A handler may still be reading the old table; it is small, so it is never freed rather
    // than risk a use-after-free in a signal handler. New tables are only built when the set
    // of images may have changed.
    (void)old;
    return 0;
}

// ---- sessions ---------------------------------------------------------------------------

/// Writes one byte per page of the first RP_PREFAULT_BYTES of a fresh (zeroed) mapping.
#define RP_PREFAULT_BYTES (64u * 1024u)  /* ~270 samples at 1 ms; ~0.2 ms per session */
static void rp_prefault(void *start, size_t size) {
    volatile uint8_t *bytes = start;
    size_t limit = size < RP_PREFAULT_BYTES ? size : RP_PREFAULT_BYTES;
    for (size_t offset = 0; offset < limit; offset += 4096) bytes[offset] = 0;
}

// ---- parked mappings ---------------------------------------------------------------------
//
// Mapping, prefaulting and unmapping a session's buffers was a third of what a short
// automatic profile cost (page faults, then a TLB flush at munmap). A destroyed session's
// mapping is parked instead, trimmed back to its prefaulted pages, and the next session of
// the same size takes it as is. At most RP_PARKED_MAPPINGS are kept, each holding only
// ~4 x RP_PREFAULT_BYTES of memory.

#define RP_PARKED_MAPPINGS 4
static pthread_mutex_t rp_parked_lock = PTHREAD_MUTEX_INITIALIZER;
static struct { void *mapping; size_t size; } rp_parked[RP_PARKED_MAPPINGS];

static void *rp_take_parked_mapping(size_t size) {
    void *found = NULL;
    pthread_mutex_lock(&rp_parked_lock);
    for (int i = 0; i < RP_PARKED_MAPPINGS; i++) {
        if (rp_parked[i].mapping && rp_parked[i].size == size) {
            found = rp_parked[i].mapping;
            rp_parked[i].mapping = NULL;
            break;
        }
    }
    pthread_mutex_unlock(&rp_parked_lock);
    return found;
}

/// Gives back the pages of [start + RP_PREFAULT_BYTES, start + used) to the kernel (they read
/// as zeros when touched again), so a parked mapping holds no more than a fresh one.
static void rp_trim(void *start, uint64_t used) {
    if (used <= RP_PREFAULT_BYTES) return;
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    uintptr_t from = ((uintptr_t)start + RP_PREFAULT_BYTES + page - 1) & ~(page - 1);
    uintptr_t to = ((uintptr_t)start + used) & ~(page - 1);  // never into the next buffer
    if (to > from) madvise((void *)from, to - from, MADV_DONTNEED);
}

/// Parks `s`'s mapping for reuse; 0 when the pool is full (the caller unmaps it). The mapping
/// is trimmed before it is published: once parked, another session may take it and its
/// handler write into it at any moment.
static int rp_park_mapping(rp_session *s) {
    rp_trim(s->samples, (uint64_t)s->count * sizeof(rp_sample));
    rp_trim(s->frames, s->frames_used * sizeof(uintptr_t));
    rp_trim(s->capture_costs, (uint64_t)s->count * sizeof(uint32_t));
    if (s->snapshots) rp_trim(s->snapshots, s->snapshots_used);
    int parked = 0;
    pthread_mutex_lock(&rp_parked_lock);
    for (int i = 0; i < RP_PARKED_MAPPINGS && !parked; i++) {
        if (!rp_parked[i].mapping) {
            rp_parked[i].mapping = s->mapping;
            rp_parked[i].size = s->mapping_size;
            parked = 1;
        }
    }
    pthread_mutex_unlock(&rp_parked_lock);
    return parked;
}

uint64_t rp_snapshot_pool_bytes(uint32_t max_samples, uint32_t average_snapshot) {
    uint64_t bytes = (uint64_t)max_samples * average_snapshot;
    // A sample keeps its copy's offset in 32 bits: a larger pool would wrap it.
    return bytes > UINT32_MAX ? UINT32_MAX : bytes;
}

static int rp_claim_slot(void) {
    for (int i = 0; i < RP_MAX_SESSIONS; i++) {
        int expected = 0;
        if (atomic_compare_exchange_strong(&rp_slots[i].claimed, &expected, 1)) return i;
    }
    return -1;
}

rp_session *rp_session_create(const rp_config *config, int *error) {
    if (config->interval_ns == 0 || config->max_samples == 0) { *error = EINVAL; return NULL; }
    int slot = rp_claim_slot();
    if (slot < 0) { *error = EBUSY; return NULL; }

    rp_session *s = calloc(1, sizeof(rp_session));
    if (!s) { atomic_store(&rp_slots[slot].claimed, 0); *error = ENOMEM; return NULL; }
    s->config = *config;
    s->slot = slot;
    uint64_t samples = config->max_samples;
    uint64_t average = config->average_frames < 8 ? 8 : config->average_frames;
    s->frame_capacity = samples * average;
    if (s->frame_capacity < RP_MAX_FRAMES * 2) s->frame_capacity = RP_MAX_FRAMES * 2;
    s->snapshot_capacity = rp_snapshot_pool_bytes(config->max_samples, config->average_snapshot);

    // One mapping for everything; MAP_NORESERVE: pages cost memory only once the handler
    // touches them, so generous bounds are cheap.
    size_t sample_bytes = (size_t)samples * sizeof(rp_sample);
    size_t frame_bytes = (size_t)s->frame_capacity * sizeof(uintptr_t);
    // Rounded up to 16 bytes: the snapshots after it are written as 8-byte words, and an odd
    // sample count (60 s at 0.7 ms) left them 4 bytes off.
    size_t cost_bytes = ((size_t)samples * sizeof(uint32_t) + 15) & ~(size_t)15;
    size_t total = sample_bytes + frame_bytes + cost_bytes + (size_t)s->snapshot_capacity + 64;
    int reused = 0;
    void *mapping = rp_take_parked_mapping(total);
    if (mapping) reused = 1;
    else mapping = mmap(NULL, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (mapping == MAP_FAILED) {
        free(s);
        atomic_store(&rp_slots[slot].claimed, 0);
        *error = ENOMEM;
        return NULL;
    }
    s->mapping = mapping;
    s->mapping_size = total;
    uint8_t *cursor = mapping;
    s->samples = (rp_sample *)cursor; cursor += sample_bytes;
    s->frames = (uintptr_t *)cursor; cursor += frame_bytes;
    s->capture_costs = (uint32_t *)cursor; cursor += cost_bytes;
    s->snapshots = s->snapshot_capacity ? cursor : NULL;
    s->stopped = 1;
    // Touch the first pages of each buffer now, so that a typical request's samples take no
    // page faults inside the signal handler; the rest is faulted in only if used. A parked
    // mapping kept exactly those pages (rp_park_mapping), so it needs no touching.
    if (!reused) {
        rp_prefault(s->samples, sample_bytes);
        rp_prefault(s->frames, frame_bytes);
        rp_prefault(s->capture_costs, cost_bytes);
        if (s->snapshots) rp_prefault(s->snapshots, (size_t)s->snapshot_capacity);
    }

    rp_slot *entry = &rp_slots[slot];
    s->generation = atomic_fetch_add(&entry->generation, 1) + 1;
    atomic_store(&entry->session, s);
    return s;
}

static uint64_t rp_clock(clockid_t clock) {
    struct timespec ts;
    if (clock_gettime(clock, &ts) != 0) return 0;
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

int rp_session_start(rp_session *s, pid_t tid, uintptr_t stack_low, uintptr_t stack_high, int cpu_clock) {
    // The handler trusts these bounds for every read of the stack: unknown ones (0, 0 when
    // pthread_getattr_np failed) would let the frame walk wrap around and fault.
    if (stack_high <= stack_low || stack_high - stack_low < 4096) return EINVAL;
    int installed = rp_sampler_install();
    if (installed) return installed;
    s->tid = tid;
    s->stack_low = stack_low;
    s->stack_high = stack_high;
    s->cpu_clock = (clockid_t)cpu_clock;

    struct sigevent event;
    memset(&event, 0, sizeof(event));
    event.sigev_notify = SIGEV_THREAD_ID;
    event.sigev_signo = SIGPROF;
    event._sigev_un._tid = tid;  // glibc 2.36 has no sigev_notify_thread_id macro
    event.sigev_value.sival_ptr = (void *)(uintptr_t)rp_make_token(s->generation, s->slot);
    if (timer_create(CLOCK_MONOTONIC, &event, &s->timer) != 0) return errno;
    s->timer_created = 1;

    s->start_wall_ns = rp_clock(CLOCK_MONOTONIC);
    s->start_cpu_ns = rp_clock(s->cpu_clock);
    s->deadline_ns = s->config.max_duration_ns ? s->start_wall_ns + s->config.max_duration_ns : 0;
    s->stopped = 0;
    rp_slot *entry = &rp_slots[s->slot];
    atomic_store(&entry->active, 1);

    struct itimerspec spec;
    spec.it_interval.tv_sec = (time_t)(s->config.interval_ns / 1000000000ull);
    spec.it_interval.tv_nsec = (long)(s->config.interval_ns % 1000000000ull);
    spec.it_value = spec.it_interval;
    if (timer_settime(s->timer, 0, &spec, NULL) != 0) {
        int failure = errno;
        atomic_store(&entry->active, 0);
        timer_delete(s->timer);
        s->timer_created = 0;
        s->stopped = 1;
        return failure;
    }
    return 0;
}

void rp_session_stop(rp_session *s) {
    if (s->stopped) return;
    rp_slot *entry = &rp_slots[s->slot];
    atomic_store(&entry->active, 0);
    if (s->timer_created) { timer_delete(s->timer); s->timer_created = 0; }
    // A signal already being delivered may still enter the handler; it sees active == 0 or
    // is counted in `inflight`. Wait for those to leave before anyone reads the buffers.
    while (atomic_load(&entry->inflight) != 0) {
        struct timespec pause = {0, 20000};
        nanosleep(&pause, NULL);
    }
    s->stop_wall_ns = rp_clock(CLOCK_MONOTONIC);
    s->stop_cpu_ns = rp_clock(s->cpu_clock);
    s->stopped = 1;
}

void rp_session_destroy(rp_session *s) {
    if (!s) return;
    rp_session_stop(s);
    rp_slot *entry = &rp_slots[s->slot];
    // A new generation makes any signal still carrying this session's token harmless, even
    // once the slot is reused.
    atomic_store(&entry->session, NULL);
    atomic_fetch_add(&entry->generation, 1);
    if (!rp_park_mapping(s)) munmap(s->mapping, s->mapping_size);
    int slot = s->slot;
    free(s);
    atomic_store(&rp_slots[slot].claimed, 0);
}

void rp_session_set_idle(rp_session *s, int idle) { atomic_store_explicit(&s->idle, idle, memory_order_relaxed); }
uint32_t rp_session_sample_count(const rp_session *s) { return s->count; }
const rp_sample *rp_session_samples(const rp_session *s) { return s->samples; }
const uintptr_t *rp_session_frames(const rp_session *s) { return s->frames; }
const uint8_t *rp_session_snapshots(const rp_session *s) { return s->snapshots; }
uint64_t rp_session_dropped(const rp_session *s) { return s->dropped; }
int rp_session_truncated(const rp_session *s) { return s->truncated; }
uint64_t rp_session_start_wall_ns(const rp_session *s) { return s->start_wall_ns; }
uint64_t rp_session_start_cpu_ns(const rp_session *s) { return s->start_cpu_ns; }
uint64_t rp_session_stop_wall_ns(const rp_session *s) { return s->stop_wall_ns; }
uint64_t rp_session_stop_cpu_ns(const rp_session *s) { return s->stop_cpu_ns; }
const uint32_t *rp_session_capture_costs(const rp_session *s) { return s->capture_costs; }

// ---- helpers ------------------------------------------------------------------------------

int rp_current_thread_info(pid_t *tid, uintptr_t *stack_low, uintptr_t *stack_high) {
    *tid = gettid();
    pthread_attr_t attr;
    int result = pthread_getattr_np(pthread_self(), &attr);
    if (result) return result;
    void *address = NULL;
    size_t size = 0;
    result = pthread_attr_getstack(&attr, &address, &size);
    pthread_attr_destroy(&attr);
    if (result) return result;
    *stack_low = (uintptr_t)address;
    *stack_high = (uintptr_t)address + size;
    return 0;
}

int rp_return_free_heap(void) { return malloc_trim(0); }

/* /proc/self/pagemap, one 64-bit entry per page: bit 63 present, bit 61 the page is a file
   page (or shared anonymous), so not a private copy this process wrote. */
#define RP_PAGEMAP_PRESENT (1ull << 63)
#define RP_PAGEMAP_FILE (1ull << 61)

size_t rp_drop_file_pages(const void *base, size_t size) {
    long page = sysconf(_SC_PAGESIZE);
    if (page <= 0 || !base || size == 0) return 0;
    uintptr_t start = (uintptr_t)base & ~((uintptr_t)page - 1);
    uintptr_t end = ((uintptr_t)base + size + (uintptr_t)page - 1) & ~((uintptr_t)page - 1);
    int fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 0;
    size_t dropped = 0;
    uint64_t entries[512];
    uintptr_t run = 0;  /* start of the current run of droppable pages, 0 when none */
    for (uintptr_t chunk = start; chunk < end; chunk += sizeof entries / sizeof entries[0] * (uintptr_t)page) {
        size_t count = (end - chunk) / (uintptr_t)page;
        if (count > sizeof entries / sizeof entries[0]) count = sizeof entries / sizeof entries[0];
        off_t offset = (off_t)(chunk / (uintptr_t)page * sizeof(uint64_t));
        ssize_t got = pread(fd, entries, count * sizeof(uint64_t), offset);
        if (got < (ssize_t)(count * sizeof(uint64_t))) break;
        for (size_t i = 0; i <= count; i++) {
            uintptr_t address = chunk + i * (uintptr_t)page;
            int droppable = i < count && (entries[i] & RP_PAGEMAP_PRESENT) && (entries[i] & RP_PAGEMAP_FILE);
            if (droppable && !run) run = address;
            /* A run ends at a page that must stay, and at the chunk's end (flushed there so
               that no run spans two reads). */
            if (run && (!droppable || i == count)) {
                if (madvise((void *)run, address - run, MADV_DONTNEED) == 0) dropped += address - run;
                run = 0;
            }
        }
    }
    close(fd);
    return dropped;
}

int rp_read_own_memory(void *into, uintptr_t address, size_t size) {
    // /proc/self/mem with plain open and pread, not process_vm_readv: seccomp filters often
    // leave that debugging call out (systemd has grouped it under @debug), and a service whose
    // filter kills (SIGSYS, systemd's default action) would die on the first call. An unmapped
    // address fails with EIO.
    if (address > (uintptr_t)INT64_MAX || size > (uintptr_t)INT64_MAX - address) return 0;
    int fd = open("/proc/self/mem", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 0;
    size_t done = 0;
    while (done < size) {
        ssize_t got = pread(fd, (char *)into + done, size - done, (off_t)(address + done));
        if (got <= 0) break;
        done += (size_t)got;
    }
    close(fd);
    return done == size;
}

int rp_memory_file(const char *name) { return memfd_create(name, MFD_CLOEXEC); }

void rp_name_current_thread(const char *name) { prctl(PR_SET_NAME, name, 0, 0, 0); }

/// The alternate stack's size: 64 KB, or four times the kernel's minimum signal stack where
/// that is larger (large vector state), in whole pages.
static size_t rp_alternate_stack_size(size_t page) {
    size_t size = 64 * 1024;
#ifdef _SC_MINSIGSTKSZ
    long minimum = sysconf(_SC_MINSIGSTKSZ);
    if (minimum > 0 && (size_t)minimum * 4 > size) size = (size_t)minimum * 4;
#endif
    return (size + page - 1) / page * page;
}

void *rp_thread_alternate_stack_install(void) {
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t size = rp_alternate_stack_size(page);
    void *mapping = mmap(NULL, size + page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    if (mapping == MAP_FAILED) return NULL;
    // Stacks grow down: the guard page is the mapping's first.
    stack_t alternate = {.ss_sp = (uint8_t *)mapping + page, .ss_size = size, .ss_flags = 0};
    if (mprotect(mapping, page, PROT_NONE) != 0 || sigaltstack(&alternate, NULL) != 0) {
        munmap(mapping, size + page);
        return NULL;
    }
    return mapping;
}

void rp_thread_alternate_stack_remove(void *mapping) {
    if (!mapping) return;
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    stack_t disable = {.ss_sp = NULL, .ss_size = 0, .ss_flags = SS_DISABLE};
    // Fails (EPERM) only when called on the alternate stack itself: then it stays mapped.
    if (sigaltstack(&disable, NULL) != 0) return;
    munmap(mapping, rp_alternate_stack_size(page) + page);
}

int rp_process_timer_count(void) {
    FILE *file = fopen("/proc/self/timers", "r");
    if (!file) return -1;
    char line[256];
    int count = 0;
    while (fgets(line, sizeof line, file)) {
        if (strncmp(line, "ID:", 3) == 0) count++;
    }
    fclose(file);
    return count;
}

// Job layout (swift/ABI/Task.h, 64-bit): HeapObject (16) | SchedulerPrivate[2] (16) |
// Flags (4) | Id (4) | Voucher (8) | Reserved (8) | ResumeTask (8, offset 56) ;
// AsyncTask adds ResumeContext at offset 64. JobKind::Task is 0 in the low byte of Flags.
RP_READS_FOREIGN_MEMORY int rp_read_job_async_chain(const void *job, uintptr_t *out, int capacity) {
    if (!job || capacity <= 0) return 0;
    const uint8_t *bytes = job;
    uint32_t flags = *(const uint32_t *)(bytes + 32);
    if ((flags & 0xff) != 0) return 0;
    uintptr_t resume = *(const uintptr_t *)(bytes + 56);
    uintptr_t ctx = *(const uintptr_t *)(bytes + 64);
    if (!rp_sampler_is_code_address(resume)) return 0;
    out[0] = resume;
    uintptr_t hit_start = 0, hit_end = 0;
    return 1 + rp_follow_context_chain(ctx, out + 1, capacity - 1, 0, 0, &hit_start, &hit_end, 0, NULL);
}
#endif