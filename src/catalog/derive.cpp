#include "catalog/derive.hpp"

#include "catalog/gdal_source.hpp"
#include "catalog/joins.hpp"
#include "core/error.hpp"
#include "geometry/geos.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <set>
#include <unordered_map>

namespace kvarter::catalog {

namespace {

using method = derive_config::method;

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& s : items) out += (out.empty() ? "" : "; ") + s;
    return out;
}

std::string file_name(const std::string& path) { return std::filesystem::path{path}.filename().string(); }

// What a derivation reads and writes, with the messages that name the config key or the data file.
struct deriver {
    const config& cfg;
    const layer_config& lc;
    const derive_config& d;
    std::string path; // "layers[3].derive"
    const std::vector<layer>& loaded;
    geometry::geos_context& geos = geometry::this_thread_geos();

    [[noreturn]] void fail(const std::string& key, const std::string& detail) const {
        throw config_error{cfg.file.string(), path + "." + key, detail};
    }
    [[noreturn]] static void fail_in(const text_table& t, std::size_t row, const std::string& column, const std::string& detail) {
        throw config_error{t.source, "line " + std::to_string(t.line_of(row)) + ", column " + column, detail};
    }

    const layer& layer_named(const std::string& id, const std::string& key) const {
        for (const auto& l : loaded)
            if (l.id == id) return l;
        fail(key, "no layer \"" + id + "\" loaded before this one");
    }

    text_table table(const std::string& source, const std::string& key) const {
        std::string why;
        auto t = read_text_table(source, why);
        if (!t) fail(key, "GDAL cannot open \"" + source + "\": " + why);
        return std::move(*t);
    }

    std::size_t column(const text_table& t, const std::string& name, const std::string& key) const {
        const auto c = t.column(name);
        if (!c) {
            std::string known;
            for (const auto& k : t.columns) known += (known.empty() ? "" : ", ") + k;
            fail(key, "no column \"" + name + "\" in \"" + t.source + "\"; it has " + known);
        }
        return *c;
    }

    layer start(const std::string& method_name, std::vector<std::string> from, std::string rule) const {
        layer out;
        out.id = lc.id;
        out.title = lc.title;
        out.description = lc.description;
        out.role = lc.role;
        out.name_field = "name";
        out.geometry_kind = geometry::kind::polygon;
        out.derived = derivation{method_name, std::move(from), std::move(rule), d.note};
        return out;
    }

    // The GEOS union of the features' analysis geometries; null when none has one.
    geometry::geom_ptr united(const layer& source, const std::vector<std::size_t>& members) const {
        std::vector<geometry::geom_ptr> shapes;
        std::vector<const GEOSGeometry*> raw;
        for (auto i : members) {
            if (!source.features[i].has_geometry) continue;
            shapes.push_back(geometry::to_geos(geos, source.features[i].analysis));
            raw.push_back(shapes.back().get());
        }
        if (raw.empty()) return geometry::geom_ptr{nullptr, geometry::geom_deleter{geos.get()}};
        return geometry::unite(geos, raw);
    }

    // The union as plain polygons, in the analysis CRS; empty when none has a geometry.
    geometry::geometry union_of(const layer& source, const std::vector<std::size_t>& members) const {
        const auto u = united(source, members);
        return u ? valid_polygons(u.get()) : geometry::geometry{};
    }

    geometry::geometry valid_polygons(const GEOSGeometry* g) const {
        geometry::geom_ptr repaired;
        if (!geometry::invalid_reason(geos, g).empty()) {
            repaired = geometry::make_valid(geos, g);
            g = repaired.get();
        }
        auto out = geometry::from_geos(geos, g, geometry::kind::polygon);
        out.multi = true;
        geometry::orient_rings(out);
        return out;
    }

    static void add_feature(layer& out, feature f, geometry::geometry g) {
        f.has_geometry = !g.empty();
        f.analysis = std::move(g);
        out.features.push_back(std::move(f));
    }

