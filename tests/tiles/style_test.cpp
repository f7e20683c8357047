// The bundled MapLibre style, checked through a real server against the TileJSON it serves:
// every source, source-layer and feature property the style reads must exist in the real city's
// tiles (the default), and what it reads of the layers the sample also has must exist there too.

#include "http/test_client.hpp"
#include "support/test_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

using namespace kvarter;
using nlohmann::json;
using test::fetch;

namespace {

class default_style : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        server = std::make_unique<test::running_server>(test::copenhagen_config());
        const auto r = fetch(server->port(), "/styles/default.json");
        ASSERT_EQ(r.status, 200u) << r.body;
        style = r.json();
    }
    static void TearDownTestSuite() { server.reset(); }

    // The TileJSON a source's url points to, fetched once per URL.
    static const json& tilejson_of(const std::string& source) {
        const std::string url = style.at("sources").at(source).at("url").get<std::string>();
        auto it = tilejsons.find(url);
        if (it == tilejsons.end()) {
            const auto r = test::fetch_url(url);
            EXPECT_EQ(r.status, 200u) << url;
            it = tilejsons.emplace(url, r.status == 200 ? r.json() : json::object()).first;
        }
        return it->second;
    }

    static const json* vector_layer(const std::string& source, const std::string& id) {
        const json& tj = tilejson_of(source);
        if (!tj.contains("vector_layers")) return nullptr;
        for (const auto& vl : tj.at("vector_layers"))
            if (vl.value("id", "") == id) return &vl;
        return nullptr;
    }

    static const json* layer(const std::string& id) {
        for (const auto& l : style.at("layers"))
            if (l.at("id") == id) return &l;
        return nullptr;
    }

    static const json* layer_of(const std::string& source_layer, const std::string& type) {
        for (const auto& l : style.at("layers"))
            if (l.value("source-layer", "") == source_layer && l.at("type") == type) return &l;
        return nullptr;
    }

    static inline std::unique_ptr<test::running_server> server;
    static inline json style;
    static inline std::map<std::string, json> tilejsons;
};

// Every feature property read by ["get", "name"]; ["get", name, object] reads an object, not the feature.
void collect_gets(const json& e, std::set<std::string>& out) {
    if (e.is_array()) {
        if (e.size() == 2 && e[0] == "get" && e[1].is_string()) out.insert(e[1].get<std::string>());
        for (const auto& x : e) collect_gets(x, out);
    } else if (e.is_object()) {
        for (const auto& [k, v] : e.items()) collect_gets(v, out);
    }
}

// Every string anywhere in the document.
void collect_strings(const json& e, std::vector<std::string>& out) {
    if (e.is_string()) {
        out.push_back(e.get<std::string>());
    } else if (e.is_array() || e.is_object()) {
        for (const auto& x : e) collect_strings(x, out);
    }
}

// The first ["step", input, ...] whose input reads `property`.
const json* find_step(const json& e, const std::string& property) {
    if (e.is_array()) {
        if (e.size() >= 3 && e[0] == "step") {
            std::set<std::string> read;
            collect_gets(e[1], read);
            if (read.count(property)) return &e;
        }
        for (const auto& x : e)
            if (const auto* s = find_step(x, property)) return s;
    } else if (e.is_object()) {
        for (const auto& [k, v] : e.items())
            if (const auto* s = find_step(v, property)) return s;
    }
    return nullptr;
}

} // namespace

TEST_F(default_style, is_a_version_8_style_centred_on_copenhagen) {
    ASSERT_TRUE(style.is_object());
    EXPECT_EQ(style.at("version"), 8);
    ASSERT_TRUE(style.at("sources").is_object());
    ASSERT_TRUE(style.at("layers").is_array());
    EXPECT_FALSE(style.at("layers").empty());
    const auto& center = style.at("center");
    EXPECT_NEAR(center[0].get<double>(), 12.56, 0.05);
    EXPECT_NEAR(center[1].get<double>(), 55.68, 0.05);
}

