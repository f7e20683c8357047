#include "proposals/proposal_store.hpp"

#include "analysis/overlay.hpp"
#include "catalog/gdal_source.hpp"
#include "core/error.hpp"
#include "geometry/box_predicate.hpp"
#include "geometry/geos.hpp"

#include <nlohmann/json.hpp>
#include <ogrsf_frmts.h>

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <regex>
#include <thread>

namespace kvarter::proposals {

using json = nlohmann::json;

namespace {

constexpr const char* field_names[] = {"name", "author", "description", "status", "created", "updated"};
constexpr std::size_t max_idle_datasets = 8;

// The database was busy (another process writing a GeoPackage): the write is tried again.
class busy_error : public io_error {
public:
    using io_error::io_error;
};

// "PG:host=… password=secret" without the secret, for messages.
std::string redacted(const std::string& connection) {
    static const std::regex password{R"(password\s*=\s*('[^']*'|\S+))", std::regex::icase};
    return std::regex_replace(connection, password, "password=***");
}

[[noreturn]] void fail(const std::string& connection, const std::string& what,
                       const std::string& why = catalog::quiet_gdal_errors::last_message()) {
    const std::string message = "proposals store " + redacted(connection) + ": " + what + ": " + why;
    if (why.find("locked") != std::string::npos || why.find("busy") != std::string::npos) throw busy_error{message};
    throw io_error{message};
}

std::size_t code_points(const std::string& s) {
    return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::string iso_utc(std::time_t t) {
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

std::string now_utc() { return iso_utc(std::chrono::system_clock::to_time_t(std::chrono::system_clock::now())); }

// An OGR date-time field as ISO 8601 UTC, whatever zone the driver hands it back in.
std::string read_datetime(OGRFeature& f, int field) {
    if (field < 0 || !f.IsFieldSetAndNotNull(field)) return {};
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, tz = 0;
    float s = 0;
    if (!f.GetFieldAsDateTime(field, &y, &mo, &d, &h, &mi, &s, &tz)) return {};
    std::tm tm{};
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = static_cast<int>(s);
    std::time_t t = timegm(&tm);
    if (tz > 1 && tz != 100) t -= static_cast<std::time_t>(tz - 100) * 15 * 60; // 100 is UTC, each step 15 minutes
    return iso_utc(t);
}

void write_datetime(OGRFeature& f, int field, const std::string& iso) {
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
    if (std::sscanf(iso.c_str(), "%d-%d-%dT%d:%d:%dZ", &y, &mo, &d, &h, &mi, &s) != 6)
        throw std::logic_error{"not an ISO 8601 UTC time: " + iso};
    f.SetField(field, y, mo, d, h, mi, static_cast<float>(s), 100);
}

std::unique_ptr<OGRMultiPolygon> to_ogr(const geometry::geometry& g) {
    auto out = std::make_unique<OGRMultiPolygon>();
    for (const auto& part : g.parts) {
        OGRPolygon polygon;
        for (const auto& ring : part) {
            OGRLinearRing r;
            r.setNumPoints(static_cast<int>(ring.size()));
            for (std::size_t i = 0; i < ring.size(); ++i) r.setPoint(static_cast<int>(i), ring[i].x, ring[i].y);
            polygon.addRing(&r);
        }
        out->addGeometry(&polygon);
    }
    return out;
}

geometry::geometry from_ogr(const OGRGeometry* g) {
    geometry::geometry out;
    out.type = geometry::kind::polygon;
    out.multi = true;
    if (!g) return out;
    auto add = [&](const OGRPolygon& p) {
        std::vector<geometry::path> part;
        for (const OGRLinearRing* ring : p) {
            geometry::path path;
            path.reserve(static_cast<std::size_t>(ring->getNumPoints()));
            for (int i = 0; i < ring->getNumPoints(); ++i) path.push_back({ring->getX(i), ring->getY(i)});
            part.push_back(std::move(path));
        }
        if (!part.empty()) out.parts.push_back(std::move(part));
    };
    switch (wkbFlatten(g->getGeometryType())) {
    case wkbPolygon: add(*g->toPolygon()); break;
    case wkbMultiPolygon:
        for (const OGRPolygon* p : *g->toMultiPolygon()) add(*p);
        break;
    default: break;
    }
    return out;
}

proposal read_proposal(OGRFeature& f) {
    proposal p;
    p.id = f.GetFID();
    auto text = [&](const char* name) {
        const int i = f.GetFieldIndex(name);
        return i >= 0 && f.IsFieldSetAndNotNull(i) ? std::string{f.GetFieldAsString(i)} : std::string{};
    };
    p.name = text("name");
    p.author = text("author");
    p.description = text("description");
    p.status = text("status");
    p.created = read_datetime(f, f.GetFieldIndex("created"));
    p.updated = read_datetime(f, f.GetFieldIndex("updated"));
    p.lonlat = from_ogr(f.GetGeometryRef());
    return p;
}

void fill(OGRFeature& f, const proposal& p) {
    f.SetField("name", p.name.c_str());
    f.SetField("author", p.author.c_str());
    f.SetField("description", p.description.c_str());
    f.SetField("status", p.status.c_str());
    write_datetime(f, f.GetFieldIndex("created"), p.created);
    write_datetime(f, f.GetFieldIndex("updated"), p.updated);
    f.SetGeometryDirectly(to_ogr(p.lonlat).release());
}

// One GDAL transaction: committed by commit(), rolled back when left any other way.
class transaction {
public:
    transaction(GDALDataset& ds, const std::string& connection) : m_ds{ds}, m_connection{connection} {
        if (m_ds.StartTransaction() != OGRERR_NONE) fail(m_connection, "cannot start a transaction");
    }
    ~transaction() {
        if (!m_done) m_ds.RollbackTransaction();
    }
    transaction(const transaction&) = delete;
    transaction& operator=(const transaction&) = delete;

    void commit() {
        m_done = true;
        if (m_ds.CommitTransaction() != OGRERR_NONE) {
            const std::string why = catalog::quiet_gdal_errors::last_message();
            m_ds.RollbackTransaction(); // where the driver left it open; the dataset is closed after this anyway
            fail(m_connection, "the commit failed", why);
        }
    }

private:
    GDALDataset& m_ds;
    const std::string& m_connection;
    bool m_done = false;
}; // class transaction

void create_layer(GDALDataset& ds, bool postgres, const std::string& connection) {
    OGRSpatialReference wgs84;
    wgs84.importFromEPSG(4326);
    wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    CPLStringList options;
    options.SetNameValue("GEOMETRY_NAME", "geom");
    options.SetNameValue("FID", "fid");
    options.SetNameValue("SPATIAL_INDEX", postgres ? "GIST" : "YES");
    options.SetNameValue("DESCRIPTION", "Renewal proposals drawn by planners (kvarter)");
    OGRLayer* layer = ds.CreateLayer(layer_name, &wgs84, wkbMultiPolygon, options.List());
    if (!layer) fail(connection, "cannot create the layer \"proposals\"");
    for (const char* name : field_names) {
        const bool time = std::string_view{name} == "created" || std::string_view{name} == "updated";
        OGRFieldDefn field{name, time ? OFTDateTime : OFTString};
        if (layer->CreateField(&field) != OGRERR_NONE) fail(connection, std::string{"cannot create the field "} + name);
    }
}

} // namespace

proposal parse_proposal(const json& feature, std::size_t max_vertices, const std::string& default_author) {
    if (!feature.is_object() || feature.value("type", json{}) != "Feature")
        throw bad_request{"type", "expected a GeoJSON Feature ({\"type\": \"Feature\", \"geometry\": …, \"properties\": …})"};
    for (const auto& [key, v] : feature.items())
        if (key != "type" && key != "geometry" && key != "properties" && key != "id" && key != "bbox" && key != "links")
            throw bad_request{key, "unknown member \"" + key + "\"; a proposal has type, geometry and properties"};
    if (!feature.contains("properties") || !feature["properties"].is_object())
        throw bad_request{"properties", "expected an object with name, and optionally author, description, status"};
    const json& props = feature["properties"];

    proposal p;
    auto text = [&](const char* name, std::size_t max_length, bool required) -> std::string {
        const std::string member = std::string{"properties."} + name;
        if (!props.contains(name) || props[name].is_null()) {
            if (required) throw bad_request{member, member + " is required"};
            return {};
        }
        if (!props[name].is_string()) throw bad_request{member, member + " must be a string, got " + props[name].dump()};
        const auto value = props[name].get<std::string>();
        // The store keeps C strings: a NUL would cut the value short behind the answer's back.
        if (value.find('\0') != std::string::npos)
            throw bad_request{member, member + " must not contain a NUL character (\\u0000)"};
        if (code_points(value) > max_length)
            throw bad_request{member, member + " must be at most " + std::to_string(max_length) + " characters"};
        return value;
    };
    for (const auto& [key, v] : props.items())
        if (key != "name" && key != "author" && key != "description" && key != "status" && key != "created" && key != "updated")
            throw bad_request{"properties." + key,
                              "unknown property \"" + key + "\"; a proposal has name, author, description and status"};
    p.name = text("name", max_name_length, true);
    if (p.name.find_first_not_of(" \t\r\n") == std::string::npos)
        throw bad_request{"properties.name", "properties.name must not be empty"};
    p.author = text("author", max_author_length, false);
    if (p.author.empty()) p.author = default_author;
    p.description = text("description", max_description_length, false);
    p.status = text("status", 16, false);
    if (p.status.empty()) p.status = "draft";
    if (p.status != "draft" && p.status != "submitted")
        throw bad_request{"properties.status", "properties.status must be \"draft\" or \"submitted\", got \"" + p.status + "\""};

    if (!feature.contains("geometry") || feature["geometry"].is_null())
        throw bad_request{"geometry", "a proposal needs a Polygon or MultiPolygon geometry"};
    p.lonlat = analysis::parse_polygon(feature, max_vertices);
    auto& geos = geometry::this_thread_geos();
    const auto g = geometry::to_geos(geos, p.lonlat);
    if (const auto reason = geometry::invalid_reason(geos, g.get()); !reason.empty())
        throw bad_request{"geometry", "the polygon is not valid: " + reason};
    p.lonlat.multi = true; // stored as a MultiPolygon
    geometry::orient_rings(p.lonlat);
    return p;
}

std::string default_store() {
    if (const char* dir = std::getenv("KVARTER_DATA_DIR"); dir && *dir)
        return (std::filesystem::path{dir} / "proposals.gpkg").string();
    return (std::filesystem::current_path() / "proposals.gpkg").string();
}

// A dataset of the pool, for one operation on one thread, given back when done (or closed
// when the operation failed, since a failed connection may be in any state).
class proposal_store::lease {
public:
    // `pooled`: an idle dataset may be taken; else a new connection is opened.
    explicit lease(const proposal_store& store, bool pooled = true) : m_store{store} {
        if (pooled) {
            std::lock_guard lock{store.m_pool_mutex};
            if (!store.m_idle.empty()) {
                m_ds = std::move(store.m_idle.back());
                store.m_idle.pop_back();
                m_reused = true;
            }
        }
        if (!m_ds) m_ds = store.open_dataset();
        m_layer = m_ds->GetLayerByName(layer_name);
        if (!m_layer) fail(store.m_connection, "the layer \"proposals\" is gone");
    }
    ~lease() {
        if (!m_ok) return; // the dataset closes: the database rolls back whatever it left open
        m_layer->SetSpatialFilter(nullptr);
        m_layer->ResetReading();
        std::lock_guard lock{m_store.m_pool_mutex};
        if (m_store.m_idle.size() < max_idle_datasets) m_store.m_idle.push_back(std::move(m_ds));
    }
    lease(const lease&) = delete;
    lease& operator=(const lease&) = delete;

    GDALDataset& dataset() { return *m_ds; }
    OGRLayer& layer() { return *m_layer; }
    // Whether the dataset had been used before: a connection idle in the pool may have been
    // cut meanwhile (a database restart), so a failure on it is worth one try on a new one.
    bool reused() const noexcept { return m_reused; }
    void done() { m_ok = true; }

private:
    const proposal_store& m_store;
    GDALDatasetUniquePtr m_ds;
    OGRLayer* m_layer = nullptr;
    bool m_reused = false;
    bool m_ok = false;
}; // class proposal_store::lease

proposal_store::proposal_store(std::string connection, std::size_t max_vertices, std::chrono::milliseconds write_wait)
    : m_connection{std::move(connection)}, m_postgres{m_connection.rfind("PG:", 0) == 0}, m_max_vertices{max_vertices},
      m_write_wait{std::max(write_wait, std::chrono::milliseconds{1})} {
    catalog::register_gdal();
    create_if_missing();
    lease check{*this};
    for (const char* name : field_names)
        if (check.layer().GetLayerDefn()->GetFieldIndex(name) < 0)
            throw io_error{"proposals store " + redacted(m_connection) + ": the layer \"proposals\" has no field \"" + name +
                           "\" (fields: " + catalog::field_names(*check.layer().GetLayerDefn()) + ")"};
    check.done();
}

proposal_store::~proposal_store() = default;

GDALDatasetUniquePtr proposal_store::open_dataset() const {
    catalog::quiet_gdal_errors quiet;
    const char* postgres[] = {"PostgreSQL", nullptr};
    const char* gpkg[] = {"GPKG", nullptr};
    GDALDatasetUniquePtr ds{GDALDataset::Open(m_connection.c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE, m_postgres ? postgres : gpkg)};
    if (!ds) fail(m_connection, "cannot be opened");
    if (!m_postgres) {
        // Durable commits: WAL (readers never block the writer, other processes included) and
        // synchronous=FULL (the WAL is synced at every commit). GDAL leaves synchronous at
        // SQLite's default on open (FULL) but sets it OFF while creating a file; say so explicitly
        // and check that SQLite agrees.
        auto pragma = [&](const char* sql) {
            std::string result;
            if (OGRLayer* r = ds->ExecuteSQL(sql, nullptr, nullptr)) {
                if (OGRFeatureUniquePtr row{r->GetNextFeature()}) result = row->GetFieldAsString(0);
                ds->ReleaseResultSet(r);
            }
            return result;
        };
        if (pragma("PRAGMA journal_mode=WAL") != "wal") fail(m_connection, "SQLite refused WAL journal mode");
        pragma("PRAGMA synchronous=FULL");
        if (pragma("PRAGMA synchronous") != "2") fail(m_connection, "SQLite refused PRAGMA synchronous=FULL");
        // SQLite waits this long for another process's write lock; the write as a whole is bounded too.
        pragma(("PRAGMA busy_timeout=" + std::to_string(m_write_wait.count())).c_str());
    }
    return ds;
}

void proposal_store::create_if_missing() {
    catalog::quiet_gdal_errors quiet;
    if (!m_postgres && !std::filesystem::exists(m_connection)) {
        // Made under a temporary name and linked into place, which fails when another process
        // got there first: a store is never created twice nor replaced.
        const std::filesystem::path path{m_connection};
        if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
        static std::atomic<int> counter{0};
        const auto tmp = path.parent_path() / ("." + path.stem().string() + "." + std::to_string(::getpid()) + "." +
                                               std::to_string(counter++) + ".creating.gpkg");
        auto* driver = GetGDALDriverManager()->GetDriverByName("GPKG");
        if (!driver) throw io_error{"GDAL has no GPKG driver"};
        {
            const char* options[] = {"ADD_GPKG_OGR_CONTENTS=NO", nullptr}; // counts by query: no stale cached counts
            GDALDatasetUniquePtr ds{driver->Create(tmp.c_str(), 0, 0, 0, GDT_Unknown, const_cast<char**>(options))};
            if (!ds) fail(m_connection, "cannot create " + tmp.string());
            create_layer(*ds, false, m_connection);
        }
        const bool linked = ::link(tmp.c_str(), path.c_str()) == 0;
        const int link_errno = errno;
        std::filesystem::remove(tmp);
        if (!linked && link_errno != EEXIST)
            throw io_error{"proposals store " + m_connection + ": cannot create it: " + std::strerror(link_errno)};
    }
    auto ds = open_dataset();
    if (ds->GetLayerByName(layer_name)) return;
    try {
        create_layer(*ds, m_postgres, m_connection);
    } catch (const io_error&) {
        // Another process may have created it meanwhile.
        ds = open_dataset();
        if (!ds->GetLayerByName(layer_name)) throw;
    }
}

template <class Write>
auto proposal_store::write(Write&& fn) {
    // Bounded: a write waits at most m_write_wait in all, for this process's writer and for the
    // database's lock, then gives up with a 503 rather than holding a request for long.
    const auto deadline = std::chrono::steady_clock::now() + m_write_wait;
    const auto retry_after = static_cast<int>(std::max<long long>(1, (m_write_wait.count() + 999) / 1000));
    auto too_busy = [&] {
        return unavailable{"the proposals store is busy with another write (waited " + std::to_string(m_write_wait.count()) +
                               " ms); try again",
                           retry_after};
    };
    std::unique_lock lock{m_write_mutex, std::defer_lock};
    if (!lock.try_lock_until(deadline)) throw too_busy();
    bool pooled = true;
    for (int attempt = 1;; ++attempt) {
        bool committing = false;
        std::optional<lease> l;
        try {
            l.emplace(*this, pooled);
            catalog::quiet_gdal_errors quiet;
            transaction t{l->dataset(), m_connection};
            auto result = fn(l->layer());
            committing = true;
            t.commit();
            m_writes.fetch_add(1, std::memory_order_release);
            l->done();
            return result;
        } catch (const busy_error&) {
            // Another process holds the GeoPackage's write lock, or wrote since this
            // connection's snapshot (SQLite answers that at once, without its busy timeout): start
            // again on a new connection, while the bounded wait has time left.
            const auto pause = std::chrono::milliseconds{10 << std::min(attempt, 4)};
            if (std::chrono::steady_clock::now() + pause >= deadline) throw too_busy();
            std::this_thread::sleep_for(pause);
            pooled = false;
        } catch (const io_error&) {
            // Only a failure before the commit may be tried again: after it, the outcome is unknown.
            if (committing || !l || !l->reused() || !pooled) throw;
            pooled = false;
        }
    }
}

// Reads on a pooled dataset, once more on a new one if the pooled one fails.
template <class Read>
auto proposal_store::read(Read&& fn) const {
    for (bool pooled : {true, false}) {
        catalog::quiet_gdal_errors quiet;
        lease l{*this, pooled};
        try {
            auto result = fn(l.layer());
            l.done();
            return result;
        } catch (const io_error&) {
            if (!pooled || !l.reused()) throw;
        }
    }
    throw std::logic_error{"unreachable"};
}

proposal proposal_store::create(const json& feature, const std::string& default_author) {
    proposal p = parse_proposal(feature, m_max_vertices, default_author);
    p.created = p.updated = now_utc();
    return write([&](OGRLayer& layer) {
        OGRFeature f{layer.GetLayerDefn()};
        fill(f, p);
        if (layer.CreateFeature(&f) != OGRERR_NONE) fail(m_connection, "cannot insert the proposal");
        proposal out = p;
        out.id = f.GetFID();
        return out;
    });
}

std::optional<proposal> proposal_store::replace(std::int64_t id, const json& feature, const std::string& default_author,
                                                const precondition& check) {
    proposal p = parse_proposal(feature, m_max_vertices, default_author);
    p.id = id;
    p.updated = now_utc();
    return write([&](OGRLayer& layer) -> std::optional<proposal> {
        OGRFeatureUniquePtr old{layer.GetFeature(id)};
        if (!old) {
            CPLErrorReset();
            return std::nullopt;
        }
        if (check) check(read_proposal(*old));
        p.created = read_datetime(*old, old->GetFieldIndex("created"));
        if (p.created.empty()) p.created = p.updated;
        OGRFeature f{layer.GetLayerDefn()};
        fill(f, p);
        f.SetFID(id);
        if (layer.SetFeature(&f) != OGRERR_NONE) fail(m_connection, "cannot update proposal " + std::to_string(id));
        return p;
    });
}

bool proposal_store::remove(std::int64_t id, const precondition& check) {
    return write([&](OGRLayer& layer) {
        if (check) {
            OGRFeatureUniquePtr old{layer.GetFeature(id)};
            if (!old) {
                CPLErrorReset();
                return false;
            }
            check(read_proposal(*old));
        }
        const OGRErr e = layer.DeleteFeature(id);
        if (e == OGRERR_NON_EXISTING_FEATURE) {
            CPLErrorReset();
            return false;
        }
        if (e != OGRERR_NONE) fail(m_connection, "cannot delete proposal " + std::to_string(id));
        return true;
    });
}

std::optional<proposal> proposal_store::get(std::int64_t id) const {
    return read([&](OGRLayer& layer) -> std::optional<proposal> {
        CPLErrorReset();
        if (OGRFeatureUniquePtr f{layer.GetFeature(id)}) return read_proposal(*f);
        // Drivers report an absent id as an error ("unknown feature id"); anything else is a failure.
        if (CPLGetLastErrorType() == CE_Failure &&
            std::string_view{CPLGetLastErrorMsg()}.find("unknown feature id") == std::string_view::npos)
            fail(m_connection, "cannot read proposal " + std::to_string(id));
        return std::nullopt;
    });
}

proposal_page proposal_store::list(std::size_t limit, std::size_t offset, const std::optional<geometry::box>& bbox) const {
    auto all = read([&](OGRLayer& layer) {
        CPLErrorReset();
        if (bbox) layer.SetSpatialFilterRect(bbox->min_x, bbox->min_y, bbox->max_x, bbox->max_y);
        else layer.SetSpatialFilter(nullptr);
        layer.ResetReading();
        std::vector<proposal> found;
        while (OGRFeatureUniquePtr f{layer.GetNextFeature()}) {
            proposal p = read_proposal(*f);
            if (bbox && !geometry::intersects(p.lonlat, *bbox)) continue; // the filter above compares envelopes only
            found.push_back(std::move(p));
        }
        if (CPLGetLastErrorType() == CE_Failure) fail(m_connection, "cannot read the proposals");
        return found;
    });
    std::sort(all.begin(), all.end(), [](const proposal& a, const proposal& b) { return a.id < b.id; });
    proposal_page page;
    page.matched = all.size();
    const std::size_t first = std::min(offset, all.size());
    const std::size_t last = first + std::min(limit, all.size() - first);
    page.items.assign(std::make_move_iterator(all.begin() + static_cast<std::ptrdiff_t>(first)),
                      std::make_move_iterator(all.begin() + static_cast<std::ptrdiff_t>(last)));
    return page;
}

} // namespace kvarter::proposals
