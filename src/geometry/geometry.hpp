#pragma once
// Plain geometry values kvarter keeps in memory: one coordinate list per ring or line,
// no library handles, so a catalog can be shared by every thread without locks.

#include <algorithm>
#include <limits>
#include <vector>

namespace kvarter::geometry {

struct xy {
    double x = 0;
    double y = 0;
    friend bool operator==(const xy&, const xy&) = default;
};

// Twice the signed area of the triangle o, a, b: positive when it turns left (counter-clockwise),
// negative when it turns right, zero when the three are on one line.
inline double cross(xy o, xy a, xy b) noexcept { return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x); }

struct box {
    double min_x = std::numeric_limits<double>::infinity();
    double min_y = std::numeric_limits<double>::infinity();
    double max_x = -std::numeric_limits<double>::infinity();
    double max_y = -std::numeric_limits<double>::infinity();

    bool empty() const noexcept { return min_x > max_x || min_y > max_y; }
    void expand(xy p) noexcept {
        min_x = std::min(min_x, p.x);
        min_y = std::min(min_y, p.y);
        max_x = std::max(max_x, p.x);
        max_y = std::max(max_y, p.y);
    }
    void expand(const box& b) noexcept {
        min_x = std::min(min_x, b.min_x);
        min_y = std::min(min_y, b.min_y);
        max_x = std::max(max_x, b.max_x);
        max_y = std::max(max_y, b.max_y);
    }
    bool intersects(const box& b) const noexcept {
        return !(b.min_x > max_x || b.max_x < min_x || b.min_y > max_y || b.max_y < min_y);
    }
    bool contains(xy p) const noexcept {
        return p.x >= min_x && p.x <= max_x && p.y >= min_y && p.y <= max_y;
    }
};

using path = std::vector<xy>;

enum class kind { point, line, polygon };

// parts[i] is one point ({{p}}), one line ({path}) or one polygon ({exterior, holes...}).
// `multi` keeps the source's Multi* type so GeoJSON round-trips it.
struct geometry {
    kind type = kind::point;
    bool multi = false;
    std::vector<std::vector<path>> parts;

    bool empty() const noexcept { return parts.empty(); }
    box bounds() const noexcept {
        box b;
        for (const auto& part : parts)
            for (const auto& p : part)
                for (const auto& c : p) b.expand(c);
        return b;
    }
    std::size_t vertex_count() const noexcept {
        std::size_t n = 0;
        for (const auto& part : parts)
            for (const auto& p : part) n += p.size();
        return n;
    }
};

// A copy of g with every position mapped by fn(xy) -> xy, parts and rings kept as they are.
template <class Fn>
geometry map_positions(const geometry& g, Fn&& fn) {
    geometry out;
    out.type = g.type;
    out.multi = g.multi;
    out.parts.reserve(g.parts.size());
    for (const auto& part : g.parts) {
        auto& new_part = out.parts.emplace_back();
        new_part.reserve(part.size());
        for (const auto& p : part) {
            auto& new_path = new_part.emplace_back();
            new_path.reserve(p.size());
            for (const auto& c : p) new_path.push_back(fn(c));
        }
    }
    return out;
}

} // namespace kvarter::geometry