    // ---- union: one feature per group of a (group, member) table ----
    layer union_of_members() const {
        const layer& source = layer_named(d.from, "from");
        const auto t = table(d.members, "members");
        const auto group_col = column(t, d.group_key, "group_key");
        const auto name_col = column(t, d.group_name, "group_name");
        const auto member_col = column(t, d.member_key, "member_key");
        // Columns the config may leave out: -1 when it does (an int, not an optional, which GCC 12 warns of wrongly).
        const long member_name_col = d.member_name.empty() ? -1 : static_cast<long>(column(t, d.member_name, "member_name"));
        const long reason_col = d.reason.empty() ? -1 : static_cast<long>(column(t, d.reason, "reason"));

        // The members' keys: the source's ids, or the values of one of its fields (several features may share one).
        std::optional<std::size_t> match;
        if (!d.match_field.empty()) {
            match = source.field_index(d.match_field);
            if (!match) fail("match_field", "layer \"" + source.id + "\" has no field \"" + d.match_field + "\"");
        }
        std::unordered_map<std::string, std::vector<std::size_t>> by_key;
        for (std::size_t i = 0; i < source.features.size(); ++i) {
            const auto& f = source.features[i];
            by_key[normalise_key(match ? text_of(f.properties[*match]) : f.id)].push_back(i);
        }

        struct group {
            std::string id, name;
            std::vector<std::size_t> members;
            std::vector<std::string> reasons;
        };
        std::vector<group> groups;
        std::map<std::string, std::size_t> group_index;
        for (std::size_t row = 0; row < t.rows.size(); ++row) {
            const auto& cells = t.rows[row];
            const std::string& id = cells[group_col];
            if (id.empty()) continue; // a member the table puts in no group, saying why in its reason
            auto [it, fresh] = group_index.try_emplace(id, groups.size());
            if (fresh) groups.push_back({id, cells[name_col], {}, {}});
            group& g = groups[it->second];
            if (cells[name_col] != g.name)
                fail_in(t, row, d.group_name, "\"" + cells[name_col] + "\", but an earlier line names group " + id + " \"" + g.name + "\"");
            if (reason_col >= 0 && !cells[reason_col].empty() &&
                std::find(g.reasons.begin(), g.reasons.end(), cells[reason_col]) == g.reasons.end())
                g.reasons.push_back(cells[reason_col]);
            const std::string& member = cells[member_col];
            if (member.empty()) continue; // a group the table names without members: kept, with its reason
            const auto found = by_key.find(normalise_key(member));
            if (found == by_key.end())
                fail_in(t, row, d.member_key, "\"" + member + "\": layer \"" + source.id + "\" has no feature with " +
                                                  (match ? d.match_field : std::string{"id"}) + " \"" + member + "\"");
            for (auto i : found->second) {
                const auto& f = source.features[i];
                if (member_name_col >= 0 && cells[member_name_col] != f.name)
                    fail_in(t, row, d.member_name, "\"" + cells[member_name_col] + "\", but feature " + f.id + " of layer \"" +
                                                       source.id + "\" is named \"" + f.name + "\"");
                if (std::find(g.members.begin(), g.members.end(), i) == g.members.end()) g.members.push_back(i);
            }
        }

        layer out = start("union", {source.id},
                          "one feature per group of " + file_name(d.members) + " (column " + d.group_key +
                              "): the union (GEOS UnaryUnion) of the features of " + source.id + " its lines name by " +
                              (match ? d.match_field : std::string{"id"}) + "; a group without members is kept without geometry");
        out.fields = {{"id", value_type::string, false},         {"name", value_type::string, false},
                      {"members", value_type::integer, false},   {"member_ids", value_type::string, false},
                      {"reason", value_type::string, false}};
        for (const auto& g : groups) {
            feature f;
            f.id = g.id;
            f.name = g.name;
            for (auto i : g.members) f.members.push_back(source.features[i].id);
            f.properties = {g.id, g.name, static_cast<std::int64_t>(g.members.size()), joined(f.members), joined(g.reasons)};
            out.report.derivation_lines.push_back(g.name + " (" + g.id + "): " + std::to_string(g.members.size()) + " of " +
                                            source.id + (g.members.empty() ? ", no geometry: " + joined(g.reasons)
                                                                           : " (" + joined(f.members) + ")"));
            add_feature(out, std::move(f), union_of(source, g.members));
        }
        return out;
    }

    // ---- renewal_programmes: one zone per area-renewal programme, from its tagged buildings ----
    struct programme {
        std::string id, name;
        std::optional<int> end_year;
        std::string end_source;
        std::vector<std::size_t> buildings;
        std::set<std::string> tags;
        int start_year = 0;
    };

    static std::optional<int> leading_year(const std::string& tag) {
        if (tag.size() < 4 || !std::all_of(tag.begin(), tag.begin() + 4, [](unsigned char c) { return std::isdigit(c); }))
            return std::nullopt;
        return std::stoi(tag.substr(0, 4));
    }

    static bool year_only(const std::string& tag) { return tag.size() == 4 && leading_year(tag); }

