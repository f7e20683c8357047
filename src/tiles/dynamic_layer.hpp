#pragma once
// A tile layer whose features live outside the immutable catalog (the planners' proposals). Its
// part of a tile is appended to the cached catalog tile: an MVT tile is a list of layers, and two
// encoded tiles written one after the other are one tile holding both lists (protobuf repeated
// fields concatenate). The finished tile is cached under the layer's version, so a change of the
// layer is never served stale and an unchanged layer costs no work per request.

#include "tiles/tile_math.hpp"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace kvarter::tiles {

class dynamic_layer {
public:
    virtual ~dynamic_layer() = default;

    virtual std::string name() const = 0;
    virtual std::string description() const = 0;
    // Property name and TileJSON type ("String", "Number", "Boolean"), for vector_layers.
    virtual std::vector<std::pair<std::string, std::string>> fields() const = 0;
    // A tile holding only this layer, cut with the tileset's extent and buffer; empty when
    // nothing falls in the tile.
    virtual std::string render(const tile_id& tile, int extent, int buffer) const = 0;
    // Changes whenever render() may answer differently; never goes back.
    virtual std::uint64_t version() const = 0;
}; // class dynamic_layer

} // namespace kvarter::tiles
