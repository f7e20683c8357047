#include "tiles/add_feature.hpp"
#include "tiles/mvt_encoder.hpp"
#include "tiles/tile_math.hpp"

#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <protozero/pbf_message.hpp>
#include <regex>

using namespace kvarter;
using namespace kvarter::tiles;

namespace {

// A decoder written for the tests from the spec, so the encoder is not checked against itself.
struct decoded_value {
    value_tag wire = value_tag::string_value;
    value v;
};

struct decoded_feature {
    std::optional<std::uint64_t> id;
    std::vector<std::uint32_t> tags;
    std::int32_t type = 0;
    std::vector<std::uint32_t> geometry;
};

struct decoded_layer {
    std::uint32_t version = 0;
    std::string name;
    std::uint32_t extent = 0;
    std::vector<std::string> keys;
    std::vector<decoded_value> values;
    std::vector<decoded_feature> features;
    layer_tag first_field = layer_tag::name;
};

decoded_value decode_value(protozero::pbf_message<value_tag> m) {
    decoded_value out;
    int fields = 0;
    while (m.next()) {
        ++fields;
        out.wire = m.tag();
        switch (m.tag()) {
        case value_tag::string_value: out.v = m.get_string(); break;
        case value_tag::float_value: out.v = double{m.get_float()}; break;
        case value_tag::double_value: out.v = m.get_double(); break;
        case value_tag::int_value: out.v = m.get_int64(); break;
        case value_tag::uint_value: out.v = static_cast<std::int64_t>(m.get_uint64()); break;
        case value_tag::sint_value: out.v = m.get_sint64(); break;
        case value_tag::bool_value: out.v = m.get_bool(); break;
        default: m.skip();
        }
    }
    EXPECT_EQ(fields, 1) << "a value holds exactly one field (spec 4.1)";
    return out;
}

decoded_feature decode_feature(protozero::pbf_message<feature_tag> m) {
    decoded_feature out;
    while (m.next()) {
        switch (m.tag()) {
        case feature_tag::id: out.id = m.get_uint64(); break;
        case feature_tag::tags:
            for (auto t : m.get_packed_uint32()) out.tags.push_back(t);
            break;
        case feature_tag::type: out.type = m.get_enum(); break;
        case feature_tag::geometry:
            for (auto g : m.get_packed_uint32()) out.geometry.push_back(g);
            break;
        default: m.skip();
        }
    }
    return out;
}

std::vector<decoded_layer> decode(const std::string& bytes) {
    std::vector<decoded_layer> layers;
    protozero::pbf_message<tile_tag> tile{bytes};
    while (tile.next(tile_tag::layers)) {
        auto& l = layers.emplace_back();
        protozero::pbf_message<layer_tag> m{tile.get_view()};
        bool first = true;
        while (m.next()) {
            if (first) l.first_field = m.tag();
            first = false;
            switch (m.tag()) {
            case layer_tag::version: l.version = m.get_uint32(); break;
            case layer_tag::name: l.name = m.get_string(); break;
            case layer_tag::extent: l.extent = m.get_uint32(); break;
            case layer_tag::keys: l.keys.push_back(m.get_string()); break;
            case layer_tag::values: l.values.push_back(decode_value(protozero::pbf_message<value_tag>{m.get_view()})); break;
            case layer_tag::features: l.features.push_back(decode_feature(protozero::pbf_message<feature_tag>{m.get_view()})); break;
            default: m.skip();
            }
        }
    }
    return layers;
}

std::map<std::string, value> properties(const decoded_layer& l, const decoded_feature& f) {
    std::map<std::string, value> out;
    for (std::size_t i = 0; i + 1 < f.tags.size(); i += 2) out[l.keys.at(f.tags[i])] = l.values.at(f.tags[i + 1]).v;
    return out;
}

// The geometry's parts in absolute coordinates, checking the command grammar of spec 4.3.4 as it goes.
std::vector<std::vector<tile_point>> decode_paths(const decoded_feature& f) {
    std::vector<std::vector<tile_point>> parts;
    std::int64_t x = 0, y = 0;
    std::size_t i = 0;
    const auto& g = f.geometry;
    const auto param = [&]() -> std::int64_t {
        const std::uint32_t p = g.at(i++);
        return static_cast<std::int32_t>((p >> 1) ^ (~(p & 1) + 1));
    };
    while (i < g.size()) {
        const std::uint32_t id = g[i] & 7, count = g[i] >> 3;
        ++i;
        if (id == 1) {
            if (f.type != 1) {
                EXPECT_EQ(count, 1u) << "lines and rings start with MoveTo(1)";
            }
            for (std::uint32_t k = 0; k < count; ++k) {
                x += param();
                y += param();
                if (f.type == 1 && !parts.empty()) parts.back().push_back({std::int32_t(x), std::int32_t(y)});
                else parts.push_back({{std::int32_t(x), std::int32_t(y)}});
            }
        } else if (id == 2) {
            EXPECT_GT(count, f.type == 3 ? 1u : 0u);
            for (std::uint32_t k = 0; k < count; ++k) {
                const auto dx = param(), dy = param();
                EXPECT_FALSE(dx == 0 && dy == 0) << "zero-length LineTo (spec 4.3.3.2)";
                x += dx;
                y += dy;
                parts.back().push_back({std::int32_t(x), std::int32_t(y)});
            }
        } else {
            EXPECT_EQ(id, 7u);
            EXPECT_EQ(count, 1u);
            EXPECT_EQ(f.type, 3);
            EXPECT_NE(parts.back().back(), parts.back().front()) << "the ring repeats its start before ClosePath";
        }
    }
    return parts;
}

// Twice the surveyor's-formula area, as spec 4.3.4.4 defines it.
std::int64_t area2(const std::vector<tile_point>& ring) {
    std::int64_t sum = 0;
    for (std::size_t i = 0; i < ring.size(); ++i) {
        const auto& a = ring[i];
        const auto& b = ring[(i + 1) % ring.size()];
        sum += std::int64_t{a.x} * b.y - std::int64_t{b.x} * a.y;
    }
    return sum;
}

void add_ring(polygon_feature_builder& f, const std::vector<tile_point>& ring, ring_role role = ring_role::exterior) {
    f.add_ring(static_cast<std::uint32_t>(ring.size()), role);
    for (const auto& p : ring) f.set_point(p);
}

decoded_layer only_layer(const tile_builder& tile) {
    const auto layers = decode(tile.serialize());
    EXPECT_EQ(layers.size(), 1u);
    return layers.empty() ? decoded_layer{} : layers[0];
}

const std::vector<tile_point> square_cw{{0, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}}; // positive area, y down
const std::vector<tile_point> square_ccw{{0, 0}, {0, 10}, {10, 10}, {10, 0}, {0, 0}};

} // namespace

