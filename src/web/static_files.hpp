#pragma once
// The map viewer's files (web/dist, built by `npm run build` in web/) served at /map/.
// A file is read and gzipped once and served from memory while its size and mtime stay, so a
// rebuilt viewer is served without a restart.

#include "catalog/catalog_holder.hpp"
#include "http/router.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace kvarter::web {

// GET /map (redirect to /map/), GET /map/ (index.html) and GET /map/{path...}, from the folder the
// catalog's config names (config key "web", default <config folder>/../web/dist).
std::vector<http::route> routes(const catalog::catalog_holder& holder);

// The Content-Type for a file name, by its extension; application/octet-stream when unknown.
std::string content_type_for(const std::filesystem::path& file);

// Answers the file at `relative` (already percent-decoded, '/'-separated) inside `root`:
// 404 for anything that is not a plain file inside it (".." segments included), a 404 problem
// saying the viewer is not built when `root` has no index.html, 304 on a matching If-None-Match.
http::response serve_file(const std::filesystem::path& root, const std::string& relative, const http::request& req);

} // namespace kvarter::web