TEST_F(default_style, every_url_points_at_this_server_and_the_tilejson_answers) {
    std::vector<std::string> strings;
    collect_strings(style, strings);
    for (const auto& s : strings) EXPECT_EQ(s.rfind("kvarter:/", 0), std::string::npos) << s;

    ASSERT_FALSE(style.at("sources").empty());
    for (const auto& [name, source] : style.at("sources").items()) {
        ASSERT_TRUE(source.contains("url")) << name;
        const std::string url = source.at("url").get<std::string>();
        EXPECT_EQ(url.rfind(server->base() + "/", 0), 0u) << url;
        const auto r = test::fetch_url(url);
        EXPECT_EQ(r.status, 200u) << url;
        EXPECT_TRUE(r.json().contains("vector_layers")) << url;
    }
    if (style.contains("glyphs")) {
        EXPECT_EQ(style.at("glyphs").get<std::string>().rfind(server->base() + "/", 0), 0u);
    }
}

TEST_F(default_style, layer_ids_are_unique) {
    std::set<std::string> ids;
    for (const auto& l : style.at("layers")) EXPECT_TRUE(ids.insert(l.at("id").get<std::string>()).second) << l.at("id");
}

TEST_F(default_style, every_source_and_source_layer_exists) {
    for (const auto& l : style.at("layers")) {
        const std::string id = l.at("id");
        if (l.at("type") == "background") continue;
        ASSERT_TRUE(l.contains("source")) << id;
        const std::string source = l.at("source");
        ASSERT_TRUE(style.at("sources").contains(source)) << id << " uses the unknown source " << source;
        if (style.at("sources").at(source).at("type") != "vector") continue;
        ASSERT_TRUE(l.contains("source-layer")) << id;
        EXPECT_NE(vector_layer(source, l.at("source-layer")), nullptr)
            << id << ": no vector layer " << l.at("source-layer") << " in " << source;
    }
}

TEST_F(default_style, every_property_read_is_a_field_of_the_vector_layer) {
    std::size_t reads = 0;
    for (const auto& l : style.at("layers")) {
        if (!l.contains("source-layer")) continue;
        const json* vl = vector_layer(l.at("source"), l.at("source-layer"));
        if (!vl) {
            ADD_FAILURE() << l.at("id") << ": no vector layer " << l.at("source-layer");
            continue;
        }
        std::set<std::string> read;
        for (const char* part : {"filter", "layout", "paint"})
            if (l.contains(part)) collect_gets(l.at(part), read);
        for (const auto& property : read) {
            ++reads;
            EXPECT_TRUE(vl->at("fields").contains(property))
                << l.at("id") << " reads \"" << property << "\", not a field of " << l.at("source-layer");
        }
    }
    EXPECT_GT(reads, 5u); // the walk did find the expressions
}

TEST_F(default_style, the_sample_has_every_field_the_style_reads_of_its_layers) {
    test::running_server sample{test::sample_config()};
    const auto r = fetch(sample.port(), "/tiles/default/tilejson.json");
    ASSERT_EQ(r.status, 200u) << r.body;
    const json tilejson = r.json(); // kept: a range-for over a member of the temporary would dangle
    std::map<std::string, json> layers;
    for (const auto& vl : tilejson.at("vector_layers")) layers[vl.at("id").get<std::string>()] = vl;
    std::size_t checked = 0;
    for (const auto& l : style.at("layers")) {
        if (!l.contains("source-layer")) continue;
        const auto vl = layers.find(l.at("source-layer").get<std::string>());
        if (vl == layers.end()) continue; // a layer only the real city has: MapLibre draws nothing
        ++checked;
        std::set<std::string> read;
        for (const char* part : {"filter", "layout", "paint"})
            if (l.contains(part)) collect_gets(l.at(part), read);
        for (const auto& property : read)
            EXPECT_TRUE(vl->second.at("fields").contains(property))
                << l.at("id") << " reads \"" << property << "\", not a field of the sample's " << vl->first;
    }
    EXPECT_GT(checked, 10u) << layers.size() << " sample layers; style has " << style.at("layers").size();
}

