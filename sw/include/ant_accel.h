/* The ANT accelerator's programming interface: register map, descriptor layout in DRAM,
 * error codes. One header, plain C, included by the firmware (driver) and by the models
 * (register file, job sequencer), so that the two cannot drift apart.
 *
 * Everything is little-endian; every DRAM address is a 32-bit bus address (DRAM starts at
 * 0x8000_0000) and must be 4-byte aligned, except col_idx arrays (2-byte aligned). */
#ifndef ANT_ACCEL_H
#define ANT_ACCEL_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define ANT_ACCEL_BASE 0x40000000u
#define ANT_ACCEL_ID_VALUE 0x414e5431u /* "ANT1" */
#define ANT_ACCEL_VERSION_VALUE 0x00010001u /* 1.1: 1.0 plus the ERROR_TEXT window */
#define ANT_ACCEL_QUEUE_CAPACITY 8u

/* ---- Registers (byte offsets from ANT_ACCEL_BASE; all 32-bit) ---------------------- */
#define ANT_REG_ID 0x000           /* RO: ANT_ACCEL_ID_VALUE */
#define ANT_REG_VERSION 0x004      /* RO: ANT_ACCEL_VERSION_VALUE */
#define ANT_REG_CTRL 0x008         /* RW: ANT_CTRL_* */
#define ANT_REG_STATUS 0x00C       /* RO: ANT_STATUS_* | error code << ANT_STATUS_ERROR_SHIFT */
#define ANT_REG_DESC_ADDR 0x010    /* RW: DRAM address of the next job descriptor */
#define ANT_REG_DOORBELL 0x014     /* W: any write queues the descriptor at DESC_ADDR;
                                      R: outcome of the last ring (ANT_ERR_NONE or ANT_ERR_QUEUE_FULL) */
#define ANT_REG_QUEUE_DEPTH 0x018  /* RO: descriptors queued or running */
#define ANT_REG_IRQ_ENABLE 0x01C   /* RW: ANT_IRQ_* */
#define ANT_REG_IRQ_STATUS 0x020   /* RW1C: ANT_IRQ_* pending; write 1s to acknowledge */
#define ANT_REG_JOBS_DONE 0x024    /* RO: jobs finished (ok or failed) since reset */
#define ANT_REG_ERROR_DESC 0x028   /* RO: descriptor address of the last failed job */
/* Counters of the last finished job, 64-bit as LO/HI pairs (read LO first: it latches HI). */
#define ANT_REG_CYCLES_LO 0x040
#define ANT_REG_CYCLES_HI 0x044
#define ANT_REG_VECTOR_PAIRS_LO 0x048
#define ANT_REG_VECTOR_PAIRS_HI 0x04C
#define ANT_REG_PRODUCTS_VALID_LO 0x050
#define ANT_REG_PRODUCTS_VALID_HI 0x054
#define ANT_REG_PRODUCTS_RCP_LO 0x058
#define ANT_REG_PRODUCTS_RCP_HI 0x05C
#define ANT_REG_DRAM_READ_LO 0x060   /* bytes the accelerator read from DRAM */
#define ANT_REG_DRAM_READ_HI 0x064
#define ANT_REG_DRAM_WRITE_LO 0x068  /* bytes it wrote */
#define ANT_REG_DRAM_WRITE_HI 0x06C
/* RO since 1.1: why the last job failed (or the last doorbell was refused), as one English
 * sentence naming the field, e.g. "the activation values address is not 4-byte aligned" or
 * "the output has 1 entries of capacity; more non-zeros were produced". ASCII, NUL-padded,
 * ANT_ERROR_TEXT_BYTES bytes read as 32-bit words (byte 0 in bits 7:0 of the first word);
 * empty after a reset and until a job fails. The text is for people (logs, debugging);
 * programs decide on the error code. */
#define ANT_REG_ERROR_TEXT 0x100
#define ANT_ERROR_TEXT_BYTES 256u

#define ANT_CTRL_ENABLE 0x1u     /* jobs run only while set */
#define ANT_CTRL_RESET 0x2u      /* write 1: drop queued jobs, clear status and counters */

#define ANT_STATUS_BUSY 0x1u     /* a job is running */
#define ANT_STATUS_DONE 0x2u     /* the last job finished (see error code) */
#define ANT_STATUS_ERROR 0x4u    /* the last job failed */
#define ANT_STATUS_ERROR_SHIFT 8 /* bits 15:8: ant_error of the last job */

#define ANT_IRQ_DONE 0x1u        /* a job finished successfully */
#define ANT_IRQ_ERROR 0x2u       /* a job failed */

