#include "catalog/catalog.hpp"

#include "core/error.hpp"

#include <charconv>

#include <algorithm>

namespace kvarter::catalog {

std::optional<std::size_t> layer::field_index(const std::string& name) const {
    for (std::size_t i = 0; i < fields.size(); ++i)
        if (fields[i].name == name) return i;
    return std::nullopt;
}

void require_data_year(const layer& l, int year, const std::string& parameter) {
    if (std::binary_search(l.years.begin(), l.years.end(), year)) return;
    std::string known;
    for (int k : l.years) known += (known.empty() ? "" : ", ") + std::to_string(k);
    throw bad_request{parameter, l.id + " has indicator data for " + (known.empty() ? "no year" : known) + ", not " +
                                     std::to_string(year)};
}

std::optional<double> field_number(const layer& l, const feature& f, const std::string& field) {
    const auto i = l.field_index(field);
    if (!i || *i >= f.properties.size()) return std::nullopt;
    if (const auto* n = std::get_if<std::int64_t>(&f.properties[*i])) return static_cast<double>(*n);
    if (const auto* d = std::get_if<double>(&f.properties[*i])) return *d;
    return std::nullopt;
}

std::optional<std::size_t> layer::indicator_index(const std::string& name) const {
    for (std::size_t i = 0; i < indicators.size(); ++i)
        if (indicators[i].id == name) return i;
    return std::nullopt;
}

const feature* layer::find(const std::string& feature_id) const {
    auto it = m_by_id.find(feature_id);
    return it == m_by_id.end() ? nullptr : &features[it->second];
}

std::optional<std::uint64_t> feature::integer_id() const noexcept {
    std::uint64_t v = 0;
    if (numeric_id && std::from_chars(id.data(), id.data() + id.size(), v).ec == std::errc{}) return v;
    return std::nullopt;
}

void layer::build_indexes() {
    m_by_id.clear();
    std::vector<geometry::box> lonlat_boxes, analysis_boxes;
    lonlat_boxes.reserve(features.size());
    analysis_boxes.reserve(features.size());
    lonlat_extent = {};
    text_ids = false;
    for (std::size_t i = 0; i < features.size(); ++i) {
        text_ids |= !features[i].integer_id();
        m_by_id.emplace(features[i].id, i);
        lonlat_boxes.push_back(features[i].lonlat_bounds);
        analysis_boxes.push_back(features[i].analysis_bounds);
        if (features[i].has_geometry) lonlat_extent.expand(features[i].lonlat_bounds);
    }
    lonlat_index = geometry::spatial_index{lonlat_boxes};
    analysis_index = geometry::spatial_index{analysis_boxes};
}

const layer* catalog::find(const std::string& layer_id) const {
    for (const auto& l : layers)
        if (l.id == layer_id) return &l;
    return nullptr;
}

const tileset* catalog::find_tileset(const std::string& name) const {
    for (const auto& t : tilesets)
        if (t.name == name) return &t;
    return nullptr;
}

std::pair<const tileset*, const tile_layer*> catalog::first_tiling(const layer& l) const {
    const auto index = static_cast<std::size_t>(&l - layers.data());
    for (const auto& t : tilesets)
        for (const auto& tl : t.layers)
            if (tl.layer == index) return {&t, &tl};
    return {nullptr, nullptr};
}

int tileset::minzoom() const {
    int z = 22;
    for (const auto& l : layers) z = std::min(z, l.minzoom);
    return z;
}

int tileset::maxzoom() const {
    int z = 0;
    for (const auto& l : layers) z = std::max(z, l.maxzoom);
    return z;
}

const layer* catalog::first_with_role(layer_role role) const {
    for (const auto& l : layers)
        if (l.role == role) return &l;
    return nullptr;
}

} // namespace kvarter::catalog
