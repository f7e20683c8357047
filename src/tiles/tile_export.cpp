#include "tiles/tile_export.hpp"

#include "catalog/gdal_source.hpp"
#include "core/error.hpp"
#include "http/gzip.hpp"
#include "tiles/tile_renderer.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>

namespace kvarter::tiles {

namespace {

// Where finished tiles go.
class tile_sink {
public:
    virtual ~tile_sink() = default;
    virtual void write(const tile_id& t, const std::string& mvt) = 0;
    virtual void finish() = 0;
};

class folder_sink : public tile_sink {
public:
    explicit folder_sink(std::filesystem::path root) : m_root{std::move(root)} {}
    void write(const tile_id& t, const std::string& mvt) override {
        const auto dir = m_root / std::to_string(t.z) / std::to_string(t.x);
        std::filesystem::create_directories(dir);
        const auto file = dir / (std::to_string(t.y) + ".mvt");
        std::ofstream out{file, std::ios::binary};
        out.write(mvt.data(), static_cast<std::streamsize>(mvt.size()));
        if (!out) throw io_error{"cannot write " + file.string()};
    }
    void finish() override {}

private:
    std::filesystem::path m_root;
};

// MBTiles 1.3 through GDAL's SQLite driver, written under a temporary name and renamed when
// complete, so an interrupted export never leaves a half file where a server would look.
class mbtiles_sink : public tile_sink {
public:
    mbtiles_sink(std::filesystem::path file, const nlohmann::json& metadata) : m_file{std::move(file)} {
        m_partial = m_file;
        m_partial += ".partial";
        std::filesystem::remove(m_partial);
        catalog::register_gdal();
        catalog::quiet_gdal_errors quiet;
        GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("SQLite");
        if (!driver) throw io_error{"GDAL has no SQLite driver"};
        const char* options[] = {"METADATA=NO", nullptr};
        m_ds.reset(driver->Create(m_partial.c_str(), 0, 0, 0, GDT_Unknown, const_cast<char**>(options)));
        if (!m_ds) throw io_error{"cannot create " + m_partial.string() + ": " + catalog::quiet_gdal_errors::last_message()};
        run("CREATE TABLE metadata (name TEXT, value TEXT)");
        run("CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB)");
        run("CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row)");
        run("BEGIN");
        for (const auto& [name, v] : metadata.items())
            run("INSERT INTO metadata VALUES ('" + quote(name) + "', '" + quote(v.is_string() ? v.get<std::string>() : v.dump()) + "')");
    }

    void write(const tile_id& t, const std::string& mvt) override {
        static const char* digits = "0123456789abcdef";
        const std::string zipped = http::gzip(mvt);
        std::string hex;
        hex.reserve(zipped.size() * 2);
        for (const unsigned char c : zipped) {
            hex.push_back(digits[c >> 4]);
            hex.push_back(digits[c & 15]);
        }
        // MBTiles counts rows from the bottom (TMS).
        const std::uint32_t tms_row = (1u << t.z) - 1 - t.y;
        run("INSERT INTO tiles VALUES (" + std::to_string(t.z) + ", " + std::to_string(t.x) + ", " + std::to_string(tms_row) +
            ", X'" + hex + "')");
    }

