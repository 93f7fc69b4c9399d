// The one exception type for bad configuration (unknown key, wrong type, value out of
// range). Its message names the key and says what is wrong; the program turns it into a
// one-line error and exit status 2.
#pragma once

#include <stdexcept>
#include <string>

namespace ant {

class config_error : public std::runtime_error {
public:
    explicit config_error(const std::string& what) : std::runtime_error(what) {}
};

}  // namespace ant
