/* The job manifest: how the host (`ant-vp run --load/--save`) and the firmware agree on
 * where tensors live in DRAM. Plain C, included by the firmware and by the runner.
 *
 * Before the core starts, the runner writes every `--load name=file.npy` tensor into DRAM
 * as dense float32 in C order (the .npy layout), from ANT_MANIFEST_DATA_BASE upwards, each
 * 64-byte aligned, and then the manifest at ANT_MANIFEST_ADDRESS with one entry per tensor.
 * DRAM from `scratch_base` to `scratch_end` is free for the firmware (descriptors, CSR
 * copies, outputs).
 *
 * To hand a result back the firmware appends an entry (name, address, shape of a dense
 * float32 array it wrote) and bumps `count`; after the firmware exits, `--save name=out.npy`
 * looks the name up and writes that array to out.npy. */
#ifndef ANT_MANIFEST_H
#define ANT_MANIFEST_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define ANT_MANIFEST_ADDRESS 0x90000000u   /* 256 MiB into DRAM: far above any firmware image */
#define ANT_MANIFEST_DATA_BASE 0x90010000u /* first loaded tensor */
#define ANT_MANIFEST_MAGIC 0x464e4d41u     /* "AMNF" */
#define ANT_MANIFEST_VERSION 1u
#define ANT_MANIFEST_MAX_TENSORS 32u
#define ANT_MANIFEST_NAME_BYTES 32u        /* NUL-terminated, so names of up to 31 characters */
#define ANT_MANIFEST_MAX_DIMS 4u
#define ANT_MANIFEST_ALIGN 64u

typedef struct ant_manifest_tensor {
    char name[ANT_MANIFEST_NAME_BYTES];
    uint32_t address;  /* DRAM bus address of the dense float32 data, C order */
    uint32_t bytes;    /* 4 * product of the shape */
    uint32_t ndim;     /* 1..ANT_MANIFEST_MAX_DIMS */
    uint32_t shape[ANT_MANIFEST_MAX_DIMS]; /* unused dims are 1 */
} ant_manifest_tensor;   /* 60 bytes */

typedef struct ant_manifest {
    uint32_t magic;        /* ANT_MANIFEST_MAGIC when the runner wrote a manifest */
    uint32_t version;      /* ANT_MANIFEST_VERSION */
    uint32_t count;        /* entries used in tensors[] (inputs first, then firmware outputs) */
    uint32_t inputs;       /* how many of them the runner loaded */
    uint32_t scratch_base; /* first free DRAM byte after the loaded tensors (64-byte aligned) */
    uint32_t scratch_end;  /* end of DRAM (exclusive; 0 means 4 GiB) */
    ant_manifest_tensor tensors[ANT_MANIFEST_MAX_TENSORS];
} ant_manifest;

#ifdef __cplusplus
}
#endif

#endif /* ANT_MANIFEST_H */
