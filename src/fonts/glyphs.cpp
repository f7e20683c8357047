#include "fonts/glyphs.hpp"

#include "core/error.hpp"

#include <ft2build.h>
#include FT_FREETYPE_H

#include <protozero/pbf_builder.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <future>
#include <limits>
#include <map>
#include <mutex>
#include <system_error>
#include <utility>

namespace kvarter::fonts {

namespace {

std::string lower(std::string_view s) {
    std::string out{s};
    for (auto& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

std::string_view trim(std::string_view s) {
    const auto first = s.find_first_not_of(" \t");
    if (first == std::string_view::npos) return {};
    return s.substr(first, s.find_last_not_of(" \t") - first + 1);
}

std::vector<std::string> words(std::string_view s) {
    std::vector<std::string> out;
    std::size_t at = 0;
    while (at < s.size()) {
        const auto start = s.find_first_not_of(' ', at);
        if (start == std::string_view::npos) break;
        const auto end = std::min(s.find(' ', start), s.size());
        out.emplace_back(s.substr(start, end - start));
        at = end;
    }
    return out;
}

// ---- signed distance field -------------------------------------------------------------------

// Larger than any squared distance in a glyph, small enough that differences of it stay finite.
constexpr double far_away = 1e20;

// One line of the Felzenszwalb–Huttenlocher distance transform: every sample i of the line
// becomes min over j of (i - j)² + f(j), the lower envelope of the parabolas rooted at the
// samples. `at(i)` gives the i-th sample of the line inside the grid.
struct line_transform {
    std::vector<double> f; // the line's samples before the transform
    std::vector<int> roots; // samples whose parabolas form the envelope, left to right
    std::vector<double> starts; // where each envelope parabola starts to be the lowest

    explicit line_transform(std::size_t longest) : f(longest), roots(longest), starts(longest + 1) {}

    void run(double* grid, std::size_t first, std::size_t step, int n) {
        for (int i = 0; i < n; ++i) f[static_cast<std::size_t>(i)] = grid[first + static_cast<std::size_t>(i) * step];
        // Where the parabolas rooted at p and q (p < q) cross.
        const auto crossing = [this](int p, int q) {
            const double fp = f[static_cast<std::size_t>(p)], fq = f[static_cast<std::size_t>(q)];
            return ((fq + double(q) * q) - (fp + double(p) * p)) / (2.0 * (q - p));
        };
        int top = 0; // index of the rightmost parabola of the envelope
        roots[0] = 0;
        starts[0] = -std::numeric_limits<double>::infinity();
        starts[1] = std::numeric_limits<double>::infinity();
        for (int q = 1; q < n; ++q) {
            double s = crossing(roots[static_cast<std::size_t>(top)], q);
            // The new parabola hides every envelope parabola whose own start lies right of s.
            while (top > 0 && s <= starts[static_cast<std::size_t>(top)]) {
                --top;
                s = crossing(roots[static_cast<std::size_t>(top)], q);
            }
            ++top;
            roots[static_cast<std::size_t>(top)] = q;
            starts[static_cast<std::size_t>(top)] = s;
            starts[static_cast<std::size_t>(top) + 1] = std::numeric_limits<double>::infinity();
        }
        int k = 0;
        for (int i = 0; i < n; ++i) {
            while (starts[static_cast<std::size_t>(k) + 1] < i) ++k;
            const int r = roots[static_cast<std::size_t>(k)];
            grid[first + static_cast<std::size_t>(i) * step] = double(i - r) * (i - r) + f[static_cast<std::size_t>(r)];
        }
    }
};

// Squared Euclidean distance transform of a w × h grid in place: columns, then rows.
void distance_transform(std::vector<double>& grid, int w, int h, line_transform& line) {
    for (int x = 0; x < w; ++x) line.run(grid.data(), static_cast<std::size_t>(x), static_cast<std::size_t>(w), h);
    for (int y = 0; y < h; ++y) line.run(grid.data(), static_cast<std::size_t>(y) * w, 1, w);
}

// ---- font names ------------------------------------------------------------------------------

// Style words that may end a font name, as styles spell them.
bool is_style_word(const std::string& w) {
    static const std::array<std::string_view, 24> list{
        "thin",  "hairline", "extralight", "ultralight", "light",    "regular",   "book",      "normal",
        "roman", "medium",   "semibold",   "demibold",   "bold",     "extrabold", "ultrabold", "black",
        "heavy", "italic",   "oblique",    "extra",      "semi",     "demi",      "ultra",     "upright"};
    return std::find(list.begin(), list.end(), w) != list.end();
}

bool is_bold_word(const std::string& w) {
    return w == "semibold" || w == "demibold" || w == "bold" || w == "extrabold" || w == "ultrabold" || w == "black" ||
           w == "heavy";
}

enum class kind { sans, serif, mono };

// Families that styles written for hosted glyphs (OpenMapTiles, MapTiler, Mapbox, Protomaps, …)
// ask for, standing in for the DejaVu family of the same kind when the font itself is absent.
const std::map<std::string, kind, std::less<>>& alias_families() {
    static const std::map<std::string, kind, std::less<>> m{
        {"open sans", kind::sans},
        {"noto sans", kind::sans},
        {"klokantech noto sans", kind::sans},
        {"roboto", kind::sans},
        {"arial", kind::sans},
        {"arial unicode ms", kind::sans},
        {"helvetica", kind::sans},
        {"helvetica neue", kind::sans},
        {"metropolis", kind::sans},
        {"lato", kind::sans},
        {"inter", kind::sans},
        {"montserrat", kind::sans},
        {"fira sans", kind::sans},
        {"source sans pro", kind::sans},
        {"pt sans", kind::sans},
        {"ubuntu", kind::sans},
        {"liberation sans", kind::sans},
        {"frutiger neue", kind::sans},
        {"din pro", kind::sans},
        {"din offc pro", kind::sans},
        {"sans", kind::sans},
        {"sans-serif", kind::sans},
        {"noto serif", kind::serif},
        {"pt serif", kind::serif},
        {"source serif pro", kind::serif},
        {"liberation serif", kind::serif},
        {"times new roman", kind::serif},
        {"georgia", kind::serif},
        {"serif", kind::serif},
        {"noto sans mono", kind::mono},
        {"roboto mono", kind::mono},
        {"source code pro", kind::mono},
        {"fira mono", kind::mono},
        {"liberation mono", kind::mono},
        {"courier new", kind::mono},
        {"monospace", kind::mono},
    };
    return m;
}

std::string_view stand_in_family(kind k) {
    switch (k) {
    case kind::serif: return "dejavu serif";
    case kind::mono: return "dejavu sans mono";
    case kind::sans: break;
    }
    return "dejavu sans";
}

// ---- glyph ranges ----------------------------------------------------------------------------

// One font's glyphs of one range: encoded `glyph` messages by code point, in code point order.
struct range_glyphs {
    std::vector<std::pair<std::uint32_t, std::string>> glyphs;
};

struct ft_library {
    FT_Library lib = nullptr;
    ft_library() {
        if (FT_Init_FreeType(&lib)) throw error{"FreeType could not start"};
    }
    ~ft_library() { FT_Done_FreeType(lib); }
    ft_library(const ft_library&) = delete;
    ft_library& operator=(const ft_library&) = delete;
};

// A font, opened with FreeType on first use. A face serves one thread at a time.
struct font_entry {
    font_face info;
    std::mutex mutex;
    FT_Face face = nullptr;
};

// A glyph as FreeType draws it, before the distance field.
struct raster {
    std::vector<std::uint8_t> coverage;
    int width = 0, height = 0, left = 0, top = 0;
    std::uint32_t advance = 0;
};

} // namespace

struct glyph_server::impl {
    ft_library library;
    std::mutex library_mutex; // FT_New_Face and FT_Done_Face change the library
    std::vector<std::unique_ptr<font_entry>> entries; // sorted by name
    std::vector<font_face> infos; // the same, for fonts()
    std::map<std::string, std::size_t, std::less<>> by_name; // lower-case name → entry
    std::map<std::string, std::vector<std::size_t>, std::less<>> by_family; // lower-case family → entries

    mutable std::mutex cache_mutex;
    mutable std::map<std::pair<std::size_t, std::uint32_t>, std::shared_future<std::shared_ptr<const range_glyphs>>> cache;

    void scan(const std::vector<std::filesystem::path>& dirs);
    void add_file(const std::filesystem::path& file, std::vector<font_face>& found);
    std::ptrdiff_t pick(std::string_view family, bool bold, bool italic) const;
    std::ptrdiff_t resolve(std::string_view name) const;
    bool render(font_entry& e, std::uint32_t code_point, raster& out);
    std::shared_ptr<const range_glyphs> make_range(std::size_t font, std::uint32_t start);
    std::shared_ptr<const range_glyphs> range(std::size_t font, std::uint32_t start);

    ~impl() {
        for (auto& e : entries)
            if (e->face) FT_Done_Face(e->face);
    }
};

void glyph_server::impl::add_file(const std::filesystem::path& file, std::vector<font_face>& found) {
    long faces = 1;
    for (long i = 0; i < faces; ++i) {
        FT_Face face = nullptr;
        if (FT_New_Face(library.lib, file.c_str(), i, &face)) return;
        faces = face->num_faces;
        if (FT_IS_SCALABLE(face) && face->family_name && !FT_Set_Pixel_Sizes(face, 0, glyph_em_px)) {
            font_face f;
            f.family = face->family_name;
            f.style = face->style_name ? face->style_name : "";
            f.name = f.style.empty() ? f.family : f.family + " " + f.style;
            f.file = file;
            f.face_index = i;
            f.ascender_px = static_cast<int>(face->size->metrics.ascender / 64);
            found.push_back(std::move(f));
        }
        FT_Done_Face(face);
    }
}

void glyph_server::impl::scan(const std::vector<std::filesystem::path>& dirs) {
    namespace fs = std::filesystem;
    const auto is_font = [](const fs::path& p) {
        const auto ext = lower(p.extension().string());
        return ext == ".ttf" || ext == ".otf" || ext == ".ttc" || ext == ".otc";
    };
    std::vector<fs::path> files;
    for (const auto& dir : dirs) {
        std::error_code ec;
        if (fs::is_regular_file(dir, ec)) {
            files.push_back(dir);
            continue;
        }
        if (!fs::is_directory(dir, ec)) continue;
        for (fs::recursive_directory_iterator it{dir, fs::directory_options::follow_directory_symlink | fs::directory_options::skip_permission_denied, ec}, end;
             !ec && it != end; it.increment(ec)) {
            if (it->is_regular_file(ec) && is_font(it->path())) files.push_back(it->path());
        }
    }
    std::sort(files.begin(), files.end());
    files.erase(std::unique(files.begin(), files.end()), files.end());

    std::vector<font_face> found;
    for (const auto& f : files) add_file(f, found);
    // One font per name: the first in path order.
    std::stable_sort(found.begin(), found.end(), [](const font_face& a, const font_face& b) { return a.name < b.name; });
    for (auto& f : found) {
        const auto key = lower(f.name);
        if (by_name.contains(key)) continue;
        by_name.emplace(key, entries.size());
        by_family[lower(f.family)].push_back(entries.size());
        auto e = std::make_unique<font_entry>();
        e->info = f;
        infos.push_back(std::move(f));
        entries.push_back(std::move(e));
    }
}

// The family's face closest to the weight and slant asked for, or its upright regular one; -1
// when the family is not there.
std::ptrdiff_t glyph_server::impl::pick(std::string_view family, bool bold, bool italic) const {
    const auto it = by_family.find(family);
    if (it == by_family.end()) return -1;
    std::vector<std::string_view> want;
    if (bold && italic) want.insert(want.end(), {"bold oblique", "bold italic"});
    if (bold) want.push_back("bold");
    if (italic) want.insert(want.end(), {"oblique", "italic"});
    want.insert(want.end(), {"book", "regular", "roman", "normal", "medium", ""});
    for (const auto style : want)
        for (const auto i : it->second)
            if (lower(entries[i]->info.style) == style) return static_cast<std::ptrdiff_t>(i);
    return static_cast<std::ptrdiff_t>(it->second.front());
}

std::ptrdiff_t glyph_server::impl::resolve(std::string_view name) const {
    const auto key = lower(trim(name));
    if (key.empty()) return -1;
    if (const auto it = by_name.find(key); it != by_name.end()) return static_cast<std::ptrdiff_t>(it->second);

    // "<family> <style words>"; two-word styles ("Semi Bold") count as their last word.
    auto w = words(key);
    bool bold = false, italic = false;
    while (!w.empty() && is_style_word(w.back())) {
        bold |= is_bold_word(w.back());
        italic |= w.back() == "italic" || w.back() == "oblique";
        w.pop_back();
    }
    if (w.empty()) return -1;
    std::string family;
    for (const auto& word : w) family += (family.empty() ? "" : " ") + word;

    if (const auto i = pick(family, bold, italic); i >= 0) return i;
    const auto alias = alias_families().find(family);
    if (alias == alias_families().end()) return -1;
    if (const auto i = pick(stand_in_family(alias->second), bold, italic); i >= 0) return i;
    return pick("dejavu sans", bold, italic); // its Book when the weight or slant is missing
}

// Loads and draws one code point; false when the font has no glyph for it.
bool glyph_server::impl::render(font_entry& e, std::uint32_t code_point, raster& out) {
    std::lock_guard lock{e.mutex};
    if (!e.face) {
        std::lock_guard lib_lock{library_mutex};
        FT_Face face = nullptr;
        if (FT_New_Face(library.lib, e.info.file.c_str(), e.info.face_index, &face))
            throw io_error{"cannot open font " + e.info.file.string()};
        if (FT_Set_Pixel_Sizes(face, 0, glyph_em_px)) {
            FT_Done_Face(face);
            throw io_error{"cannot size font " + e.info.file.string()};
        }
        e.face = face;
    }
    FT_Face face = e.face;
    const FT_UInt index = FT_Get_Char_Index(face, code_point);
    if (index == 0) return false;
    if (FT_Load_Glyph(face, index, FT_LOAD_NO_HINTING | FT_LOAD_NO_BITMAP)) return false;
    FT_GlyphSlot slot = face->glyph;
    out = raster{};
    out.advance = static_cast<std::uint32_t>(std::max<FT_Pos>(0, (slot->metrics.horiAdvance + 32) / 64));
    if (slot->format != FT_GLYPH_FORMAT_BITMAP && FT_Render_Glyph(slot, FT_RENDER_MODE_NORMAL)) return false;
    const FT_Bitmap& bm = slot->bitmap;
    if (bm.width == 0 || bm.rows == 0) return true; // no ink: the advance is all
    if (bm.pixel_mode != FT_PIXEL_MODE_GRAY && bm.pixel_mode != FT_PIXEL_MODE_MONO) return false;

    out.width = static_cast<int>(bm.width);
    out.height = static_cast<int>(bm.rows);
    out.left = slot->bitmap_left;
    out.top = slot->bitmap_top - e.info.ascender_px;
    out.coverage.resize(static_cast<std::size_t>(out.width) * out.height);
    const int levels = bm.num_grays > 1 ? bm.num_grays - 1 : 255;
    for (int y = 0; y < out.height; ++y) {
        const unsigned char* row = bm.pitch >= 0 ? bm.buffer + static_cast<std::ptrdiff_t>(y) * bm.pitch
                                                 : bm.buffer + static_cast<std::ptrdiff_t>(out.height - 1 - y) * -bm.pitch;
        for (int x = 0; x < out.width; ++x) {
            std::uint8_t v;
            if (bm.pixel_mode == FT_PIXEL_MODE_MONO) v = (row[x / 8] & (0x80 >> (x % 8))) ? 255 : 0;
            else v = static_cast<std::uint8_t>(std::min(255, row[x] * 255 / levels));
            out.coverage[static_cast<std::size_t>(y) * out.width + x] = v;
        }
    }
    return true;
}

std::shared_ptr<const range_glyphs> glyph_server::impl::make_range(std::size_t font, std::uint32_t start) {
    auto result = std::make_shared<range_glyphs>();
    raster r;
    for (std::uint32_t cp = start; cp < start + range_size; ++cp) {
        if (!render(*entries[font], cp, r)) continue;
        std::string bytes;
        {
            protozero::pbf_builder<glyph_tag> g{bytes};
            g.add_uint32(glyph_tag::id, cp);
            if (r.width > 0) {
                const auto sdf = signed_distance_field(r.coverage, r.width, r.height);
                g.add_bytes(glyph_tag::bitmap, reinterpret_cast<const char*>(sdf.data()), sdf.size());
            }
            g.add_uint32(glyph_tag::width, static_cast<std::uint32_t>(r.width));
            g.add_uint32(glyph_tag::height, static_cast<std::uint32_t>(r.height));
            g.add_sint32(glyph_tag::left, r.left);
            g.add_sint32(glyph_tag::top, r.top);
            g.add_uint32(glyph_tag::advance, r.advance);
        }
        result->glyphs.emplace_back(cp, std::move(bytes));
    }
    return result;
}

// The font's range from the cache, made by the first thread that asks; others wait for it.
std::shared_ptr<const range_glyphs> glyph_server::impl::range(std::size_t font, std::uint32_t start) {
    const auto key = std::make_pair(font, start);
    std::promise<std::shared_ptr<const range_glyphs>> promise;
    {
        std::unique_lock lock{cache_mutex};
        const auto [it, inserted] = cache.try_emplace(key);
        if (!inserted) {
            auto pending = it->second;
            lock.unlock();
            return pending.get();
        }
        it->second = promise.get_future().share();
    }
    try {
        auto made = make_range(font, start);
        promise.set_value(made);
        return made;
    } catch (...) {
        {
            std::lock_guard lock{cache_mutex};
            cache.erase(key); // a later request tries again
        }
        promise.set_exception(std::current_exception());
        throw;
    }
}

// ---- public ----------------------------------------------------------------------------------

std::uint32_t parse_range(std::string_view range) {
    const auto fail = [&]() -> std::uint32_t {
        throw bad_request{"range", "range must be N-M with N a multiple of 256 and M = N + 255, at most 65535 (as in "
                                   "0-255, 256-511), got \"" + std::string{range} + "\""};
    };
    const auto dash = range.find('-');
    if (dash == std::string_view::npos) return fail();
    const auto number = [&](std::string_view text, std::uint32_t& v) {
        if (text.empty() || text.size() > 5 || (text.size() > 1 && text[0] == '0')) return false;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
        return ec == std::errc{} && end == text.data() + text.size();
    };
    std::uint32_t first = 0, last = 0;
    if (!number(range.substr(0, dash), first) || !number(range.substr(dash + 1), last)) return fail();
    if (first % range_size != 0 || last != first + range_size - 1 || last > 65535) return fail();
    return first;
}

std::vector<std::uint8_t> signed_distance_field(std::span<const std::uint8_t> coverage, int width, int height,
                                                int buffer, double radius, double cutoff) {
    if (width < 0 || height < 0 || buffer < 0 || coverage.size() < static_cast<std::size_t>(width) * height)
        throw std::invalid_argument{"signed_distance_field: coverage smaller than width × height"};
    const int w = width + 2 * buffer, h = height + 2 * buffer;
    const auto n = static_cast<std::size_t>(w) * h;
    // Squared distances from each pixel centre to the ink and to the background. A pixel fully
    // covered is ink (0 to ink), an empty one background; a partly covered one has the outline
    // (0.5 - coverage) pixels from its centre, on the background side when below half covered.
    std::vector<double> to_ink(n, far_away), to_background(n, 0.0);
    for (int y = 0; y < height; ++y) {
        for (int x = 0; x < width; ++x) {
            const std::uint8_t c = coverage[static_cast<std::size_t>(y) * width + x];
            if (c == 0) continue;
            const auto i = static_cast<std::size_t>(y + buffer) * w + (x + buffer);
            if (c == 255) {
                to_ink[i] = 0;
                to_background[i] = far_away;
            } else {
                const double a = c / 255.0;
                to_ink[i] = a < 0.5 ? (0.5 - a) * (0.5 - a) : 0.0;
                to_background[i] = a > 0.5 ? (a - 0.5) * (a - 0.5) : 0.0;
            }
        }
    }
    line_transform line{static_cast<std::size_t>(std::max(w, h))};
    distance_transform(to_ink, w, h, line);
    distance_transform(to_background, w, h, line);

    std::vector<std::uint8_t> out(n);
    for (std::size_t i = 0; i < n; ++i) {
        const double d = std::sqrt(to_ink[i]) - std::sqrt(to_background[i]); // > 0 outside
        const double v = std::round(255.0 - 255.0 * (d / radius + cutoff));
        out[i] = static_cast<std::uint8_t>(std::clamp(v, 0.0, 255.0));
    }
    return out;
}

std::vector<std::filesystem::path> default_font_dirs() {
    return {"/usr/share/fonts/truetype", "/usr/share/fonts/opentype"};
}

glyph_server::glyph_server(const std::vector<std::filesystem::path>& font_dirs) : m_impl{std::make_unique<impl>()} {
    m_impl->scan(font_dirs);
}

glyph_server::~glyph_server() = default;

const std::vector<font_face>& glyph_server::fonts() const noexcept { return m_impl->infos; }

std::vector<std::string> glyph_server::font_names() const {
    std::vector<std::string> out;
    out.reserve(m_impl->infos.size());
    for (const auto& f : m_impl->infos) out.push_back(f.name);
    return out;
}

const font_face* glyph_server::resolve(std::string_view name) const {
    const auto i = m_impl->resolve(name);
    return i < 0 ? nullptr : &m_impl->infos[static_cast<std::size_t>(i)];
}

std::string glyph_server::glyphs(std::string_view fontstack, std::string_view range) const {
    const std::uint32_t start = parse_range(range);

    std::vector<std::size_t> stack;
    std::string names;
    std::size_t at = 0;
    while (at <= fontstack.size()) {
        const auto comma = std::min(fontstack.find(',', at), fontstack.size());
        const auto name = trim(fontstack.substr(at, comma - at));
        at = comma + 1;
        if (name.empty()) continue;
        names += (names.empty() ? "" : ",") + std::string{name};
        const auto i = m_impl->resolve(name);
        if (i >= 0 && std::find(stack.begin(), stack.end(), static_cast<std::size_t>(i)) == stack.end())
            stack.push_back(static_cast<std::size_t>(i));
    }
    if (stack.empty())
        throw not_found{"no font \"" + std::string{fontstack} + "\"; GET /fonts lists the fonts there are"};

    std::vector<std::shared_ptr<const range_glyphs>> parts;
    parts.reserve(stack.size());
    for (const auto font : stack) parts.push_back(m_impl->range(font, start));
    std::array<const std::string*, range_size> chosen{};
    for (const auto& part : parts)
        for (const auto& [cp, bytes] : part->glyphs)
            if (!chosen[cp - start]) chosen[cp - start] = &bytes;

    std::string out;
    {
        protozero::pbf_builder<glyphs_tag> root{out};
        protozero::pbf_builder<fontstack_tag> fs{root, glyphs_tag::stacks};
        fs.add_string(fontstack_tag::name, names);
        fs.add_string(fontstack_tag::range, std::to_string(start) + "-" + std::to_string(start + range_size - 1));
        for (const auto* g : chosen)
            if (g) fs.add_message(fontstack_tag::glyphs, *g);
    }
    return out;
}

std::size_t glyph_server::cached_ranges() const {
    std::lock_guard lock{m_impl->cache_mutex};
    return m_impl->cache.size();
}

} // namespace kvarter::fonts
