#pragma once
// Glyph ranges for MapLibre GL text labels, made here from the system's fonts: no CDN, no
// prebuilt PBFs. A style's "glyphs": ".../fonts/{fontstack}/{range}.pbf" asks for 256 code points
// of a comma-separated font list at a time; the answer is glyphs.proto with a signed distance
// field per glyph, made with the parameters MapLibre assumes (node-fontnik's): 24 px em, 3 px
// buffer, radius 8, cutoff 0.25.
//
// Metrics follow node-fontnik (sdf-glyph-foundry's RenderSDF + fontnik's `top - ascender`):
//   left    = FreeType bitmap_left
//   top     = FreeType bitmap_top - ascender, where ascender is FreeType's 24 px size ascender
//             in whole pixels (size->metrics.ascender / 64; 23 for DejaVu Sans); MapLibre's
//             shaping expects this origin above the em box, not the baseline.
//   advance = horizontal advance rounded to whole pixels (unhinted outline, FT_LOAD_NO_HINTING).
// A glyph without ink (the space) has width = height = 0, no bitmap, and its advance.
//
// Font names are FreeType's "family style" ("DejaVu Sans Book", "DejaVu Sans Bold"), read from
// every .ttf/.otf/.ttc/.otc under the font folders. A name no file has is looked up as
// "<family> <style words>": a known family with another spelling of the style ("DejaVu Sans
// Regular" → Book, "… Italic" → Oblique), or a family common in MapLibre styles (Open Sans,
// Noto Sans, Roboto, Arial Unicode MS, …; see alias_families in glyphs.cpp) that stands in for
// DejaVu Sans (Serif, Sans Mono for serif and monospace families) of the same weight (bold or
// not) and slant, finally DejaVu Sans Book.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <protozero/types.hpp>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace kvarter::fonts {

inline constexpr int glyph_em_px = 24; // rendering size, px per em
inline constexpr int glyph_buffer_px = 3; // SDF border around each glyph bitmap
inline constexpr double sdf_radius_px = 8; // distance that spans the whole 0–255 scale
inline constexpr double sdf_cutoff = 0.25; // the outline sits at 255 * (1 - cutoff) ≈ 191
inline constexpr std::uint32_t range_size = 256;

// glyphs.proto, as MapLibre GL and node-fontnik use it.
enum class glyphs_tag : protozero::pbf_tag_type { stacks = 1 };
enum class fontstack_tag : protozero::pbf_tag_type { name = 1, range = 2, glyphs = 3 };
enum class glyph_tag : protozero::pbf_tag_type { id = 1, bitmap = 2, width = 3, height = 4, left = 5, top = 6, advance = 7 };

// The first code point of a range written "N-M", M = N + 255, N a multiple of 256, M ≤ 65535,
// plain decimal. Anything else throws bad_request{"range", …}.
std::uint32_t parse_range(std::string_view range);

// The 8-bit signed distance field of a coverage bitmap (0 = empty, 255 = ink, row-major,
// width × height), with `buffer` pixels added on each side: (width + 2 buffer) × (height + 2
// buffer) values, 255 - 255 * (d / radius + cutoff) clamped, where d is the distance from the
// pixel's centre to the outline, negative inside; so inside is high and the outline ≈ 191.
// Distances come from a Euclidean distance transform (Felzenszwalb & Huttenlocher) of the ink
// and of the background, partly covered pixels placing the outline within the pixel.
std::vector<std::uint8_t> signed_distance_field(std::span<const std::uint8_t> coverage, int width, int height,
                                                int buffer = glyph_buffer_px, double radius = sdf_radius_px,
                                                double cutoff = sdf_cutoff);

struct font_face {
    std::string name; // "family style", the name styles use
    std::string family;
    std::string style;
    std::filesystem::path file;
    long face_index = 0; // within a collection
    int ascender_px = 0; // at glyph_em_px
};

// /usr/share/fonts/truetype and /usr/share/fonts/opentype (Debian's places for font packages).
std::vector<std::filesystem::path> default_font_dirs();

// Finds the fonts once, makes ranges on demand and keeps them. Thread-safe: requests on any
// number of threads; a range asked for twice at once is made once. Made ranges are kept per
// font and range (at most every glyph of every font), and a fontstack's answer is put together
// from them, so any mix of fonts costs nothing more.
class glyph_server {
public:
    // Scans the folders (recursively; missing ones are skipped) or font files given.
    explicit glyph_server(const std::vector<std::filesystem::path>& font_dirs = default_font_dirs());
    ~glyph_server();
    glyph_server(const glyph_server&) = delete;
    glyph_server& operator=(const glyph_server&) = delete;

    // The fonts found, sorted by name; one per name (the first file in path order).
    const std::vector<font_face>& fonts() const noexcept;
    std::vector<std::string> font_names() const;

    // The font a style's name stands for, after the fallbacks above; null when none.
    const font_face* resolve(std::string_view name) const;

    // The glyph PBF of one range of a fontstack ("Noto Sans Regular,DejaVu Sans Bold"): each code
    // point from the first font in the list that has it. Names that resolve to nothing are
    // skipped; when none resolves, throws not_found. A bad range throws bad_request{"range"}.
    std::string glyphs(std::string_view fontstack, std::string_view range) const;

    // Ranges made so far (font × range), for tests and metrics.
    std::size_t cached_ranges() const;

private:
    struct impl;
    std::unique_ptr<impl> m_impl;
};

} // namespace kvarter::fonts
