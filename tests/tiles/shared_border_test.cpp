// Districts share borders: after clipping, simplification and snapping to the tile grid,
// the union of the districts in a tile still covers the districts' land with no gap wider
// than one tile pixel (one unit of the 4096 grid) and no overlap, at zooms 8, 11 and 14.

#include "catalog/config.hpp"
#include "catalog/loader.hpp"
#include "geometry/geos.hpp"
#include "geometry/web_mercator.hpp"
#include "support/test_support.hpp"
#include "tiles/mvt_reader.hpp"
#include "tiles/tile_math.hpp"
#include "tiles/tile_renderer.hpp"

#include <gtest/gtest.h>

#include <cmath>

using namespace kvarter;
using geometry::geom_ptr;

namespace {

geom_ptr from_ogr(geometry::geos_context& geos, const OGRGeometry& g) {
    std::vector<unsigned char> wkb(g.WkbSize());
    g.exportToWkb(wkbNDR, wkb.data(), wkbVariantIso);
    return geometry::from_wkb(geos, wkb.data(), wkb.size());
}

geom_ptr box_geom(geometry::geos_context& geos, const geometry::box& b) {
    return geometry::checked(geos, GEOSGeom_createRectangle_r(geos.get(), b.min_x, b.min_y, b.max_x, b.max_y), "box");
}

geom_ptr union_of(geometry::geos_context& geos, std::vector<geom_ptr>& parts) {
    std::vector<GEOSGeometry*> raw;
    for (auto& p : parts) raw.push_back(p.release());
    auto collection = geometry::checked(
        geos, GEOSGeom_createCollection_r(geos.get(), GEOS_GEOMETRYCOLLECTION, raw.data(), static_cast<unsigned>(raw.size())),
        "collection");
    return geometry::checked(geos, GEOSUnaryUnion_r(geos.get(), collection.get()), "union");
}

struct border_check {
    double widest_gap_area = 0; // area left of the inner gaps after eroding them by half a unit
    double overlap = 0; // sum of areas minus area of the union, in units²
    std::size_t tiles = 0;
};

border_check check_tiles(const catalog::catalog& cat, const std::vector<tiles::tile_id>& ids) {
    auto& geos = geometry::this_thread_geos();
    const auto& districts = *cat.find("districts");
    std::vector<geom_ptr> originals;
    for (const auto& f : districts.features)
        if (f.has_geometry) originals.push_back(geometry::to_geos(geos, geometry::web_mercator::from_lonlat(f.lonlat)));
    const auto land = union_of(geos, originals);
    const auto coast = geometry::checked(geos, GEOSBoundary_r(geos.get(), land.get()), "boundary");

    border_check result;
    for (const auto& t : ids) {
        const std::string mvt = tiles::render_tile(cat, *cat.find_tileset("default"), t, tiles::default_year(cat));
        if (mvt.empty()) continue;
        const auto layers = test::decode_with_gdal(mvt, t.z, t.x, t.y);
        if (!layers.contains("districts")) continue;
        const auto b = tiles::mercator_bounds(t);
        const double unit = (b.max_x - b.min_x) / 4096;
        const auto tile_box = box_geom(geos, b);
        std::vector<geom_ptr> decoded;
        double sum = 0;
        for (const auto& d : layers.at("districts")) {
            auto g = geometry::intersection(geos, from_ogr(geos, *d.geometry).get(), tile_box.get());
            sum += geometry::area(geos, g.get());
            decoded.push_back(std::move(g));
        }
        const auto covered = union_of(geos, decoded);
        result.overlap = std::max(result.overlap, (sum - geometry::area(geos, covered.get())) / (unit * unit));

        // What of the land in the tile is not covered, away from the coast and the tile's own edges
        // (where simplification may move the outline by its tolerance), is a gap between neighbours.
        const auto land_here = geometry::intersection(geos, land.get(), tile_box.get());
        auto gaps = geometry::checked(geos, GEOSDifference_r(geos.get(), land_here.get(), covered.get()), "difference");
        const auto near_coast = geometry::checked(geos, GEOSBuffer_r(geos.get(), coast.get(), 1.5 * unit, 4), "buffer");
        gaps = geometry::checked(geos, GEOSDifference_r(geos.get(), gaps.get(), near_coast.get()), "difference");
        const auto eroded = geometry::checked(geos, GEOSBuffer_r(geos.get(), gaps.get(), -0.5 * unit, 4), "erode");
        result.widest_gap_area = std::max(result.widest_gap_area, geometry::area(geos, eroded.get()) / (unit * unit));
        ++result.tiles;
    }
    return result;
}

// Tiles at zoom z over the districts: all of them, or every `step`-th vertex's tile along the borders.
std::vector<tiles::tile_id> tiles_over(const catalog::layer& districts, int z, std::size_t step) {
    std::vector<tiles::tile_id> out;
    const double n = std::ldexp(1.0, z);
    auto add = [&](double mx, double my) {
        const auto x = static_cast<std::uint32_t>((mx / geometry::web_mercator::half_world + 1) / 2 * n);
        const auto y = static_cast<std::uint32_t>((1 - my / geometry::web_mercator::half_world) / 2 * n);
        const tiles::tile_id t{z, x, y};
        if (std::find(out.begin(), out.end(), t) == out.end()) out.push_back(t);
    };
    std::size_t i = 0;
    for (const auto& f : districts.features)
        for (const auto& part : geometry::web_mercator::from_lonlat(f.lonlat).parts) // (the copy lives through the loop)
            for (const auto& ring : part)
                for (const auto& p : ring)
                    if (i++ % step == 0) add(p.x, p.y);
    return out;
}

void expect_gap_free(const std::filesystem::path& config) {
    const auto cat = catalog::load_catalog(catalog::load_config(config));
    const auto& districts = *cat->find("districts");
    for (int z : {8, 11, 14}) {
        const auto ids = tiles_over(districts, z, z == 14 ? 7 : 1);
        const auto r = check_tiles(*cat, ids);
        EXPECT_GT(r.tiles, 0u) << "z" << z;
        EXPECT_LT(r.widest_gap_area, 1e-6) << "z" << z << ": a gap wider than one unit between districts";
        EXPECT_LT(r.overlap, 1.0) << "z" << z << ": districts overlap by " << r.overlap << " units²";
    }
}

} // namespace

TEST(shared_borders, sample_districts_stay_gap_free_in_tiles) { expect_gap_free(test::sample_config()); }

TEST(shared_borders, real_districts_stay_gap_free_in_tiles) {
    expect_gap_free(test::copenhagen_config());
}
