// Metadata that travels with a generic payload between accelerator blocks (a fetch command,
// a batch of vectors, a drain request). One template gives every command type the
// clone/copy_from an extension needs; the payload's data array still carries the bytes.
#pragma once

#include <tlm>

namespace ant {

template <typename Command>
class command_extension : public tlm::tlm_extension<command_extension<Command>> {
public:
    Command command{};

    command_extension() = default;
    explicit command_extension(const Command& c) : command(c) {}

    tlm::tlm_extension_base* clone() const override { return new command_extension(*this); }
    void copy_from(const tlm::tlm_extension_base& other) override
    {
        command = static_cast<const command_extension&>(other).command;
    }

    // The command a target received, or nullptr if the payload carries none.
    static Command* of(tlm::tlm_generic_payload& trans)
    {
        auto* ext = trans.get_extension<command_extension>();
        return ext ? &ext->command : nullptr;
    }
};

// Sends `command` through `socket` as a blocking transaction with no data phase; the
// extension lives on the caller's stack for the duration of the call only.
template <typename Command, typename Socket>
tlm::tlm_response_status send_command(Socket& socket, Command& command, sc_core::sc_time& delay)
{
    tlm::tlm_generic_payload trans;
    command_extension<Command> ext(command);
    trans.set_command(tlm::TLM_IGNORE_COMMAND);
    trans.set_address(0);
    trans.set_data_ptr(nullptr);
    trans.set_data_length(0);
    trans.set_streaming_width(0);
    trans.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    trans.set_extension(&ext);
    socket->b_transport(trans, delay);
    trans.clear_extension(&ext);
    command = ext.command;  // targets write their results into the command
    return trans.get_response_status();
}

// Reads or writes raw bytes at `address` of a buffer behind `socket`, in `trans`, which the
// caller may reuse from call to call (every attribute a target reads is set here).
template <typename Socket>
tlm::tlm_response_status transfer(Socket& socket, tlm::tlm_generic_payload& trans, tlm::tlm_command cmd,
                                  uint64_t address, void* data, uint64_t length, sc_core::sc_time& delay)
{
    trans.set_command(cmd);
    trans.set_address(address);
    trans.set_data_ptr(static_cast<unsigned char*>(data));
    trans.set_data_length(static_cast<unsigned>(length));
    trans.set_streaming_width(static_cast<unsigned>(length));
    trans.set_byte_enable_ptr(nullptr);
    trans.set_dmi_allowed(false);
    trans.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    trans.set_gp_option(tlm::TLM_MIN_PAYLOAD);
    socket->b_transport(trans, delay);
    return trans.get_response_status();
}

// The same with a payload of its own.
template <typename Socket>
tlm::tlm_response_status transfer(Socket& socket, tlm::tlm_command cmd, uint64_t address, void* data, uint64_t length,
                                  sc_core::sc_time& delay)
{
    tlm::tlm_generic_payload trans;
    return transfer(socket, trans, cmd, address, data, length, delay);
}

}  // namespace ant
