#include "proposals/tokens.hpp"

#include "core/error.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

namespace kvarter::proposals {

namespace {

std::string trim(const std::string& s) {
    const auto first = s.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) return {};
    const auto last = s.find_last_not_of(" \t\r\n");
    return s.substr(first, last - first + 1);
}

} // namespace

bool constant_time_equal(const std::string& a, const std::string& b) noexcept {
    // Walks the longer text whatever the contents; a length difference also counts as a difference.
    const std::size_t n = std::max(a.size(), b.size());
    unsigned char diff = a.size() == b.size() ? 0 : 1;
    for (std::size_t i = 0; i < n; ++i) {
        const unsigned char x = i < a.size() ? static_cast<unsigned char>(a[i]) : 0;
        const unsigned char y = i < b.size() ? static_cast<unsigned char>(b[i]) : 0;
        diff |= static_cast<unsigned char>(x ^ y);
    }
    return diff == 0;
}

void token_list::add(std::string token, std::string name, const std::string& where) {
    const auto at = where.find(": ");
    const std::string file = at == std::string::npos ? where : where.substr(0, at);
    const std::string key = at == std::string::npos ? "(token)" : where.substr(at + 2);
    if (token.size() < min_token_length)
        throw config_error{file, key, "a token must be at least " + std::to_string(min_token_length) + " characters long"};
    if (token.find_first_of(" \t\r\n,:") != std::string::npos)
        throw config_error{file, key, "a token must not contain spaces, ',' or ':'"};
    if (name.empty()) throw config_error{file, key, "the token has no name (expected \"token name\")"};
    for (const auto& [t, n] : m_tokens)
        if (t == token) throw config_error{file, key, "the same token appears twice"};
    m_tokens.emplace_back(std::move(token), std::move(name));
}

token_list token_list::parse_file_text(const std::string& text, const std::string& file) {
    token_list out;
    std::istringstream in{text};
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
        if (const auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
        line = trim(line);
        if (line.empty()) continue;
        const auto space = line.find_first_of(" \t");
        const std::string token = line.substr(0, space);
        const std::string name = space == std::string::npos ? std::string{} : trim(line.substr(space));
        out.add(token, name, file + ": line " + std::to_string(number));
    }
    return out;
}

token_list token_list::parse_env(const std::string& text) {
    token_list out;
    std::size_t start = 0;
    for (int entry = 1; start <= text.size(); ++entry) {
        const auto comma = text.find(',', start);
        const std::string item = trim(text.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
        start = comma == std::string::npos ? text.size() + 1 : comma + 1;
        if (item.empty()) continue;
        const auto colon = item.find(':');
        if (colon == std::string::npos)
            throw config_error{"KVARTER_TOKENS", "entry " + std::to_string(entry), "expected token:name"};
        out.add(trim(item.substr(0, colon)), trim(item.substr(colon + 1)), "KVARTER_TOKENS: entry " + std::to_string(entry));
    }
    return out;
}

token_list token_list::load(const std::filesystem::path& file, const char* env) {
    token_list out;
    if (!file.empty()) {
        std::ifstream in{file};
        if (!in) throw config_error{file.string(), "(file)", "cannot be read"};
        std::ostringstream text;
        text << in.rdbuf();
        out = parse_file_text(text.str(), file.string());
    }
    if (env && *env)
        for (auto& [token, name] : parse_env(env).m_tokens) out.add(token, name, "KVARTER_TOKENS: " + name);
    return out;
}

const std::string& token_list::authorize(const http::request& req) const {
    const std::string header = req.header("authorization");
    if (header.empty()) throw unauthorized{"writing needs a token: send Authorization: Bearer <token>"};
    const auto space = header.find(' ');
    std::string scheme = header.substr(0, space);
    for (auto& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (scheme != "bearer" || space == std::string::npos)
        throw unauthorized{"the Authorization header must be \"Bearer <token>\""};
    const std::string token = trim(header.substr(space + 1));
    const std::string* found = nullptr;
    for (const auto& [t, name] : m_tokens)
        if (constant_time_equal(t, token) && !found) found = &name;
    if (!found) throw forbidden{"the token is not one of the server's tokens"};
    return *found;
}

} // namespace kvarter::proposals
