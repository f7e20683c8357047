#pragma once
// The proposals API: POST /proposals, GET /proposals, GET/PUT/DELETE /proposals/{id} and
// GET /proposals/{id}/report (the overlay of the stored polygon on the current catalog).
// Writes need a bearer token; reads are open.

#include "catalog/catalog_holder.hpp"
#include "http/router.hpp"
#include "proposals/proposal_store.hpp"
#include "proposals/tokens.hpp"

#include <vector>

namespace kvarter::proposals {

// `store` and `tokens` must outlive the routes.
std::vector<http::route> routes(const catalog::catalog_holder& holder, proposal_store& store, const token_list& tokens);

} // namespace kvarter::proposals