TEST(mvt_encoder, a_point_encodes_as_the_spec_example) {
    tile_builder tile;
    layer_builder layer{tile, "points"};
    point_feature_builder f{layer};
    f.add_point(25, 17);
    EXPECT_TRUE(f.commit());
    const auto l = only_layer(tile);
    ASSERT_EQ(l.features.size(), 1u);
    EXPECT_EQ(l.features[0].type, 1);
    EXPECT_EQ(l.features[0].geometry, (std::vector<std::uint32_t>{9, 50, 34})); // spec 4.3.5.1
    EXPECT_FALSE(l.features[0].id.has_value());
}

TEST(mvt_encoder, a_multipoint_is_one_move_to_with_a_count) {
    tile_builder tile;
    layer_builder layer{tile, "points"};
    point_feature_builder f{layer};
    f.add_points(2);
    f.set_point(5, 7);
    f.set_point(3, 2);
    f.commit();
    EXPECT_EQ(only_layer(tile).features.at(0).geometry, (std::vector<std::uint32_t>{17, 10, 14, 3, 9})); // spec 4.3.5.2
}

TEST(mvt_encoder, lines_carry_the_cursor_from_one_part_to_the_next) {
    tile_builder tile;
    layer_builder layer{tile, "lines"};
    linestring_feature_builder f{layer};
    f.set_id(42);
    f.add_linestring(3);
    f.set_point(2, 2);
    f.set_point(2, 10);
    f.set_point(10, 10);
    f.add_linestring(2);
    f.set_point(1, 1);
    f.set_point(3, 5);
    f.commit();
    const auto l = only_layer(tile);
    EXPECT_EQ(l.features.at(0).type, 2);
    EXPECT_EQ(l.features.at(0).id, 42u);
    // Spec 4.3.5.4: the second MoveTo is (-9, -9) from the end of the first line.
    EXPECT_EQ(l.features.at(0).geometry, (std::vector<std::uint32_t>{9, 4, 4, 18, 0, 16, 16, 0, 9, 17, 17, 10, 4, 8}));
}

