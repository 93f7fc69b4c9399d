// ant::uart — a 16550-compatible subset, enough for printf: registers one byte apart
// (THR/RBR +0, IER +1, IIR/FCR +2, LCR +3, MCR +4, LSR +5, MSR +6, SCR +7; DLL/DLM at +0/+1
// while LCR.DLAB is set). Transmission is instantaneous: LSR always reports THR empty and
// transmitter idle (0x60); nothing is ever received (RBR reads 0, LSR.DR = 0). Bytes written
// to THR go to the host's stdout and/or a file. Accesses must be one byte; wider accesses get
// TLM_BURST_ERROR_RESPONSE, offsets past +7 TLM_ADDRESS_ERROR_RESPONSE.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

#include "platform_config.h"

namespace ant {

class uart : public sc_core::sc_module {
public:
    tlm_utils::simple_target_socket<uart> reg_target;

    // Opens config.file for writing (throws config_error naming uart.file if it cannot).
    uart(const sc_core::sc_module_name& name, const uart_config& config);
    ~uart() override;
    uart(const uart&) = delete;
    uart& operator=(const uart&) = delete;

    std::uint64_t bytes_sent() const { return sent_; }
    void flush();

private:
    void b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
    unsigned int transport_dbg(tlm::tlm_generic_payload& trans);
    bool access(std::uint64_t offset, bool write, std::uint8_t& value);
    void transmit(std::uint8_t byte);

    bool to_stdout_;
    std::FILE* file_ = nullptr;
    std::uint8_t ier_ = 0, lcr_ = 0x03, mcr_ = 0, scr_ = 0, dll_ = 1, dlm_ = 0;
    std::uint64_t sent_ = 0;
};

}  // namespace ant
