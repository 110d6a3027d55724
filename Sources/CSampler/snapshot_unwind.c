// Off the signal path: DWARF-unwind a sample's copied registers and stack with libunwind's
// remote API (the design of perf's --call-graph dwarf), then join the result to the
// frame-pointer chain the handler recorded. This recovers the frames a frame-pointer walk
// loses in code built without frame pointers (glibc: the caller of read, write, epoll_wait).
//
// libunwind is opened with dlopen(RTLD_LOCAL) on first use instead of being linked: linking
// it makes the whole process's _Unwind_RaiseException bind to libunwind.so.8 (sampler-facts).
#if defined(__linux__) && defined(__x86_64__)
#include "rp_sampler.h"
#include "rp_internal.h"
#include <dlfcn.h>
#include <link.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <libunwind-x86_64.h>

typedef unw_addr_space_t (*rp_create_fn)(unw_accessors_t *, int);
typedef int (*rp_init_remote_fn)(unw_cursor_t *, unw_addr_space_t, void *);
typedef int (*rp_step_fn)(unw_cursor_t *);
typedef int (*rp_get_reg_fn)(unw_cursor_t *, unw_regnum_t, unw_word_t *);
typedef int (*rp_search_fn)(unw_addr_space_t, unw_word_t, unw_dyn_info_t *, unw_proc_info_t *, int, void *);
typedef int (*rp_caching_fn)(unw_addr_space_t, unw_caching_policy_t);
typedef void (*rp_flush_fn)(unw_addr_space_t, unw_word_t, unw_word_t);

static struct {
    rp_create_fn create;
    rp_init_remote_fn init_remote;
    rp_step_fn step;
    rp_get_reg_fn get_reg;
    rp_search_fn search;
    rp_caching_fn caching;
    rp_flush_fn flush;
    unw_addr_space_t space;
} rp_unw;

enum { RP_IMAGE_SEGMENTS = 8 };
/// A loaded image: its span, its readable segments (the only memory read from it: the gaps
/// between segments may be unmapped or PROT_NONE) and its .eh_frame_hdr.
typedef struct {
    uintptr_t start, end, eh_frame_hdr, text_start, text_end;
    int segment_count;
    struct { uintptr_t start, end; } segments[RP_IMAGE_SEGMENTS];
} rp_image;
static rp_image *rp_images;
static size_t rp_image_count;
static pthread_mutex_t rp_unwind_lock = PTHREAD_MUTEX_INITIALIZER;
static int rp_unwind_ready = -1;

static int rp_collect_image(struct dl_phdr_info *info, size_t size, void *data) {
    (void)size; (void)data;
    rp_image image = {UINTPTR_MAX, 0, 0, UINTPTR_MAX, 0, 0, {{0, 0}}};
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        uintptr_t start = info->dlpi_addr + ph->p_vaddr, end = start + ph->p_memsz;
        if (ph->p_type == PT_LOAD) {
            if (start < image.start) image.start = start;
            if (end > image.end) image.end = end;
            if ((ph->p_flags & PF_R) && image.segment_count < RP_IMAGE_SEGMENTS) {
                image.segments[image.segment_count].start = start;
                image.segments[image.segment_count].end = end;
                image.segment_count++;
            }
            if (ph->p_flags & PF_X) {
                if (start < image.text_start) image.text_start = start;
                if (end > image.text_end) image.text_end = end;
            }
        } else if (ph->p_type == PT_GNU_EH_FRAME) {
            image.eh_frame_hdr = start;
        }
    }
    if (image.end == 0 || image.text_end == 0) return 0;
    rp_image *grown = realloc(rp_images, (rp_image_count + 1) * sizeof(rp_image));
    if (!grown) return 1;
    rp_images = grown;
    rp_images[rp_image_count++] = image;
    return 0;
}

static const rp_image *rp_image_for(uintptr_t address) {
    for (size_t i = 0; i < rp_image_count; i++) {
        if (address >= rp_images[i].start && address < rp_images[i].end) return &rp_images[i];
    }
    return NULL;
}

/// The sample being unwound, handed to the accessors through libunwind's `arg`.
typedef struct { const rp_sample *sample; const uint8_t *snapshot; } rp_unwind_arg;