TEST(mvt_encoder, a_square_gives_the_exact_command_integers) {
    tile_builder tile;
    layer_builder layer{tile, "squares"};
    polygon_feature_builder f{layer};
    add_ring(f, {{2, 2}, {6, 2}, {6, 6}, {2, 6}, {2, 2}});
    f.commit();
    const auto l = only_layer(tile);
    EXPECT_EQ(l.features.at(0).type, 3);
    // MoveTo(1) (+2,+2), LineTo(3) (+4,0) (0,+4) (-4,0), ClosePath(1); the closing point is implied.
    EXPECT_EQ(l.features.at(0).geometry, (std::vector<std::uint32_t>{9, 4, 4, 26, 8, 0, 0, 8, 7, 0, 15}));
    EXPECT_EQ(command_integer(command_id::move_to, 1), 9u);
    EXPECT_EQ(command_integer(command_id::line_to, 3), 26u);
    EXPECT_EQ(command_integer(command_id::close_path, 1), 15u);
    EXPECT_EQ(command_integer(command_id::move_to, 120), 961u);
}

TEST(mvt_encoder, the_spec_polygon_example_is_kept_as_given) {
    tile_builder tile;
    layer_builder layer{tile, "polygons"};
    polygon_feature_builder f{layer};
    add_ring(f, {{3, 6}, {8, 12}, {20, 34}, {3, 6}});
    f.commit();
    EXPECT_EQ(only_layer(tile).features.at(0).geometry, (std::vector<std::uint32_t>{9, 6, 12, 18, 10, 12, 24, 44, 15})); // 4.3.5.6
}

TEST(mvt_encoder, winding_is_fixed_whichever_way_the_rings_come_in) {
    std::string bytes[2];
    for (int way = 0; way < 2; ++way) {
        tile_builder tile;
        layer_builder layer{tile, "polygons"};
        polygon_feature_builder f{layer};
        auto hole = std::vector<tile_point>{{3, 3}, {3, 6}, {6, 6}, {6, 3}, {3, 3}}; // negative: already a hole
        if (way == 1) std::reverse(hole.begin(), hole.end());
        add_ring(f, way == 0 ? square_cw : square_ccw);
        add_ring(f, hole, ring_role::interior);
        f.commit();
        bytes[way] = tile.serialize();
        const auto l = only_layer(tile);
        const auto rings = decode_paths(l.features.at(0));
        ASSERT_EQ(rings.size(), 2u);
        EXPECT_EQ(area2(rings[0]), 200); // exterior: positive (spec 4.3.4.4)
        EXPECT_EQ(area2(rings[1]), -18); // interior: negative
        EXPECT_EQ(rings[0].front(), (tile_point{0, 0})); // reversal keeps the start vertex
    }
    EXPECT_EQ(bytes[0], bytes[1]);
}

TEST(mvt_encoder, a_multipolygon_keeps_each_hole_after_its_own_exterior) {
    tile_builder tile;
    layer_builder layer{tile, "polygons"};
    polygon_feature_builder f{layer};
    add_ring(f, square_ccw);
    add_ring(f, {{2, 2}, {2, 4}, {4, 4}, {4, 2}}, ring_role::interior); // an open ring is fine too
    add_ring(f, {{20, 20}, {30, 20}, {30, 30}, {20, 30}, {20, 20}});
    add_ring(f, {{22, 22}, {28, 22}, {28, 28}, {22, 28}, {22, 22}}, ring_role::interior);
    add_ring(f, {{100, 0}, {100, 5}, {105, 5}, {100, 0}});
    f.commit();
    const auto rings = decode_paths(only_layer(tile).features.at(0));
    ASSERT_EQ(rings.size(), 5u);
    const std::vector<bool> exterior{true, false, true, false, true};
    for (std::size_t i = 0; i < rings.size(); ++i) EXPECT_EQ(area2(rings[i]) > 0, exterior[i]) << "ring " << i;
    // Absolute positions survive the delta coding across parts.
    EXPECT_EQ(rings[2].front(), (tile_point{20, 20}));
    EXPECT_EQ(rings[3].front(), (tile_point{22, 22}));
    EXPECT_EQ(rings[4].front(), (tile_point{100, 0}));
    EXPECT_EQ(area2(rings[3]), -72);
    EXPECT_EQ(area2(rings[4]), 25);
}

