#include "features/geojson_writer.hpp"

#include "core/json_text.hpp"
#include "geometry/web_mercator.hpp"

namespace kvarter::features {

using namespace kvarter::json_text;

property_selection property_selection::all(const catalog::layer& l) {
    property_selection s;
    // A field named like an indicator (a static "residents" beside the yearly one) is left out:
    // one name, one value, the year's.
    for (std::size_t i = 0; i < l.fields.size(); ++i)
        if (!l.indicator_index(l.fields[i].name)) s.fields.push_back(i);
    for (std::size_t i = 0; i < l.indicators.size(); ++i) s.indicators.push_back(i);
    s.year = !l.indicators.empty();
    return s;
}

namespace {

void write_position(std::string& out, geometry::xy p, int decimals) {
    out.push_back('[');
    append_number(out, p.x, decimals);
    out.push_back(',');
    append_number(out, p.y, decimals);
    out.push_back(']');
}

void write_path(std::string& out, const geometry::path& p, int decimals) {
    out.push_back('[');
    for (std::size_t i = 0; i < p.size(); ++i) {
        if (i) out.push_back(',');
        write_position(out, p[i], decimals);
    }
    out.push_back(']');
}

void write_part(std::string& out, geometry::kind kind, const std::vector<geometry::path>& part, int decimals) {
    switch (kind) {
    case geometry::kind::point: write_position(out, part.at(0).at(0), decimals); break;
    case geometry::kind::line: write_path(out, part.at(0), decimals); break;
    case geometry::kind::polygon:
        out.push_back('[');
        for (std::size_t i = 0; i < part.size(); ++i) {
            if (i) out.push_back(',');
            write_path(out, part[i], decimals);
        }
        out.push_back(']');
        break;
    }
}

const char* type_name(geometry::kind kind, bool multi) {
    switch (kind) {
    case geometry::kind::point: return multi ? "MultiPoint" : "Point";
    case geometry::kind::line: return multi ? "MultiLineString" : "LineString";
    case geometry::kind::polygon: return multi ? "MultiPolygon" : "Polygon";
    }
    return "Point";
}

} // namespace

void write_geometry(std::string& out, const geometry::geometry& g, int decimals) {
    if (g.empty()) {
        out += "null";
        return;
    }
    const bool multi = g.multi || g.parts.size() > 1;
    out += "{\"type\":\"";
    out += type_name(g.type, multi);
    out += "\",\"coordinates\":";
    if (multi) {
        out.push_back('[');
        for (std::size_t i = 0; i < g.parts.size(); ++i) {
            if (i) out.push_back(',');
            write_part(out, g.type, g.parts[i], decimals);
        }
        out.push_back(']');
    } else {
        write_part(out, g.type, g.parts[0], decimals);
    }
    out.push_back('}');
}

void write_geometry_in(std::string& out, const geometry::geometry& lonlat, const geometry::to_ogc_crs* crs) {
    if (!crs || crs->identity()) return write_geometry(out, lonlat);
    geometry::geometry g = lonlat;
    crs->apply(g);
    write_geometry(out, g, crs->target().decimals);
}

feature_crs::feature_crs(const geometry::ogc_crs& target, const catalog::catalog& cat) : m_target{&target} {
    if (target.uri == geometry::crs84().uri) m_stored = stored::lonlat;
    else if (target.definition == cat.analysis_crs) m_stored = stored::analysis;
    else if (target.definition == "EPSG:3857") m_stored = stored::mercator;
    else m_transform.emplace(target);
}

void feature_crs::write_geometry(std::string& out, const catalog::feature& f) const {
    switch (m_stored) {
    case stored::lonlat: return features::write_geometry(out, f.lonlat);
    case stored::analysis: return features::write_geometry(out, f.analysis, m_target->decimals);
    case stored::mercator: return features::write_geometry(out, geometry::web_mercator::from_lonlat(f.lonlat), m_target->decimals);
    case stored::none: return write_geometry_in(out, f.lonlat, &*m_transform);
    }
}

void write_feature(std::string& out, const catalog::layer& l, const catalog::feature& f,
                   const property_selection& selection, std::optional<int> year, const feature_crs* crs) {
    out += "{\"type\":\"Feature\",\"id\":";
    if (f.numeric_id) out += f.id;
    else append_string(out, f.id);
    out += ",\"geometry\":";
    if (!f.has_geometry) out += "null";
    else if (crs) crs->write_geometry(out, f);
    else write_geometry(out, f.lonlat);
    out += ",\"properties\":{";
    bool first = true;
    auto key = [&](const std::string& name) {
        if (!first) out.push_back(',');
        first = false;
        append_string(out, name);
        out.push_back(':');
    };
    for (auto i : selection.fields) {
        key(l.fields[i].name);
        append_value(out, f.properties[i]);
    }
    if (year && !l.indicators.empty()) {
        if (selection.year) {
            key("year");
            append_integer(out, *year);
        }
        const auto row = f.indicators.find(*year);
        for (auto i : selection.indicators) {
            key(l.indicators[i].id);
            if (row == f.indicators.end() || i >= row->second.size() || !row->second[i]) out += "null";
            else append_value(out, *row->second[i]);
        }
    }
    out += "}}";
}

} // namespace kvarter::features
