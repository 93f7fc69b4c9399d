/*
 * iss_run_main.c - `iss-run`, a standalone host for the ISS core (no SystemC): flat DRAM at
 * 0x8000_0000, a minimal CLINT, a write-only UART THR, and the HTIF tohost exit convention.
 * It exists to run the instruction tests and the speed benchmark without the platform.
 *
 * Time: mtime advances by one tick per retired instruction, plus whatever wfi sleeps skip.
 * Runs are therefore deterministic, and the host runs the core in slices that end exactly
 * when mtime reaches mtimecmp, so a timer interrupt is raised at the precise instruction.
 *
 * Exit status:
 *   0        the program wrote 1 to tohost (pass)
 *   1..63    the program wrote (code << 1) | 1 to tohost: code, clamped to 63
 *   64       usage error
 *   65       not an ELF file, or a corrupt one
 *   66       the ELF file is missing or unreadable
 *   67       wrong architecture (needs ELFCLASS32, little-endian, EM_RISCV executable)
 *   68       a segment does not fit in simulated memory
 *   69       --max-instructions reached without a tohost write
 *   70       fatal: unsupported tohost command, or the core cannot continue
 *   71       wfi with no interrupt that could ever wake the core
 */
#define _POSIX_C_SOURCE 200809L
#include "elf_loader.h"
#include "iss.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum {
    EXIT_USAGE = 64, EXIT_CORRUPT = 65, EXIT_NO_FILE = 66, EXIT_ARCH = 67, EXIT_NO_FIT = 68,
    EXIT_TIMEOUT = 69, EXIT_FATAL = 70, EXIT_DEADLOCK = 71
};

#define DRAM_BASE 0x80000000u
#define CLINT_MSIP 0x02000000u
#define CLINT_MTIMECMP 0x02004000u
#define CLINT_MTIME 0x0200bff8u
#define UART_THR 0x10000000u
#define UART_LSR 0x10000005u
#define HTIF_WINDOW 64u /* bytes around tohost kept out of DMI so its writes are seen */

typedef struct {
    iss_core_t *core;
    uint8_t *dram;
    uint32_t dram_size;
    uint32_t tohost;
    int has_tohost;
    uint64_t mtimecmp;
    uint64_t time_offset; /* mtime = retired + time_offset */
    int exit_code;        /* -1 until tohost says otherwise */
} host_t;

static uint64_t mtime(const host_t *h) { return iss_retired(h->core) + h->time_offset; }

static uint64_t time_cb(void *ctx) { return mtime(ctx); }

static void update_mtip(host_t *h)
{
    iss_set_irq(h->core, ISS_IRQ_MTI, mtime(h) >= h->mtimecmp);
}

static uint8_t *dram_at(host_t *h, uint32_t addr, uint32_t size)
{
    uint32_t off = addr - DRAM_BASE;
    return addr >= DRAM_BASE && off < h->dram_size && size <= h->dram_size - off
               ? h->dram + off
               : NULL;
}

static uint64_t set_half(uint64_t old, uint32_t v, int high)
{
    return high ? (old & 0xffffffffull) | ((uint64_t)v << 32) : (old & ~0xffffffffull) | v;
}

static iss_mem_status_t load_cb(void *ctx, uint32_t addr, unsigned size, uint32_t *value,
                                iss_access_t kind)
{
    host_t *h = ctx;
    uint8_t *p = dram_at(h, addr, size);
    if (p) {
        uint32_t v = 0;
        memcpy(&v, p, size);
        *value = v;
        return ISS_MEM_OK;
    }
    if (kind == ISS_ACCESS_FETCH)
        return ISS_MEM_FAULT;
    if (addr == UART_LSR && size == 1) {
        *value = 0x60; /* transmitter empty: printf never waits */
        return ISS_MEM_OK;
    }
    if (size != 4)
        return ISS_MEM_FAULT;
    if (addr == CLINT_MSIP) {
        *value = iss_get_csr(h->core, 0x344, value) == 0 ? (*value >> ISS_IRQ_MSI) & 1u : 0;
    } else if (addr == CLINT_MTIMECMP || addr == CLINT_MTIMECMP + 4) {
        *value = (uint32_t)(h->mtimecmp >> (addr == CLINT_MTIMECMP ? 0 : 32));
    } else if (addr == CLINT_MTIME || addr == CLINT_MTIME + 4) {
        *value = (uint32_t)(mtime(h) >> (addr == CLINT_MTIME ? 0 : 32));
    } else {
        return ISS_MEM_FAULT;
    }
    return ISS_MEM_OK;
}

