#include "tiles/mvt_encoder.hpp"

#include "tiles/string_table.hpp"

#include <cassert>
#include <protozero/pbf_builder.hpp>
#include <span>

namespace kvarter::tiles {

namespace detail {

struct feature_part {
    tile_path points;
    std::uint32_t expected = 0; // the count promised by add_points/add_linestring/add_ring
    bool exterior = true;
};

// A layer's keys and values are tables that features point into by index (spec 4.1). Values are
// keyed by their encoded bytes, which tell an integer 1 from a double 1 and a string "1".
struct layer_data {
    std::string name;
    std::uint32_t extent;
    std::string features; // the layer's `features` fields, already encoded, in commit order
    std::size_t feature_count = 0;
    string_table keys;
    string_table values;

    // Reused by each feature in turn (one builder per layer at a time), so that a feature costs
    // no allocation once the layer has seen one as large.
    std::string scratch;
    std::vector<feature_part> parts; // the first parts_used belong to the feature being built
    std::size_t parts_used = 0;
    std::vector<std::uint32_t> tags; // key and value indices, interned as properties arrive
    command_stream commands;

    std::uint32_t key(std::string_view k) { return keys.intern(k); }
    std::uint32_t value(const kvarter::value& v) {
        scratch.clear();
        protozero::pbf_builder<value_tag> w{scratch};
        if (const auto* s = std::get_if<std::string>(&v)) w.add_string(value_tag::string_value, *s);
        else if (const auto* d = std::get_if<double>(&v)) w.add_double(value_tag::double_value, *d);
        else if (const auto* i = std::get_if<std::int64_t>(&v)) w.add_sint64(value_tag::sint_value, *i);
        else if (const auto* b = std::get_if<bool>(&v)) w.add_bool(value_tag::bool_value, *b);
        return values.intern(scratch);
    }

