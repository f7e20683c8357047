#pragma once
// `kvarter export`: the pyramid of a tileset over the data's extent, cut once and written to
// a folder of z/x/y.mvt files or to an MBTiles file, so tiles can be served from any CDN.

#include "catalog/catalog.hpp"

#include <filesystem>
#include <ostream>
#include <string>

namespace kvarter::tiles {

struct export_options {
    std::string tileset = "default";
    int minzoom = 0;
    int maxzoom = 14;
    int year = 0; // 0: the default year
    std::filesystem::path out; // *.mbtiles: an MBTiles file; anything else: a folder
    bool progress = false; // draw a progress bar on `log`
};

struct export_summary {
    std::size_t tiles = 0; // written
    std::size_t empty = 0; // cut but empty, so not written
    std::size_t bytes = 0;
};

// Throws bad_request naming the option when the options are wrong, io_error when writing fails.
export_summary export_tiles(const catalog::catalog& cat, const export_options& options, std::ostream& log);

} // namespace kvarter::tiles
