/*
 * elf_loader.c - see elf_loader.h.
 */
#define _POSIX_C_SOURCE 200809L
#include "elf_loader.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static elf_load_status_t fail(elf_load_status_t st, char *msg, size_t msglen, const char *fmt,
                              ...)
{
    if (msg && msglen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, msglen, fmt, ap);
        va_end(ap);
    }
    return st;
}

static void find_symbols(Elf *e, elf_image_info_t *info)
{
    Elf_Scn *scn = NULL;
    while ((scn = elf_nextscn(e, scn)) != NULL) {
        GElf_Shdr sh;
        if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB || sh.sh_entsize == 0)
            continue;
        Elf_Data *data = elf_getdata(scn, NULL);
        if (!data)
            continue;
        size_t count = sh.sh_size / sh.sh_entsize;
        for (size_t i = 0; i < count; i++) {
            GElf_Sym sym;
            if (!gelf_getsym(data, (int)i, &sym))
                break;
            const char *name = elf_strptr(e, sh.sh_link, sym.st_name);
            if (!name)
                continue;
            if (strcmp(name, "tohost") == 0) {
                info->has_tohost = 1;
                info->tohost = (uint32_t)sym.st_value;
            } else if (strcmp(name, "fromhost") == 0) {
                info->has_fromhost = 1;
                info->fromhost = (uint32_t)sym.st_value;
            }
        }
    }
}

static elf_load_status_t load_segments(Elf *e, const GElf_Ehdr *eh, const char *path,
                                       elf_write_fn write, void *ctx, char *msg, size_t msglen)
{
    size_t file_size = 0, nph = 0, loaded = 0;
    const char *image = elf_rawfile(e, &file_size);
    if (!image || elf_getphdrnum(e, &nph) != 0)
        return fail(ELF_LOAD_CORRUPT, msg, msglen, "%s: corrupt ELF: %s", path,
                    elf_errmsg(-1));
    /* libelf does not insist that the program header table lies inside the file. */
    if (eh->e_phoff > file_size || (uint64_t)nph * eh->e_phentsize > file_size - eh->e_phoff)
        return fail(ELF_LOAD_CORRUPT, msg, msglen,
                    "%s: corrupt ELF: the program headers lie outside the file", path);
    for (size_t i = 0; i < nph; i++) {
        GElf_Phdr ph;
        if (!gelf_getphdr(e, (int)i, &ph))
            return fail(ELF_LOAD_CORRUPT, msg, msglen, "%s: corrupt program header %zu", path,
                        i);
        if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
            continue;
        if (ph.p_filesz > ph.p_memsz || ph.p_offset > file_size ||
            ph.p_filesz > file_size - ph.p_offset)
            return fail(ELF_LOAD_CORRUPT, msg, msglen,
                        "%s: corrupt ELF: segment %zu lies outside the file", path, i);
        if (ph.p_paddr + ph.p_memsz > 0x100000000ull)
            return fail(ELF_LOAD_NO_FIT, msg, msglen,
                        "%s: segment %zu (0x%llx, %llu bytes) exceeds the 32-bit address space",
                        path, i, (unsigned long long)ph.p_paddr,
                        (unsigned long long)ph.p_memsz);
        uint32_t addr = (uint32_t)ph.p_paddr;
        if ((ph.p_filesz && write(ctx, addr, image + ph.p_offset, (uint32_t)ph.p_filesz)) ||
            (ph.p_memsz > ph.p_filesz &&
             write(ctx, addr + (uint32_t)ph.p_filesz, NULL,
                   (uint32_t)(ph.p_memsz - ph.p_filesz))))
            return fail(ELF_LOAD_NO_FIT, msg, msglen,
                        "%s: segment %zu (0x%08x, %llu bytes) does not fit in memory", path, i,
                        addr, (unsigned long long)ph.p_memsz);
        loaded++;
    }
    if (loaded == 0) /* nothing to run: the entry point would fetch whatever memory holds */
        return fail(ELF_LOAD_CORRUPT, msg, msglen, "%s: corrupt ELF: no loadable segment", path);
    return ELF_LOAD_OK;
}

elf_load_status_t elf_load(const char *path, elf_write_fn write, void *ctx,
                           elf_image_info_t *info, char *msg, size_t msglen)
{
    memset(info, 0, sizeof *info);
    if (elf_version(EV_CURRENT) == EV_NONE)
        return fail(ELF_LOAD_CORRUPT, msg, msglen, "%s: libelf initialisation failed", path);
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return fail(ELF_LOAD_NO_FILE, msg, msglen, "%s: cannot open: %s", path,
                    strerror(errno));

    elf_load_status_t st = ELF_LOAD_OK;
    Elf *e = elf_begin(fd, ELF_C_READ, NULL);
    GElf_Ehdr eh;
    if (!e || elf_kind(e) != ELF_K_ELF || !gelf_getehdr(e, &eh)) {
        st = fail(ELF_LOAD_CORRUPT, msg, msglen, "%s: not an ELF file", path);
    } else if (gelf_getclass(e) != ELFCLASS32 || eh.e_ident[EI_DATA] != ELFDATA2LSB ||
               eh.e_machine != EM_RISCV) {
        st = fail(ELF_LOAD_WRONG_ARCH, msg, msglen,
                  "%s: wrong architecture (need 32-bit little-endian RISC-V, found class %d "
                  "machine %d)",
                  path, gelf_getclass(e), eh.e_machine);
    } else if (eh.e_type != ET_EXEC) {
        st = fail(ELF_LOAD_WRONG_ARCH, msg, msglen, "%s: not an executable (e_type %d)", path,
                  eh.e_type);
    } else {
        st = load_segments(e, &eh, path, write, ctx, msg, msglen);
        if (st == ELF_LOAD_OK) {
            info->entry = (uint32_t)eh.e_entry;
            find_symbols(e, info);
        }
    }
    if (e)
        elf_end(e);
    close(fd);
    return st;
}