static int rp_find_proc_info(unw_addr_space_t as, unw_word_t ip, unw_proc_info_t *pi, int need, void *arg) {
    const rp_image *image = rp_image_for(ip);
    if (!image || !image->eh_frame_hdr) return -UNW_ENOINFO;
    const uint8_t *hdr = (const uint8_t *)image->eh_frame_hdr;
    // version 1; eh_frame_ptr: pcrel|sdata4; fde_count: udata4; table: datarel|sdata4.
    if (hdr[0] != 1 || hdr[1] != 0x1b || hdr[2] != 0x03 || hdr[3] != 0x3b) return -UNW_ENOINFO;
    uint32_t fde_count;
    memcpy(&fde_count, hdr + 8, sizeof fde_count);
    unw_dyn_info_t info;
    memset(&info, 0, sizeof info);
    info.format = UNW_INFO_FORMAT_REMOTE_TABLE;
    info.start_ip = image->text_start;
    info.end_ip = image->text_end;
    info.u.rti.segbase = image->eh_frame_hdr;
    info.u.rti.table_data = image->eh_frame_hdr + 12;
    info.u.rti.table_len = fde_count * 8 / sizeof(unw_word_t);
    return rp_unw.search(as, ip, &info, pi, need, arg);
}

static void rp_put_unwind_info(unw_addr_space_t as, unw_proc_info_t *pi, void *arg) { (void)as; (void)pi; (void)arg; }
static int rp_get_dyn_info_list_addr(unw_addr_space_t as, unw_word_t *addr, void *arg) { (void)as; (void)addr; (void)arg; return -UNW_ENOINFO; }

// Reads image memory (unwind tables, code) the sanitizers have no shadow for: see RP_READS_FOREIGN_MEMORY.
RP_READS_FOREIGN_MEMORY static int rp_access_mem(unw_addr_space_t as, unw_word_t addr, unw_word_t *value, int write, void *arg) {
    (void)as;
    if (write) return -UNW_EINVAL;
    const rp_unwind_arg *context = arg;
    uintptr_t base = context->sample->snapshot_base;
    uint64_t size = context->sample->snapshot_size;
    // Offsets, not `addr + 8 <= base + size`: libunwind may ask for any address a garbage
    // register points at, and near the top of the address space `addr + 8` wraps around and
    // would pass, reading far outside the copy (found under scripts/sanitize.sh thread).
    if (addr >= base && size >= sizeof(unw_word_t) && addr - base <= size - sizeof(unw_word_t)) {
        memcpy(value, context->snapshot + (addr - base), sizeof(unw_word_t));
        return 0;
    }
    // Outside the copy: only a readable segment of a loaded image (unwind tables, code) is
    // read, which is mapped for as long as the image is loaded (the list is refreshed when
    // images come or go, before each unwind).
    const rp_image *image = rp_image_for(addr);
    if (image) {
        for (int i = 0; i < image->segment_count; i++) {
            if (addr >= image->segments[i].start && image->segments[i].end - addr >= sizeof(unw_word_t)
                && addr < image->segments[i].end) {
                memcpy(value, (const void *)addr, sizeof(unw_word_t));
                return 0;
            }
        }
    }
    return -UNW_EINVAL;
}

static int rp_access_reg(unw_addr_space_t as, unw_regnum_t reg, unw_word_t *value, int write, void *arg) {
    (void)as;
    if (write) return -UNW_EINVAL;
    const uint64_t *r = ((const rp_unwind_arg *)arg)->sample->registers;
    switch (reg) {
    case UNW_X86_64_RIP: *value = r[RP_REG_IP]; return 0;
    case UNW_X86_64_RSP: *value = r[RP_REG_SP]; return 0;
    case UNW_X86_64_RBP: *value = r[RP_REG_FP]; return 0;
    case UNW_X86_64_RBX: *value = r[RP_REG_BX]; return 0;
    case UNW_X86_64_R12: *value = r[RP_REG_R12]; return 0;
    case UNW_X86_64_R13: *value = r[RP_REG_R13]; return 0;
    case UNW_X86_64_R14: *value = r[RP_REG_R14]; return 0;
    case UNW_X86_64_R15: *value = r[RP_REG_R15]; return 0;
    default: return -UNW_EBADREG;
    }
}

