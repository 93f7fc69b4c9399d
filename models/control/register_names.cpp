#include "register_names.h"

#include <cstdio>

#include "ant_accel.h"

namespace ant {

std::string accelerator_register_name(uint32_t offset)
{
    struct reg {
        uint32_t offset;
        const char* name;
    };
    static const reg regs[] = {
        {ANT_REG_ID, "ID"},
        {ANT_REG_VERSION, "VERSION"},
        {ANT_REG_CTRL, "CTRL"},
        {ANT_REG_STATUS, "STATUS"},
        {ANT_REG_DESC_ADDR, "DESC_ADDR"},
        {ANT_REG_DOORBELL, "DOORBELL"},
        {ANT_REG_QUEUE_DEPTH, "QUEUE_DEPTH"},
        {ANT_REG_IRQ_ENABLE, "IRQ_ENABLE"},
        {ANT_REG_IRQ_STATUS, "IRQ_STATUS"},
        {ANT_REG_JOBS_DONE, "JOBS_DONE"},
        {ANT_REG_ERROR_DESC, "ERROR_DESC"},
        {ANT_REG_CYCLES_LO, "CYCLES_LO"},
        {ANT_REG_CYCLES_HI, "CYCLES_HI"},
        {ANT_REG_VECTOR_PAIRS_LO, "VECTOR_PAIRS_LO"},
        {ANT_REG_VECTOR_PAIRS_HI, "VECTOR_PAIRS_HI"},
        {ANT_REG_PRODUCTS_VALID_LO, "PRODUCTS_VALID_LO"},
        {ANT_REG_PRODUCTS_VALID_HI, "PRODUCTS_VALID_HI"},
        {ANT_REG_PRODUCTS_RCP_LO, "PRODUCTS_RCP_LO"},
        {ANT_REG_PRODUCTS_RCP_HI, "PRODUCTS_RCP_HI"},
        {ANT_REG_DRAM_READ_LO, "DRAM_READ_LO"},
        {ANT_REG_DRAM_READ_HI, "DRAM_READ_HI"},
        {ANT_REG_DRAM_WRITE_LO, "DRAM_WRITE_LO"},
        {ANT_REG_DRAM_WRITE_HI, "DRAM_WRITE_HI"},
    };
    for (const reg& r : regs)
        if (r.offset == offset)
            return r.name;
    if (offset >= ANT_REG_ERROR_TEXT && offset < ANT_REG_ERROR_TEXT + ANT_ERROR_TEXT_BYTES)
        return offset == ANT_REG_ERROR_TEXT ? "ERROR_TEXT" : "ERROR_TEXT+" + std::to_string(offset - ANT_REG_ERROR_TEXT);
    char b[24];
    std::snprintf(b, sizeof b, "?+0x%03x", offset);
    return b;
}

}  // namespace ant
