#pragma once
// The spatial predicates of CQL2 filters (S_INTERSECTS, S_WITHIN, ...) and the readers of their
// geometry literals, over GEOS: the literal is read and prepared once per request, then tested
// against each candidate feature.

#include "geometry/geometry.hpp"

#include <memory>
#include <string>

namespace kvarter::geometry {

// How a feature relates to a literal, in DE-9IM terms (OGC Simple Features).
enum class relation { intersects, within, contains, disjoint, equals, touches, overlaps, crosses };

// A WKT (with Z or M, which are dropped) or a GeoJSON geometry as plain values. Throws
// geometry_error with GEOS's message; an empty geometry or a GEOMETRYCOLLECTION is refused too.
geometry read_wkt(const std::string& wkt);
geometry read_geojson(const std::string& geojson);

// Empty when g is valid, else GEOS's reason ("Self-intersection[12.5 55.7]").
std::string invalid_reason(const geometry& g);

// A literal prepared for many tests on the calling thread's GEOS context. Not shared between
// threads: a request builds its own.
class prepared_literal {
public:
    explicit prepared_literal(const geometry& literal);
    ~prepared_literal();
    prepared_literal(const prepared_literal&) = delete;
    prepared_literal& operator=(const prepared_literal&) = delete;

    // Whether `feature` stands in relation r to the literal; GEOS errors are thrown as geometry_error.
    bool test(relation r, const geometry& feature) const;

private:
    struct impl;
    std::unique_ptr<impl> m_impl;
};

} // namespace kvarter::geometry
