// Cold tile generation inside the process: load a config once, then render every tile of a list
// (lines "z x y") several times with the tile cache out of the way, timing render_tile alone.
// This is the figure comparable to ST_AsMVT timed server-side with clock_timestamp(): no HTTP,
// no transfer, no gzip.
//
//   kvarter_tile_bench CONFIG TILESET LIST RUNS OUT.json
//
// OUT.json: {"tiles": [[z,x,y],...], "runs": [[ms per tile, in list order], ...], "bytes": [...]}

#include "catalog/catalog.hpp"
#include "catalog/loader.hpp"
#include "tiles/tile_renderer.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <fstream>
#include <iostream>

using namespace kvarter;

int main(int argc, char** argv) {
    if (argc != 6) {
        std::cerr << "usage: kvarter_tile_bench CONFIG TILESET LIST RUNS OUT.json\n";
        return 2;
    }
    const auto cat = catalog::load_catalog(catalog::load_config(argv[1]));
    const catalog::tileset* ts = nullptr;
    for (const auto& t : cat->tilesets)
        if (t.name == argv[2]) ts = &t;
    if (!ts) {
        std::cerr << "no tileset " << argv[2] << "\n";
        return 1;
    }
    std::vector<tiles::tile_id> list;
    std::ifstream in{argv[3]};
    for (int z; in >> z;) {
        tiles::tile_id t{z};
        in >> t.x >> t.y;
        list.push_back(t);
    }
    const int runs = std::stoi(argv[4]);
    const int year = tiles::default_year(*cat);
    nlohmann::json out{{"tiles", nlohmann::json::array()}, {"runs", nlohmann::json::array()}, {"bytes", nlohmann::json::array()}};
    for (const auto& t : list) {
        out["tiles"].push_back({t.z, t.x, t.y});
        out["bytes"].push_back(tiles::render_tile(*cat, *ts, t, year).size()); // untimed warm-up pass
    }
    std::size_t sink = 0;
    for (int r = 0; r < runs; ++r) {
        auto ms = nlohmann::json::array();
        for (const auto& t : list) {
            const auto start = std::chrono::steady_clock::now();
            sink += tiles::render_tile(*cat, *ts, t, year).size();
            ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
        }
        out["runs"].push_back(std::move(ms));
    }
    std::ofstream{argv[5]} << out.dump() << "\n";
    std::cerr << "rendered " << list.size() << " tiles " << runs << " times (" << sink << " bytes)\n";
    return 0;
}
