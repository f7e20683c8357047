// Glyph PBFs for MapLibre from the system's DejaVu fonts (fonts-dejavu-core): the wire format,
// metrics, the distance field, font names and fallbacks, errors, threads, and the HTTP routes.

#include "core/error.hpp"
#include "fonts/fonts_api.hpp"
#include "fonts/glyphs.hpp"
#include "http/router.hpp"

#include <nlohmann/json.hpp>
#include <protozero/pbf_message.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <latch>
#include <map>
#include <random>
#include <thread>

using namespace kvarter;
using namespace kvarter::fonts;

namespace {

struct glyph {
    std::uint32_t id = 0;
    std::string bitmap;
    std::uint32_t width = 0, height = 0, advance = 0;
    std::int32_t left = 0, top = 0;
    bool has_bitmap = false;

    int at(std::uint32_t x, std::uint32_t y) const {
        return static_cast<unsigned char>(bitmap.at(y * (width + 2 * glyph_buffer_px) + x));
    }
    std::uint32_t buffered_width() const { return width + 2 * glyph_buffer_px; }
    std::uint32_t buffered_height() const { return height + 2 * glyph_buffer_px; }
};

struct decoded {
    int stacks = 0;
    std::string name, range;
    std::map<std::uint32_t, glyph> glyphs;
};

decoded decode(const std::string& pbf) {
    decoded out;
    protozero::pbf_message<glyphs_tag> root{pbf};
    while (root.next(glyphs_tag::stacks)) {
        ++out.stacks;
        protozero::pbf_message<fontstack_tag> fs{root.get_message()};
        while (fs.next()) {
            switch (fs.tag()) {
            case fontstack_tag::name: out.name = fs.get_string(); break;
            case fontstack_tag::range: out.range = fs.get_string(); break;
            case fontstack_tag::glyphs: {
                glyph g;
                protozero::pbf_message<glyph_tag> m{fs.get_message()};
                while (m.next()) {
                    switch (m.tag()) {
                    case glyph_tag::id: g.id = m.get_uint32(); break;
                    case glyph_tag::bitmap:
                        g.bitmap = m.get_bytes();
                        g.has_bitmap = true;
                        break;
                    case glyph_tag::width: g.width = m.get_uint32(); break;
                    case glyph_tag::height: g.height = m.get_uint32(); break;
                    case glyph_tag::left: g.left = m.get_sint32(); break;
                    case glyph_tag::top: g.top = m.get_sint32(); break;
                    case glyph_tag::advance: g.advance = m.get_uint32(); break;
                    default: ADD_FAILURE() << "unknown glyph field"; m.skip();
                    }
                }
                EXPECT_FALSE(out.glyphs.contains(g.id)) << "glyph " << g.id << " twice";
                out.glyphs[g.id] = g;
                break;
            }
            default: ADD_FAILURE() << "unknown fontstack field"; fs.skip();
            }
        }
    }
    return out;
}

// One server for the tests that do not time or race it.
const glyph_server& server() {
    static const glyph_server s;
    return s;
}

bool same(const glyph& a, const glyph& b) {
    return a.id == b.id && a.bitmap == b.bitmap && a.width == b.width && a.height == b.height && a.left == b.left &&
           a.top == b.top && a.advance == b.advance;
}

} // namespace

TEST(glyphs, the_dejavu_fonts_are_found_by_family_and_style) {
    const auto names = server().font_names();
    ASSERT_TRUE(std::is_sorted(names.begin(), names.end()));
    for (const char* want : {"DejaVu Sans Book", "DejaVu Sans Bold"})
        ASSERT_NE(std::find(names.begin(), names.end(), want), names.end())
            << want << " is missing: install fonts-dejavu-core (scripts/setup does)";
    const auto* book = server().resolve("DejaVu Sans Book");
    ASSERT_NE(book, nullptr);
    EXPECT_EQ(book->family, "DejaVu Sans");
    EXPECT_EQ(book->style, "Book");
    EXPECT_EQ(book->file.filename(), "DejaVuSans.ttf");
    EXPECT_GT(book->ascender_px, 18);
    EXPECT_LT(book->ascender_px, 26);
}

