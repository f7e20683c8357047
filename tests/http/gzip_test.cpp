#include "http/gzip.hpp"

#include <gtest/gtest.h>
#include <zlib.h>

#include <random>
#include <string>

namespace kvarter::http {
namespace {

// zlib's own inflate, told to expect a gzip wrapper (16 + 15 window bits) and nothing else:
// an independent reader of what gzip() writes.
std::string inflate_gzip_only(const std::string& data) {
    z_stream z{};
    EXPECT_EQ(inflateInit2(&z, 16 + 15), Z_OK);
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    z.avail_in = static_cast<uInt>(data.size());
    std::string out(1 << 20, '\0');
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    const int rc = inflate(&z, Z_FINISH);
    out.resize(z.total_out);
    inflateEnd(&z);
    EXPECT_EQ(rc, Z_STREAM_END);
    return out;
}

std::string some_bytes(std::size_t n) {
    std::mt19937 rng{12};
    std::string s(n, '\0');
    for (auto& c : s) c = static_cast<char>(rng() % 7 == 0 ? rng() : 'a' + rng() % 4); // compressible, not trivially
    return s;
}

TEST(gzip, round_trips_through_zlib) {
    for (const std::size_t n : {0u, 1u, 1000u, 100000u}) {
        const std::string raw = some_bytes(n);
        const std::string zipped = gzip(raw);
        ASSERT_GE(zipped.size(), 18u); // RFC 1952: a 10-byte header and an 8-byte trailer at least
        EXPECT_EQ(static_cast<unsigned char>(zipped[0]), 0x1f);
        EXPECT_EQ(static_cast<unsigned char>(zipped[1]), 0x8b);
        EXPECT_EQ(inflate_gzip_only(zipped), raw) << n << " bytes";
        EXPECT_EQ(gunzip(zipped), raw) << n << " bytes";
    }
    EXPECT_LT(gzip(std::string(100000, 'x')).size(), 1000u);
}

TEST(gzip, accepts_gzip_by_its_weight) {
    EXPECT_TRUE(accepts_gzip("gzip"));
    EXPECT_TRUE(accepts_gzip("deflate, GZIP;q=0.5"));
    EXPECT_TRUE(accepts_gzip("x-gzip"));
    EXPECT_TRUE(accepts_gzip("br;q=1.0, *"));
    EXPECT_TRUE(accepts_gzip("gzip ; q=0.001"));
    EXPECT_FALSE(accepts_gzip(""));
    EXPECT_FALSE(accepts_gzip("br, deflate"));
    EXPECT_FALSE(accepts_gzip("identity"));
    EXPECT_FALSE(accepts_gzip("gzipx"));
    EXPECT_FALSE(accepts_gzip("gzip;q=0"));
    EXPECT_FALSE(accepts_gzip("gzip;q=0.000"));
    EXPECT_FALSE(accepts_gzip("gzip; Q=0.0"));
    EXPECT_FALSE(accepts_gzip("gzip;q=nonsense"));
}

TEST(gzip, an_explicit_gzip_weight_wins_over_the_wildcard) {
    EXPECT_FALSE(accepts_gzip("gzip;q=0, *"));
    EXPECT_FALSE(accepts_gzip("*, gzip;q=0"));
    EXPECT_TRUE(accepts_gzip("*;q=0, gzip"));
    EXPECT_FALSE(accepts_gzip("*;q=0"));
}

TEST(gzip, choose_gzip_sets_vary_always_and_content_encoding_only_when_chosen) {
    request req;
    response r;
    req.headers["accept-encoding"] = "gzip;q=0";
    EXPECT_FALSE(choose_gzip(req, r));
    ASSERT_NE(r.find_header("Vary"), nullptr);
    EXPECT_EQ(*r.find_header("Vary"), "Accept-Encoding");
    EXPECT_EQ(r.find_header("Content-Encoding"), nullptr);

    req.headers["accept-encoding"] = "br, gzip";
    EXPECT_TRUE(choose_gzip(req, r));
    ASSERT_NE(r.find_header("Content-Encoding"), nullptr);
    EXPECT_EQ(*r.find_header("Content-Encoding"), "gzip");
}

} // namespace
} // namespace kvarter::http
