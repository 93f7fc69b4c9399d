// Reading a configuration JSON file for `ant-vp layer` and `ant-vp run`: a JSON object,
// flat ({"pe_array.f": 4}) or nested ({"pe_array": {"f": 4}}), at most
// max_config_depth levels deep. Every problem is a usage_error naming the file.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace ant {

// Deeper than any real configuration (keys have two or three parts), shallow enough that
// nothing recursive over the document can run out of stack.
constexpr int max_config_depth = 16;

using config_keys = std::vector<std::pair<std::string, nlohmann::json>>;

// The file's (key, value) pairs, nested objects' keys joined with '.', in the order a
// depth-first walk of the document meets them.
config_keys read_config_file(const std::string& path);

// The same from the file's text; `name` stands for the file in messages.
config_keys parse_config_text(const std::string& text, const std::string& name);

// One --set override, "key=value": the value is read as JSON when it parses (numbers,
// true/false) and is not nested deeper than max_config_depth, as a string otherwise.
// Throws usage_error when there is no '=' or no key.
std::pair<std::string, nlohmann::json> parse_override(const std::string& key_value);

}  // namespace ant
