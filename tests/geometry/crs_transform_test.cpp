#include "geometry/crs_transform.hpp"

#include <gtest/gtest.h>

#include <cmath>

using namespace kvarter::geometry;

namespace {

// Meridian arc length on GRS80 by the classic series (independent of PROJ): on UTM's central
// meridian the northing is k0 times this, and the easting is exactly the false easting.
double grs80_meridian_arc(double lat_degrees) {
    const double a = 6378137.0;
    const double f = 1 / 298.257222101;
    const double e2 = f * (2 - f);
    const double e4 = e2 * e2, e6 = e4 * e2;
    const double phi = lat_degrees * M_PI / 180;
    return a * ((1 - e2 / 4 - 3 * e4 / 64 - 5 * e6 / 256) * phi - (3 * e2 / 8 + 3 * e4 / 32 + 45 * e6 / 1024) * std::sin(2 * phi) +
                (15 * e4 / 256 + 45 * e6 / 1024) * std::sin(4 * phi) - (35 * e6 / 3072) * std::sin(6 * phi));
}

} // namespace

TEST(crs_transform, utm32_central_meridian_matches_the_meridian_arc_within_a_centimetre) {
    const crs_transform to_lonlat{make_srs("EPSG:25832"), make_srs("EPSG:4326")};
    const crs_transform to_utm{make_srs("EPSG:4326"), make_srs("EPSG:25832")};
    const double lat = 55.6761;
    const xy utm = to_utm.apply(xy{9.0, lat});
    EXPECT_NEAR(utm.x, 500000.0, 0.01);
    EXPECT_NEAR(utm.y, 0.9996 * grs80_meridian_arc(lat), 0.01);

    const xy back = to_lonlat.apply(xy{500000.0, 0.9996 * grs80_meridian_arc(lat)});
    // 1 cm is about 9e-8 degrees of latitude.
    EXPECT_NEAR(back.x, 9.0, 1e-7);
    EXPECT_NEAR(back.y, lat, 9e-8);
}

TEST(crs_transform, a_copenhagen_point_round_trips_within_a_centimetre) {
    const crs_transform there{make_srs("EPSG:25832"), make_srs("EPSG:4326")};
    const crs_transform back{make_srs("EPSG:4326"), make_srs("EPSG:25832")};
    const xy city_hall{724300.0, 6175800.0};
    const xy lonlat = there.apply(city_hall);
    EXPECT_NEAR(lonlat.x, 12.57, 0.02); // Copenhagen's City Hall Square is at about 12.569 E, 55.676 N
    EXPECT_NEAR(lonlat.y, 55.676, 0.01);
    const xy again = back.apply(lonlat);
    EXPECT_NEAR(again.x, city_hall.x, 0.01);
    EXPECT_NEAR(again.y, city_hall.y, 0.01);
}

TEST(crs_transform, axis_order_is_always_x_first) {
    const crs_transform to_mercator{make_srs("EPSG:4326"), make_srs("EPSG:3857")};
    const xy m = to_mercator.apply(xy{12.0, 55.0});
    EXPECT_NEAR(m.x, 12.0 * 20037508.342789244 / 180, 0.01);
    EXPECT_GT(m.y, 7e6);
}

TEST(crs_transform, unknown_crs_is_an_error_naming_it) {
    try {
        make_srs("EPSG:999999");
        FAIL() << "expected an error";
    } catch (const std::exception& e) {
        EXPECT_NE(std::string{e.what()}.find("EPSG:999999"), std::string::npos);
    }
}