TEST(mvt_encoder, repeated_points_are_skipped) {
    tile_builder tile;
    layer_builder layer{tile, "mixed"};
    polygon_feature_builder f{layer};
    add_ring(f, {{0, 0}, {0, 0}, {10, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 10}, {0, 0}, {0, 0}});
    f.commit();
    linestring_feature_builder line{layer};
    line.add_linestring(4);
    for (auto p : {tile_point{1, 1}, tile_point{1, 1}, tile_point{5, 1}, tile_point{5, 1}}) line.set_point(p);
    line.commit();
    const auto l = only_layer(tile);
    EXPECT_EQ(l.features.at(0).geometry, (std::vector<std::uint32_t>{9, 0, 0, 26, 20, 0, 0, 20, 19, 0, 15}));
    EXPECT_EQ(l.features.at(1).geometry, (std::vector<std::uint32_t>{9, 2, 2, 10, 8, 0}));
}

TEST(mvt_encoder, degenerate_rings_are_dropped_and_a_dropped_exterior_takes_its_holes) {
    tile_builder tile;
    layer_builder layer{tile, "polygons"};
    polygon_feature_builder f{layer};
    add_ring(f, {{0, 0}, {5, 5}, {0, 0}, {0, 0}}); // two distinct points
    add_ring(f, {{1, 1}, {2, 1}, {2, 2}, {1, 1}}, ring_role::interior); // fine, but its exterior is gone
    add_ring(f, {{0, 0}, {5, 5}, {10, 10}, {0, 0}}); // collinear: zero area
    add_ring(f, square_cw); // the one that survives
    add_ring(f, {{3, 3}, {3, 3}, {3, 3}}, ring_role::interior); // one distinct point
    f.commit();
    const auto rings = decode_paths(only_layer(tile).features.at(0));
    ASSERT_EQ(rings.size(), 1u);
    EXPECT_EQ(area2(rings[0]), 200);
}

TEST(mvt_encoder, a_feature_with_no_geometry_left_is_not_written) {
    tile_builder tile;
    layer_builder layer{tile, "polygons"};
    polygon_feature_builder f{layer};
    add_ring(f, {{0, 0}, {5, 0}, {0, 0}});
    f.add_property("name", value{std::string{"gone"}});
    EXPECT_FALSE(f.commit());
    linestring_feature_builder line{layer};
    line.add_linestring(2);
    line.set_point(7, 7);
    line.set_point(7, 7);
    EXPECT_FALSE(line.commit());
    point_feature_builder nothing{layer};
    EXPECT_FALSE(nothing.commit());
    EXPECT_EQ(layer.feature_count(), 0u);
    EXPECT_EQ(layer.key_count(), 0u);
    EXPECT_EQ(tile.serialize(), "");
}

TEST(mvt_encoder, an_uncommitted_feature_leaves_the_layer_as_it_was) {
    const auto first = [](layer_builder& layer) {
        point_feature_builder f{layer};
        f.add_point(1, 2);
        f.add_property("kind", value{std::string{"stop"}});
        f.commit();
    };
    tile_builder expected;
    layer_builder expected_layer{expected, "points"};
    first(expected_layer);

    tile_builder tile;
    layer_builder layer{tile, "points"};
    first(layer);
    {
        point_feature_builder dropped{layer};
        dropped.set_id(9);
        dropped.add_point(3, 4);
        dropped.add_property("other", value{std::int64_t{5}});
    } // destroyed without commit()
    {
        polygon_feature_builder rolled_back{layer};
        add_ring(rolled_back, square_cw);
        rolled_back.add_property("kind", value{std::string{"area"}});
        rolled_back.rollback();
    }
    EXPECT_EQ(layer.feature_count(), 1u);
    EXPECT_EQ(layer.key_count(), 1u);
    EXPECT_EQ(layer.value_count(), 1u);
    EXPECT_EQ(tile.serialize(), expected.serialize());
}

