#include "web/static_files.hpp"

#include "core/error.hpp"
#include "http/etag.hpp"
#include "http/gzip.hpp"

#include <cstdint>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <system_error>

namespace kvarter::web {

using http::request;
using http::response;
using http::route_params;

namespace {

// Only plain names: no "..", ".", empty segments or backslashes, so a request can never leave the
// root by its spelling (symbolic links are refused apart, below).
bool safe_relative_path(const std::string& relative) {
    if (relative.empty() || relative.find('\\') != std::string::npos || relative.find('\0') != std::string::npos) return false;
    std::size_t start = 0;
    while (start <= relative.size()) {
        const auto slash = relative.find('/', start);
        const auto segment = relative.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
        if (segment.empty() || segment == "." || segment == "..") return false;
        if (slash == std::string::npos) break;
        start = slash + 1;
    }
    return true;
}

// No step below the root is a symbolic link: a link in the build folder (to the config's folder,
// say) would otherwise serve whatever it points at. The root itself may be one. A step the file
// system refuses to look at (a name longer than it allows, say) is no link, but nothing servable.
bool no_link_below(const std::filesystem::path& root, const std::string& relative) {
    std::filesystem::path at = root;
    for (const auto& part : std::filesystem::path{relative}) {
        at /= part;
        std::error_code ec;
        if (std::filesystem::is_symlink(at, ec) || ec) return false;
    }
    return true;
}

} // namespace

std::string content_type_for(const std::filesystem::path& file) {
    const auto ext = file.extension().string();
    if (ext == ".html") return "text/html; charset=utf-8";
    if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
    if (ext == ".css") return "text/css; charset=utf-8";
    if (ext == ".json" || ext == ".map") return "application/json";
    if (ext == ".svg") return "image/svg+xml";
    if (ext == ".png") return "image/png";
    if (ext == ".ico") return "image/x-icon";
    if (ext == ".woff2") return "font/woff2";
    if (ext == ".txt") return "text/plain; charset=utf-8";
    return "application/octet-stream";
}

namespace {

// A file as served: its bytes, gzipped once (the viewer's bundle is a megabyte, and gzipping it
// per request costs tens of milliseconds), and its ETag; valid while size and mtime stay.
struct served_file {
    std::filesystem::file_time_type mtime;
    std::uintmax_t size = 0;
    std::string raw;
    std::string gzipped;
    std::string etag;
};

std::shared_ptr<const served_file> load(const std::filesystem::path& file) {
    static std::mutex mutex;
    static std::map<std::string, std::shared_ptr<const served_file>> cache;
    std::error_code ec;
    const auto mtime = std::filesystem::last_write_time(file, ec);
    const auto size = std::filesystem::file_size(file, ec);
    {
        std::lock_guard lock{mutex};
        const auto it = cache.find(file.string());
        if (!ec && it != cache.end() && it->second->mtime == mtime && it->second->size == size) return it->second;
    }
    std::ifstream in{file, std::ios::binary};
    std::ostringstream bytes;
    bytes << in.rdbuf();
    if (!in && !in.eof()) throw std::runtime_error{"cannot read " + file.string()};
    auto f = std::make_shared<served_file>();
    f->mtime = mtime;
    f->size = size;
    f->raw = bytes.str();
    f->gzipped = http::gzip(f->raw);
    f->etag = http::strong_etag(f->raw);
    std::lock_guard lock{mutex};
    cache[file.string()] = f;
    return f;
}

} // namespace

response serve_file(const std::filesystem::path& root, const std::string& relative, const request& req) {
    if (!std::filesystem::is_regular_file(root / "index.html"))
        throw not_found{"the map viewer is not built: there is no " + (root / "index.html").string() +
                        "; scripts/setup builds it (npm ci && npm run build in web/)"};
    if (!safe_relative_path(relative) || !no_link_below(root, relative)) throw not_found{"nothing at " + req.path};
    const auto file = root / relative;
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) throw not_found{"nothing at " + req.path};
    const auto served = load(file);

    response r;
    // The page itself is asked again every time (its ETag makes that cheap) so a new build shows at
    // once; the files it loads keep their names across builds, so they are cached only briefly.
    r.set_header("Cache-Control", file.extension() == ".html" ? "no-cache" : "public, max-age=300");
    const auto chosen = http::choose_variant(req, r, served->etag);
    if (chosen == http::variant::not_modified) {
        r.status = 304;
        r.content_type.clear();
        return r;
    }
    r.content_type = content_type_for(file);
    r.body = chosen == http::variant::gzipped ? served->gzipped : served->raw;
    return r;
}

std::vector<http::route> routes(const catalog::catalog_holder& holder) {
    const auto* h = &holder;
    return {
        {"GET", "/map", "The map viewer (redirects to /map/)",
         [](const request&, const route_params&) {
             response r;
             r.status = 302;
             r.content_type.clear();
             r.set_header("Location", "/map/");
             return r;
         }},
        {"GET", "/map/", "The map viewer",
         [h](const request& req, const route_params&) { return serve_file(h->get()->web_dir, "index.html", req); }},
        {"GET", "/map/{path...}", "A file of the map viewer",
         [h](const request& req, const route_params& p) { return serve_file(h->get()->web_dir, p.at("path"), req); }},
    };
}

} // namespace kvarter::web
