#include "catalog/config.hpp"
#include "catalog/config_parts.hpp"

#include "core/error.hpp"
#include "core/json_reader.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

namespace kvarter::catalog {

using json = nlohmann::ordered_json;

const char* to_string(layer_role role) noexcept {
    switch (role) {
    case layer_role::none: return "none";
    case layer_role::district: return "district";
    case layer_role::deprived_area: return "deprived_area";
    case layer_role::renewal_zone: return "renewal_zone";
    case layer_role::green_team: return "green_team";
    case layer_role::housing_department: return "housing_department";
    case layer_role::housing_area: return "housing_area";
    case layer_role::facility: return "facility";
    }
    return "none";
}

const char* to_string(direction d) noexcept {
    switch (d) {
    case direction::higher_is_better: return "higher_is_better";
    case direction::higher_is_worse: return "higher_is_worse";
    case direction::neutral: return "neutral";
    }
    return "neutral";
}

const char* to_string(provenance p) noexcept {
    switch (p) {
    case provenance::unstated: return "unstated";
    case provenance::published: return "published";
    case provenance::synthetic: return "synthetic";
    case provenance::derived: return "derived";
    }
    return "unstated";
}

std::string resolve_source(const std::string& source, const std::filesystem::path& base) {
    if (source.empty()) return source;
    const std::filesystem::path p{source};
    if (p.is_absolute()) return source;
    const auto relative = base / p;
    std::error_code ec; // a name too long for the file system is no file: no exception
    if (std::filesystem::exists(relative, ec)) return relative.lexically_normal().string();
    // "PG:dbname=x", "WFS:https://…", "/vsicurl/…": a connection string GDAL understands.
    if (source.find(':') != std::string::npos) return source;
    return relative.lexically_normal().string();
}

namespace {

// proposals.write_origins: "scheme://host[:port]" strings, as a browser sends them in Origin.
std::vector<std::string> write_origins(json_reader& p) {
    std::vector<std::string> out;
    const json& list = p.array("write_origins", false);
    for (std::size_t i = 0; i < list.size(); ++i) {
        const std::string key = "proposals.write_origins[" + std::to_string(i) + "]";
        if (!list[i].is_string()) p.fail(key, "an origin such as \"https://plan.example.dk\"");
        const std::string origin = list[i].get<std::string>();
        const auto scheme_end = origin.find("://");
        if (scheme_end == std::string::npos || scheme_end == 0 || origin.size() == scheme_end + 3 ||
            origin.find('/', scheme_end + 3) != std::string::npos)
            p.fail(key, "an origin such as \"https://plan.example.dk\" (scheme and host, no path), got \"" + origin + "\"");
        out.push_back(origin);
    }
    return out;
}

layer_role parse_role(json_reader& r, const std::string& name) {
    const std::string text = r.string(name, false, "none");
    for (auto role : {layer_role::none, layer_role::district, layer_role::deprived_area, layer_role::renewal_zone,
                      layer_role::green_team, layer_role::housing_department, layer_role::housing_area,
                      layer_role::facility}) {
        if (text == to_string(role)) return role;
    }
    r.fail(r.key(name), "unknown role \"" + text +
                            "\"; expected one of district, deprived_area, renewal_zone, green_team, "
                            "housing_department, housing_area, facility, none");
}

provenance parse_provenance(json_reader& r, provenance fallback) {
    const std::string text = r.string("provenance", false, to_string(fallback));
    for (auto p : {provenance::unstated, provenance::published, provenance::synthetic})
        if (text == to_string(p)) return p;
    r.fail(r.key("provenance"), "unknown provenance \"" + text + "\"; expected published or synthetic");
}

direction parse_direction(json_reader& r, const std::string& name) {
    const std::string text = r.string(name, true);
    for (auto d : {direction::higher_is_better, direction::higher_is_worse, direction::neutral})
        if (text == to_string(d)) return d;
    r.fail(r.key(name), "unknown direction \"" + text + "\"; expected higher_is_better, higher_is_worse or neutral");
}

layer_config parse_layer(const json& j, const std::string& path, const std::string& file,
                         const std::filesystem::path& base) {
    json_reader r{j, path, file};
    layer_config layer;
    layer.id = r.string("id", true);
    static const std::regex id_pattern{"[A-Za-z0-9_-]+"};
    if (!std::regex_match(layer.id, id_pattern))
        r.fail(r.key("id"), "expected letters, digits, '_' or '-' (it appears in URLs), got \"" + layer.id + "\"");
    layer.title = r.string("title", false, layer.id);
    layer.description = r.string("description", false);
    if (const json* derive = r.find("derive")) {
        if (r.find("source")) r.fail(r.key("source"), "a derived layer has no source; give either source or derive");
        layer.derive = parse_derive(*derive, r.key("derive"), file, base);
    } else {
        layer.source = resolve_source(r.string("source", true), base);
        if (layer.source.empty()) r.fail(r.key("source"), "expected a path or a GDAL connection string, got \"\"");
    }
    layer.source_layer = r.string("layer", false);
    layer.source_crs = r.string("crs", false);
    layer.id_field = r.string("id_field", false);
    layer.name_field = r.string("name_field", false);
    layer.role = parse_role(r, "role");
    if (const json* props = r.find("properties")) {
        if (!props->is_array()) r.fail(r.key("properties"), "expected an array of field names");
        std::vector<std::string> names;
        for (std::size_t i = 0; i < props->size(); ++i) {
            if (!(*props)[i].is_string())
                r.fail(r.key("properties") + "[" + std::to_string(i) + "]", "expected a field name");
            names.push_back((*props)[i].get<std::string>());
        }
        layer.properties = std::move(names);
    }
    r.finish();
    return layer;
}

indicator_table_config parse_indicator_table(const json& j, const std::string& path, const std::string& file,
                                             const std::filesystem::path& base) {
    json_reader r{j, path, file};
    indicator_table_config table;
    table.source = resolve_source(r.string("source", true), base);
    table.source_layer = r.string("source_layer", false);
    table.layer = r.string("layer", true);
    table.key = r.string("key", true);
    table.layer_key = r.string("layer_key", false);
    table.year = r.string("year", true);
    // Said once for the table, or per column where a table mixes published and synthetic figures.
    const provenance table_origin = parse_provenance(r, provenance::unstated);
    const std::string non_numbers = r.string("non_numbers", false, "error");
    if (non_numbers == "count") table.non_numbers = indicator_table_config::on_non_number::count;
    else if (non_numbers != "error")
        r.fail(r.key("non_numbers"), "expected \"error\" (stop at a cell that is not a number) or \"count\" (report it), got \"" + non_numbers + "\"");
    const std::string table_note = r.string("source_note", false);
    const json* columns = r.find("columns");
    if (!columns) r.fail(r.key("columns"), "missing; expected an object of indicator columns");
    if (!columns->is_object() || columns->empty())
        r.fail(r.key("columns"), "expected an object mapping column names to {label, unit, direction}");
    for (const auto& [name, spec] : columns->items()) {
        json_reader c{spec, r.key("columns") + "." + name, file};
        indicator_column column;
        column.column = name;
        column.label = c.string("label", true);
        column.unit = c.string("unit", false);
        column.dir = parse_direction(c, "direction");
        column.origin = parse_provenance(c, table_origin);
        column.source_note = c.string("source_note", false, table_note);
        if (column.origin == provenance::published && column.source_note.empty())
            c.fail(c.key("source_note"), "missing; a published figure needs its source (publisher, table)");
        c.finish();
        table.columns.push_back(std::move(column));
    }
    r.finish();
    return table;
}

int zoom_of(json_reader& r, const std::string& name, int fallback) {
    const json* j = r.find(name);
    if (!j) return fallback;
    if (!j->is_number_integer() || j->get<int>() < 0 || j->get<int>() > 22)
        r.fail(r.key(name), "expected a zoom level from 0 to 22, got " + j->dump());
    return j->get<int>();
}

// Zoom ranges a layer gets when a tileset does not say: areas from the start, detail later.
std::pair<int, int> default_zooms(layer_role role) {
    switch (role) {
    case layer_role::renewal_zone: return {8, 22};
    case layer_role::green_team: return {9, 22};
    case layer_role::housing_area: return {10, 22};
    case layer_role::housing_department: return {11, 22};
    case layer_role::facility: return {12, 22};
    default: return {0, 22};
    }
}

// Layers the built-in tileset gives label points: the areas a map names. Departments and
// facilities are many and small; label points would double the bytes of their tiles.
bool labelled_by_default(layer_role role) {
    switch (role) {
    case layer_role::district:
    case layer_role::deprived_area:
    case layer_role::renewal_zone:
    case layer_role::green_team:
    case layer_role::housing_area: return true;
    default: return false;
    }
}

tileset_config parse_tileset(const std::filesystem::path& file, const std::vector<layer_config>& layers) {
    const std::string name = file.string();
    std::ifstream in{file};
    std::ostringstream text;
    text << in.rdbuf();
    json j;
    try {
        j = json::parse(text.str());
    } catch (const json::parse_error& e) {
        throw config_error{name, "(JSON)", std::string{"not valid JSON: "} + e.what()};
    }
    json_reader r{j, "", name};
    tileset_config t;
    t.file = name;
    t.name = r.string("name", false, file.stem().string());
    static const std::regex id_pattern{"[A-Za-z0-9_-]+"};
    if (!std::regex_match(t.name, id_pattern)) r.fail("name", "expected letters, digits, '_' or '-', got \"" + t.name + "\"");
    t.title = r.string("title", false, t.name);
    t.description = r.string("description", false);
    // Up to 2^14: a zoom's pixel grid is kept in 32-bit whole pixels (geometry/packed_geometry.hpp).
    const auto extent = r.count("extent", 4096);
    if (extent < 256 || extent > 16384) r.fail("extent", "expected 256 to 16384 pixels, got " + std::to_string(extent));
    t.extent = static_cast<int>(extent);
    if (const json* b = r.find("buffer")) {
        if (!b->is_number_unsigned() || b->get<int>() > t.extent) r.fail("buffer", "expected 0 to the extent, got " + b->dump());
        t.buffer = b->get<int>();
    }
    const json& list = r.array("layers", true);
    for (std::size_t i = 0; i < list.size(); ++i) {
        json_reader lr{list[i], "layers[" + std::to_string(i) + "]", name};
        tileset_layer_config tl;
        tl.layer = lr.string("layer", true);
        const auto known = std::find_if(layers.begin(), layers.end(), [&](const layer_config& l) { return l.id == tl.layer; });
        if (known == layers.end()) lr.fail(lr.key("layer"), "no layer with id \"" + tl.layer + "\" in the config");
        const auto [low, high] = default_zooms(known->role);
        tl.minzoom = zoom_of(lr, "minzoom", low);
        tl.maxzoom = zoom_of(lr, "maxzoom", high);
        if (tl.minzoom > tl.maxzoom) lr.fail(lr.key("minzoom"), "is above maxzoom");
        if (const json* s = lr.find("simplify")) {
            if (!s->is_number() || s->get<double>() < 0) lr.fail(lr.key("simplify"), "expected a tolerance in pixels >= 0");
            tl.simplify_px = s->get<double>();
        }
        if (const json* props = lr.find("properties")) {
            if (!props->is_array()) lr.fail(lr.key("properties"), "expected an array of property names");
            tl.properties = props->get<std::vector<std::string>>();
        }
        if (const json* labels = lr.find("labels")) {
            if (!labels->is_boolean()) lr.fail(lr.key("labels"), "expected true or false, got " + labels->dump());
            tl.labels = labels->get<bool>();
        }
        lr.finish();
        t.layers.push_back(std::move(tl));
    }
    r.finish();
    return t;
}

tileset_config default_tileset(const std::vector<layer_config>& layers) {
    tileset_config t;
    t.name = "default";
    t.title = "Every layer";
    for (const auto& l : layers) {
        const auto [low, high] = default_zooms(l.role);
        t.layers.push_back({l.id, low, high, 1.0, std::nullopt, labelled_by_default(l.role)});
    }
    return t;
}

// ---- the "analysis" key ----

const layer_config* find_layer_config(const config& cfg, const std::string& id) {
    for (const auto& l : cfg.layers)
        if (l.id == id) return &l;
    return nullptr;
}

std::string first_layer_with(const config& cfg, layer_role role) {
    for (const auto& l : cfg.layers)
        if (l.role == role) return l.id;
    return {};
}

// The column as some indicator table declares it; `layer` empty: on any layer.
const indicator_column* find_column(const config& cfg, const std::string& layer, const std::string& column) {
    for (const auto& t : cfg.indicators) {
        if (!layer.empty() && t.layer != layer) continue;
        for (const auto& c : t.columns)
            if (c.column == column) return &c;
    }
    return nullptr;
}

std::string layer_id_of(json_reader& r, const config& cfg, const std::string& name, const std::string& fallback) {
    const std::string id = r.string(name, false, fallback);
    if (r.find(name) && !find_layer_config(cfg, id)) r.fail(r.key(name), "no layer with id \"" + id + "\" in layers");
    return id;
}

double number_of(json_reader& r, const std::string& name, double fallback, double low, double high, const std::string& expected) {
    const json* j = r.find(name);
    if (!j) return fallback;
    if (!j->is_number() || j->get<double>() < low || j->get<double>() > high)
        r.fail(r.key(name), "expected " + expected + ", got " + j->dump());
    return j->get<double>();
}

// A rule file names indicators of the housing-department layer and, for relative thresholds,
// of the layers its references average over: they must be in the config's tables.
// The layer whose indicators the list rules read: the departments (aggregated per area) or the areas themselves.
const std::string& list_values_layer(const analysis_config& a) {
    return a.values_from == analysis_config::values_source::areas ? a.areas_layer : a.housing_layer;
}

// A rule file names indicators of the list's values layer and, for relative thresholds, of the
// layers its references average over: they must be in the config's tables.
void check_rule_set(const rule_set& rules, const analysis_config& a, const config& cfg) {
    const std::string& values = list_values_layer(a);
    if (values.empty())
        throw config_error{rules.file, "criteria", "rule sets need a housing-department layer; set analysis.housing_areas.layer"};
    for (std::size_t i = 0; i < rules.criteria.size(); ++i) {
        const auto& c = rules.criteria[i];
        if (!find_column(cfg, values, c.indicator))
            throw config_error{rules.file, "criteria[" + std::to_string(i) + "].indicator",
                               "no indicator table of layer \"" + values + "\" has a column \"" + c.indicator + "\""};
    }
    for (const auto& ref : rules.references) {
        if (ref.mean_of.empty()) continue;
        const std::string key = "references." + ref.id;
        if (!find_layer_config(cfg, ref.mean_of))
            throw config_error{rules.file, key + ".mean_of", "no layer with id \"" + ref.mean_of + "\" in " + cfg.file.string()};
        for (const auto& [name, column] : {std::pair{"indicator", ref.indicator}, std::pair{"weight", ref.weight}})
            if (!column.empty() && !find_column(cfg, ref.mean_of, column))
                throw config_error{rules.file, key + "." + name,
                                   "no indicator table of layer \"" + ref.mean_of + "\" has a column \"" + column + "\""};
    }
    if (!find_column(cfg, values, a.residents_indicator))
        throw config_error{cfg.file.string(), "analysis.housing_areas.residents",
                           "the rule sets need the areas' residents, and no indicator table of layer \"" + values +
                               "\" has a column \"" + a.residents_indicator + "\""};
}

analysis_config parse_analysis(const json& j, const std::string& file, const std::filesystem::path& base, const config& cfg) {
    json_reader r{j, "analysis", file};
    analysis_config a;
    r.string("note", false);
    a.housing_layer = first_layer_with(cfg, layer_role::housing_department);
    a.areas_layer = first_layer_with(cfg, layer_role::housing_area);
    a.forty_plus_layer = a.housing_layer;

    if (const json* index = r.find("index")) {
        json_reader ir{*index, "analysis.index", file};
        ir.string("note", false);
        if (const json* weights = ir.find("weights")) {
            const std::string key = ir.key("weights");
            if (!weights->is_object() || weights->empty()) ir.fail(key, "expected an object of indicator: weight");
            std::vector<std::pair<std::string, double>> list;
            bool any_positive = false;
            for (const auto& [name, w] : weights->items()) {
                if (!w.is_number() || w.get<double>() < 0)
                    ir.fail(key + "." + name, "expected a weight >= 0, got " + w.dump());
                const auto* column = find_column(cfg, "", name);
                if (!column) ir.fail(key + "." + name, "no indicator table has a column \"" + name + "\"");
                if (column->dir == direction::neutral)
                    ir.fail(key + "." + name, "the indicator's direction is neutral, so the index cannot tell better from worse; "
                                              "give it a direction or leave it out");
                any_positive |= w.get<double>() > 0;
                list.emplace_back(name, w.get<double>());
            }
            if (!any_positive) ir.fail(key, "expected at least one weight above 0");
            a.index_weights = std::move(list);
        }
        ir.finish();
    }

    if (const json* screening = r.find("screening")) {
        json_reader sr{*screening, "analysis.screening", file};
        sr.string("note", false);
        const json* q = sr.find("quintile");
        if (q && (!q->is_number_unsigned() || q->get<int>() < 1 || q->get<int>() > 5))
            sr.fail(sr.key("quintile"), "expected a quintile from 1 to 5 (5 = the most deprived fifth), got " + q->dump());
        if (q) a.screening_quintile = q->get<int>();
        a.renewal_cover_share = number_of(sr, "renewal_cover_share", a.renewal_cover_share, 0, 1, "a share from 0 to 1");
        a.screening_layer = layer_id_of(sr, cfg, "layer", "");
        sr.finish();
    }

    if (const json* areas = r.find("housing_areas")) {
        json_reader hr{*areas, "analysis.housing_areas", file};
        hr.string("note", false);
        a.housing_layer = layer_id_of(hr, cfg, "layer", a.housing_layer);
        a.group_field = hr.string("group_field", false, a.group_field);
        a.areas_layer = layer_id_of(hr, cfg, "areas_layer", a.areas_layer);
        a.residents_indicator = hr.string("residents", false, a.residents_indicator);
        const std::string values = hr.string("values", false, "departments");
        if (values == "areas") a.values_from = analysis_config::values_source::areas;
        else if (values != "departments")
            hr.fail(hr.key("values"), "expected \"departments\" (aggregated per area) or \"areas\" (the areas' own figures), got \"" + values + "\"");
        a.published_status = hr.string("published_status", false);
        a.published_new = hr.string("published_new", false);
        const bool own_values = a.values_from == analysis_config::values_source::areas;
        if (own_values && a.areas_layer.empty())
            hr.fail(hr.key("areas_layer"), "missing, and no layer has the role housing_area; \"values\": \"areas\" reads that layer's figures");
        if (!own_values && a.housing_layer.empty()) hr.fail(hr.key("layer"), "missing, and no layer has the role housing_department");
        const std::string& values_layer = list_values_layer(a);
        if (!find_column(cfg, values_layer, a.residents_indicator))
            hr.fail(hr.key("residents"), "no indicator table of layer \"" + values_layer + "\" has a column \"" +
                                             a.residents_indicator + "\"");
        for (const auto& [name, column] : {std::pair{"published_status", a.published_status}, std::pair{"published_new", a.published_new}}) {
            if (column.empty()) continue;
            if (!own_values) hr.fail(hr.key(name), "only with \"values\": \"areas\" (published figures of the areas themselves)");
            if (!find_column(cfg, values_layer, column))
                hr.fail(hr.key(name), "no indicator table of layer \"" + values_layer + "\" has a column \"" + column + "\"");
        }
        hr.finish();
        a.forty_plus_layer = a.housing_layer;
        a.housing_areas_given = true;
    }

    const std::string rules = r.string("rules", false);
    if (!rules.empty()) {
        a.rules_dir = (base / rules).lexically_normal();
        if (std::error_code ec; !std::filesystem::is_directory(a.rules_dir, ec))
            r.fail("analysis.rules", "expected a folder of rule files, \"" + a.rules_dir.string() + "\" is none");
        a.rule_sets = load_rule_sets(a.rules_dir);
    }

    if (const json* forty = r.find("forty_plus")) {
        json_reader fr{*forty, "analysis.forty_plus", file};
        fr.string("note", false);
        a.forty_plus_layer = layer_id_of(fr, cfg, "layer", a.forty_plus_layer);
        a.forty_plus_indicator = fr.string("indicator", false, a.forty_plus_indicator);
        a.forty_plus_threshold = number_of(fr, "threshold", a.forty_plus_threshold, -1e300, 1e300, "a number");
        a.dwellings_field = fr.string("dwellings_field", false, a.dwellings_field);
        if (a.forty_plus_layer.empty()) fr.fail(fr.key("layer"), "missing, and no layer has the role housing_department");
        if (!find_column(cfg, a.forty_plus_layer, a.forty_plus_indicator))
            fr.fail(fr.key("indicator"), "no indicator table of layer \"" + a.forty_plus_layer + "\" has a column \"" +
                                             a.forty_plus_indicator + "\"");
        fr.finish();
        a.forty_plus_given = true;
    }
    for (const auto& rules_set : a.rule_sets) check_rule_set(rules_set, a, cfg);
    r.finish();
    return a;
}

} // namespace

config parse_config(const std::string& text, const std::filesystem::path& file) {
    const std::string name = file.string();
    const json j = json_reader::parse(text, name);
    const auto base = file.has_parent_path() ? file.parent_path() : std::filesystem::path{"."};
    json_reader r{j, "", name};
    config cfg;
    cfg.file = file;
    cfg.title = r.string("title", false, cfg.title);
    cfg.description = r.string("description", false);
    cfg.attribution = r.string("attribution", false);
    cfg.analysis_crs = r.string("analysis_crs", false, cfg.analysis_crs);

    const json& layers = r.array("layers", true);
    if (layers.empty()) r.fail("layers", "expected at least one layer");
    std::set<std::string> ids;
    for (std::size_t i = 0; i < layers.size(); ++i) {
        const std::string path = "layers[" + std::to_string(i) + "]";
        auto layer = parse_layer(layers[i], path, name, base);
        if (!ids.insert(layer.id).second) r.fail(path + ".id", "duplicate layer id \"" + layer.id + "\"");
        if (layer.id == "proposals") r.fail(path + ".id", "\"proposals\" is the id of the planners' proposals collection; choose another");
        if (layer.derive) {
            const auto& d = *layer.derive;
            const std::string key = path + ".derive";
            if (!find_layer_config(cfg, d.from))
                r.fail(key + ".from", "no layer \"" + d.from + "\" before this one (a derived layer is built from layers listed above it)");
            if (!d.within.empty() && !find_layer_config(cfg, d.within))
                r.fail(key + ".within", "no layer \"" + d.within + "\" before this one");
        }
        cfg.layers.push_back(std::move(layer));
    }

    const json& tables = r.array("indicators", false);
    for (std::size_t i = 0; i < tables.size(); ++i) {
        const std::string path = "indicators[" + std::to_string(i) + "]";
        auto table = parse_indicator_table(tables[i], path, name, base);
        if (!ids.contains(table.layer))
            r.fail(path + ".layer", "no layer with id \"" + table.layer + "\" in layers");
        cfg.indicators.push_back(std::move(table));
    }

    const std::string tiles_dir = r.string("tilesets", false);
    if (!tiles_dir.empty()) {
        const auto dir = base / tiles_dir;
        if (std::error_code ec; !std::filesystem::is_directory(dir, ec)) r.fail("tilesets", "expected a folder of tileset files, \"" + dir.string() + "\" is none");
        std::vector<std::filesystem::path> files;
        for (const auto& e : std::filesystem::directory_iterator{dir})
            if (e.is_regular_file() && e.path().extension() == ".json") files.push_back(e.path());
        std::sort(files.begin(), files.end());
        std::set<std::string> names;
        for (const auto& f : files) {
            cfg.tilesets.push_back(parse_tileset(f, cfg.layers));
            if (!names.insert(cfg.tilesets.back().name).second)
                throw config_error{f.string(), "name", "a second tileset named \"" + cfg.tilesets.back().name + "\""};
        }
        if (files.empty()) r.fail("tilesets", "no tileset (*.json) in \"" + dir.string() + "\"");
    } else {
        cfg.tilesets.push_back(default_tileset(cfg.layers));
    }
    const std::string styles_dir = r.string("styles", false);
    if (!styles_dir.empty()) {
        cfg.styles_dir = (base / styles_dir).lexically_normal();
        if (std::error_code ec; !std::filesystem::is_directory(cfg.styles_dir, ec))
            r.fail("styles", "expected a folder of MapLibre styles, \"" + cfg.styles_dir.string() + "\" is none");
    }

    // The viewer may be unbuilt: a missing folder is answered at /map/, not an error here.
    cfg.web_dir = (base / r.string("web", false, "../web/dist")).lexically_normal();

    if (const json* server = r.find("server")) {
        json_reader s{*server, "server", name};
        cfg.server.tile_cache_bytes = s.count("tile_cache_bytes", cfg.server.tile_cache_bytes);
        cfg.server.max_polygon_vertices = s.count("max_polygon_vertices", cfg.server.max_polygon_vertices);
        cfg.server.body_limit_bytes = s.count("body_limit_bytes", cfg.server.body_limit_bytes);
        cfg.server.header_limit_bytes = s.count("header_limit_bytes", cfg.server.header_limit_bytes);
        cfg.server.idle_timeout_seconds =
            static_cast<int>(s.count("idle_timeout_seconds", static_cast<std::size_t>(cfg.server.idle_timeout_seconds)));
        cfg.server.request_timeout_seconds = static_cast<int>(
            s.count("request_timeout_seconds", static_cast<std::size_t>(cfg.server.request_timeout_seconds)));
        cfg.server.max_connections = s.count("max_connections", cfg.server.max_connections);
        cfg.server.keepalive_requests = s.count("keepalive_requests", cfg.server.keepalive_requests);
        cfg.server.shutdown_timeout_seconds = static_cast<int>(
            s.count("shutdown_timeout_seconds", static_cast<std::size_t>(cfg.server.shutdown_timeout_seconds)));
        cfg.server.worker_threads = s.count("worker_threads", cfg.server.worker_threads);
        cfg.server.worker_queue = s.count("worker_queue", cfg.server.worker_queue);
        cfg.server.slow_request_ms = s.count("slow_request_ms", cfg.server.slow_request_ms);
        s.finish();
    }
    if (const json* proposals = r.find("proposals")) {
        json_reader p{*proposals, "proposals", name};
        cfg.proposals.store = resolve_source(p.string("store", false), base);
        const std::string tokens = p.string("tokens_file", false);
        if (!tokens.empty()) {
            cfg.proposals.tokens_file = (base / tokens).lexically_normal();
            if (std::error_code ec; !std::filesystem::is_regular_file(cfg.proposals.tokens_file, ec))
                p.fail("proposals.tokens_file", "no file \"" + cfg.proposals.tokens_file.string() + "\"");
        }
        cfg.proposals.max_vertices = p.count("max_vertices", cfg.proposals.max_vertices);
        cfg.proposals.write_origins = write_origins(p);
        cfg.proposals.write_wait_ms = p.count("write_wait_ms", cfg.proposals.write_wait_ms);
        p.finish();
    }
    if (const json* analysis = r.find("analysis")) cfg.analysis = parse_analysis(*analysis, name, base, cfg);
    r.finish();
    return cfg;
}

config load_config(const std::filesystem::path& file) {
    std::ifstream in{file};
    if (!in) throw config_error{file.string(), "(file)", "cannot be read"};
    std::ostringstream text;
    text << in.rdbuf();
    return parse_config(text.str(), file);
}

} // namespace kvarter::catalog
