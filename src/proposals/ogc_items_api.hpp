#pragma once
// OGC API – Features Part 4 (create, replace, update, delete) on /collections/proposals/items:
// POST creates (201 + Location), PUT replaces, PATCH applies a JSON merge patch (RFC 7396),
// DELETE deletes. Every item carries a strong ETag and a write with a stale If-Match is a 412, so
// two planners cannot overwrite each other silently. Bodies may come in any offered CRS
// (Content-Crs). The same store, validation and tokens as /proposals.

#include "http/router.hpp"
#include "proposals/proposal_store.hpp"
#include "proposals/tokens.hpp"

#include <vector>

namespace kvarter::proposals {

// The conformance classes these routes meet (Features Part 4), for /conformance.
const std::vector<const char*>& ogc_items_conformance();

// `store` and `tokens` must outlive the routes.
std::vector<http::route> ogc_item_routes(proposal_store& store, const token_list& tokens);

} // namespace kvarter::proposals
