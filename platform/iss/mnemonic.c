/*
 * mnemonic.c - names of the decoded operations, for traces.
 */
#include "iss_internal.h"

const char *iss_op_name(unsigned op)
{
    static const char *const names[OP_COUNT] = {
        [OP_ILLEGAL] = "illegal", [OP_LUI] = "lui", [OP_AUIPC] = "auipc", [OP_JAL] = "jal",
        [OP_JALR] = "jalr", [OP_BEQ] = "beq", [OP_BNE] = "bne", [OP_BLT] = "blt",
        [OP_BGE] = "bge", [OP_BLTU] = "bltu", [OP_BGEU] = "bgeu", [OP_LB] = "lb",
        [OP_LH] = "lh", [OP_LW] = "lw", [OP_LBU] = "lbu", [OP_LHU] = "lhu", [OP_SB] = "sb",
        [OP_SH] = "sh", [OP_SW] = "sw", [OP_ADDI] = "addi", [OP_SLTI] = "slti",
        [OP_SLTIU] = "sltiu", [OP_XORI] = "xori", [OP_ORI] = "ori", [OP_ANDI] = "andi",
        [OP_SLLI] = "slli", [OP_SRLI] = "srli", [OP_SRAI] = "srai", [OP_ADD] = "add",
        [OP_SUB] = "sub", [OP_SLL] = "sll", [OP_SLT] = "slt", [OP_SLTU] = "sltu",
        [OP_XOR] = "xor", [OP_SRL] = "srl", [OP_SRA] = "sra", [OP_OR] = "or", [OP_AND] = "and",
        [OP_MUL] = "mul", [OP_MULH] = "mulh", [OP_MULHSU] = "mulhsu", [OP_MULHU] = "mulhu",
        [OP_DIV] = "div", [OP_DIVU] = "divu", [OP_REM] = "rem", [OP_REMU] = "remu",
        [OP_LR] = "lr.w", [OP_SC] = "sc.w", [OP_AMOSWAP] = "amoswap.w", [OP_AMOADD] = "amoadd.w",
        [OP_AMOXOR] = "amoxor.w", [OP_AMOAND] = "amoand.w", [OP_AMOOR] = "amoor.w",
        [OP_AMOMIN] = "amomin.w", [OP_AMOMAX] = "amomax.w", [OP_AMOMINU] = "amominu.w",
        [OP_AMOMAXU] = "amomaxu.w", [OP_FENCE] = "fence", [OP_FENCE_I] = "fence.i",
        [OP_ECALL] = "ecall", [OP_EBREAK] = "ebreak", [OP_MRET] = "mret", [OP_WFI] = "wfi",
        [OP_CSRRW] = "csrrw", [OP_CSRRS] = "csrrs", [OP_CSRRC] = "csrrc", [OP_CSRRWI] = "csrrwi",
        [OP_CSRRSI] = "csrrsi", [OP_CSRRCI] = "csrrci", [OP_TRIGGER] = "trigger",
    };
    return op < OP_COUNT && names[op] ? names[op] : "?";
}