    void finish() override {
        run("COMMIT");
        m_ds.reset();
        std::filesystem::rename(m_partial, m_file);
    }

private:
    static std::string quote(std::string s) {
        for (std::size_t at = s.find('\''); at != std::string::npos; at = s.find('\'', at + 2)) s.insert(at, "'");
        return s;
    }
    void run(const std::string& sql) {
        catalog::quiet_gdal_errors quiet;
        OGRLayer* result = m_ds->ExecuteSQL(sql.c_str(), nullptr, nullptr);
        if (result) m_ds->ReleaseResultSet(result);
        if (CPLGetLastErrorType() >= CE_Failure)
            throw io_error{"writing " + m_partial.string() + ": " + catalog::quiet_gdal_errors::last_message()};
    }
    std::filesystem::path m_file;
    std::filesystem::path m_partial;
    GDALDatasetUniquePtr m_ds;
};

void draw_progress(std::ostream& log, std::size_t done, std::size_t total, int z) {
    constexpr int width = 40;
    const int filled = total ? static_cast<int>(width * done / total) : width;
    log << "\rz" << z << " [" << std::string(static_cast<std::size_t>(filled), '#')
        << std::string(static_cast<std::size_t>(width - filled), '.') << "] " << done << "/" << total << " tiles" << std::flush;
}

} // namespace

export_summary export_tiles(const catalog::catalog& cat, const export_options& options, std::ostream& log) {
    const auto* ts = cat.find_tileset(options.tileset);
    if (!ts) throw bad_request{"tileset", "no tileset \"" + options.tileset + "\""};
    if (options.minzoom < 0 || options.minzoom > max_zoom) throw bad_request{"minzoom", "minzoom must be 0 to 22"};
    if (options.maxzoom < options.minzoom || options.maxzoom > max_zoom)
        throw bad_request{"maxzoom", "maxzoom must be from minzoom to 22"};
    if (options.out.empty()) throw bad_request{"out", "--out names the folder or .mbtiles file to write"};
    const int year = options.year ? options.year : default_year(cat);

    geometry::box extent;
    for (const auto& tl : ts->layers) extent.expand(cat.layers[tl.layer].lonlat_extent);
    if (extent.empty()) throw bad_request{"tileset", "tileset \"" + ts->name + "\" has no features"};

    std::unique_ptr<tile_sink> sink;
    if (options.out.extension() == ".mbtiles") {
        nlohmann::json vector_layers = nlohmann::json::array();
        for (const auto& tl : ts->layers)
            vector_layers.push_back({{"id", cat.layers[tl.layer].id}, {"minzoom", tl.minzoom}, {"maxzoom", tl.maxzoom}, {"fields", nlohmann::json::object()}});
        const nlohmann::json metadata{
            {"name", ts->name},
            {"description", ts->title},
            {"format", "pbf"},
            {"type", "overlay"},
            {"version", "1"},
            {"minzoom", std::to_string(options.minzoom)},
            {"maxzoom", std::to_string(options.maxzoom)},
            {"bounds", std::to_string(extent.min_x) + "," + std::to_string(extent.min_y) + "," + std::to_string(extent.max_x) +
                           "," + std::to_string(extent.max_y)},
            {"center", std::to_string((extent.min_x + extent.max_x) / 2) + "," + std::to_string((extent.min_y + extent.max_y) / 2) +
                           "," + std::to_string(options.minzoom)},
            {"attribution", cat.attribution},
            {"json", nlohmann::json{{"vector_layers", vector_layers}}.dump()}};
        sink = std::make_unique<mbtiles_sink>(options.out, metadata);
    } else {
        sink = std::make_unique<folder_sink>(options.out);
    }

    export_summary summary;
    for (int z = options.minzoom; z <= options.maxzoom; ++z) {
        const tile_id top_left = tile_containing({extent.min_x, extent.max_y}, z);
        const tile_id bottom_right = tile_containing({extent.max_x, extent.min_y}, z);
        const std::uint32_t x0 = top_left.x, x1 = bottom_right.x, y0 = top_left.y, y1 = bottom_right.y;
        const std::size_t total = std::size_t{x1 - x0 + 1} * (y1 - y0 + 1);
        std::size_t done = 0;
        for (std::uint32_t x = x0; x <= x1; ++x) {
            for (std::uint32_t y = y0; y <= y1; ++y) {
                const tile_id t{z, x, y};
                const std::string mvt = render_tile(cat, *ts, t, year);
                if (mvt.empty()) {
                    ++summary.empty;
                } else {
                    sink->write(t, mvt);
                    ++summary.tiles;
                    summary.bytes += mvt.size();
                }
                ++done;
                if (options.progress && (done % 64 == 0 || done == total)) draw_progress(log, done, total, z);
            }
        }
        if (options.progress) log << "\n";
    }
    sink->finish();
    return summary;
}

} // namespace kvarter::tiles