/* ---- Error codes (STATUS bits 15:8 and ant_job_desc.status) ------------------------- */
typedef enum ant_error {
    ANT_ERR_NONE = 0,
    ANT_ERR_BAD_OP = 1,          /* op is not FW, BD, BW or SPMM */
    ANT_ERR_BAD_MODE = 2,        /* mode or mapping out of range */
    ANT_ERR_BAD_DIMS = 3,        /* zero or absurd dimensions, stride 0, kernel > padded input */
    ANT_ERR_ADDRESS = 4,         /* a descriptor or array lies outside DRAM */
    ANT_ERR_MISALIGNED = 5,      /* an address is not aligned as required */
    ANT_ERR_BAD_FORMAT = 6,      /* unknown tensor format, or tensor dims disagree with the job */
    ANT_ERR_BAD_TENSOR = 7,      /* CSR arrays violate their invariants */
    ANT_ERR_OUT_CAPACITY = 8,    /* the output tensor's capacity is too small */
    ANT_ERR_DOES_NOT_FIT = 9,    /* a plane does not fit the on-chip buffers */
    ANT_ERR_QUEUE_FULL = 10,     /* doorbell rung with ANT_ACCEL_QUEUE_CAPACITY jobs queued */
    ANT_ERR_BUS = 11             /* a DRAM access failed */
} ant_error;

/* ---- Descriptors in DRAM ------------------------------------------------------------ */
enum { ANT_OP_CODE_FW = 0, ANT_OP_CODE_BD = 1, ANT_OP_CODE_BW = 2, ANT_OP_CODE_SPMM = 3 };
enum { ANT_MODE_CODE_DENSE = 0, ANT_MODE_CODE_SCNN = 1, ANT_MODE_CODE_ANT = 2, ANT_MODE_CODE_IDEAL = 3 };
enum { ANT_MAPPING_CODE_PLANAR = 0, ANT_MAPPING_CODE_CHANNEL = 1 };
enum { ANT_FORMAT_CSR = 0, ANT_FORMAT_DENSE = 1 };
#define ANT_JOB_FLAG_RELU 0x1u /* the post-processing unit clears negative outputs */
/* SWAT top-K: after ReLU, keep only the `topk` largest magnitudes of the whole output tensor
 * (every plane of the job together) and drop the rest. Exactly min(topk, non-zeros) entries
 * survive; equal magnitudes are ranked by position (plane, row, column: the earlier one is
 * kept). topk must be at least 1 (else ANT_ERR_BAD_DIMS). See docs/accelerator_interface.md. */
#define ANT_JOB_FLAG_TOPK 0x2u

/* A tensor of `planes` planes of rows x cols.
 *  CSR:   plane p's entries are [offsets[p], offsets[p+1]) of col_idx/values;
 *         row_ptr holds planes * (rows + 1) entries, each plane's relative to its offset.
 *  DENSE: values holds planes * rows * cols floats; the other arrays are unused.
 * For an output, the accelerator writes all arrays; capacity is the number of entries
 * reserved in col_idx/values (CSR) and must be at least planes * rows * cols for DENSE. */
typedef struct ant_tensor_desc {
    uint32_t format;
    uint32_t planes, rows, cols;
    uint32_t offsets;  /* CSR: (planes + 1) uint32 */
    uint32_t row_ptr;  /* CSR: planes * (rows + 1) uint32 */
    uint32_t col_idx;  /* CSR: uint16 entries */
    uint32_t values;   /* float entries */
    uint32_t capacity; /* entries (outputs only) */
} ant_tensor_desc;

/* A layer job. Roles of a and b (natural layouts, planes in order):
 *   FW:   a = activation N*C planes of H x W,  b = weight K*C planes of R x S  -> out N*K of Ho x Wo
 *   BD:   a = output gradient N*K of Ho x Wo,  b = weight K*C of R x S         -> out N*C of H x W
 *   BW:   a = activation N*C of H x W,         b = output gradient N*K of Ho x Wo -> out K*C of R x S
 *   SPMM: a = A, 1 plane of M x K (n = M, c = K fields unused), b = B, 1 plane K x N -> out 1 plane M x N;
 *         the sizes come from the tensors' rows/cols. */
typedef struct ant_job_desc {
    uint32_t op, mode, mapping, flags;
    uint32_t n, c, k;
    uint32_t h, w, r, s;
    uint32_t stride_h, stride_w, pad_h, pad_w;
    ant_tensor_desc a, b, out;
    uint32_t status;   /* written by the accelerator when the job ends: ant_error */
    uint32_t topk;     /* entries to keep with ANT_JOB_FLAG_TOPK (ignored without it) */
} ant_job_desc;

#ifdef __cplusplus
}
#endif

#endif /* ANT_ACCEL_H */