TEST(glyphs, a_range_decodes_with_fontniks_sizes_and_metrics) {
    const auto d = decode(server().glyphs("DejaVu Sans Book", "0-255"));
    EXPECT_EQ(d.stacks, 1);
    EXPECT_EQ(d.name, "DejaVu Sans Book");
    EXPECT_EQ(d.range, "0-255");
    EXPECT_GT(d.glyphs.size(), 180u);
    for (const auto& [id, g] : d.glyphs) {
        EXPECT_LE(id, 255u);
        if (g.width > 0) {
            EXPECT_TRUE(g.has_bitmap);
            EXPECT_EQ(g.bitmap.size(), std::size_t{g.buffered_width()} * g.buffered_height()) << "glyph " << id;
        } else {
            EXPECT_FALSE(g.has_bitmap) << "glyph " << id;
        }
    }

    ASSERT_TRUE(d.glyphs.contains(65));
    const auto& a = d.glyphs.at(65);
    EXPECT_GT(a.width, 10u);
    EXPECT_GT(a.height, 14u);
    EXPECT_EQ(a.bitmap.size(), std::size_t{a.width + 6} * (a.height + 6));
    // Metrics relative to fontnik's origin: the ascender above the baseline, so a capital's top
    // (≈ 18 px up at 24 px) sits a few pixels below it, and its foot `height` below that.
    const auto* book = server().resolve("DejaVu Sans Book");
    EXPECT_EQ(a.top, 18 - book->ascender_px);
    EXPECT_EQ(a.top - static_cast<std::int32_t>(a.height), -book->ascender_px); // foot on the baseline
    EXPECT_GE(a.left, -1);
    EXPECT_LE(a.left, 1);
    EXPECT_EQ(a.advance, 16u); // 1401/2048 em at 24 px

    // Lower case sits lower; a descender goes below the baseline.
    EXPECT_LT(d.glyphs.at('x').top, a.top);
    EXPECT_LT(d.glyphs.at('p').top - static_cast<std::int32_t>(d.glyphs.at('p').height), -book->ascender_px);

    ASSERT_TRUE(d.glyphs.contains(32));
    const auto& space = d.glyphs.at(32);
    EXPECT_GT(space.advance, 0u);
    EXPECT_EQ(space.width, 0u);
    EXPECT_EQ(space.height, 0u);
}

TEST(glyphs, the_distance_field_is_high_inside_strokes_and_low_far_out) {
    const auto d = decode(server().glyphs("DejaVu Sans Book", "0-255"));
    for (const std::uint32_t id : {'I', '|', 'A', 'W', '.'}) {
        const auto& g = d.glyphs.at(id);
        const auto w = g.buffered_width(), h = g.buffered_height();
        EXPECT_LT(g.at(0, 0), 64) << char(id);
        EXPECT_LT(g.at(w - 1, 0), 64) << char(id);
        EXPECT_LT(g.at(0, h - 1), 64) << char(id);
        EXPECT_LT(g.at(w - 1, h - 1), 64) << char(id);
    }
    for (const std::uint32_t id : {'I', '|', 'l'}) {
        const auto& g = d.glyphs.at(id);
        // The middle of the stroke: the row halfway down, the column with the most ink.
        const auto y = g.buffered_height() / 2;
        int best = 0;
        for (std::uint32_t x = 0; x < g.buffered_width(); ++x) best = std::max(best, g.at(x, y));
        EXPECT_GE(best, 192) << char(id);
        EXPECT_GE(g.at(g.buffered_width() / 2, y), 192) << char(id); // a stem glyph centres its stem
        // Leaving the stem sideways, the field falls through the outline level (≈ 191).
        EXPECT_LT(g.at(0, y), 120) << char(id);
    }
    // 'O' is empty in the middle: low there, higher on its ring.
    const auto& o = d.glyphs.at('O');
    EXPECT_LT(o.at(o.buffered_width() / 2, o.buffered_height() / 2), 150);
    EXPECT_GE(o.at(glyph_buffer_px + 1, o.buffered_height() / 2), 192);
}

