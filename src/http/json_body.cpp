#include "http/json_body.hpp"

#include "core/error.hpp"

namespace kvarter::http {

nlohmann::json json_body(const request& req, const std::string& expected) {
    const std::string want = "the body must be " + expected;
    if (req.body.empty()) throw bad_request{"body", want + "; it is empty"};
    try {
        return nlohmann::json::parse(req.body);
    } catch (const nlohmann::json::parse_error& e) {
        throw bad_request{"body", want + "; it is not valid JSON (near byte " + std::to_string(e.byte) + ")"};
    } catch (const nlohmann::json::out_of_range&) {
        throw bad_request{"body", want + "; it holds a number too large for a double"};
    } catch (const nlohmann::json::exception&) {
        throw bad_request{"body", want + "; it is not valid JSON"};
    }
}

} // namespace kvarter::http