    std::map<std::string, programme> read_programmes() const {
        const auto t = table(d.programmes, "programmes");
        const auto id_col = column(t, "programme_id", "programmes");
        const auto name_col = column(t, "name", "programmes");
        const auto end_col = column(t, "end_year", "programmes");
        const auto source_col = column(t, "end_year_source", "programmes");
        std::map<std::string, programme> out;
        for (std::size_t row = 0; row < t.rows.size(); ++row) {
            const auto& cells = t.rows[row];
            programme p{cells[id_col], cells[name_col], std::nullopt, cells[source_col], {}, {}, 0};
            if (p.id.empty()) fail_in(t, row, "programme_id", "empty; expected the programme's id");
            if (!cells[end_col].empty()) {
                const auto y = parse_number(cells[end_col]);
                if (!y || std::floor(*y) != *y) fail_in(t, row, "end_year", "\"" + cells[end_col] + "\" is not a year");
                if (p.end_source.empty()) fail_in(t, row, "end_year_source", "empty; an end year needs its source (else leave both empty)");
                p.end_year = static_cast<int>(*y);
            }
            if (!out.emplace(p.id, p).second) fail_in(t, row, "programme_id", "\"" + p.id + "\" twice");
        }
        return out;
    }

    layer renewal_programmes() const {
        const layer& buildings = layer_named(d.from, "from");
        const auto tag_field = buildings.field_index(d.tag_field);
        if (!tag_field) fail("tag_field", "layer \"" + buildings.id + "\" has no field \"" + d.tag_field + "\"");
        auto programmes = read_programmes();
        const auto tags = table(d.tags, "tags");
        const auto tag_col = column(tags, "tag", "tags");
        const auto programme_col = column(tags, "programme_id", "tags");
        std::map<std::string, std::string> programme_of; // tag -> programme id; "" : not an area renewal
        for (std::size_t row = 0; row < tags.rows.size(); ++row) {
            const auto& cells = tags.rows[row];
            const std::string& p = cells[programme_col];
            if (!p.empty() && !programmes.contains(p))
                fail_in(tags, row, "programme_id", "\"" + p + "\" is not in " + d.programmes);
            if (!programme_of.emplace(cells[tag_col], p).second) fail_in(tags, row, "tag", "\"" + cells[tag_col] + "\" twice");
        }

        std::size_t ordinary = 0;
        for (std::size_t i = 0; i < buildings.features.size(); ++i) {
            const auto& b = buildings.features[i];
            const std::string tag = text_of(b.properties[*tag_field]);
            if (tag.empty() || year_only(tag)) { // before 2010 the tag is only the year: no programme named
                ++ordinary;
                continue;
            }
            const auto found = programme_of.find(tag);
            if (found == programme_of.end())
                throw config_error{d.tags, "tag", "building " + b.id + " of layer \"" + buildings.id + "\" has the tag \"" + tag +
                                                      "\", which this table does not list; add a line (an empty programme_id "
                                                      "when it is not an area renewal)"};
            if (found->second.empty()) {
                ++ordinary;
                continue;
            }
            auto& p = programmes.at(found->second);
            p.buildings.push_back(i);
            p.tags.insert(tag);
            if (const auto y = leading_year(tag); y && (p.start_year == 0 || *y < p.start_year)) p.start_year = *y;
        }

        layer out = start(
            "renewal_programmes", {buildings.id},
            "one zone per area-renewal programme named in the " + d.tag_field + " tags of " + buildings.id + " (" +
                file_name(d.tags) + " maps tags to programmes; ordinary renewal and other pools are no programme). Outline: "
                "the programme's buildings closed morphologically with GEOS (buffer +" + std::to_string(static_cast<int>(d.closing_m)) +
                " m, union, buffer -" + std::to_string(static_cast<int>(d.closing_m)) +
                " m, united with the buildings), so the zone covers every building, buildings within " +
                std::to_string(static_cast<int>(2 * d.closing_m)) +
                " m of each other form one part and clusters further apart stay apart (a convex or concave hull would "
                "bridge them across the city). Start: the first tag year. End: " + file_name(d.programmes) +
                " where a source gives it, else start + " + std::to_string(d.assumed_years) + " (marked assumed).");
        out.fields = {{"id", value_type::string, false},          {"name", value_type::string, false},
                      {"start_year", value_type::integer, false}, {"end_year", value_type::integer, false},
                      {"end_year_assumed", value_type::boolean, false}, {"end_year_source", value_type::string, false},
                      {"buildings", value_type::integer, false},  {"tags", value_type::string, false}};
        std::vector<const programme*> order;
        for (const auto& [id, p] : programmes)
            if (!p.buildings.empty()) order.push_back(&p);
        std::stable_sort(order.begin(), order.end(), [](const programme* a, const programme* b) {
            return a->start_year != b->start_year ? a->start_year < b->start_year : a->name < b->name;
        });
        for (const auto* p : order) {
            const bool assumed = !p->end_year;
            const int end = p->end_year.value_or(p->start_year + d.assumed_years);
            feature f;
            f.id = p->id;
            f.name = p->name;
            for (auto i : p->buildings) f.members.push_back(buildings.features[i].id);
            const std::vector<std::string> tag_list{p->tags.begin(), p->tags.end()};
            f.properties = {p->id, p->name, std::int64_t{p->start_year}, std::int64_t{end}, assumed,
                            assumed ? std::string{"assumed: start + "} + std::to_string(d.assumed_years) : p->end_source,
                            static_cast<std::int64_t>(p->buildings.size()), joined(tag_list)};
            out.report.derivation_lines.push_back(p->name + ": " + std::to_string(p->buildings.size()) + " buildings, " +
                                            std::to_string(p->start_year) + "–" + std::to_string(end) +
                                            (assumed ? " (end assumed)" : "") + ", tags " + joined(tag_list));
            add_feature(out, std::move(f), zone_outline(buildings, p->buildings));
        }
        out.report.derivation_lines.push_back(std::to_string(ordinary) + " buildings of " + buildings.id +
                                        " in no programme (ordinary renewal, pools, before 2010)");
        return out;
    }