static iss_mem_status_t store_cb(void *ctx, uint32_t addr, unsigned size, uint32_t value)
{
    host_t *h = ctx;
    uint8_t *p = dram_at(h, addr, size);
    if (p) {
        memcpy(p, &value, size);
        if (h->has_tohost && addr == h->tohost && size >= 4 && value != 0) {
            if (!(value & 1u)) {
                fprintf(stderr, "iss-run: unsupported HTIF command 0x%08" PRIx32
                                " written to tohost\n", value);
                h->exit_code = EXIT_FATAL;
            } else {
                uint32_t code = value >> 1;
                h->exit_code = code > 63u ? 63 : (int)code;
            }
            iss_request_stop(h->core);
        }
        return ISS_MEM_OK;
    }
    if (addr == UART_THR && size == 1) {
        putchar((int)(value & 0xffu));
        return ISS_MEM_OK;
    }
    if (size != 4)
        return ISS_MEM_FAULT;
    if (addr == CLINT_MSIP) {
        iss_set_irq(h->core, ISS_IRQ_MSI, (int)(value & 1u));
    } else if (addr == CLINT_MTIMECMP || addr == CLINT_MTIMECMP + 4) {
        h->mtimecmp = set_half(h->mtimecmp, value, addr != CLINT_MTIMECMP);
        update_mtip(h);
        iss_request_stop(h->core); /* the run slice was sized for the old mtimecmp */
    } else if (addr == CLINT_MTIME || addr == CLINT_MTIME + 4) {
        uint64_t now = set_half(mtime(h), value, addr != CLINT_MTIME);
        h->time_offset = now - iss_retired(h->core);
        update_mtip(h);
        iss_request_stop(h->core);
    } else {
        return ISS_MEM_FAULT;
    }
    return ISS_MEM_OK;
}

static int write_cb(void *ctx, uint32_t addr, const void *data, uint32_t size)
{
    host_t *h = ctx;
    uint8_t *p = dram_at(h, addr, size);
    if (!p)
        return -1;
    if (data)
        memcpy(p, data, size);
    else
        memset(p, 0, size);
    return 0;
}

/* DRAM goes to DMI except a small window around tohost, which must reach store_cb. */
static int setup_dmi(host_t *h)
{
    if (!h->has_tohost || !dram_at(h, h->tohost, 4))
        return iss_dmi_add(h->core, DRAM_BASE, h->dram_size, h->dram, ISS_DMI_RW);
    uint32_t lo = (h->tohost & ~(HTIF_WINDOW - 1u)) - DRAM_BASE;
    uint32_t hi = lo + HTIF_WINDOW < h->dram_size ? lo + HTIF_WINDOW : h->dram_size;
    int rc = 0;
    if (lo > 0)
        rc |= iss_dmi_add(h->core, DRAM_BASE, lo, h->dram, ISS_DMI_RW);
    if (hi < h->dram_size)
        rc |= iss_dmi_add(h->core, DRAM_BASE + hi, h->dram_size - hi, h->dram + hi, ISS_DMI_RW);
    return rc;
}

static void usage(void)
{
    fprintf(stderr, "usage: iss-run [--max-instructions N] [--mem-mib N] [--no-dmi] [--stats] "
                    "program.elf\n");
}

