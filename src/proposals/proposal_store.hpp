#pragma once
// Planners' renewal proposals: the only writable collection. Kept through GDAL in a GeoPackage
// file (the default) or in PostgreSQL/PostGIS (a "PG:" connection), with the same code for both.
//
//     proposal_store store{"build/proposals.gpkg"};           // created on first use
//     auto p = store.create(feature_json, "token name");       // one transaction, durable on return
//     auto page = store.list(100, 0, geometry::box{12.5, 55.6, 12.6, 55.7});
//
// Nothing is cached in memory: every read asks the database, so a write is visible to the next
// read, in this process and in any other on the same file or database. Writes are serialised in
// the process (a mutex) and each one is a GDAL transaction; GeoPackages are opened in WAL mode
// with PRAGMA synchronous=FULL, so a commit has reached the disk when a write returns.

#include "geometry/geometry.hpp"

#include <gdal_priv.h>
#include <nlohmann/json_fwd.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace kvarter::proposals {

inline constexpr const char* layer_name = "proposals";
inline constexpr std::size_t max_name_length = 200; // characters (code points)
inline constexpr std::size_t max_author_length = 200;
inline constexpr std::size_t max_description_length = 10000;

struct proposal {
    std::int64_t id = 0; // the store's integer feature id
    std::string name;
    std::string author;
    std::string description;
    std::string status = "draft"; // draft | submitted
    std::string created; // ISO 8601 UTC, "2026-11-25T11:14:35Z"
    std::string updated;
    geometry::geometry lonlat; // polygon parts, exterior rings counter-clockwise (RFC 7946)
};

struct proposal_page {
    std::size_t matched = 0; // every proposal the query matches
    std::vector<proposal> items; // the page, by id
};

// The writable members of a proposal, checked. Throws bad_request naming the member at fault
// ("type", "properties.name", "properties.status", "geometry.coordinates[0]", …).
// `default_author` fills a missing or empty author (the writer's token name).
proposal parse_proposal(const nlohmann::json& feature, std::size_t max_vertices, const std::string& default_author = {});

// Where the store lives when the config names none: $KVARTER_DATA_DIR/proposals.gpkg, else
// proposals.gpkg in the current directory.
std::string default_store();

class proposal_store {
public:
    // Opens (or creates) the store: a GeoPackage path or a "PG:" connection string. Throws io_error.
    // `write_wait`: how long a write may wait for the database's write lock (this process's writer
    // and another process's), in all; past it the write throws `unavailable` (a 503).
    explicit proposal_store(std::string connection, std::size_t max_vertices = 10000,
                            std::chrono::milliseconds write_wait = std::chrono::milliseconds{2000});
    ~proposal_store();
    proposal_store(const proposal_store&) = delete;
    proposal_store& operator=(const proposal_store&) = delete;

    const std::string& connection() const noexcept { return m_connection; }
    bool is_postgres() const noexcept { return m_postgres; }
    std::size_t max_vertices() const noexcept { return m_max_vertices; }

    proposal create(const nlohmann::json& feature, const std::string& default_author = {});
    // Proposals touching `bbox` (lon/lat; nullopt: all), ordered by id, `limit` from `offset`.
    proposal_page list(std::size_t limit, std::size_t offset, const std::optional<geometry::box>& bbox = std::nullopt) const;
    std::optional<proposal> get(std::int64_t id) const;
    // Called with the stored proposal inside a write, before it changes; throws to refuse the write
    // (If-Match: no other write can come between the check and the change in this process).
    using precondition = std::function<void(const proposal& current)>;

    // Replaces name, author, description, status and geometry; keeps `created`. nullopt: no such id.
    std::optional<proposal> replace(std::int64_t id, const nlohmann::json& feature, const std::string& default_author = {},
                                    const precondition& check = {});
    // False when there was no such id.
    bool remove(std::int64_t id, const precondition& check = {});
    // Writes this process has committed: a cheap way for in-memory views to notice their own writes.
    std::uint64_t writes() const noexcept { return m_writes.load(std::memory_order_acquire); }

private:
    class lease;
    GDALDatasetUniquePtr open_dataset() const;
    void create_if_missing();
    template <class Write>
    auto write(Write&& fn);
    template <class Read>
    auto read(Read&& fn) const;

    std::string m_connection;
    bool m_postgres = false;
    std::size_t m_max_vertices;
    std::chrono::milliseconds m_write_wait;
    std::timed_mutex m_write_mutex; // one writer at a time in this process
    std::atomic<std::uint64_t> m_writes{0};
    mutable std::mutex m_pool_mutex;
    mutable std::vector<GDALDatasetUniquePtr> m_idle; // open datasets (connections) not in use
}; // class proposal_store

} // namespace kvarter::proposals
