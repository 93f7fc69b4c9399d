/*
 * decode.c - fetches an instruction and turns it into an iss_decoded_t.
 *
 * Everything that can be worked out once per instruction is worked out here (immediates
 * sign-extended, x0 destinations redirected to a sink, reserved encodings turned into
 * OP_ILLEGAL) so the execute loop only switches on op and does the arithmetic.
 */
#include "iss_internal.h"

static int32_t imm_i(uint32_t insn) { return (int32_t)insn >> 20; }

static int32_t imm_s(uint32_t insn)
{
    return (int32_t)(((uint32_t)((int32_t)insn >> 25) << 5) | ((insn >> 7) & 31u));
}

static int32_t imm_b(uint32_t insn)
{
    uint32_t v = ((uint32_t)((int32_t)insn >> 31) << 12) | (((insn >> 7) & 1u) << 11) |
                 (((insn >> 25) & 0x3fu) << 5) | (((insn >> 8) & 0xfu) << 1);
    return (int32_t)v;
}

static int32_t imm_j(uint32_t insn)
{
    uint32_t v = ((uint32_t)((int32_t)insn >> 31) << 20) | (insn & 0xff000u) |
                 (((insn >> 20) & 1u) << 11) | (((insn >> 21) & 0x3ffu) << 1);
    return (int32_t)v;
}

static iss_op_t decode_op_reg(uint32_t f7, uint32_t f3)
{
    static const iss_op_t base[8] = {OP_ADD, OP_SLL, OP_SLT, OP_SLTU,
                                     OP_XOR, OP_SRL, OP_OR, OP_AND};
    static const iss_op_t mext[8] = {OP_MUL, OP_MULH, OP_MULHSU, OP_MULHU,
                                     OP_DIV, OP_DIVU, OP_REM, OP_REMU};
    if (f7 == 0)
        return base[f3];
    if (f7 == 1)
        return mext[f3];
    if (f7 == 0x20 && f3 == 0)
        return OP_SUB;
    if (f7 == 0x20 && f3 == 5)
        return OP_SRA;
    return OP_ILLEGAL;
}

static iss_op_t decode_op_imm(uint32_t insn, uint32_t f3, int32_t *imm)
{
    static const iss_op_t ops[8] = {OP_ADDI, OP_SLLI, OP_SLTI, OP_SLTIU,
                                    OP_XORI, OP_SRLI, OP_ORI, OP_ANDI};
    uint32_t f7 = insn >> 25;
    if (f3 == 1 || f3 == 5) {
        *imm = (int32_t)((insn >> 20) & 31u);
        if (f3 == 1)
            return f7 == 0 ? OP_SLLI : OP_ILLEGAL;
        return f7 == 0 ? OP_SRLI : f7 == 0x20 ? OP_SRAI : OP_ILLEGAL;
    }
    return ops[f3];
}

static iss_op_t decode_amo(uint32_t insn, uint32_t f3)
{
    if (f3 != 2)
        return OP_ILLEGAL; /* only .W on RV32 */
    switch (insn >> 27) {
    case 0x02: return ((insn >> 20) & 31u) == 0 ? OP_LR : OP_ILLEGAL;
    case 0x03: return OP_SC;
    case 0x01: return OP_AMOSWAP;
    case 0x00: return OP_AMOADD;
    case 0x04: return OP_AMOXOR;
    case 0x0c: return OP_AMOAND;
    case 0x08: return OP_AMOOR;
    case 0x10: return OP_AMOMIN;
    case 0x14: return OP_AMOMAX;
    case 0x18: return OP_AMOMINU;
    case 0x1c: return OP_AMOMAXU;
    default: return OP_ILLEGAL;
    }
}

static iss_op_t decode_system(uint32_t insn, uint32_t f3, int32_t *imm)
{
    static const iss_op_t csr_ops[8] = {OP_ILLEGAL, OP_CSRRW,  OP_CSRRS,  OP_CSRRC,
                                        OP_ILLEGAL, OP_CSRRWI, OP_CSRRSI, OP_CSRRCI};
    if (f3 != 0) {
        *imm = (int32_t)(insn >> 20);
        return csr_ops[f3];
    }
    switch (insn) {
    case 0x00000073u: return OP_ECALL;
    case 0x00100073u: return OP_EBREAK;
    case 0x30200073u: return OP_MRET;
    case 0x10500073u: return OP_WFI;
    default: return OP_ILLEGAL; /* sret, sfence.vma, ... : no S or U mode here */
    }
}