TEST(glyphs, sdf_of_a_square_matches_exact_distances) {
    // A solid 8 × 8 square in a 12 × 12 bitmap: distances from pixel centres to pixel centres of
    // the other kind, as the transform defines them, checked against brute force.
    const int w = 12, h = 12, buffer = 3;
    std::vector<std::uint8_t> cov(w * h, 0);
    for (int y = 2; y < 10; ++y)
        for (int x = 2; x < 10; ++x) cov[y * w + x] = 255;
    const auto sdf = signed_distance_field(cov, w, h, buffer, 8, 0.25);
    const int bw = w + 2 * buffer, bh = h + 2 * buffer;
    ASSERT_EQ(sdf.size(), std::size_t(bw * bh));
    for (int y = 0; y < bh; ++y) {
        for (int x = 0; x < bw; ++x) {
            const int cx = x - buffer, cy = y - buffer;
            const bool ink = cx >= 2 && cx < 10 && cy >= 2 && cy < 10;
            double nearest = 1e9;
            for (int py = -buffer; py < h + buffer; ++py)
                for (int px = -buffer; px < w + buffer; ++px) {
                    const bool other_ink = px >= 2 && px < 10 && py >= 2 && py < 10;
                    if (other_ink != ink) nearest = std::min(nearest, std::hypot(px - cx, py - cy));
                }
            const double d = ink ? -nearest : nearest;
            const double want = std::clamp(std::round(255 - 255 * (d / 8 + 0.25)), 0.0, 255.0);
            EXPECT_NEAR(sdf[y * bw + x], want, 1) << x << "," << y;
        }
    }
}

TEST(glyphs, sdf_matches_brute_force_on_random_bitmaps) {
    std::mt19937 rng{42};
    for (int round = 0; round < 20; ++round) {
        const int w = 1 + int(rng() % 20), h = 1 + int(rng() % 20);
        std::vector<std::uint8_t> cov(w * h);
        for (auto& c : cov) c = rng() % 3 == 0 ? 255 : 0;
        const auto sdf = signed_distance_field(cov, w, h, 3, 8, 0.25);
        const int bw = w + 6, bh = h + 6;
        const auto ink = [&](int x, int y) { return x >= 0 && y >= 0 && x < w && y < h && cov[y * w + x] == 255; };
        for (int y = 0; y < bh; ++y)
            for (int x = 0; x < bw; ++x) {
                const bool in = ink(x - 3, y - 3);
                double nearest = 1e10; // none of the other kind: far beyond the radius
                for (int py = 0; py < bh; ++py)
                    for (int px = 0; px < bw; ++px)
                        if (ink(px - 3, py - 3) != in) nearest = std::min(nearest, std::hypot(px - x, py - y));
                const double d = in ? -nearest : nearest;
                const double want = std::clamp(std::round(255 - 255 * (d / 8 + 0.25)), 0.0, 255.0);
                ASSERT_NEAR(sdf[y * bw + x], want, 1) << "round " << round << " at " << x << "," << y;
            }
    }
}

TEST(glyphs, ranges_are_checked) {
    EXPECT_EQ(parse_range("0-255"), 0u);
    EXPECT_EQ(parse_range("256-511"), 256u);
    EXPECT_EQ(parse_range("65280-65535"), 65280u);
    for (const char* bad : {"", "0", "0-", "-255", "0-254", "0-256", "1-256", "256-255", "65536-65791", "0-255x",
                            "x0-255", "00-255", "0-0255", "+0-255", " 0-255", "0--255", "0_255", "512-511",
                            "99999999999-100000000254"}) {
        try {
            server().glyphs("DejaVu Sans Book", bad);
            ADD_FAILURE() << "\"" << bad << "\" was accepted";
        } catch (const bad_request& e) {
            EXPECT_EQ(e.parameter(), "range") << bad;
        }
    }
    const auto d = decode(server().glyphs("DejaVu Sans Book", "65280-65535"));
    EXPECT_EQ(d.range, "65280-65535");
    for (const auto& [id, g] : d.glyphs) {
        EXPECT_GE(id, 65280u);
        EXPECT_LE(id, 65535u);
    }
    // A range the font has nothing in is a valid, empty answer.
    const auto empty = decode(server().glyphs("DejaVu Sans Book", "57344-57599"));
    EXPECT_EQ(empty.range, "57344-57599");
}

