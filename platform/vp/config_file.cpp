#include "config_file.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include <sys/stat.h>

#include "options.h"

namespace ant {

namespace {

// Deepest nesting of objects and arrays, by a flat scan that skips strings. Runs before the
// parser so that a hostile file (200,000 '[') never reaches recursive code.
int nesting_depth(const std::string& text)
{
    int depth = 0, deepest = 0;
    bool in_string = false, escaped = false;
    for (const char ch : text) {
        if (in_string) {
            if (escaped)
                escaped = false;
            else if (ch == '\\')
                escaped = true;
            else if (ch == '"')
                in_string = false;
            continue;
        }
        if (ch == '"')
            in_string = true;
        else if (ch == '{' || ch == '[')
            deepest = std::max(deepest, ++depth);
        else if (ch == '}' || ch == ']')
            --depth;
    }
    return deepest;
}

}  // namespace

config_keys parse_config_text(const std::string& text, const std::string& name)
{
    if (nesting_depth(text) > max_config_depth)
        throw usage_error(name + ": nested more than " + std::to_string(max_config_depth) +
                          " levels deep; a configuration is an object of keys and values");
    nlohmann::json document;
    try {
        document = nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception& e) {
        throw usage_error(name + ": not valid JSON (" + std::string(e.what()) + ")");
    }
    if (!document.is_object())
        throw usage_error(name + ": the configuration must be a JSON object");
    // Depth-first with an explicit stack: the same order a recursive walk gives.
    struct level {
        std::string prefix;
        nlohmann::json::const_iterator next, end;
    };
    config_keys keys;
    std::vector<level> stack = {{"", document.cbegin(), document.cend()}};
    while (!stack.empty()) {
        level& top = stack.back();
        if (top.next == top.end) {
            stack.pop_back();
            continue;
        }
        const auto it = top.next++;
        const std::string key = top.prefix.empty() ? it.key() : top.prefix + "." + it.key();
        if (it->is_object())
            stack.push_back({key, it->cbegin(), it->cend()});
        else
            keys.emplace_back(key, *it);
    }
    return keys;
}

std::pair<std::string, nlohmann::json> parse_override(const std::string& key_value)
{
    const size_t eq = key_value.find('=');
    if (eq == std::string::npos || eq == 0)
        throw usage_error("--set '" + key_value + "' is not key=value");
    const std::string key = key_value.substr(0, eq), text = key_value.substr(eq + 1);
    // Keys and string values end up in JSON (errors, statistics), which must be UTF-8.
    try {
        (void)nlohmann::json(key_value).dump();
    } catch (const nlohmann::json::exception&) {
        throw usage_error("--set: '" + nlohmann::json(key_value).dump(-1, ' ', false,
                                                                    nlohmann::json::error_handler_t::replace) +
                          "' is not valid UTF-8");
    }
    if (nesting_depth(text) > max_config_depth)
        return {key, text};
    nlohmann::json value = nlohmann::json::parse(text, nullptr, false);
    if (value.is_discarded())
        value = text;
    return {key, value};
}

config_keys read_config_file(const std::string& path)
{
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode))
        throw usage_error(path + ": is a directory, not a configuration file");
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw usage_error(path + ": cannot open configuration file");
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad())
        throw usage_error(path + ": cannot read configuration file");
    return parse_config_text(text.str(), path);
}

}  // namespace ant