TEST(mvt_encoder, shared_keys_and_values_are_stored_once_per_layer) {
    tile_builder tile;
    layer_builder layer{tile, "districts"};
    for (std::uint64_t id : {1, 2}) {
        point_feature_builder f{layer};
        f.set_id(id);
        f.add_point(static_cast<std::int32_t>(id), 0);
        f.add_property("name", value{std::string{"Nørrebro"}});
        f.commit();
    }
    const auto l = only_layer(tile);
    EXPECT_EQ(l.keys, (std::vector<std::string>{"name"}));
    ASSERT_EQ(l.values.size(), 1u);
    EXPECT_EQ(l.values[0].v, value{std::string{"Nørrebro"}});
    ASSERT_EQ(l.features.size(), 2u);
    EXPECT_EQ(l.features[0].tags, (std::vector<std::uint32_t>{0, 0}));
    EXPECT_EQ(l.features[1].tags, (std::vector<std::uint32_t>{0, 0}));
    EXPECT_EQ(l.features[0].id, 1u);
    EXPECT_EQ(l.features[1].id, 2u);
}

TEST(mvt_encoder, values_keep_their_types_and_nulls_are_left_out) {
    tile_builder tile;
    layer_builder layer{tile, "typed"};
    point_feature_builder f{layer};
    f.add_point(0, 0);
    f.add_property("s", value{std::string{"1"}});
    f.add_property("i", value{std::int64_t{1}});
    f.add_property("d", value{1.0});
    f.add_property("b", value{true});
    f.add_property("neg", value{std::int64_t{-70000}});
    f.add_property("big", value{std::numeric_limits<std::int64_t>::max()});
    f.add_property("nothing", value{});
    f.commit();
    const auto l = only_layer(tile);
    EXPECT_EQ(l.keys, (std::vector<std::string>{"s", "i", "d", "b", "neg", "big"}));
    ASSERT_EQ(l.values.size(), 6u); // "1", 1 and 1.0 are three different values
    EXPECT_EQ(l.values[0].wire, value_tag::string_value);
    EXPECT_EQ(l.values[1].wire, value_tag::sint_value);
    EXPECT_EQ(l.values[2].wire, value_tag::double_value);
    EXPECT_EQ(l.values[3].wire, value_tag::bool_value);
    const auto props = properties(l, l.features.at(0));
    EXPECT_EQ(props.at("s"), value{std::string{"1"}});
    EXPECT_EQ(props.at("i"), value{std::int64_t{1}});
    EXPECT_EQ(props.at("d"), value{1.0});
    EXPECT_EQ(props.at("b"), value{true});
    EXPECT_EQ(props.at("neg"), value{std::int64_t{-70000}});
    EXPECT_EQ(props.at("big"), value{std::numeric_limits<std::int64_t>::max()});
    EXPECT_EQ(props.count("nothing"), 0u);
}

TEST(mvt_encoder, layers_and_features_come_out_in_order_and_empty_layers_are_left_out) {
    tile_builder empty;
    layer_builder unused{empty, "nothing"};
    EXPECT_EQ(empty.serialize(), "");

    tile_builder tile;
    layer_builder b{tile, "b", 512};
    layer_builder skipped{tile, "skipped"};
    layer_builder a{tile, "a"};
    for (std::int32_t i = 0; i < 3; ++i) {
        point_feature_builder f{i == 1 ? b : a};
        f.set_id(static_cast<std::uint64_t>(10 - i));
        f.add_point(i, i);
        f.commit();
    }
    const auto bytes = tile.serialize();
    const auto layers = decode(bytes);
    ASSERT_EQ(layers.size(), 2u);
    EXPECT_EQ(layers[0].name, "b");
    EXPECT_EQ(layers[0].extent, 512u);
    EXPECT_EQ(layers[1].name, "a");
    EXPECT_EQ(layers[1].extent, 4096u);
    for (const auto& l : layers) {
        EXPECT_EQ(l.version, 2u);
        EXPECT_EQ(l.first_field, layer_tag::version); // spec 4.1: SHOULD be the first field
    }
    ASSERT_EQ(layers[1].features.size(), 2u);
    EXPECT_EQ(layers[1].features[0].id, 10u);
    EXPECT_EQ(layers[1].features[1].id, 8u);
    EXPECT_EQ(tile.serialize(), bytes); // serializing does not consume the tile
}