static int rp_access_fpreg(unw_addr_space_t as, unw_regnum_t reg, unw_fpreg_t *value, int write, void *arg) {
    (void)as; (void)reg; (void)value; (void)write; (void)arg;
    return -UNW_EBADREG;
}
static int rp_resume(unw_addr_space_t as, unw_cursor_t *cursor, void *arg) { (void)as; (void)cursor; (void)arg; return -UNW_EINVAL; }
static int rp_get_proc_name(unw_addr_space_t as, unw_word_t addr, char *buf, size_t len, unw_word_t *offset, void *arg) {
    (void)as; (void)addr; (void)buf; (void)len; (void)offset; (void)arg;
    return -UNW_EINVAL;
}

static unw_accessors_t rp_accessors = {
    .find_proc_info = rp_find_proc_info,
    .put_unwind_info = rp_put_unwind_info,
    .get_dyn_info_list_addr = rp_get_dyn_info_list_addr,
    .access_mem = rp_access_mem,
    .access_reg = rp_access_reg,
    .access_fpreg = rp_access_fpreg,
    .resume = rp_resume,
    .get_proc_name = rp_get_proc_name,
};

static int rp_open_libunwind(void) {
    void *handle = dlopen("libunwind-x86_64.so.8", RTLD_NOW | RTLD_LOCAL);
    if (!handle) return 0;
    rp_unw.create = (rp_create_fn)dlsym(handle, "_Ux86_64_create_addr_space");
    rp_unw.init_remote = (rp_init_remote_fn)dlsym(handle, "_Ux86_64_init_remote");
    rp_unw.step = (rp_step_fn)dlsym(handle, "_Ux86_64_step");
    rp_unw.get_reg = (rp_get_reg_fn)dlsym(handle, "_Ux86_64_get_reg");
    rp_unw.search = (rp_search_fn)dlsym(handle, "_Ux86_64_dwarf_search_unwind_table");
    rp_unw.caching = (rp_caching_fn)dlsym(handle, "_Ux86_64_set_caching_policy");
    rp_unw.flush = (rp_flush_fn)dlsym(handle, "_Ux86_64_flush_cache");
    if (!rp_unw.create || !rp_unw.init_remote || !rp_unw.step || !rp_unw.get_reg || !rp_unw.search) return 0;
    rp_unw.space = rp_unw.create(&rp_accessors, 0);
    if (!rp_unw.space) return 0;
    if (rp_unw.caching) rp_unw.caching(rp_unw.space, UNW_CACHE_GLOBAL);
    return 1;
}

/// glibc's load counters when rp_images was read.
static unsigned long long rp_images_adds = ~0ull, rp_images_subs = ~0ull;

/// Opens libunwind once and reads the image list; with refresh_images, reads it again when
/// images were loaded or unloaded since (every profile asks, and most find it current).
/// Callers hold rp_unwind_lock.
static int rp_prepare_locked(int refresh_images) {
    if (rp_unwind_ready < 0) rp_unwind_ready = rp_open_libunwind();
    if (!rp_unwind_ready || (!refresh_images && rp_images)) return rp_unwind_ready;
    unsigned long long counters[2];
    rp_read_load_counters(counters);
    int current = rp_images && counters[0] != ~0ull && counters[0] == rp_images_adds && counters[1] == rp_images_subs;
    if (!current) {
        free(rp_images);
        rp_images = NULL;
        rp_image_count = 0;
        dl_iterate_phdr(rp_collect_image, NULL);
        rp_images_adds = counters[0];
        rp_images_subs = counters[1];
        // What libunwind cached about an unloaded image must not serve a new one at its place.
        if (rp_unw.flush && rp_unw.space) rp_unw.flush(rp_unw.space, 0, 0);
    }
    return rp_unwind_ready;
}

int rp_unwinder_available(void) {
    pthread_mutex_lock(&rp_unwind_lock);
    int ready = rp_prepare_locked(1);
    pthread_mutex_unlock(&rp_unwind_lock);
    return ready;
}

