#pragma once
// Glyphs for MapLibre text labels over HTTP: a style's "glyphs" is
// "<base>/fonts/{fontstack}/{range}.pbf"; GET /fonts lists the font names "text-font" may use.

#include "fonts/glyphs.hpp"
#include "http/router.hpp"

#include <vector>

namespace kvarter::fonts {

std::vector<http::route> routes(const glyph_server& server);

} // namespace kvarter::fonts