TEST(glyphs, names_styles_ask_for_fall_back_to_dejavu) {
    const auto& s = server();
    const auto name_of = [&](const char* n) {
        const auto* f = s.resolve(n);
        return f ? f->name : std::string{"(none)"};
    };
    EXPECT_EQ(name_of("Open Sans Regular"), "DejaVu Sans Book");
    EXPECT_EQ(name_of("Noto Sans Regular"), "DejaVu Sans Book");
    EXPECT_EQ(name_of("Noto Sans Bold"), "DejaVu Sans Bold");
    EXPECT_EQ(name_of("Open Sans Semibold"), "DejaVu Sans Bold");
    EXPECT_EQ(name_of("Open Sans Italic"), "DejaVu Sans Oblique");
    EXPECT_EQ(name_of("Roboto Bold Italic"), "DejaVu Sans Bold Oblique");
    EXPECT_EQ(name_of("Arial Unicode MS Regular"), "DejaVu Sans Book");
    EXPECT_EQ(name_of("Noto Serif Regular"), "DejaVu Serif Book");
    EXPECT_EQ(name_of("Roboto Mono Regular"), "DejaVu Sans Mono Book");
    EXPECT_EQ(name_of("DejaVu Sans Regular"), "DejaVu Sans Book");
    EXPECT_EQ(name_of("dejavu sans bold"), "DejaVu Sans Bold");
    EXPECT_EQ(name_of("  DejaVu Sans Bold "), "DejaVu Sans Bold");
    EXPECT_EQ(name_of("Comic Nonexistent Regular"), "(none)");
    EXPECT_EQ(name_of("Regular"), "(none)");

    // The fallback's glyphs are the stand-in's, byte for byte.
    const auto open = decode(s.glyphs("Open Sans Regular", "0-255"));
    const auto book = decode(s.glyphs("DejaVu Sans Book", "0-255"));
    EXPECT_EQ(open.name, "Open Sans Regular");
    ASSERT_EQ(open.glyphs.size(), book.glyphs.size());
    for (const auto& [id, g] : book.glyphs) EXPECT_TRUE(same(open.glyphs.at(id), g)) << id;
}

TEST(glyphs, unknown_fonts_are_not_found) {
    EXPECT_THROW(server().glyphs("Comic Nonexistent Regular", "0-255"), not_found);
    EXPECT_THROW(server().glyphs("", "0-255"), not_found);
    EXPECT_THROW(server().glyphs(" , ,", "0-255"), not_found);
    // An unknown name beside a known one is skipped.
    const auto d = decode(server().glyphs("Comic Nonexistent Regular,DejaVu Sans Bold", "0-255"));
    EXPECT_TRUE(d.glyphs.contains('A'));
}

TEST(glyphs, a_fontstack_takes_each_glyph_from_the_first_font_that_has_it) {
    const auto& s = server();
    // DejaVu Sans Mono lacks Arabic letters DejaVu Sans has (U+0600 block).
    const auto mono = decode(s.glyphs("DejaVu Sans Mono Book", "1536-1791"));
    const auto sans = decode(s.glyphs("DejaVu Sans Book", "1536-1791"));
    const auto both = decode(s.glyphs("DejaVu Sans Mono Book, DejaVu Sans Book", "1536-1791"));
    EXPECT_EQ(both.name, "DejaVu Sans Mono Book,DejaVu Sans Book");
    ASSERT_GT(sans.glyphs.size(), mono.glyphs.size());
    std::size_t from_sans = 0;
    for (const auto& [id, g] : both.glyphs) {
        if (mono.glyphs.contains(id)) {
            EXPECT_TRUE(same(g, mono.glyphs.at(id))) << id;
        } else {
            ASSERT_TRUE(sans.glyphs.contains(id)) << id;
            EXPECT_TRUE(same(g, sans.glyphs.at(id))) << id;
            ++from_sans;
        }
    }
    EXPECT_GT(from_sans, 0u);
    for (const auto& [id, g] : sans.glyphs) EXPECT_TRUE(both.glyphs.contains(id)) << id;

    // Order matters: bold first gives bold letters.
    const auto bold_first = decode(s.glyphs("DejaVu Sans Bold,DejaVu Sans Book", "0-255"));
    const auto bold = decode(s.glyphs("DejaVu Sans Bold", "0-255"));
    EXPECT_TRUE(same(bold_first.glyphs.at('A'), bold.glyphs.at('A')));
    EXPECT_FALSE(same(bold.glyphs.at('A'), decode(s.glyphs("DejaVu Sans Book", "0-255")).glyphs.at('A')));
}

