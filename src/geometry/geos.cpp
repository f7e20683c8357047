#include "geometry/geos.hpp"

#include "core/error.hpp"

#include <algorithm>
#include <utility>

namespace kvarter::geometry {

geos_context::geos_context() : m_ctx{GEOS_init_r()} {
    GEOSContext_setErrorMessageHandler_r(m_ctx, &geos_context::on_message, this);
}

geos_context::~geos_context() { GEOS_finish_r(m_ctx); }

void geos_context::on_message(const char* message, void* self) {
    static_cast<geos_context*>(self)->m_error = message;
}

geos_context& this_thread_geos() {
    thread_local geos_context ctx;
    return ctx;
}

geom_ptr checked(geos_context& ctx, GEOSGeometry* g, std::string_view what) {
    if (g == nullptr) {
        auto message = ctx.take_error();
        throw geometry_error{std::string{what} + ": " + (message.empty() ? "GEOS failed" : message)};
    }
    return geom_ptr{g, geom_deleter{ctx.get()}};
}

namespace {

GEOSGeometry* make_ring(geos_context& ctx, const path& ring, bool closed) {
    auto n = static_cast<unsigned>(ring.size());
    const bool close = closed && !ring.empty() && !(ring.front() == ring.back());
    GEOSCoordSequence* seq = nullptr;
    if (!close) {
        // xy is two doubles, so a path is the x,y,x,y… buffer GEOS copies in one call.
        static_assert(sizeof(xy) == 2 * sizeof(double));
        seq = GEOSCoordSeq_copyFromBuffer_r(ctx.get(), reinterpret_cast<const double*>(ring.data()), n, 0, 0);
    } else {
        seq = GEOSCoordSeq_create_r(ctx.get(), n + 1, 2);
        for (unsigned i = 0; i < n; ++i) GEOSCoordSeq_setXY_r(ctx.get(), seq, i, ring[i].x, ring[i].y);
        GEOSCoordSeq_setXY_r(ctx.get(), seq, n, ring[0].x, ring[0].y);
    }
    return closed ? GEOSGeom_createLinearRing_r(ctx.get(), seq) : GEOSGeom_createLineString_r(ctx.get(), seq);
}

GEOSGeometry* make_part(geos_context& ctx, kind k, const std::vector<path>& part) {
    auto c = ctx.get();
    switch (k) {
    case kind::point: return GEOSGeom_createPointFromXY_r(c, part.at(0).at(0).x, part.at(0).at(0).y);
    case kind::line: return make_ring(ctx, part.at(0), false);
    case kind::polygon: {
        GEOSGeometry* shell = make_ring(ctx, part.at(0), true);
        std::vector<GEOSGeometry*> holes;
        for (std::size_t i = 1; i < part.size(); ++i) holes.push_back(make_ring(ctx, part[i], true));
        return GEOSGeom_createPolygon_r(c, shell, holes.data(), static_cast<unsigned>(holes.size()));
    }
    }
    return nullptr;
}

path read_sequence(geos_context& ctx, const GEOSGeometry* g) {
    const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(ctx.get(), g);
    unsigned n = 0;
    GEOSCoordSeq_getSize_r(ctx.get(), seq, &n);
    path out(n);
    if (n > 0) GEOSCoordSeq_copyToBuffer_r(ctx.get(), seq, reinterpret_cast<double*>(out.data()), 0, 0);
    return out;
}

void collect(geos_context& ctx, const GEOSGeometry* g, kind wanted, geometry& out) {
    auto c = ctx.get();
    switch (GEOSGeomTypeId_r(c, g)) {
    case GEOS_POINT:
        if (wanted == kind::point && !GEOSisEmpty_r(c, g)) out.parts.push_back({read_sequence(ctx, g)});
        break;
    case GEOS_LINESTRING:
    case GEOS_LINEARRING:
        if (wanted == kind::line && !GEOSisEmpty_r(c, g)) out.parts.push_back({read_sequence(ctx, g)});
        break;
    case GEOS_POLYGON: {
        if (wanted != kind::polygon || GEOSisEmpty_r(c, g)) break;
        std::vector<path> rings;
        rings.push_back(read_sequence(ctx, GEOSGetExteriorRing_r(c, g)));
        const int holes = GEOSGetNumInteriorRings_r(c, g);
        for (int i = 0; i < holes; ++i) rings.push_back(read_sequence(ctx, GEOSGetInteriorRingN_r(c, g, i)));
        out.parts.push_back(std::move(rings));
        break;
    }
    default: {
        const int n = GEOSGetNumGeometries_r(c, g);
        for (int i = 0; i < n; ++i) collect(ctx, GEOSGetGeometryN_r(c, g, i), wanted, out);
    }
    }
}

int dimension_of(geos_context& ctx, const GEOSGeometry* g) {
    auto c = ctx.get();
    switch (GEOSGeomTypeId_r(c, g)) {
    case GEOS_POINT: return GEOSisEmpty_r(c, g) ? -1 : 0;
    case GEOS_LINESTRING:
    case GEOS_LINEARRING: return GEOSisEmpty_r(c, g) ? -1 : 1;
    case GEOS_POLYGON: return GEOSisEmpty_r(c, g) ? -1 : 2;
    default: {
        int best = -1;
        const int n = GEOSGetNumGeometries_r(c, g);
        for (int i = 0; i < n; ++i) best = std::max(best, dimension_of(ctx, GEOSGetGeometryN_r(c, g, i)));
        return best;
    }
    }
}

} // namespace

geom_ptr to_geos(geos_context& ctx, const geometry& g) {
    auto c = ctx.get();
    if (g.parts.size() == 1 && !g.multi) return checked(ctx, make_part(ctx, g.type, g.parts[0]), "building geometry");
    std::vector<GEOSGeometry*> parts;
    parts.reserve(g.parts.size());
    for (const auto& part : g.parts) parts.push_back(make_part(ctx, g.type, part));
    const int type = g.type == kind::point ? GEOS_MULTIPOINT : g.type == kind::line ? GEOS_MULTILINESTRING : GEOS_MULTIPOLYGON;
    return checked(ctx, GEOSGeom_createCollection_r(c, type, parts.data(), static_cast<unsigned>(parts.size())),
                   "building geometry");
}

geom_ptr from_wkb(geos_context& ctx, const unsigned char* wkb, std::size_t size) {
    GEOSWKBReader* reader = GEOSWKBReader_create_r(ctx.get());
    GEOSGeometry* g = GEOSWKBReader_read_r(ctx.get(), reader, wkb, size);
    GEOSWKBReader_destroy_r(ctx.get(), reader);
    return checked(ctx, g, "reading WKB");
}

geom_ptr from_wkt(geos_context& ctx, const std::string& wkt) {
    GEOSWKTReader* reader = GEOSWKTReader_create_r(ctx.get());
    GEOSGeometry* g = GEOSWKTReader_read_r(ctx.get(), reader, wkt.c_str());
    GEOSWKTReader_destroy_r(ctx.get(), reader);
    return checked(ctx, g, "reading WKT");
}

std::string to_wkt(geos_context& ctx, const GEOSGeometry* g) {
    GEOSWKTWriter* writer = GEOSWKTWriter_create_r(ctx.get());
    GEOSWKTWriter_setTrim_r(ctx.get(), writer, 1);
    char* text = GEOSWKTWriter_write_r(ctx.get(), writer, g);
    GEOSWKTWriter_destroy_r(ctx.get(), writer);
    std::string out = text ? text : "";
    GEOSFree_r(ctx.get(), text);
    return out;
}

geometry from_geos(geos_context& ctx, const GEOSGeometry* g, kind wanted) {
    geometry out;
    out.type = wanted;
    collect(ctx, g, wanted, out);
    const int type = GEOSGeomTypeId_r(ctx.get(), g);
    out.multi = out.parts.size() > 1 || type == GEOS_MULTIPOINT || type == GEOS_MULTILINESTRING ||
                type == GEOS_MULTIPOLYGON || type == GEOS_GEOMETRYCOLLECTION;
    return out;
}

kind dominant_kind(geos_context& ctx, const GEOSGeometry* g) {
    switch (dimension_of(ctx, g)) {
    case 2: return kind::polygon;
    case 1: return kind::line;
    default: return kind::point;
    }
}

std::string invalid_reason(geos_context& ctx, const GEOSGeometry* g) {
    const char valid = GEOSisValid_r(ctx.get(), g);
    if (valid == 1) return {};
    char* reason = GEOSisValidReason_r(ctx.get(), g);
    std::string out = reason ? reason : "invalid";
    GEOSFree_r(ctx.get(), reason);
    return out;
}

geom_ptr make_valid(geos_context& ctx, const GEOSGeometry* g) {
    GEOSMakeValidParams* params = GEOSMakeValidParams_create_r(ctx.get());
    // The structure method keeps polygon areas as drawn (a bow-tie becomes two triangles)
    // and drops collapsed parts instead of turning them into stray lines.
    GEOSMakeValidParams_setMethod_r(ctx.get(), params, GEOS_MAKE_VALID_STRUCTURE);
    GEOSMakeValidParams_setKeepCollapsed_r(ctx.get(), params, 0);
    GEOSGeometry* out = GEOSMakeValidWithParams_r(ctx.get(), g, params);
    GEOSMakeValidParams_destroy_r(ctx.get(), params);
    return checked(ctx, out, "repairing geometry");
}

double area(geos_context& ctx, const GEOSGeometry* g) {
    double a = 0;
    if (!GEOSArea_r(ctx.get(), g, &a)) throw geometry_error{"area: " + ctx.take_error()};
    return a;
}

geom_ptr intersection(geos_context& ctx, const GEOSGeometry* a, const GEOSGeometry* b) {
    return checked(ctx, GEOSIntersection_r(ctx.get(), a, b), "intersection");
}

namespace {

bool predicate(geos_context& ctx, char answer, const char* what) {
    if (answer == 2) throw geometry_error{std::string{what} + ": " + ctx.take_error()};
    return answer == 1;
}

} // namespace

bool intersects(geos_context& ctx, const GEOSPreparedGeometry* p, const GEOSGeometry* g) {
    return predicate(ctx, GEOSPreparedIntersects_r(ctx.get(), p, g), "intersects");
}

bool contains(geos_context& ctx, const GEOSPreparedGeometry* p, const GEOSGeometry* g) {
    return predicate(ctx, GEOSPreparedContains_r(ctx.get(), p, g), "contains");
}

double distance(geos_context& ctx, const GEOSGeometry* a, const GEOSGeometry* b) {
    double d = 0;
    if (!GEOSDistance_r(ctx.get(), a, b, &d)) throw geometry_error{"distance: " + ctx.take_error()};
    return d;
}

geom_ptr clip_by_rect(geos_context& ctx, const GEOSGeometry* g, const box& b) {
    return checked(ctx, GEOSClipByRect_r(ctx.get(), g, b.min_x, b.min_y, b.max_x, b.max_y), "clipping to a box");
}

geom_ptr unite(geos_context& ctx, const std::vector<const GEOSGeometry*>& parts) {
    // GEOS takes ownership of a collection's members, so it gets clones, each owned until handed over.
    std::vector<geom_ptr> clones;
    for (const auto* p : parts)
        if (p) clones.push_back(checked(ctx, GEOSGeom_clone_r(ctx.get(), p), "copying for a union"));
    std::vector<GEOSGeometry*> raw;
    for (auto& c : clones) raw.push_back(c.get());
    auto collection = checked(ctx, GEOSGeom_createCollection_r(ctx.get(), GEOS_GEOMETRYCOLLECTION, raw.data(),
                                                               static_cast<unsigned>(raw.size())),
                              "collecting for a union");
    for (auto& c : clones) static_cast<void>(c.release()); // the collection owns them now
    return checked(ctx, GEOSUnaryUnion_r(ctx.get(), collection.get()), "union");
}

geom_ptr buffer(geos_context& ctx, const GEOSGeometry* g, double distance) {
    constexpr int quadrant_segments = 8;
    return checked(ctx, GEOSBuffer_r(ctx.get(), g, distance, quadrant_segments), "buffer");
}

geom_ptr closing(geos_context& ctx, const GEOSGeometry* g, double r) {
    auto grown = buffer(ctx, g, r);
    auto shrunk = buffer(ctx, grown.get(), -r);
    return unite(ctx, {shrunk.get(), g});
}

geom_ptr difference(geos_context& ctx, const GEOSGeometry* a, const GEOSGeometry* b) {
    return checked(ctx, GEOSDifference_r(ctx.get(), a, b), "difference");
}

prepared_ptr prepare(geos_context& ctx, const GEOSGeometry* g) {
    const GEOSPreparedGeometry* p = GEOSPrepare_r(ctx.get(), g);
    if (p == nullptr) throw geometry_error{"prepare: " + ctx.take_error()};
    return prepared_ptr{p, prepared_deleter{ctx.get()}};
}

double signed_area(const path& ring) {
    double sum = 0;
    for (std::size_t i = 0, n = ring.size(); i + 1 < n; ++i)
        sum += (ring[i].x * ring[i + 1].y) - (ring[i + 1].x * ring[i].y);
    return sum / 2;
}

void orient_rings(geometry& g) {
    if (g.type != kind::polygon) return;
    for (auto& part : g.parts) {
        for (std::size_t i = 0; i < part.size(); ++i) {
            const bool exterior = i == 0;
            const double a = signed_area(part[i]);
            if ((exterior && a < 0) || (!exterior && a > 0)) std::reverse(part[i].begin(), part[i].end());
        }
    }
}

} // namespace kvarter::geometry
