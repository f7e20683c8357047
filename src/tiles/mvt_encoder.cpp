#include "tiles/mvt_encoder.hpp"

#include <cassert>
#include <protozero/pbf_builder.hpp>
#include <unordered_map>

namespace kvarter::tiles {

namespace detail {

// A layer's keys and values are tables that features point into by index (spec 4.1). Values are
// keyed by their encoded bytes, which tell an integer 1 from a double 1 and a string "1".
struct layer_data {
    std::string name;
    std::uint32_t extent;
    std::string features; // the layer's `features` fields, already encoded, in commit order
    std::size_t feature_count = 0;
    std::vector<std::string> keys;
    std::unordered_map<std::string, std::uint32_t> key_index;
    std::vector<std::string> values;
    std::unordered_map<std::string, std::uint32_t> value_index;

    std::string scratch; // reused for lookups, so that a key or value already interned allocates nothing

    std::uint32_t key(std::string_view k) {
        scratch.assign(k);
        return intern(keys, key_index, scratch);
    }
    std::uint32_t value(const kvarter::value& v) {
        scratch.clear();
        encode_value(scratch, v);
        return intern(values, value_index, scratch);
    }

    static std::uint32_t intern(std::vector<std::string>& table, std::unordered_map<std::string, std::uint32_t>& index,
                                const std::string& entry) {
        if (const auto it = index.find(entry); it != index.end()) return it->second;
        const auto i = static_cast<std::uint32_t>(table.size());
        index.emplace(entry, i);
        table.push_back(entry);
        return i;
    }

    // Drops the entries interned after the first `count`: a feature that is not committed leaves
    // the tables as it found them.
    static void truncate(std::vector<std::string>& table, std::unordered_map<std::string, std::uint32_t>& index,
                         std::size_t count) {
        while (table.size() > count) {
            index.erase(table.back());
            table.pop_back();
        }
    }

    static void encode_value(std::string& out, const kvarter::value& v) {
        protozero::pbf_builder<value_tag> w{out};
        if (const auto* s = std::get_if<std::string>(&v)) w.add_string(value_tag::string_value, *s);
        else if (const auto* d = std::get_if<double>(&v)) w.add_double(value_tag::double_value, *d);
        else if (const auto* i = std::get_if<std::int64_t>(&v)) w.add_sint64(value_tag::sint_value, *i);
        else if (const auto* b = std::get_if<bool>(&v)) w.add_bool(value_tag::bool_value, *b);
    }