TEST(mvt_encoder, bad_input_throws_format_errors_citing_the_spec) {
    tile_builder tile;
    layer_builder layer{tile, "roads"};
    const auto message = [](auto&& f) -> std::string {
        try {
            f();
        } catch (const format_error& e) {
            return e.what();
        }
        return "no error";
    };
    EXPECT_NE(message([&] { layer_builder again{tile, "roads"}; }).find("spec 4.1"), std::string::npos);
    EXPECT_NE(message([&] { layer_builder flat{tile, "flat", 0}; }).find("spec 4.1"), std::string::npos);
    EXPECT_NE(message([&] {
                  point_feature_builder f{layer};
                  f.add_points(2);
                  f.set_point(0, 0);
                  f.set_point(std::numeric_limits<std::int32_t>::min(), 0);
                  f.commit();
              }).find("spec 4.3.2"),
              std::string::npos);
    geometry::geometry half;
    half.type = geometry::kind::point;
    half.parts.push_back({{{0.5, 1}}});
    EXPECT_NE(message([&] { add_feature(layer, 1, half, {}); }).find("spec 4.3"), std::string::npos);
    half.parts[0][0][0] = {std::nan(""), 1};
    EXPECT_THROW(add_feature(layer, 1, half, {}), format_error);
    half.parts[0][0][0] = {1e10, 1};
    EXPECT_THROW(add_feature(layer, 1, half, {}), kvarter::error);
    EXPECT_EQ(layer.feature_count(), 0u);
    EXPECT_EQ(tile.serialize(), "");
}

TEST(mvt_encoder, add_feature_picks_the_builder_for_each_kind) {
    tile_builder tile;
    layer_builder layer{tile, "all"};
    geometry::geometry pts;
    pts.type = geometry::kind::point;
    pts.multi = true;
    pts.parts = {{{{5, 7}}}, {{{3, 2}}}};
    add_feature(layer, 1, pts, {{"kind", value{std::string{"stop"}}}, {"note", value{}}});

    geometry::geometry line;
    line.type = geometry::kind::line;
    line.parts = {{{{2, 2}, {2, 10}, {10, 10}}}};
    add_feature(layer, 2, line, {{"kind", value{std::string{"road"}}}});

    geometry::geometry poly;
    poly.type = geometry::kind::polygon;
    poly.parts = {{{{0, 0}, {0, 10}, {10, 10}, {10, 0}, {0, 0}}, {{3, 3}, {6, 3}, {6, 6}, {3, 6}, {3, 3}}}};
    add_feature(layer, 3, poly, {{"kind", value{std::string{"park"}}}, {"area", value{91.0}}});

    geometry::geometry collapsed = poly;
    collapsed.parts[0][0] = {{0, 0}, {1, 1}, {0, 0}};
    add_feature(layer, 4, collapsed, {});

    const auto l = only_layer(tile);
    ASSERT_EQ(l.features.size(), 3u);
    EXPECT_EQ(l.features[0].type, 1);
    EXPECT_EQ(l.features[0].geometry, (std::vector<std::uint32_t>{17, 10, 14, 3, 9}));
    EXPECT_EQ(properties(l, l.features[0]).size(), 1u);
    EXPECT_EQ(l.features[1].type, 2);
    EXPECT_EQ(l.features[1].geometry, (std::vector<std::uint32_t>{9, 4, 4, 18, 0, 16, 16, 0}));
    EXPECT_EQ(l.features[2].type, 3);
    EXPECT_EQ(l.features[2].id, 3u);
    const auto rings = decode_paths(l.features[2]);
    ASSERT_EQ(rings.size(), 2u);
    EXPECT_EQ(area2(rings[0]), 200);
    EXPECT_EQ(area2(rings[1]), -18);
    EXPECT_EQ(properties(l, l.features[2]).at("area"), value{91.0});
}

