#include "catalog/loader.hpp"

#include "catalog/analysis_load.hpp"
#include "catalog/derive.hpp"
#include "catalog/gdal_source.hpp"
#include "catalog/joins.hpp"
#include "catalog/tileset_build.hpp"
#include "core/error.hpp"
#include "core/parallel_for.hpp"
#include "geometry/coverage_simplify.hpp"
#include "geometry/crs_transform.hpp"
#include "geometry/geos.hpp"
#include "geometry/web_mercator.hpp"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <chrono>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace kvarter::catalog {

namespace {

constexpr std::size_t max_examples = 5;
// Polygons whose vertex lies this close to a neighbour's border (in the analysis CRS, metres)
// get that vertex added to the neighbour's ring, so shared borders simplify alike in tiles.
constexpr double node_tolerance_m = 0.001;

// One feature's geometry on its way from GDAL to the catalog: the WKB read, then what the check
// made of it.
struct pending_geometry {
    std::size_t index = 0; // in the layer's features
    bool has_geometry = false; // in the source
    std::vector<unsigned char> wkb; // until checked
    geometry::kind kind = geometry::kind::point; // of the source geometry, before any repair
    std::string invalid_reason; // why GEOS found it invalid; empty when valid
    geometry::geometry checked; // valid, rings oriented; empty when repair left nothing
};

// Features read between two checks: enough to keep every core busy, few enough that their WKB is
// a small part of the load's memory.
constexpr std::size_t batch_size = 8192;

// Parses, checks and where needed repairs each geometry, on every core (one GEOS context each).
void check_geometries(std::vector<pending_geometry>& batch) {
    parallel_for(batch.size(), [&](std::size_t i, std::size_t) {
        auto& p = batch[i];
        if (!p.has_geometry) return;
        auto& geos = geometry::this_thread_geos();
        auto gg = geometry::from_wkb(geos, p.wkb.data(), p.wkb.size());
        p.kind = geometry::dominant_kind(geos, gg.get());
        p.invalid_reason = geometry::invalid_reason(geos, gg.get());
        if (!p.invalid_reason.empty()) gg = geometry::make_valid(geos, gg.get());
        p.checked = geometry::from_geos(geos, gg.get(), p.kind);
        if (!p.checked.empty()) geometry::orient_rings(p.checked);
        p.wkb = {};
    }, 16);
}

// The checked geometry into its feature, and the feature into the layer's report. The layer's
// kind is that of its first geometry.
void record(layer& out, pending_geometry& p, bool& kind_known) {
    feature& ft = out.features[p.index];
    if (!p.has_geometry) {
        ++out.report.without_geometry;
        return;
    }
    if (!kind_known) {
        out.geometry_kind = p.kind;
        kind_known = true;
    }
    if (!p.invalid_reason.empty()) {
        ++out.report.repaired;
        if (out.report.repair_examples.size() < max_examples) out.report.repair_examples.push_back(ft.id + ": " + p.invalid_reason);
    }
    if (p.checked.empty()) {
        ++out.report.emptied_by_repair;
        ++out.report.without_geometry;
        return;
    }
    ft.analysis = std::move(p.checked);
    ft.has_geometry = true;
}

struct layer_loader {
    const config& cfg;
    const layer_config& lc;
    std::string path; // "layers[i]"
    const OGRSpatialReference& analysis_srs;

    [[noreturn]] void fail(const std::string& key, const std::string& detail) const {
        throw config_error{cfg.file.string(), path + (key.empty() ? "" : "." + key), detail};
    }

