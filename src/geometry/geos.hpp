#pragma once
// RAII over the reentrant GEOS C API. One context per thread (GEOS asks for it); geometries
// are owned by unique_ptrs whose deleters carry the context that made them.

#include "geometry/geometry.hpp"

#include <geos_c.h>

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kvarter::geometry {

class geos_context {
public:
    geos_context();
    ~geos_context();
    geos_context(const geos_context&) = delete;
    geos_context& operator=(const geos_context&) = delete;

    GEOSContextHandle_t get() const noexcept { return m_ctx; }
    // The last message GEOS reported, cleared on read; empty if none.
    std::string take_error() { return std::exchange(m_error, {}); }

private:
    static void on_message(const char* message, void* self);
    GEOSContextHandle_t m_ctx;
    std::string m_error;
}; // class geos_context

// The context of the calling thread, made on first use.
geos_context& this_thread_geos();

struct geom_deleter {
    GEOSContextHandle_t ctx;
    void operator()(GEOSGeometry* g) const noexcept { GEOSGeom_destroy_r(ctx, g); }
};
using geom_ptr = std::unique_ptr<GEOSGeometry, geom_deleter>;

struct prepared_deleter {
    GEOSContextHandle_t ctx;
    void operator()(const GEOSPreparedGeometry* g) const noexcept { GEOSPreparedGeom_destroy_r(ctx, g); }
};
using prepared_ptr = std::unique_ptr<const GEOSPreparedGeometry, prepared_deleter>;

// Throws geometry_error with GEOS's message when g is null.
geom_ptr checked(geos_context& ctx, GEOSGeometry* g, std::string_view what);

geom_ptr to_geos(geos_context& ctx, const geometry& g);
geom_ptr from_wkb(geos_context& ctx, const unsigned char* wkb, std::size_t size);
geom_ptr from_wkt(geos_context& ctx, const std::string& wkt);
std::string to_wkt(geos_context& ctx, const GEOSGeometry* g);

// Converts to plain values, keeping only parts of `wanted` kind (MakeValid may return a
// collection with collapsed lines or points beside the polygons).
geometry from_geos(geos_context& ctx, const GEOSGeometry* g, kind wanted);
// The kind of the highest dimension present in g.
kind dominant_kind(geos_context& ctx, const GEOSGeometry* g);

// Empty string when valid, else GEOS's reason.
std::string invalid_reason(geos_context& ctx, const GEOSGeometry* g);
geom_ptr make_valid(geos_context& ctx, const GEOSGeometry* g);

double area(geos_context& ctx, const GEOSGeometry* g);
geom_ptr intersection(geos_context& ctx, const GEOSGeometry* a, const GEOSGeometry* b);
geom_ptr difference(geos_context& ctx, const GEOSGeometry* a, const GEOSGeometry* b); // a minus b
prepared_ptr prepare(geos_context& ctx, const GEOSGeometry* g);
// Prepared predicates; GEOS's "2" (an error) is thrown as geometry_error, never read as true.
bool intersects(geos_context& ctx, const GEOSPreparedGeometry* p, const GEOSGeometry* g);
bool contains(geos_context& ctx, const GEOSPreparedGeometry* p, const GEOSGeometry* g);
// The shortest distance between a and b (0 when they touch or overlap).
double distance(geos_context& ctx, const GEOSGeometry* a, const GEOSGeometry* b);
// g cut to the box (GEOS ClipByRect: fast, may leave degenerate parts a later check repairs).
geom_ptr clip_by_rect(geos_context& ctx, const GEOSGeometry* g, const box& b);
// The union of the geometries (null entries skipped); an empty collection when there are none.
geom_ptr unite(geos_context& ctx, const std::vector<const GEOSGeometry*>& parts);
// Every point within `distance` of g (negative: shrinks polygons), rounded joins.
geom_ptr buffer(geos_context& ctx, const GEOSGeometry* g, double distance);
// Morphological closing: grow by r, unite, shrink by r, and add g itself back so that nothing of g
// is lost to rounding. Parts closer than 2r merge; parts further apart stay apart, so the result
// covers g without the hull's bridges across open ground.
geom_ptr closing(geos_context& ctx, const GEOSGeometry* g, double r);

// Rewinds polygons in place: exterior rings counter-clockwise, holes clockwise (RFC 7946).
void orient_rings(geometry& g);
double signed_area(const path& ring);

} // namespace kvarter::geometry
