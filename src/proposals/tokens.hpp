#pragma once
// Bearer tokens for writes. Reads are open; a write must carry `Authorization: Bearer <token>`
// with a token from the tokens file (lines "token name", # comments) or from the environment
// variable KVARTER_TOKENS ("token:name,token2:name2"). The name is who wrote.
//
//     auto tokens = token_list::load("geodata/tokens.example", std::getenv("KVARTER_TOKENS"));
//     const std::string& who = tokens.authorize(request);   // throws unauthorized / forbidden

#include "http/message.hpp"

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace kvarter::proposals {

inline constexpr std::size_t min_token_length = 16;

class token_list {
public:
    token_list() = default;

    // `file` empty: none; `env` null or empty: none. Throws config_error naming the file and line
    // (or KVARTER_TOKENS and the entry) for a line without a name, a short or repeated token.
    static token_list load(const std::filesystem::path& file, const char* env);
    static token_list parse_file_text(const std::string& text, const std::string& file);
    static token_list parse_env(const std::string& text);

    // Throws config_error (with `where`) when the token is short, has spaces, or is already there.
    void add(std::string token, std::string name, const std::string& where = "tokens");
    std::size_t size() const noexcept { return m_tokens.size(); }
    bool empty() const noexcept { return m_tokens.empty(); }

    // The name of the token the request carries. No Authorization header, or not a Bearer one:
    // unauthorized (401). A token that is not in the list: forbidden (403). Every token is
    // compared in full, in time that does not depend on where the texts differ.
    const std::string& authorize(const http::request& req) const;

private:
    std::vector<std::pair<std::string, std::string>> m_tokens; // token, name
}; // class token_list

// Compares in time that depends only on the lengths.
bool constant_time_equal(const std::string& a, const std::string& b) noexcept;

} // namespace kvarter::proposals
