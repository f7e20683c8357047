// Any request target (path and query) through the whole route table on the bundled sample:
// the target parser, every query parameter reader (bbox, limit, offset, year, crs, filter,
// sortby, weights, lon/lat) and the tile path numbers. Whatever comes in, the answer is a
// response below 500: a parser that throws anything but a bad_request/not_found is a crash here.

#include "catalog/catalog_holder.hpp"
#include "catalog/config.hpp"
#include "catalog/loader.hpp"
#include "core/error.hpp"
#include "http/router.hpp"
#include "service.hpp"
#include "tiles/tile_cache.hpp"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

namespace {

struct sample_service {
    std::unique_ptr<kvarter::catalog::catalog_holder> holder;
    std::unique_ptr<kvarter::tiles::tile_cache> cache;
    std::unique_ptr<kvarter::http::router> router;
};

sample_service* service = nullptr;

} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    const std::string config = std::string{KVARTER_SOURCE_DIR} + "/geodata/sample.json";
    service = new sample_service;
    service->holder = std::make_unique<kvarter::catalog::catalog_holder>(
        kvarter::catalog::load_catalog(kvarter::catalog::load_config(config)), config);
    service->cache = std::make_unique<kvarter::tiles::tile_cache>(16u << 20);
    service->router = kvarter::make_router(*service->holder, *service->cache, nullptr, nullptr);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    kvarter::http::request req;
    req.method = "GET";
    req.target.assign(reinterpret_cast<const char*>(data), size);
    if (req.target.empty() || req.target.front() != '/') req.target.insert(0, "/");
    req.headers.emplace("host", "fuzz");
    try {
        kvarter::http::parse_target(req);
    } catch (const kvarter::bad_request&) {
        return 0; // a malformed escape: the server answers 400 before routing
    }
    const auto res = service->router->handle(req);
    if (res.status >= 500) {
        std::fprintf(stderr, "%u for %s\n%s\n", res.status, req.target.c_str(), res.body.c_str());
        std::abort();
    }
    return 0;
}
