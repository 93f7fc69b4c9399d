#include "uart.h"

#include <cerrno>
#include <cstring>

#include "common/config_error.h"

namespace ant {

namespace {
constexpr std::uint8_t lsr_thre_temt = 0x60;  // THR empty, transmitter empty
constexpr std::uint8_t lcr_dlab = 0x80;
}  // namespace

uart::uart(const sc_core::sc_module_name& name, const uart_config& config)
    : sc_core::sc_module(name), reg_target("reg_target"), to_stdout_(config.to_stdout)
{
    if (!config.file.empty()) {
        file_ = std::fopen(config.file.c_str(), "wb");
        if (!file_)
            throw config_error("uart.file: cannot open '" + config.file + "' for writing: " +
                               std::strerror(errno));
    }
    reg_target.register_b_transport(this, &uart::b_transport);
    reg_target.register_transport_dbg(this, &uart::transport_dbg);
}

uart::~uart()
{
    flush();
    if (file_)
        std::fclose(file_);
}

void uart::flush()
{
    if (to_stdout_)
        std::fflush(stdout);
    if (file_)
        std::fflush(file_);
}

void uart::transmit(std::uint8_t byte)
{
    ++sent_;
    if (to_stdout_) {
        std::fputc(byte, stdout);
        if (byte == '\n')
            std::fflush(stdout);
    }
    if (file_)
        std::fputc(byte, file_);
}

bool uart::access(std::uint64_t offset, bool write, std::uint8_t& v)
{
    const bool dlab = (lcr_ & lcr_dlab) != 0;
    switch (offset) {
    case 0:
        if (dlab)
            write ? void(dll_ = v) : void(v = dll_);
        else if (write)
            transmit(v);
        else
            v = 0;  // RBR: nothing is ever received
        return true;
    case 1:
        if (dlab)
            write ? void(dlm_ = v) : void(v = dlm_);
        else
            write ? void(ier_ = v) : void(v = ier_);
        return true;
    case 2:
        if (!write)
            v = 0xC1;  // IIR: FIFOs enabled, no interrupt pending
        return true;   // FCR writes are accepted and ignored
    case 3: write ? void(lcr_ = v) : void(v = lcr_); return true;
    case 4: write ? void(mcr_ = v) : void(v = mcr_); return true;
    case 5:
        if (!write)
            v = lsr_thre_temt;
        return true;  // LSR is read-only; writes are ignored
    case 6:
        if (!write)
            v = 0xB0;  // MSR: CTS, DSR, DCD asserted
        return true;
    case 7: write ? void(scr_ = v) : void(v = scr_); return true;
    default: return false;
    }
}

void uart::b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& /*delay*/)
{
    const tlm::tlm_command cmd = trans.get_command();
    if (cmd == tlm::TLM_IGNORE_COMMAND) {
        trans.set_response_status(tlm::TLM_OK_RESPONSE);
        return;
    }
    if (trans.get_data_length() != 1 || trans.get_byte_enable_ptr()) {
        trans.set_response_status(tlm::TLM_BURST_ERROR_RESPONSE);
        return;
    }
    std::uint8_t v = cmd == tlm::TLM_WRITE_COMMAND ? *trans.get_data_ptr() : 0;
    if (!access(trans.get_address(), cmd == tlm::TLM_WRITE_COMMAND, v)) {
        trans.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
        return;
    }
    if (cmd == tlm::TLM_READ_COMMAND)
        *trans.get_data_ptr() = v;
    trans.set_response_status(tlm::TLM_OK_RESPONSE);
}

unsigned int uart::transport_dbg(tlm::tlm_generic_payload& trans)
{
    // Debug reads must not have side effects; only plain registers are shown.
    if (trans.get_command() != tlm::TLM_READ_COMMAND || trans.get_data_length() != 1)
        return 0;
    const std::uint64_t off = trans.get_address();
    std::uint8_t v = 0;
    if (off > 7 || (off == 0 && !(lcr_ & lcr_dlab)))
        return 0;
    access(off, false, v);
    *trans.get_data_ptr() = v;
    return 1;
}

}  // namespace ant