    layer load() const {
        std::string why;
        auto ds = open_vector(lc.source, why);
        if (!ds) fail("source", "GDAL cannot open \"" + lc.source + "\": " + why);
        OGRLayer* src = pick_layer(*ds, lc.source_layer);
        if (!src) {
            if (lc.source_layer.empty()) fail("source", "\"" + lc.source + "\" holds no vector layer");
            fail("layer", "no layer \"" + lc.source_layer + "\" in \"" + lc.source + "\"; it has " + layer_names(*ds));
        }

        layer out;
        out.id = lc.id;
        out.title = lc.title;
        out.description = lc.description;
        out.role = lc.role;
        out.name_field = lc.name_field;

        OGRFeatureDefn& defn = *src->GetLayerDefn();
        auto field_of = [&](const std::string& key, const std::string& name) {
            return required_field(defn, name, "field", lc.source, cfg.file.string(), path + "." + key);
        };
        const int id_index = lc.id_field.empty() ? -1 : field_of("id_field", lc.id_field);
        const int name_index = lc.name_field.empty() ? -1 : field_of("name_field", lc.name_field);

        std::vector<int> source_fields;
        if (lc.properties) {
            for (std::size_t i = 0; i < lc.properties->size(); ++i)
                source_fields.push_back(field_of("properties[" + std::to_string(i) + "]", (*lc.properties)[i]));
        } else {
            for (int i = 0; i < defn.GetFieldCount(); ++i) source_fields.push_back(i);
        }
        for (int i : source_fields) {
            const OGRFieldDefn& fd = *defn.GetFieldDefn(i);
            out.fields.push_back({fd.GetNameRef(), type_of(fd), false});
        }

        const OGRSpatialReference* declared = src->GetSpatialRef();
        OGRSpatialReference source_srs;
        if (!lc.source_crs.empty()) {
            try {
                source_srs = geometry::make_srs(lc.source_crs);
            } catch (const geometry_error& e) {
                fail("crs", e.what());
            }
        } else if (declared) {
            source_srs = *declared;
        } else if (src->GetGeomType() != wkbNone) {
            fail("crs", "\"" + lc.source + "\" declares no coordinate reference system; give one, e.g. \"EPSG:25832\"");
        }
        source_srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);

        std::optional<geometry::crs_transform> to_analysis;
        if (!source_srs.IsEmpty() && !source_srs.IsSame(&analysis_srs)) to_analysis.emplace(source_srs, analysis_srs);
        std::set<std::string> ids;
        // GDAL reads one feature at a time; the GEOS check and repair of each is independent, so
        // features are read in batches and checked on every core, and the report is written in
        // source order so that it does not depend on the threads.
        std::vector<pending_geometry> batch;
        bool kind_known = false;
        auto flush = [&] {
            check_geometries(batch);
            for (auto& p : batch) record(out, p, kind_known);
            batch.clear();
        };
        // Reserved when the driver knows the count without a scan, else trimmed at the end: a
        // vector grown by doubling keeps up to half its size again unused.
        if (const GIntBig known = src->GetFeatureCount(FALSE); known > 0) out.features.reserve(static_cast<std::size_t>(known));
        src->ResetReading();
        for (auto& f : *src) {
            feature ft;
            if (id_index >= 0) {
                if (!f->IsFieldSetAndNotNull(id_index))
                    fail("id_field", "feature with source id " + std::to_string(f->GetFID()) + " has no \"" +
                                         lc.id_field + "\"");
                ft.id = f->GetFieldAsString(id_index);
                const auto t = defn.GetFieldDefn(id_index)->GetType();
                ft.numeric_id = t == OFTInteger || t == OFTInteger64;
            } else {
                ft.id = std::to_string(f->GetFID());
                ft.numeric_id = true;
            }
            if (!ids.insert(ft.id).second)
                fail(lc.id_field.empty() ? "source" : "id_field",
                     "two features have the id \"" + ft.id + "\"; ids must be unique");
            ft.name = name_index >= 0 ? std::string{f->GetFieldAsString(name_index)} : ft.id;
            for (std::size_t i = 0; i < source_fields.size(); ++i)
                ft.properties.push_back(read_value(*f, source_fields[i], out.fields[i].type));

            pending_geometry p;
            p.index = out.features.size();
            out.features.push_back(std::move(ft));
            OGRGeometry* g = f->GetGeometryRef();
            if (g == nullptr || g->IsEmpty()) {
                batch.push_back(std::move(p));
                continue;
            }
            std::unique_ptr<OGRGeometry> linear;
            if (g->hasCurveGeometry()) {
                linear.reset(g->getLinearGeometry());
                g = linear.get();
            }
            if (to_analysis) {
                if (g->transform(to_analysis->native()) != OGRERR_NONE)
                    fail("source", "feature \"" + out.features.back().id + "\" cannot be transformed to " + cfg.analysis_crs);
            }
            p.has_geometry = true;
            p.wkb.resize(g->WkbSize());
            g->exportToWkb(wkbNDR, p.wkb.data(), wkbVariantIso);
            batch.push_back(std::move(p));
            if (batch.size() == batch_size) flush();
        }
        flush();
        out.features.shrink_to_fit();
        out.report.features = out.features.size();
        return out;
    }
};

