/*
 * compressed.c - RV32C: expands each 16-bit instruction into the 32-bit instruction it is
 * defined to be equivalent to. Expanding (rather than giving C its own ops) keeps a single
 * execute path, so C and non-C forms cannot drift apart; the cost is paid once per decode.
 */
#include "iss_internal.h"

enum {
    OPC_LOAD = 0x03, OPC_OP_IMM = 0x13, OPC_STORE = 0x23, OPC_OP = 0x33, OPC_LUI = 0x37,
    OPC_BRANCH = 0x63, OPC_JALR = 0x67, OPC_JAL = 0x6f
};

static uint32_t sext(uint32_t value, unsigned bits)
{
    uint32_t m = 1u << (bits - 1);
    return (value ^ m) - m;
}

static uint32_t enc_i(uint32_t imm, unsigned rs1, unsigned f3, unsigned rd, unsigned opc)
{
    return (imm << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | opc;
}

static uint32_t enc_r(unsigned f7, unsigned rs2, unsigned rs1, unsigned f3, unsigned rd)
{
    return (f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | OPC_OP;
}

static uint32_t enc_s(uint32_t imm, unsigned rs2, unsigned rs1, unsigned f3)
{
    return ((imm >> 5) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | ((imm & 31u) << 7) |
           OPC_STORE;
}

static uint32_t enc_b(uint32_t imm, unsigned rs2, unsigned rs1, unsigned f3)
{
    return (((imm >> 12) & 1u) << 31) | (((imm >> 5) & 0x3fu) << 25) | (rs2 << 20) |
           (rs1 << 15) | (f3 << 12) | (((imm >> 1) & 0xfu) << 8) | (((imm >> 11) & 1u) << 7) |
           OPC_BRANCH;
}

static uint32_t enc_j(uint32_t imm, unsigned rd)
{
    return (((imm >> 20) & 1u) << 31) | (((imm >> 1) & 0x3ffu) << 21) |
           (((imm >> 11) & 1u) << 20) | (((imm >> 12) & 0xffu) << 12) | (rd << 7) | OPC_JAL;
}

/* Immediate layouts, straight from the RVC tables (comments give bit -> offset bit). */
static uint32_t imm_ci(uint32_t i) /* [12] -> 5, [6:2] -> 4:0, signed */
{
    return sext(((i >> 7) & 0x20u) | ((i >> 2) & 0x1fu), 6);
}

static uint32_t imm_cj(uint32_t i)
{
    return sext(((i >> 1) & 0x800u) | ((i >> 7) & 0x10u) | ((i >> 1) & 0x300u) |
                    ((i << 2) & 0x400u) | ((i >> 1) & 0x40u) | ((i << 1) & 0x80u) |
                    ((i >> 2) & 0xeu) | ((i << 3) & 0x20u),
                12);
}

static uint32_t imm_cb(uint32_t i)
{
    return sext(((i >> 4) & 0x100u) | ((i >> 7) & 0x18u) | ((i << 1) & 0xc0u) |
                    ((i >> 2) & 0x6u) | ((i << 3) & 0x20u),
                9);
}

static uint32_t imm_clw(uint32_t i) /* c.lw / c.sw: [12:10] -> 5:3, [6] -> 2, [5] -> 6 */
{
    return ((i >> 7) & 0x38u) | ((i >> 4) & 0x4u) | ((i << 1) & 0x40u);
}

static uint32_t expand_q0(uint32_t i)
{
    unsigned rd_p = 8u + ((i >> 2) & 7u), rs1_p = 8u + ((i >> 7) & 7u);
    switch (i >> 13) {
    case 0: { /* c.addi4spn */
        uint32_t nzuimm = ((i >> 7) & 0x30u) | ((i >> 1) & 0x3c0u) | ((i >> 4) & 0x4u) |
                          ((i >> 2) & 0x8u);
        return nzuimm ? enc_i(nzuimm, 2, 0, rd_p, OPC_OP_IMM) : 0;
    }
    case 2: return enc_i(imm_clw(i), rs1_p, 2, rd_p, OPC_LOAD);   /* c.lw */
    case 6: return enc_s(imm_clw(i), rd_p, rs1_p, 2);             /* c.sw */
    default: return 0; /* c.fld/c.flw/c.fsd/c.fsw need F/D; 100 is reserved */
    }
}

static uint32_t expand_q1(uint32_t i)
{
    unsigned rd = (i >> 7) & 31u, rs1_p = 8u + ((i >> 7) & 7u), rs2_p = 8u + ((i >> 2) & 7u);
    switch (i >> 13) {
    case 0: return enc_i(imm_ci(i) & 0xfffu, rd, 0, rd, OPC_OP_IMM);  /* c.addi, c.nop */
    case 1: return enc_j(imm_cj(i), 1);                               /* c.jal */
    case 2: return enc_i(imm_ci(i) & 0xfffu, 0, 0, rd, OPC_OP_IMM);   /* c.li */
    case 3:
        if (rd == 2) { /* c.addi16sp */
            uint32_t imm = sext(((i >> 3) & 0x200u) | ((i >> 2) & 0x10u) | ((i << 1) & 0x40u) |
                                    ((i << 4) & 0x180u) | ((i << 3) & 0x20u),
                                10);
            return imm ? enc_i(imm & 0xfffu, 2, 0, 2, OPC_OP_IMM) : 0;
        } else { /* c.lui: imm 0 is reserved */
            uint32_t imm = imm_ci(i);
            return imm ? ((imm & 0xfffffu) << 12) | (rd << 7) | OPC_LUI : 0;
        }
    case 4:
        switch ((i >> 10) & 3u) {
        case 0: /* c.srli; shamt[5] = 1 is reserved on RV32 */
            return (i & 0x1000u) ? 0 : enc_i((i >> 2) & 31u, rs1_p, 5, rs1_p, OPC_OP_IMM);
        case 1: /* c.srai */
            return (i & 0x1000u) ? 0
                                 : enc_i(0x400u | ((i >> 2) & 31u), rs1_p, 5, rs1_p, OPC_OP_IMM);
        case 2: return enc_i(imm_ci(i) & 0xfffu, rs1_p, 7, rs1_p, OPC_OP_IMM); /* c.andi */
        default:
            if (i & 0x1000u)
                return 0; /* c.subw/c.addw are RV64 only */
            switch ((i >> 5) & 3u) {
            case 0: return enc_r(0x20, rs2_p, rs1_p, 0, rs1_p); /* c.sub */
            case 1: return enc_r(0, rs2_p, rs1_p, 4, rs1_p);    /* c.xor */
            case 2: return enc_r(0, rs2_p, rs1_p, 6, rs1_p);    /* c.or */
            default: return enc_r(0, rs2_p, rs1_p, 7, rs1_p);   /* c.and */
            }
        }
    case 5: return enc_j(imm_cj(i), 0);                    /* c.j */
    case 6: return enc_b(imm_cb(i), 0, rs1_p, 0);          /* c.beqz */
    default: return enc_b(imm_cb(i), 0, rs1_p, 1);         /* c.bnez */
    }
}

static uint32_t expand_q2(uint32_t i)
{
    unsigned rd = (i >> 7) & 31u, rs2 = (i >> 2) & 31u;
    switch (i >> 13) {
    case 0: /* c.slli; shamt[5] = 1 is reserved on RV32 */
        return (i & 0x1000u) ? 0 : enc_i(rs2, rd, 1, rd, OPC_OP_IMM);
    case 2: { /* c.lwsp; rd = 0 is reserved */
        uint32_t uimm = ((i >> 7) & 0x20u) | ((i >> 2) & 0x1cu) | ((i << 4) & 0xc0u);
        return rd ? enc_i(uimm, 2, 2, rd, OPC_LOAD) : 0;
    }
    case 4:
        if (!(i & 0x1000u)) {
            if (rs2 == 0) /* c.jr; rs1 = 0 is reserved */
                return rd ? enc_i(0, rd, 0, 0, OPC_JALR) : 0;
            return enc_r(0, rs2, 0, 0, rd); /* c.mv */
        }
        if (rs2 == 0)
            return rd ? enc_i(0, rd, 0, 1, OPC_JALR) : 0x00100073u; /* c.jalr / c.ebreak */
        return enc_r(0, rs2, rd, 0, rd); /* c.add */
    case 6: { /* c.swsp */
        uint32_t uimm = ((i >> 7) & 0x3cu) | ((i >> 1) & 0xc0u);
        return enc_s(uimm, rs2, 2, 2);
    }
    default: return 0; /* c.fldsp/c.flwsp/c.fsdsp/c.fswsp need F/D */
    }
}

uint32_t iss_expand_compressed(uint16_t insn)
{
    uint32_t i = insn;
    switch (i & 3u) {
    case 0: return expand_q0(i);
    case 1: return expand_q1(i);
    case 2: return expand_q2(i);
    default: return 0; /* not a compressed instruction */
    }
}