    void write(std::string& tile) const {
        std::string layer;
        {
            protozero::pbf_builder<layer_tag> w{layer};
            w.add_uint32(layer_tag::version, mvt_version); // first, as spec 4.1 asks
            w.add_string(layer_tag::name, name);
            w.add_uint32(layer_tag::extent, extent);
        }
        layer += features;
        {
            protozero::pbf_builder<layer_tag> w{layer};
            for (const auto& k : keys) w.add_string(layer_tag::keys, k);
            for (const auto& v : values) w.add_message(layer_tag::values, v);
        }
        protozero::pbf_builder<tile_tag>{tile}.add_message(tile_tag::layers, layer);
    }
};

} // namespace detail

tile_builder::tile_builder() = default;
tile_builder::~tile_builder() = default;

std::string tile_builder::serialize() const {
    std::string out;
    for (const auto& layer : m_layers)
        if (layer->feature_count > 0) layer->write(out);
    return out;
}

layer_builder::layer_builder(tile_builder& tile, std::string name, std::uint32_t extent) {
    for (const auto& existing : tile.m_layers)
        if (existing->name == name)
            throw format_error{"the tile already has a layer named \"" + name +
                               "\"; layer names must be unique (spec 4.1)"};
    if (extent == 0) throw format_error{"layer \"" + name + "\" has extent 0; it must be the tile's width (spec 4.1)"};
    auto data = std::make_unique<detail::layer_data>();
    data->name = std::move(name);
    data->extent = extent;
    m_layer = tile.m_layers.emplace_back(std::move(data)).get();
}

const std::string& layer_builder::name() const noexcept { return m_layer->name; }
std::uint32_t layer_builder::extent() const noexcept { return m_layer->extent; }
std::size_t layer_builder::feature_count() const noexcept { return m_layer->feature_count; }
std::size_t layer_builder::key_count() const noexcept { return m_layer->keys.size(); }
std::size_t layer_builder::value_count() const noexcept { return m_layer->values.size(); }

namespace detail {

feature_builder::feature_builder(layer_builder& layer, geom_type type)
    : m_layer{layer.m_layer}, m_type{type}, m_key_mark{layer.m_layer->keys.size()}, m_value_mark{layer.m_layer->values.size()} {}

feature_builder::~feature_builder() {
    if (!m_done) rollback();
}

void feature_builder::set_id(std::uint64_t id) {
    assert(!m_done && "set_id() after commit() or rollback()");
    m_id = id;
}

void feature_builder::add_property(std::string_view key, const value& v) {
    assert(!m_done && "add_property() after commit() or rollback()");
    if (is_null(v)) return;
    m_tags.push_back(m_layer->key(key));
    m_tags.push_back(m_layer->value(v));
}

void feature_builder::begin_part(std::uint32_t count, bool exterior) {
    assert(!m_done && "geometry after commit() or rollback()");
    assert((m_parts.empty() || m_parts.back().points.size() == m_parts.back().expected) &&
           "the previous part got fewer set_point() calls than it announced");
    part p;
    p.points.reserve(count);
    p.expected = count;
    p.exterior = exterior;
    m_parts.push_back(std::move(p));
}

void feature_builder::set_point(std::int32_t x, std::int32_t y) {
    assert(!m_done && "set_point() after commit() or rollback()");
    assert(!m_parts.empty() && "set_point() before add_points(), add_linestring() or add_ring()");
    assert(m_parts.back().points.size() < m_parts.back().expected && "more set_point() calls than announced");
    if (m_parts.empty()) begin_part(0); // keeps a release build defined when the assert is off
    m_parts.back().points.push_back({x, y});
}

command_stream feature_builder::encode_geometry() {
    command_stream out;
    switch (m_type) {
    case geom_type::point: {
        // One MoveTo for all points (spec 4.3.4.2); a multipoint may repeat a point.
        tile_path all;
        for (const auto& p : m_parts) all.insert(all.end(), p.points.begin(), p.points.end());
        out.add_points(all);
        break;
    }
    case geom_type::linestring:
        for (auto& p : m_parts) {
            drop_repeated_points(p.points);
            if (p.points.size() >= 2) out.add_linestring(p.points);
        }
        break;
    case geom_type::polygon: {
        // A hole belongs to the exterior before it, so it goes when that exterior goes.
        bool exterior_kept = false;
        for (auto& p : m_parts) {
            if (!p.exterior && !exterior_kept) continue;
            const bool kept = normalize_ring(p.points);
            if (p.exterior) exterior_kept = kept;
            if (!kept) continue;
            orient_ring(p.points, p.exterior);
            out.add_ring(p.points);
        }
        break;
    }
    case geom_type::unknown: break;
    }
    return out;
}

bool feature_builder::commit() {
    assert(!m_done && "commit() twice, or after rollback()");
    assert((m_parts.empty() || m_parts.back().points.size() == m_parts.back().expected) &&
           "the last part got fewer set_point() calls than it announced");
    if (m_done) return false;
    command_stream geometry;
    try {
        geometry = encode_geometry();
    } catch (...) {
        rollback();
        throw;
    }
    if (geometry.empty()) {
        rollback();
        return false;
    }
    {
        protozero::pbf_builder<layer_tag> layer{m_layer->features};
        protozero::pbf_builder<feature_tag> f{layer, layer_tag::features};
        if (m_id) f.add_uint64(feature_tag::id, *m_id);
        if (!m_tags.empty()) f.add_packed_uint32(feature_tag::tags, m_tags.begin(), m_tags.end());
        f.add_enum(feature_tag::type, static_cast<std::int32_t>(m_type));
        f.add_packed_uint32(feature_tag::geometry, geometry.commands().begin(), geometry.commands().end());
    }
    ++m_layer->feature_count;
    m_done = true;
    return true;
}

void feature_builder::rollback() {
    if (!m_done) {
        layer_data::truncate(m_layer->keys, m_layer->key_index, m_key_mark);
        layer_data::truncate(m_layer->values, m_layer->value_index, m_value_mark);
    }
    m_parts.clear();
    m_tags.clear();
    m_id.reset();
    m_done = true;
}

} // namespace detail

void point_feature_builder::add_point(std::int32_t x, std::int32_t y) {
    begin_part(1);
    set_point(x, y);
}

} // namespace kvarter::tiles
