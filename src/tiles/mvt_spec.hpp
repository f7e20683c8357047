#pragma once
// The wire vocabulary of Mapbox Vector Tile 2.1 (vector_tile.proto and spec section 4),
// shared by the encoder and by tests that decode its output, so no bare tag number appears twice.

#include "core/error.hpp"

#include <cstdint>
#include <protozero/types.hpp>

namespace kvarter::tiles {

// Input the encoder cannot turn into a valid tile; the message cites the spec section it breaks.
class format_error : public error {
public:
    using error::error;
};

inline constexpr std::uint32_t mvt_version = 2;
// The media type tiles are served and listed under.
inline constexpr const char* mvt_media_type = "application/vnd.mapbox-vector-tile";

enum class tile_tag : protozero::pbf_tag_type { layers = 3 };

enum class layer_tag : protozero::pbf_tag_type { name = 1, features = 2, keys = 3, values = 4, extent = 5, version = 15 };

enum class feature_tag : protozero::pbf_tag_type { id = 1, tags = 2, type = 3, geometry = 4 };

enum class value_tag : protozero::pbf_tag_type {
    string_value = 1,
    float_value = 2,
    double_value = 3,
    int_value = 4,
    uint_value = 5,
    sint_value = 6,
    bool_value = 7
};

enum class geom_type : std::int32_t { unknown = 0, point = 1, linestring = 2, polygon = 3 };

enum class command_id : std::uint32_t { move_to = 1, line_to = 2, close_path = 7 };

// Spec 4.3.1: the count has the 29 bits above the 3-bit id.
inline constexpr std::uint32_t max_command_count = (std::uint32_t{1} << 29) - 1;

constexpr std::uint32_t command_integer(command_id id, std::uint32_t count) noexcept {
    return (count << 3) | (static_cast<std::uint32_t>(id) & 0x7);
}

} // namespace kvarter::tiles
