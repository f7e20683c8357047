#include "analysis/overlay.hpp"

#include "analysis/analysis_crs.hpp"
#include "core/error.hpp"
#include "geometry/crossings.hpp"
#include "geometry/geos.hpp"

#include <cmath>
#include <set>

namespace kvarter::analysis {

using json = nlohmann::json;
using catalog::layer_role;

namespace {

void check_ring(const json& ring, const std::string& where, std::size_t& vertices, std::size_t max_vertices,
                geometry::path& out) {
    if (!ring.is_array() || ring.empty()) throw bad_request{where, where + " is an empty ring"};
    if (ring.size() < 4) throw bad_request{where, where + " has " + std::to_string(ring.size()) + " positions; a ring needs at least 4"};
    vertices += ring.size();
    if (vertices > max_vertices)
        throw bad_request{"geometry", "the polygon has more than " + std::to_string(max_vertices) + " positions"};
    for (std::size_t i = 0; i < ring.size(); ++i) {
        const auto& p = ring[i];
        const std::string at = where + "[" + std::to_string(i) + "]";
        if (!p.is_array() || p.size() < 2 || !p[0].is_number() || !p[1].is_number())
            throw bad_request{at, at + " is not a position [lon, lat]"};
        const double lon = p[0].get<double>(), lat = p[1].get<double>();
        if (!std::isfinite(lon) || lon < -180 || lon > 180) throw bad_request{at, at + ": longitude outside -180..180"};
        if (!std::isfinite(lat) || lat < -90 || lat > 90) throw bad_request{at, at + ": latitude outside -90..90"};
        // An edge from 179 to -179 means 2 degrees across the antimeridian, but in lon/lat it is
        // 358 degrees the other way round; RFC 7946 §3.1.9 asks such geometry to be cut there.
        if (!out.empty() && std::abs(lon - out.back().x) > 180)
            throw bad_request{at, at + ": the edge to it spans more than 180 degrees of longitude; cut a polygon "
                                       "crossing the antimeridian in two there (RFC 7946, 3.1.9)"};
        out.push_back({lon, lat});
    }
    if (!(out.front() == out.back())) throw bad_request{where, where + " is not closed: its first and last positions differ"};
}

std::vector<geometry::path> read_polygon(const json& rings, const std::string& where, std::size_t& vertices,
                                         std::size_t max_vertices) {
    if (!rings.is_array() || rings.empty()) throw bad_request{where, where + " holds no ring"};
    std::vector<geometry::path> out;
    for (std::size_t r = 0; r < rings.size(); ++r) {
        geometry::path ring;
        check_ring(rings[r], where + "[" + std::to_string(r) + "]", vertices, max_vertices, ring);
        out.push_back(std::move(ring));
    }
    return out;
}

double value_of(const catalog::feature& f, int year, std::size_t indicator) {
    const auto row = f.indicators.find(year);
    if (row == f.indicators.end() || indicator >= row->second.size() || !row->second[indicator]) return NAN;
    return *row->second[indicator];
}

// A number from a field, or NaN.
double field_number(const catalog::layer& l, const catalog::feature& f, const std::string& name) {
    const auto i = l.field_index(name);
    if (!i) return NAN;
    const auto& v = f.properties[*i];
    if (const auto* n = std::get_if<std::int64_t>(&v)) return static_cast<double>(*n);
    if (const auto* d = std::get_if<double>(&v)) return *d;
    return NAN;
}

// Residents of a department in a year: the indicator when there is one, else the field.
double residents_of(const catalog::layer& l, const catalog::feature& f, int year) {
    if (const auto i = l.indicator_index("residents")) {
        const double v = value_of(f, year, *i);
        if (!std::isnan(v)) return v;
    }
    return field_number(l, f, "residents");
}

bool active_in(const catalog::layer& l, const catalog::feature& f, int year) {
    const double start = field_number(l, f, "start_year"), end = field_number(l, f, "end_year");
    return !(start > year) && !(end < year);
}

// Rounded to `decimals` places; dividing by the exact power of ten gives the double nearest the
// decimal, which JSON then prints short.
json round_to(double v, int decimals) {
    const double scale = std::pow(10.0, decimals);
    return std::isnan(v) ? json(nullptr) : json(std::round(v * scale) / scale);
}

int latest_year(const catalog::catalog& cat) {
    int y = 0;
    for (const auto& l : cat.layers)
        if (!l.years.empty()) y = std::max(y, l.years.back());
    return y;
}

// A year without indicator data is still a fair question (which renewal zones are active in
// 2020), so it is answered, with its indicator values null and a note saying why.
std::string missing_years_note(const catalog::catalog& cat, int year) {
    std::set<int> years;
    for (const auto& l : cat.layers) years.insert(l.years.begin(), l.years.end());
    if (years.empty() || years.contains(year)) return {};
    std::string known;
    for (int y : years) known += (known.empty() ? "" : ", ") + std::to_string(y);
    return "no indicator data for " + std::to_string(year) + "; the years with data are " + known +
           ": indicator values are null, and residents come from the departments' residents field where they have one";
}

struct weighted_mean {
    double sum = 0, weight = 0;
    void add(double v, double w) {
        if (std::isnan(v) || !(w > 0)) return;
        sum += v * w;
        weight += w;
    }
    double get() const { return weight > 0 ? sum / weight : NAN; }
};

} // namespace

geometry::geometry parse_polygon(const json& body, std::size_t max_vertices) {
    const json* g = &body;
    std::string where = "geometry";
    // A "type" that is no string is no Feature (value() with a string default would throw on it).
    if (body.is_object() && body.contains("type") && body["type"] == "Feature") {
        if (!body.contains("geometry") || body["geometry"].is_null()) throw bad_request{"geometry", "the Feature has no geometry"};
        g = &body["geometry"];
    } else if (body.is_object() && body.contains("geometry")) {
        g = &body["geometry"];
    }
    if (!g->is_object() || !g->contains("type") || !(*g)["type"].is_string())
        throw bad_request{where, "expected a GeoJSON Polygon or MultiPolygon (or a Feature holding one)"};
    const std::string type = (*g)["type"];
    if (!g->contains("coordinates")) throw bad_request{where + ".coordinates", "the geometry has no coordinates"};
    const json& coords = (*g)["coordinates"];
    geometry::geometry out;
    out.type = geometry::kind::polygon;
    std::size_t vertices = 0;
    if (type == "Polygon") {
        out.parts.push_back(read_polygon(coords, where + ".coordinates", vertices, max_vertices));
    } else if (type == "MultiPolygon") {
        out.multi = true;
        if (!coords.is_array() || coords.empty()) throw bad_request{where + ".coordinates", "the MultiPolygon holds no polygon"};
        for (std::size_t i = 0; i < coords.size(); ++i)
            out.parts.push_back(read_polygon(coords[i], where + ".coordinates[" + std::to_string(i) + "]", vertices, max_vertices));
    } else {
        throw bad_request{where + ".type", "expected Polygon or MultiPolygon, got " + type};
    }
    return out;
}

// Enough for any drawn polygon with a slip or two (a bow-tie crosses once); a star of hundreds of
// spikes is not a plan, and repairing it cost seconds and hundreds of MB per request.
constexpr std::size_t max_repair_crossings = 1000;

json overlay_report(const catalog::catalog& cat, const geometry::geometry& lonlat, std::optional<int> requested_year,
                    const filter::selection* chosen_departments) {
    auto& geos = geometry::this_thread_geos();
    const int year = requested_year.value_or(latest_year(cat));

    geometry::geometry local = lonlat;
    to_analysis_crs(cat).apply(local);
    auto proposal = geometry::to_geos(geos, local);
    json report{{"year", year}, {"crs", cat.analysis_crs}, {"repaired", false}};
    if (const auto note = missing_years_note(cat, year); !note.empty()) report["indicators_note"] = note;
    if (const auto reason = geometry::invalid_reason(geos, proposal.get()); !reason.empty()) {
        // Repair costs what the crossings cost: past the budget the client must send a valid polygon.
        if (const auto crossings = geometry::count_crossings(local, max_repair_crossings); crossings > max_repair_crossings)
            throw bad_request{"geometry", "the polygon is invalid (" + reason + ") and its edges cross each other more than " +
                                              std::to_string(max_repair_crossings) +
                                              " times, more than a request may ask to repair; send a valid polygon"};
        proposal = geometry::make_valid(geos, proposal.get());
        // Keep only the areal part: a repaired bow-tie is its two triangles.
        proposal = geometry::to_geos(geos, geometry::from_geos(geos, proposal.get(), geometry::kind::polygon));
        report["repaired"] = true;
        report["repair_reason"] = reason;
    }
    const double area = geometry::area(geos, proposal.get());
    if (!(area > 0)) throw bad_request{"geometry", "the polygon has no area"};
    report["area_m2"] = round_to(area, 2);
    const auto prepared = geometry::prepare(geos, proposal.get());
    const auto bounds = geometry::from_geos(geos, proposal.get(), geometry::kind::polygon).bounds();

    // Overlap with every area layer; remember the district overlapping most.
    json areas = json::object();
    const catalog::feature* main_district = nullptr;
    const catalog::layer* district_layer = nullptr;
    double main_district_overlap = 0;
    std::vector<geometry::geom_ptr> active_zones;
    for (std::size_t li = 0; li < cat.layers.size(); ++li) {
        const auto& l = cat.layers[li];
        if (l.role != layer_role::district && l.role != layer_role::deprived_area && l.role != layer_role::renewal_zone &&
            l.role != layer_role::green_team)
            continue;
        json list = json::array();
        for (const auto i : l.analysis_index.query(bounds)) {
            const auto& f = l.features[i];
            if (!f.has_geometry || f.analysis.type != geometry::kind::polygon) continue;
            auto g = geometry::to_geos(geos, f.analysis);
            if (!geometry::intersects(geos, prepared.get(), g.get())) continue;
            const double overlap = geometry::area(geos, geometry::intersection(geos, proposal.get(), g.get()).get());
            if (!(overlap > 0)) continue;
            const double feature_area = geometry::area(geos, g.get());
            json entry{{"id", f.id},
                       {"name", f.name},
                       {"overlap_m2", round_to(overlap, 2)},
                       {"share_of_proposal", round_to(overlap / area, 6)},
                       {"share_of_feature", round_to(overlap / feature_area, 6)}};
            if (l.role == layer_role::renewal_zone) {
                const bool active = active_in(l, f, year);
                entry["active"] = active;
                if (active) active_zones.push_back(std::move(g));
            }
            if (l.role == layer_role::district && overlap > main_district_overlap) {
                main_district_overlap = overlap;
                main_district = &f;
                district_layer = &l;
            }
            list.push_back(std::move(entry));
        }
        areas[l.id] = {{"role", catalog::to_string(l.role)}, {"features", list}};
    }
    report["areas"] = areas;

    // Already under an active renewal zone: the union, so overlapping zones count once.
    double renewed = 0;
    if (!active_zones.empty()) {
        std::vector<const GEOSGeometry*> raw;
        for (const auto& z : active_zones) raw.push_back(z.get());
        auto zones = geometry::unite(geos, raw);
        renewed = geometry::area(geos, geometry::intersection(geos, proposal.get(), zones.get()).get());
    }
    report["active_renewal"] = {{"overlap_m2", round_to(renewed, 2)}, {"share_of_proposal", round_to(renewed / area, 6)}};

    // Housing departments by the share of each inside; indicators weighted by covered area and residents.
    json departments = json::array();
    double dwellings_inside = 0, residents_inside = 0;
    json indicators = json::object();
    for (const auto& l : cat.layers) {
        if (l.role != layer_role::housing_department) continue;
        std::vector<weighted_mean> by_area(l.indicators.size()), by_residents(l.indicators.size());
        const auto layer_index = static_cast<std::size_t>(&l - cat.layers.data());
        for (const auto i : l.analysis_index.query(bounds)) {
            const auto& f = l.features[i];
            if (!f.has_geometry || f.analysis.type != geometry::kind::polygon) continue;
            if (chosen_departments && !chosen_departments->selects(layer_index, f)) continue;
            auto g = geometry::to_geos(geos, f.analysis);
            if (!geometry::intersects(geos, prepared.get(), g.get())) continue;
            const double inside = geometry::contains(geos, prepared.get(), g.get())
                                      ? geometry::area(geos, g.get())
                                      : geometry::area(geos, geometry::intersection(geos, proposal.get(), g.get()).get());
            if (!(inside > 0)) continue;
            const double share = inside / geometry::area(geos, g.get());
            const double dwellings = field_number(l, f, "dwellings"), residents = residents_of(l, f, year);
            if (!std::isnan(dwellings)) dwellings_inside += dwellings * share;
            if (!std::isnan(residents)) residents_inside += residents * share;
            departments.push_back({{"layer", l.id},
                                   {"id", f.id},
                                   {"name", f.name},
                                   {"share_inside", round_to(share, 6)},
                                   {"overlap_m2", round_to(inside, 2)},
                                   {"dwellings", round_to(dwellings, 0)},
                                   {"residents", round_to(residents, 0)},
                                   {"dwellings_inside", round_to(dwellings * share, 1)},
                                   {"residents_inside", round_to(residents * share, 1)}});
            for (std::size_t k = 0; k < l.indicators.size(); ++k) {
                by_area[k].add(value_of(f, year, k), inside);
                by_residents[k].add(value_of(f, year, k), residents * share);
            }
        }
        for (std::size_t k = 0; k < l.indicators.size(); ++k) {
            const auto& ind = l.indicators[k];
            json row{{"label", ind.label},
                     {"unit", ind.unit},
                     {"covered_area_weighted", round_to(by_area[k].get(), 2)},
                     {"covered_resident_weighted", round_to(by_residents[k].get(), 2)},
                     {"provenance", catalog::to_string(ind.origin)}};
            indicators[ind.id] = row;
        }
    }
    report["housing_departments"] = departments;
    report["dwellings_inside"] = round_to(dwellings_inside, 1);
    report["residents_inside"] = round_to(residents_inside, 1);

    // The district's own values and the city's (resident-weighted over the districts).
    if (district_layer) {
        report["district"] = {{"id", main_district->id}, {"name", main_district->name}};
        const auto residents_index = district_layer->indicator_index("residents");
        for (auto& [id, row] : indicators.items()) {
            const auto k = district_layer->indicator_index(id);
            if (!k) continue;
            row["district"] = round_to(value_of(*main_district, year, *k), 2);
            row["district_provenance"] = catalog::to_string(district_layer->indicators[*k].origin);
            weighted_mean city;
            for (const auto& d : district_layer->features)
                city.add(value_of(d, year, *k), residents_index ? value_of(d, year, *residents_index) : 1.0);
            row["city"] = round_to(city.get(), 2);
        }
    }
    report["indicators"] = indicators;

    // Manned playgrounds inside or within 300 m.
    constexpr double reach_m = 300;
    json playgrounds = json::array();
    geometry::box near = bounds;
    near = {near.min_x - reach_m, near.min_y - reach_m, near.max_x + reach_m, near.max_y + reach_m};
    for (const auto& l : cat.layers) {
        if (l.role != layer_role::facility) continue;
        for (const auto i : l.analysis_index.query(near)) {
            const auto& f = l.features[i];
            if (!f.has_geometry) continue;
            auto g = geometry::to_geos(geos, f.analysis);
            const double distance = geometry::distance(geos, proposal.get(), g.get());
            if (distance > reach_m) continue;
            playgrounds.push_back({{"layer", l.id}, {"id", f.id}, {"name", f.name}, {"inside", distance == 0}, {"distance_m", round_to(distance, 1)}});
        }
    }
    report["playgrounds"] = playgrounds;
    return report;
}

} // namespace kvarter::analysis