// Every feature kept also in WGS84 (GeoJSON, and through a formula the tiles' Web Mercator), with
// its boxes; shared borders noded first so that they simplify alike.
void finish_geometry(layer& out, const OGRSpatialReference& analysis_srs) {
    const auto lonlat_srs = geometry::make_srs("EPSG:4326");
    if (out.geometry_kind == geometry::kind::polygon) {
        std::vector<geometry::geometry*> polygons;
        for (auto& ft : out.features) polygons.push_back(ft.has_geometry ? &ft.analysis : nullptr);
        geometry::node_coverage(polygons, node_tolerance_m);
    }
    // A PROJ transformation serves one thread at a time: one per worker.
    std::vector<geometry::crs_transform> to_lonlat;
    for (std::size_t w = 0; w < parallel_workers(); ++w) to_lonlat.emplace_back(analysis_srs, lonlat_srs);
    parallel_for(out.features.size(), [&](std::size_t i, std::size_t worker) {
        auto& ft = out.features[i];
        if (!ft.has_geometry) return;
        ft.analysis_bounds = ft.analysis.bounds();
        ft.lonlat = ft.analysis;
        to_lonlat[worker].apply(ft.lonlat);
        ft.lonlat_bounds = ft.lonlat.bounds();
        ft.mercator_bounds = geometry::web_mercator::bounds_from_lonlat(ft.lonlat_bounds);
    });
}

void load_styles(const config& cfg, catalog& c) {
    if (cfg.styles_dir.empty()) return;
    for (const auto& e : std::filesystem::directory_iterator{cfg.styles_dir}) {
        if (!e.is_regular_file() || e.path().extension() != ".json") continue;
        std::ifstream in{e.path()};
        std::ostringstream text;
        text << in.rdbuf();
        if (!nlohmann::json::accept(text.str()))
            throw config_error{e.path().string(), "(JSON)", "not valid JSON"};
        c.styles[e.path().stem().string()] = text.str();
    }
}

// How long each step of a load took, at debug level: where the seconds go on a big layer.
class load_timer {
public:
    void step(const std::string& what) {
        const auto now = std::chrono::steady_clock::now();
        spdlog::debug("load: {} in {:.3f} s", what, std::chrono::duration<double>(now - m_last).count());
        m_last = now;
    }

private:
    std::chrono::steady_clock::time_point m_last = std::chrono::steady_clock::now();
};

// Every indicator as published (with its source) or synthetic, a line per kind.
void print_provenance(std::ostream& out, const layer& l) {
    for (auto kind : {provenance::published, provenance::synthetic, provenance::derived, provenance::unstated}) {
        std::map<std::string, std::vector<std::string>> by_source;
        for (const auto& i : l.indicators)
            if (i.origin == kind) by_source[i.source_note].push_back(i.id);
        for (const auto& [source, ids] : by_source) {
            out << "  " << to_string(kind) << ":";
            for (const auto& id : ids) out << " " << id;
            if (kind == provenance::unstated) out << " (the config does not say whether these are published or synthetic)";
            else if (!source.empty()) out << " (" << source << ")";
            out << "\n";
        }
    }
}

} // namespace