    void write(std::string& tile) const {
        std::size_t tables = 0;
        for (std::size_t i = 0; i < keys.size(); ++i) tables += keys[i].size() + 6;
        for (std::size_t i = 0; i < values.size(); ++i) tables += values[i].size() + 6;
        std::string layer;
        layer.reserve(name.size() + 16 + features.size() + tables);
        {
            protozero::pbf_builder<layer_tag> w{layer};
            w.add_uint32(layer_tag::version, mvt_version); // first, as spec 4.1 asks
            w.add_string(layer_tag::name, name);
            w.add_uint32(layer_tag::extent, extent);
        }
        layer += features;
        {
            protozero::pbf_builder<layer_tag> w{layer};
            for (std::size_t i = 0; i < keys.size(); ++i) w.add_string(layer_tag::keys, keys[i].data(), keys[i].size());
            for (std::size_t i = 0; i < values.size(); ++i) w.add_message(layer_tag::values, values[i].data(), values[i].size());
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
std::uint32_t layer_builder::key_index(std::string_view key) { return m_layer->key(key); }
std::size_t layer_builder::value_count() const noexcept { return m_layer->values.size(); }

namespace detail {

feature_builder::feature_builder(layer_builder& layer, geom_type type)
    : m_layer{layer.m_layer}, m_type{type}, m_key_mark{layer.m_layer->keys.size()}, m_value_mark{layer.m_layer->values.size()} {
    m_layer->parts_used = 0;
    m_layer->tags.clear();
    m_layer->commands.clear();
}

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
    m_layer->tags.push_back(m_layer->key(key));
    m_layer->tags.push_back(m_layer->value(v));
}

void feature_builder::add_property(std::uint32_t key_index, const value& v) {
    assert(!m_done && "add_property() after commit() or rollback()");
    assert(key_index < m_layer->keys.size() && "a key index from layer_builder::key_index()");
    if (is_null(v)) return;
    m_layer->tags.push_back(key_index);
    m_layer->tags.push_back(m_layer->value(v));
}

void feature_builder::begin_part(std::uint32_t count, bool exterior) {
    assert(!m_done && !m_encoded && "geometry after has_geometry(), commit() or rollback()");
    auto& parts = m_layer->parts;
    assert((m_layer->parts_used == 0 || parts[m_layer->parts_used - 1].points.size() == parts[m_layer->parts_used - 1].expected) &&
           "the previous part got fewer set_point() calls than it announced");
    if (m_layer->parts_used == parts.size()) parts.emplace_back();
    auto& p = parts[m_layer->parts_used++];
    p.points.clear();
    p.points.reserve(count);
    p.expected = count;
    p.exterior = exterior;
}

void feature_builder::set_point(std::int32_t x, std::int32_t y) {
    assert(!m_done && "set_point() after commit() or rollback()");
    assert(m_layer->parts_used > 0 && "set_point() before add_points(), add_linestring() or add_ring()");
    if (m_layer->parts_used == 0) begin_part(0); // keeps a release build defined when the assert is off
    auto& p = m_layer->parts[m_layer->parts_used - 1];
    assert(p.points.size() < p.expected && "more set_point() calls than announced");
    p.points.push_back({x, y});
}

void feature_builder::encode_geometry() {
    auto& out = m_layer->commands;
    const std::span<feature_part> parts{m_layer->parts.data(), m_layer->parts_used};
    switch (m_type) {
    case geom_type::point: {
        // One MoveTo for all points (spec 4.3.4.2); a multipoint may repeat a point.
        if (parts.empty()) break;
        tile_path& all = parts[0].points;
        for (std::size_t i = 1; i < parts.size(); ++i) all.insert(all.end(), parts[i].points.begin(), parts[i].points.end());
        out.add_points(all);
        break;
    }
    case geom_type::linestring:
        for (auto& p : parts) {
            drop_repeated_points(p.points);
            if (p.points.size() >= 2) out.add_linestring(p.points);
        }
        break;
    case geom_type::polygon: {
        // A hole belongs to the exterior before it, so it goes when that exterior goes.
        bool exterior_kept = false;
        for (auto& p : parts) {
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
}

bool feature_builder::has_geometry() {
    assert(!m_done && "has_geometry() after commit() or rollback()");
    if (!m_encoded) {
        assert((m_layer->parts_used == 0 || m_layer->parts[m_layer->parts_used - 1].points.size() == m_layer->parts[m_layer->parts_used - 1].expected) &&
               "the last part got fewer set_point() calls than it announced");
        m_encoded = true;
        try {
            encode_geometry();
        } catch (...) {
            rollback();
            throw;
        }
    }
    return !m_layer->commands.empty();
}

bool feature_builder::commit() {
    assert(!m_done && "commit() twice, or after rollback()");
    if (m_done) return false;
    if (!has_geometry()) {
        rollback();
        return false;
    }
    {
        const auto& commands = m_layer->commands.commands();
        protozero::pbf_builder<layer_tag> layer{m_layer->features};
        protozero::pbf_builder<feature_tag> f{layer, layer_tag::features};
        if (m_id) f.add_uint64(feature_tag::id, *m_id);
        if (!m_layer->tags.empty()) f.add_packed_uint32(feature_tag::tags, m_layer->tags.begin(), m_layer->tags.end());
        f.add_enum(feature_tag::type, static_cast<std::int32_t>(m_type));
        f.add_packed_uint32(feature_tag::geometry, commands.begin(), commands.end());
    }
    ++m_layer->feature_count;
    m_done = true;
    return true;
}

void feature_builder::rollback() {
    if (!m_done) {
        m_layer->keys.truncate(m_key_mark);
        m_layer->values.truncate(m_value_mark);
    }
    m_layer->parts_used = 0;
    m_layer->tags.clear();
    m_id.reset();
    m_done = true;
}

} // namespace detail

void point_feature_builder::add_point(std::int32_t x, std::int32_t y) {
    begin_part(1);
    set_point(x, y);
}

} // namespace kvarter::tiles
