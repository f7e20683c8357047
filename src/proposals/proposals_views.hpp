#pragma once
// The proposals as the other parts show them: GeoJSON Features (the proposals API and the
// features API's /collections/proposals), and the `proposals` layer of every tileset's tiles.
// Each view asks the store on every request; nothing is kept.

#include "features/dynamic_collection.hpp"
#include "proposals/proposal_store.hpp"
#include "tiles/dynamic_layer.hpp"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace kvarter::proposals {

// One GeoJSON Feature: lon/lat rounded to 7 decimals (or in `crs`), id the store's integer id,
// properties name, author, description, status, created, updated.
void write_feature(std::string& out, const proposal& p, const geometry::to_ogc_crs* crs = nullptr);

// A proposal id from a request path (a positive integer); nullopt for anything else.
std::optional<std::int64_t> parse_proposal_id(const std::string& text);

// A strong entity tag of the proposal's state: a hash of its GeoJSON in CRS84, so any change of
// name, status, geometry… (or of `updated`) gives a new one. The same for every CRS it is read in.
std::string proposal_etag(const proposal& p);

// Whether an If-Match header (a list of entity tags, or "*") holds for the proposal.
bool if_match_holds(const std::string& if_match, const proposal& p);

struct view_set {
    std::vector<std::shared_ptr<const features::dynamic_collection>> collections;
    std::vector<std::shared_ptr<const tiles::dynamic_layer>> tile_layers;
};

// The collection `proposals` and the tile layer `proposals`, reading `store` (which must outlive them).
view_set views(const proposal_store& store);

} // namespace kvarter::proposals
