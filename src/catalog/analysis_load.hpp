#pragma once
// The analyses' share of the load pipeline: checks the "analysis" key against the loaded
// layers and computes the SØK index of every layer with indicators, for every year, once.

#include "catalog/catalog.hpp"
#include "catalog/config.hpp"

namespace kvarter::catalog {

// Call after the indicator joins and before the tilesets (a tileset may pick soek_index).
// Throws config_error naming the file and key. Does nothing without an "analysis" key.
void prepare_analysis(const config& cfg, catalog& c);

} // namespace kvarter::catalog