TEST_F(default_style, highlights_deprived_areas_unlike_districts) {
    const json* deprived = layer_of("deprived-areas", "fill");
    const json* districts = layer_of("districts", "fill");
    ASSERT_NE(deprived, nullptr);
    ASSERT_NE(districts, nullptr);
    EXPECT_NE(deprived->at("paint").at("fill-color"), districts->at("paint").at("fill-color"));
    ASSERT_NE(layer_of("deprived-areas", "line"), nullptr);
    ASSERT_NE(layer_of("deprived-areas-2011", "line"), nullptr); // the six areas of 2011
    // Names once per feature, from the label points.
    ASSERT_NE(layer_of("deprived-areas-labels", "symbol"), nullptr);
    ASSERT_NE(layer_of("districts-labels", "symbol"), nullptr);
    EXPECT_EQ(layer_of("districts-labels", "symbol")->at("layout").at("text-field"), json::parse(R"(["get","name"])"));
    EXPECT_EQ(layer_of("districts", "symbol"), nullptr);
    ASSERT_NE(layer_of("playgrounds", "circle"), nullptr);
}

TEST_F(default_style, every_legend_entry_names_a_layer) {
    const auto& metadata = style.at("metadata");
    const auto& legend = metadata.at("kvarter:legend");
    ASSERT_TRUE(legend.is_array());
    EXPECT_FALSE(legend.empty());
    for (const auto& entry : legend) {
        EXPECT_NE(layer(entry.at("layer")), nullptr) << entry.at("layer");
        EXPECT_TRUE(entry.at("label_da").is_string());
        EXPECT_TRUE(entry.at("label_en").is_string());
        EXPECT_TRUE(entry.at("color").is_string());
        const std::string type = entry.at("type");
        EXPECT_TRUE(type == "fill" || type == "line" || type == "circle") << type;
    }
}

TEST_F(default_style, the_legend_classes_are_the_choropleth_breaks_with_the_threshold) {
    const auto& indicator = style.at("metadata").at("kvarter:indicator");
    const std::string property = indicator.at("property");
    const double threshold = indicator.at("threshold");
    EXPECT_EQ(property, "outside_labour_force_share");
    EXPECT_EQ(threshold, 40);

    const json* entry = nullptr;
    for (const auto& e : style.at("metadata").at("kvarter:legend"))
        if (e.value("property", "") == property) entry = &e;
    ASSERT_NE(entry, nullptr);
    const json* fill = layer(entry->at("layer"));
    ASSERT_NE(fill, nullptr);
    const json* step = find_step(fill->at("paint").at("fill-color"), property);
    ASSERT_NE(step, nullptr);

    // ["step", input, out0, b1, out1, b2, out2, ...]
    std::vector<double> breaks;
    std::vector<json> outputs{(*step)[2]};
    for (std::size_t i = 3; i + 1 < step->size(); i += 2) {
        breaks.push_back((*step)[i].get<double>());
        outputs.push_back((*step)[i + 1]);
    }
    EXPECT_NE(std::find(breaks.begin(), breaks.end(), threshold), breaks.end());

    std::vector<json> classes;
    for (const auto& c : entry->at("classes"))
        if (!c.value("missing", false)) classes.push_back(c);
    ASSERT_EQ(classes.size(), outputs.size());
    for (std::size_t i = 0; i < classes.size(); ++i) {
        EXPECT_EQ(classes[i].at("color"), outputs[i]) << i;
        if (i > 0) {
            EXPECT_EQ(classes[i].at("min").get<double>(), breaks[i - 1]) << i;
        }
        if (i + 1 < classes.size()) {
            EXPECT_EQ(classes[i].at("max").get<double>(), breaks[i]) << i;
        }
    }
    // Below and above the threshold look different, and the outline thickens at it.
    EXPECT_NE(classes.back().at("color"), classes[classes.size() - 2].at("color"));
    const json* outline = layer_of(fill->at("source-layer"), "line");
    ASSERT_NE(outline, nullptr);
    EXPECT_NE(find_step(outline->at("paint").at("line-width"), property), nullptr);
}

TEST_F(default_style, an_unknown_style_is_a_404_problem) {
    const auto r = fetch(server->port(), "/styles/nope.json");
    EXPECT_EQ(r.status, 404u);
    EXPECT_EQ(r.header("content-type"), "application/problem+json");
    EXPECT_EQ(r.json().at("status"), 404);
}
