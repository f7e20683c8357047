#pragma once
// Reads a tile back with GDAL's MVT driver: an independent decoder, not ours.

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace kvarter::test {

struct decoded_feature {
    std::map<std::string, std::string> properties; // as GDAL's text; mvt_id included
    std::unique_ptr<OGRGeometry> geometry; // EPSG:3857
};

// Layer name -> features, for the tile bytes at z/x/y.
std::map<std::string, std::vector<decoded_feature>> decode_with_gdal(const std::string& mvt, int z, unsigned x, unsigned y);

} // namespace kvarter::test