static int parse_u64(const char *s, uint64_t *out)
{
    char *end;
    if (!s || !*s || *s == '-')
        return -1;
    *out = strtoull(s, &end, 0);
    return *end ? -1 : 0;
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Runs until tohost, the budget, a deadlock or a fatal stop; returns the exit status. */
static int simulate(host_t *h, uint64_t budget)
{
    for (;;) {
        update_mtip(h);
        if (budget == 0) {
            fprintf(stderr, "iss-run: --max-instructions reached without a tohost write "
                            "(pc 0x%08" PRIx32 ")\n", iss_get_pc(h->core));
            return EXIT_TIMEOUT;
        }
        uint64_t now = mtime(h), slice = budget;
        if (h->mtimecmp > now && h->mtimecmp - now < slice)
            slice = h->mtimecmp - now;
        uint64_t before = iss_retired(h->core);
        iss_stop_t why = iss_run(h->core, slice);
        uint64_t done = why == ISS_STOP_BUDGET ? slice : iss_retired(h->core) - before;
        budget -= done < budget ? done : budget;
        switch (why) {
        case ISS_STOP_BUDGET: break;
        case ISS_STOP_HOST:
            if (h->exit_code >= 0)
                return h->exit_code;
            break;
        case ISS_STOP_WFI: {
            uint32_t mie = 0;
            iss_get_csr(h->core, 0x304, &mie);
            if (iss_irq_pending(h->core))
                break;
            if ((mie & (1u << ISS_IRQ_MTI)) && h->mtimecmp != UINT64_MAX) {
                /* Sleep in simulated time: jump mtime to mtimecmp and count the cycles. */
                uint64_t t = mtime(h);
                if (h->mtimecmp > t) {
                    h->time_offset += h->mtimecmp - t;
                    iss_add_cycles(h->core, h->mtimecmp - t);
                }
                break;
            }
            fprintf(stderr, "iss-run: wfi at pc 0x%08" PRIx32 " with no interrupt that can "
                            "wake it (mie 0x%08" PRIx32 ")\n", iss_get_pc(h->core), mie);
            return EXIT_DEADLOCK;
        }
        case ISS_STOP_FATAL:
        default:
            fprintf(stderr, "iss-run: fatal stop at pc 0x%08" PRIx32 "\n", iss_get_pc(h->core));
            return EXIT_FATAL;
        }
    }
}

int main(int argc, char **argv)
{
    uint64_t budget = UINT64_MAX, mem_mib = 64;
    int use_dmi = 1, stats = 0;
    const char *path = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--max-instructions") == 0) {
            if (parse_u64(i + 1 < argc ? argv[++i] : NULL, &budget)) {
                fprintf(stderr, "iss-run: --max-instructions needs a non-negative number\n");
                return EXIT_USAGE;
            }
        } else if (strcmp(argv[i], "--mem-mib") == 0) {
            if (parse_u64(i + 1 < argc ? argv[++i] : NULL, &mem_mib) || mem_mib == 0 ||
                mem_mib > 2048) {
                fprintf(stderr, "iss-run: --mem-mib needs a number from 1 to 2048\n");
                return EXIT_USAGE;
            }
        } else if (strcmp(argv[i], "--no-dmi") == 0) {
            use_dmi = 0;
        } else if (strcmp(argv[i], "--stats") == 0) {
            stats = 1;
        } else if (argv[i][0] == '-' || path) {
            fprintf(stderr, "iss-run: unexpected argument '%s'\n", argv[i]);
            usage();
            return EXIT_USAGE;
        } else {
            path = argv[i];
        }
    }
    if (!path) {
        usage();
        return EXIT_USAGE;
    }

    host_t h = {0};
    h.exit_code = -1;
    h.mtimecmp = UINT64_MAX;
    h.dram_size = (uint32_t)(mem_mib == 2048 ? 0x80000000u - 4u : mem_mib << 20);
    h.dram = calloc(1, h.dram_size); /* untouched pages cost nothing */
    if (!h.dram) {
        fprintf(stderr, "iss-run: cannot allocate %" PRIu64 " MiB of simulated DRAM\n", mem_mib);
        return EXIT_FATAL;
    }

    elf_image_info_t info;
    char msg[512];
    int load_exit = 0;
    switch (elf_load(path, write_cb, &h, &info, msg, sizeof msg)) {
    case ELF_LOAD_OK: break;
    case ELF_LOAD_NO_FILE: load_exit = EXIT_NO_FILE; break;
    case ELF_LOAD_CORRUPT: load_exit = EXIT_CORRUPT; break;
    case ELF_LOAD_WRONG_ARCH: load_exit = EXIT_ARCH; break;
    case ELF_LOAD_NO_FIT: load_exit = EXIT_NO_FIT; break;
    default: load_exit = EXIT_CORRUPT; break;
    }
    if (load_exit) {
        fprintf(stderr, "iss-run: %s\n", msg);
        free(h.dram); /* every exit frees what it took, so leak checkers see a clean run */
        return load_exit;
    }
    if (!info.has_tohost)
        fprintf(stderr, "iss-run: warning: %s has no tohost symbol; only the budget can end "
                        "the run\n", path);
    h.has_tohost = info.has_tohost;
    h.tohost = info.tohost;

    iss_host_t cb = {&h, load_cb, store_cb, time_cb};
    h.core = iss_create(&cb, info.entry, 0);
    if (!h.core || (use_dmi && setup_dmi(&h))) {
        fprintf(stderr, "iss-run: cannot create the core\n");
        iss_destroy(h.core);
        free(h.dram);
        return EXIT_FATAL;
    }

    double t0 = now_seconds();
    int rc = simulate(&h, budget);
    double t1 = now_seconds();
    fflush(stdout);
    if (stats) {
        uint64_t n = iss_retired(h.core);
        double s = t1 - t0;
        fprintf(stderr, "iss-run: %" PRIu64 " instructions in %.3f s = %.1f MIPS\n", n, s,
                s > 0 ? (double)n / s / 1e6 : 0.0);
    }
    iss_destroy(h.core);
    free(h.dram);
    return rc;
}