    geometry::geometry zone_outline(const layer& buildings, const std::vector<std::size_t>& members) const {
        const auto all = united(buildings, members);
        if (!all) return {};
        const auto closed = geometry::closing(geos, all.get(), d.closing_m);
        return valid_polygons(closed.get());
    }

    // ---- inside: the features of `from` lying in the areas of `within`, cut to them ----
    layer inside_areas() const {
        const layer& source = layer_named(d.from, "from");
        const layer& areas = layer_named(d.within, "within");
        std::vector<std::size_t> every(areas.features.size());
        for (std::size_t i = 0; i < every.size(); ++i) every[i] = i;
        const auto area_union = geometry::to_geos(geos, union_of(areas, every));
        const auto prepared = geometry::prepare(geos, area_union.get());

        layer out = start("inside", {source.id, areas.id},
                          "the polygons of " + source.id + " lying at least " + std::to_string(static_cast<int>(d.min_share * 100)) +
                              " % inside " + areas.id + ", cut to them (GEOS intersection)" +
                              (d.start_year ? ", active from " + std::to_string(d.start_year) : std::string{}));
        out.fields = {{"id", value_type::string, false}, {"name", value_type::string, false},
                      {"share_inside", value_type::real, false}};
        if (d.start_year) out.fields.push_back({"start_year", value_type::integer, false});
        for (const auto& s : source.features) {
            if (!s.has_geometry || s.analysis.type != geometry::kind::polygon) continue;
            auto g = geometry::to_geos(geos, s.analysis);
            if (!geometry::intersects(geos, prepared.get(), g.get())) continue;
            const double whole = geometry::area(geos, g.get());
            auto cut = geometry::intersection(geos, area_union.get(), g.get());
            const double share = whole > 0 ? geometry::area(geos, cut.get()) / whole : 0;
            if (share < d.min_share) continue;
            feature f;
            f.id = s.id;
            f.numeric_id = s.numeric_id;
            f.name = s.name;
            f.members = {s.id};
            f.properties = {s.id, s.name, std::round(share * 1e4) / 1e4};
            if (d.start_year) f.properties.emplace_back(std::int64_t{d.start_year});
            add_feature(out, std::move(f), valid_polygons(cut.get()));
        }
        out.report.derivation_lines.push_back(std::to_string(out.features.size()) + " of " + std::to_string(source.features.size()) +
                                        " " + source.id + " at least " + std::to_string(static_cast<int>(d.min_share * 100)) +
                                        " % inside " + areas.id);
        return out;
    }
};

} // namespace

layer derive_layer(const config& cfg, const layer_config& lc, const std::string& path, const std::vector<layer>& loaded) {
    const deriver d{cfg, lc, *lc.derive, path + ".derive", loaded};
    layer out;
    switch (lc.derive->how) {
    case method::union_of_members: out = d.union_of_members(); break;
    case method::renewal_programmes: out = d.renewal_programmes(); break;
    case method::inside_areas: out = d.inside_areas(); break;
    }
    out.report.features = out.features.size();
    for (const auto& f : out.features) out.report.without_geometry += f.has_geometry ? 0 : 1;
    return out;
}

} // namespace kvarter::catalog
