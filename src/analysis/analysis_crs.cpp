#include "analysis/analysis_crs.hpp"

#include <memory>
#include <string>

namespace kvarter::analysis {

const geometry::crs_transform& to_analysis_crs(const catalog::catalog& cat) {
    thread_local std::string crs;
    thread_local std::unique_ptr<geometry::crs_transform> transform;
    if (!transform || crs != cat.analysis_crs) {
        transform = std::make_unique<geometry::crs_transform>(geometry::make_srs("EPSG:4326"), geometry::make_srs(cat.analysis_crs));
        crs = cat.analysis_crs;
    }
    return *transform;
}

} // namespace kvarter::analysis