TEST(glyphs, two_threads_making_one_range_get_the_same_bytes) {
    const glyph_server s;
    std::latch go{2};
    std::string a, b;
    std::thread t1{[&] {
        go.arrive_and_wait();
        a = s.glyphs("DejaVu Sans Book,DejaVu Sans Bold", "0-255");
    }};
    std::thread t2{[&] {
        go.arrive_and_wait();
        b = s.glyphs("DejaVu Sans Book,DejaVu Sans Bold", "0-255");
    }};
    t1.join();
    t2.join();
    ASSERT_FALSE(a.empty());
    EXPECT_EQ(a, b);
    EXPECT_EQ(s.cached_ranges(), 2u); // made once per font, not per thread

    // And the same bytes as a server that made it alone.
    const glyph_server fresh;
    EXPECT_EQ(fresh.glyphs("DejaVu Sans Book,DejaVu Sans Bold", "0-255"), a);
}

TEST(glyphs, many_threads_on_many_ranges_agree_with_one_thread) {
    const glyph_server shared;
    const std::vector<std::string> ranges{"0-255", "256-511", "768-1023", "1024-1279", "8192-8447"};
    std::vector<std::string> alone;
    {
        const glyph_server single;
        for (const auto& r : ranges) alone.push_back(single.glyphs("DejaVu Sans Bold,DejaVu Serif Book", r));
    }
    std::vector<std::thread> threads;
    std::vector<std::vector<std::string>> got(6, std::vector<std::string>(ranges.size()));
    for (std::size_t t = 0; t < got.size(); ++t)
        threads.emplace_back([&, t] {
            for (std::size_t i = 0; i < ranges.size(); ++i) {
                const auto k = (i + t) % ranges.size();
                got[t][k] = shared.glyphs("DejaVu Sans Bold,DejaVu Serif Book", ranges[k]);
            }
        });
    for (auto& t : threads) t.join();
    for (const auto& g : got) EXPECT_EQ(g, alone);
}

// Speed belongs in a benchmark, not here: this checks only that a second ask answers the same bytes.
TEST(glyphs, a_range_asked_twice_is_the_same_bytes) {
    const glyph_server s;
    const auto first = s.glyphs("DejaVu Sans Book", "0-255");
    EXPECT_FALSE(first.empty());
    EXPECT_EQ(first, s.glyphs("DejaVu Sans Book", "0-255"));
}

TEST(fonts_api, routes_serve_glyphs_and_the_font_list) {
    const http::router r{routes(server())};
    const auto get = [&](const std::string& target) {
        http::request req;
        req.target = target;
        http::parse_target(req);
        return r.handle(req);
    };
    const auto pbf = get("/fonts/Open%20Sans%20Regular,DejaVu%20Sans%20Bold/0-255.pbf");
    ASSERT_EQ(pbf.status, 200u) << pbf.body;
    EXPECT_EQ(pbf.content_type, "application/x-protobuf");
    ASSERT_NE(pbf.find_header("Cache-Control"), nullptr);
    EXPECT_EQ(*pbf.find_header("Cache-Control"), "public, max-age=86400");
    const auto d = decode(pbf.body);
    EXPECT_EQ(d.name, "Open Sans Regular,DejaVu Sans Bold");
    EXPECT_EQ(d.range, "0-255");
    EXPECT_TRUE(d.glyphs.contains('A'));

    const auto bad = get("/fonts/DejaVu%20Sans%20Book/0-99.pbf");
    EXPECT_EQ(bad.status, 400u);
    EXPECT_NE(bad.body.find("range"), std::string::npos);
    EXPECT_EQ(get("/fonts/Nope%20Sans/0-255.pbf").status, 404u);

    const auto list = get("/fonts");
    ASSERT_EQ(list.status, 200u);
    const auto names = nlohmann::json::parse(list.body);
    ASSERT_TRUE(names.is_array());
    EXPECT_NE(std::find(names.begin(), names.end(), "DejaVu Sans Book"), names.end());
}
