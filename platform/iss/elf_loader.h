/*
 * elf_loader.h - loads an RV32 executable into whatever memory the caller has.
 *
 * Separate from the core (and from iss-run) so the SystemC platform can reuse it: the loader
 * only parses and validates the file, and hands every byte to a caller-supplied write
 * function, so it does not care whether memory is a flat buffer, a TLM target or DMI.
 * Uses Debian's libelf (link with -lelf).
 */
#ifndef ANT_ELF_LOADER_H
#define ANT_ELF_LOADER_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    ELF_LOAD_OK = 0,
    ELF_LOAD_NO_FILE,    /* cannot open or read the file */
    ELF_LOAD_CORRUPT,    /* not an ELF file, or headers/segments point outside the file */
    ELF_LOAD_WRONG_ARCH, /* an ELF, but not a 32-bit little-endian RISC-V executable */
    ELF_LOAD_NO_FIT      /* a segment lies (partly) outside the memory the writer accepts */
} elf_load_status_t;

/* Copies size bytes to guest address addr; data == NULL means "fill with zeros" (.bss).
 * Returns 0, or non-zero when [addr, addr + size) is not memory the caller can hold. */
typedef int (*elf_write_fn)(void *ctx, uint32_t addr, const void *data, uint32_t size);

typedef struct {
    uint32_t entry;
    int has_tohost; /* the HTIF `tohost` symbol was found */
    uint32_t tohost;
    int has_fromhost;
    uint32_t fromhost;
} elf_image_info_t;

/* Loads every PT_LOAD segment at its physical address and looks up tohost/fromhost.
 * On failure writes a one-line message naming the file into msg (if msglen > 0). */
elf_load_status_t elf_load(const char *path, elf_write_fn write, void *ctx,
                           elf_image_info_t *info, char *msg, size_t msglen);

#ifdef __cplusplus
}
#endif

#endif /* ANT_ELF_LOADER_H */