TEST(mvt_encoder, the_same_input_gives_the_same_bytes) {
    const auto build = [] {
        tile_builder tile;
        layer_builder layer{tile, "districts"};
        for (int i = 0; i < 20; ++i) {
            point_feature_builder f{layer};
            f.add_point(i, 2 * i);
            const char* keys[] = {"a", "b", "c", "d", "e", "f", "g"};
            f.add_property(keys[i % 7], value{std::int64_t{i % 5}});
            f.add_property("name", value{std::to_string(i % 3)});
            f.commit();
        }
        return tile.serialize();
    };
    EXPECT_EQ(build(), build());
}

namespace {

// ogrinfo's report cut into one block per layer, keyed by layer name, in the order it printed them.
std::vector<std::pair<std::string, std::string>> ogrinfo_layers(const std::string& output) {
    std::vector<std::pair<std::string, std::string>> layers;
    const std::string marker = "Layer name: ";
    for (auto at = output.find(marker); at != std::string::npos;) {
        const auto next = output.find(marker, at + marker.size());
        const auto block = output.substr(at, next == std::string::npos ? std::string::npos : next - at);
        layers.emplace_back(block.substr(marker.size(), block.find('\n') - marker.size()), block);
        at = next;
    }
    return layers;
}

std::vector<geometry::xy> wkt_coordinates(const std::string& wkt) {
    std::vector<geometry::xy> out;
    static const std::regex pair{R"((-?[0-9.]+(?:e[-+]?[0-9]+)?) (-?[0-9.]+(?:e[-+]?[0-9]+)?))"};
    for (auto it = std::sregex_iterator(wkt.begin(), wkt.end(), pair); it != std::sregex_iterator(); ++it)
        out.push_back({std::stod((*it)[1]), std::stod((*it)[2])});
    return out;
}

// The geometry lines ogrinfo prints under each feature, in feature order.
std::vector<std::string> wkt_lines(const std::string& block) {
    std::vector<std::string> out;
    static const std::regex line{R"(\n  ((?:MULTI)?(?:POINT|POLYGON|LINESTRING) \([^\n]*))"};
    for (auto it = std::sregex_iterator(block.begin(), block.end(), line); it != std::sregex_iterator(); ++it)
        out.push_back((*it)[1]);
    return out;
}

} // namespace

