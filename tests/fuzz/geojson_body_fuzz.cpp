// A request body as the overlay and the proposals read it: the JSON body reader, then the
// overlay's polygon reader (with its repair) and the proposal reader. Only kvarter's own errors
// (bad_request, geometry_error), which become 4xx answers, may come out; anything else escaping
// is a 500 and crashes the fuzzer.

#include "analysis/overlay.hpp"
#include "core/error.hpp"
#include "http/json_body.hpp"
#include "proposals/proposal_store.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    kvarter::http::request req;
    req.method = "POST";
    req.body.assign(reinterpret_cast<const char*>(data), size);
    req.headers.emplace("content-type", "application/geo+json");
    nlohmann::json body;
    try {
        body = kvarter::http::json_body(req, "a GeoJSON Feature");
    } catch (const kvarter::bad_request&) {
        return 0;
    }
    try {
        kvarter::analysis::parse_polygon(body, 2000);
    } catch (const kvarter::bad_request&) {
    } catch (const kvarter::geometry_error&) {
    }
    try {
        kvarter::proposals::parse_proposal(body, 2000, "fuzz");
    } catch (const kvarter::bad_request&) {
    } catch (const kvarter::geometry_error&) {
    }
    return 0;
}