std::shared_ptr<const catalog> load_catalog(const config& cfg) {
    register_gdal();
    const std::string file = cfg.file.string();
    OGRSpatialReference analysis_srs;
    try {
        analysis_srs = geometry::make_srs(cfg.analysis_crs);
    } catch (const geometry_error& e) {
        throw config_error{file, "analysis_crs", e.what()};
    }
    if (!analysis_srs.IsProjected())
        throw config_error{file, "analysis_crs", "expected a projected CRS in metres, got \"" + cfg.analysis_crs + "\""};

    auto out = std::make_shared<catalog>();
    out->title = cfg.title;
    out->description = cfg.description;
    out->attribution = cfg.attribution;
    out->web_dir = cfg.web_dir;
    out->analysis_crs = cfg.analysis_crs;
    out->max_polygon_vertices = cfg.server.max_polygon_vertices;
    out->write_origins = cfg.proposals.write_origins;
    load_timer timer;
    for (std::size_t i = 0; i < cfg.layers.size(); ++i) {
        const std::string path = "layers[" + std::to_string(i) + "]";
        if (cfg.layers[i].derive) {
            out->layers.push_back(derive_layer(cfg, cfg.layers[i], path, out->layers));
        } else {
            layer_loader loader{cfg, cfg.layers[i], path, analysis_srs};
            out->layers.push_back(loader.load());
        }
        timer.step("layer " + cfg.layers[i].id + " read and checked");
        finish_geometry(out->layers.back(), analysis_srs);
        timer.step("layer " + cfg.layers[i].id + " noded and reprojected");
    }
    for (std::size_t i = 0; i < cfg.indicators.size(); ++i) {
        const auto& table = cfg.indicators[i];
        for (auto& l : out->layers)
            if (l.id == table.layer) join_indicators(l, table, file, "indicators[" + std::to_string(i) + "]");
    }
    timer.step("indicator tables joined");
    for (auto& l : out->layers) l.build_indexes();
    timer.step("indexes built");
    join_areas(out->layers);
    timer.step("areas joined");
    prepare_analysis(cfg, *out);
    timer.step("analyses prepared");
    build_tilesets(cfg, *out);
    timer.step("tilesets built");
    load_styles(cfg, *out);
    return out;
}

void print_report(std::ostream& out, const catalog& c) {
    for (const auto& l : c.layers) {
        const auto& r = l.report;
        out << l.id << " (" << to_string(l.role) << "): " << r.features << " features, " << r.repaired
            << " repaired, " << r.without_geometry << " without geometry";
        if (r.emptied_by_repair) out << " (" << r.emptied_by_repair << " emptied by repair)";
        if (r.spatially_joined) out << ", " << r.spatially_joined << " placed in areas";
        out << "\n";
        if (l.derived) {
            out << "  derived (" << l.derived->method << ") from";
            for (const auto& from : l.derived->from) out << " " << from;
            out << ": " << l.derived->rule << "\n";
            for (const auto& line : r.derivation_lines) out << "    " << line << "\n";
        }
        for (const auto& e : r.repair_examples) out << "  repaired " << e << "\n";
        for (const auto& j : r.joins) {
            out << "  indicators from " << j.source << ": " << j.rows << " rows, " << j.matched_rows << " matched, "
                << j.unmatched_rows << " unmatched";
            if (!j.unmatched_keys.empty()) {
                out << " (keys";
                for (const auto& k : j.unmatched_keys) out << " " << k;
                out << ")";
            }
            out << "; " << j.features_without_rows << " features without rows";
            if (j.bad_values) out << "; " << j.bad_values << " cells not a number";
            out << "\n";
        }
        if (!l.years.empty())
            out << "  years " << l.years.front() << "–" << l.years.back() << ", " << l.indicators.size()
                << " indicators\n";
        print_provenance(out, l);
        if (!r.socio_index.empty()) out << "  " << r.socio_index << "\n";
    }
    // What the tiles keep per layer: the per-zoom copies are most of a big layer's memory.
    for (const auto& t : c.tilesets)
        for (const auto& tl : t.layers) {
            std::size_t bytes = 0;
            for (const auto& zoom : tl.pixel) bytes += zoom.bytes();
            if (tl.pixel.empty()) continue;
            const auto& l = c.layers[tl.layer];
            out << "tileset " << t.name << ", layer " << l.id << ": zooms " << tl.minzoom << "–"
                << tl.minzoom + static_cast<int>(tl.pixel.size()) - 1 << " kept in " << (bytes + 512 * 1024) / (1024 * 1024)
                << " MiB (" << (l.features.empty() ? 0 : bytes / l.features.size()) << " bytes per feature)\n";
        }
}

} // namespace kvarter::catalog