// GDAL's MVT driver is an independent decoder: if it reads our layers, properties and
// coordinates back, the tile is right for more than our own test decoder.
TEST(mvt_encoder, gdal_reads_back_layers_properties_and_coordinates) {
    if (test::run_command("ogrinfo --version").exit_code != 0) GTEST_SKIP() << "ogrinfo is not installed";
    const tile_id t{10, 550, 320};
    const auto m = mercator_bounds(t);
    const double width = m.max_x - m.min_x;
    const double unit = width / 4096; // metres per tile unit, about 9.55 at zoom 10
    // A point fx, fy of the way across the tile from its top-left corner.
    const auto at = [&](double fx, double fy) { return geometry::xy{m.min_x + fx * width, m.max_y - fy * width}; };
    const tile_transform to_tile{t};

    tile_builder tile;
    layer_builder districts{tile, "districts"};
    geometry::geometry ring_with_hole;
    ring_with_hole.type = geometry::kind::polygon;
    ring_with_hole.parts = {{{at(0.25, 0.25), at(0.75, 0.25), at(0.75, 0.75), at(0.25, 0.75), at(0.25, 0.25)},
                             {at(0.375, 0.375), at(0.625, 0.375), at(0.625, 0.625), at(0.375, 0.625), at(0.375, 0.375)}}};
    add_feature(districts, 7, to_tile.apply(ring_with_hole),
                {{"name", value{std::string{"Nørrebro"}}},
                 {"population", value{std::int64_t{79753}}},
                 {"share", value{0.125}},
                 {"central", value{true}},
                 {"missing", value{}}});
    geometry::geometry corner;
    corner.type = geometry::kind::polygon;
    corner.parts = {{{at(0.0, 0.0), at(0.0, 0.1875), at(0.1875, 0.1875), at(0.1875, 0.0), at(0.0, 0.0)}}}; // wound the other way
    add_feature(districts, 8, to_tile.apply(corner),
                {{"name", value{std::string{"Østerbro"}}},
                 {"population", value{std::int64_t{-1}}},
                 {"share", value{2.5}},
                 {"central", value{false}}});

    layer_builder stops{tile, "stops"};
    const std::vector<geometry::xy> stop_places{at(0.3712, 0.6543), at(0.5, 0.5), at(0.9, 0.1)};
    for (std::size_t i = 0; i < stop_places.size(); ++i) {
        geometry::geometry p;
        p.type = geometry::kind::point;
        p.parts = {{{stop_places[i]}}};
        add_feature(stops, 100 + i, to_tile.apply(p), {{"line", value{std::string{"M"} + std::to_string(i + 1)}}});
    }

    const auto dir = test::temp_dir("mvt_gdal") / "10" / "550";
    std::filesystem::create_directories(dir);
    const auto file = dir / "320.mvt";
    test::write_file(file, tile.serialize());
    const auto result = test::run_command("ogrinfo -ro -al -oo X=550 -oo Y=320 -oo Z=10 '" + file.string() + "'");
    ASSERT_EQ(result.exit_code, 0) << result.output;

    const auto layers = ogrinfo_layers(result.output);
    ASSERT_EQ(layers.size(), 2u) << result.output;
    EXPECT_EQ(layers[0].first, "districts");
    EXPECT_EQ(layers[1].first, "stops");
    const auto& d = layers[0].second;
    const auto& s = layers[1].second;
    EXPECT_NE(d.find("Feature Count: 2"), std::string::npos) << d;
    EXPECT_NE(s.find("Feature Count: 3"), std::string::npos) << s;
    EXPECT_NE(d.find("EPSG\",3857]]"), std::string::npos) << "GDAL should place the tile in Web Mercator";

    for (const char* expected :
         {"mvt_id (Integer64) = 7", "name (String) = Nørrebro", "population (Integer) = 79753", "share (Real) = 0.125",
          "central (Integer(Boolean)) = 1", "mvt_id (Integer64) = 8", "name (String) = Østerbro",
          "population (Integer) = -1", "share (Real) = 2.5", "central (Integer(Boolean)) = 0"})
        EXPECT_NE(d.find(expected), std::string::npos) << expected << "\n" << d;
    EXPECT_EQ(d.find("missing"), std::string::npos) << "a null property is left out";
    for (const char* expected : {"line (String) = M1", "line (String) = M2", "line (String) = M3", "mvt_id (Integer64) = 102"})
        EXPECT_NE(s.find(expected), std::string::npos) << expected << "\n" << s;

    // Polygons: the corners sit on the tile grid, so they come back to within a millimetre.
    const auto polygons = wkt_lines(d);
    ASSERT_EQ(polygons.size(), 2u) << d;
    EXPECT_NE(polygons[0].find("),("), std::string::npos) << "the hole survives: " << polygons[0];
    const auto expect_ring_box = [&](const std::vector<geometry::xy>& coords, geometry::xy low, geometry::xy high) {
        geometry::box b;
        for (const auto& c : coords) b.expand(c);
        EXPECT_NEAR(b.min_x, low.x, 1e-3);
        EXPECT_NEAR(b.min_y, low.y, 1e-3);
        EXPECT_NEAR(b.max_x, high.x, 1e-3);
        EXPECT_NEAR(b.max_y, high.y, 1e-3);
    };
    const auto first = wkt_coordinates(polygons[0]);
    ASSERT_EQ(first.size(), 10u) << polygons[0]; // two closed rings of four corners
    expect_ring_box({first.begin(), first.begin() + 5}, at(0.25, 0.75), at(0.75, 0.25));
    expect_ring_box({first.begin() + 5, first.end()}, at(0.375, 0.625), at(0.625, 0.375));
    expect_ring_box(wkt_coordinates(polygons[1]), at(0.0, 0.1875), at(0.1875, 0.0));

    // Points: off the grid, so each lands within half a unit on each axis of where it was.
    const auto points = wkt_lines(s);
    ASSERT_EQ(points.size(), stop_places.size()) << s;
    for (std::size_t i = 0; i < points.size(); ++i) {
        const auto c = wkt_coordinates(points[i]);
        ASSERT_EQ(c.size(), 1u) << points[i];
        EXPECT_LE(std::abs(c[0].x - stop_places[i].x), unit / 2 + 1e-6) << points[i];
        EXPECT_LE(std::abs(c[0].y - stop_places[i].y), unit / 2 + 1e-6) << points[i];
    }
}