int rp_unwind_snapshot(const rp_sample *sample, const uintptr_t *native, const uint8_t *snapshot,
                       uintptr_t *out, int capacity, int *joined) {
    *joined = 0;
    if (!(sample->flags & RP_SAMPLE_SNAPSHOT) || sample->native_count == 0 || capacity <= 0) return -1;
    enum { MAX_STEPS = 64 };
    uintptr_t ips[MAX_STEPS], sps[MAX_STEPS];
    int count = 0;

    pthread_mutex_lock(&rp_unwind_lock);
    // Images unloaded since the list was read would be read through it (their unwind tables,
    // their code) and fault: the list is checked against glibc's load counters first.
    if (!rp_prepare_locked(1)) { pthread_mutex_unlock(&rp_unwind_lock); return -1; }
    rp_unwind_arg arg = {sample, snapshot};
    unw_cursor_t cursor;
    if (rp_unw.init_remote(&cursor, rp_unw.space, &arg) == 0) {
        while (count < MAX_STEPS) {
            unw_word_t ip = 0, sp = 0;
            if (rp_unw.get_reg(&cursor, UNW_REG_IP, &ip) < 0 || rp_unw.get_reg(&cursor, UNW_REG_SP, &sp) < 0 || ip == 0) break;
            ips[count] = ip;
            sps[count] = sp;
            count++;
            if (rp_unw.step(&cursor) <= 0) break;
        }
    }
    pthread_mutex_unlock(&rp_unwind_lock);
    if (count < 2) return -1;

    // Join: the frame running at native[i + 1] has sp == frame_pointers[i] + 16 (its caller's
    // frame record sits just below that sp). The first unwound frame that matches one of the
    // recorded frame records is where the frame-pointer chain takes over.
    int native_count = sample->native_count;
    int joinable = native_count - 1 < RP_JOIN_FRAMES ? native_count - 1 : RP_JOIN_FRAMES;
    for (int j = 1; j < count; j++) {
        for (int i = 0; i < joinable; i++) {
            if (ips[j] == native[i + 1] && sps[j] == sample->frame_pointers[i] + 16) {
                int n = 0;
                for (int k = 0; k < j && n < capacity; k++) out[n++] = ips[k];
                for (int k = i + 1; k < native_count && n < capacity; k++) out[n++] = native[k];
                *joined = 1;
                return n;
            }
        }
    }
    // An async sample's chain ends at the outermost partial function, whose caller (the
    // runtime's resume) was replaced by the async callers: join where the unwind reaches that
    // caller's frame, sp == boundary record + 16, and keep the unwound frames below it (the
    // partial function, and a frameless leaf the walk skipped). Without this, a sample taken
    // in the partial function's own code (one native frame, nothing to join at above) took
    // the DWARF stack, executor frames and all, and lost its async callers.
    if ((sample->flags & RP_SAMPLE_ASYNC) && native_count - 1 < RP_JOIN_FRAMES) {
        uintptr_t boundary = sample->frame_pointers[native_count - 1];
        for (int j = 1; j < count; j++) {
            if (sps[j] == boundary + 16) {
                int n = 0;
                for (int k = 0; k < j && n < capacity; k++) out[n++] = ips[k];
                *joined = 1;
                return n;
            }
        }
    }
    // No join. When the frame-pointer chain was useless (only the leaf) or came from a stack
    // scan that the DWARF unwind does not confirm, the DWARF frames are the better stack.
    if (native_count == 1 || (sample->flags & RP_SAMPLE_SCANNED)) {
        int n = 0;
        for (int k = 0; k < count && n < capacity; k++) out[n++] = ips[k];
        return n;
    }
    return -1;
}
#else
#include "rp_sampler.h"
#include "rp_internal.h"
int rp_unwinder_available(void) { return 0; }
int rp_unwind_snapshot(const rp_sample *sample, const uintptr_t *native, const uint8_t *snapshot,
                       uintptr_t *out, int capacity, int *joined) {
    (void)sample; (void)native; (void)snapshot; (void)out; (void)capacity;
    *joined = 0;
    return -1;
}
#endif