void iss_decode32(uint32_t insn, iss_decoded_t *d)
{
    uint32_t f3 = (insn >> 12) & 7u, rd = (insn >> 7) & 31u;
    int32_t imm = 0;
    iss_op_t op = OP_ILLEGAL;

    switch (insn & 0x7fu) {
    case 0x37: op = OP_LUI; imm = (int32_t)(insn & 0xfffff000u); break;
    case 0x17: op = OP_AUIPC; imm = (int32_t)(insn & 0xfffff000u); break;
    case 0x6f: op = OP_JAL; imm = imm_j(insn); break;
    case 0x67: op = f3 == 0 ? OP_JALR : OP_ILLEGAL; imm = imm_i(insn); break;
    case 0x63: {
        static const iss_op_t ops[8] = {OP_BEQ, OP_BNE, OP_ILLEGAL, OP_ILLEGAL,
                                        OP_BLT, OP_BGE, OP_BLTU, OP_BGEU};
        op = ops[f3];
        imm = imm_b(insn);
        break;
    }
    case 0x03: {
        static const iss_op_t ops[8] = {OP_LB, OP_LH, OP_LW, OP_ILLEGAL,
                                        OP_LBU, OP_LHU, OP_ILLEGAL, OP_ILLEGAL};
        op = ops[f3];
        imm = imm_i(insn);
        break;
    }
    case 0x23: op = f3 == 0 ? OP_SB : f3 == 1 ? OP_SH : f3 == 2 ? OP_SW : OP_ILLEGAL;
        imm = imm_s(insn);
        break;
    case 0x13: imm = imm_i(insn); op = decode_op_imm(insn, f3, &imm); break;
    case 0x33: op = decode_op_reg(insn >> 25, f3); break;
    case 0x0f: op = f3 == 0 ? OP_FENCE : f3 == 1 ? OP_FENCE_I : OP_ILLEGAL; break;
    case 0x73: op = decode_system(insn, f3, &imm); break;
    case 0x2f: op = decode_amo(insn, f3); break;
    default: break;
    }

    if (op == OP_ILLEGAL)
        imm = (int32_t)insn; /* mtval gets the instruction bits */
    d->op = (uint8_t)op;
    d->imm = imm;
    d->rd = (uint8_t)(rd ? rd : ISS_XZERO_SINK);
    d->rs1 = (uint8_t)((insn >> 15) & 31u);
    d->rs2 = (uint8_t)((insn >> 20) & 31u);
}

/* Fetches 16 bits; the C extension makes 2-byte granules the unit of fetch. */
static int fetch16(iss_core_t *c, uint32_t addr, uint16_t *out)
{
    /* DMI regions are 4-byte granular; a 2-byte-aligned half never straddles their edge. */
    const uint8_t *p = iss_dmi_lookup(c, addr & ~3u, ISS_DMI_READ);
    if (p) {
        memcpy(out, p + (addr & 2u), 2);
        return 0;
    }
    uint32_t v = 0;
    int cause = iss_mem_load_slow(c, addr, 2, &v, ISS_ACCESS_FETCH);
    *out = (uint16_t)v;
    return cause ? CAUSE_FETCH_ACCESS : 0;
}

static void mark_code_line(iss_core_t *c, uint32_t addr)
{
    uint32_t line = addr >> ISS_LINE_SHIFT;
    c->code_lines[line >> 6] |= 1ull << (line & 63u);
}

int iss_decode_at(iss_core_t *c, uint32_t pc, iss_decoded_t *d, uint32_t *tval)
{
    uint16_t lo, hi;
    if (fetch16(c, pc, &lo)) {
        *tval = pc;
        return CAUSE_FETCH_ACCESS;
    }
    if ((lo & 3u) != 3u) {
        uint32_t insn = iss_expand_compressed(lo);
        iss_decode32(insn, d);
        if (d->op == OP_ILLEGAL)
            d->imm = lo; /* mtval reports the 16 bits actually fetched */
        d->len = 2;
    } else {
        /* A 32-bit instruction may straddle a line (or page): the fault names the half that
         * failed, mepc stays at the instruction start. */
        if (fetch16(c, pc + 2, &hi)) {
            *tval = pc + 2;
            return CAUSE_FETCH_ACCESS;
        }
        iss_decode32((uint32_t)lo | ((uint32_t)hi << 16), d);
        d->len = 4;
        mark_code_line(c, pc + 2);
    }
    mark_code_line(c, pc);
    d->pc = pc;
    if (ISS_UNLIKELY(c->exec_triggers)) {
        int t = iss_trigger_match_execute(c, pc);
        if (t >= 0) {
            d->pad[0] = (uint8_t)t;
            d->op = OP_TRIGGER;
        }
    }
    return 0;
}
