#include "geometry/relate.hpp"

#include "core/error.hpp"
#include "geometry/geos.hpp"

namespace kvarter::geometry {

namespace {

geometry plain(geos_context& ctx, const geom_ptr& g) {
    if (GEOSisEmpty_r(ctx.get(), g.get()) == 1) throw geometry_error{"the geometry is empty"};
    if (GEOSGeomTypeId_r(ctx.get(), g.get()) == GEOS_GEOMETRYCOLLECTION)
        throw geometry_error{"a GEOMETRYCOLLECTION is not supported; give one geometry or a Multi* of one kind"};
    return from_geos(ctx, g.get(), dominant_kind(ctx, g.get()));
}

// GEOS answers 0, 1, or 2 for an error.
bool answer(geos_context& ctx, char result, const char* what) {
    if (result == 2) {
        const auto message = ctx.take_error();
        throw geometry_error{std::string{what} + ": " + (message.empty() ? "GEOS failed" : message)};
    }
    return result == 1;
}

} // namespace

geometry read_wkt(const std::string& wkt) {
    auto& ctx = this_thread_geos();
    return plain(ctx, from_wkt(ctx, wkt));
}

geometry read_geojson(const std::string& geojson) {
    auto& ctx = this_thread_geos();
    GEOSGeoJSONReader* reader = GEOSGeoJSONReader_create_r(ctx.get());
    GEOSGeometry* g = GEOSGeoJSONReader_readGeometry_r(ctx.get(), reader, geojson.c_str());
    GEOSGeoJSONReader_destroy_r(ctx.get(), reader);
    return plain(ctx, checked(ctx, g, "reading GeoJSON"));
}

std::string invalid_reason(const geometry& g) {
    auto& ctx = this_thread_geos();
    return invalid_reason(ctx, to_geos(ctx, g).get());
}

struct prepared_literal::impl {
    geos_context& ctx;
    geom_ptr literal;
    prepared_ptr prepared;
};

prepared_literal::prepared_literal(const geometry& literal) {
    auto& ctx = this_thread_geos();
    auto g = to_geos(ctx, literal);
    auto p = prepare(ctx, g.get());
    m_impl.reset(new impl{ctx, std::move(g), std::move(p)});
}

prepared_literal::~prepared_literal() = default;

bool prepared_literal::test(relation r, const geometry& feature) const {
    auto& ctx = m_impl->ctx;
    const auto c = ctx.get();
    const auto f = to_geos(ctx, feature);
    const GEOSPreparedGeometry* p = m_impl->prepared.get();
    // The prepared geometry is the literal, so "feature within literal" asks "literal contains feature".
    switch (r) {
    case relation::intersects: return answer(ctx, GEOSPreparedIntersects_r(c, p, f.get()), "S_INTERSECTS");
    case relation::within: return answer(ctx, GEOSPreparedContains_r(c, p, f.get()), "S_WITHIN");
    case relation::contains: return answer(ctx, GEOSPreparedWithin_r(c, p, f.get()), "S_CONTAINS");
    case relation::disjoint: return answer(ctx, GEOSPreparedDisjoint_r(c, p, f.get()), "S_DISJOINT");
    case relation::touches: return answer(ctx, GEOSPreparedTouches_r(c, p, f.get()), "S_TOUCHES");
    case relation::overlaps: return answer(ctx, GEOSPreparedOverlaps_r(c, p, f.get()), "S_OVERLAPS");
    case relation::crosses: return answer(ctx, GEOSCrosses_r(c, f.get(), m_impl->literal.get()), "S_CROSSES");
    case relation::equals: return answer(ctx, GEOSEquals_r(c, f.get(), m_impl->literal.get()), "S_EQUALS");
    }
    return false;
}

} // namespace kvarter::geometry
