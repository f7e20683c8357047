#include "geometry/pixel_grid.hpp"

#include "geometry/geos.hpp"

#include <cmath>

namespace kvarter::geometry {

namespace {

constexpr double mercator_half_world = 20037508.342789244; // pi times the WGS84 semi-major axis

} // namespace

geometry to_pixel_grid(const geometry& mercator, int z, int extent) {
    const double scale = std::ldexp(static_cast<double>(extent), z) / (2 * mercator_half_world);
    geometry out;
    out.type = mercator.type;
    out.multi = mercator.multi;
    out.parts.reserve(mercator.parts.size());
    for (const auto& part : mercator.parts) {
        auto& new_part = out.parts.emplace_back();
        new_part.reserve(part.size());
        for (const auto& p : part) {
            auto& new_path = new_part.emplace_back();
            new_path.reserve(p.size());
            for (const auto& c : p)
                new_path.push_back({std::round((c.x + mercator_half_world) * scale), std::round((mercator_half_world - c.y) * scale)});
        }
    }
    return out;
}

geometry snapped_valid(geometry g) {
    if (g.type != kind::polygon || g.empty()) return g;
    auto& geos = this_thread_geos();
    // GEOS cannot even build a ring of fewer than 4 positions; such a ring is the encoder's to drop.
    for (const auto& part : g.parts)
        for (const auto& ring : part)
            if (ring.size() < 4) return g;
    auto in = to_geos(geos, g);
    if (invalid_reason(geos, in.get()).empty()) return g;
    auto fixed = from_geos(geos, make_valid(geos, in.get()).get(), kind::polygon);
    for (auto& part : fixed.parts)
        for (auto& ring : part)
            for (auto& p : ring) p = {std::round(p.x), std::round(p.y)};
    return fixed;
}

} // namespace kvarter::geometry
