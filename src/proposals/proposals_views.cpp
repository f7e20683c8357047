#include "proposals/proposals_views.hpp"

#include "features/geojson_writer.hpp"
#include "geometry/web_mercator.hpp"
#include "http/etag.hpp"
#include "tiles/add_feature.hpp"
#include "tiles/mvt_encoder.hpp"
#include "tiles/tile_renderer.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <mutex>
#include <optional>
#include <cmath>
#include <cstdio>

namespace kvarter::proposals {

using json = nlohmann::json;

void write_feature(std::string& out, const proposal& p, const geometry::to_ogc_crs* crs) {
    out += "{\"type\":\"Feature\",\"id\":" + std::to_string(p.id) + ",\"geometry\":";
    features::write_geometry_in(out, p.lonlat, crs);
    out += ",\"properties\":";
    out += nlohmann::ordered_json{{"name", p.name},
                {"author", p.author},
                {"description", p.description},
                {"status", p.status},
                {"created", p.created},
                {"updated", p.updated}}
               .dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    out += "}";
}

std::optional<std::int64_t> parse_proposal_id(const std::string& text) {
    std::int64_t id = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || id < 1) return std::nullopt;
    return id;
}

std::string proposal_etag(const proposal& p) {
    std::string text;
    write_feature(text, p);
    return http::strong_etag(text);
}

bool if_match_holds(const std::string& if_match, const proposal& p) { return http::if_match_holds(if_match, proposal_etag(p)); }

namespace {

class proposals_collection : public features::dynamic_collection {
public:
    explicit proposals_collection(const proposal_store& store) : m_store{store} {}

    std::string id() const override { return layer_name; }
    std::string title() const override { return "Proposals (renewal proposals drawn by planners)"; }
    std::string description() const override {
        return "Planners' renewal proposals, written through /proposals (writes need a token); read afresh on every request.";
    }
    std::vector<std::pair<std::string, std::string>> properties() const override {
        return {{"name", "string"},   {"author", "string"},  {"description", "string"},
                {"status", "string"}, {"created", "string"}, {"updated", "string"}};
    }
    geometry::kind geometry_kind() const override { return geometry::kind::polygon; }
    geometry::box extent() const override {
        geometry::box b;
        for (const auto& p : m_store.list(std::numeric_limits<std::size_t>::max(), 0).items) b.expand(p.lonlat.bounds());
        return b;
    }
    features::dynamic_page items(const std::vector<geometry::box>& boxes, std::size_t limit, std::size_t offset,
                                 const geometry::to_ogc_crs& crs) const override {
        std::vector<proposal> found;
        if (boxes.empty()) {
            found = m_store.list(std::numeric_limits<std::size_t>::max(), 0).items;
        } else {
            // A bbox across the antimeridian is two boxes: take each once.
            for (const auto& b : boxes)
                for (auto& p : m_store.list(std::numeric_limits<std::size_t>::max(), 0, b).items) found.push_back(std::move(p));
            std::sort(found.begin(), found.end(), [](const proposal& a, const proposal& b) { return a.id < b.id; });
            found.erase(std::unique(found.begin(), found.end(), [](const proposal& a, const proposal& b) { return a.id == b.id; }),
                        found.end());
        }
        features::dynamic_page page;
        page.matched = found.size();
        for (std::size_t i = std::min(offset, found.size()); i < found.size() && page.features.size() < limit; ++i) {
            page.features.emplace_back();
            write_feature(page.features.back(), found[i], &crs);
        }
        return page;
    }
    std::optional<features::dynamic_item> item(const std::string& feature_id, const geometry::to_ogc_crs& crs) const override {
        const auto id = parse_proposal_id(feature_id);
        if (!id) return std::nullopt;
        const auto p = m_store.get(*id);
        if (!p) return std::nullopt;
        features::dynamic_item out{{}, proposal_etag(*p)};
        write_feature(out.feature, *p, &crs);
        return out;
    }

private:
    const proposal_store& m_store;
}; // class proposals_collection

// Tiles ask for proposals on every request, so the layer keeps every proposal in memory, in Web
// Mercator, and asks the store again only when this process wrote or, for writes by other
// processes on the same store, when the copy is older than `recheck`. A proposal is a few hundred
// vertices and planners draw hundreds, not millions: a list and a box test beat an R-tree here.
// `recheck` is half of the promise that another process's write is in this one's tiles within a
// second (README "Deployment", tests/deploy): a copy read just before the write is served that
// long, and the rest is left for reading the store and drawing on a busy machine. The cost is one
// read of every proposal per half second while tiles are asked for.
class proposals_tile_layer : public tiles::dynamic_layer {
public:
    static constexpr std::chrono::milliseconds recheck{500};

    explicit proposals_tile_layer(const proposal_store& store) : m_store{store} {}

    std::string name() const override { return layer_name; }
    std::string description() const override { return "Proposals (renewal proposals drawn by planners)"; }
    std::vector<std::pair<std::string, std::string>> fields() const override {
        return {{"name", "String"}, {"author", "String"}, {"status", "String"}, {"created", "String"}, {"updated", "String"}};
    }

    std::uint64_t version() const override { return current()->version; }

    std::string render(const tiles::tile_id& tile, int extent, int buffer) const override {
        const auto snap = current();
        const geometry::box bounds = tiles::mercator_bounds(tile);
        const double pad = (bounds.max_x - bounds.min_x) * buffer / extent;
        const geometry::box buffered{bounds.min_x - pad, bounds.min_y - pad, bounds.max_x + pad, bounds.max_y + pad};
        const tiles::tile_transform to_tile{tile, static_cast<std::uint32_t>(extent)};
        tiles::tile_builder builder;
        std::optional<tiles::layer_builder> layer;
        for (const auto& m : snap->items) {
            if (!m.bounds.intersects(buffered)) continue;
            const auto clipped = tiles::clip(m.mercator, buffered);
            if (clipped.empty()) continue;
            const auto& p = m.stored;
            const std::vector<std::pair<std::string, value>> props{
                {"name", p.name}, {"author", p.author}, {"status", p.status}, {"created", p.created}, {"updated", p.updated}};
            if (!layer) layer.emplace(builder, layer_name, static_cast<std::uint32_t>(extent));
            tiles::add_feature(*layer, static_cast<std::uint64_t>(p.id), tiles::snap_valid_in_tile(to_tile.apply(clipped)), props);
        }
        return layer ? builder.serialize() : std::string{};
    }

private:
    struct in_mercator {
        proposal stored;
        geometry::geometry mercator;
        geometry::box bounds;
    };
    struct snapshot {
        std::uint64_t version = 0;
        std::uint64_t store_writes = 0;
        std::chrono::steady_clock::time_point read_at;
        std::vector<in_mercator> items;
    };

    static bool same(const proposal& a, const proposal& b) {
        return a.id == b.id && a.name == b.name && a.author == b.author && a.status == b.status &&
               a.updated == b.updated && a.created == b.created && a.lonlat.parts == b.lonlat.parts;
    }

    std::shared_ptr<const snapshot> current() const {
        std::lock_guard lock{m_mutex};
        const auto now = std::chrono::steady_clock::now();
        const auto writes = m_store.writes();
        if (m_snapshot && m_snapshot->store_writes == writes && now - m_snapshot->read_at < recheck) return m_snapshot;
        auto next = std::make_shared<snapshot>();
        next->store_writes = writes;
        next->read_at = now;
        for (auto& p : m_store.list(std::numeric_limits<std::size_t>::max(), 0).items) {
            geometry::geometry mercator = p.lonlat;
            for (auto& part : mercator.parts)
                for (auto& ring : part)
                    for (auto& v : ring) v = geometry::web_mercator::from_lonlat(v);
            const auto bounds = mercator.bounds();
            next->items.push_back({std::move(p), std::move(mercator), bounds});
        }
        const bool changed = !m_snapshot || m_snapshot->items.size() != next->items.size() ||
                             !std::equal(next->items.begin(), next->items.end(), m_snapshot->items.begin(),
                                         [](const in_mercator& a, const in_mercator& b) { return same(a.stored, b.stored); });
        next->version = !m_snapshot ? 1 : m_snapshot->version + (changed ? 1 : 0);
        m_snapshot = std::move(next);
        return m_snapshot;
    }

    const proposal_store& m_store;
    mutable std::mutex m_mutex;
    mutable std::shared_ptr<const snapshot> m_snapshot;
}; // class proposals_tile_layer

} // namespace

view_set views(const proposal_store& store) {
    return {{std::make_shared<proposals_collection>(store)}, {std::make_shared<proposals_tile_layer>(store)}};
}

} // namespace kvarter::proposals
